"""The index on disk and its readers: one reader of the latest generation shared by searches,
and a SegmentCache per segment. No Django or haystack import.
"""

from __future__ import annotations

from whoosh.fields import Schema
from whoosh.index import FileIndex
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from articles.search.docsets import SegmentCache


class ArticleFileIndex(FileIndex):
    """The index on disk: separate segment files, one reader shared by its searchers, and a
    SegmentCache per segment.

    Whoosh copies a compound segment into memory each time a reader opens it, and haystack
    opens two or three readers per search. haystack gives each thread its own backend, and so
    its own index object: readers and caches are never shared between threads.
    """

    def __init__(self, storage, schema: Schema, indexname: str) -> None:
        super().__init__(storage, schema=schema, indexname=indexname)
        self._shared: IndexReader | None = None
        self._caches: dict[str, SegmentCache] = {}

    def writer(self, procs: int = 1, **kwargs):
        kwargs.setdefault("compound", False)
        return super().writer(procs=procs, **kwargs)

    def shared_reader(self) -> IndexReader:
        """A reader of the latest generation, reopened only once a writer has committed."""
        if self._shared is None or self._shared.generation() != self.latest_generation():
            if self._shared is not None:
                self._shared.close()
            self._shared = self.reader()
            current = {_segment_id(reader) for reader, _ in self._shared.leaf_readers()}
            self._caches = {key: c for key, c in self._caches.items() if key in current}
        return self._shared

    def searcher(self, **kwargs) -> Searcher:
        return Searcher(self.shared_reader(), fromindex=self, closereader=False, **kwargs)

    def doc_count(self) -> int:
        return self.shared_reader().doc_count()

    def segment_cache(self, reader: IndexReader) -> SegmentCache:
        return self._caches.setdefault(_segment_id(reader), SegmentCache())


def _segment_id(reader: IndexReader) -> str | None:
    segment = reader.segment()  # None for an empty index
    return segment.segment_id() if segment is not None else None
