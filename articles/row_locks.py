"""The one order in which writers lock an issue's rows, so that none waits in a circle.

Issue, then page, then the page's articles by id: ingest, reparse and upload confirms
(`locked_issue`, the page, `lock_articles`) and the article admin (`lock_article_pages`, then
the article) all go down that order, never up it. A lock query locks its own table only
(`of=("self",)`): a model's default ordering joins the rows above it, which FOR UPDATE locks
too. That is how an admin save deadlocked with a reparse on PostgreSQL: its lock of the article
(joined to page and issue by Article's ordering) took the article, then waited for the page the
reparse held, while the reparse went on to that article. Now the later writer waits at the
first row the other holds, holding nothing the other needs. On SQLite write transactions
already take turns (transaction_mode IMMEDIATE); the locks are no-ops there.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from articles.models import Article, Issue, Page


def locked_issue(issue_date: datetime.date) -> Issue:
    """The issue of this date, created if need be, locked until the transaction ends.

    Two creators of a new date take turns here: the second waits on the unique date, finds
    the first's row (get_or_create retries its insert's failure in a savepoint) and only
    then looks for the page, which the first has stored by then, instead of inserting it
    again (an IntegrityError)."""
    issue = Issue.objects.select_for_update(of=("self",)).filter(date=issue_date).first()
    if issue is None:
        issue, created = Issue.objects.get_or_create(date=issue_date)
        if not created:  # another writer's, committed meanwhile; a row this one made is its own
            issue = Issue.objects.select_for_update(of=("self",)).get(pk=issue.pk)
    return issue


def lock_articles(page: Page) -> None:
    """Lock the page's articles, in id order, before any of their rows (credits, unions,
    revisions) is written: an admin save holding one of them makes this wait here, not in
    the middle of deleting that article's credits."""
    articles = Article.objects.select_for_update(of=("self",)).filter(page=page)
    list(articles.order_by("pk").values_list("pk"))


def lock_article_pages(page_ids: Iterable[int | None]) -> None:
    """For a save of an article: its page (and the page it moves to), in id order, before
    the article itself."""
    ids = sorted({pk for pk in page_ids if pk is not None})
    pages = Page.objects.select_for_update(of=("self",)).filter(pk__in=ids)
    list(pages.order_by("pk").values_list("pk"))
