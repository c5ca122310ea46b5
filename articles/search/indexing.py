"""Keeping the search index in step with the database, without ever dropping an update.

Every change that alters an article's search document (the article itself, its credits and
unions, a renamed person or union, a moved page) writes a PendingIndexUpdate row for the
article, inside the transaction that makes the change. After the commit, `apply_pending_updates`
rewrites those articles' documents and only then deletes their rows. A write that cannot get
the index (Whoosh allows one writer; another may hold it longer than the backend's
WRITE_TIMEOUT) leaves the rows in place, to be applied by the next commit, by
`manage.py update_index`, or by `apply_pending_updates()` from anywhere.

Settings: `HAYSTACK_SIGNAL_PROCESSOR = "articles.search.indexing.QueuedSignalProcessor"`.
Bulk work (ingesting a directory) runs inside `deferred_index_updates()` and applies the queue
once at the end instead of after every page.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext

from django.db import connection, transaction
from django.db.models import signals
from haystack import connections
from haystack.signals import BaseSignalProcessor

from articles.models import (
    Article,
    Credit,
    Issue,
    Organization,
    OrganizationAlias,
    Page,
    PendingIndexUpdate,
    Person,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# Threads of one process take turns; processes take turns on the index's own write lock.
_apply_lock = threading.Lock()
_local = threading.local()


def queue_article_updates(article_ids: Iterable[int]) -> None:
    """Record that these articles' documents are stale; apply the queue after the commit."""
    ids = set(article_ids)
    if not ids:
        return
    PendingIndexUpdate.objects.bulk_create(PendingIndexUpdate(article_id=pk) for pk in ids)
    if not getattr(_local, "deferred", 0):
        transaction.on_commit(apply_pending_updates_or_log)


@contextmanager
def deferred_index_updates() -> Iterator[None]:
    """Queue the updates of this thread's commits inside the block without applying them.

    The caller applies them afterwards with `apply_pending_updates()`.
    """
    _local.deferred = getattr(_local, "deferred", 0) + 1
    try:
        yield
    finally:
        _local.deferred -= 1


def pending_update_count() -> int:
    return PendingIndexUpdate.objects.values("article_id").distinct().count()


def apply_pending_updates(using: str = "default", batch_size: int = BATCH_SIZE) -> int:
    """Rewrite or remove the documents of every queued article; return how many.

    Raises what the search backend raises (whoosh.index.LockError after its timeout); the
    rows of the batch that failed stay queued.
    """
    index = connections[using].get_unified_index().get_index(Article)
    backend = connections[using].get_backend()
    applied = 0
    with _apply_lock:
        while True:
            with _claiming_transaction():
                pending = PendingIndexUpdate.objects.all()
                if connection.features.has_select_for_update_skip_locked:
                    # PostgreSQL: another process skips the rows this one is applying.
                    pending = pending.select_for_update(skip_locked=True)
                rows = list(pending.values_list("pk", "article_id")[:batch_size])
                if not rows:
                    return applied
                ids = {article_id for _, article_id in rows}
                # Lazy: the backend reads the articles once it holds the write lock.
                backend.update(index, index.index_queryset(using).filter(pk__in=ids))
                existing = set(Article.objects.filter(pk__in=ids).values_list("pk", flat=True))
                for gone in sorted(ids - existing):
                    backend.remove(f"{Article._meta.label_lower}.{gone}")
                PendingIndexUpdate.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
            applied += len(ids)


def _claiming_transaction():
    """Where rows can be locked, hold them for the batch; elsewhere (SQLite, whose transactions
    lock the whole database) take no transaction, so the index write blocks no other writer.
    Two processes may then apply the same rows: harmless, each reads the articles afresh."""
    if connection.features.has_select_for_update_skip_locked:
        return transaction.atomic()
    return nullcontext()


def apply_pending_updates_or_log() -> None:
    """After a commit: a failure is logged and the rows wait for the next try; the commit stands."""
    try:
        apply_pending_updates()
    except Exception:
        logger.warning(
            "search index not updated yet; %d article(s) stay queued",
            pending_update_count(),
            exc_info=True,
        )


class QueuedSignalProcessor(BaseSignalProcessor):
    """haystack's hook for index updates: queue the articles each change touches."""

    def receivers(self) -> list[tuple[signals.ModelSignal, object, type]]:
        return [
            (signals.post_save, self.article_changed, Article),
            (signals.post_delete, self.article_changed, Article),
            (signals.post_save, self.credit_changed, Credit),
            (signals.post_delete, self.credit_changed, Credit),
            (signals.m2m_changed, self.organizations_changed, Article.organizations.through),
            (signals.post_save, self.person_changed, Person),
            (signals.post_save, self.organization_changed, Organization),
            (signals.post_save, self.alias_changed, OrganizationAlias),
            (signals.post_delete, self.alias_changed, OrganizationAlias),
            (signals.post_save, self.page_changed, Page),
            (signals.post_save, self.issue_changed, Issue),
        ]

    def setup(self) -> None:
        for signal, receiver, sender in self.receivers():
            signal.connect(receiver, sender=sender)

    def teardown(self) -> None:
        for signal, receiver, sender in self.receivers():
            signal.disconnect(receiver, sender=sender)

    def article_changed(self, instance: Article, **kwargs) -> None:
        queue_article_updates([instance.pk])

    def credit_changed(self, instance: Credit, **kwargs) -> None:
        queue_article_updates([instance.article_id])

    def organizations_changed(self, instance, action: str, reverse: bool, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "pre_clear"):
            return
        if not reverse:
            queue_article_updates([instance.pk])
        elif action == "pre_clear":
            queue_article_updates(instance.articles.values_list("pk", flat=True))
        else:
            queue_article_updates(pk_set or ())

    def person_changed(self, instance: Person, created: bool, **kwargs) -> None:
        if not created:
            queue_article_updates(instance.credits.values_list("article_id", flat=True))

    def organization_changed(self, instance: Organization, created: bool, **kwargs) -> None:
        if not created:
            queue_article_updates(instance.articles.values_list("pk", flat=True))

    def alias_changed(self, instance: OrganizationAlias, **kwargs) -> None:
        articles = Article.objects.filter(organizations=instance.organization_id)
        queue_article_updates(articles.values_list("pk", flat=True))

    def page_changed(self, instance: Page, created: bool, **kwargs) -> None:
        if not created:
            queue_article_updates(instance.articles.values_list("pk", flat=True))

    def issue_changed(self, instance: Issue, created: bool, **kwargs) -> None:
        if not created:
            queue_article_updates(
                Article.objects.filter(page__issue=instance).values_list("pk", flat=True)
            )
