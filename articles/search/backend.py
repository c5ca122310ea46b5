"""haystack's Whoosh backend with Chinese analysis and substring recall.

Settings: `"ENGINE": "articles.search.backend.ArticleWhooshEngine"`. Compared with haystack's
engine, the document field is segmented by jieba instead of the English StemmingAnalyzer, a
`BigramField` indexes the same text as character bigrams, and other strings and lists are
untokenized (filters and facets see whole names) with a column that facets read.

Query semantics of the document field (`content=` in haystack):
- a word `北京市总工会` finds documents containing all its jieba words, or the string itself;
  documents containing the string score `EXACT_SCORE` more, so they always rank first;
- a quoted `"北京市总工会"` finds only documents containing the string, ranked by its words.
"""

from __future__ import annotations

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.fields import CharField
from haystack.utils import get_identifier
from whoosh import columns, query
from whoosh.fields import BOOLEAN, DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.qparser import FuzzyTermPlugin, PhrasePlugin, QueryParser

from articles.search.analysis import BigramTokenizer, JiebaTokenizer, compact, query_words

# Larger than any sum of BM25 term scores a query of a few dozen words can reach.
EXACT_SCORE = 10_000.0
# Seconds a write waits for another writer (Whoosh allows one) before it fails; connection
# option WRITE_TIMEOUT. A failed write raises, so the caller can keep the update for later.
WRITE_TIMEOUT = 30.0


class ExactScoreQuery(query.ConstantScoreQuery):
    """The exact-string match, scoring EXACT_SCORE.

    Whoosh's ConstantScoreQuery has no `boost`, which query normalisation reads when it
    flattens nested And/Or queries (`;'0 0.` crashed the search, found by bench/fuzz.py).
    """

    boost = 1.0


class BigramField(CharField):
    """The document text again, indexed as character bigrams for substring matching."""

    field_type = "bigram"


def text_field() -> TEXT:
    """jieba words with positions (phrases work); not stored, snippets come from the database."""
    return TEXT(analyzer=JiebaTokenizer(), phrase=True, stored=False)


def bigram_field() -> TEXT:
    """Positions make the phrase of a query's bigrams mean "contains this string"."""
    return TEXT(analyzer=BigramTokenizer(), phrase=True, stored=False)


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


class ArticleQueryParser(QueryParser):
    """Parses the content field into jieba and bigram queries; other fields as Whoosh does."""

    class ExactPhrasePlugin(PhrasePlugin):
        """A quoted string on the content field means that exact string."""

        class PhraseNode(PhrasePlugin.PhraseNode):
            def query(self, parser: ArticleQueryParser) -> query.Query:
                fieldname = self.fieldname or parser.fieldname
                if fieldname != parser.fieldname:
                    return super().query(parser)
                return parser.exact_query(self.text, boost=self.boost)

        class PhraseTagger(PhrasePlugin.PhraseTagger):
            def create(self, parser: QueryParser, match) -> PhrasePlugin.PhraseNode:
                slop = int(match.group("slop")) if match.group("slop") else 1
                node_class = ArticleQueryParser.ExactPhrasePlugin.PhraseNode
                return node_class(match.group("text"), match.start("text"), slop)

        def taggers(self, parser: QueryParser) -> list:
            return [(self.PhraseTagger(self.expr), 0)]

    def __init__(self, fieldname: str, bigram_fieldname: str, schema: Schema) -> None:
        super().__init__(fieldname, schema)
        self.bigram_fieldname = bigram_fieldname
        self.remove_plugin_class(PhrasePlugin)
        self.add_plugins([self.ExactPhrasePlugin(), FuzzyTermPlugin()])

    def substring_query(self, text: str) -> query.Query | None:
        """Documents whose text contains `text` (whitespace and case aside), and no others."""
        chars = compact(text)
        if not chars:
            return None
        if len(chars) == 1:
            # A bigram starting with the character, or a line ending with it.
            return query.Prefix(self.bigram_fieldname, chars)
        grams = [chars[i : i + 2] for i in range(len(chars) - 1)]
        if len(grams) == 1:
            return query.Term(self.bigram_fieldname, grams[0])
        return query.Phrase(self.bigram_fieldname, grams)

    def _exact_and_words(self, text: str) -> tuple[query.Query, list[query.Query]] | None:
        """The exact-string query (constant score) and one term query per jieba word."""
        substring = self.substring_query(text)
        if substring is None:
            return None
        exact = ExactScoreQuery(substring, EXACT_SCORE)
        return exact, [query.Term(self.fieldname, word) for word in query_words(text)]

    def exact_query(self, text: str, boost: float = 1.0) -> query.Query:
        """The exact string, ranked by how well its jieba words score."""
        parts = self._exact_and_words(text)
        if parts is None:
            return query.NullQuery
        exact, words = parts
        return query.AndMaybe(exact, query.Or(words, boost=boost)) if words else exact

    def word_query(self, text: str, boost: float = 1.0) -> query.Query:
        """All jieba words of `text`, or `text` itself; the latter ranks first."""
        parts = self._exact_and_words(text)
        if parts is None:
            return query.NullQuery
        exact, words = parts
        return query.Or([query.And(words, boost=boost), exact]) if words else exact

    def term_query(
        self,
        fieldname: str,
        text: str,
        termclass: type,
        boost: float = 1.0,
        tokenize: bool = True,
        removestops: bool = True,
    ) -> query.Query | None:
        if fieldname == self.fieldname and termclass is query.Term and tokenize:
            return self.word_query(text, boost=boost)
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


class ArticleSearchBackend(WhooshSearchBackend):
    def __init__(self, connection_alias: str, **connection_options) -> None:
        super().__init__(connection_alias, **connection_options)
        self.write_timeout = float(connection_options.get("WRITE_TIMEOUT", WRITE_TIMEOUT))

    def setup(self) -> None:
        super().setup()
        self.parser = ArticleQueryParser(
            self.content_field_name, self.bigram_field_name, schema=self.schema
        )

    def build_schema(self, fields: dict) -> tuple[str, Schema]:
        """haystack's mapping, except that text is jieba, bigrams or a whole (untokenized) ID."""
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
            elif field.field_type == "bigram":
                schema_fields[name] = bigram_field()
                bigram_field_name = name
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
            raise SearchBackendError("an index needs a document field and a BigramField")
        self.bigram_field_name = bigram_field_name
        return content_field_name, Schema(**schema_fields)

    def _writer(self):
        """A writer that waits its turn; whoosh.index.LockError once write_timeout has passed.

        haystack's own update() uses an AsyncWriter, which on a held lock buffers the documents
        in a thread of this process: they are lost if the process ends first.
        """
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        return self.index.writer(timeout=self.write_timeout, delay=0.05)

    def update(self, index, iterable, commit: bool = True) -> None:
        """Index `iterable`; it is read only once the write lock is held.

        So a QuerySet passed in reflects every change committed before this write began, and
        two processes indexing the same article cannot leave the older version last.
        """
        writer = self._writer()
        written = 0
        try:
            for obj in iterable:
                try:
                    doc = index.full_prepare(obj)
                except SkipDocument:
                    continue
                doc = {key: self._from_python(value) for key, value in doc.items()}
                doc.pop("boost", None)  # Whoosh 2.5+ has no document boosts
                writer.update_document(**doc)
                written += 1
        except BaseException:
            writer.cancel()
            raise
        if written:
            writer.commit()
        else:
            writer.cancel()

    def remove(self, obj_or_string, commit: bool = True) -> None:
        writer = self._writer()
        try:
            writer.delete_by_term(ID, get_identifier(obj_or_string))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def build_models_list(self) -> list[str]:
        """No django_ct narrowing when one model is indexed: it would collect every document."""
        models = super().build_models_list()
        return models if len(models) > 1 else []

    def _process_results(self, raw_page, highlight: bool = False, **kwargs) -> dict:
        if highlight:
            raise SearchBackendError(
                "text is not stored in the index: use articles.search.highlight on database text"
            )
        return super()._process_results(raw_page, **kwargs)


class ArticleWhooshEngine(WhooshEngine):
    backend = ArticleSearchBackend
