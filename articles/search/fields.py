"""Field types of the search index: haystack's side (BigramField, WholeTextBigrams, for
ArticleIndex) and the Whoosh schema the backend builds from an index's fields.

Compared with haystack's Whoosh mapping, the document field is segmented by jieba instead of
the English StemmingAnalyzer, BigramFields index its parts as character bigrams, and
other strings and lists are untokenized (filters and facets see whole names) with a column
that facets read.
"""

from __future__ import annotations

import sys
from array import array
from collections import Counter, defaultdict

from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError
from haystack.fields import CharField, SearchField
from whoosh import columns
from whoosh.fields import BOOLEAN, DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

from articles.search.analysis import BigramTokenizer, JiebaTokenizer, PositionedTokenizer


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


def _terms(value, analyzer, kwargs: dict) -> list[tuple[str, int]] | None:
    """(term, position) pairs straight from one of our tokenizers, None for any other: Whoosh
    makes a Token per term and passes it through generators, a third of indexing a field."""
    if isinstance(analyzer, PositionedTokenizer) and isinstance(value, str):
        return analyzer.terms(value, kwargs.get("mode", ""))
    return None


class WordFrequency(Frequency):
    """Whoosh's Frequency, counted from the tokenizer's terms without Token objects."""

    def word_values(self, value, analyzer, **kwargs):
        terms = _terms(value, analyzer, kwargs)
        if terms is None:
            return super().word_values(value, analyzer, **kwargs)
        boost = self.field_boost
        counts = Counter(term for term, _ in terms)
        return [(term, n, n * boost, pack_uint(n)) for term, n in counts.items()]


def text_field() -> TEXT:
    """jieba words with their frequencies, no positions: a quoted string is an exact string on
    the bigram field, so no query reads word positions (they were a fifth of the index). Not
    stored: snippets come from the database."""
    field = TEXT(analyzer=JiebaTokenizer(), phrase=False, stored=False)
    field.format = WordFrequency(field_boost=field.format.field_boost)
    return field


class CompactPositions(Positions):
    """Whoosh's Positions stored as a typecode and an array of positions, not a pickle.

    A posting's value is `H` or `I` and its positions as little-endian unsigned 16- or 32-bit
    integers: 3 bytes for a bigram seen once (Positions pickles a list after a 4-byte count: 13
    or more), decoded by array in C. Values of Positions (a bigram field indexed before this format)
    start with the zero high byte of their count, so indexes of either format decode.
    """

    def word_values(self, value, analyzer, **kwargs):
        """Positions.word_values, from the tokenizer's terms without Token objects."""
        terms = _terms(value, analyzer, kwargs)
        if terms is None:
            return super().word_values(value, analyzer, **kwargs)
        positions = defaultdict(list)
        for term, position in terms:
            positions[term].append(position)
        boost = self.field_boost
        return [
            (term, len(found), len(found) * boost, self.encode(found))
            for term, found in positions.items()
        ]

    def encode(self, poslist: list[int]) -> bytes:
        typecode = "H" if poslist[-1] < 0x10000 else "I"
        positions = array(typecode, poslist)
        if sys.byteorder == "big":
            positions.byteswap()
        return typecode.encode() + positions.tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        if valuestring[:1] == b"\x00":
            return super().decode_positions(valuestring)
        positions = array(chr(valuestring[0]), valuestring[1:])
        if sys.byteorder == "big":
            positions.byteswap()
        return positions.tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        if valuestring[:1] == b"\x00":
            return super().decode_frequency(valuestring)
        return (len(valuestring) - 1) // array(chr(valuestring[0])).itemsize


def bigram_field() -> TEXT:
    """Positions make the phrase of a query's bigrams mean "contains this string"."""
    field = TEXT(analyzer=BigramTokenizer(), phrase=True, stored=False)
    field.format = CompactPositions(field_boost=field.format.field_boost)
    return field


class FacetColumn(columns.VarBytesListColumn):
    """A document's values, read back as text ([None] when it has none).

    haystack facets with allow_overlap, and Whoosh then reads a column that stores lists; without
    one it walks every posting of the field on every search (about 1 s at 100k articles).
    """

    class Writer(columns.VarBytesListColumn.Writer):
        def add(self, docnum: int, values: list) -> None:
            # Segment merges copy values as the Reader returns them.
            encoded = [v.encode() if isinstance(v, str) else v for v in values if v is not None]
            super().add(docnum, encoded)

    class Reader(columns.VarBytesListColumn.Reader):
        def __getitem__(self, docnum: int) -> list[str | None]:
            return [value.decode() for value in super().__getitem__(docnum)] or [None]


class FacetKeyword(KEYWORD):
    """Comma-separated names (haystack's form of a list), whole, with a FacetColumn."""

    def __init__(self, stored: bool) -> None:
        super().__init__(stored=stored, commas=True, scorable=True)
        # KEYWORD(sortable=column) ignores the column and takes its default.
        self.column_type = FacetColumn()

    def to_column_value(self, value: str | list[str]) -> list[str]:
        names = value.split(",") if isinstance(value, str) else value
        return [name.strip() for name in names if name.strip()]

    def from_column_value(self, value: list) -> list:
        return value


class FacetID(WHOOSH_ID):
    """One untokenized string, with a FacetColumn."""

    def __init__(self, stored: bool) -> None:
        super().__init__(stored=stored)
        self.column_type = FacetColumn()

    def to_column_value(self, value: str) -> list[str]:
        return [value] if value else []

    def from_column_value(self, value: list) -> list:
        return value


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
