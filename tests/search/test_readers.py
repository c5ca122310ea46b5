"""One set of index readers per process, and readers that recover instead of failing on."""

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from haystack import connections
from whoosh.reading import SegmentReader

from articles.search.indexing import apply_pending_updates
from articles.search.readers import ArticleCodec
from articles.search.service import warm_up
from tests.factories import make_article
from tests.search.helpers import count, in_thread

pytestmark = pytest.mark.django_db


def test_threads_have_their_own_backends_but_share_the_index_and_its_reader():
    make_article()
    apply_pending_updates()

    def searched():
        backend = connections["default"].get_backend()
        found = count()
        return backend, backend.index, backend.index.shared_reader(), found

    mine, theirs = searched(), in_thread(searched)
    assert mine[0] is not theirs[0]
    assert (mine[1], mine[2], mine[3]) == (theirs[1], theirs[2], 1)
    assert mine[1].segment_cache(mine[2]) is theirs[1].segment_cache(theirs[2])


def test_the_segments_of_an_index_share_one_budget_of_recent_values():
    first = make_article(headline="第一段工会")
    apply_pending_updates()
    make_article(page=first.page, seq=2, headline="第二段工会")
    apply_pending_updates()  # a second segment
    assert count() == 2
    index = connections["default"].get_backend().index
    with index.search_lock:
        first, second = (reader for reader, _ in index.shared_reader().leaf_readers())
        caches = index.segment_cache(first), index.segment_cache(second)
    assert caches[0] is not caches[1] and caches[0].recent is caches[1].recent
    assert caches[0].recent.sets.bytes > 0


def test_a_search_reopens_a_reader_that_was_closed_under_it():
    make_article()
    apply_pending_updates()
    assert count() == 1
    connections["default"].get_backend().index.shared_reader().close()
    assert count() == 1
    assert in_thread(count) == 1


def test_a_search_reopens_the_index_when_a_file_vanished_under_its_reader(monkeypatch):
    make_article()
    apply_pending_updates()
    assert count() == 1
    original = SegmentReader.postings
    failures = []

    def vanished_once(self, *args, **kwargs):
        if not failures:
            failures.append(args)
            raise FileNotFoundError("segment file deleted by a rebuild")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SegmentReader, "postings", vanished_once)
    assert count("北辰") == 1
    assert len(failures) == 1


def test_the_warm_up_fills_the_caches_request_threads_use():
    make_article()
    apply_pending_updates()
    warm_up()

    def cached_columns():
        backend = connections["default"].get_backend()
        backend.setup()  # as a request thread's first search does
        index = backend.index
        with index.search_lock:
            return set(index.segment_cache(index.shared_reader().leaf_readers()[0][0]).facets)

    assert in_thread(cached_columns) >= {"organizations", "organization_tree", "reporters"}


def test_the_warm_up_counts_the_whole_archive_without_the_database():
    make_article()
    apply_pending_updates()
    with CaptureQueriesContext(connection) as queries:
        warm_up()
    assert not queries.captured_queries  # gunicorn runs it before forking
    index = connections["default"].get_backend().index
    with index.search_lock:
        cache = index.segment_cache(index.shared_reader().leaf_readers()[0][0])
        assert set(cache.live_counts) >= {"organizations", "reporters", "kind", "year_month"}


def test_a_forked_worker_opens_its_own_reader_and_keeps_the_caches(monkeypatch):
    make_article()
    apply_pending_updates()
    warm_up()
    index = connections["default"].get_backend().index
    with index.search_lock:
        parent = index.shared_reader()
        cache = index.segment_cache(parent.leaf_readers()[0][0])
        monkeypatch.setattr(os, "getpid", lambda: -1)  # as in a gunicorn worker after fork
        child = index.shared_reader()
        assert child is not parent
        assert index.segment_cache(child.leaf_readers()[0][0]) is cache


def test_segments_are_written_by_the_codec_without_length_statistics():
    make_article()
    apply_pending_updates()
    index = connections["default"].get_backend().index
    with index.search_lock:
        segment = index.shared_reader().leaf_readers()[0][0].segment()
    assert isinstance(segment.codec(), ArticleCodec)
    assert not segment.codec().length_stats
