"""Reader pages: thin views over QuerySets and services (articles.browse, articles.search)."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from articles import browse, charts
from articles.api import bad_request, error_status, field_errors, query_error
from articles.citation import citation, citation_meta, description
from articles.citation_files import as_bibtex, as_ris
from articles.health import health, public_health
from articles.models import (
    Article,
    Issue,
    Organization,
    Page,
    PageScan,
    Person,
    RetiredArticle,
)
from articles.page_images import (
    article_region,
    page_regions,
)
from articles.search.export import CONTENT_TYPES, export_chunks, export_filename
from articles.search.forms import SearchForm
from articles.search.service import QueryError, all_hits, search_articles
from articles.search_trail import quoted_query, search_trail
from articles.suggestions import did_you_mean
from articles.union_review import shown_to_readers

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
    """往期回顾: one month's issue days, opening on the latest issue's month."""
    years = browse.issue_years()
    year, month = _calendar_month(request, browse.latest_issue_date())
    context = {
        "years": years,
        "year": year,
        "month": browse.calendar_month(year, month),
        "month_counts": browse.issue_counts_by_month(year),
        "previous_month": (year - 1, 12) if month == 1 else (year, month - 1),
        "next_month": (year + 1, 1) if month == 12 else (year, month + 1),
        "previous_year": year - 1 if year - 1 >= MIN_CALENDAR_YEAR else None,
        "next_year": year + 1 if year + 1 <= datetime.MAXYEAR else None,
    }
    return render(request, "articles/calendar.html", context)


MIN_CALENDAR_YEAR = 1900


def _calendar_month(request: HttpRequest, latest: datetime.date | None) -> tuple[int, int]:
    """`?year=&month=`; a year alone opens on its last month with an issue (or January)."""
    try:
        year = int(request.GET.get("year") or (latest or timezone.localdate()).year)
        month = int(request.GET.get("month") or 0)
    except ValueError as error:
        raise Http404("年份或月份有误") from error
    if not MIN_CALENDAR_YEAR <= year <= datetime.MAXYEAR or not 0 <= month <= 12:
        raise Http404("年份或月份有误")
    if month == 0:
        months = [m for m, count in browse.issue_counts_by_month(year) if count]
        month = months[-1] if months else 1
    return year, month


def issue_or_404(date: str) -> Issue:
    try:
        day = datetime.date.fromisoformat(date)
    except ValueError as error:
        raise Http404("日期有误") from error
    return get_object_or_404(Issue, date=day)


@require_GET
def issue(request: HttpRequest, date: str) -> HttpResponse:
    the_issue = issue_or_404(date)
    context = {
        "issue": the_issue,
        "articles": browse.articles_of_issue(the_issue),
        "neighbours": browse.issue_neighbours(the_issue),
        "strip": browse.pages_of_issue(the_issue),
    }
    return render(request, "articles/issue.html", context)


@require_GET
def page(request: HttpRequest, date: str, number: int) -> HttpResponse:
    the_issue = issue_or_404(date)
    the_page = get_object_or_404(
        Page.objects.select_related("issue"), issue=the_issue, number=number
    )
    in_issue, issues = browse.page_neighbours(the_page)
    articles = list(Article.objects.for_listing().filter(page=the_page).order_by("seq"))
    scan = PageScan.objects.filter(page=the_page).first()
    context = {
        "page": the_page,
        "articles": articles,
        "pages": in_issue,
        "issues": issues,
        "strip": browse.pages_of_issue(the_issue),
        "scan": scan,
        "regions": page_regions(scan, articles) if scan else [],
    }
    return render(request, "articles/page.html", context)


@require_GET
def article(request: HttpRequest, pk: int) -> HttpResponse:
    the_article = Article.objects.for_listing().filter(pk=pk).first()
    if the_article is None:
        return retired_article(request, get_object_or_404(RetiredArticle, article_id=pk))
    trail = search_trail(request.GET.get("search", ""))
    canonical = request.build_absolute_uri(the_article.get_absolute_url())
    context = {
        "article": the_article,
        "trail": trail,
        "paragraphs": trail.marked(the_article.paragraphs) if trail else the_article.paragraphs,
        "neighbours": browse.article_neighbours(the_article),
        "related": browse.related_articles(the_article),
        "citation": citation(the_article),
        "citation_meta": citation_meta(the_article, canonical),
        "description": description(the_article),
        "canonical_url": canonical,
        "has_clipping": bool(article_region(the_article)),
    }
    return render(request, "articles/article.html", context)


@require_GET
def article_cite(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The article's citation as a file a reference manager imports (RIS or BibTeX)."""
    the_article = get_object_or_404(Article.objects.for_listing(), pk=pk)
    url = request.build_absolute_uri(the_article.get_absolute_url())
    if fmt == "ris":
        response = HttpResponse(as_ris([(the_article, url)]), content_type=CONTENT_TYPES["ris"])
    else:
        response = HttpResponse(
            as_bibtex(the_article, url), content_type="application/x-bibtex; charset=utf-8"
        )
    response["Content-Disposition"] = content_disposition_header(True, f"article-{pk}.{fmt}")
    return response


@require_GET
def article_at(request: HttpRequest, date: str, number: int, seq: int) -> HttpResponse:
    """The readable permalink /issues/<date>/<page>/<seq>/: the article now at that place, or
    what became of the one that was."""
    the_issue = issue_or_404(date)
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
        "timeline": charts.responsive_timeline(browse.articles_per_month(articles)),
        "articles": _page_of(request, articles),
    }
    return render(request, "articles/reporter.html", context)


@require_GET
def union(request: HttpRequest, pk: int) -> HttpResponse:
    # A 待核 union has no page until an editor accepts it (articles.union_review).
    unions = shown_to_readers(Organization.objects.select_related("parent"))
    organization = get_object_or_404(unions, pk=pk)
    articles = browse.articles_about(organization)
    context = {
        "organization": organization,
        "aliases": shown_to_readers(organization.aliases.all()),
        "children": shown_to_readers(organization.children.order_by("name")),
        "reporters": browse.reporters_of_union(organization),
        "co_mentioned": browse.co_mentioned_unions(organization),
        "on_this_day": browse.union_on_this_day(organization, timezone.localdate()),
        "timeline": charts.responsive_timeline(browse.articles_per_month(articles)),
        "articles": _page_of(request, articles),
    }
    return render(request, "articles/union.html", context)


@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    unions = [(o.name, o.article_count, o.get_absolute_url()) for o in browse.active_unions(15)]
    people = [(p.name, p.article_count, p.get_absolute_url()) for p in browse.active_reporters(15)]
    context = {
        "timeline": charts.responsive_timeline(browse.articles_per_month(Article.objects.all())),
        "unions": charts.ranked_bars(unions),
        "reporters": charts.ranked_bars(people),
        "issue_count": Issue.objects.count(),
        "article_count": Article.objects.count(),
        "reporter_count": Person.objects.count(),
        "union_count": shown_to_readers(Organization.objects.all()).count(),
    }
    return render(request, "articles/stats.html", context)


# What the search form sends when a reader leaves a field alone.
FORM_DEFAULTS = {("sort", "relevance"), ("page", "1")}


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    given = [(key, v) for key, values in request.GET.lists() for v in values]
    kept = [(key, v) for key, v in given if v and (key, v) not in FORM_DEFAULTS]
    if len(kept) < len(given):
        # A GET form sends its empty fields too (org=&reporter=&…): keep shared URLs short.
        return redirect(f"{request.path}?{urlencode(kept)}".rstrip("?"))
    form = SearchForm(request.GET)
    results = error = None
    status = 400 if form.errors else 200
    hints = []
    if form.is_valid() and form.params().has_criteria:
        params = form.params()
        try:
            results = search_articles(params)
        except QueryError as exc:
            error, status = str(exc), error_status(exc)
        else:
            hints = did_you_mean(request.GET, results.query, params.reporter, params.organization)
    context = {
        "form": form,
        "results": results,
        "error": error,
        "hints": hints,
        "quoted_query": quoted_query(form.cleaned_data.get("q", "") if form.is_bound else ""),
        "export_limit": settings.NEWSARCHIVE_EXPORT_LIMIT,
    }
    return render(request, "articles/search.html", context, status=status)


@require_GET
def search_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The whole result set (up to NEWSARCHIVE_EXPORT_LIMIT articles) as a file, streamed."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return bad_request(field_errors(form))
    limit = settings.NEWSARCHIVE_EXPORT_LIMIT
    try:
        total, hits = all_hits(form.params(), limit)
    except QueryError as exc:
        return query_error(exc)
    base_url = request.build_absolute_uri("/").rstrip("/")
    chunks = export_chunks(fmt, total, limit, hits, base_url)
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    filename = export_filename(form.params(), timezone.localdate(), fmt)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_GET
def opensearch(request: HttpRequest) -> HttpResponse:
    """The OpenSearch description, so that a browser can add the archive's search."""
    base_url = request.build_absolute_uri("/").rstrip("/")
    return render(
        request,
        "opensearch.xml",
        {"base_url": base_url},
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )


@require_GET
def health_check(request: HttpRequest) -> JsonResponse:
    healthy, report = health()
    shown = report if request.user.is_staff else public_health(report)
    return _json(shown, status=200 if healthy else 503)


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
