"""Long posting lists of a segment kept beside it as packed arrays, read in one call.

Whoosh keeps a posting list as blocks of 128 postings, each a pickled tuple that is read,
inflated and unpickled on its own: about 1.6 million postings a second, so a word in 200,000
documents of a segment costs 120 ms a search. A segment's terms in at least LONG documents are
written once, after the commit that made the segment, to `<segment id>.postings_<field>.arr`
(Whoosh's clean-up takes any file named after a segment that is gone): each term's document
numbers as one byte a gap and its weights (frequencies) as half a byte each, none when all
are 1 (gaps and weights that do not fit listed apart), and where each of Whoosh's blocks
starts (phrases read positions from them). A search reads a term's record with one pread and
decodes it with numpy: about a hundred times faster. A term not in the file,
or a segment without one, is read from Whoosh as before. Whoosh only; no Django or haystack
import.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import struct
import tempfile
import zipfile

import numpy as np
from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index
from whoosh.reading import IndexReader

from articles.search.engine.segment_arrays import Postings, read_postings

logger = logging.getLogger(__name__)

# A term in this many documents of a segment or more is kept: Whoosh reads it in 1.3 ms or more.
LONG = 2048
# Smaller segments are left to Whoosh: none of their terms is long enough to matter much, and
# a commit of a few articles should not scan a term dictionary.
MIN_DOCS = 10_000

# The file ends with where its table of terms starts and this mark.
_TRAILER = struct.Struct("<Q8s")
_MARK = b"NAPOST01"


class PostingFile:
    """The long posting lists of one field of one segment, as its file keeps them."""

    def __init__(self, path: str, size: int, table: dict[str, np.ndarray]) -> None:
        self.path = path
        self.size = size  # documents in the segment
        self.terms = table["terms"]
        self.counts = table["counts"]
        self.wide = table["wide"]  # gaps that do not fit a byte
        self.heavy = table["heavy"]  # weights that do not fit half a byte (-1: all are 1.0)
        self.blocks = table["blocks"]
        self.offsets = table["offsets"]  # one more than terms: where the last record ends

    @classmethod
    def open(cls, reader: IndexReader, fieldname: str) -> PostingFile | None:
        """The segment's file for the field, or None where it has none (or one unreadable)."""
        path = posting_file_path(reader, fieldname)
        if path is None:
            return None
        try:
            with open(path, "rb") as file:
                file.seek(-_TRAILER.size, os.SEEK_END)
                start, mark = _TRAILER.unpack(file.read(_TRAILER.size))
                if mark != _MARK:
                    raise ValueError(f"not a posting file: {mark!r}")
                file.seek(start)
                with np.load(io.BytesIO(file.read()[: -_TRAILER.size])) as stored:
                    table = {name: stored[name] for name in stored.files}
        except FileNotFoundError:
            return None
        except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile):
            logger.warning(
                "posting file %s unreadable: removed, Whoosh reads the terms", path, exc_info=True
            )
            _remove(path)
            return None
        return cls(path, reader.doc_count_all(), table)

    def get(self, btext: bytes) -> Postings | None:
        """The term's postings, or None where the file does not keep the term."""
        at = int(np.searchsorted(self.terms, btext))
        if at == len(self.terms) or self.terms[at] != btext:
            return None
        start, end = int(self.offsets[at]), int(self.offsets[at + 1])
        try:
            descriptor = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:  # its segment was merged away meanwhile
            return None
        try:
            record = os.pread(descriptor, end - start, start)
        finally:
            os.close(descriptor)
        try:
            if len(record) != end - start:
                raise ValueError(f"{len(record)} bytes where the table says {end - start}")
            postings = _decode(
                record,
                int(self.counts[at]),
                int(self.wide[at]),
                int(self.heavy[at]),
                int(self.blocks[at]),
            )
            if len(postings.ids) and not 0 <= postings.ids[-1] < self.size:
                raise ValueError(f"document {postings.ids[-1]} of a segment of {self.size}")
        except (ValueError, IndexError):  # short, or positions outside the record's arrays
            logger.warning(
                "posting file %s damaged at %r: removed, Whoosh reads its terms",
                self.path,
                btext,
                exc_info=True,
            )
            self.terms = self.terms[:0]
            _remove(self.path)
            return None
        return postings


def _remove(path: str) -> None:
    """Remove a damaged file, for the next commit to write it again (keep_posting_files)."""
    try:
        os.unlink(path)
    except OSError:  # gone already, or a read-only folder: Whoosh reads the terms meanwhile
        logger.warning("posting file %s not removed", path, exc_info=True)


def posting_file_path(reader: IndexReader, fieldname: str) -> str | None:
    """`<segment id>.postings_<field>.arr` in the index's folder (None: not a segment on disk)."""
    storage, segment = reader.storage(), reader.segment()
    if not isinstance(storage, FileStorage) or segment is None:
        return None
    return os.path.join(storage.folder, f"{segment.segment_id()}.postings_{fieldname}.arr")


def keep_posting_files(ix: Index) -> int:
    """Write the posting files that segments of MIN_DOCS or more documents lack; returns how
    many were written. Called after each commit (a merge makes new segments): about 100 s for
    a segment of 500,000 articles, once. A file that cannot be written is left to the next
    commit, its terms read from Whoosh meanwhile."""
    with ix.reader() as reader:
        return sum(keep_segment_posting_files(leaf) for leaf, _ in reader.leaf_readers())


def keep_segment_posting_files(reader: IndexReader) -> int:
    """keep_posting_files for one segment's reader: an index worker process writes those of
    the segment it made before the commit, so a rebuild's segments get theirs at once."""
    if reader.doc_count_all() < MIN_DOCS:
        return 0
    written = 0
    for fieldname in sorted(reader.indexed_field_names()):
        if getattr(reader.schema[fieldname], "unique", False):
            continue  # identifiers: a document each
        path = posting_file_path(reader, fieldname)
        if path is None or os.path.exists(path):
            continue
        try:
            write_posting_file(reader, fieldname, path)
        except OSError:  # a full disk, a folder swapped out: Whoosh reads the terms
            logger.warning("posting file %s not written", path, exc_info=True)
        else:
            written += 1
    return written


def write_posting_file(reader: IndexReader, fieldname: str, path: str) -> None:
    """Write the field's terms of LONG documents or more, whole under a name Whoosh's clean-up
    skips (a leading dot), then rename it: a reader sees no file or the whole file."""
    terms: list[bytes] = []
    columns: dict[str, list[int]] = {
        "counts": [],
        "wide": [],
        "heavy": [],
        "blocks": [],
        "offsets": [0],
    }
    folder, name = os.path.split(path)
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            # iter_field would parse a prefix of "" as the field's value (dates cannot)
            for (field, btext), info in reader.iter_from(fieldname, b""):
                if field != fieldname:
                    break
                # numpy's byte strings drop trailing NULs (numeric terms may end in one)
                if info.doc_frequency() < LONG or btext.endswith(b"\0"):
                    continue
                postings = read_postings(reader.postings(fieldname, btext))
                record, wide, heavy = _encode(postings)
                file.write(record)
                terms.append(btext)
                columns["counts"].append(len(postings.ids))
                columns["wide"].append(wide)
                columns["heavy"].append(heavy)
                columns["blocks"].append(len(postings.block_starts))
                columns["offsets"].append(columns["offsets"][-1] + len(record))
            start = file.tell()
            np.savez(
                file,
                terms=np.array(terms, dtype=bytes) if terms else np.zeros(0, dtype="S1"),
                **{key: np.array(values, dtype=np.int64) for key, values in columns.items()},
            )
            file.write(_TRAILER.pack(start, _MARK))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _encode(postings: Postings) -> tuple[bytes, int, int]:
    """A term's record, how many of its gaps do not fit a byte, and how many of its weights
    do not fit half a byte (-1: every weight is 1.0, none kept)."""
    ids, weights, block_starts, block_offsets = postings
    gaps = np.diff(ids, prepend=0)  # the first "gap" is the first document number
    wide = np.flatnonzero(gaps > 255)
    parts = [
        gaps.astype(np.uint8).tobytes(),
        wide.astype("<i4").tobytes(),
        gaps[wide].astype("<i4").tobytes(),
    ]
    if (weights == 1).all():
        heavy = -1
    else:  # frequencies, mostly 1 to 15: half a byte each, the others listed apart
        small = (weights == np.round(weights)) & (weights >= 0) & (weights <= 15)
        nibbles = np.where(small, weights, 0).astype(np.uint8)
        if len(nibbles) % 2:
            nibbles = np.append(nibbles, np.uint8(0))
        outliers = np.flatnonzero(~small)
        heavy = len(outliers)
        parts += [
            (nibbles[0::2] | nibbles[1::2] << 4).tobytes(),
            outliers.astype("<i4").tobytes(),
            weights[outliers].astype("<f4").tobytes(),
        ]
    parts += [block_starts.astype("<i8").tobytes(), block_offsets.astype("<i8").tobytes()]
    return b"".join(parts), len(wide), heavy


def _decode(record: bytes, count: int, wide: int, heavy: int, blocks: int) -> Postings:
    at = 0

    def take(dtype: str, n: int) -> np.ndarray:
        nonlocal at
        values = np.frombuffer(record, dtype=dtype, count=n, offset=at)
        at += values.nbytes
        return values

    gaps = take("u1", count).astype(np.int32)
    where = take("<i4", wide)
    gaps[where] = take("<i4", wide)
    ids = np.cumsum(gaps, dtype=np.int32)
    if heavy < 0:
        weights = np.ones(count, dtype=np.float32)
    else:
        packed = take("u1", (count + 1) // 2)
        weights = np.empty(len(packed) * 2, dtype=np.float32)
        weights[0::2], weights[1::2] = packed & 15, packed >> 4
        weights = weights[:count]
        where = take("<i4", heavy)
        weights[where] = take("<f4", heavy)
    starts = take("<i8", blocks).astype(np.int64)
    offsets = take("<i8", blocks).astype(np.int64)
    return Postings(ids, weights, starts, offsets)
