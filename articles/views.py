"""Reader pages: thin views over QuerySets and services (articles.browse, articles.search)."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from articles import browse, charts
from articles.citation import citation
from articles.health import health
from articles.models import Article, Issue, Organization, Page, Person, RetiredArticle
from articles.search.export import EXPORT_LIMIT, as_csv, as_json, export_search
from articles.search.forms import SearchForm
from articles.search.service import QueryError, search_articles

PER_PAGE = 20
DIRECTORY_PER_PAGE = 200


def _page_of(request: HttpRequest, items, per_page: int = PER_PAGE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    issue = Issue.objects.order_by("-date").first()
    context = {
        "issue": issue,
        "articles": browse.articles_of_issue(issue) if issue else Article.objects.none(),
        "issue_count": Issue.objects.count(),
        "article_count": Article.objects.count(),
        "unions": browse.active_unions(),
        "reporters": browse.active_reporters(),
        "on_this_day": browse.on_this_day(timezone.localdate()),
    }
    return render(request, "articles/home.html", context)


@require_GET
def issue_calendar(request: HttpRequest) -> HttpResponse:
    years = browse.issue_years()
    try:
        year = int(request.GET.get("year") or (years[0] if years else timezone.localdate().year))
    except ValueError as error:
        raise Http404("年份有误") from error
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise Http404("年份有误")
    context = {"years": years, "year": year, "months": browse.issue_calendar(year)}
    return render(request, "articles/calendar.html", context)


def _issue_or_404(date: str) -> Issue:
    try:
        day = datetime.date.fromisoformat(date)
    except ValueError as error:
        raise Http404("日期有误") from error
    return get_object_or_404(Issue, date=day)


@require_GET
def issue(request: HttpRequest, date: str) -> HttpResponse:
    the_issue = _issue_or_404(date)
    context = {
        "issue": the_issue,
        "articles": browse.articles_of_issue(the_issue),
        "neighbours": browse.issue_neighbours(the_issue),
    }
    return render(request, "articles/issue.html", context)


@require_GET
def page(request: HttpRequest, date: str, number: int) -> HttpResponse:
    the_issue = _issue_or_404(date)
    the_page = get_object_or_404(
        Page.objects.select_related("issue"), issue=the_issue, number=number
    )
    in_issue, issues = browse.page_neighbours(the_page)
    context = {
        "page": the_page,
        "articles": Article.objects.for_listing().filter(page=the_page).order_by("seq"),
        "pages": in_issue,
        "issues": issues,
    }
    return render(request, "articles/page.html", context)


@require_GET
def article(request: HttpRequest, pk: int) -> HttpResponse:
    the_article = Article.objects.for_listing().filter(pk=pk).first()
    if the_article is None:
        return retired_article(request, get_object_or_404(RetiredArticle, article_id=pk))
    context = {
        "article": the_article,
        "neighbours": browse.article_neighbours(the_article),
        "related": browse.related_articles(the_article),
        "citation": citation(the_article),
    }
    return render(request, "articles/article.html", context)


@require_GET
def article_at(request: HttpRequest, date: str, number: int, seq: int) -> HttpResponse:
    """The readable permalink /issues/<date>/<page>/<seq>/: the article now at that place, or
    what became of the one that was."""
    the_issue = _issue_or_404(date)
    found = Article.objects.filter(page__issue=the_issue, page__number=number, seq=seq).first()
    if found is not None:
        return article(request, found.pk)
    retired = RetiredArticle.objects.filter(
        issue_date=the_issue.date, page_number=number, seq=seq
    ).first()
    if retired is None:
        raise Http404("没有这篇文章")
    return retired_article(request, retired)


def retired_article(request: HttpRequest, retired: RetiredArticle) -> HttpResponse:
    """301 to the article it became, or 410 naming the page it was on."""
    if retired.successor_id is not None:
        return redirect(retired.successor, permanent=True)
    page_exists = Page.objects.filter(
        issue__date=retired.issue_date, number=retired.page_number
    ).exists()
    context = {"retired": retired, "page_exists": page_exists}
    return render(request, "articles/gone.html", context, status=410)


@require_GET
def reporters(request: HttpRequest) -> HttpResponse:
    return _directory(request, browse.reporters_directory(), "articles/reporters.html")


@require_GET
def unions(request: HttpRequest) -> HttpResponse:
    return _directory(request, browse.unions_directory(), "articles/unions.html")


def _directory(request: HttpRequest, entries: list, template: str) -> HttpResponse:
    letters = browse.directory_letters(entries)
    letter = request.GET.get("letter", "")
    if letter:
        entries = [entry for entry in entries if entry.letter == letter]
    context = {
        "letters": letters,
        "letter": letter,
        "entries": _page_of(request, entries, DIRECTORY_PER_PAGE),
    }
    return render(request, template, context)


@require_GET
def reporter(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    articles = browse.articles_by(person)
    context = {
        "person": person,
        "roles": browse.roles_of(person),
        "timeline": charts.timeline(browse.articles_per_month(articles)),
        "articles": _page_of(request, articles),
    }
    return render(request, "articles/reporter.html", context)


@require_GET
def union(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.select_related("parent"), pk=pk)
    articles = browse.articles_about(organization)
    context = {
        "organization": organization,
        "aliases": organization.aliases.all(),
        "children": organization.children.order_by("name"),
        "reporters": browse.reporters_of_union(organization),
        "co_mentioned": browse.co_mentioned_unions(organization),
        "on_this_day": browse.union_on_this_day(organization, timezone.localdate()),
        "timeline": charts.timeline(browse.articles_per_month(articles)),
        "articles": _page_of(request, articles),
    }
    return render(request, "articles/union.html", context)


@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    unions = [(o.name, o.article_count, o.get_absolute_url()) for o in browse.active_unions(15)]
    people = [(p.name, p.article_count, p.get_absolute_url()) for p in browse.active_reporters(15)]
    context = {
        "timeline": charts.timeline(browse.articles_per_month(Article.objects.all())),
        "unions": charts.ranked_bars(unions),
        "reporters": charts.ranked_bars(people),
        "issue_count": Issue.objects.count(),
        "article_count": Article.objects.count(),
        "reporter_count": Person.objects.count(),
        "union_count": Organization.objects.count(),
    }
    return render(request, "articles/stats.html", context)


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
    context = {"form": form, "results": results, "error": error, "export_limit": EXPORT_LIMIT}
    return render(request, "articles/search.html", context, status=status)


@require_GET
def search_export(request: HttpRequest, fmt: str) -> HttpResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return _json({"error": "参数有误", "fields": _field_errors(form)}, status=400)
    try:
        results = export_search(form.params())
    except QueryError as exc:
        return _json({"error": str(exc)}, status=400)
    base_url = request.build_absolute_uri("/").rstrip("/")
    if fmt == "csv":
        response = HttpResponse(as_csv(results, base_url), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(as_json(results, base_url), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="newsarchive-search.{fmt}"'
    return response


@require_GET
def health_check(request: HttpRequest) -> JsonResponse:
    healthy, report = health()
    return _json(report, status=200 if healthy else 503)


@require_GET
def api_search(request: HttpRequest) -> JsonResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return _json({"error": "参数有误", "fields": _field_errors(form)}, status=400)
    try:
        results = search_articles(form.params())
    except QueryError as exc:
        return _json({"error": str(exc)}, status=400)
    return _json(results.as_json())


def _field_errors(form: SearchForm) -> dict[str, list[str]]:
    return {
        name: [error["message"] for error in errors]
        for name, errors in form.errors.get_json_data().items()
    }


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
