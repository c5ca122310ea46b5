"""Keeping the search index in step with the database, without ever dropping an update: the
queue the services write (articles/index_queue.py) applied to the index.

After a commit, `apply_pending_updates` rewrites the queued articles' documents and only then
deletes their rows. A write that cannot get the index (Whoosh allows one writer; another may
hold it longer than the backend's WRITE_TIMEOUT) leaves the rows in place, to be applied by the
next try, by `manage.py update_index`, or by `apply_pending_updates()` from anywhere.

Who applies the queue after a commit (`catch_up_index`): with SEARCH_INDEX_WORKER on (the
default without DEBUG), an IndexWorker thread, started in each gunicorn worker by
gunicorn.conf.py or run alone by `manage.py index_worker`, in batches of SEARCH_INDEX_BATCH
articles, so a request returns once its transaction commits; otherwise the committing thread
itself (development, tests).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from contextlib import nullcontext

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import QuerySet
from haystack import connections
from whoosh.index import LockError

from articles.models import Article, PendingIndexUpdate

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_PAUSE = 60.0  # seconds between an index worker's tries while its batches keep failing
# Threads of one process take turns; processes take turns on the index's own write lock.
_apply_lock = threading.Lock()


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
        except LockError as error:
            # Another writer, or a rebuild that applies the queue once its index is live.
            self.failures += 1
            logger.info("index worker: %s; rows stay queued", error)
            return 0
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
