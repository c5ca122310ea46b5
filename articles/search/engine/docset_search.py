"""One search over an index's segments with document sets: matches, facet counts, and the
page of matches in order, scoring or sorting only as many documents as the page needs.

Ranking follows Whoosh's BM25F score: each exact-string part (ExactScoreQuery) a document
contains adds EXACT_SCORE, so documents come in tiers of how many they contain, and within a
tier by the rest of the query, which Whoosh scores for the few best only. No Django or
haystack import.
"""

from __future__ import annotations

import heapq
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from operator import itemgetter

import numpy as np
from whoosh import query
from whoosh.collectors import Collector, FilterCollector, TopCollector, WrappingCollector
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.reading import IndexReader
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from articles.search.engine.deadline import NO_DEADLINE, Deadline
from articles.search.engine.docsets import (
    EXACT_SCORE,
    DocSet,
    ExactScoreQuery,
    Matches,
    SegmentCache,
    SegmentDocs,
)
from articles.search.engine.scoring import Unsupported, best, evaluate
from articles.search.engine.segment_arrays import bitset_mask, doc_array, docnums

# Fewer allowed documents than a segment's size over this: ranking reads the postings of those
# documents alone (a binary search each) instead of arrays as long as the segment.
SCORE_FEW = 8


class _Unranked(Exception):
    """A query whose score is not a sum the document sets can rank by (Whoosh scores it)."""


def _rest(node: query.Query, required: bool, exact: list) -> query.Query | None:
    """`node` without its exact-string parts, which go to `exact`, for ranking documents that
    match the same exact parts. `required`: every match of the whole query matches `node`, so
    an And adds up whichever of its parts a document has, and parts every match has (filters,
    constant scores) change no order and are left out."""
    kind = type(node)
    if isinstance(node, ExactScoreQuery):
        if node.boost != 1.0:
            raise _Unranked
        exact.append(node.child)
        return None
    if kind is query.Or and not node.minmatch:
        parts = [_rest(sub, False, exact) for sub in node.subqueries]
        return _joined(query.Or, parts, node.boost)
    if kind in (query.And, query.AndMaybe, query.AndNot, query.Require, query.Not):
        if not required:
            if _has_exact(node):
                raise _Unranked  # an exact part counts only where the rest matches too
            return node
        if kind is query.Not:
            return None
        if kind is query.And:
            parts = [_rest(sub, True, exact) for sub in node.subqueries]
            return _joined(query.Or, parts, node.boost)
        first = _rest(node.a, True, exact)
        if kind is query.AndMaybe:
            return _joined(query.Or, [first, _rest(node.b, False, exact)], node.boost)
        return first  # AndNot and Require: only the first part scores
    if isinstance(node, query.ConstantScoreQuery | query.NumericRange | query.Every):
        if required:
            return None
        raise _Unranked
    if isinstance(node, query.Term | query.Phrase | query.MultiTerm):
        return node
    raise _Unranked


def _joined(kind: type, parts: list, boost: float) -> query.Query | None:
    parts = [part for part in parts if part is not None]
    if not parts:
        return None
    return kind(parts, boost=boost) if len(parts) > 1 or boost != 1.0 else parts[0]


def _has_exact(node: query.Query) -> bool:
    return isinstance(node, ExactScoreQuery) or any(map(_has_exact, node.children()))


class DocSetSearch:
    """One search over a searcher's segments with document sets (SegmentDocs): the matches as
    one bitset of global document numbers, facet counts, and the page of matches in order,
    scoring or sorting only as many documents as the page needs; SearchTimeout once
    `deadline` has passed."""

    def __init__(
        self,
        searcher: Searcher,
        cache_of: Callable[[IndexReader], SegmentCache],
        deadline: Deadline = NO_DEADLINE,
    ):
        self.searcher = searcher
        self.deadline = deadline
        self.segments = [
            (SegmentDocs(reader, cache_of(reader), deadline), offset)
            for reader, offset in searcher.reader().leaf_readers()
        ]

    def docs(self, q: query.Query) -> int:
        bits = 0
        for segment, offset in self.segments:
            bits |= (segment.docs(q) & segment.live) << offset
        return bits

    def _local(self, bits: int) -> Iterator[tuple[SegmentDocs, int, int]]:
        """Each segment with matches, its offset and its matches as a local bitset."""
        for segment, offset in self.segments:
            local = (bits >> offset) & segment.everything
            if local:
                yield segment, offset, local

    def facets(self, bits: int, fieldnames: Iterable[str]) -> dict[str, list]:
        """haystack's facet lists: (value, count), most frequent first, None for no value."""
        counts: dict[str, Counter] = {name: Counter() for name in fieldnames}
        for segment, _, local in self._local(bits):
            matches = Matches(local, segment.size)
            for name, total in counts.items():
                total.update(segment.counts(name, matches))
        facets = {}
        for name, total in counts.items():
            none = total.pop(None, None)
            # Most frequent first, then by value: a stable sort by count after one by value
            # (C comparisons; a key tuple per value cost 5 ms with 4,000 unions).
            values = sorted(total.items())
            values.sort(key=itemgetter(1), reverse=True)
            if none is not None:  # where haystack puts it: before the first smaller count
                at = next((i for i, (_, count) in enumerate(values) if count < none), None)
                values.insert(len(values) if at is None else at, (None, none))
            facets[name] = values
        return facets

    def sorted_page(self, bits: int, fieldnames: list[str], reverse: bool, end: int) -> list:
        """The first `end` matches by the fields' values, as Whoosh orders them (ties by
        document number, reversed with the order)."""
        best = []
        for segment, offset, local in self._local(bits):
            self.deadline.check()
            columns = [segment.keys(name) for name in fieldnames]

            def key(docnum: int, columns=columns, offset=offset) -> tuple:
                return (*(column[docnum] for column in columns), offset + docnum)

            if len(fieldnames) == 1 and local.bit_count() ** 2 > end * segment.size:
                # Many matches: walking the segment's order until `end` of them are found
                # costs about end * size / matches, less than sorting the matches.
                order = segment.order(fieldnames[0])
                wanted = DocSet(local)
                walk = (d for d in (order[::-1] if reverse else order) if d in wanted)
                best.extend(map(key, map(int, islice(walk, end))))
            elif all(isinstance(column, np.ndarray) for column in columns):
                docs = doc_array(local)
                # By the keys, the first field first, then by document number.
                ordered = docs[np.lexsort((docs, *(c[docs] for c in reversed(columns))))]
                best.extend(map(key, (ordered[::-1] if reverse else ordered)[:end].tolist()))
            else:
                pick = heapq.nlargest if reverse else heapq.nsmallest
                best.extend(map(key, pick(end, docnums(local), key=key)))
        best.sort(reverse=reverse)
        return [(found[-1], 0.0) for found in best[:end]]

    def ranked_page(self, q: query.Query, bits: int, end: int) -> list[tuple[int, float]]:
        """The first `end` matches by Whoosh's score of `q`.

        Each exact-string part a document contains adds EXACT_SCORE, more than all other
        parts together: so the documents are taken by how many they contain (tiers, from the
        document sets), and within a tier by the rest of the query, which Whoosh scores for the
        few best only (block-max skipping, which an exact part's constant score prevents).
        """
        exact: list[query.Query] = []
        try:
            rest = _rest(q, True, exact)
        except _Unranked:
            top = DeadlineCollector(self.searcher.collector(limit=end), self.deadline)
            collector = FilterCollector(top, allow=DocSet(bits))
            self.searcher.search_with_collector(q, collector)
            return [(docnum, score) for score, docnum in collector.results().top_n]
        tiers = {0: bits}
        for part in exact:
            found = self.docs(part)
            split: dict[int, int] = defaultdict(int)
            for count, tier in tiers.items():
                split[count + 1] |= tier & found
                split[count] |= tier & ~found
            tiers = {count: tier for count, tier in split.items() if tier}
        scorable = self.docs(rest) if rest is not None else 0
        page: list[tuple[int, float]] = []
        for count in sorted(tiers, reverse=True):
            want = end - len(page)
            if want <= 0:
                break
            base = count * EXACT_SCORE
            if tiers[count] & scorable:
                top = self._top(rest, tiers[count] & scorable, want)
                # Sorted again: adding the base can round apart scores into ties, which
                # Whoosh breaks by document number.
                scored = [(docnum, base + score) for score, docnum in top]
                page += sorted(scored, key=lambda hit: (-hit[1], hit[0]))
            unscored = docnums(tiers[count] & ~scorable, limit=end - len(page))
            page += [(docnum, base) for docnum in unscored]
        return page[:end]

    def _top(self, q: query.Query, allowed: int, limit: int) -> list[tuple[float, int]]:
        """Whoosh's best `limit` (score, document) of the allowed documents by `q`.

        Whoosh's matcher tree of `q` for each segment, evaluated with arrays (scoring.evaluate);
        Whoosh itself steps through the allowed documents for a tree that cannot be. Either
        way without Whoosh's top-k shortcuts (block-max skipping, replacing a union by an
        intersection): their score bounds are not safe, and a few rankings came out wrong.
        """
        if type(self.searcher.weighting) is BM25F:
            try:
                return self._top_arrays(q, allowed, limit)
            except Unsupported:
                pass
        offsets = {id(searcher): offset for searcher, offset in self.searcher.leaf_searchers()}
        collector = TopCollector(limit, usequality=False, replace=0)
        only = query.And([Only(allowed, offsets), q])
        self.searcher.search_with_collector(only, DeadlineCollector(collector, self.deadline))
        return collector.results().top_n

    def _top_arrays(self, q: query.Query, allowed: int, limit: int) -> list[tuple[float, int]]:
        """_top by evaluating each segment's matcher tree at once; ties go to the lower
        document number, as in Whoosh's TopCollector."""
        context = self.searcher.context()  # what search_with_collector gives the matchers
        found_docs, found_scores = [], []
        leaves = zip(self.segments, self.searcher.leaf_searchers(), strict=True)
        for (segment, offset), (searcher, _) in leaves:
            local = (allowed >> offset) & segment.everything
            if not local:
                continue
            if local.bit_count() * SCORE_FEW < segment.size:
                # Few allowed: the tree evaluated for them alone.
                allowed_docs = doc_array(local)
                matched, scores = evaluate(q.matcher(searcher, context), segment, allowed_docs)
                docs, scores = allowed_docs[matched], scores[matched]
            else:
                matched, scores = evaluate(q.matcher(searcher, context), segment)
                docs = np.flatnonzero(matched & bitset_mask(local, segment.size))
                scores = scores[docs]
            docs, top = best(docs, scores, limit)
            found_docs.append(docs + offset)
            found_scores.append(top)
        if not found_docs:
            return []
        docs, top = best(np.concatenate(found_docs), np.concatenate(found_scores), limit)
        return list(zip(top.tolist(), docs.tolist(), strict=True))


class DeadlineCollector(WrappingCollector):
    """Whoosh's collector `child`, checking `deadline` every CHECK_EVERY documents it steps
    through (Whoosh's TimeLimitCollector needs a timer thread or a signal). Innermost: a
    FilterCollector around it reads its matches."""

    CHECK_EVERY = 256

    def __init__(self, child: Collector, deadline: Deadline) -> None:
        super().__init__(child)
        self.deadline = deadline

    def matches(self) -> Iterator[int]:
        for count, sub_docnum in enumerate(self.child.matches()):
            if not count % self.CHECK_EVERY:
                self.deadline.check()
            yield sub_docnum


class Only(query.Query):
    """Matches the documents of a bitset, adding nothing to the score: in an And, Whoosh then
    visits only them. `offsets`: each leaf searcher's first document number (by id)."""

    def __init__(self, bits: int, offsets: dict[int, int]) -> None:
        self.bits = bits
        self.offsets = offsets

    def estimate_size(self, reader: IndexReader) -> int:
        return self.bits.bit_count()

    estimate_min_size = estimate_size

    def matcher(self, searcher: Searcher, context=None) -> ListMatcher:
        offset = self.offsets[id(searcher)]
        local = docnums((self.bits >> offset) & ((1 << searcher.doc_count_all()) - 1))
        # Weights of 0.0 (ListMatcher reads all_weights=0.0 as "unset", that is 1.0).
        return (
            ListMatcher(local, weights=array("f", bytes(4 * len(local))))
            if local
            else NullMatcher()
        )
