"""haystack's Whoosh backend with Chinese analysis and substring recall: the adapter.

Settings: `"ENGINE": "articles.search.backend.ArticleWhooshEngine"`. The parts it joins:
- articles/search/fields.py and engine/fields.py: the schema (jieba text, character bigrams,
  whole names with facet columns);
- articles/search/engine/whoosh_parser.py: query strings into Whoosh queries (the document field as
  jieba words, the bigram field as exact strings);
- articles/search/engine/docsets.py, docset_search.py: the search engine on document sets (a query's
  matches as a bitset per segment; only the requested page is scored by Whoosh or sorted by
  column), whose answers equal haystack's own Whoosh search (tests/search/test_backend.py),
  asked by articles/search/backend_search.py (the backend's search side);
- articles/search/engine/readers.py: the index on disk, one per folder in a process with one reader
  and per-segment caches shared by every thread, and a new index built beside and swapped in.

Writes: one writer at a time, waiting up to WRITE_TIMEOUT, each commit merging what updates
have grown (readers.merge_grown), then writing the long posting lists of new large segments
as arrays (engine/posting_files.py); large update_index batches are analysed by INDEX_PROCS
worker processes. `rebuild` (manage.py rebuild_index) fills a new
index beside the live one and swaps it in whole; `clear` commits an empty generation. Neither
deletes the folder under its readers, and a search whose reader lost a file reopens it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from itertools import chain

from haystack import connections
from haystack.backends.whoosh_backend import (
    WhooshEngine,
    WhooshSearchBackend,
    WhooshSearchQuery,
)
from haystack.constants import ID
from haystack.exceptions import SkipDocument
from haystack.inputs import Clean, Exact
from haystack.utils import get_identifier
from whoosh.fields import Schema
from whoosh.index import LockError
from whoosh.multiproc import MpWriter
from whoosh.writing import CLEAR

from articles.search.backend_search import DocSetSearchMixin
from articles.search.engine.analysis import segmenter
from articles.search.engine.posting_files import keep_posting_files
from articles.search.engine.readers import (
    ArticleFileIndex,
    build_beside,
    merge_grown,
    open_folder,
    rebuild_under_way,
    rebuilding_beside,
    shared_index,
    write_lock,
)
from articles.search.engine.whoosh_parser import ArticleQueryParser, value_token
from articles.search.engine.whoosh_private import from_python, query_alias
from articles.search.fields import bigram_parts, whoosh_schema

# Whoosh's name of the index in its folder (its files start with it), as haystack opens it.
INDEX_NAME = "MAIN"
# Seconds a write waits for another writer (Whoosh allows one) before it fails; connection
# option WRITE_TIMEOUT. A failed write raises, so the caller can keep the update for later.
WRITE_TIMEOUT = 30.0
# Seconds a rebuild waits for the write in progress (connection option REBUILD_WAIT): an
# update_index batch of BATCH_SIZE articles, or a merge, may hold the lock for minutes.
REBUILD_WAIT = 600.0
# Articles per update_index batch (connection option BATCH_SIZE; haystack's default is 1000):
# per term costs of a segment are paid once for more documents.
BATCH_SIZE = 4000
# Processes indexing a batch of PARALLEL_BATCH or more articles (connection option INDEX_PROCS),
# each with a posting buffer of WORKER_LIMIT_MB before it spills to disk.
INDEX_PROCS = min(os.cpu_count() or 1, 4)
PARALLEL_BATCH = 1000
WORKER_LIMIT_MB = 256


class ArticleSearchBackend(DocSetSearchMixin, WhooshSearchBackend):
    """The schema and the writes; searches are DocSetSearchMixin's (backend_search.py)."""

    def __init__(self, connection_alias: str, **connection_options) -> None:
        super().__init__(connection_alias, **connection_options)
        self.write_timeout = float(connection_options.get("WRITE_TIMEOUT", WRITE_TIMEOUT))
        self.index_procs = int(connection_options.get("INDEX_PROCS", INDEX_PROCS))
        self.batch_size = int(connection_options.get("BATCH_SIZE", BATCH_SIZE))
        self.rebuild_wait = float(connection_options.get("REBUILD_WAIT", REBUILD_WAIT))

    def setup(self) -> None:
        """haystack's setup, without reading the index: it opened (and so read) the table of
        contents, and a damaged one then stopped even rebuild_index, whose new index never
        needs the old one. A damaged index is found by the readers (and /health)."""
        if not self.use_file_storage:
            super().setup()
            self.index = shared_index(self.storage, self.schema, self.index.indexname)
        else:
            self.content_field_name, self.schema = self.build_schema(
                connections[self.connection_alias].get_unified_index().all_searchfields()
            )
            self.index = open_folder(self.path, self.schema, INDEX_NAME)
            self.storage = self.index.storage
            self.setup_complete = True
        self.parser = ArticleQueryParser(
            self.content_field_name, self.bigram_field_name, self.schema, self.bigram_parts
        )

    def build_schema(self, fields: dict) -> tuple[str, Schema]:
        content_field_name, self.bigram_field_name, schema = whoosh_schema(fields)
        self.bigram_parts = bigram_parts(fields)
        return content_field_name, schema

    def _writer(self, procs: int = 1):
        """A writer that waits its turn; whoosh.index.LockError once write_timeout has passed.

        haystack's own update() uses an AsyncWriter, which on a held lock buffers the documents
        in a thread of this process: they are lost if the process ends first. With procs > 1,
        worker processes analyse the documents and write a segment each.
        """
        if not self.setup_complete:
            self.setup()
        if self.use_file_storage and rebuild_under_way(self.path):
            raise LockError(
                "a rebuild of the search index is under way; the update stays queued and is "
                "applied to the new index"
            )
        return self.index.writer(timeout=self.write_timeout, delay=0.05, **_procs(procs))

    def update(self, index, iterable, commit: bool = True) -> None:
        """Index `iterable`; it is read only once the write lock is held.

        So a QuerySet passed in reflects every change committed before this write began, and
        two processes indexing the same article cannot leave the older version last. A list
        of PARALLEL_BATCH or more (update_index passes batches of batch_size) is indexed by
        index_procs processes.
        """
        bulk = isinstance(iterable, list) and len(iterable) >= PARALLEL_BATCH
        writer = self._writer(procs=self.index_procs if bulk else 1)
        if self._write(writer, index, [iterable], writer.update_document):
            keep_posting_files(self.index)

    def _write(self, writer, index, batches: Iterable[Iterable], add: Callable) -> int:
        """Add the documents of `batches` with `add`, then commit; cancel on any error."""
        written = 0
        try:
            for obj in chain.from_iterable(batches):
                try:
                    doc = index.full_prepare(obj)
                except SkipDocument:
                    continue
                doc = {key: from_python(self, value) for key, value in doc.items()}
                doc.pop("boost", None)  # Whoosh 2.5+ has no document boosts
                add(**doc)
                written += 1
        except BaseException:
            _cancel(writer)
            raise
        if written:
            writer.commit(mergetype=merge_grown)
        else:
            _cancel(writer)
        return written

    def rebuild(self, index, batches: Iterable[Iterable], total: int) -> int:
        """Index every object of `batches` into a new index beside the live one, then swap it
        in whole (readers never see an empty or partial index); returns how many.

        The live index's write lock is held throughout, so no update lands in the index being
        replaced. The rebuild waits up to rebuild_wait for the write in progress; from the
        moment it starts waiting, writers leave their updates queued for afterwards
        (`_writer`), so the queue's writers never keep it from the lock. One
        writer (index_procs processes for PARALLEL_BATCH or more of `total` objects) takes
        every batch and commits once.
        """
        if not self.setup_complete:
            self.setup()

        def fill(new: ArticleFileIndex) -> int:
            writer = new.writer(**_procs(self.index_procs if total >= PARALLEL_BATCH else 1))
            written = self._write(writer, index, batches, writer.add_document)
            keep_posting_files(new)  # before the swap: the first searches read them
            return written

        with (
            rebuilding_beside(self.path) as beside,
            write_lock(self.index, self.rebuild_wait),
        ):
            return build_beside(beside, self.path, self.schema, self.index.indexname, fill)

    def clear(self, models=None, commit: bool = True) -> None:
        """Without models: an empty generation, committed in one step; haystack deletes the
        folder, under the feet of every reader."""
        if models is not None:
            return super().clear(models, commit)
        writer = self._writer()
        writer.commit(mergetype=CLEAR)
        return None

    def remove(self, obj_or_string, commit: bool = True) -> None:
        writer = self._writer()
        try:
            writer.delete_by_term(ID, get_identifier(obj_or_string))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=merge_grown)
        keep_posting_files(self.index)  # a merge may have made a large segment


def _procs(procs: int) -> dict:
    """Writer options: with procs > 1, worker processes analyse the documents and write a
    segment each."""
    if procs <= 1:
        return {}
    segmenter()  # loaded before the workers fork, so none loads it again
    return {"procs": procs, "multisegment": True, "limitmb": WORKER_LIMIT_MB}


def _cancel(writer) -> None:
    """Whoosh's MpWriter.cancel() leaves its workers waiting for work forever."""
    if isinstance(writer, MpWriter):
        for task in writer.tasks:
            task.terminate()
            task.join()
    writer.cancel()


class ArticleWhooshSearchQuery(WhooshSearchQuery):
    def build_query_fragment(self, field: str, filter_type: str, value) -> str:
        """A reader's text on the document field (a word) or the bigram field (an exact string)
        as a value token too: haystack wraps a word in single quotes it does not escape, and
        `x')OR(kind:'news` was read as a filter on kind."""
        if filter_type == "content" and type(value) in (str, Clean, Exact):
            unified = connections[query_alias(self)].get_unified_index()
            document = unified.document_field
            name = document if field == "content" else unified.get_index_fieldname(field)
            searchfield = unified.all_searchfields().get(name)
            bigrams = searchfield is not None and searchfield.field_type == "bigram"
            # Exact on the document field is the parser's phrase: the string ranked by words.
            if bigrams or (name == document and type(value) is not Exact):
                text = value if isinstance(value, str) else value.query_string
                return f"{name}:({value_token(text)})"
        return super().build_query_fragment(field, filter_type, value)

    def build_value_query(self, text: str) -> str:
        """A whole value (articles.search.inputs.Value) as a token the parser reads back as
        one Term: no character of the value is query syntax."""
        return value_token(text)


class ArticleWhooshEngine(WhooshEngine):
    backend = ArticleSearchBackend
    query = ArticleWhooshSearchQuery
