"""Every private member of Whoosh and haystack the archive reads or overrides, in one package.

whoosh-reloaded and django-haystack are pinned to exact versions (pyproject.toml): their
private members (names starting with `_`) may change in any release. Each use is a function
or class here (the index writers' in `writing.py`, imported here), saying what it reads and
why no public member does. MEMBERS lists them all; tests/search/engine/test_whoosh_private.py
checks each (a test per member, named after it, failing with its name when an upgrade changes
it) and that no module outside this package reads or overrides a private member of Whoosh or
haystack.

No Django or haystack import (the engine's rule): haystack's objects are passed in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.columns import NumericColumn
from whoosh.reading import IndexReader, SegmentReader

from articles.search.engine.whoosh_private.writing import (
    BlockPicklingWriter,
    FieldAtATimeSegmentWriter,
    TaskMpWriter,
    TermWritingSegmentWriter,
    add_posting_blocks,
    finalize_segment,
    postings_writer_options,
    process_job_file,
)


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
    # A document's postings a field at a time (FieldAtATimeSegmentWriter).
    Member("whoosh.writing.SegmentWriter", "_check_state", ()),
    Member("whoosh.writing.SegmentWriter", "_doc_boost", ("fields", "default")),
    Member("whoosh.writing.SegmentWriter", "_field_boost", ("fields", "fieldname", "default")),
    Member("whoosh.writing.SegmentWriter", "_check_fields", ("schema", "fieldnames")),
    Member("whoosh.writing.SegmentWriter", "_added"),
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


__all__ = [
    "MEMBERS",
    "BlockPicklingWriter",
    "FieldAtATimeSegmentWriter",
    "Member",
    "TaskMpWriter",
    "TermWritingSegmentWriter",
    "add_posting_blocks",
    "block_values",
    "field_length_bytes",
    "finalize_segment",
    "from_python",
    "is_vector_matcher",
    "multiterm_texts",
    "numeric_range_terms",
    "posting_blocks",
    "postings_writer_options",
    "process_job_file",
    "query_alias",
    "segments",
    "set_index_schema",
    "spread_terms",
    "to_python",
    "union_parts",
]
