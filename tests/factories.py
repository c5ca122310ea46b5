"""Plain factory functions: each builds the rows a test needs and nothing more.

Like the services they stand in for, the ones that store an article or its credit queue it
for the search index (articles.index_queue.queue_article_updates)."""

import datetime

from articles.index_queue import queue_article_updates
from articles.models import Article, Credit, Issue, Organization, Page, Person


def make_issue(date: datetime.date = datetime.date(2024, 3, 12), **fields) -> Issue:
    return Issue.objects.create(date=date, **fields)


def make_page(issue: Issue | None = None, number: int = 1, **fields) -> Page:
    issue = issue or make_issue()
    fields.setdefault("source_text", "示例版面")
    fields.setdefault("source_sha256", "0" * 64)
    return Page.objects.create(issue=issue, number=number, **fields)


def make_article(page: Page | None = None, seq: int = 1, **fields) -> Article:
    page = page or make_page()
    fields.setdefault("headline", "北辰集团工会干部研修班开班")
    fields.setdefault("paragraphs", ["本报讯（记者 周美玉）近日，北辰集团工会举办工会干部研修班。"])
    article = Article.objects.create(page=page, seq=seq, **fields)
    queue_article_updates([article.pk])
    return article


def make_credit(article: Article, name: str = "周美玉", role: str = Credit.Role.REPORTER) -> Credit:
    person, _ = Person.objects.get_or_create(name=name)
    seq = article.credits.count() + 1  # in byline order, as ingest numbers them
    credit = Credit.objects.create(article=article, person=person, role=role, seq=seq)
    queue_article_updates([article.pk])
    return credit


def make_organization(
    name: str = "北京市总工会", aliases: tuple[str, ...] = (), **fields
) -> Organization:
    organization = Organization.objects.create(name=name, **fields)
    for alias in aliases:
        organization.aliases.create(name=alias)
    return organization


def as_if_parsed(article: Article, **fields) -> Article:
    """The article as an older parser produced it: `fields` both stored and kept as its parse."""
    for name, value in fields.items():
        setattr(article, name, value)
    article.parsed = {**article.parsed, **fields}
    article.save()
    queue_article_updates([article.pk])
    return article
