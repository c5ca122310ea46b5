"""Writers with postings grouped by term write what Whoosh's own writers write."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, NUMERIC, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.writing import SegmentWriter

from articles.search.engine.fields import FacetKeyword, bigram_field, text_field
from articles.search.engine.pool import GroupingMpWriter, GroupingPool, GroupingSegmentWriter
from articles.search.engine.readers import ArticleCodec, ArticleFileIndex

TEXTS = [
    "北京市总工会召开职工代表大会",
    "全国劳动模范，表彰大会\n首都职工",
    "工会工会工会",
    "市总工会领导慰问一线职工",
] * 5


def _postings(item_count: int) -> list[tuple]:
    rng = random.Random(7)  # noqa: S311 - reproducible test data
    terms = [("grams", f"{a}{b}".encode()) for a in "工会职" for b in "工会职代"]
    terms += [("text", word.encode()) for word in ("工会", "职工", "大会")]
    items = []
    for docnum in range(item_count):
        for fieldname, tbytes in rng.sample(terms, 4):
            value = bytes(rng.randrange(256) for _ in range(rng.randrange(4)))
            items.append((fieldname, tbytes, docnum, float(rng.randrange(1, 4)), value))
    return items


@pytest.mark.parametrize("limitmb", [64, 0.0005])  # in memory; spilled to many runs
def test_the_pool_gives_every_posting_sorted_as_whoosh_sorts_them(limitmb):
    pool = GroupingPool(RamStorage(), limitmb)
    items = _postings(300)
    for item in items:
        pool.add(item)
    assert (len(pool.runs) > 1) == (limitmb < 1)
    assert list(pool.iter_postings()) == sorted(items)
    assert pool.fieldnames == {"grams", "text"}


def _bigram_documents() -> list[str]:
    rng = random.Random(11)  # noqa: S311 - reproducible test data
    return [
        "".join(rng.choice("工会职\n 代") for _ in range(rng.randrange(30))) for _ in range(200)
    ]


@pytest.mark.parametrize(
    ("limitmb", "group_every"),
    [(64, 1 << 18), (64, 40), (0.002, 1 << 18)],  # in memory, grouped at the end or on the way;
)  # spilled to many runs
def test_bigram_arrays_staged_among_postings_added_one_by_one_group_as_they_do(
    limitmb, group_every
):
    """Every third document's bigrams come as Whoosh's items (as a merged segment's do), the
    others as arrays, and a second field's words between them: grouped in document order."""
    field = bigram_field()
    ours, theirs = GroupingPool(RamStorage(), limitmb), GroupingPool(RamStorage(), limitmb)
    ours.group_every = group_every
    for docnum, text in enumerate(_bigram_documents()):
        items = field.format.word_values(text, field.analyzer, mode="index")
        encoded = [(term.encode(), n, weight, value) for term, n, weight, value in items]
        boost = 1.0 + docnum % 3
        if docnum % 3:
            keys, counts, weights, values, lengths = field.format.bigram_arrays(text)
            ours.add_keyed("grams", docnum, keys, weights * boost, values, lengths)
            assert counts.sum() == sum(n for _, n, _, _ in items)
        else:
            ours.add_field("grams", docnum, encoded, boost)
        theirs.add_field("grams", docnum, encoded, boost)
        for pool in (ours, theirs):
            pool.add_field("words", docnum, [(b"w%d" % (docnum % 4), 1, 1.0, b"")], 1.0)
    assert (len(ours.runs) > 1) == (limitmb < 1)
    assert list(ours.iter_postings()) == list(theirs.iter_postings())


def _written(storage, writer_class, codec) -> dict:
    schema = Schema(text=text_field(), grams=bigram_field())
    index = storage.create_index(schema)
    writer = writer_class(index, codec=codec, limitmb=0.002)
    for text in TEXTS:
        writer.add_document(text=text, grams=text)
    writer.commit()
    with index.reader() as reader:
        return {
            term: [(m.id(), m.weight(), m.value()) for m in _each(reader, *term)]
            for term in reader.all_terms()
        }


def _each(reader, fieldname, term):
    matcher = reader.postings(fieldname, term)
    while matcher.is_active():
        yield matcher
        matcher.next()


def test_a_grouping_writer_and_our_codec_write_the_postings_of_whooshs_writer_and_codec():
    ours = _written(RamStorage(), GroupingSegmentWriter, ArticleCodec())
    assert ours == _written(RamStorage(), SegmentWriter, W3Codec())


def _segment_files(folder: Path, blocks_at_once=True, fields_at_once=True) -> dict[str, bytes]:
    """The files of one segment of TEXTS and more, by extension, as a GroupingSegmentWriter
    writes them: boosted documents and fields, a stored field, a column and a number."""
    schema = Schema(
        text=text_field(),
        grams=bigram_field(),
        tags=FacetKeyword(stored=False),
        n=NUMERIC(),
        key=ID(stored=True),
    )
    folder.mkdir()
    index = ArticleFileIndex(FileStorage(str(folder)), schema, "MAIN")
    index.storage.create_index(schema, indexname="MAIN")
    writer = GroupingSegmentWriter(index, codec=ArticleCodec(), limitmb=0.05, compound=False)
    writer.blocks_at_once = blocks_at_once
    writer.fields_at_once = fields_at_once
    for n in range(300):  # 工会 in 225 documents: two blocks; weights 1 to 9
        text = TEXTS[n % len(TEXTS)] + "工会" * (n % 9)
        boosts = {"_boost": 2.0, "_grams_boost": 0.5} if n % 5 == 0 else {}
        key = {"key": f"k{n}", "_stored_key": f"第{n}篇"} if n % 3 else {}
        writer.add_document(text=text, grams=text, tags=f"甲,{n % 7}", n=n, **key, **boosts)
    writer.commit()
    return {path.name.split(".", 1)[1]: path.read_bytes() for path in folder.glob("MAIN_*.*")}


def _same_files(ours: dict[str, bytes], whooshs: dict[str, bytes]) -> None:
    assert {"pst", "trm"} <= set(ours)
    assert ours.keys() == whooshs.keys()
    for extension, content in ours.items():
        assert content == whooshs[extension], extension


def test_postings_written_a_block_at_a_time_are_the_bytes_whoosh_writes_one_at_a_time(tmp_path):
    ours = _segment_files(tmp_path / "blocks", blocks_at_once=True)
    _same_files(ours, _segment_files(tmp_path / "one_by_one", blocks_at_once=False))


def test_postings_added_a_field_at_a_time_are_the_bytes_whoosh_adds_one_at_a_time(tmp_path):
    ours = _segment_files(tmp_path / "fields", fields_at_once=True)
    _same_files(ours, _segment_files(tmp_path / "postings", fields_at_once=False))


def test_worker_processes_write_a_segment_each_with_every_document(tmp_path):
    storage = FileStorage(str(tmp_path))
    schema = Schema(text=text_field(), grams=bigram_field())
    storage.create_index(schema, indexname="MAIN")
    index = ArticleFileIndex(storage, schema, "MAIN")
    writer = index.writer(procs=2, batchsize=5)
    assert isinstance(writer, GroupingMpWriter)
    for text in TEXTS:
        writer.add_document(text=text, grams=text)
    writer.commit()
    with index.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == 2
        assert searcher.doc_count() == len(TEXTS)
        assert searcher.doc_frequency("grams", "工会") == 15


def test_workers_commit_while_the_parent_merges_the_older_segments_in_its_own_pool(tmp_path):
    storage = FileStorage(str(tmp_path))
    schema = Schema(text=text_field(), grams=bigram_field())
    storage.create_index(schema, indexname="MAIN")
    index = ArticleFileIndex(storage, schema, "MAIN")
    for text in TEXTS[:3]:
        with index.writer() as writer:
            writer.add_document(text=text, grams=text)
    writer = index.writer(procs=2, batchsize=5)
    for text in TEXTS[3:]:
        writer.add_document(text=text, grams=text)
    writer.commit(optimize=True)  # the parent merges the three segments into one of its own
    with index.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == 3  # the merged one and a worker's each
        assert searcher.doc_count() == len(TEXTS)
        assert searcher.doc_frequency("grams", "工会") == 15
        assert sorted(searcher.reader().all_doc_ids()) == list(range(len(TEXTS)))


# A rebuild in its own process: its workers started, its new index half written, then it
# waits to be killed. argv: the live index's folder.
KILLED_REBUILD = """
import sys
from whoosh.fields import ID, TEXT, Schema
from articles.search.engine.readers import build_beside, rebuilding_beside

folder = sys.argv[1]

def fill(new):
    writer = new.writer(procs=2, batchsize=10)
    for n in range(50):
        writer.add_document(id=str(n), text="工会 职工")
    print(" ".join(str(task.pid) for task in writer.tasks), flush=True)
    sys.stdin.read()

with rebuilding_beside(folder) as beside:
    build_beside(beside, folder, Schema(id=ID(stored=True), text=TEXT), "MAIN", fill)
"""


def _gone(pid: int) -> bool:
    """Dead, or a zombie waiting for init to reap it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status


def test_a_killed_rebuild_takes_its_workers_with_it_and_its_folder_goes_at_the_next_start():
    from haystack import connections

    folder = Path(connections["default"].get_backend().path)
    rebuild = subprocess.Popen(
        [sys.executable, "-c", KILLED_REBUILD, str(folder)],
        cwd=Path(__file__).resolve().parents[3],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    workers = [int(pid) for pid in rebuild.stdout.readline().split()]
    beside = folder.parent / f".{folder.name}.rebuild-{rebuild.pid}"
    assert (len(workers), beside.is_dir()) == (2, True)
    rebuild.kill()
    rebuild.wait()
    deadline = time.monotonic() + 10  # the kernel signals the workers as their parent dies
    while not all(map(_gone, workers)) and time.monotonic() < deadline:
        os.sched_yield()
    survivors = [pid for pid in workers if not _gone(pid)]
    for pid in survivors:  # a failing run leaves none behind
        os.kill(pid, signal.SIGKILL)
    assert survivors == []
    assert beside.is_dir()
    connections.reload("default").get_backend().setup()  # the next start of any process
    assert not beside.exists()
