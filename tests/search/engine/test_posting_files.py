"""Long posting lists kept beside their segment: what Whoosh reads, in one read."""

import logging
import os
import random

import numpy as np
import pytest
from whoosh import query
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage

from articles.search.engine import posting_files
from articles.search.engine.docsets import SegmentCache, SegmentDocs
from articles.search.engine.posting_files import (
    PostingFile,
    _decode,
    _encode,
    keep_posting_files,
    posting_file_path,
)
from articles.search.engine.readers import ArticleFileIndex
from articles.search.engine.segment_arrays import Postings, read_postings
from tests.search.helpers import WORDS


@pytest.fixture
def small_enough(monkeypatch):
    """Terms of 20 documents and segments of 50 count as long and large."""
    monkeypatch.setattr(posting_files, "LONG", 20)
    monkeypatch.setattr(posting_files, "MIN_DOCS", 50)


def _index(folder, sizes=(900, 30)):
    """Segments of shuffled words, some in most documents, some repeated within one (weights
    above 1), one word in a few far-apart documents (gaps wider than a byte), and a deletion."""
    storage = FileStorage(str(folder)).create()
    ix = storage.create_index(Schema(id=ID(stored=True, unique=True), text=TEXT(phrase=True)))
    rng = random.Random(11)  # noqa: S311 (test data)
    number = 0
    for size in sizes:
        writer = ix.writer(compound=False)  # as ArticleFileIndex writes
        for n in range(size):
            words = rng.choices(WORDS, weights=range(len(WORDS), 0, -1), k=rng.randint(1, 40))
            if n % 300 == 7:
                words.append("稀少")
            writer.add_document(id=str(number), text=" ".join(words))
            number += 1
        writer.commit(merge=False)
    writer = ix.writer(compound=False)
    writer.delete_by_term("id", "5")
    writer.commit(merge=False)
    return ix


def _same(a: Postings, b: Postings) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_every_kept_term_reads_as_whoosh_reads_it(tmp_path, small_enough):
    ix = _index(tmp_path)
    assert keep_posting_files(ix) == 1  # the large segment's text (id is unique: skipped)
    with ix.reader() as reader:
        large, small = (leaf for leaf, _ in reader.leaf_readers())
        assert posting_file_path(small, "text") is not None
        assert not (tmp_path / posting_file_path(small, "text")).exists()
        kept = PostingFile.open(large, "text")
        assert len(kept.terms) >= 10
        for btext, info in large.iter_field("text"):
            found = kept.get(btext)
            assert (found is not None) == (info.doc_frequency() >= 20), btext
            if found is not None:
                assert _same(found, read_postings(large.postings("text", btext)))
        assert kept.get("不在".encode()) is None
    assert keep_posting_files(ix) == 0  # written once


def test_searches_read_the_file_and_find_what_whoosh_finds(tmp_path, small_enough):
    ix = _index(tmp_path)
    with ix.reader() as reader:
        large = next(leaf for leaf, _ in reader.leaf_readers())
        before = SegmentDocs(large, SegmentCache())
        without = {word: before.postings("text", word) for word in [*WORDS, "稀少"]}
        phrase = before.docs(query.Phrase("text", ["工会", "职工"]))
    keep_posting_files(ix)
    with ix.reader() as reader:
        large = next(leaf for leaf, _ in reader.leaf_readers())
        after = SegmentDocs(large, SegmentCache())
        for word, expected in without.items():
            assert _same(after.postings("text", word), expected), word
        assert after.cache.posting_files["text"].get("工会".encode()) is not None
        assert after.docs(query.Phrase("text", ["工会", "职工"])) == phrase


def test_a_search_before_the_file_is_written_finds_it_once_it_is(tmp_path, small_enough):
    ix = _index(tmp_path)
    with ix.reader() as reader:
        large = next(leaf for leaf, _ in reader.leaf_readers())
        docs = SegmentDocs(large, SegmentCache())
        docs.postings("text", "工会")
        assert "text" not in docs.cache.posting_files
        keep_posting_files(ix)
        docs.postings("text", "职工")
        assert "text" in docs.cache.posting_files


def test_wide_gaps_and_weights_that_are_not_bytes_come_back_exactly():
    ids = np.array([0, 1, 300, 70_000, 70_001, 2_000_000], dtype=np.int32)
    for weights in ([1.0] * 6, [1.0, 2.0, 255.0, 3.0, 1.0, 7.0], [1.0, 0.5, 256.0, 1.0, 1e6, 2.0]):
        postings = Postings(
            ids,
            np.array(weights, dtype=np.float32),
            np.array([0, 4], dtype=np.int64),
            np.array([12, 9_000_000_000], dtype=np.int64),
        )
        record, wide, kind = _encode(postings)
        assert wide == 3
        assert _same(_decode(record, len(ids), wide, kind, 2), postings)


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a posting file", b"\0" * 64],
    ids=["empty", "garbage", "zeros"],
)
def test_an_unreadable_file_leaves_the_terms_to_whoosh(tmp_path, small_enough, damage, caplog):
    ix = _index(tmp_path)
    keep_posting_files(ix)
    with ix.reader() as reader:
        large = next(leaf for leaf, _ in reader.leaf_readers())
        expected = read_postings(large.postings("text", "工会".encode()))
        with open(posting_file_path(large, "text"), "wb") as file:
            file.write(damage)
        with caplog.at_level(logging.WARNING):
            found = SegmentDocs(large, SegmentCache()).postings("text", "工会")
    assert _same(found, expected)
    assert "unreadable" in caplog.text
    assert keep_posting_files(ix) == 1  # removed, so the next commit writes it again


def test_a_damaged_record_is_read_from_whoosh_and_the_file_written_again(
    tmp_path, small_enough, caplog
):
    ix = _index(tmp_path)
    keep_posting_files(ix)
    with ix.reader() as reader:
        large = next(leaf for leaf, _ in reader.leaf_readers())
        path = posting_file_path(large, "text")
        docs = SegmentDocs(large, SegmentCache())
        docs.postings("text", "职工")  # the file's table is read
        kept = docs.cache.posting_files["text"]
        at = int(np.searchsorted(kept.terms, "工会".encode()))
        start, end = int(kept.offsets[at]), int(kept.offsets[at + 1])
        with open(path, "r+b") as file:
            file.seek(start)
            file.write(b"\xff" * (end - start))  # every gap 255: past the segment's end
        with caplog.at_level(logging.WARNING):
            found = docs.postings("text", "工会")
        assert _same(found, read_postings(large.postings("text", "工会".encode())))
        assert "damaged" in caplog.text
        assert docs.cache.posting_files["text"].get("技能".encode()) is None
        assert not os.path.exists(path)
    assert keep_posting_files(ix) == 1  # written again


def test_the_files_go_with_their_segment(tmp_path, small_enough):
    ix = _index(tmp_path)
    keep_posting_files(ix)
    kept = sorted(tmp_path.glob("*.postings_*.arr"))
    assert len(kept) == 1
    writer = ix.writer(compound=False)
    writer.add_document(id="new", text="工会")
    writer.commit(optimize=True)  # one new segment: the old ones' files go
    assert not any(path.exists() for path in kept)
    assert keep_posting_files(ix) == 1


def test_a_file_that_cannot_be_written_is_left_to_the_next_commit(
    tmp_path, small_enough, monkeypatch, caplog
):
    ix = _index(tmp_path)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched, caplog.at_level(logging.WARNING):
        patched.setattr(posting_files.tempfile, "mkstemp", full_disk)
        assert keep_posting_files(ix) == 0
    assert "not written" in caplog.text
    assert not list(tmp_path.glob("*postings_*"))
    assert keep_posting_files(ix) == 1  # the next commit writes it


def test_index_workers_write_their_segments_files_before_the_commit(tmp_path, small_enough):
    storage = FileStorage(str(tmp_path)).create()
    schema = Schema(id=ID(stored=True, unique=True), text=TEXT(phrase=True))
    storage.create_index(schema, indexname="MAIN")
    index = ArticleFileIndex(storage, schema, "MAIN")
    rng = random.Random(5)  # noqa: S311 (test data)
    with index.writer(procs=2, batchsize=40) as writer:  # forked: the small_enough limits
        for number in range(400):
            writer.add_document(id=str(number), text=" ".join(rng.choices(WORDS, k=20)))
    with index.reader() as reader:
        leaves = [leaf for leaf, _ in reader.leaf_readers()]
        assert len(leaves) == 2
        for leaf in leaves:
            kept = PostingFile.open(leaf, "text")
            assert kept is not None and len(kept.terms) >= 10
            for btext in kept.terms:
                assert _same(kept.get(btext), read_postings(leaf.postings("text", btext)))
    assert keep_posting_files(index) == 0  # nothing left for the commit's caller to write
