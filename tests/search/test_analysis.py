import pytest
from whoosh.fields import Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.query import Phrase

from articles.search.analysis import (
    bigrams,
    index_words,
    query_bigrams,
    query_words,
    tokenizer,
)
from articles.search.fields import bigram_field, text_field


def test_tokenizer_is_loaded_once_per_process():
    assert tokenizer() is tokenizer()


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
