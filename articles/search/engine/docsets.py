"""Document sets: a query's matches in one Whoosh segment as an int bitset (bit n: document n).

And/Or/Not become integer operations; terms are read as arrays (segment_arrays) and kept per
segment (segments never change once written), so counting matches and facets never steps
through them one by one. Whoosh only; no Django or haystack import.
"""

from __future__ import annotations

import functools
import operator
from collections import Counter
from collections.abc import Iterator

import numpy as np
from whoosh import query
from whoosh.fields import DATETIME
from whoosh.idsets import DocIdSet
from whoosh.reading import IndexReader, TermNotFound
from whoosh.searching import Searcher

from articles.search.engine import posting_files, whoosh_private
from articles.search.engine.analysis import BigramTokenizer, proving_bigrams
from articles.search.engine.deadline import NO_DEADLINE, Deadline
from articles.search.engine.fields import decode_position_arrays
from articles.search.engine.segment_arrays import (
    NO_POSTINGS,
    ByteBoundedCache,
    FacetTable,
    Matches,
    Postings,
    bitset_of,
    doc_array,
    docnums,
    facet_values,
    field_lengths,
    leaf_matcher,
    mask_bitset,
    read_postings,
)

# Larger than any sum of BM25 term scores a query of a few dozen words can reach.
EXACT_SCORE = 10_000.0


class ExactScoreQuery(query.ConstantScoreQuery):
    """The exact-string match, scoring EXACT_SCORE.

    Whoosh's ConstantScoreQuery has no `boost`, which query normalisation reads when it
    flattens nested And/Or queries (`;'0 0.` crashed the search, found by bench/fuzz.py).
    """

    boost = 1.0


def _distinct(ordered: np.ndarray) -> np.ndarray:
    """A sorted array without its repeats (np.unique sorts again)."""
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values of sorted, distinct `b` that sorted, distinct `a` holds, in order."""
    at = np.searchsorted(a, b)
    held = at < len(a)
    held[held] = a[at[held]] == b[held]
    return b[held]


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


class RecentValues:
    """What searches read lately, kept for the next ones within a budget of bytes each, for
    all the segments of an index together (a process's memory should not grow with the
    number of segments): document sets of terms and phrases (a 100,000-document set takes
    12 kB), posting arrays (a word in every one of 100,000 documents takes 0.8 MB), and the
    values of posting blocks read for phrases (positions; about 6 kB a block of 128). A long
    posting list is read again from its segment's posting file in about a millisecond, so
    postings get 24 MiB, where they had 48 before those files: a gunicorn worker after 1,000
    searches of a million articles held 394 MiB RSS instead of 415, its searches no slower."""

    SET_BYTES = 24 * 2**20
    POSTING_BYTES = 24 * 2**20
    BLOCK_BYTES = 16 * 2**20

    def __init__(self) -> None:
        self.sets = ByteBoundedCache(self.SET_BYTES)
        self.postings = ByteBoundedCache(self.POSTING_BYTES)
        self.blocks = ByteBoundedCache(self.BLOCK_BYTES)


class SegmentCache:
    """What searches reuse of one segment, which never changes once written: its part of the
    index's RecentValues, the facet values, sort keys and field lengths of each document, the
    documents in order of each sort key, and the facet counts of all live documents (with the
    live mask they were counted on: deletions change it, not the segment)."""

    def __init__(self, recent: RecentValues | None = None) -> None:
        self.recent = recent or RecentValues()
        self._segment = object()  # this segment's part of the shared caches
        self.facets: dict[str, FacetTable] = {}
        self.keys: dict[str, np.ndarray | list] = {}
        self.orders: dict[str, np.ndarray] = {}
        self.live_counts: dict[str, tuple[int, Counter]] = {}
        self.length_arrays: dict[str, np.ndarray] = {}
        self.posting_files: dict[str, posting_files.PostingFile] = {}

    def get(self, key: tuple) -> int | None:
        return self.recent.sets.get((self._segment, *key))

    def put(self, key: tuple, bits: int) -> int:
        return self.recent.sets.put((self._segment, *key), bits, bits.bit_length() // 8 + 32)

    def get_postings(self, key: tuple) -> Postings | None:
        return self.recent.postings.get((self._segment, *key))

    def put_postings(self, key: tuple, postings: Postings) -> Postings:
        return self.recent.postings.put((self._segment, *key), postings, postings.nbytes)

    def get_block(self, key: tuple) -> tuple | None:
        return self.recent.blocks.get((self._segment, *key))

    def put_block(self, key: tuple, values: tuple) -> tuple:
        size = sum(map(len, values)) + 40 * len(values)
        return self.recent.blocks.put((self._segment, *key), values, size)


class SegmentDocs:
    """The documents a query matches in one segment, as an int bitset (bit n: document n).

    And/Or/Not become integer operations; terms are read a block at a time and kept in the
    segment's cache, so a search costs little more than the number of its terms, where a
    Whoosh matcher steps through every matching document in Python. Every node, term and
    posting block checks `deadline` first (SearchTimeout once it has passed).
    """

    def __init__(
        self, reader: IndexReader, cache: SegmentCache, deadline: Deadline = NO_DEADLINE
    ) -> None:
        self.reader = reader
        self.cache = cache
        self.deadline = deadline
        self.size = reader.doc_count_all()
        self.everything = (1 << self.size) - 1
        deleted = reader.deleted_docs_set if reader.has_deletions() else ()
        self.live = self.everything & ~bitset_of(deleted, self.size)

    def docs(self, q: query.Query) -> int:
        self.deadline.check()
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
            for btext in whoosh_private.multiterm_texts(q, self.reader):
                self.deadline.check()  # a wildcard may expand to thousands of terms
                bits |= self.term(q.fieldname, btext)
            return bits
        if isinstance(q, query.NumericRange):
            # Expanding a range into its terms reads the term index (a year: about 40 terms,
            # 10 ms); the next page of the same search asks again.
            key = ("range", q.fieldname, q.start, q.end, q.startexcl, q.endexcl)
            bits = self.cache.get(key)
            if bits is None:
                bits = self._date_range(q)
                if bits is None:
                    bits = self.docs(whoosh_private.numeric_range_terms(q, self.reader))
                self.cache.put(key, bits)
            return bits
        with Searcher(self.reader, closereader=False) as searcher:  # anything else
            return bitset_of(q.matcher(searcher).all_ids(), self.size)

    def _date_range(self, q: query.NumericRange) -> int | None:
        """A range of a sortable date field, from each document's date as the sort reads it
        (comparisons over an array, where the terms of a year are about 40 reads of the term
        index and their postings); None for any other range. The column marks a document
        without a date with its default value, which the range's terms never match."""
        field = self.reader.schema[q.fieldname]
        if not isinstance(field, DATETIME) or field.column_type is None:
            return None
        keys = self.keys(q.fieldname)
        if not isinstance(keys, np.ndarray):
            return None
        found = np.ones(len(keys), dtype=bool)
        missing = field.column_type.default_value()
        if missing <= np.iinfo(keys.dtype).max:  # else no document holds it
            found &= keys != missing
        if q.start is not None:
            low = field.prepare_number(q.start)  # as the terms are found: a long
            found &= keys > low if q.startexcl else keys >= low
        if q.end is not None:
            high = field.prepare_number(q.end)
            found &= keys < high if q.endexcl else keys <= high
        return mask_bitset(found)

    def term(self, fieldname: str, text: str | bytes) -> int:
        key = (fieldname, text)
        bits = self.cache.get(key)
        if bits is None:
            bits = self.cache.put(key, bitset_of(self.postings(fieldname, text).ids, self.size))
        return bits

    def postings(self, fieldname: str, text: str | bytes) -> Postings:
        """The term's postings in this segment (empty when it has none)."""
        schema = self.reader.schema
        if isinstance(text, bytes) or fieldname not in schema:
            btext = text
        else:
            btext = schema[fieldname].to_bytes(text)
        key = (fieldname, btext)
        postings = self.cache.get_postings(key)
        if postings is not None:
            return postings
        postings = self._long_postings(fieldname, btext)
        if postings is None:
            try:
                postings = read_postings(self.reader.postings(fieldname, btext))
            except TermNotFound:
                postings = NO_POSTINGS
        return self.cache.put_postings(key, postings)

    def _long_postings(self, fieldname: str, btext: bytes) -> Postings | None:
        """The term's postings from the segment's posting file, where it keeps them: the file
        is written after the commit that made the segment, so until it is there each read
        looks for it again."""
        if self.size < posting_files.MIN_DOCS:
            return None
        found = self.cache.posting_files.get(fieldname)
        if found is None:
            found = posting_files.PostingFile.open(self.reader, fieldname)
            if found is None:
                return None
            self.cache.posting_files[fieldname] = found
        return found.get(btext)

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
        # Where the phrase may start in each candidate, as (document << 32) + start + its
        # length (never negative), sorted: where each word stands less its offset in the
        # phrase, for every offset of a repeated word. The rarest word narrows them first.
        docs = doc_array(candidates)
        checked = self._offsets_to_check(fieldname, words, len(docs))
        starts = None
        order = sorted(
            {words[i] for i in checked}, key=lambda w: len(self.postings(fieldname, w).ids)
        )
        for word in order:
            offsets = [i for i in checked if words[i] == word]
            counts, positions = self._positions(fieldname, word, docs)
            found = (np.repeat(docs, counts) << 32) + positions + len(words)  # in order
            for offset in offsets:  # a repeated word stands at each of its offsets
                starts = found - offset if starts is None else _common(starts, found - offset)
            docs = _distinct(starts >> 32)
            if not len(docs):
                break
        return self.cache.put(key, bitset_of(docs, self.size))

    def _offsets_to_check(self, fieldname: str, words: tuple[str, ...], docs: int) -> list[int]:
        """The offsets in the phrase whose word's positions prove it: every one, or on a
        bigram field the cheapest bigrams that prove the string (analysis.proving_bigrams).
        A word costs about the posting blocks its positions are read from: one a candidate
        document, at most all the word's blocks."""
        analyzer = self.reader.schema[fieldname].analyzer
        if not isinstance(analyzer, BigramTokenizer) or any(len(w) != 2 for w in words):
            return list(range(len(words)))
        return proving_bigrams(
            [min(docs, len(self.postings(fieldname, w).block_starts)) for w in words]
        )

    def _positions(
        self, fieldname: str, word: str, targets: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(how many positions of `word` each target document has, all those positions in
        turn): all targets hold the word. Reads only the blocks of the postings file that
        hold them."""
        fmt = self.reader.schema[fieldname].format
        if not len(targets):
            return decode_position_arrays(fmt, [])
        postings = self.postings(fieldname, word)
        at = np.searchsorted(postings.ids, targets)
        blocks = np.searchsorted(postings.block_starts, at, side="right") - 1
        matcher = None
        values: list[bytes] = []
        edges = np.flatnonzero(np.diff(blocks)) + 1  # where the targets' block changes
        firsts = np.concatenate(([0], edges))
        ends = np.concatenate((edges, [len(targets)]))
        runs = zip(firsts.tolist(), ends.tolist(), blocks[firsts].tolist(), strict=True)
        for start, end, block_of in runs:
            self.deadline.check()
            key = (fieldname, word, block_of)
            block = self.cache.get_block(key)
            if block is None:
                if matcher is None:
                    matcher = leaf_matcher(self.reader.postings(fieldname, word))
                offset = int(postings.block_offsets[block_of])
                block = self.cache.put_block(key, whoosh_private.block_values(matcher, offset))
            first = int(postings.block_starts[block_of])
            values += [block[index] for index in (at[start:end] - first).tolist()]
        return decode_position_arrays(fmt, values)

    def facet_table(self, fieldname: str) -> FacetTable:
        """The values of a facet field (a FacetColumn) as arrays, read once per segment."""
        table = self.cache.facets.get(fieldname)
        if table is None:
            values = facet_values(self.reader, fieldname)
            table = self.cache.facets[fieldname] = FacetTable(values, self.size)
        return table

    def counts(self, fieldname: str, matches: Matches | int) -> Counter:
        """How many of the matched documents (a bitset, or Matches to share its arrays among
        fields) have each value of a facet field (None: how many have none); kept for a search
        matching every live document (no criteria)."""
        if isinstance(matches, int):
            matches = Matches(matches, self.size)
        if matches.bits != self.live:
            return self.facet_table(fieldname).count(matches)
        live, counts = self.cache.live_counts.get(fieldname, (None, None))
        if live != self.live or counts is None:
            counts = self.facet_table(fieldname).count(matches)
            self.cache.live_counts[fieldname] = (self.live, counts)
        return counts

    def order(self, fieldname: str) -> np.ndarray:
        """Every document number, by its sort key of a sortable field (ties by number)."""
        order = self.cache.orders.get(fieldname)
        if order is None:
            keys = self.keys(fieldname)
            if isinstance(keys, np.ndarray):
                order = np.argsort(keys, kind="stable")
            else:
                order = np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int64)
            self.cache.orders[fieldname] = order
        return order

    def length_array(self, fieldname: str) -> np.ndarray:
        """Each document's length of a scorable field, as BM25 reads it (1 when unknown)."""
        lengths = self.cache.length_arrays.get(fieldname)
        if lengths is None:
            lengths = self.cache.length_arrays[fieldname] = field_lengths(self.reader, fieldname)
        return lengths

    def keys(self, fieldname: str) -> np.ndarray | list:
        """Each document's sort key for a sortable field, as its column stores it: an array
        for numbers (dates are): 8 bytes a document, where a list of ints takes about 40."""
        keys = self.cache.keys.get(fieldname)
        if keys is None:
            keys = list(self.reader.column_reader(fieldname, translate=False))
            if all(type(key) is int for key in keys):
                # A date column marks a document without a date with 2**64 - 1 (sorted last).
                wide = bool(keys) and max(keys) > np.iinfo(np.int64).max
                keys = np.array(keys, dtype=np.uint64 if wide else np.int64)
            elif all(type(key) is float for key in keys):
                keys = np.array(keys, dtype=np.float64)
            self.cache.keys[fieldname] = keys
        return keys
