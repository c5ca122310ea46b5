"""Whoosh field types of the search index (articles/search/fields.py maps haystack's fields
to them). No Django or haystack import.

Compared with haystack's Whoosh mapping, the document field is segmented by jieba instead of
the English StemmingAnalyzer, a bigram field indexes the same text as character bigrams, and
other strings and lists are untokenized (filters and facets see whole names) with a column
that facets read.
"""

from __future__ import annotations

import sys
from array import array
from collections import Counter, defaultdict
from itertools import chain, pairwise

import numpy as np
from whoosh import columns
from whoosh.fields import ID as WHOOSH_ID
from whoosh.fields import KEYWORD, TEXT
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

from articles.search.engine.analysis import (
    BigramTokenizer,
    JiebaTokenizer,
    PositionedTokenizer,
    bigram_postings,
    bigram_terms,
    index_word_counts,
)


def _terms(value, analyzer, kwargs: dict) -> list[tuple[str, int]] | None:
    """(term, position) pairs straight from one of our tokenizers, None for any other: Whoosh
    makes a Token per term and passes it through generators, a third of indexing a field."""
    if isinstance(analyzer, PositionedTokenizer) and isinstance(value, str):
        return analyzer.terms(value, kwargs.get("mode", ""))
    return None


class WordFrequency(Frequency):
    """Whoosh's Frequency, counted from the tokenizer's terms without Token objects."""

    def word_values(self, value, analyzer, **kwargs):
        boost = self.field_boost
        document = kwargs.get("mode", "") != "query"
        if isinstance(analyzer, JiebaTokenizer) and isinstance(value, str) and document:
            counts = index_word_counts(value)  # a document's words: no positions needed
            return [(term, n, n * boost, pack_uint(n)) for term, n in counts.items()]
        terms = _terms(value, analyzer, kwargs)
        if terms is None:
            return super().word_values(value, analyzer, **kwargs)
        counts = Counter(term for term, _ in terms)
        return [(term, n, n * boost, pack_uint(n)) for term, n in counts.items()]


def text_field() -> TEXT:
    """jieba words with their frequencies, no positions: a quoted string is an exact string on
    the bigram field, so no query reads word positions (they were a fifth of the index). Not
    stored: snippets come from the database."""
    field = TEXT(analyzer=JiebaTokenizer(), phrase=False, stored=False)
    field.format = WordFrequency(field_boost=field.format.field_boost)
    return field


class CompactPositions(Positions):
    """Whoosh's Positions stored as a typecode and an array of positions, not a pickle.

    A posting's value is `H` or `I` and its positions as little-endian unsigned 16- or 32-bit
    integers: 3 bytes for a bigram seen once (Positions pickles a list after a 4-byte count: 13
    or more), decoded by array in C. Values of Positions (a bigram field indexed before this format)
    start with the zero high byte of their count, so indexes of either format decode.
    """

    def word_values(self, value, analyzer, **kwargs):
        """Positions.word_values, from the tokenizer's terms without Token objects; a
        document's bigrams grouped through numpy (bigram_postings)."""
        if isinstance(analyzer, BigramTokenizer) and isinstance(value, str):
            return self._bigram_values(value)
        terms = _terms(value, analyzer, kwargs)
        if terms is None:
            return super().word_values(value, analyzer, **kwargs)
        positions = defaultdict(list)
        for term, position in terms:
            positions[term].append(position)
        boost = self.field_boost
        return [
            (term, len(found), len(found) * boost, self.encode(found))
            for term, found in positions.items()
        ]

    def _bigram_values(self, text: str) -> list[tuple[str, int, float, bytes]]:
        """word_values of a bigram field, in the terms' order; each value cut from one buffer
        of all of them."""
        keys, counts, weights, joined, lengths = self.bigram_arrays(text)
        values = [joined[a:b] for a, b in pairwise([0, *np.cumsum(lengths).tolist()])]
        terms = bigram_terms(keys)
        return list(zip(terms, counts.tolist(), weights.tolist(), values, strict=True))

    def bigram_arrays(
        self, text: str
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, bytes, np.ndarray]:
        """A document's postings in a bigram field as arrays, a pool's way in without a tuple a
        term: the distinct terms' keys (analysis.bigram_keys) in order, each term's count and
        weight, and their values joined, with each value's length."""
        keys, bounds, positions = bigram_postings(text)
        counts = np.diff(bounds)
        weights = counts * self.field_boost
        if len(positions) and positions.max() >= 0x10000:  # 65,536 characters and more
            values = [self.encode(positions[a:b].tolist()) for a, b in pairwise(bounds.tolist())]
            lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
            return keys, counts, weights, b"".join(values), lengths
        # Each term's value: "H", then its positions as 16-bit little-endian numbers.
        heads = 2 * bounds + np.arange(len(bounds))  # and the end of all
        buffer = np.zeros(heads[-1], dtype=np.uint8)
        buffer[heads[:-1]] = ord("H")
        body = np.ones(len(buffer), dtype=bool)
        body[heads[:-1]] = False
        buffer[body] = np.frombuffer(positions.astype("<u2").tobytes(), dtype=np.uint8)
        return keys, counts, weights, buffer.tobytes(), np.diff(heads)

    def encode(self, poslist: list[int]) -> bytes:
        typecode = "H" if poslist[-1] < 0x10000 else "I"
        positions = array(typecode, poslist)
        if sys.byteorder == "big":
            positions.byteswap()
        return typecode.encode() + positions.tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        if valuestring[:1] == b"\x00":
            return super().decode_positions(valuestring)
        positions = array(chr(valuestring[0]), valuestring[1:])
        if sys.byteorder == "big":
            positions.byteswap()
        return positions.tolist()

    def decode_position_arrays(self, values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """(how many positions each value holds, all their positions in turn), for many
        values at once: a phrase check reads thousands. Values of 16-bit positions, nearly
        all of them, are cut from their joined bytes in C; any other value is decoded alone."""
        joined = b"".join(values)
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        heads = np.cumsum(lengths) - lengths
        raw = np.frombuffer(joined, dtype=np.uint8)
        if len(values) and (raw[heads] == ord("H")).all() and not ((lengths - 1) % 2).any():
            keep = np.ones(len(raw), dtype=bool)
            keep[heads] = False
            return (lengths - 1) // 2, raw[keep].view("<u2").astype(np.int64)
        return decode_position_arrays(self, values, bulk=False)

    def decode_frequency(self, valuestring: bytes) -> int:
        if valuestring[:1] == b"\x00":
            return super().decode_frequency(valuestring)
        return (len(valuestring) - 1) // array(chr(valuestring[0])).itemsize


def decode_position_arrays(
    format: Positions, values: list[bytes], bulk: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """(how many positions each value holds, all their positions in turn) in any positions
    format; CompactPositions decodes them in bulk (`bulk`)."""
    if bulk and isinstance(format, CompactPositions):
        return format.decode_position_arrays(values)
    decoded = [format.decode_positions(value) for value in values]
    counts = np.fromiter(map(len, decoded), dtype=np.int64, count=len(decoded))
    return counts, np.fromiter(chain.from_iterable(decoded), dtype=np.int64)


def bigram_field() -> TEXT:
    """Positions make the phrase of a query's bigrams mean "contains this string"."""
    field = TEXT(analyzer=BigramTokenizer(), phrase=True, stored=False)
    field.format = CompactPositions(field_boost=field.format.field_boost)
    return field


class FacetColumn(columns.VarBytesListColumn):
    """A document's values, read back as text ([None] when it has none).

    haystack facets with allow_overlap, and Whoosh then reads a column that stores lists; without
    one it walks every posting of the field on every search (about 1 s at 100k articles).
    """

    class Writer(columns.VarBytesListColumn.Writer):
        def add(self, docnum: int, values: list) -> None:
            # Segment merges copy values as the Reader returns them.
            encoded = [v.encode() if isinstance(v, str) else v for v in values if v is not None]
            super().add(docnum, encoded)

    class Reader(columns.VarBytesListColumn.Reader):
        def __getitem__(self, docnum: int) -> list[str | None]:
            return [value.decode() for value in super().__getitem__(docnum)] or [None]


class FacetKeyword(KEYWORD):
    """Comma-separated names (haystack's form of a list), whole, with a FacetColumn."""

    def __init__(self, stored: bool) -> None:
        super().__init__(stored=stored, commas=True, scorable=True)
        # KEYWORD(sortable=column) ignores the column and takes its default.
        self.column_type = FacetColumn()

    def to_column_value(self, value: str | list[str]) -> list[str]:
        names = value.split(",") if isinstance(value, str) else value
        return [name.strip() for name in names if name.strip()]

    def from_column_value(self, value: list) -> list:
        return value


class FacetID(WHOOSH_ID):
    """One untokenized string, with a FacetColumn."""

    def __init__(self, stored: bool) -> None:
        super().__init__(stored=stored)
        self.column_type = FacetColumn()

    def to_column_value(self, value: str) -> list[str]:
        return [value] if value else []

    def from_column_value(self, value: list) -> list:
        return value
