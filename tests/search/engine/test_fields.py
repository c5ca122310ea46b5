"""The bigram field's compact positions: what Whoosh's Positions decoded, in fewer bytes; and
indexes written before them (Positions, Whoosh's codec) still search."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Frequency, Positions
from whoosh.query import Phrase

from articles.search.engine.analysis import BigramTokenizer, query_bigrams
from articles.search.engine.docset_search import DocSetSearch
from articles.search.engine.docsets import SegmentDocs, docnums
from articles.search.engine.fields import (
    CompactPositions,
    bigram_field,
    decode_position_arrays,
    text_field,
)
from articles.search.engine.readers import ArticleCodec, ArticleFileIndex

TEXTS = ["北京市总工会召开职工代表大会", "市总\n工会", "总工会市", "工会工会工会"]


@pytest.mark.parametrize("positions", [[0], [5, 7, 300], [1, 70000], [65535], [0, 65536]])
def test_compact_positions_round_trip_with_their_frequency(positions):
    value = CompactPositions().encode(positions)
    assert CompactPositions().decode_positions(value) == positions
    assert CompactPositions().decode_frequency(value) == len(positions)


def test_compact_positions_decode_what_whoosh_positions_encoded():
    value = Positions().encode([3, 9, 70000])
    assert CompactPositions().decode_positions(value) == Positions().decode_positions(value)
    assert CompactPositions().decode_frequency(value) == 3


@pytest.mark.parametrize(
    "values",
    [
        [[0], [5, 7, 300], [65535]],  # 16-bit positions: cut from the joined bytes
        [[0], [1, 70000], [3]],  # one of 32 bits: each decoded alone
        [[4]],
        [],
    ],
)
def test_many_values_decode_at_once_as_each_alone(values):
    compact = CompactPositions()
    encoded = [compact.encode(positions) for positions in values]
    encoded += [Positions().encode([9, 12])] if values else []  # an older index's value
    counts, positions = decode_position_arrays(compact, encoded)
    alone = [compact.decode_positions(value) for value in encoded]
    assert counts.tolist() == [len(p) for p in alone]
    assert positions.tolist() == [p for each in alone for p in each]
    assert positions.dtype == np.int64


def test_a_bigram_seen_once_takes_three_bytes():
    assert (len(CompactPositions().encode([12])), len(Positions().encode([12]))) == (3, 13)


def _schema(grams: TEXT) -> Schema:
    return Schema(grams=grams)


def _old_bigram_field() -> TEXT:
    """The bigram field as indexes were built before CompactPositions."""
    return TEXT(analyzer=BigramTokenizer(), phrase=True, stored=False)


def _bigram_index(folder, texts: list[str]) -> FileStorage:
    """A new index in `folder` of `texts` in today's bigram field, one document each."""
    storage = FileStorage(str(folder))
    storage.create()
    storage.create_index(_schema(bigram_field()), indexname="MAIN")
    with ArticleFileIndex(storage, _schema(bigram_field()), "MAIN").writer(
        codec=ArticleCodec()
    ) as writer:
        for text in texts:
            writer.add_document(grams=text)
    return storage


def _exact_in_new_index(tmp_path, texts: list[str], needle: str) -> tuple[list[int], list[int]]:
    """_exact in a new index of `texts` in a new folder of tmp_path (one per hypothesis example)."""
    storage = _bigram_index(tmp_path / str(len(list(tmp_path.iterdir()))), texts)
    return _exact(ArticleFileIndex(storage, _schema(bigram_field()), "MAIN"), needle)


def _exact(index: ArticleFileIndex, text: str) -> tuple[list[int], list[int]]:
    """Documents with `text` by Whoosh's own phrase search and by the document sets."""
    phrase = Phrase("grams", query_bigrams(text))
    with index.searcher() as searcher:
        whoosh_hits = sorted(hit.docnum for hit in searcher.search(phrase, limit=None))
        sets = DocSetSearch(searcher, index.segment_cache)
        return whoosh_hits, docnums(sets.docs(phrase))


@pytest.mark.parametrize(
    ("grams", "codec"), [(bigram_field, ArticleCodec), (_old_bigram_field, W3Codec)]
)
def test_an_index_of_either_format_finds_exact_strings_with_todays_schema(tmp_path, grams, codec):
    storage = FileStorage(str(tmp_path))
    storage.create_index(_schema(grams()), indexname="MAIN")
    with ArticleFileIndex(storage, _schema(grams()), "MAIN").writer(codec=codec()) as writer:
        for text in TEXTS:
            writer.add_document(grams=text)
    index = ArticleFileIndex(storage, _schema(bigram_field()), "MAIN")
    assert _exact(index, "市总工会") == ([0], [0])
    assert _exact(index, "工会工会") == ([3], [3])
    assert _exact(index, "总工") == ([0, 2], [0, 2])
    with index.searcher() as searcher:
        value = searcher.postings("grams", "工会").value()
    assert value == grams().format.encode([4])  # as written: a pickle in the old format


@pytest.mark.parametrize(
    ("field", "whoosh_format"), [(text_field, Frequency), (bigram_field, Positions)]
)
def test_postings_come_straight_from_the_tokenizer_as_whoosh_makes_them(field, whoosh_format):
    fieldobj = field()
    text = "北京市总工会召开职工代表大会。\n总工会表彰劳动模范，职工代表发言"
    ours = fieldobj.format.word_values(text, fieldobj.analyzer, mode="index")
    whooshs = whoosh_format.word_values(fieldobj.format, text, fieldobj.analyzer, mode="index")
    assert sorted(ours) == sorted(whooshs)  # a writer takes a document's terms in any order


@settings(max_examples=200, deadline=None)
@given(text=st.text("工会职Ａb1 \t\u3000\n，" + chr(0x20000), max_size=80))
def test_a_documents_bigrams_grouped_at_once_are_what_whoosh_groups_one_by_one(text):
    fieldobj = bigram_field()
    ours = fieldobj.format.word_values(text, fieldobj.analyzer, mode="index")
    whooshs = Positions.word_values(fieldobj.format, text, fieldobj.analyzer, mode="index")
    assert sorted(ours) == sorted(whooshs)


def test_positions_past_65535_take_four_bytes_each_term_as_its_own_positions_need():
    fieldobj = bigram_field()
    text = "开头" + "工会" * 40_000 + "\n职工"  # 职工 stands past 65,535, 开头 at 0
    values = {
        term: value for term, _, _, value in fieldobj.format.word_values(text, fieldobj.analyzer)
    }
    assert values["职工"] == b"I" + (80_003).to_bytes(4, "little")
    assert values["开头"] == b"H" + (0).to_bytes(2, "little")
    assert CompactPositions().decode_positions(values["工会"]) == list(range(2, 80_001, 2))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.lists(st.text("工会职", min_size=1, max_size=40), min_size=1, max_size=30),
    needle=st.text("工会职", min_size=2, max_size=6),
)
def test_exact_strings_of_repeating_characters_are_the_substrings(tmp_path, texts, needle):
    """Repeats (工会工会, 职职职) put a bigram at many positions of one document, and a
    document with every bigram of a string need not hold the string."""
    truth = [n for n, text in enumerate(texts) if needle in text]
    assert _exact_in_new_index(tmp_path, texts, needle) == (truth, truth)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.lists(st.text("工会职 \n", min_size=1, max_size=60), min_size=1, max_size=30),
    needle=st.text("工会职", min_size=4, max_size=9),
)
def test_long_strings_are_found_in_one_line_across_its_spaces(tmp_path, texts, needle):
    """A long string's positions are checked for only some of its bigrams (proving_bigrams):
    they still place every character, in one line, spaces dropped."""
    truth = [
        n
        for n, text in enumerate(texts)
        if any(needle in "".join(line.split()) for line in text.split("\n"))
    ]
    assert _exact_in_new_index(tmp_path, texts, needle) == (truth, truth)


def test_a_long_string_reads_the_positions_of_half_its_bigrams(tmp_path, monkeypatch):
    texts = ["武汉市总工会职业介绍服务中心", "武汉市总工会\n职业介绍服务中心", "中心服务"]
    index = ArticleFileIndex(_bigram_index(tmp_path, texts), _schema(bigram_field()), "MAIN")
    read = []
    positions = SegmentDocs._positions
    monkeypatch.setattr(
        SegmentDocs,
        "_positions",
        lambda self, field, word, docs: read.append(word) or positions(self, field, word, docs),
    )
    assert _exact(index, "武汉市总工会职业介绍服务中心") == ([0], [0])
    assert sorted(read) == sorted(["武汉", "市总", "工会", "职业", "介绍", "服务", "中心"])
