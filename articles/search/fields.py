"""Field types of the search index: haystack's side (BigramField, WholeTextBigrams, for
ArticleIndex) and the Whoosh schema the backend builds from an index's fields.

Compared with haystack's Whoosh mapping, the document field is segmented by jieba instead of
the English StemmingAnalyzer, BigramFields index its parts as character bigrams, and
other strings and lists are untokenized (filters and facets see whole names) with a column
that facets read.
"""

from __future__ import annotations

from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError
from haystack.fields import CharField, SearchField
from whoosh.fields import BOOLEAN, DATETIME, NUMERIC, Schema
from whoosh.fields import ID as WHOOSH_ID

# The engine's Whoosh field types; an index written before they moved there names them here
# in its pickled schema, so all of them are imported.
from articles.search.engine.fields import (  # noqa: F401
    CompactPositions,
    FacetColumn,
    FacetID,
    FacetKeyword,
    WordFrequency,
    bigram_field,
    text_field,
)


class BigramField(CharField):
    """A part of the text (the title lines, the body) indexed as character bigrams, for exact
    strings in that part (`标题:`, `正文:`)."""

    field_type = "bigram"
    # The bigram fields a query on this one asks: itself.
    parts: tuple[str, ...] = ()


class WholeTextBigrams(BigramField):
    """The whole text's bigrams, which a word's exact match and exclusions read, indexed only
    as those of its parts: the parts are lines apart, so no exact string spans two and a text
    contains a string exactly when one of its parts does. A query on this field asks each
    part; indexing the bigrams once, not twice, keeps the index at its size before field
    search (145.6 MiB at 10,000 articles, 255.1 MiB with this field indexed too:
    docs/scaling.md)."""

    def __init__(self, parts: tuple[str, ...], **kwargs) -> None:
        super().__init__(null=True, **kwargs)
        self.parts = parts

    def prepare(self, obj) -> None:
        """Nothing of its own to index (haystack leaves a null field's None out)."""
        return None


def bigram_parts(fields: dict[str, SearchField]) -> dict[str, tuple[str, ...]]:
    """Each bigram field's index name, with the indexed bigram fields a query on it asks."""
    return {
        field.index_fieldname: field.parts or (field.index_fieldname,)
        for field in fields.values()
        if field.field_type == "bigram"
    }


def whoosh_schema(fields: dict[str, SearchField]) -> tuple[str, str, Schema]:
    """(document field, whole text's bigram field, schema): haystack's mapping, except that
    text is jieba, bigrams or a whole (untokenized) ID; the whole text's bigram field is not in
    the schema (see WholeTextBigrams and bigram_parts)."""
    schema_fields = {
        ID: WHOOSH_ID(stored=True, unique=True),
        DJANGO_CT: WHOOSH_ID(stored=True),
        DJANGO_ID: WHOOSH_ID(stored=True),
    }
    content_field_name = bigram_field_name = ""
    for field in fields.values():
        name = field.index_fieldname
        if field.document:
            schema_fields[name] = text_field()
            content_field_name = name
        elif field.field_type == "bigram" and field.parts:
            bigram_field_name = name  # indexed as its parts
        elif field.field_type == "bigram":
            schema_fields[name] = bigram_field()
        elif field.is_multivalued:
            # haystack joins list values with commas (see _from_python).
            schema_fields[name] = FacetKeyword(stored=field.stored)
        elif field.field_type in ("date", "datetime"):
            schema_fields[name] = DATETIME(stored=field.stored, sortable=True)
        elif field.field_type in ("integer", "float"):
            numtype = int if field.field_type == "integer" else float
            schema_fields[name] = NUMERIC(stored=field.stored, numtype=numtype, sortable=True)
        elif field.field_type == "boolean":
            schema_fields[name] = BOOLEAN(stored=field.stored)
        elif field.field_type == "string":
            schema_fields[name] = FacetID(stored=field.stored)
        else:
            raise SearchBackendError(f"{name}: field type {field.field_type!r} not supported")
    if not content_field_name or not bigram_field_name:
        raise SearchBackendError("an index needs a document field and a WholeTextBigrams")
    return content_field_name, bigram_field_name, Schema(**schema_fields)
