"""The JSON API: thin views over the same services as the HTML pages (see docs/api.md)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from articles.suggestions import SUGGESTION_LIMIT, suggest_names

SUGGEST_KINDS = {"", "reporter", "union"}


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """Reporters and unions whose names contain `q`, for suggestions as the reader types."""
    text = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if kind not in SUGGEST_KINDS:
        return _json({"error": "参数有误", "fields": {"kind": ["只能是 reporter 或 union。"]}}, 400)
    if len(text) > 100:
        return _json({"error": "参数有误", "fields": {"q": ["最多 100 个字。"]}}, 400)
    found = suggest_names(text, kind, SUGGESTION_LIMIT) if text else []
    base = request.build_absolute_uri("/").rstrip("/")
    return _json(
        {
            "suggestions": [
                {
                    "name": item.name,
                    "kind": item.kind,
                    "article_count": item.article_count,
                    "url": base + item.url,
                }
                for item in found
            ]
        }
    )
