"""Keeping the search index in step with the database, without ever dropping an update.

Every change that alters an article's search document (the article itself, its credits and
unions, a renamed person or union, a moved page) writes a PendingIndexUpdate row for the
article, inside the transaction that makes the change. After the commit, `apply_pending_updates`
rewrites those articles' documents and only then deletes their rows. A write that cannot get
the index (Whoosh allows one writer; another may hold it longer than the backend's
WRITE_TIMEOUT) leaves the rows in place, to be applied by the next try, by
`manage.py update_index`, or by `apply_pending_updates()` from anywhere.

Who applies the queue after a commit (`catch_up_index`): with SEARCH_INDEX_WORKER on (the
default without DEBUG), an IndexWorker thread, started in each gunicorn worker by
gunicorn.conf.py or run alone by `manage.py index_worker`, in batches of SEARCH_INDEX_BATCH
articles, so a request returns once its transaction commits; otherwise the committing thread
itself (development, tests).

The signal receivers below see every change; the services that change many articles at
once (storing a page, an upload's issue, a merge) run inside `index_queue_transaction()`, where
the receivers only collect ids and the block writes them in one insert at its end.

Settings: `HAYSTACK_SIGNAL_PROCESSOR = "articles.search.indexing.QueuedSignalProcessor"`.
Bulk work (ingesting a directory) runs inside `deferred_index_updates()` and applies the queue
once at the end instead of after every page.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import QuerySet, signals
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
MAX_PAUSE = 60.0  # seconds between an index worker's tries while its batches keep failing
# Threads of one process take turns; processes take turns on the index's own write lock.
_apply_lock = threading.Lock()
_local = threading.local()


def queue_article_updates(article_ids: Iterable[int]) -> None:
    """Record that these articles' documents are stale; catch the index up after the commit.

    Inside `index_queue_transaction()` the ids are only collected, and written at its end."""
    ids = set(article_ids)
    if not ids:
        return
    collecting = getattr(_local, "collecting", None)
    if collecting is not None:
        collecting.update(ids)
        return
    PendingIndexUpdate.objects.bulk_create(PendingIndexUpdate(article_id=pk) for pk in ids)
    if getattr(_local, "deferred", 0):
        _local.queued.update(ids)
    else:
        transaction.on_commit(catch_up_index)


@contextmanager
def index_queue_transaction() -> Iterator[None]:
    """transaction.atomic() for a service that changes articles (storing a page, an upload's
    issue, a merge): the updates its changes queue are written to the queue once, at its end,
    inside it, in one insert with one after-commit callback, instead of one per change.

    The rows still commit with the changes; if the block fails, both roll back. Nested, the
    outermost block writes; a block marked for rollback (a dry run) writes nothing.
    """
    with transaction.atomic():
        if getattr(_local, "collecting", None) is not None:
            yield
            return
        _local.collecting = collected = set()
        try:
            yield
        finally:
            _local.collecting = None
        if not transaction.get_rollback():
            queue_article_updates(collected)


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


def pending_update_count() -> int:
    return PendingIndexUpdate.objects.values("article_id").distinct().count()


def waiting_in(articles: QuerySet[Article]) -> int:
    """How many of these articles wait for the index: 0 means it has caught up with them."""
    queued = PendingIndexUpdate.objects.filter(article_id__in=articles.values("pk"))
    return queued.values("article_id").distinct().count()


def still_queued(article_ids: Iterable[int]) -> int:
    """How many of these articles still wait for the index."""
    ids = sorted(set(article_ids))
    return sum(
        PendingIndexUpdate.objects.filter(article_id__in=ids[start : start + BATCH_SIZE])
        .values("article_id")
        .distinct()
        .count()
        for start in range(0, len(ids), BATCH_SIZE)
    )


def apply_pending_updates(
    using: str = "default", batch_size: int = BATCH_SIZE, max_batches: int | None = None
) -> int:
    """Rewrite or remove the documents of every queued article (or of `max_batches` batches);
    return how many.

    Raises what the search backend raises (whoosh.index.LockError after its timeout); the
    rows of the batch that failed stay queued.
    """
    index = connections[using].get_unified_index().get_index(Article)
    backend = connections[using].get_backend()
    applied = batches = 0
    with _apply_lock:
        while max_batches is None or batches < max_batches:
            batches += 1
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
    return applied


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


def catch_up_index() -> None:
    """After a commit: hand the queue to this process's index worker, or, without one (no
    SEARCH_INDEX_WORKER), apply it in this thread."""
    if settings.SEARCH_INDEX_WORKER:
        if _worker is not None:
            _worker.wake()
        return
    apply_pending_updates_or_log()


class IndexWorker:
    """Applies the queue in bounded batches, outside request threads: woken by this process's
    commits, and every `poll_seconds` for those of other processes (the CLI, other workers)."""

    def __init__(self, batch_size: int, poll_seconds: float) -> None:
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.caught_up = threading.Event()  # set whenever a pass found the queue empty
        self.failures = 0
        self._wake = threading.Event()
        self._stop = threading.Event()

    def run_once(self) -> int:
        """Apply one batch; a failure is logged, its rows stay queued for the next pass."""
        try:
            applied = apply_pending_updates(batch_size=self.batch_size, max_batches=1)
        except Exception:
            # A worker that died of one failed batch would leave the index behind for good.
            self.failures += 1
            logger.warning(
                "index worker: batch failed (%d in a row), rows stay queued",
                self.failures,
                exc_info=True,
            )
            return 0
        self.failures = 0
        if not applied:
            self.caught_up.set()
        return applied

    def pause(self) -> float:
        """Seconds to wait for a wake-up: the poll interval, doubled per failure in a row (a
        rebuild holding the index lock, a broken index) up to MAX_PAUSE."""
        return min(self.poll_seconds * 2**self.failures, max(self.poll_seconds, MAX_PAUSE))

    def run(self) -> None:
        try:
            while not self._stop.is_set():
                close_old_connections()  # as a request would: a dropped connection is reopened
                if self.run_once():
                    continue  # more may wait; the index lock was released between batches
                self._wake.wait(self.pause())
                self._wake.clear()
        finally:
            connection.close()

    def wake(self) -> None:
        self.caught_up.clear()
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()


_worker: IndexWorker | None = None
_thread: threading.Thread | None = None
_worker_lock = threading.Lock()


def start_index_worker() -> IndexWorker:
    """This process's index worker, started once, as a daemon thread (gunicorn.conf.py)."""
    global _worker, _thread
    with _worker_lock:
        if _worker is None:
            _worker = IndexWorker(settings.SEARCH_INDEX_BATCH, settings.SEARCH_INDEX_POLL_SECONDS)
            _thread = threading.Thread(target=_worker.run, name="index-worker", daemon=True)
            _thread.start()
        return _worker


def stop_index_worker(timeout: float = 10.0) -> None:
    """Stop the worker and let a batch it is writing finish (its rows are deleted only after)."""
    global _worker, _thread
    with _worker_lock:
        if _worker is not None:
            _worker.stop()
            _thread.join(timeout)
            _worker = _thread = None


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
            # Articles of unions under it carry its names in their roll-up (organization_tree).
            from articles.authority import with_descendants  # authority imports this module

            subtree = Article.objects.filter(organizations__in=with_descendants(instance))
            queue_article_updates(subtree.values_list("pk", flat=True).distinct())

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
