from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh.fields import Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.query import Phrase

from articles.parsing import tokenizer
from articles.parsing.dictionary import dictionary_frequencies, dictionary_words
from articles.search.engine.analysis import (
    bigram_postings,
    bigram_terms,
    bigrams,
    fold,
    index_word_counts,
    index_words,
    normalize,
    proving_bigrams,
    query_bigrams,
    query_words,
    segmenter,
)
from articles.search.engine.fields import bigram_field, text_field

SAMPLE_PAGE = Path(__file__).resolve().parents[3] / "sample" / "2024-03-12_02.txt"


def test_tokenizer_is_loaded_once_per_process():
    assert tokenizer() is tokenizer()


def test_segmenter_is_loaded_once_per_process():
    assert segmenter() is segmenter()


def test_search_knows_each_dictionary_word_at_the_frequency_the_parsers_jieba_holds():
    frequencies = dictionary_frequencies()
    assert list(frequencies) == dictionary_words()
    assert frequencies == {word: tokenizer().FREQ[word] for word in frequencies}


def test_segmenter_cuts_every_dictionary_word_whole_as_jieba_does():
    words = dictionary_words()
    assert [segmenter().cut(word) for word in words] == [tokenizer().lcut(word) for word in words]


@pytest.mark.parametrize(
    "text",
    [
        "北京市总工会召开会议，东城区总工会和中华全国总工会的代表出席",
        "首都职工欢度新春，市总工会领导慰问一线劳动模范",
        *SAMPLE_PAGE.read_text(encoding="utf-8").splitlines(),
    ],
)
def test_segmenter_gives_jieba_words_and_offsets(text):
    text = normalize(text)
    jieba_words = [tuple(token) for token in tokenizer().tokenize(text, mode="search")]
    assert segmenter().tokenize(text, "search") == jieba_words
    assert segmenter().cut(text) == tokenizer().lcut(text)


def test_dotted_ascii_runs_are_cut_alike_in_documents_and_queries():
    """jieba splits 1.3nm and rjieba keeps it whole; documents and queries both use rjieba."""
    assert tokenizer().lcut("1.3nm") != segmenter().cut("1.3nm")
    indexed = {word for word, _ in index_words("采用1.3nm工艺")}
    assert set(query_words("1.3nm")) <= indexed


def test_sub_words_share_the_position_of_their_word():
    positions = dict(index_words("北京市总工会召开会议"))
    assert positions["北京"] == positions["总工会"] == positions["北京市总工会"] == 0
    assert (positions["召开"], positions["会议"]) == (1, 2)


def test_whitespace_and_punctuation_take_no_position():
    words = index_words("全国　劳动模范，表彰")
    assert [word for word, _ in words] == ["全国", "劳动", "模范", "劳动模范", "表彰"]
    assert [position for _, position in words] == [0, 1, 1, 1, 2]


def test_query_words_are_plain_segmentation():
    assert query_words("北京市总工会 召开会议！") == ["北京市总工会", "召开", "会议"]


def test_bigrams_overlap_at_consecutive_positions_within_a_line():
    assert bigrams("工会 干部\nＡＢ") == [
        ("工会", 0),
        ("会干", 1),
        ("干部", 2),
        ("部", 3),
        ("ab", 5),
        ("b", 6),
    ]


@pytest.mark.parametrize("query", ["工会干部", "工会 干部", "工会　干部"])
def test_query_bigrams_drop_whitespace(query):
    assert query_bigrams(query) == ["工会", "会干", "干部"]


def _ram_index(texts: list[str]):
    schema = Schema(text=text_field(), grams=bigram_field())
    index = RamStorage().create_index(schema)
    with index.writer() as writer:
        for text in texts:
            writer.add_document(text=text, grams=text)
    return index


def test_the_word_field_keeps_frequencies_but_no_positions():
    index = _ram_index(["北京市总工会召开会议，总工会"])
    with index.searcher() as searcher:
        postings = searcher.postings("text", "总工会")
        assert (postings.value_as("frequency"), postings.supports("positions")) == (2, False)


def test_phrase_of_bigrams_matches_only_the_substring():
    index = _ram_index(["市总工会", "市总\n工会", "总工会市"])
    with index.searcher() as searcher:
        hits = searcher.search(Phrase("grams", query_bigrams("市总工会")))
        assert [hit.docnum for hit in hits] == [0]


@pytest.mark.parametrize(
    ("costs", "taken"),
    [
        ([5], [0]),
        ([5, 9], [0, 1]),
        ([1, 1, 1], [0, 2]),  # 市总工会: 市总 and 工会 place all four characters
        ([1, 100, 1, 1], [0, 2, 3]),
        ([1, 1, 100, 1, 1], [0, 1, 3, 4]),  # the dear bigram is left out, its neighbours not
        ([3, 1, 3, 1, 3], [0, 1, 3, 4]),
        ([1] * 13, [0, 2, 4, 6, 8, 10, 12]),
    ],
)
def test_the_proving_bigrams_take_both_ends_skip_no_two_in_a_row_and_cost_least(costs, taken):
    assert proving_bigrams(costs) == taken


def test_word_counts_are_the_index_words_counted():
    for line in [*SAMPLE_PAGE.read_text(encoding="utf-8").splitlines(), "1.3nm 工會，ABC！ 。"]:
        assert index_word_counts(line) == Counter(word for word, _ in index_words(line))


def test_fold_turns_traditional_characters_simplified_and_keeps_the_length():
    assert fold("北京市總工會與職工") == "北京市总工会与职工"
    assert fold("工会 ABC 𠀀") == "工会 ABC 𠀀"
    assert fold("") == ""


def test_traditional_and_simplified_text_index_alike():
    assert index_words("北京市總工會") == index_words("北京市总工会")
    assert bigrams("工會會員") == bigrams("工会会员")
    assert query_words("工會") == ["工会"]


@given(text=st.text("工会职aé \n" + chr(0x20000) + chr(0x7F), max_size=60))
def test_a_documents_bigrams_are_grouped_in_the_order_of_their_utf8_bytes(text):
    """Whoosh's order of terms, a closing character before the bigrams it begins."""
    keys, bounds, positions = bigram_postings(text)
    found: dict[str, list[int]] = {}
    for term, position in bigrams(text):
        found.setdefault(term, []).append(position)
    terms = bigram_terms(keys)
    assert terms == sorted(found, key=str.encode)
    grouped = [positions[a:b].tolist() for a, b in pairwise(bounds)]
    assert dict(zip(terms, grouped, strict=True)) == found
