"""Reader pages: thin views over QuerySets and services."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from articles.models import Article, Issue
from articles.search.forms import SearchForm
from articles.search.service import QueryError, search_articles


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    issue = Issue.objects.order_by("-date").first()
    articles = (
        Article.objects.for_listing().filter(page__issue=issue).order_by("page__number", "seq")
        if issue
        else Article.objects.none()
    )
    return render(
        request,
        "articles/home.html",
        {"issue": issue, "articles": articles, "issue_count": Issue.objects.count()},
    )


@require_GET
def article(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request,
        "articles/article.html",
        {"article": get_object_or_404(Article.objects.for_listing(), pk=pk)},
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    results = error = None
    if form.is_valid() and form.params().has_criteria:
        try:
            results = search_articles(form.params())
        except QueryError as exc:
            error = str(exc)
    status = 400 if form.errors or error else 200
    context = {"form": form, "results": results, "error": error}
    return render(request, "articles/search.html", context, status=status)


@require_GET
def api_search(request: HttpRequest) -> JsonResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        fields = {
            name: [error["message"] for error in errors]
            for name, errors in form.errors.get_json_data().items()
        }
        return _json({"error": "参数有误", "fields": fields}, status=400)
    try:
        results = search_articles(form.params())
    except QueryError as exc:
        return _json({"error": str(exc)}, status=400)
    return _json(results.as_json())


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
