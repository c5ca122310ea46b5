"""Can the index on disk be read as searches read it? Whoosh only; no Django import.

A damaged file does not show in the table of contents: a `.trm` cut in half or a flipped byte
in a `.pst` only fails the search that reads it. `check_index_files` opens every segment with
Whoosh's SegmentReader (what ArticleFileIndex.reader() opens for searches) and reads terms
with their postings (with segment_arrays.read_postings, as the search engine does), stored
fields and columns: every one (`thorough`: the whole term dictionary walked), or a sample
spread over each file.

`IndexVerifier` remembers which segments read well, by segment id and the size and time of
their files (segments never change once written), so /health reads a segment once, and again
only once its files change (damage) or it is replaced (a merge, a rebuild).
"""

from __future__ import annotations

import os
import pickle
import struct
import threading
import zlib
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex
from whoosh.index import IndexError as WhooshIndexError
from whoosh.reading import SegmentReader

from articles.search.engine import whoosh_private
from articles.search.engine.segment_arrays import read_postings

# What reading a damaged file raises: Whoosh checks little, so a cut or garbled file fails
# in the struct, zlib or pickle decoding of what it holds, or in what uses the garbage
# decoded (a length past the end, a wrong type, a missing key, an assertion).
DAMAGE_ERRORS = (
    OSError,
    EOFError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    AssertionError,
    MemoryError,
    OverflowError,
    struct.error,
    zlib.error,
    pickle.UnpicklingError,
    WhooshIndexError,
)
# Reads of the latest generation before a file still gone is taken as missing.
ATTEMPTS = 3
# Terms (and their postings) read per segment by a sampled check; stored documents and
# column values read per segment.
SAMPLE_TERMS = 64
SAMPLE = 16
# IndexVerifier (/health) reads this many terms' postings of each new segment, spread over its
# term dictionary: every term of a small segment (an index queue batch's), a sample of a large
# one (a rebuild's, a merge's). Bounded so that a first /health after a rebuild costs tens of
# milliseconds, not the seconds per segment that reading every posting takes (check_index does).
VERIFY_TERMS = 512
# Files beside a segment that are not Whoosh's: facet values (segment_arrays) and long posting
# lists (posting_files).
_OUR_FILES = ("facets_", "postings_")


class DamagedIndexError(Exception):
    """The index cannot be read as searches read it; the message says where and how."""


@dataclass(frozen=True)
class IndexCheck:
    generation: int
    segments: int
    documents: int


def read_table_of_contents(index: FileIndex) -> TOC:
    """The latest generation's table of contents, as readers read it."""
    try:
        return TOC.read(index.storage, index.indexname, schema=index.schema)
    except FileNotFoundError:
        raise  # a writer replaced the generation just found: the caller reads again
    except DAMAGE_ERRORS as error:
        raise DamagedIndexError(f"table of contents unreadable: {_reason(error)}") from error


def check_segment(
    storage, schema, segment, generation: int, thorough: bool = False, terms: int = SAMPLE_TERMS
) -> None:
    """Open the segment and read its term dictionary, postings, stored fields and columns;
    DamagedIndexError names the segment and the first failure. FileNotFoundError passes:
    a newer generation's writer may have cleaned the segment up (the caller reads again)."""
    reading = ["files"]  # what is being read, for the message
    try:
        reader = SegmentReader(storage, schema, segment, generation=generation)
        try:
            _read_terms_and_postings(reader, thorough, terms, reading)
            _read_documents(reader, thorough, reading)
        finally:
            reader.close()
    except FileNotFoundError:
        raise
    except DAMAGE_ERRORS as error:
        raise _damaged(segment, f"{reading[0]} unreadable", error) from error


def _read_terms_and_postings(
    reader: SegmentReader, thorough: bool, terms: int, reading: list
) -> None:
    reading[0] = "term dictionary"
    if thorough:
        for fieldname in sorted(reader.indexed_field_names()):
            reading[0] = f"terms or postings of {fieldname}"
            for term in reader.lexicon(fieldname):
                _read_postings(reader, fieldname, term)
    else:
        for fieldname, term in whoosh_private.spread_terms(reader, terms):
            reading[0] = f"terms or postings of {fieldname}"
            _read_postings(reader, fieldname, term)


def _read_postings(reader: SegmentReader, fieldname: str, term: bytes) -> None:
    postings = read_postings(reader.postings(fieldname, term))
    if len(postings.ids) and postings.ids[-1] >= reader.doc_count_all():
        raise ValueError(f"a posting of {term!r} points past the segment's documents")


def _read_documents(reader: SegmentReader, thorough: bool, reading: list) -> None:
    count = reader.doc_count_all()
    step = 1 if thorough else max(1, count // SAMPLE)
    sample = sorted({*range(0, count, step), count - 1} - {-1})
    reading[0] = "stored fields"
    for docnum in sample:
        reader.stored_fields(docnum)
    for fieldname in sorted(reader.schema.names()):
        if reader.has_column(fieldname):
            reading[0] = f"column {fieldname}"
            column = reader.column_reader(fieldname)
            values = list(column) if thorough else [column[n] for n in sample]
            if thorough and len(values) != count:
                raise ValueError(f"{len(values)} values for {count} documents")


def _damaged(segment, what: str, error: BaseException) -> DamagedIndexError:
    return DamagedIndexError(f"segment {segment.segment_id()}: {what}: {_reason(error)}")


def _reason(error: BaseException) -> str:
    text = str(error).splitlines()[0][:200] if str(error) else ""
    return f"{type(error).__name__}" + (f" ({text})" if text else "")


def check_index_files(index: FileIndex, thorough: bool = False) -> IndexCheck:
    """Read every segment of the latest generation; DamagedIndexError on the first failure."""

    def check() -> IndexCheck:
        toc = read_table_of_contents(index)
        for segment in toc.segments:
            check_segment(index.storage, toc.schema, segment, toc.generation, thorough)
        return _summary(toc)

    return _latest(check)


def _latest(check: Callable[[], IndexCheck]) -> IndexCheck:
    """`check` of the latest generation: a file gone meanwhile was most likely cleaned up by
    a writer that committed a newer one (or a rebuild's swap), so read again; gone every
    time, it is missing."""
    for _ in range(ATTEMPTS - 1):
        with suppress(FileNotFoundError):
            return check()
    try:
        return check()
    except FileNotFoundError as error:
        raise DamagedIndexError(f"file missing: {error.filename or error}") from error


def _summary(toc: TOC) -> IndexCheck:
    documents = sum(segment.doc_count() for segment in toc.segments)
    return IndexCheck(toc.generation, len(toc.segments), documents)


class IndexVerifier:
    """check_index_files, remembering the segments that read well, so a healthy index costs
    a table of contents and a listing of its folder per call. Each new segment is sampled
    (VERIFY_TERMS terms, SAMPLE documents): damage to a posting or document it does not
    sample shows only in check_index (which reads everything)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._good: set[tuple] = set()

    def check(self, index: FileIndex) -> IndexCheck:
        return _latest(lambda: self._check(index))

    def _check(self, index: FileIndex) -> IndexCheck:
        toc = read_table_of_contents(index)
        files = _segment_files(index.storage)
        good = set()
        with self._lock:
            for segment in toc.segments:
                key = (segment.segment_id(), files.get(segment.segment_id(), ()))
                if key not in self._good:
                    check_segment(
                        index.storage, toc.schema, segment, toc.generation, terms=VERIFY_TERMS
                    )
                good.add(key)
            self._good = good  # segments gone (merged, swapped out) are forgotten
        return _summary(toc)


def _segment_files(storage) -> dict[str, tuple]:
    """Segment id → (name, size, mtime) of each of its files: damage changes one of them."""
    if not isinstance(storage, FileStorage):
        return {}
    files: dict[str, list] = {}
    with os.scandir(storage.folder) as entries:
        for entry in entries:
            segment_id, dot, rest = entry.name.partition(".")
            # Tables of contents, temporary files, the facet files searches write and the
            # posting files writers add (both checked as they are read) are no segment's
            # Whoosh files.
            if not dot or entry.name.startswith(("_", ".")) or rest.startswith(_OUR_FILES):
                continue
            try:
                stat = entry.stat()
            except FileNotFoundError:  # deleted by a writer's clean-up meanwhile
                continue
            files.setdefault(segment_id, []).append((entry.name, stat.st_size, stat.st_mtime_ns))
    return {segment_id: tuple(sorted(found)) for segment_id, found in files.items()}
