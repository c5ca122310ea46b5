"""A segment's postings, facet values and document sets as numpy arrays (bit n, element n:
document n), and the byte-bounded cache that keeps them. Whoosh only; no Django or haystack
import.

Whoosh keeps a posting block as a pickled tuple (gaps between document numbers, weights,
values) and its matcher decodes it a posting at a time in Python; here a whole posting list
becomes two arrays at once. A facet column is decoded once per segment into arrays and kept
beside the segment's files (segments never change once written, and Whoosh deletes a file
named after a segment with the segment), so a new process reads it instead of decoding again.
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
import zipfile
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb.filestore import FileStorage
from whoosh.matching import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.util.numeric import byte_to_length

from articles.search.engine import whoosh_private

logger = logging.getLogger(__name__)


def doc_array(bits: int) -> np.ndarray:
    """The document numbers of a bitset in order, as an array."""
    raw = np.frombuffer(bits.to_bytes((bits.bit_length() + 7) // 8, "little"), dtype=np.uint8)
    if bits.bit_count() * 16 >= len(raw) * 8:
        return np.flatnonzero(np.unpackbits(raw, bitorder="little"))
    # Few documents: unpack only the bytes that hold one (2.1 -> 0.3 ms for 100 of 500,000).
    at = np.flatnonzero(raw)
    rows, columns = np.nonzero(np.unpackbits(raw[at, None], axis=1, bitorder="little"))
    return at[rows] * 8 + columns


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


def bitset_of(ids: Iterable[int] | np.ndarray, size: int) -> int:
    """The bitset of these document numbers of a segment of `size` documents."""
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


class FacetTable:
    """A facet field's values in a segment as counting reads them: each (document, value)
    pair's value number in document order, and where each document's pairs start (a gather,
    where a binary search over the pairs cost a seventh of a search at a million articles);
    for a field of one value a document (a year, a kind) the pair's index is the document,
    and neither the pairs' documents nor the starts are kept."""

    def __init__(self, values: FacetValues, size: int) -> None:
        self.names = values.names
        # Value numbers in half the bytes where there are fewer than 32,768 values (a union
        # authority file holds a few thousand).
        small = len(values.names) < 2**15
        self.numbers = values.numbers.astype(np.int16) if small else values.numbers
        self.valueless = values.valueless
        per_doc = np.bincount(values.docs, minlength=size)
        self.docs: np.ndarray | None = None
        self.starts: np.ndarray | None = None
        if len(values.docs) != size or (per_doc != 1).any():
            self.docs = values.docs
            self.starts = np.concatenate(([0], np.cumsum(per_doc))).astype(np.int32)

    def count(self, matches: Matches) -> Counter:
        """How many of the matched documents have each value (None: how many have none)."""
        if self.starts is None:
            numbers = self.numbers[matches.docs if matches.few else matches.mask]
            valueless = 0
        elif matches.few:
            # Each matched document's run of pairs, end to end.
            docs = matches.docs
            starts = self.starts[docs]
            lengths = self.starts[docs + 1] - starts
            ends = np.cumsum(lengths)
            runs = np.repeat(starts - ends + lengths, lengths) + np.arange(
                ends[-1] if len(ends) else 0
            )
            numbers = self.numbers[runs]
            valueless = int(np.count_nonzero(self.valueless[docs]))
        else:
            numbers = self.numbers[matches.mask[self.docs]]
            valueless = int(np.count_nonzero(matches.mask & self.valueless))
        counted = np.bincount(numbers, minlength=len(self.names))
        found = np.flatnonzero(counted)
        names = map(self.names.__getitem__, found.tolist())
        counts = Counter(dict(zip(names, counted[found].tolist(), strict=True)))
        if valueless:
            counts[None] = valueless
        return counts


class Matches:
    """A search's matches in one segment (a bitset), as the arrays counting facets reads:
    their document numbers when they are few (a facet then looks up only their values), else
    a mask over the segment (every value read once). Each is made once, for all facets."""

    # Fewer matches than a fiftieth of the segment: looking up each one's values is cheaper
    # than reading every value of the field (measured on 500,000 documents, 3 values each).
    FEW = 50

    def __init__(self, bits: int, size: int) -> None:
        self.bits = bits
        self.size = size
        self.few = bits.bit_count() * self.FEW < size

    @functools.cached_property
    def docs(self) -> np.ndarray:
        return doc_array(self.bits)

    @functools.cached_property
    def mask(self) -> np.ndarray:
        return bitset_mask(self.bits, self.size)


NO_POSTINGS = Postings(
    *(np.zeros(0, dtype=dtype) for dtype in (np.int32, np.float32, np.int64, np.int64))
)


def leaf_matcher(matcher) -> W3LeafMatcher:
    """The block reader under a term's matcher, at its first block. Whoosh never inlines a
    posting list here (its writer inlines fewer postings than inlinelimit, 1)."""
    if isinstance(matcher, FilterMatcher):  # deleted documents: the live mask removes them
        matcher = matcher.child
        matcher.reset()
    if not isinstance(matcher, W3LeafMatcher) or whoosh_private.is_vector_matcher(matcher):
        raise TypeError(matcher)
    return matcher


def read_postings(matcher) -> Postings:
    """A term's postings, every block at once.

    Whoosh keeps a block as a pickled tuple of the gaps between document numbers and the
    weights (None when all are 1.0, one float when all are equal); its matcher adds the gaps
    up in Python.
    """
    matcher = leaf_matcher(matcher)
    ids, weights, offsets = [], [], []
    for offset, gaps, block_weights in whoosh_private.posting_blocks(matcher):
        offsets.append(offset)
        ids.append(np.array(gaps, dtype=np.int32))
        # Whoosh writes weights as 32-bit floats: this keeps them exactly, in half the bytes.
        if block_weights is None or isinstance(block_weights, float):
            value = 1.0 if block_weights is None else block_weights
            weights.append(np.full(len(gaps), value, dtype=np.float32))
        else:
            weights.append(np.array(block_weights, dtype=np.float32))
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


def facet_values(reader: IndexReader, fieldname: str) -> FacetValues:
    """A facet field's values in the segment of `reader`: from the file kept beside the
    segment, or decoded from its column (and then kept, where the index is on disk). A
    damaged file is decoded and written again."""
    path = _facet_file(reader, fieldname)
    if path is not None:
        try:
            with np.load(path) as stored:
                values = FacetValues(
                    stored["names"].tolist(), stored["docs"], stored["numbers"], stored["valueless"]
                )
        except FileNotFoundError:
            pass
        except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile):
            logger.warning("facet values in %s unreadable: decoded again", path, exc_info=True)
        else:
            if len(values.valueless) == reader.doc_count_all():
                return values
            logger.warning("facet values in %s are not this segment's: decoded again", path)
    values = _decode_facet_column(reader, fieldname)
    if path is not None:
        _keep(path, values)
    return values


def _facet_file(reader: IndexReader, fieldname: str) -> str | None:
    """`<segment id>.facets_<field>.npz` in the index's folder: Whoosh's clean-up takes any
    file named after a segment that is gone."""
    storage, segment = reader.storage(), reader.segment()
    if not isinstance(storage, FileStorage) or segment is None:
        return None
    return os.path.join(storage.folder, f"{segment.segment_id()}.facets_{fieldname}.npz")


def _decode_facet_column(reader: IndexReader, fieldname: str) -> FacetValues:
    number: dict[str, int] = {}
    docs, numbers = array("i"), array("i")
    valueless = np.zeros(reader.doc_count_all(), dtype=bool)
    for docnum, names in enumerate(reader.column_reader(fieldname)):
        for name in names:
            if name is None:  # the column's mark of a document without values
                valueless[docnum] = True
            else:
                docs.append(docnum)
                numbers.append(number.setdefault(name, len(number)))
    return FacetValues(
        list(number),
        np.frombuffer(docs, dtype=np.int32),
        np.frombuffer(numbers, dtype=np.int32),
        valueless,
    )


def _keep(path: str, values: FacetValues) -> None:
    """Write the file whole under a name Whoosh's clean-up skips (a leading dot), then rename
    it: a process reading it at the same moment sees the old file or the new one."""
    folder, name = os.path.split(path)
    try:
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
        with os.fdopen(descriptor, "wb") as file:
            np.savez(
                file,
                names=np.array(values.names, dtype=str),
                docs=values.docs,
                numbers=values.numbers,
                valueless=values.valueless,
            )
        os.replace(temporary, path)
    except OSError:  # a read-only or full disk, a folder swapped out: decode again next time
        logger.warning("facet values of %s not kept", path, exc_info=True)


# Whoosh stores a document's field length as one byte: the length each byte stands for.
_BYTE_LENGTHS = np.array([byte_to_length(byte) for byte in range(256)], dtype=np.float64)


def field_lengths(reader: IndexReader, fieldname: str) -> np.ndarray:
    """Each document's length of a field as BM25 reads it (doc_field_length), 1 where the
    document has none: Whoosh's column of length bytes read as one block of bytes."""
    size = reader.doc_count_all()
    stored = whoosh_private.field_length_bytes(reader, fieldname)
    if stored is not None:
        raw = np.zeros(size, dtype=np.uint8)
        raw[: len(stored)] = np.frombuffer(stored, dtype=np.uint8)
        lengths = _BYTE_LENGTHS[raw]
    else:  # another codec: a document at a time
        length = reader.doc_field_length
        lengths = np.array([length(n, fieldname, 0) or 0 for n in range(size)], np.float64)
    lengths[lengths == 0] = 1
    return lengths
