"""A search result as a CSV or JSON file, at most EXPORT_LIMIT articles (the first, as sorted)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

from articles.search.service import SearchPage, SearchParams, search_articles

EXPORT_LIMIT = 1000
CSV_COLUMNS = [
    "id",
    "date",
    "page",
    "kind",
    "kicker",
    "headline",
    "subheadline",
    "credits",
    "organizations",
    "url",
    "body",
]


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
                "organizations": [o.name for o in article.organizations.all()],
                "url": base_url + article.get_absolute_url(),
                "body": article.body,
            }
        )
    return rows


def as_csv(results: SearchPage, base_url: str) -> str:
    """UTF-8 with a BOM, so that Excel opens the Chinese text correctly."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in _rows(results, base_url):
        row["credits"] = "；".join(f"{c['name']}（{c['role']}）" for c in row["credits"])
        row["organizations"] = "；".join(row["organizations"])
        writer.writerow(row)
    return out.getvalue()


def as_json(results: SearchPage, base_url: str) -> str:
    document = {
        "total": results.total,
        "exported": len(results.hits),
        "limit": EXPORT_LIMIT,
        "articles": _rows(results, base_url),
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
