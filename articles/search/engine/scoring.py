"""Whoosh's matcher tree of a query, evaluated for every document of a segment at once.

Whoosh scores a query by stepping its matcher tree document by document in Python; at 100,000
articles a common word has a posting in most of them. Here each posting list is read as numpy
arrays (kept per segment, see SegmentDocs.postings), each node of the very tree Whoosh builds
for the segment becomes one array operation, and the best documents are picked with
np.partition. Scores are the same floats: BM25 is computed with Whoosh's formula in its order
of operations, and nodes add their children in the order and grouping of Whoosh's tree (Whoosh
shapes it by term frequencies in the segment), so ties fall as Whoosh breaks them, to the lower
document number. A node this module does not know raises Unsupported: the caller lets Whoosh
score. No Django or haystack import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import (
    AndMaybeMatcher,
    AndNotMatcher,
    ArrayUnionMatcher,
    FilterMatcher,
    IntersectionMatcher,
    NullMatcherClass,
    RequireMatcher,
    UnionMatcher,
    WrappingMatcher,
)
from whoosh.scoring import BM25FScorer, WeightScorer

from articles.search.engine import whoosh_private

if TYPE_CHECKING:
    from articles.search.engine.docsets import SegmentDocs

# (matched, score): which documents of the segment (or of the documents asked about) match a
# node, and their score (0.0 where they do not, so a parent adds it without changing anything:
# x + 0.0 is x).
Scored = tuple[np.ndarray, np.ndarray]


class Unsupported(Exception):
    """A matcher this module cannot evaluate exactly as Whoosh scores it."""


def evaluate(matcher, segment: SegmentDocs, docs: np.ndarray | None = None) -> Scored:
    """The documents that `matcher` (built on the segment's reader) matches, and their scores:
    arrays over every document of the segment, or over `docs` (document numbers in order)
    alone, which costs their number instead of the segment's size. Checks the segment's
    deadline at every node."""
    segment.deadline.check()
    kind = type(matcher)
    if kind is FilterMatcher and type(matcher.child) is W3LeafMatcher:
        # The reader's mask of deleted documents: callers only ask about live ones.
        return _leaf(matcher.child, segment, docs)
    if kind is W3LeafMatcher:
        return _leaf(matcher, segment, docs)
    if kind is WrappingMatcher:  # a boost
        matched, score = evaluate(matcher.child, segment, docs)
        return matched, score * matcher.boost
    if kind in _PAIRS:
        a, b = evaluate(matcher.a, segment, docs), evaluate(matcher.b, segment, docs)
        return _PAIRS[kind](a, b)
    size = segment.size if docs is None else len(docs)
    if kind is ArrayUnionMatcher:
        # Each sub-matcher's score times the boost, added into a zeroed array in their order.
        score = np.zeros(size)
        submatchers, boost = whoosh_private.union_parts(matcher)
        for sub in submatchers:
            _, sub_score = evaluate(sub, segment, docs)
            score += sub_score * boost
        # Whoosh's array of scores holds no other mark of a match than a score above 0.
        return score > 0, score
    if kind is NullMatcherClass:
        return np.zeros(size, dtype=bool), np.zeros(size)
    raise Unsupported(kind.__name__)


def _union(a: Scored, b: Scored) -> Scored:
    return a[0] | b[0], a[1] + b[1]


def _intersection(a: Scored, b: Scored) -> Scored:
    both = a[0] & b[0]
    return both, np.where(both, a[1] + b[1], 0.0)


def _and_maybe(a: Scored, b: Scored) -> Scored:
    return a[0], np.where(a[0], a[1] + b[1], 0.0)


def _and_not(a: Scored, b: Scored) -> Scored:
    kept = a[0] & ~b[0]
    return kept, np.where(kept, a[1], 0.0)


def _require(a: Scored, b: Scored) -> Scored:
    kept = a[0] & b[0]
    return kept, np.where(kept, a[1], 0.0)


_PAIRS = {
    UnionMatcher: _union,
    IntersectionMatcher: _intersection,
    AndMaybeMatcher: _and_maybe,
    AndNotMatcher: _and_not,
    RequireMatcher: _require,
}


def _leaf(matcher: W3LeafMatcher, segment: SegmentDocs, docs: np.ndarray | None) -> Scored:
    fieldname, text = matcher.term()
    ids, weights, _, _ = segment.postings(fieldname, text)
    if docs is None:
        at, scored = np.arange(len(ids)), ids
    else:  # the postings of the documents asked about
        at = np.minimum(np.searchsorted(ids, docs), max(len(ids) - 1, 0))
        held = (ids[at] == docs) if len(ids) else np.zeros(len(docs), dtype=bool)
        at, scored = at[held], np.flatnonzero(held)
    weights = weights[at].astype(np.float64)  # computed as Whoosh computes: in Python floats
    scorer = matcher.scorer
    if type(scorer) is BM25FScorer:
        lengths = segment.length_array(fieldname)[ids[at]]
        idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        # whoosh.scoring.bm25, operation for operation.
        values = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / avgfl)))
    elif type(scorer) is WeightScorer:  # a field that is not scorable
        values = weights
    else:
        raise Unsupported(type(scorer).__name__)
    size = segment.size if docs is None else len(docs)
    matched = np.zeros(size, dtype=bool)
    matched[scored] = True
    score = np.zeros(size)
    score[scored] = values
    return matched, score


def best(docs: np.ndarray, scores: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """The `limit` best (highest score, then lowest document number), in that order."""
    if len(docs) > limit:
        cut = len(scores) - limit
        threshold = np.partition(scores, cut)[cut]
        keep = scores >= threshold
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((docs, -scores))[:limit]
    return docs[order], scores[order]
