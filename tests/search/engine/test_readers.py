"""One set of index readers per process, and readers that recover instead of failing on."""

import os
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from haystack import connections
from haystack.query import SearchQuerySet
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.query import Term
from whoosh.reading import SegmentReader

from articles.index_queue import queue_article_updates
from articles.search.engine import whoosh_private
from articles.search.engine.readers import (
    MAX_SEGMENTS,
    MERGE_FACTOR,
    MERGE_MIN_DOCUMENTS,
    ArticleCodec,
    ArticleFileIndex,
    merge_grown,
    segments_to_merge,
)
from articles.search.indexing import apply_pending_updates
from articles.search.service import warm_up, words_or_exact
from tests.factories import make_article, make_page
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


def _plain_index(folder) -> ArticleFileIndex:
    schema = Schema(id=ID(stored=True, unique=True), text=TEXT(stored=True))
    FileStorage(str(folder)).create_index(schema, indexname="MAIN")
    return ArticleFileIndex(FileStorage(str(folder)), schema, "MAIN")


def _update_in_batches(index: ArticleFileIndex, ids: range, size: int, mergetype) -> list:
    """Update the documents `ids`, `size` a commit; each segment's (stored, deleted)."""
    for start in range(ids.start, ids.stop, size):
        writer = index.writer()
        for n in range(start, min(start + size, ids.stop)):
            writer.update_document(id=str(n), text=f"更新 {n}")
        writer.commit(mergetype=mergetype)
    return [(s.doc_count_all(), s.deleted_count()) for s in whoosh_private.segments(index)]


@dataclass(eq=False)
class FakeSegment:
    """What the merge policy reads of a Whoosh segment."""

    stored: int
    deleted: int = 0

    def doc_count_all(self) -> int:
        return self.stored

    def deleted_count(self) -> int:
        return self.deleted

    def doc_count(self) -> int:
        return self.stored - self.deleted


def test_a_segment_a_quarter_deleted_is_rewritten_and_one_less_is_kept():
    quarter, less = FakeSegment(40_000, 10_000), FakeSegment(40_000, 9_999)
    assert segments_to_merge([quarter, less]) == [quarter]
    assert segments_to_merge([less]) == []


def test_only_the_most_deleted_segment_is_rewritten_at_one_commit():
    third, half = FakeSegment(60_000, 20_000), FakeSegment(30_000, 15_000)
    assert segments_to_merge([third, half]) == [half]


def test_a_segment_below_the_minimum_is_not_rewritten_for_its_deletions():
    assert segments_to_merge([FakeSegment(MERGE_MIN_DOCUMENTS - 1, 90)]) == []


def test_a_full_tier_of_small_segments_is_merged_without_the_large_ones():
    large = [FakeSegment(50_000, 100), FakeSegment(50_000)]
    small = [FakeSegment(200, 10) for _ in range(MERGE_FACTOR)]
    assert segments_to_merge(large + small[:-1]) == []
    assert segments_to_merge(large + small) == small


def test_the_lowest_full_tier_is_merged_first_its_smallest_segments():
    middle = [FakeSegment(2_000 + n) for n in range(MERGE_FACTOR + 1)]
    small = [FakeSegment(300 - n) for n in range(MERGE_FACTOR)]
    assert segments_to_merge(middle + small) == sorted(small, key=lambda s: s.stored)
    assert segments_to_merge(middle) == middle[:MERGE_FACTOR]


def test_the_smallest_segments_are_merged_beyond_the_most_kept():
    # One segment per tier, so no tier is full.
    tiers = [FakeSegment(MERGE_MIN_DOCUMENTS * MERGE_FACTOR**n) for n in range(MAX_SEGMENTS)]
    assert segments_to_merge(tiers[1:]) == []
    assert segments_to_merge(tiers) == tiers[:1]


@pytest.mark.parametrize(
    ("mergetype", "stored"),
    [(None, 140), (merge_grown, 100)],  # Whoosh's default keeps every deleted document
    ids=["whoosh", "merge_grown"],
)
def test_a_large_segment_is_rewritten_once_updates_deleted_a_quarter_of_it(
    tmp_path, mergetype, stored
):
    index = _plain_index(tmp_path)
    writer = index.writer()
    for n in range(1000):
        writer.add_document(id=str(n), text=f"原文 {n}")
    writer.commit()
    segments = _update_in_batches(index, range(400), 10, mergetype)
    # Documents in the files, deleted or not; what the last commits deleted waits for more.
    assert stored * 10 <= sum(count for count, _ in segments) < stored * 10 + 250
    assert index.doc_count() == 1000
    with index.searcher() as searcher:
        assert len(searcher.search(Term("text", "更新"), limit=None)) == 400


def test_segments_beyond_the_most_kept_are_merged(tmp_path):
    index = _plain_index(tmp_path)
    for n in range(3 * MAX_SEGMENTS):  # one new document a commit: nothing deleted
        writer = index.writer()
        writer.add_document(id=str(n), text="原文")
        writer.commit(mergetype=merge_grown)
    assert len(whoosh_private.segments(index)) <= MAX_SEGMENTS
    assert index.doc_count_all() == 3 * MAX_SEGMENTS


def test_many_small_updates_are_merged_and_searches_answer_the_same():
    page = make_page()
    articles = [
        make_article(page, seq=n, headline=f"职工报道{n}", paragraphs=[f"工会第{n}次技能大赛。"])
        for n in range(1, 21)
    ]
    apply_pending_updates()
    words = ["职工", "工会", "技能大赛", "报道7"]
    before = {
        word: sorted(SearchQuerySet().filter(words_or_exact(word)).values_list("pk", flat=True))
        for word in words
    }
    for _ in range(3):
        for article in articles:  # 60 commits, each deleting a document and adding it again
            queue_article_updates([article.pk])
    index = connections["default"].get_backend().index
    segments = whoosh_private.segments(index)
    assert len(segments) <= MAX_SEGMENTS
    # Without merging the files would hold 80 documents, 60 of them deleted.
    assert sum(s.doc_count_all() for s in segments) < 40
    after = {
        word: sorted(SearchQuerySet().filter(words_or_exact(word)).values_list("pk", flat=True))
        for word in words
    }
    assert after == before
