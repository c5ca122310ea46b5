"""Whoosh's matcher trees evaluated with arrays give Whoosh's own matches and scores, bit for
bit. No database."""

import numpy as np
import pytest
from whoosh import query
from whoosh.matching import ListMatcher

from articles.search.engine.docsets import SegmentCache, SegmentDocs
from articles.search.engine.scoring import Unsupported, best, evaluate
from articles.search.engine.segment_arrays import bitset_mask


def term(word: str, boost: float = 1.0) -> query.Term:
    return query.Term("text", word, boost=boost)


QUERIES = [
    term("工会"),
    term("工会", boost=2.5),
    query.Or([term("工会"), term("职工")]),  # two parts: a union of two
    query.Or([term("工会"), term("职工"), term("文化"), term("之家")]),  # preloaded array
    query.And([term("职工"), term("技能"), term("大赛")]),
    query.Or([query.And([term("劳动"), term("模范")]), term("文化")], boost=1.5),
    query.AndMaybe(term("北京"), term("春运")),
    query.AndNot(term("服务"), term("困难")),
    query.Require(term("帮扶"), term("工会")),
    query.Or([term("工会"), query.Term("tags", "甲")]),
    query.And([term("工会"), term("没有这个词")]),
    query.Or([term("工会"), term("没有这个词")]),
]


def whoosh_scores(matcher) -> dict[int, float]:
    scores = {}
    while matcher.is_active():
        scores[matcher.id()] = matcher.score()
        matcher.next()
    return scores


@pytest.mark.parametrize("q", QUERIES, ids=str)
def test_evaluated_tree_matches_and_scores_as_whoosh_steps_it(index, q):
    with index.searcher() as searcher:
        context = searcher.context()
        for leaf, _ in searcher.leaf_searchers():
            segment = SegmentDocs(leaf.reader(), SegmentCache())
            matched, scores = evaluate(q.matcher(leaf, context), segment)
            expected = whoosh_scores(q.matcher(leaf, context))
            live = bitset_mask(segment.live, segment.size)
            assert np.flatnonzero(matched & live).tolist() == sorted(expected)
            assert {d: scores[d] for d in expected} == expected  # the same floats
            # Asked about some documents only (every other one, and none): the same answers.
            for docs in (np.flatnonzero(live)[::2], np.zeros(0, dtype=np.int64)):
                some_matched, some_scores = evaluate(q.matcher(leaf, context), segment, docs)
                assert docs[some_matched].tolist() == sorted(set(expected) & set(docs.tolist()))
                assert {
                    d: some_scores[i] for i, d in enumerate(docs.tolist()) if some_matched[i]
                } == {d: expected[d] for d in docs.tolist() if d in expected}


def test_an_unknown_matcher_is_left_to_whoosh(index):
    with index.searcher() as searcher:
        leaf, _ = searcher.leaf_searchers()[0]
        segment = SegmentDocs(leaf.reader(), SegmentCache())
        with pytest.raises(Unsupported):
            evaluate(ListMatcher([1, 2]), segment)
        phrase = query.Phrase("text", ["工会", "职工"])
        with pytest.raises(Unsupported):
            evaluate(phrase.matcher(leaf, searcher.context()), segment)


def test_best_takes_highest_scores_and_breaks_ties_by_lower_document():
    docs = np.array([9, 2, 5, 7, 1, 4])
    scores = np.array([1.0, 3.0, 3.0, 0.5, 2.0, 3.0])
    top_docs, top_scores = best(docs, scores, 4)
    assert top_docs.tolist() == [2, 4, 5, 1]
    assert top_scores.tolist() == [3.0, 3.0, 3.0, 2.0]
    assert best(docs, scores, 10)[0].tolist() == [2, 4, 5, 1, 9, 7]
