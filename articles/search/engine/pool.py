"""Whoosh writers whose postings are grouped by term as they are added, not sorted afterwards.

Whoosh's SegmentWriter keeps every posting as a tuple in a PostingPool, sorts them, pickles
runs of them to disk one posting at a time and merges the runs back at the end: two fifths of
a rebuild's CPU once words were cut by rjieba, and about 250 bytes of memory a posting. A
writer here keeps each term's postings packed in one bytearray (twelve bytes and the value a
posting), so nothing is sorted but the terms, and a run spilled to disk holds one record a
term. Postings of a term arrive in document order (a writer numbers documents as they come,
readers it merges after them), so a term's postings from successive runs are joined in run
order. A bigram field's postings come as a document's arrays instead, staged, and are grouped
into those buffers a few hundred thousand at a time by numpy, with one lookup a term rather
than one a posting. Whoosh only; no Django import.
"""

from __future__ import annotations

import ctypes
import heapq
import os
import pickle
import signal
import struct
from array import array
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

import numpy as np
from whoosh.multiproc import SubWriterTask
from whoosh.reading import SegmentReader
from whoosh.util import random_name

from articles.search.engine import posting_files, whoosh_private
from articles.search.engine.analysis import BigramTokenizer, bigram_terms
from articles.search.engine.fields import CompactPositions

# prctl(2) option: the signal a process gets when its parent thread ends.
PR_SET_PDEATHSIG = 1
# A posting in a term's buffer: document number, weight, length of the value, then the value.
_POSTING = struct.Struct("<IfI")
# Bytes counted for a new term (its dict entry, key and bytearray) against the pool's limit.
_TERM_OVERHEAD = 160
# Bytes counted for a document's staged arrays (add_keyed) beyond 24 a posting and its values.
_CHUNK_OVERHEAD = 500

Posting = tuple[str, bytes, int, float, bytes]


class GroupingPool:
    """The postings of one segment, by field and term, spilled to runs past `limitmb`.

    Takes the place of whoosh.writing.PostingPool: SegmentWriter calls add, iter_postings
    and cleanup, and reads fieldnames; FieldAtATimeSegmentWriter calls add_field.
    """

    # Staged postings of a field grouped at once: about 50 MB of numpy's index arrays.
    group_every = 1 << 18

    def __init__(self, tempstore, limitmb: float) -> None:
        self.tempstore = tempstore
        self.limit = limitmb * 2**20
        self.size = 0
        self.fieldnames: set[str] = set()
        self.terms: dict[str, dict[bytes, bytearray]] = {}
        # Bigram fields' postings as arrays, a chunk a document, grouped by term in bulk.
        self.staged: dict[str, list[tuple[int, np.ndarray, np.ndarray, bytes, np.ndarray]]] = {}
        self.staged_postings: dict[str, int] = {}
        self.runs: list[str] = []

    def add(self, item: Posting) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        self.add_field(fieldname, docnum, ((tbytes, 0, weight, vbytes),), 1.0)

    def _field_terms(self, fieldname: str) -> dict[bytes, bytearray]:
        terms = self.terms.get(fieldname)
        if terms is None:
            terms = self.terms[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def add_field(self, fieldname: str, docnum: int, items, boost: float) -> int:
        """Add a document's postings in one field, from its (term, frequency, weight, value)
        items, each weight times `boost`; return the sum of their frequencies. The pool spills
        to a run once the field is added, if past its limit."""
        if fieldname in self.staged:  # theirs come first: a term's postings in document order
            self._group_staged(fieldname)
        terms = self._field_terms(fieldname)
        pack = _POSTING.pack
        added = length = 0
        for tbytes, frequency, weight, vbytes in items:
            length += frequency
            buffer = terms.get(tbytes)
            if buffer is None:
                buffer = terms[tbytes] = bytearray()
                added += _TERM_OVERHEAD + len(tbytes)
            vbytes = vbytes or b""
            buffer += pack(docnum, weight * boost, len(vbytes))
            buffer += vbytes
            added += _POSTING.size + len(vbytes)
        self.size += added
        if self.size > self.limit:
            self.save()
        return length

    def add_keyed(
        self,
        fieldname: str,
        docnum: int,
        keys: np.ndarray,
        weights: np.ndarray,
        values: bytes,
        lengths: np.ndarray,
    ) -> None:
        """Add a document's postings in a bigram field as arrays (CompactPositions.bigram_arrays:
        distinct keys, weights, the values joined and their lengths), kept as they are until
        the pool spills or is read, then grouped by term all at once (_group_staged): a posting
        at a time, looking each term up among the segment's took a quarter of a rebuild."""
        self._field_terms(fieldname)
        chunks = self.staged.setdefault(fieldname, [])
        chunks.append((docnum, keys, weights, values, lengths))
        self.size += _staged_bytes(keys, values)
        self.staged_postings[fieldname] = staged = self.staged_postings.get(fieldname, 0) + len(
            keys
        )
        if staged >= self.group_every:
            self._group_staged(fieldname)
        if self.size > self.limit:
            self.save()

    def _group_staged(self, fieldname: str) -> None:
        """Add a field's staged postings to its terms' buffers: sorted by key (and so by term
        and document, the chunks being in document order) and packed as add_field packs them,
        through numpy; then one lookup a term."""
        chunks = self.staged.pop(fieldname)
        self.staged_postings.pop(fieldname)
        keys = np.concatenate([chunk[1] for chunk in chunks])
        counts = [len(chunk[1]) for chunk in chunks]
        lengths = np.concatenate([chunk[4] for chunk in chunks]).astype(np.int64)
        values = np.frombuffer(b"".join(chunk[3] for chunk in chunks), dtype=np.uint8)
        order = np.argsort(keys, kind="stable")
        value_starts = (np.cumsum(lengths) - lengths)[order]
        lengths = lengths[order]
        header = np.empty(
            len(keys), dtype=[("docnum", "<u4"), ("weight", "<f4"), ("length", "<u4")]
        )
        header["docnum"] = np.repeat([chunk[0] for chunk in chunks], counts)[order]
        header["weight"] = np.concatenate([chunk[2] for chunk in chunks])[order]
        header["length"] = lengths
        sizes = _POSTING.size + lengths
        starts = np.cumsum(sizes) - sizes
        packed = np.empty(int(sizes.sum()), dtype=np.uint8)
        step = np.arange(_POSTING.size)
        packed[(starts[:, None] + step).ravel()] = header.view(np.uint8)
        # Each value's bytes, from where it was staged to after its header.
        within = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        packed[np.repeat(starts + _POSTING.size, lengths) + within] = values[
            np.repeat(value_starts, lengths) + within
        ]
        keys = keys[order]
        firsts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))[: len(keys)]
        data = memoryview(packed.tobytes())
        bounds = [*starts[firsts].tolist(), len(data)]
        terms = self.terms[fieldname]
        added = -sum(_staged_bytes(chunk[1], chunk[3]) for chunk in chunks)
        for term, start, end in zip(bigram_terms(keys[firsts]), bounds, bounds[1:], strict=False):
            tbytes = term.encode()
            buffer = terms.get(tbytes)
            if buffer is None:
                buffer = terms[tbytes] = bytearray()
                added += _TERM_OVERHEAD + len(tbytes)
            buffer += data[start:end]
        self.size += added + len(data)

    def _sorted_terms(self) -> Iterator[tuple[str, bytes, bytes]]:
        for fieldname in list(self.staged):
            self._group_staged(fieldname)
        for fieldname in sorted(self.terms):
            terms = self.terms[fieldname]
            for tbytes in sorted(terms):
                yield fieldname, tbytes, terms[tbytes]

    def save(self) -> None:
        """Write the postings held so far to a run file, one record a term, in term order."""
        if not self.terms:
            return
        name = f"{random_name()}.grouped"
        with self.tempstore.create_file(name) as run:
            # One pickle a record: a Pickler's memo would keep every record of the run alive.
            for record in self._sorted_terms():
                pickle.dump(record, run, pickle.HIGHEST_PROTOCOL)
        self.runs.append(name)
        self.terms = {}
        self.size = 0

    def _read_run(self, name: str) -> Iterator[tuple[str, bytes, bytes]]:
        with self.tempstore.open_file(name) as run:
            while True:
                try:
                    # One Unpickler a record, as above; a run this writer wrote.
                    yield pickle.load(run)  # noqa: S301
                except EOFError:
                    break
        self.tempstore.delete_file(name)

    def _term_buffers(self) -> Iterator[tuple[str, bytes, bytes]]:
        if not self.runs:
            yield from self._sorted_terms()
            return
        self.save()
        runs, self.runs = self.runs, []
        merged = heapq.merge(*map(self._read_run, runs), key=itemgetter(0, 1))
        for (fieldname, tbytes), records in groupby(merged, key=itemgetter(0, 1)):
            yield fieldname, tbytes, b"".join(record[2] for record in records)

    def term_postings(self) -> Iterator[tuple[str, bytes, array, array, list[bytes]]]:
        """Each term's postings, sorted by field and term: (field, term, document numbers,
        weights, values), what TermWritingSegmentWriter writes a block at a time."""
        unpack = _POSTING.unpack_from
        step = _POSTING.size
        for fieldname, tbytes, buffer in self._term_buffers():
            ids, weights, values = array("I"), array("f"), []
            offset, end = 0, len(buffer)
            while offset < end:
                docnum, weight, length = unpack(buffer, offset)
                offset += step
                ids.append(docnum)
                weights.append(weight)
                values.append(bytes(buffer[offset : offset + length]))
                offset += length
            yield fieldname, tbytes, ids, weights, values

    def iter_postings(self) -> Iterator[Posting]:
        """Every posting, sorted by field, term and document, as PostingPool gives them."""
        for fieldname, tbytes, ids, weights, values in self.term_postings():
            for docnum, weight, value in zip(ids, weights, values, strict=True):
                yield fieldname, tbytes, docnum, weight, value

    def cleanup(self) -> None:
        for name in self.runs:
            self.tempstore.delete_file(name)
        self.runs = []
        self.terms = {}
        self.staged = {}
        self.staged_postings = {}


def _staged_bytes(keys: np.ndarray, values: bytes) -> int:
    """What a document's staged arrays count against the pool's limit."""
    return _CHUNK_OVERHEAD + 24 * len(keys) + len(values)


class GroupingSegmentWriter(
    whoosh_private.FieldAtATimeSegmentWriter, whoosh_private.TermWritingSegmentWriter
):
    """Whoosh's SegmentWriter with a GroupingPool, which it gives a document's postings a
    field at a time and whose terms it writes a block at a time."""

    def __init__(self, ix, limitmb: float = 128, **kwargs) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = GroupingPool(self.temp_storage(), limitmb)

    def add_field_postings(self, fieldname: str, docnum: int, field, value, boost: float) -> int:
        """A bigram field's postings go to the pool as arrays (GroupingPool.add_keyed), any
        other field's as Whoosh's items."""
        bigrams = isinstance(field.format, CompactPositions) and isinstance(
            field.analyzer, BigramTokenizer
        )
        if not bigrams or not isinstance(value, str):
            return super().add_field_postings(fieldname, docnum, field, value, boost)
        keys, counts, weights, values, lengths = field.format.bigram_arrays(value)
        self.pool.add_keyed(fieldname, docnum, keys, weights * boost, values, lengths)
        return int(counts.sum())

    def term_postings(self) -> Iterator[tuple[str, bytes, array, array, list[bytes]]]:
        return self.pool.term_postings()


def die_with_parent(parent_pid: int) -> None:
    """Have Linux kill this process when the thread that started it ends (prctl
    PR_SET_PDEATHSIG), so a killed rebuild takes its workers (about 530 MB each) with it;
    exit now if that parent is already gone."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))
    if os.getppid() != parent_pid:  # the parent died before the call above
        os._exit(1)


class _GroupingTask(SubWriterTask):
    """A worker of GroupingMpWriter: SubWriterTask.run, multisegment, with a grouping writer,
    that dies with its parent."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.parent_pid = os.getpid()

    def run(self) -> None:
        die_with_parent(self.parent_pid)
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = GroupingSegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:
                break
            whoosh_private.process_job_file(self, *jobinfo)
        if not self.running:
            writer.cancel()
            return
        segment = whoosh_private.finalize_segment(writer)
        with SegmentReader(ix.storage, ix.schema, segment) as reader:
            posting_files.keep_segment_posting_files(reader)  # the workers' side by side
        self.resultqueue.put((None, writer.pool.fieldnames, segment), timeout=5)


class GroupingMpWriter(whoosh_private.TaskMpWriter):
    """Whoosh's MpWriter in multisegment mode (each worker writes a segment of its own),
    with GroupingSegmentWriters; merging the workers' runs needs PostingPool's run format."""

    task_class = _GroupingTask

    def __init__(self, ix, procs: int, limitmb: float = 128, **kwargs) -> None:
        kwargs.pop("multisegment", None)
        super().__init__(ix, procs=procs, multisegment=True, limitmb=limitmb, **kwargs)
        self.pool = GroupingPool(self.temp_storage(), limitmb)
