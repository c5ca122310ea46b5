"""The JSON API's records: one article, one issue with its pages and articles (docs/api.md).

Thin over the models, as articles/api.py is over the search service; a missing article or
issue, or a date that is no date, is a 404 with a JSON error.
"""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.http import HttpRequest, JsonResponse
from django.urls import reverse

from articles.api import credits_json, json_response, read_only
from articles.citation import citation
from articles.models import Article, Issue, Page

MAX_ID_DIGITS = 18


def not_found(what: str) -> JsonResponse:
    return json_response({"error": f"没有{what}。"}, status=404)


@read_only
def article(request: HttpRequest, pk: str) -> JsonResponse:
    # 18 digits or fewer: a larger number is no row, and overflows SQLite's integers.
    if not pk.isascii() or not pk.isdigit() or len(pk) > MAX_ID_DIGITS:
        return not_found(f"编号为 {pk} 的文章（编号须为数字）")
    found = Article.objects.for_listing().filter(pk=int(pk)).first()
    if found is None:
        return not_found("这篇文章")
    absolute = request.build_absolute_uri
    return json_response(
        {
            "id": found.pk,
            "url": absolute(found.get_absolute_url()),
            "date": found.date.isoformat(),
            "paper_page": found.page.number,
            "paper_page_url": absolute(found.page.get_absolute_url()),
            "seq": found.seq,
            "kind": found.kind,
            "kicker": found.kicker,
            "headline": found.headline,
            "subheadline": found.subheadline,
            "paragraphs": list(found.paragraphs),
            "correction": found.correction,
            "credits": credits_json(found, absolute),
            # Prefetched (for_listing): a 待核 union (articles.union_review) is left out.
            "organizations": sorted(
                o.name for o in found.organizations.all() if not o.needs_review
            ),
            "citation": citation(found),
            "cite_ris": absolute(reverse("articles:cite", args=[found.pk, "ris"])),
            "cite_bib": absolute(reverse("articles:cite", args=[found.pk, "bib"])),
        }
    )


@read_only
def issue(request: HttpRequest, date: str) -> JsonResponse:
    try:
        day = datetime.date.fromisoformat(date)
    except ValueError:
        return not_found(f"日期为 {date} 的一期（日期须为 YYYY-MM-DD）")
    articles = Article.objects.only("pk", "page_id", "seq", "headline", "kind").order_by("seq")
    pages = Page.objects.only("pk", "issue_id", "number", "name").order_by("number")
    found = (
        Issue.objects.filter(date=day)
        .prefetch_related(Prefetch("pages", pages), Prefetch("pages__articles", articles))
        .first()
    )
    if found is None:
        return not_found(f"{day.isoformat()} 这一期")
    absolute = request.build_absolute_uri
    date = found.date.isoformat()
    return json_response(
        {
            "date": date,
            "number": found.number,
            "url": absolute(found.get_absolute_url()),
            "pages": [
                {
                    "number": page.number,
                    "name": page.name,
                    "url": absolute(reverse("articles:page", args=[date, page.number])),
                    "articles": [
                        {
                            "id": item.pk,
                            "url": absolute(reverse("articles:article", args=[item.pk])),
                            "seq": item.seq,
                            "headline": item.headline,
                            "kind": item.kind,
                        }
                        for item in page.articles.all()
                    ],
                }
                for page in found.pages.all()
            ],
        }
    )
