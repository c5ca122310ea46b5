"""Whoosh's index writers and codec where the archive reads or overrides their private members.

Part of whoosh_private: MEMBERS (in __init__.py) lists these members with the others, and the
package's tests check them. No Django or haystack import."""

from __future__ import annotations

import functools
import pickle
import zlib
from array import array
from collections.abc import Iterator

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3PostingsWriter
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

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


class FieldAtATimeSegmentWriter(SegmentWriter):
    """SegmentWriter that gives its pool a document's postings a field at a time.

    Overrides SegmentWriter.add_document (public), whose body calls the pool's `add` once a
    posting with a tuple: about 700 calls an article. This is Whoosh's body, but for that loop:
    `add_field_postings` gives the pool all of a field's postings, by default its (term,
    frequency, weight, value) items through `pool.add_field`, and returns their frequencies'
    sum, the field's length. It reads SegmentWriter._check_state, _doc_boost, _field_boost and
    _check_fields and sets _added, as Whoosh's body does. A schema with term vectors or
    separately spelled words, which that body also writes, takes Whoosh's add_document, as does
    a writer whose `fields_at_once` is False.
    """

    fields_at_once = True

    def add_field_postings(self, fieldname: str, docnum: int, field, value, boost: float) -> int:
        """Give the pool a document's postings in one field; return the field's length."""
        return self.pool.add_field(fieldname, docnum, field.index(value), boost)

    @functools.cached_property
    def _whooshs_add_document(self) -> bool:
        return not self.fields_at_once or any(
            field.vector or field.separate_spelling() for field in self.schema
        )

    def add_document(self, **fields) -> None:
        if self._whooshs_add_document:
            super().add_document(**fields)
            return
        schema = self.schema
        self._check_state()
        perdocwriter = self.perdocwriter
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    length = self.add_field_postings(fieldname, docnum, field, value, boost)
                    length = length if field.scorable else 0
                stored = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
                if field.column_type and stored is not None:
                    column_value = field.to_column_value(stored)
                    perdocwriter.add_column_value(fieldname, field.column_type, column_value)
        except Exception:  # Whoosh's own: the document is dropped whatever went wrong
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1


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
