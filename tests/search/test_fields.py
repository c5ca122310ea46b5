"""The bigram field's compact positions: what Whoosh's Positions decoded, in fewer bytes; and
indexes written before them (Positions, Whoosh's codec) still search."""

import pytest
from haystack.fields import CharField
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Frequency, Positions
from whoosh.query import Or, Phrase, Prefix

from articles.search.analysis import BigramTokenizer, query_bigrams
from articles.search.docset_search import DocSetSearch
from articles.search.docsets import docnums
from articles.search.fields import (
    TEXT,
    BigramField,
    CompactPositions,
    WholeTextBigrams,
    bigram_field,
    bigram_parts,
    text_field,
    whoosh_schema,
)
from articles.search.readers import ArticleCodec, ArticleFileIndex
from articles.search.whoosh_parser import ArticleQueryParser, value_token

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


def test_a_bigram_seen_once_takes_three_bytes():
    assert (len(CompactPositions().encode([12])), len(Positions().encode([12]))) == (3, 13)


def _schema(grams: TEXT) -> Schema:
    return Schema(grams=grams)


def _old_bigram_field() -> TEXT:
    """The bigram field as indexes were built before CompactPositions."""
    return TEXT(analyzer=BigramTokenizer(), phrase=True, stored=False)


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
    assert ours == list(whooshs)


def _article_fields() -> dict:
    return {
        "text": CharField(document=True, index_fieldname="text"),
        "title_bigrams": BigramField(index_fieldname="title_bigrams"),
        "body_bigrams": BigramField(index_fieldname="body_bigrams"),
        "text_bigrams": WholeTextBigrams(
            parts=("title_bigrams", "body_bigrams"), index_fieldname="text_bigrams"
        ),
    }


def test_the_whole_texts_bigrams_are_indexed_only_as_those_of_its_parts():
    content, bigrams, schema = whoosh_schema(_article_fields())
    assert (content, bigrams) == ("text", "text_bigrams")
    assert "text_bigrams" not in schema
    assert isinstance(schema["title_bigrams"].analyzer, BigramTokenizer)
    assert bigram_parts(_article_fields()) == {
        "title_bigrams": ("title_bigrams",),
        "body_bigrams": ("body_bigrams",),
        "text_bigrams": ("title_bigrams", "body_bigrams"),
    }


def test_the_whole_texts_bigram_field_prepares_no_value_of_its_own():
    field = _article_fields()["text_bigrams"]
    assert (field.prepare(object()), field.null) == (None, True)


def test_a_query_on_the_whole_texts_bigrams_asks_each_part():
    fields = _article_fields()
    content, bigrams, schema = whoosh_schema(fields)
    parser = ArticleQueryParser(content, bigrams, schema, bigram_parts(fields))
    assert parser.bigram_fieldnames == {"text_bigrams", "title_bigrams", "body_bigrams"}
    assert parser.substring_query("托管班", "title_bigrams") == Phrase(
        "title_bigrams", ["托管", "管班"]
    )
    assert parser.substring_query("托管班") == Or(
        [Phrase("title_bigrams", ["托管", "管班"]), Phrase("body_bigrams", ["托管", "管班"])]
    )
    assert parser.substring_query("托", "text_bigrams") == Or(
        [Prefix("title_bigrams", "托"), Prefix("body_bigrams", "托")]
    )
    # As haystack writes it: the field is known to the parser though not in the schema.
    token = value_token("托管班")
    assert parser.parse(f"text_bigrams:({token})") == parser.exact_string_query("托管班")
