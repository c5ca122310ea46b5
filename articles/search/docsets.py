"""Document sets: a query's matches in one Whoosh segment as an int bitset (bit n: document n).

And/Or/Not become integer operations; terms are read a block of postings at a time and kept
per segment (segments never change once written), so counting matches and facets never steps
through them one by one. Whoosh only; no Django or haystack import.
"""

from __future__ import annotations

import functools
import operator
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from typing import NamedTuple

import numpy as np
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


def doc_array(bits: int) -> np.ndarray:
    """The document numbers of a bitset in order, as an array."""
    raw = np.frombuffer(bits.to_bytes((bits.bit_length() + 7) // 8, "little"), dtype=np.uint8)
    return np.flatnonzero(np.unpackbits(raw, bitorder="little"))


def docnums(bits: int, limit: int | None = None) -> list[int]:
    """The document numbers of a bitset in order, or its first `limit`."""
    return doc_array(bits)[:limit].tolist()


def mask_bitset(mask: np.ndarray) -> int:
    """The bitset of a boolean array (element n: document n)."""
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")


def bitset_mask(bits: int, size: int) -> np.ndarray:
    """The boolean array of a bitset of a segment of `size` documents."""
    raw = np.frombuffer(bits.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(raw, count=size, bitorder="little").view(bool)


def _bitset(ids: Iterable[int] | np.ndarray, size: int) -> int:
    mask = np.zeros(size, dtype=bool)
    mask[np.fromiter(ids, dtype=np.int64) if not isinstance(ids, np.ndarray) else ids] = True
    return mask_bitset(mask)


class Postings(NamedTuple):
    """A term's postings in a segment: document numbers in order, weights (its frequency in
    each), and for each block of the postings file its first index in those arrays and its
    place in the file (to read a block's values, e.g. positions, without the blocks before)."""

    ids: np.ndarray
    weights: np.ndarray
    block_starts: np.ndarray
    block_offsets: np.ndarray

    @property
    def nbytes(self) -> int:
        return sum(array.nbytes for array in self)


class FacetValues(NamedTuple):
    """A facet field's values in a segment: each distinct value, and for each (document,
    value) pair the document and the value's number; which documents have none."""

    names: list[str]
    docs: np.ndarray
    numbers: np.ndarray
    valueless: np.ndarray


NO_POSTINGS = Postings(
    *(np.zeros(0, dtype=dtype) for dtype in (np.int32, np.float32, np.int64, np.int64))
)


def _leaf(matcher) -> W3LeafMatcher:
    if isinstance(matcher, FilterMatcher):  # deleted documents: the live mask removes them
        matcher = matcher.child
        matcher.reset()
    if not isinstance(matcher, W3LeafMatcher) or matcher._byteids:
        raise TypeError(matcher)
    return matcher


def read_postings(matcher) -> Postings:
    """A term's postings, every block at once.

    Whoosh keeps a block as a pickled tuple of the gaps between document numbers and the
    weights (None when all are 1.0, one float when all are equal); its matcher adds the gaps
    up in Python.
    """
    matcher = _leaf(matcher)
    ids, weights, offsets = [], [], []
    offset = matcher._baseoffset
    while matcher.is_active():
        offsets.append(offset)
        matcher._read_data()
        gaps, block_weights = matcher._data[0], matcher._data[1]
        ids.append(np.array(gaps, dtype=np.int32))
        # Whoosh writes weights as 32-bit floats: this keeps them exactly, in half the bytes.
        if block_weights is None or isinstance(block_weights, float):
            value = 1.0 if block_weights is None else block_weights
            weights.append(np.full(len(gaps), value, dtype=np.float32))
        else:
            weights.append(np.array(block_weights, dtype=np.float32))
        offset = matcher._nextoffset
        matcher._next_block()
    if not ids:
        return NO_POSTINGS
    starts = np.cumsum([0] + [len(block) for block in ids[:-1]])
    # Each block's first gap is from 0: its first document number.
    return Postings(
        np.concatenate([np.cumsum(block, dtype=np.int32) for block in ids]),
        np.concatenate(weights),
        starts,
        np.array(offsets, dtype=np.int64),
    )


class ByteBoundedCache:
    """The most recently used values, up to about `max_bytes` of them."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._values: OrderedDict[tuple, tuple[object, int]] = OrderedDict()

    def get(self, key: tuple):
        found = self._values.get(key)
        if found is None:
            return None
        self._values.move_to_end(key)
        return found[0]

    def put(self, key: tuple, value, size: int):
        self._values[key] = value, size
        self.bytes += size
        while self.bytes > self.max_bytes and len(self._values) > 1:
            _, (_, dropped) = self._values.popitem(last=False)
            self.bytes -= dropped
        return value


class SegmentCache:
    """What searches reuse of one segment, which never changes once written: document sets of
    terms and phrases, posting arrays and blocks of positions (the most recently used), facet
    values, sort keys and field lengths of each document, the documents in order of each
    sort key, and the facet counts of all live documents (with the live mask they were
    counted on: deletions change it, not the segment)."""

    MAX_SETS = 2048
    # Posting arrays (a word in every one of 100,000 documents takes 0.8 MB), and the values
    # of posting blocks read for phrases (positions; about 6 kB a block of 128).
    MAX_POSTING_BYTES = 64 * 2**20
    MAX_BLOCK_BYTES = 16 * 2**20

    def __init__(self) -> None:
        self.postings = ByteBoundedCache(self.MAX_POSTING_BYTES)
        self.blocks = ByteBoundedCache(self.MAX_BLOCK_BYTES)
        self.sets: dict[tuple, int] = {}
        self.facets: dict[str, FacetValues] = {}
        self.keys: dict[str, list] = {}
        self.orders: dict[str, list[int]] = {}
        self.live_counts: dict[str, tuple[int, Counter]] = {}
        self.lengths: dict[str, list[int]] = {}
        self.length_arrays: dict[str, np.ndarray] = {}

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
            bits = self.cache.put(key, _bitset(self.postings(fieldname, text).ids, self.size))
        return bits

    def postings(self, fieldname: str, text: str | bytes) -> Postings:
        """The term's postings in this segment (empty when it has none)."""
        schema = self.reader.schema
        if isinstance(text, bytes) or fieldname not in schema:
            btext = text
        else:
            btext = schema[fieldname].to_bytes(text)
        key = (fieldname, btext)
        postings = self.cache.postings.get(key)
        if postings is None:
            try:
                postings = read_postings(self.reader.postings(fieldname, btext))
            except TermNotFound:
                postings = NO_POSTINGS
            self.cache.postings.put(key, postings, postings.nbytes)
        return postings

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
        # Start positions of the phrase in each candidate; the rarest word narrows them first.
        starts: dict[int, set[int]] = {}
        docs = doc_array(candidates)
        order = sorted(set(words), key=lambda w: len(self.postings(fieldname, w).ids))
        for word in order:
            offsets = [i for i, w in enumerate(words) if w == word]
            kept = []
            for docnum, found in self._positions(fieldname, word, docs):
                here = {p - offset for p in found for offset in offsets}
                here = starts[docnum] & here if docnum in starts else here
                if here:
                    starts[docnum] = here
                    kept.append(docnum)
            docs = np.array(kept, dtype=np.int64)
            if not kept:
                break
        return self.cache.put(key, _bitset(docs, self.size))

    def _positions(self, fieldname: str, word: str, targets: np.ndarray) -> Iterator[tuple]:
        """(document, positions of `word`) for each target document (all hold the word), in
        order, reading only the blocks of the postings file that hold them."""
        postings = self.postings(fieldname, word)
        at = np.searchsorted(postings.ids, targets)
        blocks = np.searchsorted(postings.block_starts, at, side="right") - 1
        decode = self.reader.schema[fieldname].format.decode_positions
        matcher = None
        block, values, first = None, (), 0
        for docnum, index, block_of in zip(
            targets.tolist(), at.tolist(), blocks.tolist(), strict=True
        ):
            if block_of != block:
                block, first = block_of, int(postings.block_starts[block_of])
                key = (fieldname, word, block)
                values = self.cache.blocks.get(key)
                if values is None:
                    matcher = matcher or _leaf(self.reader.postings(fieldname, word))
                    matcher._goto(int(postings.block_offsets[block]))
                    matcher._read_values()
                    values = matcher._values
                    self.cache.blocks.put(key, values, sum(map(len, values)) + 40 * len(values))
            yield docnum, decode(values[index - first])

    def facet_values(self, fieldname: str) -> FacetValues:
        """The values of a facet field (a FacetColumn) as arrays, read once per segment."""
        values = self.cache.facets.get(fieldname)
        if values is None:
            number: dict[str, int] = {}
            docs, numbers = array("i"), array("i")
            valueless = np.zeros(self.size, dtype=bool)
            for docnum, names in enumerate(self.reader.column_reader(fieldname)):
                for name in names:
                    if name is None:  # the column's mark of a document without values
                        valueless[docnum] = True
                    else:
                        docs.append(docnum)
                        numbers.append(number.setdefault(name, len(number)))
            values = FacetValues(
                list(number),
                np.frombuffer(docs, dtype=np.int32),
                np.frombuffer(numbers, dtype=np.int32),
                valueless,
            )
            self.cache.facets[fieldname] = values
        return values

    def counts(self, fieldname: str, local: int) -> Counter:
        """How many of the documents of the bitset `local` have each value of a facet field
        (None: how many have none); kept for a search matching every live document (no
        criteria)."""
        if local != self.live:
            return self._count(fieldname, local)
        live, counts = self.cache.live_counts.get(fieldname, (None, None))
        if live != self.live or counts is None:
            counts = self._count(fieldname, local)
            self.cache.live_counts[fieldname] = (self.live, counts)
        return counts

    def _count(self, fieldname: str, local: int) -> Counter:
        values = self.facet_values(fieldname)
        mask = bitset_mask(local, self.size)
        counted = np.bincount(values.numbers[mask[values.docs]], minlength=len(values.names))
        found = np.flatnonzero(counted)
        counts = Counter(
            dict(
                zip(
                    map(values.names.__getitem__, found.tolist()),
                    counted[found].tolist(),
                    strict=True,
                )
            )
        )
        valueless = int(np.count_nonzero(mask & values.valueless))
        if valueless:
            counts[None] = valueless
        return counts

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

    def length_array(self, fieldname: str) -> np.ndarray:
        """lengths() as an array of floats."""
        lengths = self.cache.length_arrays.get(fieldname)
        if lengths is None:
            lengths = np.array([n or 1 for n in self.lengths(fieldname)], dtype=np.float64)
            self.cache.length_arrays[fieldname] = lengths
        return lengths

    def keys(self, fieldname: str) -> list:
        """Each document's sort key for a sortable field, as its column stores it."""
        keys = self.cache.keys.get(fieldname)
        if keys is None:
            column = self.reader.column_reader(fieldname, translate=False)
            keys = self.cache.keys[fieldname] = list(column)
        return keys
