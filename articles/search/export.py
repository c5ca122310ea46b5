"""A search result as a CSV or JSON file, at most EXPORT_LIMIT articles (the first, as sorted).

The CSV is for a Chinese reader in Excel: Chinese headers and values, a BOM, and no cell that
a spreadsheet would run as a formula. The JSON is for programs: English keys, stable codes.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import json
import re

from articles.models import Article, Credit
from articles.search.service import SearchPage, SearchParams, search_articles

EXPORT_LIMIT = 1000
# Row keys and their CSV headers, in column order.
CSV_COLUMNS = {
    "id": "编号",
    "date": "日期",
    "page": "版次",
    "kind": "类型",
    "kicker": "引题",
    "headline": "标题",
    "subheadline": "副题",
    "credits": "署名",
    "organizations": "涉及工会",
    "url": "链接",
    "body": "正文",
}
# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FILENAME_QUERY_LENGTH = 30
_UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f"*/:<>?\\|“”＂]+')


def export_search(params: SearchParams) -> SearchPage:
    """The first EXPORT_LIMIT results of the search; raises QueryError like search_articles."""
    return search_articles(dataclasses.replace(params, page=1, per_page=EXPORT_LIMIT))


def _rows(results: SearchPage, base_url: str) -> list[dict]:
    rows = []
    for hit in results.hits:
        article = hit.article
        rows.append(
            {
                "id": article.pk,
                "date": article.date.isoformat(),
                "page": article.page.number,
                "kind": article.kind,
                "kicker": article.kicker,
                "headline": article.headline,
                "subheadline": article.subheadline,
                "credits": [
                    {"name": credit.person.name, "role": credit.role}
                    for credit in article.credits.all()
                ],
                "organizations": list(hit.organizations),
                "url": base_url + article.get_absolute_url(),
                "body": article.body,
            }
        )
    return rows


def neutralised(value: object) -> object:
    """A text cell that a spreadsheet would evaluate, prefixed with `'` so that it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_csv(results: SearchPage, base_url: str) -> str:
    """UTF-8 with a BOM, so that Excel opens the Chinese text correctly."""
    roles = dict(Credit.Role.choices)
    kinds = dict(Article.Kind.choices)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS.values())
    for row in _rows(results, base_url):
        row["kind"] = kinds.get(row["kind"], row["kind"])
        row["credits"] = "；".join(
            f"{c['name']}（{roles.get(c['role'], c['role'])}）" for c in row["credits"]
        )
        row["organizations"] = "；".join(row["organizations"])
        writer.writerow([neutralised(row[key]) for key in CSV_COLUMNS])
    return out.getvalue()


def export_filename(params: SearchParams, today: datetime.date, fmt: str) -> str:
    """`首都工会新闻档案-搜索-职工技能-2024-03-19.csv`: what was searched, and when."""
    what = params.q or params.organization or params.reporter or "全部"
    what = " ".join(_UNSAFE_IN_FILENAME.sub(" ", what).split())[:FILENAME_QUERY_LENGTH]
    return f"首都工会新闻档案-搜索-{what.replace(' ', '_') or '全部'}-{today:%Y-%m-%d}.{fmt}"


def as_json(results: SearchPage, base_url: str) -> str:
    document = {
        "total": results.total,
        "exported": len(results.hits),
        "limit": EXPORT_LIMIT,
        "articles": _rows(results, base_url),
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
