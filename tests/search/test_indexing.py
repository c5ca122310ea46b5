"""The index follows every committed change, and no update is lost to Whoosh's writer lock."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from haystack import connections
from haystack.query import SearchQuerySet

from articles.identity import retire_articles
from articles.index_queue import (
    deferred_index_updates,
    index_queue_transaction,
    queue_article_updates,
)
from articles.models import Article, PendingIndexUpdate
from articles.search.consistency import index_drift
from articles.search.indexing import (
    IndexWorker,
    apply_pending_updates,
    start_index_worker,
    stop_index_worker,
)
from tests.factories import make_article, make_issue, make_page


def indexed(**filters) -> set[int]:
    return {int(result.pk) for result in SearchQuerySet().models(Article).filter(**filters)}


def all_indexed() -> set[int]:
    return {int(result.pk) for result in SearchQuerySet().models(Article).all()}


@pytest.mark.django_db
def test_queued_create_update_and_retirement_reach_the_index_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(headline="职工之家揭牌", paragraphs=["职工之家正式揭牌。"])
    assert indexed(content="职工之家") == {article.pk}

    with django_capture_on_commit_callbacks(execute=True), index_queue_transaction():
        article.paragraphs = ["劳模工作室正式揭牌。"]
        article.headline = "劳模工作室揭牌"
        article.save()
        queue_article_updates([article.pk])
    assert indexed(content="职工之家") == set()
    assert indexed(content="劳模工作室") == {article.pk}

    with django_capture_on_commit_callbacks(execute=True), index_queue_transaction():
        retire_articles([article])  # a queryset delete: no signal, the service queues it
    assert all_indexed() == set()
    assert not PendingIndexUpdate.objects.exists()


@pytest.mark.django_db
def test_no_model_signal_queues_anything_and_check_index_repairs_a_change_made_outside(
    django_capture_on_commit_callbacks,
):
    article = make_article(headline="职工之家揭牌")
    apply_pending_updates()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article.headline = "劳模工作室揭牌"
        article.save()  # as the shell would: outside every service
    assert (callbacks, PendingIndexUpdate.objects.exists()) == ([], False)
    assert index_drift().stale == [article.pk]

    call_command("check_index", "--fix", stdout=io.StringIO())
    assert indexed(content="劳模工作室") == {article.pk}


@pytest.mark.django_db
def test_deferred_updates_wait_for_the_caller(django_capture_on_commit_callbacks):
    with deferred_index_updates(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        article = make_article()
    assert not callbacks and all_indexed() == set()
    assert apply_pending_updates() == 1
    assert all_indexed() == {article.pk}


def hold_index_lock():
    """Another writer (as another process would be) holding Whoosh's single write lock."""
    backend = connections["default"].get_backend()
    backend.setup()
    return backend.index.writer()


@pytest.mark.django_db
def test_a_held_lock_delays_the_update_and_loses_nothing(django_capture_on_commit_callbacks):
    backend = connections["default"].get_backend()
    backend.write_timeout = 0.2
    foreign_writer = hold_index_lock()
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(headline="职工之家揭牌")  # the write times out: logged, kept
    assert PendingIndexUpdate.objects.filter(article_id=article.pk).exists()
    foreign_writer.cancel()

    assert all_indexed() == set()
    assert apply_pending_updates() == 1
    assert indexed(content="职工之家") == {article.pk}
    assert not PendingIndexUpdate.objects.exists()


@pytest.mark.django_db
def test_a_briefly_held_lock_is_waited_for():
    backend = connections["default"].get_backend()
    backend.write_timeout = 10
    make_article()
    foreign_writer = hold_index_lock()
    threading.Timer(0.3, foreign_writer.cancel).start()
    assert apply_pending_updates() == 1
    assert len(all_indexed()) == 1


@pytest.mark.django_db(transaction=True)
def test_two_threads_writing_at_once_lose_no_update():
    """Each thread commits articles one by one, and each commit writes the index."""
    page = make_page(make_issue(), number=1)
    per_thread = 15
    errors = []

    def write(first_seq: int) -> None:
        try:
            for seq in range(first_seq, first_seq + per_thread):
                with transaction.atomic():
                    article = make_article(page, seq=seq, headline=f"报道{seq}")
                with index_queue_transaction():
                    article.headline = f"修改后的报道{seq}"
                    article.save()
                    queue_article_updates([article.pk])
        except Exception as error:  # noqa: BLE001 - asserted below; a thread would swallow it
            errors.append(error)
        finally:
            connection.close()  # each thread has its own; the test database must be dropped

    threads = [threading.Thread(target=write, args=(first,)) for first in (1, 1 + per_thread)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert not PendingIndexUpdate.objects.exists()
    assert all_indexed() == set(Article.objects.values_list("pk", flat=True))
    assert len(indexed(content='"修改后的报道"')) == 2 * per_thread


@pytest.mark.django_db
def test_with_the_worker_a_commit_only_queues_and_the_worker_applies_bounded_batches(
    settings, django_capture_on_commit_callbacks
):
    settings.SEARCH_INDEX_WORKER = True
    page = make_page()
    with django_capture_on_commit_callbacks(execute=True):
        articles = [make_article(page, seq=seq, headline=f"报道{seq}") for seq in range(1, 6)]
    assert all_indexed() == set()  # the committing thread wrote nothing to the index

    worker = IndexWorker(batch_size=2, poll_seconds=60)
    assert [worker.run_once() for _ in range(4)] == [2, 2, 1, 0]
    assert all_indexed() == {a.pk for a in articles}
    assert worker.caught_up.is_set() and not PendingIndexUpdate.objects.exists()


@pytest.mark.django_db
def test_a_failed_batch_leaves_the_worker_alive_and_the_rows_queued():
    backend = connections["default"].get_backend()
    backend.write_timeout = 0.1
    article = make_article()
    foreign_writer = hold_index_lock()
    worker = IndexWorker(batch_size=10, poll_seconds=2)
    assert worker.run_once() == 0 and not worker.caught_up.is_set()
    assert worker.run_once() == 0 and worker.pause() == 8  # it waits longer while failing
    foreign_writer.cancel()
    assert worker.run_once() == 1 and worker.pause() == 2
    assert all_indexed() == {article.pk}


@pytest.mark.django_db(transaction=True)
def test_the_worker_thread_is_woken_by_a_commit(settings):
    settings.SEARCH_INDEX_WORKER = True
    worker = start_index_worker()
    try:
        assert worker.caught_up.wait(10)  # the empty queue, first
        worker.caught_up.clear()
        article = make_article()  # autocommit: the commit wakes the worker
        assert worker.caught_up.wait(10)
        assert all_indexed() == {article.pk}
        assert not PendingIndexUpdate.objects.exists()
    finally:
        stop_index_worker()
