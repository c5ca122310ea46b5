"""Reading the archive in the order of the paper: issues by date, pages, neighbours, directories.

The reader views call these; each returns QuerySets or plain values with their related rows
fetched, so that no template walks into one query per row.
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from pypinyin import Style, lazy_pinyin

from articles.models import Article, Issue, Organization, Page, Person
from articles.union_review import shown_to_readers

MONTH_NAMES = [f"{n}月" for n in range(1, 13)]


def articles_of_issue(issue: Issue) -> QuerySet[Article]:
    return Article.objects.for_listing().filter(page__issue=issue).order_by("page__number", "seq")


def active_unions(limit: int = 10) -> QuerySet[Organization]:
    return (
        shown_to_readers(Organization.objects.annotate(article_count=Count("articles")))
        .filter(article_count__gt=0)
        .order_by("-article_count", "name")[:limit]
    )


def active_reporters(limit: int = 10) -> QuerySet[Person]:
    return (
        Person.objects.annotate(article_count=Count("credits__article", distinct=True))
        .filter(article_count__gt=0)
        .order_by("-article_count", "name")[:limit]
    )


def on_this_day(today: datetime.date, limit: int = 10) -> QuerySet[Article]:
    """往年今日: articles of the same month and day in earlier years, the most recent first."""
    return (
        Article.objects.for_listing()
        .filter(
            page__issue__date__month=today.month,
            page__issue__date__day=today.day,
            page__issue__date__year__lt=today.year,
        )
        .order_by("-page__issue__date", "page__number", "seq")[:limit]
    )


@dataclass(frozen=True)
class CalendarMonth:
    month: int
    name: str
    # Weeks from Monday; each day is (day of month or 0 outside the month, issue or None).
    weeks: list[list[tuple[int, Issue | None]]]
    issue_count: int


def issue_years() -> list[int]:
    return [date.year for date in Issue.objects.dates("date", "year", order="DESC")]


def latest_issue_date() -> datetime.date | None:
    return Issue.objects.order_by("-date").values_list("date", flat=True).first()


def calendar_month(year: int, month: int) -> CalendarMonth:
    """One month as a grid of Monday weeks, its issue days carrying their Issue."""
    issues = {
        issue.date: issue for issue in Issue.objects.filter(date__year=year, date__month=month)
    }
    weeks = [
        [(day, issues.get(datetime.date(year, month, day)) if day else None) for day in week]
        for week in calendar.Calendar().monthdayscalendar(year, month)
    ]
    return CalendarMonth(month, MONTH_NAMES[month - 1], weeks, len(issues))


def issue_counts_by_month(year: int) -> list[tuple[int, int]]:
    """(month, issues) for all twelve months of `year`, months without an issue as 0."""
    rows = (
        Issue.objects.filter(date__year=year)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(count=Count("pk"))
    )
    counts = {row["month"].month: row["count"] for row in rows}
    return [(month, counts.get(month, 0)) for month in range(1, 13)]


def pages_of_issue(issue: Issue) -> QuerySet[Page]:
    """The issue's pages for a page strip (第1版 要闻 … 第8版)."""
    return issue.pages.select_related("issue", "scan").order_by("number")


@dataclass(frozen=True)
class Neighbours:
    previous: object | None
    next: object | None


def page_neighbours(page: Page) -> tuple[Neighbours, Neighbours]:
    """The previous and next page of the issue, and the previous and next issue."""
    pages = page.issue.pages.order_by("number")
    in_issue = Neighbours(
        pages.filter(number__lt=page.number).order_by("-number").first(),
        pages.filter(number__gt=page.number).first(),
    )
    return in_issue, issue_neighbours(page.issue)


def issue_neighbours(issue: Issue) -> Neighbours:
    return Neighbours(
        Issue.objects.filter(date__lt=issue.date).order_by("-date").first(),
        Issue.objects.filter(date__gt=issue.date).order_by("date").first(),
    )


def article_neighbours(article: Article) -> Neighbours:
    """The articles before and after this one on its page."""
    siblings = Article.objects.filter(page_id=article.page_id)
    return Neighbours(
        siblings.filter(seq__lt=article.seq).order_by("-seq").first(),
        siblings.filter(seq__gt=article.seq).order_by("seq").first(),
    )


def related_articles(article: Article, limit: int = 5) -> list[Article]:
    """相关报道: other articles about the same unions, or by the same reporters, nearest in time.

    Shared unions weigh twice a shared reporter; among equals the closer date wins.
    """
    # 待核 unions (articles.union_review) relate nothing until an editor accepts them.
    organization_ids = [o.pk for o in article.organizations.all() if not o.needs_review]
    person_ids = [credit.person_id for credit in article.credits.all()]
    if not organization_ids and not person_ids:
        return []
    candidates = (
        Article.objects.exclude(pk=article.pk)
        .annotate(
            shared_unions=Count(
                "organizations", filter=Q(organizations__in=organization_ids), distinct=True
            ),
            shared_people=Count(
                "credits__person", filter=Q(credits__person__in=person_ids), distinct=True
            ),
        )
        .filter(Q(shared_unions__gt=0) | Q(shared_people__gt=0))
        .values_list("pk", "shared_unions", "shared_people", "page__issue__date")
    )
    date = article.date

    def rank(row: tuple) -> tuple:
        _, unions, people, other_date = row
        return (-(2 * unions + people), abs((other_date - date).days))

    best = [row[0] for row in sorted(candidates, key=rank)[:limit]]
    found = Article.objects.for_listing().in_bulk(best)
    return [found[pk] for pk in best]


def pinyin_key(name: str) -> str:
    """`刘欣欣` → `liu xin xin`: how a Chinese reader expects names to be ordered."""
    return " ".join(lazy_pinyin(name, style=Style.NORMAL, errors="default")).lower()


def initial_letter(name: str) -> str:
    key = pinyin_key(name)
    letter = key[:1].upper()
    return letter if "A" <= letter <= "Z" else "#"


@dataclass(frozen=True)
class DirectoryEntry:
    item: Person | Organization
    article_count: int
    letter: str


def directory(items: QuerySet) -> list[DirectoryEntry]:
    """`items` annotated with article_count, in pinyin order, each with its initial letter."""
    entries = [
        DirectoryEntry(item, item.article_count, initial_letter(item.name)) for item in items
    ]
    return sorted(entries, key=lambda entry: (entry.letter == "#", pinyin_key(entry.item.name)))


def directory_letters(entries: list[DirectoryEntry]) -> list[tuple[str, int]]:
    """Each initial letter present, with how many entries it has, in directory order."""
    return [(letter, len(list(group))) for letter, group in groupby(e.letter for e in entries)]


def reporters_directory() -> list[DirectoryEntry]:
    return directory(
        Person.objects.annotate(article_count=Count("credits__article", distinct=True))
    )


def unions_directory() -> list[DirectoryEntry]:
    unions = shown_to_readers(Organization.objects.all())
    return directory(unions.annotate(article_count=Count("articles")))


def articles_by(person: Person) -> QuerySet[Article]:
    return (
        Article.objects.for_listing()
        .filter(credits__person=person)
        .distinct()
        .order_by("-page__issue__date", "page__number", "seq")
    )


def articles_about(organization: Organization) -> QuerySet[Article]:
    return (
        Article.objects.for_listing()
        .filter(organizations=organization)
        .order_by("-page__issue__date", "page__number", "seq")
    )


def roles_of(person: Person) -> list[tuple[str, int]]:
    """How often a person was credited in each role (记者 12, 摄影 3), most frequent first."""
    counts = Counter(person.credits.values_list("role", flat=True))
    labels = dict(person.credits.model.Role.choices)
    return [(labels.get(role, role), count) for role, count in counts.most_common()]


def articles_per_month(articles: QuerySet[Article]) -> list[tuple[datetime.date, int]]:
    """(first day of month, count) for every month from the first to the last, gaps as 0."""
    rows = (
        articles.order_by()
        .annotate(month=TruncMonth("page__issue__date"))
        .values("month")
        .annotate(count=Count("pk", distinct=True))
        .order_by("month")
    )
    counts = {row["month"]: row["count"] for row in rows}
    if not counts:
        return []
    first, last = min(counts), max(counts)
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        day = datetime.date(year, month, 1)
        months.append((day, counts.get(day, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def reporters_of_union(organization: Organization, limit: int = 10) -> QuerySet[Person]:
    """Who covers the union most: people credited on its articles, with how many."""
    articles = organization.articles.values("pk")
    return (
        Person.objects.filter(credits__article__in=articles)
        .annotate(article_count=Count("credits__article", distinct=True))
        .order_by("-article_count", "name")[:limit]
    )


def co_mentioned_unions(organization: Organization, limit: int = 10) -> QuerySet[Organization]:
    """The unions named most often in the same articles as this one."""
    articles = organization.articles.values("pk")
    return (
        shown_to_readers(Organization.objects.filter(articles__in=articles))
        .exclude(pk=organization.pk)
        .annotate(article_count=Count("articles", distinct=True))
        .order_by("-article_count", "name")[:limit]
    )


def union_on_this_day(organization: Organization, today: datetime.date, limit: int = 5):
    """往年今日 for a union: its articles of this month and day in earlier years."""
    return articles_about(organization).filter(
        page__issue__date__month=today.month,
        page__issue__date__day=today.day,
        page__issue__date__year__lt=today.year,
    )[:limit]
