"""haystack's side of the index's fields: the Whoosh schema built from an index's fields (the
field types themselves: tests/search/engine/test_fields.py)."""

from haystack.fields import CharField
from whoosh.query import Phrase

from articles.search.engine.analysis import BigramTokenizer
from articles.search.engine.whoosh_parser import ArticleQueryParser
from articles.search.fields import BigramField, PartBigramField, whoosh_schema


def test_part_bigram_fields_are_bigram_fields_but_not_the_whole_texts():
    fields = {
        "text": CharField(document=True, index_fieldname="text"),
        "title_bigrams": PartBigramField(index_fieldname="title_bigrams"),
        "text_bigrams": BigramField(index_fieldname="text_bigrams"),
        "body_bigrams": PartBigramField(index_fieldname="body_bigrams"),
    }
    content, bigrams, schema = whoosh_schema(fields)
    assert (content, bigrams) == ("text", "text_bigrams")
    assert isinstance(schema["title_bigrams"].analyzer, BigramTokenizer)
    parser = ArticleQueryParser(content, bigrams, schema)
    assert parser.bigram_fieldnames == {"text_bigrams", "title_bigrams", "body_bigrams"}
    assert parser.substring_query("托管班", "title_bigrams") == Phrase(
        "title_bigrams", ["托管", "管班"]
    )
