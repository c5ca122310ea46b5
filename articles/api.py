"""The JSON API: thin views over the same services as the HTML pages (see docs/api.md).

Every URL in a response is absolute; `page` is always a page of results and `paper_page` a page
of the newspaper; a snippet is plain text with highlight offsets, its HTML form `snippet_html`.
GET responses allow any origin (CORS): the archive is public.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Callable
from pathlib import Path

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from articles.models import Article, Credit
from articles.search.engine.deadline import SearchTimeout
from articles.search.forms import SearchForm
from articles.search.service import QueryError, SearchPage, search_articles
from articles.suggestions import SUGGESTION_LIMIT, suggest_names

OPENAPI_PATH = Path(__file__).with_name("openapi.json")
SUGGEST_KINDS = {"", "reporter", "union"}
MAX_SUGGEST_LENGTH = 100
_MARK_RE = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)
_SPACE_RE = re.compile(r"\s+")


def read_only(view):
    """GET only: any other method is a 405 with `Allow: GET`. No CSRF check, since the view
    changes nothing: Django's check answered an unknown method (QUERY) 403 before the view."""
    return csrf_exempt(require_GET(view))


def json_response(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def field_errors(form: SearchForm) -> dict[str, list[str]]:
    return {
        name: [error["message"] for error in errors]
        for name, errors in form.errors.get_json_data().items()
    }


def bad_request(fields: dict[str, list[str]]) -> JsonResponse:
    return json_response({"error": "参数有误", "fields": fields}, status=400)


def query_error(error: QueryError) -> JsonResponse:
    """400 for a query that cannot run; 503 for one stopped at the search time budget."""
    return json_response({"error": str(error)}, status=error_status(error))


def error_status(error: QueryError) -> int:
    return 503 if isinstance(error, SearchTimeout) else 400


def snippet_text(snippet_html: str) -> tuple[str, list[list[int]]]:
    """A highlighted snippet as plain text (whitespace runs made one space) and the
    [start, end) character offsets of its highlights in that text."""
    text, highlights = "", []
    cursor = 0
    pieces = []
    for match in _MARK_RE.finditer(snippet_html):
        pieces.append((snippet_html[cursor : match.start()], False))
        pieces.append((match.group(1), True))
        cursor = match.end()
    pieces.append((snippet_html[cursor:], False))
    for raw, marked in pieces:
        piece = _SPACE_RE.sub(" ", html.unescape(raw))
        if text.endswith(" ") and piece.startswith(" "):
            piece = piece[1:]
        if not text:
            piece = piece.lstrip()
        if marked and piece:
            highlights.append([len(text), len(text) + len(piece)])
        text += piece
    return text.rstrip(), highlights


def _page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def credits_json(article: Article, absolute: Callable[[str], str]) -> list[dict]:
    """An article's credits in byline order, as every API response gives them."""
    roles = dict(Credit.Role.choices)
    return [
        {
            "name": credit.person.name,
            "role": credit.role,
            "role_label": roles.get(credit.role, credit.role),
            "url": absolute(credit.person.get_absolute_url()),
        }
        for credit in article.credits.all()
    ]


def search_document(results: SearchPage, request: HttpRequest) -> dict:
    """The search result as the API gives it (docs/api.md, SearchResults in openapi.json)."""
    absolute = request.build_absolute_uri
    page, pages = results.page, results.num_pages
    shared = results.as_json()  # facets and the union tree, in the service's one shape
    items = []
    for hit in results.hits:
        article = hit.article
        text, highlights = snippet_text(str(hit.snippet))
        items.append(
            {
                "id": article.pk,
                "url": absolute(article.get_absolute_url()),
                "headline": article.headline,
                "date": article.date.isoformat(),
                "paper_page": article.page.number,
                "paper_page_url": absolute(article.page.get_absolute_url()),
                "kind": article.kind,
                "snippet": text,
                "highlights": highlights,
                "snippet_html": str(hit.snippet),
                "credits": credits_json(article, absolute),
                "organizations": list(hit.organizations),
            }
        )
    return {
        "total": results.total,
        "page": page,
        "num_pages": pages,
        "per_page": results.params.per_page,
        "took_ms": results.took_ms,
        "next": _page_url(request, page + 1) if page < pages else None,
        "previous": _page_url(request, page - 1) if page > 1 else None,
        "results": items,
        "facets": shared["facets"],
        "union_tree": shared["union_tree"],
    }


@read_only
def search(request: HttpRequest) -> JsonResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return bad_request(field_errors(form))
    try:
        results = search_articles(form.params())
    except QueryError as exc:
        return query_error(exc)
    return json_response(search_document(results, request))


@read_only
def suggest(request: HttpRequest) -> JsonResponse:
    """Reporters and unions whose names contain `q`, for suggestions as the reader types."""
    text = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if kind not in SUGGEST_KINDS:
        return bad_request({"kind": ["只能是 reporter 或 union。"]})
    if len(text) > MAX_SUGGEST_LENGTH:
        return bad_request({"q": [f"最多 {MAX_SUGGEST_LENGTH} 个字。"]})
    found = suggest_names(text, kind, SUGGESTION_LIMIT) if text else []
    return json_response(
        {
            "suggestions": [
                {
                    "name": item.name,
                    "kind": item.kind,
                    "article_count": item.article_count,
                    "url": request.build_absolute_uri(item.url),
                }
                for item in found
            ]
        }
    )


@functools.cache
def _openapi_document() -> str:
    return OPENAPI_PATH.read_text(encoding="utf-8")


@read_only
def openapi(request: HttpRequest) -> JsonResponse:
    """The OpenAPI 3 description of this API, with this server's address."""
    document = json.loads(_openapi_document())
    document["servers"] = [{"url": request.build_absolute_uri("/").rstrip("/")}]
    return json_response(document)
