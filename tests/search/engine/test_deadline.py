"""A search's time budget: the deadline, and the engine's loops that check it. No database."""

import pytest
from whoosh import query

from articles.search.engine.deadline import (
    NO_DEADLINE,
    Deadline,
    SearchTimeout,
    current_deadline,
    time_budget,
)
from articles.search.engine.docset_search import DeadlineCollector, DocSetSearch
from articles.search.engine.docsets import SegmentCache


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def searcher_sets(searcher, deadline: Deadline) -> DocSetSearch:
    caches: dict[int, SegmentCache] = {}
    return DocSetSearch(
        searcher, lambda reader: caches.setdefault(id(reader), SegmentCache()), deadline
    )


def test_a_deadline_passes_once_its_clock_reaches_the_end():
    clock = Clock()
    deadline = Deadline(3, clock=clock)
    clock.now += 2.9
    deadline.check()
    clock.now += 0.1
    with pytest.raises(SearchTimeout, match="3 秒内没有完成"):
        deadline.check()


def test_a_budget_of_zero_stops_at_the_first_check():
    with pytest.raises(SearchTimeout):
        Deadline(0).check()


def test_time_budget_sets_the_deadline_of_this_thread_for_its_block_only():
    deadline = Deadline(5)
    with time_budget(deadline):
        assert current_deadline() is deadline
    assert current_deadline() is NO_DEADLINE


def test_document_sets_stop_when_the_deadline_passes(index):
    clock = Clock()
    with index.searcher() as searcher:
        sets = searcher_sets(searcher, Deadline(1, clock=clock))
        found = sets.docs(query.Term("text", "工会"))
        clock.now += 1
        with pytest.raises(SearchTimeout):
            sets.docs(query.Term("text", "工会"))
    assert found


def test_a_wildcard_stops_between_the_terms_it_expands_to(index):
    clock = Clock()
    checks = []

    def ticking() -> float:
        checks.append(clock.now)
        clock.now += 1
        return clock.now

    with index.searcher() as searcher:
        # Each reading a second later: made, the query's node, the first term pass; the
        # second term is past the deadline.
        sets = searcher_sets(searcher, Deadline(2.5, clock=ticking))
        with pytest.raises(SearchTimeout):
            sets.docs(query.Prefix("text", ""))  # every term of the field
    assert len(checks) == 4


def test_scoring_stops_when_the_deadline_passes(index):
    clock = Clock()
    with index.searcher() as searcher:
        sets = searcher_sets(searcher, Deadline(1, clock=clock))
        q = query.Or([query.Term("text", "工会"), query.Term("text", "职工")])
        bits = sets.docs(q)
        clock.now += 1
        with pytest.raises(SearchTimeout):
            sets.ranked_page(q, bits, 10)


def test_a_far_deadline_changes_no_result(index):
    q = query.Or([query.Term("text", "工会"), query.Term("text", "职工")])
    with index.searcher() as searcher:
        without = searcher_sets(searcher, NO_DEADLINE)
        far = searcher_sets(searcher, Deadline(3600))
        bits = without.docs(q)
        assert far.docs(q) == bits
        assert far.ranked_page(q, bits, 10) == without.ranked_page(q, bits, 10)


def test_whoosh_stepping_through_matches_stops_at_the_deadline(index):
    with index.searcher() as searcher:
        collector = DeadlineCollector(searcher.collector(limit=5), Deadline(0))
        with pytest.raises(SearchTimeout):
            searcher.search_with_collector(query.Every(), collector)


def test_whoosh_stepping_through_matches_within_the_deadline_finds_what_whoosh_finds(index):
    q = query.Term("text", "工会")
    with index.searcher() as searcher:
        collector = DeadlineCollector(searcher.collector(limit=5), Deadline(3600))
        searcher.search_with_collector(q, collector)
        assert collector.results().top_n == searcher.search(q, limit=5).top_n
