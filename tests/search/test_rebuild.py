"""rebuild_index while the site serves: readers see the old index whole until the swap."""

import io
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from haystack import connections
from whoosh.index import LockError

from articles.index_queue import deferred_index_updates
from articles.models import Article, PendingIndexUpdate
from articles.search.engine.index_check import check_index_files
from articles.search.indexing import apply_pending_updates
from articles.search.rebuild import rebuild_search_index
from tests.factories import make_article, make_page
from tests.search.helpers import DAMAGE, count, in_thread

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def six_articles() -> list[Article]:
    """Six articles indexed in one commit, so in one segment (DAMAGE harms its files)."""
    with deferred_index_updates():
        page = make_page()
        articles = [
            make_article(page, seq=n, headline=f"职工报道{n}", paragraphs=["旧版本。"])
            for n in range(1, 7)
        ]
    apply_pending_updates()
    return articles


def test_searches_during_a_rebuild_see_the_whole_old_index_then_the_new(six_articles):
    with deferred_index_updates():  # changed in the database only: the index keeps 旧版本
        Article.objects.filter(pk__in=[a.pk for a in six_articles]).update(
            paragraphs=["新版本"], body="新版本"
        )
    PendingIndexUpdate.objects.all().delete()
    seen = []

    def search_from_another_thread(done: int, total: int) -> None:
        seen.append((done, in_thread(lambda: (count("旧版本"), count("新版本")))))

    assert rebuild_search_index(batch_size=2, progress=search_from_another_thread) == 6
    assert seen == [(2, (6, 0)), (4, (6, 0)), (6, (6, 0))]
    assert (count("旧版本"), count("新版本")) == (0, 6)
    assert in_thread(lambda: (count("旧版本"), count("新版本"))) == (0, 6)


def test_an_update_during_a_rebuild_waits_and_stays_queued(six_articles):
    target = six_articles[0]
    outcomes = []

    def edit_from_another_thread(done: int, total: int) -> None:
        if done > 2:
            return

        def edit():
            connections["default"].get_backend().write_timeout = 0.1
            Article.objects.filter(pk=target.pk).update(headline="改过的标题")
            PendingIndexUpdate.objects.create(article_id=target.pk)
            try:
                apply_pending_updates()
            except LockError:
                return "queued"
            return "applied"

        outcomes.append(in_thread(edit))

    rebuild_search_index(batch_size=2, progress=edit_from_another_thread)
    assert outcomes == ["queued"]
    assert PendingIndexUpdate.objects.filter(article_id=target.pk).exists()
    apply_pending_updates()  # what the rebuild_index command does next
    assert count("改过的标题") == 1


def test_a_rebuild_after_a_clear_fills_the_index(six_articles):
    connections["default"].get_backend().clear()
    assert count("职工") == 0
    assert rebuild_search_index() == 6
    assert count("职工") == 6


def test_rebuild_index_waits_for_another_writer_then_fails_leaving_the_index(six_articles):
    backend = connections["default"].get_backend()
    backend.rebuild_wait = 0.1
    held = backend.index.lock("WRITELOCK")
    assert held.acquire()
    try:
        with pytest.raises(CommandError, match="another process"):
            call_command("rebuild_index", "--noinput", stdout=io.StringIO())
    finally:
        held.release()
    assert count("职工") == 6


def test_a_rebuild_removes_what_a_killed_rebuild_left(six_articles, tmp_path):
    left = tmp_path / ".whoosh_index.rebuild-999999"
    left.mkdir()
    (left / "MAIN_half.seg").write_bytes(b"partial")
    assert rebuild_search_index() == 6
    assert not left.exists()
    assert count("职工") == 6


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_rebuild_index_repairs_any_damage_without_reading_the_damaged_index(six_articles, damage):
    harm, _ = DAMAGE[damage]
    harm(connections["default"].get_backend().path)
    connections.reload("default")  # a new process: setting up must not read the index either
    out = io.StringIO()
    call_command("rebuild_index", "--noinput", stdout=out)
    assert "Indexing 6 articles: done" in out.getvalue()
    backend = connections["default"].get_backend()
    assert check_index_files(backend.index, thorough=True).documents == 6
    assert (count("职工"), in_thread(count)) == (6, 0)


def test_a_rebuild_waits_for_the_write_in_progress_while_new_writes_stay_queued(
    six_articles, monkeypatch
):
    """Under uploads the queue's writers took the lock in turn and the rebuild timed out."""
    from articles.search import backend as backend_module

    backend = connections["default"].get_backend()
    waiting, real_write_lock = threading.Event(), backend_module.write_lock

    def write_lock_announced(*args, **kwargs):
        waiting.set()
        return real_write_lock(*args, **kwargs)

    monkeypatch.setattr(backend_module, "write_lock", write_lock_announced)
    writing = backend.index.lock("WRITELOCK")  # a queue writer in the middle of its batch
    assert writing.acquire()
    rebuilt = []
    rebuild = threading.Thread(target=lambda: rebuilt.append(rebuild_search_index()))
    rebuild.start()
    waiting.wait()
    target = six_articles[0]
    Article.objects.filter(pk=target.pk).update(headline="重建时改的标题")
    PendingIndexUpdate.objects.create(article_id=target.pk)
    with pytest.raises(LockError, match="rebuild of the search index is under way"):
        apply_pending_updates()  # a second writer does not wait for the lock: it stays queued
    writing.release()
    rebuild.join()
    assert rebuilt == [6]
    assert PendingIndexUpdate.objects.filter(article_id=target.pk).exists()
    apply_pending_updates()  # what rebuild_index does next
    assert (count("重建时改的标题"), count("旧版本")) == (1, 6)
