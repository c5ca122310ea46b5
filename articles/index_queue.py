"""Where the services that change articles queue them for the search index.

Every change that alters an article's search document (the article itself, its credits and
unions, a renamed person or union, a moved page) writes a PendingIndexUpdate row for the
article, inside the transaction that makes the change; after the commit, the search side
(articles/search/indexing.py) rewrites those articles' documents and only then deletes their
rows, so no update is lost to a locked index.

The one way an article reaches the queue is `queue_article_updates(ids)`, called by the
service that changed it (storing a page, a reparse, an upload's issue, a merge, an admin edit,
an import) with every article it touched: created, changed, moved, deleted or retired, and
those whose credits, unions, people's or unions' names, page or issue changed. A service runs
inside `index_queue_transaction()`, which collects the ids of the whole transaction and writes
them in one insert, with one after-commit callback, at its end. No model signal queues
anything (`HAYSTACK_SIGNAL_PROCESSOR` is haystack's inert BaseSignalProcessor), so a bulk
`.update()` or a queryset delete in a service is indexed like any other change. An article
saved outside the services (the shell) is found stale by `manage.py check_index --fix`; other
rows changed there (a person renamed) need `manage.py rebuild_index`.
`articles_affected_by(record)` says which articles an edit of any archive record reaches.

Bulk work (ingesting a directory) runs inside `deferred_index_updates()` and applies the queue
once at the end instead of after every page.

The writers import this module, and it imports none of them (authority among them).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, models, transaction

from articles.models import (
    Article,
    Issue,
    Organization,
    OrganizationAlias,
    Page,
    PendingIndexUpdate,
    Person,
)
from articles.search.indexing import BATCH_SIZE, catch_up_index

_local = threading.local()


def queue_article_updates(article_ids: Iterable[int], using: str = DEFAULT_DB_ALIAS) -> None:
    """Record that these articles' documents are stale; catch the index up after the commit.

    Inside `index_queue_transaction()` the ids are only collected, and written at its end."""
    ids = set(article_ids)
    if not ids:
        return
    collecting = getattr(_local, "collecting", None)
    if collecting is not None and _local.collecting_using == using:
        collecting.update(ids)
        return
    rows = (PendingIndexUpdate(article_id=pk) for pk in sorted(ids))
    PendingIndexUpdate.objects.using(using).bulk_create(rows, batch_size=BATCH_SIZE)
    if getattr(_local, "deferred", 0):
        _local.queued.update(ids)
    else:
        transaction.on_commit(catch_up_index, using=using)


@contextmanager
def index_queue_transaction(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """transaction.atomic() for a service that changes articles: the ids it queues
    (`queue_article_updates`) are written to the queue once, at its end, inside it, in one
    insert with one after-commit callback, instead of one per change.

    The rows commit with the changes; if the block fails, both roll back. Nested, the
    outermost block writes; a block marked for rollback (a dry run) writes nothing.
    """
    with transaction.atomic(using=using):
        if getattr(_local, "collecting", None) is not None:
            yield
            return
        _local.collecting = collected = set()
        _local.collecting_using = using
        try:
            yield
        finally:
            _local.collecting = None
        if not transaction.get_rollback(using=using):
            queue_article_updates(collected, using=using)


def with_descendants(organization: Organization) -> list[Organization]:
    """The organization and every organization under it (children, their children, ...)."""
    found = {organization.pk: organization}
    level = [organization.pk]
    while level:
        children = list(Organization.objects.filter(parent__in=level).exclude(pk__in=found))
        found.update((child.pk, child) for child in children)
        level = [child.pk for child in children]
    return list(found.values())


def articles_affected_by(record: models.Model) -> set[int]:
    """The articles whose search documents carry something of `record` (an article, a person,
    a union, an alias, a page or an issue), as stored now: an edit queues them before and after.
    A union's articles include those of unions under it, whose roll-up (organization_tree)
    carries its names.
    """
    if record.pk is None:
        return set()
    if isinstance(record, Article):
        found = Article.objects.filter(pk=record.pk)
    elif isinstance(record, Person):
        found = Article.objects.filter(credits__person=record)
    elif isinstance(record, Organization):
        found = Article.objects.filter(organizations__in=with_descendants(record))
    elif isinstance(record, OrganizationAlias):
        found = Article.objects.filter(organizations=record.organization_id)
    elif isinstance(record, Page):
        found = Article.objects.filter(page=record)
    elif isinstance(record, Issue):
        found = Article.objects.filter(page__issue=record)
    else:
        raise TypeError(f"no article carries a {type(record).__name__}")
    return set(found.values_list("pk", flat=True))


@contextmanager
def deferred_index_updates() -> Iterator[set[int]]:
    """Queue the updates of this thread's commits inside the block without applying them;
    yields the ids queued, which the caller applies afterwards (`apply_pending_updates`)."""
    if not getattr(_local, "deferred", 0):
        _local.queued = set()
    _local.deferred = getattr(_local, "deferred", 0) + 1
    try:
        yield _local.queued
    finally:
        _local.deferred -= 1
