"""The index on disk and its readers: one index object per folder in a process, shared by its
threads, with one reader of the latest generation and a SegmentCache per segment; and a whole
new index built beside the live one, then swapped in. No Django or haystack import.
"""

from __future__ import annotations

import ctypes
import glob
import os
import shutil
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import Schema, ensure_schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex, LockError
from whoosh.reading import IndexReader, ReaderClosed, SegmentReader
from whoosh.searching import Searcher
from whoosh.util.filelock import try_for

from articles.search.engine import whoosh_private
from articles.search.engine.docsets import RecentValues, SegmentCache
from articles.search.engine.pool import GroupingMpWriter, GroupingSegmentWriter

# A segment with this share of its documents deleted is rewritten without them (the most
# deleted one, one a commit): rewriting costs about what indexing its live documents again
# does, so each update pays for at most 1 / MERGE_DELETED_SHARE documents rewritten, and
# deleted documents take at most this share of the index's segments.
MERGE_DELETED_SHARE = 0.25
# Segments of about the same number of live documents are one tier (the lowest: fewer than
# MERGE_FACTOR * MERGE_MIN_DOCUMENTS), each MERGE_FACTOR times larger than the one below;
# MERGE_FACTOR segments in a tier are merged into one of the next, so a new document is
# rewritten about once per tier it climbs, not at every commit.
MERGE_MIN_DOCUMENTS = 100
MERGE_FACTOR = 4
# Segments an index keeps at most after a commit (a rebuild writes one per index process).
MAX_SEGMENTS = 10
# renameat2(2): exchange two paths in one step; the directory file descriptor of the cwd.
RENAME_EXCHANGE = 2
AT_FDCWD = -100


# The pickle protocol of posting blocks: 3 is the first with a bytes opcode.
BLOCK_PICKLE_PROTOCOL = 3
# Blocks whose pickle is shorter are stored uncompressed (zlib would only add bytes).
MIN_COMPRESSED_BLOCK = 20


class ArticlePostingsWriter(whoosh_private.BlockPicklingWriter):
    """Whoosh's posting blocks, pickled with protocol 3 instead of 2.

    Protocol 2 has no opcode for bytes: each posting's value (a bigram's positions) became a
    call of _codecs.encode on a latin-1 string, about 20 bytes where protocol 3 takes 2, and
    zlib left 12 bytes a posting of it. Readers unpickle any protocol, so Whoosh's reader
    reads these blocks unchanged. Small blocks stay uncompressed, as Whoosh meant to do (its
    check is overwritten on the next line).
    """

    pickle_protocol = BLOCK_PICKLE_PROTOCOL
    min_compressed = MIN_COMPRESSED_BLOCK


class ArticleCodec(W3Codec):
    """Whoosh's codec with ArticlePostingsWriter and no field length statistics per block.

    Whoosh reads each posting's document length while writing the block to record the
    block's shortest and longest document, which only bound BM25 scores for skipping blocks
    (Whoosh's block-max optimisation, off in DocSetSearch); without them a rebuild takes 8%
    less CPU. Blocks then bound scores by length 0, which still bounds them from above.
    Segments pickle their codec, so this class stays importable for as long as such an
    index exists.
    """

    length_stats = False

    def postings_writer(self, dbfile, byteids: bool = False) -> ArticlePostingsWriter:
        options = whoosh_private.postings_writer_options(self)
        return ArticlePostingsWriter(dbfile, byteids=byteids, **options)


class ArticleFileIndex(FileIndex):
    """The index on disk: separate segment files, one reader shared by its searchers, and a
    SegmentCache per segment.

    Whoosh copies a compound segment into memory each time a reader opens it, and haystack
    opens two or three readers per search. haystack gives each thread its own backend; they
    all get this one object (`shared_index`), so a process holds one set of readers and
    caches. Whoosh reads its files by seek-then-read on one file object, so a search holds
    `search_lock`; searching is Python holding the GIL anyway, the database work around it
    runs in parallel.
    """

    def __init__(self, storage, schema: Schema, indexname: str) -> None:
        # Not FileIndex.__init__, which reads the table of contents: a damaged one must stop
        # only the readers (and show in /health), not a rebuild that replaces it.
        self.storage = storage
        whoosh_private.set_index_schema(self, ensure_schema(schema))
        self.indexname = indexname
        self.search_lock = threading.RLock()
        self._shared: IndexReader | None = None
        self._opened: tuple[int, int, int] | None = None
        self._caches: dict[str, SegmentCache] = {}
        self._recent = RecentValues()

    def refresh(self) -> ArticleFileIndex:
        """This object: shared_reader follows new generations (haystack replaced the index
        object on each change, and with it every cache)."""
        return self

    def writer(self, procs: int = 1, **kwargs) -> GroupingSegmentWriter | GroupingMpWriter:
        """Whoosh's writers with postings grouped by term (pool.py), ArticleCodec and
        separate segment files; procs > 1 worker processes write a segment each."""
        kwargs.setdefault("compound", False)
        kwargs.setdefault("codec", ArticleCodec())
        if procs > 1:
            return GroupingMpWriter(self, procs=procs, **kwargs)
        return GroupingSegmentWriter(self, **kwargs)

    def _version(self) -> tuple[int, int, int]:
        """Which reader this process may use: its own (a gunicorn worker forked after the
        preload must not share the master's file offsets), of the index the folder holds (a
        rebuild swaps in another directory, another inode, whose generations start again)."""
        return os.getpid(), os.stat(self.storage.folder).st_ino, self.latest_generation()

    def shared_reader(self) -> IndexReader:
        """A reader of the latest generation, reopened only once a writer has committed, a
        rebuild has swapped the folder or the process has forked; the segment caches are kept
        for the segments still there. Call with search_lock held."""
        version = self._version()
        if self._shared is None or self._opened != version:
            self._close()
            self._shared, self._opened = self.reader(), version
            current = {_segment_id(reader) for reader, _ in self._shared.leaf_readers()}
            self._caches = {key: c for key, c in self._caches.items() if key in current}
        return self._shared

    def reopen(self) -> None:
        """Drop the reader: the next search opens the index afresh (after a file of an older
        index vanished under it)."""
        self._close()
        self._shared = self._opened = None

    def _close(self) -> None:
        if self._shared is not None:
            with suppress(ReaderClosed):  # closed under us: what reopen() is for
                self._shared.close()

    def searcher(self, **kwargs) -> Searcher:
        return Searcher(self.shared_reader(), fromindex=self, closereader=False, **kwargs)

    def doc_count(self) -> int:
        with self.search_lock:
            return self.shared_reader().doc_count()

    def segment_cache(self, reader: IndexReader) -> SegmentCache:
        key = _segment_id(reader)
        cache = self._caches.get(key)
        if cache is None:
            cache = self._caches[key] = SegmentCache(self._recent)
        return cache


def _segment_id(reader: IndexReader) -> str | None:
    segment = reader.segment()  # None for an empty index
    return segment.segment_id() if segment is not None else None


_indexes: weakref.WeakValueDictionary[tuple[str, str], ArticleFileIndex] = (
    weakref.WeakValueDictionary()
)
_indexes_lock = threading.Lock()


def shared_index(storage: FileStorage, schema: Schema, indexname: str) -> ArticleFileIndex:
    """The process's index object for this folder, made by the first thread that asks."""
    key = (os.path.abspath(storage.folder), indexname)
    with _indexes_lock:
        index = _indexes.get(key)
        if index is None:
            index = _indexes[key] = ArticleFileIndex(storage, schema, indexname)
        return index


def segments_to_merge(segments: list) -> list:
    """Which segments a commit merges (with its new documents, into one new segment), for an
    index that updates grow: an update deletes the old document where it is and adds the new
    one in a new segment.

    - the segment of MERGE_MIN_DOCUMENTS or more with the largest share of deleted documents,
      if that share reaches MERGE_DELETED_SHARE (one a commit, so no commit rewrites two
      large segments);
    - the MERGE_FACTOR smallest segments of the lowest tier holding MERGE_FACTOR or more;
    - the smallest others, when more than MAX_SEGMENTS would remain.

    Whoosh's default (MERGE_SMALL) kept every deleted document of the large segments (557 to
    766 MiB after 8,000 updates at 100k); rewriting every segment a tenth deleted made 200
    updates take 96 s instead of 8 (bench/update_growth.py, docs/scaling.md).
    """
    merged = []
    worn = [
        s
        for s in segments
        if s.doc_count_all() >= MERGE_MIN_DOCUMENTS
        and s.deleted_count() >= MERGE_DELETED_SHARE * s.doc_count_all()
    ]
    if worn:
        merged.append(max(worn, key=lambda s: s.deleted_count() / s.doc_count_all()))
    tiers: dict[int, list] = {}
    for segment in segments:
        if segment not in merged:
            tiers.setdefault(_tier(segment.doc_count()), []).append(segment)
    full = [tier for tier in sorted(tiers) if len(tiers[tier]) >= MERGE_FACTOR]
    if full:
        merged += sorted(tiers[full[0]], key=lambda s: s.doc_count())[:MERGE_FACTOR]
    kept = sorted((s for s in segments if s not in merged), key=lambda s: s.doc_count())
    # The commit adds one segment: the merged ones and its new documents.
    excess = len(kept) + 1 - MAX_SEGMENTS
    return merged + kept[: max(excess, 0)]


def _tier(live: int) -> int:
    """0 for up to MERGE_FACTOR * MERGE_MIN_DOCUMENTS live documents, 1 for up to
    MERGE_FACTOR times more, and so on."""
    tier, bound = 0, MERGE_FACTOR * MERGE_MIN_DOCUMENTS
    while live >= bound:
        tier, bound = tier + 1, bound * MERGE_FACTOR
    return tier


def merge_grown(writer, segments: list) -> list:
    """Whoosh's merge policy for a commit (`mergetype`): merges segments_to_merge(segments)
    into the commit's new segment and returns the others."""
    merged = segments_to_merge(segments)
    for segment in merged:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in merged]


def open_folder(folder: str, schema: Schema, indexname: str) -> ArticleFileIndex:
    """The process's index of `folder`, without reading it (a damaged one is for the
    readers to find); an empty index is created where there is none, and the folders of
    killed rebuilds beside it are removed."""
    os.makedirs(folder, exist_ok=True)
    if not os.access(folder, os.W_OK):
        raise OSError(f"the search index folder {folder} is not writable")
    index = shared_index(FileStorage(folder), schema, indexname)
    if index.latest_generation() < 0:
        index.storage.create_index(schema, indexname=indexname)
    remove_dead_rebuilds(folder)
    return index


@contextmanager
def write_lock(index: FileIndex, timeout: float, delay: float = 0.05):
    """Hold the index's write lock (the one every Whoosh writer takes) for the block."""
    lock = index.lock("WRITELOCK")
    if not try_for(lock.acquire, timeout=timeout, delay=delay):
        raise LockError("Index is locked by another writer")
    try:
        yield
    finally:
        lock.release()


def _rebuild_folders(folder: str) -> list[tuple[str, int]]:
    """(path, process id) of each folder a rebuild builds a new index in beside `folder`."""
    parent, name = os.path.split(os.path.abspath(folder))
    pattern = os.path.join(glob.escape(parent), f".{glob.escape(name)}.rebuild-*")
    found = []
    for path in glob.glob(pattern):
        pid = path.rpartition("-")[2]
        if pid.isdigit():
            found.append((path, int(pid)))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_dead_rebuilds(folder: str) -> list[str]:
    """Remove the folders of rebuilds whose process is gone (killed: hundreds of MiB at
    100k); returns them. Called whenever a process sets up the index and by each rebuild."""
    removed = []
    for path, pid in _rebuild_folders(folder):
        if not _alive(pid):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def rebuild_under_way(folder: str) -> bool:
    """Is a live process rebuilding the index of `folder` (or waiting to)?"""
    return any(_alive(pid) for _, pid in _rebuild_folders(folder))


@contextmanager
def rebuilding_beside(folder: str) -> Iterator[str]:
    """A new folder beside `folder`, named after this process, for a new index; removed at
    the end (then holding the old index, swapped out, or a failed new one). While it exists,
    writers of the live index leave their updates queued (rebuild_under_way), so a rebuild
    waiting for the write lock gets it as soon as the write in progress ends."""
    remove_dead_rebuilds(folder)
    parent, name = os.path.split(os.path.abspath(folder))
    beside = os.path.join(parent, f".{name}.rebuild-{os.getpid()}")
    os.makedirs(beside)
    try:
        yield beside
    finally:
        shutil.rmtree(beside, ignore_errors=True)


def build_beside(
    beside: str,
    folder: str,
    schema: Schema,
    indexname: str,
    fill: Callable[[ArticleFileIndex], int],
) -> int:
    """Build a whole new index in `beside` (rebuilding_beside) with `fill`, then swap it in
    for `folder`; call with the live index's write lock held. The live index is never read.

    A reader opens either the old index or the new one, never an empty or partial one: the
    new index is complete before the swap, and the swap is one rename. Returns what `fill`
    returns (documents written). Readers of the old index that still hold its files open
    keep reading them.
    """
    storage = FileStorage(beside)
    storage.create_index(schema, indexname=indexname)
    written = fill(ArticleFileIndex(storage, schema, indexname))
    if os.path.exists(folder):
        exchange(beside, folder)
    else:
        os.rename(beside, folder)
    return written


def exchange(a: str, b: str) -> None:
    """Swap two directories in one step (Linux's renameat2 with RENAME_EXCHANGE): os.replace
    cannot replace a directory that is not empty, and two renames leave a moment with none."""
    libc = ctypes.CDLL(None, use_errno=True)
    result = libc.renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno), a, None, b)
