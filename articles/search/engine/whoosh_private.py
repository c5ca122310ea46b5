"""Every private member of Whoosh and haystack the archive reads or overrides, in one module.

whoosh-reloaded and django-haystack are pinned to exact versions (pyproject.toml): their
private members (names starting with `_`) may change in any release. Each use is a function
or class here, saying what it reads and why no public member does. MEMBERS lists them all;
tests/search/engine/test_whoosh_private.py checks each (a test per member, named after it,
failing with its name when an upgrade changes it) and that no other module of the project
reads or overrides a private member of Whoosh or haystack.

No Django or haystack import (the engine's rule): haystack's objects are passed in.
"""

from __future__ import annotations

import pickle
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3PostingsWriter
from whoosh.columns import NumericColumn
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import IndexReader, SegmentReader
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter


@dataclass(frozen=True)
class Member:
    """A private member: its class (`module.Class`) and name; for a method, its parameters
    after self (None: an attribute, read on an object); `overridden` by a class here."""

    owner: str
    name: str
    parameters: tuple[str, ...] | None = None
    overridden: bool = False


_LEAF = "whoosh.codec.whoosh3.W3LeafMatcher"
_POSTINGS_WRITER = "whoosh.codec.whoosh3.W3PostingsWriter"
_CODEC = "whoosh.codec.whoosh3.W3Codec"
_COLUMN = "whoosh.columns.NumericColumn.Reader"

MEMBERS: tuple[Member, ...] = (
    # Queries (docsets.SegmentDocs.docs).
    Member("whoosh.query.terms.MultiTerm", "_btexts", ("ixreader",)),
    Member("whoosh.query.ranges.NumericRange", "_compile_query", ("ixreader",)),
    # Posting blocks (posting_blocks, block_values, is_vector_matcher).
    Member(_LEAF, "_byteids"),
    Member(_LEAF, "_baseoffset"),
    Member(_LEAF, "_read_data", ()),
    Member(_LEAF, "_data"),
    Member(_LEAF, "_nextoffset"),
    Member(_LEAF, "_next_block", ()),
    Member(_LEAF, "_goto", ("position",)),
    Member(_LEAF, "_read_values", ()),
    Member(_LEAF, "_values"),
    # A union of many terms (union_parts).
    Member("whoosh.matching.combo.ArrayUnionMatcher", "_submatchers"),
    Member("whoosh.matching.combo.ArrayUnionMatcher", "_boost"),
    # Field lengths (field_length_bytes).
    Member("whoosh.reading.SegmentReader", "_perdoc"),
    Member("whoosh.codec.whoosh3.W3PerDocReader", "_cached_reader", ("fieldname", "column")),
    Member(_COLUMN, "_typecode"),
    Member(_COLUMN, "_count"),
    Member(_COLUMN, "_basepos"),
    Member(_COLUMN, "_dbfile"),
    # The term dictionary's sorted positions (spread_terms).
    Member("whoosh.reading.SegmentReader", "_terms"),
    Member("whoosh.codec.whoosh3.W3TermsReader", "_tindex"),
    Member("whoosh.codec.whoosh3.W3TermsReader", "_keydecoder"),
    Member("whoosh.filedb.filetables.OrderedHashReader", "_get_pos"),
    # Index writers (process_job_file, finalize_segment, TaskMpWriter).
    Member("whoosh.multiproc.SubWriterTask", "_process_file", ("filename", "doc_count")),
    Member("whoosh.writing.SegmentWriter", "_finalize_segment", ()),
    Member("whoosh.multiproc.MpWriter", "_new_task", (), overridden=True),
    # A segment's postings a term at a time (TermWritingSegmentWriter, add_posting_blocks).
    Member("whoosh.writing.SegmentWriter", "_flush_segment", (), overridden=True),
    Member("whoosh.codec.whoosh3.W3FieldWriter", "_postwriter"),
    Member(_POSTINGS_WRITER, "_blocklimit"),
    Member(_POSTINGS_WRITER, "_weights"),
    Member(_POSTINGS_WRITER, "_values"),
    # The codec's options (postings_writer_options) and its block writer (BlockPicklingWriter).
    Member(_CODEC, "_blocklimit"),
    Member(_CODEC, "_compression"),
    Member(_CODEC, "_inlinelimit"),
    Member(_POSTINGS_WRITER, "_write_block", ("last",), overridden=True),
    Member(_POSTINGS_WRITER, "_blockcount"),
    Member(_POSTINGS_WRITER, "_postfile"),
    Member(_POSTINGS_WRITER, "_terminfo"),
    Member(_POSTINGS_WRITER, "_mini_ids", ()),
    Member(_POSTINGS_WRITER, "_mini_weights", ()),
    Member(_POSTINGS_WRITER, "_mini_values", ()),
    Member(_POSTINGS_WRITER, "_compression"),
    Member(_POSTINGS_WRITER, "_ids"),
    Member(_POSTINGS_WRITER, "_maxweight"),
    Member(_POSTINGS_WRITER, "_minlength"),
    Member(_POSTINGS_WRITER, "_maxlength"),
    Member(_POSTINGS_WRITER, "_new_block", ()),
    # The index object (set_index_schema, segments).
    Member("whoosh.index.FileIndex", "_schema"),
    Member("whoosh.index.FileIndex", "_segments", ()),
    # haystack (from_python, to_python, query_alias).
    Member("haystack.backends.whoosh_backend.WhooshSearchBackend", "_from_python", ("value",)),
    Member("haystack.backends.whoosh_backend.WhooshSearchBackend", "_to_python", ("value",)),
    Member("haystack.backends.BaseSearchQuery", "_using"),
)


# Queries.


def multiterm_texts(q, reader: IndexReader) -> Iterator[bytes]:
    """The terms (as bytes) a wildcard, prefix or range query expands to in `reader`:
    MultiTerm._btexts. The public route, simplify(), builds a query object per term."""
    return q._btexts(reader)


def numeric_range_terms(q, reader: IndexReader):
    """A NumericRange as the query on the indexed terms it stands for:
    NumericRange._compile_query, what its own matcher() searches."""
    return q._compile_query(reader)


# Posting blocks of a W3LeafMatcher (the matcher of one term in one segment).


def is_vector_matcher(matcher) -> bool:
    """Does the matcher read a term vector (terms as ids) rather than postings:
    W3LeafMatcher._byteids."""
    return bool(matcher._byteids)


def posting_blocks(matcher) -> Iterator[tuple[int, tuple, object]]:
    """(offset of the block in the postings file, gaps between document numbers, weights)
    of each block of the matcher, from its first: a whole block's pickled tuple at once,
    where the public matcher decodes a posting at a time in Python. Reads _baseoffset (the
    first block's offset), _read_data and _data (the block's tuple), _nextoffset and
    _next_block (the next block); weights are None when all are 1.0, one float when all
    are equal."""
    offset = matcher._baseoffset
    while matcher.is_active():
        matcher._read_data()
        yield offset, matcher._data[0], matcher._data[1]
        offset = matcher._nextoffset
        matcher._next_block()


def block_values(matcher, offset: int) -> tuple:
    """The values (e.g. encoded positions) of the block at `offset` of the postings file:
    _goto, _read_values and _values read that block alone, not the blocks before it."""
    matcher._goto(offset)
    matcher._read_values()
    return matcher._values


# Matchers.


def union_parts(matcher) -> tuple[list, float]:
    """(sub-matchers, boost) of an ArrayUnionMatcher (Whoosh's union of many terms), to
    evaluate it as Whoosh scores it: _submatchers and _boost, which it has no accessor for."""
    return matcher._submatchers, matcher._boost


# A segment's files.


def field_length_bytes(reader: IndexReader, fieldname: str) -> bytes | None:
    """Each document's length of a field, one byte a document as Whoosh stores it (up to the
    segment's size), or None where they are not stored so (another codec or column type).
    The public doc_field_length reads one document at a time. Reads SegmentReader._perdoc and
    its _cached_reader (the length column, opened once), and the column reader's _typecode,
    _count, _basepos and _dbfile (where its bytes are)."""
    if not isinstance(reader, SegmentReader):
        return None
    column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    if type(column) is not NumericColumn.Reader or column._typecode != "B":
        return None
    count = min(column._count, reader.doc_count_all())
    return column._dbfile.get(column._basepos, count)


def spread_terms(reader: SegmentReader, most: int) -> list[tuple[str, bytes]]:
    """About `most` (field, term) pairs evenly spaced over the segment's whole term
    dictionary, and its first and last, found without walking it: Whoosh keeps the position
    of every key in sorted order in an array at the end of the .trm file, which its binary
    search reads. Reads SegmentReader._terms (the W3TermsReader), its _tindex (the
    OrderedHashReader of the .trm file) and _keydecoder, and the table's _get_pos with its
    indexlen, indexbase and indexsize."""
    terms = reader._terms
    table = terms._tindex
    count = table.indexlen
    chosen = sorted({*range(0, count, max(1, count // most)), count - 1} - {-1})
    return [
        terms._keydecoder(table.key_at(table._get_pos(table.indexbase + n * table.indexsize)))
        for n in chosen
    ]


# Index writers.


def process_job_file(task: SubWriterTask, filename: str, doc_count: int) -> None:
    """Add the documents of a job file the parent MpWriter wrote, in a worker process:
    SubWriterTask._process_file (the file's format is Whoosh's own)."""
    task._process_file(filename, doc_count)


def finalize_segment(writer):
    """Write the writer's segment out and return it without committing a table of contents
    (a worker's segment, which the parent commits): SegmentWriter._finalize_segment."""
    return writer._finalize_segment()


class TaskMpWriter(MpWriter):
    """MpWriter whose worker processes are `task_class`: overrides MpWriter._new_task, which
    MpWriter calls to start each worker and which names SubWriterTask itself (the body is
    Whoosh's own, the class a class attribute)."""

    task_class: type[SubWriterTask] = SubWriterTask

    def _new_task(self) -> SubWriterTask:
        task = self.task_class(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        return task


class TermWritingSegmentWriter(SegmentWriter):
    """SegmentWriter that writes the postings of each term a block at a time.

    Overrides SegmentWriter._flush_segment, which Whoosh calls once the documents are added:
    its body hands the pool's postings one by one to FieldWriter.add_postings, about three
    microseconds a posting in Python (a million articles make 750 million). Here each term's
    postings come from `term_postings` as arrays and add_posting_blocks fills Whoosh's posting
    writer a block at a time; the field writer's start_field, start_term, finish_term and
    finish_field (public) write the term dictionary and each term's last block as before, so
    the files are the same bytes. A codec that records field lengths per block (length_stats)
    takes Whoosh's own path, as does a writer whose `blocks_at_once` is False.
    """

    blocks_at_once = True

    def term_postings(self) -> Iterator[tuple[str, bytes, array, array, list[bytes]]]:
        """(field, term, document numbers, weights, values) of each term, in field and term
        order."""
        raise NotImplementedError

    def _flush_segment(self) -> None:
        if self.codec.length_stats or not self.blocks_at_once:
            super()._flush_segment()
            return
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        current = None
        for fieldname, btext, ids, weights, values in self.term_postings():
            if fieldname != current:
                if current is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(fieldname, self.schema[fieldname])
                current = fieldname
            fieldwriter.start_term(btext)
            add_posting_blocks(fieldwriter._postwriter, ids, weights, values)
            fieldwriter.finish_term()
        if current is not None:
            fieldwriter.finish_field()
        fieldwriter.close()


def add_posting_blocks(
    postwriter: W3PostingsWriter, ids: array, weights: array, values: list[bytes]
) -> None:
    """Give a term's postings to the posting writer a block at a time, as add_posting would
    one by one: each full block written (_write_block) once the next is to be filled, the
    last left for finish_postings. Sets the block being built, which add_posting fills: _ids
    (array "I"), _weights (array "f"), _values (only the non-empty ones) and _maxweight
    (0 unless a weight is above it); _blocklimit is the block's size."""
    limit = postwriter._blocklimit
    for start in range(0, len(ids), limit):
        if start:
            postwriter._write_block()
        block_weights = weights[start : start + limit]
        postwriter._ids = ids[start : start + limit]
        postwriter._weights = block_weights
        postwriter._values = [value for value in values[start : start + limit] if value]
        top = max(block_weights)
        postwriter._maxweight = top if top > 0 else 0


# The codec.


def postings_writer_options(codec) -> dict:
    """The W3Codec's options of its postings writers (block size, compression, postings
    inlined in the term dictionary): _blocklimit, _compression and _inlinelimit, which the
    codec passes to W3PostingsWriter in its own postings_writer."""
    return {
        "blocklimit": codec._blocklimit,
        "compression": codec._compression,
        "inlinelimit": codec._inlinelimit,
    }


class BlockPicklingWriter(W3PostingsWriter):
    """Whoosh's posting blocks, pickled with `pickle_protocol`; blocks whose pickle is shorter
    than `min_compressed` stay uncompressed, as Whoosh meant to do (its check is overwritten on
    the next line).

    Overrides W3PostingsWriter._write_block (Whoosh calls it for each full block and the
    last): Whoosh's own body, which reads the block being built from _ids, _maxweight,
    _minlength, _maxlength and _compression, minifies it with _mini_ids, _mini_weights and
    _mini_values, writes to _postfile, adds the block to _terminfo, counts _blockcount and
    starts the next with _new_block. Readers unpickle any protocol.
    """

    pickle_protocol = 2
    min_compressed = 20

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = (self._mini_ids(), self._mini_weights(), self._mini_values())
        databytes = pickle.dumps(data, self.pickle_protocol)
        comp = self._compression if len(databytes) >= self.min_compressed else 0
        if comp:
            databytes = zlib.compress(databytes, comp)
        ids = self._ids
        info = (
            len(ids),
            ids[-1],
            self._maxweight,
            comp,
            length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
        )
        infobytes = pickle.dumps(info, self.pickle_protocol)
        blocklength = len(infobytes) + len(databytes)
        self._postfile.write_int(-blocklength if last else blocklength)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


# The index object.


def set_index_schema(index, schema) -> None:
    """Give a FileIndex its schema without FileIndex.__init__, which reads the table of
    contents (a damaged one must not stop a rebuild): FileIndex._schema, which its methods
    read."""
    index._schema = schema


def segments(index) -> list:
    """The segments of the index's latest generation: FileIndex._segments (no public
    accessor; tests and bench/update_growth.py count them)."""
    return index._segments()


# haystack (its objects passed in: no haystack import here).


def from_python(backend, value):
    """A value as haystack's Whoosh backend writes it into a document (dates as strings,
    lists joined by commas): WhooshSearchBackend._from_python."""
    return backend._from_python(value)


def to_python(backend, value):
    """A stored value read back as haystack's Whoosh backend reads it:
    WhooshSearchBackend._to_python."""
    return backend._to_python(value)


def query_alias(search_query) -> str:
    """The connection alias a haystack SearchQuery was made for: BaseSearchQuery._using,
    which it sets in __init__ and exposes nowhere else."""
    return search_query._using
