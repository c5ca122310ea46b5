"""A whole search result as a file, streamed: CSV, JSON, JSON Lines or RIS, at most
settings.NEWSARCHIVE_EXPORT_LIMIT articles (the first, as sorted).

The CSV is for a Chinese reader in Excel: Chinese headers and values, a BOM, and no cell that
a spreadsheet would run as a formula. JSON and JSON Lines are for programs: English keys,
stable codes. RIS is for reference managers (articles.citation_files).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable, Iterator

from articles.citation_files import ris_record
from articles.models import Article, Credit
from articles.search.service import Hit, SearchParams

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


def _row(hit: Hit, base_url: str) -> dict:
    article = hit.article
    return {
        "id": article.pk,
        "date": article.date.isoformat(),
        "page": article.page.number,
        "kind": article.kind,
        "kicker": article.kicker,
        "headline": article.headline,
        "subheadline": article.subheadline,
        "credits": [
            {"name": credit.person.name, "role": credit.role} for credit in article.credits.all()
        ],
        "organizations": list(hit.organizations),
        "url": base_url + article.get_absolute_url(),
        "body": article.body,
    }


def neutralised(value: object) -> object:
    """A text cell that a spreadsheet would evaluate, prefixed with `'` so that it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_chunks(hits: Iterable[Hit], base_url: str) -> Iterator[str]:
    """UTF-8 with a BOM, so that Excel opens the Chinese text correctly; a line a hit."""
    roles = dict(Credit.Role.choices)
    kinds = dict(Article.Kind.choices)
    line = io.StringIO()
    writer = csv.writer(line)
    writer.writerow(CSV_COLUMNS.values())
    yield "\ufeff" + line.getvalue()
    for hit in hits:
        row = _row(hit, base_url)
        row["kind"] = kinds.get(row["kind"], row["kind"])
        row["credits"] = "；".join(
            f"{c['name']}（{roles.get(c['role'], c['role'])}）" for c in row["credits"]
        )
        row["organizations"] = "；".join(row["organizations"])
        line.seek(0)
        line.truncate()
        writer.writerow([neutralised(row[key]) for key in CSV_COLUMNS])
        yield line.getvalue()


def export_filename(params: SearchParams, today: datetime.date, fmt: str) -> str:
    """`首都工会新闻档案-搜索-职工技能-2024-03-19.csv`: what was searched, and when."""
    what = params.q or params.organization or params.reporter or "全部"
    what = " ".join(_UNSAFE_IN_FILENAME.sub(" ", what).split())[:FILENAME_QUERY_LENGTH]
    return f"首都工会新闻档案-搜索-{what.replace(' ', '_') or '全部'}-{today:%Y-%m-%d}.{fmt}"


def json_lines_chunks(hits: Iterable[Hit], base_url: str) -> Iterator[str]:
    """One JSON object a line, a line an article."""
    for hit in hits:
        yield json.dumps(_row(hit, base_url), ensure_ascii=False) + "\n"


def json_chunks(total: int, limit: int, hits: Iterable[Hit], base_url: str) -> Iterator[str]:
    """One JSON document: total, limit, the articles, and how many were exported."""
    yield f'{{"total": {total}, "limit": {limit}, "articles": ['
    exported = 0
    for hit in hits:
        yield ("," if exported else "") + "\n" + json.dumps(_row(hit, base_url), ensure_ascii=False)
        exported += 1
    yield f'\n], "exported": {exported}}}\n'


def ris_chunks(hits: Iterable[Hit], base_url: str) -> Iterator[str]:
    for hit in hits:
        yield ris_record(hit.article, base_url + hit.article.get_absolute_url())


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "jsonl": "application/jsonl; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
}


def export_chunks(
    fmt: str, total: int, limit: int, hits: Iterable[Hit], base_url: str
) -> Iterator[str]:
    """The file of format `fmt` (a key of CONTENT_TYPES), piece by piece."""
    if fmt == "csv":
        return csv_chunks(hits, base_url)
    if fmt == "json":
        return json_chunks(total, limit, hits, base_url)
    if fmt == "jsonl":
        return json_lines_chunks(hits, base_url)
    return ris_chunks(hits, base_url)
