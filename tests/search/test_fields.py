"""haystack's side of the index's fields: the Whoosh schema built from an index's fields (the
field types themselves: tests/search/engine/test_fields.py)."""

from haystack.fields import CharField
from whoosh.query import Or, Phrase, Prefix

from articles.search.engine.analysis import BigramTokenizer
from articles.search.engine.whoosh_parser import ArticleQueryParser, value_token
from articles.search.fields import BigramField, WholeTextBigrams, bigram_parts, whoosh_schema


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
