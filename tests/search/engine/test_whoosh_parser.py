"""The archive's Whoosh query parser: whole values come back as one Term, never parsed."""

import pytest
from whoosh import query
from whoosh.fields import ID, KEYWORD, TEXT, Schema

from articles.search.engine.whoosh_parser import ArticleQueryParser, value_of, value_token

SCHEMA = Schema(text=TEXT, text_bigrams=TEXT, reporters=KEYWORD(commas=True), kind=ID)


@pytest.mark.parametrize(
    "name", ['不存在" OR kind:"news', "text_bigrams:*", "x) OR (y", "张 三", "", "孙\\", "[a TO z]"]
)
def test_a_value_token_is_parsed_into_one_term_of_the_whole_value(name):
    parser = ArticleQueryParser("text", "text_bigrams", schema=SCHEMA)
    parsed = parser.parse(f"(reporters:({value_token(name)}) AND kind:({value_token('news')}))")
    assert parsed == query.And([query.Term("reporters", name), query.Term("kind", "news")])


def test_only_a_whole_token_of_hex_pairs_is_a_value():
    assert value_of(value_token("工会")) == "工会"
    assert value_of("wholevalue4") is None
    assert value_of("wholevalueZZ") is None
    assert value_of("工会") is None


def test_a_value_token_on_the_text_fields_is_a_reader_word_or_exact_string():
    parser = ArticleQueryParser("text", "text_bigrams", schema=SCHEMA)
    word = "x')OR(kind:'news"
    assert parser.parse(f"text:({value_token(word)})") == parser.words_query(word)
    assert parser.parse(value_token(word)) == parser.words_query(word)
    assert parser.parse(f"text_bigrams:({value_token(word)})") == parser.exact_string_query(word)
