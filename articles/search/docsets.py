"""Document sets: a query's matches in one Whoosh segment as an int bitset (bit n: document n).

And/Or/Not become integer operations; terms are read a block of postings at a time and kept
per segment (segments never change once written), so counting matches and facets never steps
through them one by one. Whoosh only; no Django or haystack import.
"""

from __future__ import annotations

import bisect
import functools
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import chain

from whoosh import query
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.idsets import DocIdSet
from whoosh.matching import FilterMatcher
from whoosh.reading import IndexReader, TermNotFound
from whoosh.searching import Searcher

# Larger than any sum of BM25 term scores a query of a few dozen words can reach.
EXACT_SCORE = 10_000.0


class ExactScoreQuery(query.ConstantScoreQuery):
    """The exact-string match, scoring EXACT_SCORE.

    Whoosh's ConstantScoreQuery has no `boost`, which query normalisation reads when it
    flattens nested And/Or queries (`;'0 0.` crashed the search, found by bench/fuzz.py).
    """

    boost = 1.0


class DocSet(DocIdSet):
    """A set of document numbers held as an int bitset; Whoosh's search filter."""

    def __init__(self, bits: int) -> None:
        self.bits = bits
        self._bytes = bits.to_bytes((bits.bit_length() + 7) // 8, "little")

    def __contains__(self, docnum: int) -> bool:
        index = docnum >> 3
        return index < len(self._bytes) and bool(self._bytes[index] >> (docnum & 7) & 1)

    def __iter__(self) -> Iterator[int]:
        return iter(docnums(self.bits))

    def __len__(self) -> int:
        return self.bits.bit_count()


# The bit offsets set in each byte value, for walking a bitset a byte at a time.
_BYTE_BITS = [tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256)]


def docnums(bits: int, limit: int | None = None) -> list[int]:
    """The document numbers of a bitset in order, or its first `limit`."""
    found: list[int] = []
    for index, byte in enumerate(bits.to_bytes((bits.bit_length() + 7) // 8, "little")):
        if byte:
            base = index << 3
            found.extend(base + bit for bit in _BYTE_BITS[byte])
            if limit is not None and len(found) >= limit:
                return found[:limit]
    return found


def _bitset(ids: Iterable[int], size: int) -> int:
    buffer = bytearray((size >> 3) + 1)
    for docnum in ids:
        buffer[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(buffer, "little")


def _blocks(matcher) -> Iterator[W3LeafMatcher]:
    """The matcher at each block of its postings (Whoosh reads a block of ids and values at
    once; stepping through them one posting at a time costs more than the reading)."""
    if isinstance(matcher, FilterMatcher):  # deleted documents: the live mask removes them
        matcher = matcher.child
        matcher.reset()
    if not isinstance(matcher, W3LeafMatcher):
        raise TypeError(matcher)
    while matcher.is_active():
        matcher._read_ids()
        yield matcher
        matcher._next_block()


class SegmentCache:
    """What searches reuse of one segment, which never changes once written: document sets of
    terms and phrases (the most recently used), facet values, sort keys and field lengths of
    each document,
    the documents in order of each sort key, and the facet counts of all live documents (with
    the live mask they were counted on: deletions change it, not the segment)."""

    MAX_SETS = 2048

    def __init__(self) -> None:
        self.sets: dict[tuple, int] = {}
        self.columns: dict[str, list] = {}
        self.keys: dict[str, list] = {}
        self.orders: dict[str, list[int]] = {}
        self.live_counts: dict[str, tuple[int, Counter]] = {}
        self.lengths: dict[str, list[int]] = {}

    def get(self, key: tuple) -> int | None:
        bits = self.sets.pop(key, None)
        if bits is not None:
            self.sets[key] = bits  # now the most recently used
        return bits

    def put(self, key: tuple, bits: int) -> int:
        self.sets[key] = bits
        if len(self.sets) > self.MAX_SETS:
            del self.sets[next(iter(self.sets))]
        return bits


class SegmentDocs:
    """The documents a query matches in one segment, as an int bitset (bit n: document n).

    And/Or/Not become integer operations; terms are read a block at a time and kept in the
    segment's cache, so a search costs little more than the number of its terms, where a
    Whoosh matcher steps through every matching document in Python.
    """

    def __init__(self, reader: IndexReader, cache: SegmentCache) -> None:
        self.reader = reader
        self.cache = cache
        self.size = reader.doc_count_all()
        self.everything = (1 << self.size) - 1
        deleted = reader.deleted_docs_set if reader.has_deletions() else ()
        self.live = self.everything & ~_bitset(deleted, self.size)

    def docs(self, q: query.Query) -> int:
        kind = type(q)
        if kind is query.Term:
            return self.term(q.fieldname, q.text)
        if kind is query.And or kind is query.Require:
            bits = self.live
            for sub in q.children():
                bits &= self.docs(sub)
                if not bits:
                    break
            return bits
        if kind is query.Or and not q.minmatch:
            return functools.reduce(operator.or_, map(self.docs, q.children()), 0)
        if kind is query.Not:
            return self.live & ~self.docs(q.query)
        if kind is query.AndNot:
            return self.docs(q.a) & ~self.docs(q.b)
        if kind is query.AndMaybe:
            return self.docs(q.a)
        if kind is query.Every and q.fieldname in (None, "", "*"):
            return self.live
        if kind is query.Phrase and q.slop == 1:
            return self.phrase(q.fieldname, tuple(q.words))
        if isinstance(q, query.ConstantScoreQuery):
            return self.docs(q.child)
        if q is query.NullQuery:
            return 0
        if isinstance(q, query.MultiTerm) and not isinstance(q, query.FuzzyTerm):
            bits = 0
            for btext in q._btexts(self.reader):
                bits |= self.term(q.fieldname, btext)
            return bits
        if isinstance(q, query.NumericRange):
            return self.docs(q._compile_query(self.reader))
        with Searcher(self.reader, closereader=False) as searcher:  # anything else
            return _bitset(q.matcher(searcher).all_ids(), self.size)

    def term(self, fieldname: str, text: str | bytes) -> int:
        key = (fieldname, text)
        bits = self.cache.get(key)
        if bits is None:
            try:
                matcher = self.reader.postings(fieldname, text)
            except TermNotFound:
                bits = 0
            else:
                ids = (docnum for block in _blocks(matcher) for docnum in block._ids)
                bits = _bitset(ids, self.size)
            self.cache.put(key, bits)
        return bits

    def phrase(self, fieldname: str, words: tuple[str, ...]) -> int:
        """Documents with the words at consecutive positions: the bigrams of a string."""
        key = ("phrase", fieldname, words)
        bits = self.cache.get(key)
        if bits is not None:
            return bits
        candidates = self.live
        for word in words:
            candidates &= self.term(fieldname, word)
        if len(words) < 2 or not candidates:
            return self.cache.put(key, candidates)
        field = self.reader.schema[fieldname]
        # Start positions of the phrase in each candidate; the rarest word narrows them first.
        starts: dict[int, set[int]] = {}
        order = sorted(set(words), key=lambda w: self.reader.doc_frequency(fieldname, w))
        for word in order:
            offsets = [i for i, w in enumerate(words) if w == word]
            positions = self._positions(fieldname, word, docnums(candidates), field)
            for docnum, found in positions.items():
                here = {p - offset for p in found for offset in offsets}
                starts[docnum] = starts[docnum] & here if docnum in starts else here
                if not starts[docnum]:
                    candidates &= ~(1 << docnum)
        return self.cache.put(key, candidates)

    def _positions(self, fieldname: str, word: str, targets: list[int], field) -> dict:
        """{document: positions of `word`} for the target documents, sorted ascending."""
        found = {}
        i = 0
        decode = field.format.decode_positions
        for block in _blocks(self.reader.postings(fieldname, word)):
            if i == len(targets):
                break
            ids = block._ids
            if targets[i] > ids[-1]:
                continue
            block._read_values()
            while i < len(targets) and targets[i] <= ids[-1]:
                index = bisect.bisect_left(ids, targets[i])
                if index < len(ids) and ids[index] == targets[i]:
                    found[targets[i]] = decode(block._values[index])
                i += 1
        return found

    def values(self, fieldname: str) -> list[tuple]:
        """Each document's values of a facet field (a FacetColumn), (None,) when it has none."""
        values = self.cache.columns.get(fieldname)
        if values is None:
            column = self.reader.column_reader(fieldname)
            interned: dict[tuple, tuple] = {}
            values = [interned.setdefault(v, v) for v in map(tuple, column)]
            self.cache.columns[fieldname] = values
        return values

    def counts(self, fieldname: str, local: int, docs: Callable[[], list[int]]) -> Counter:
        """How many of the documents of the bitset `local` (`docs()` lists them) have each
        value of a facet field; kept for a search matching every live document (no criteria).
        """
        if local != self.live:
            return self._count(fieldname, docs())
        live, counts = self.cache.live_counts.get(fieldname, (None, None))
        if live != self.live or counts is None:
            counts = self._count(fieldname, docs())
            self.cache.live_counts[fieldname] = (self.live, counts)
        return counts

    def _count(self, fieldname: str, docs: list[int]) -> Counter:
        return Counter(chain.from_iterable(map(self.values(fieldname).__getitem__, docs)))

    def order(self, fieldname: str) -> list[int]:
        """Every document number, by its sort key of a sortable field (ties by number)."""
        order = self.cache.orders.get(fieldname)
        if order is None:
            keys = self.keys(fieldname)
            order = self.cache.orders[fieldname] = sorted(range(len(keys)), key=keys.__getitem__)
        return order

    def lengths(self, fieldname: str) -> list[int]:
        """Each document's length of a scorable field, as BM25 reads it (1 when unknown)."""
        lengths = self.cache.lengths.get(fieldname)
        if lengths is None:
            length = self.reader.doc_field_length
            lengths = [length(docnum, fieldname, 1) for docnum in range(self.size)]
            self.cache.lengths[fieldname] = lengths
        return lengths

    def keys(self, fieldname: str) -> list:
        """Each document's sort key for a sortable field, as its column stores it."""
        keys = self.cache.keys.get(fieldname)
        if keys is None:
            column = self.reader.column_reader(fieldname, translate=False)
            keys = self.cache.keys[fieldname] = list(column)
        return keys
