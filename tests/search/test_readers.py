"""One set of index readers per process, and readers that recover instead of failing on."""

import pytest
from haystack import connections
from whoosh.reading import SegmentReader

from articles.search.indexing import apply_pending_updates
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
