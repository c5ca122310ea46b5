"""The Whoosh query parser of the archive's index. No Django or haystack import.

- a word on the document field (`text:北京市总工会`, or unfielded) means all its jieba words;
- a word or quoted string on the bigram field (`text_bigrams:"北京市总工会"`) means documents
  containing that exact string (whitespace and case aside), scoring EXACT_SCORE, so a query
  that ORs the two (as the search service builds it) ranks exact matches first;
- a quoted string on the document field means the exact string, ranked by its jieba words
  (what a phrase of jieba words approximates; haystack's Exact and AutoQuery send it);
- the same on any other bigram field (`title_bigrams:`, `body_bigrams:`: a part of the text);
  a bigram field indexed as its parts (the whole text's) asks each of them;
- a value token (`reporters:wholevalue…`, written by value_token) is that whole value, one
  Term built from it and never parsed: names may hold quotes, operators and wildcards; on
  the document field it means the value's jieba words, on the bigram field the exact string;
- other fields as Whoosh parses them; haystack's match-all `*` is every document.
"""

from __future__ import annotations

import re

from whoosh import query
from whoosh.fields import TEXT, Schema
from whoosh.qparser import FuzzyTermPlugin, PhrasePlugin, QueryParser

from articles.search.engine.analysis import BigramTokenizer, compact, query_words
from articles.search.engine.docsets import EXACT_SCORE, ExactScoreQuery

# A whole value in a query string: this prefix, then the value's UTF-8 in hex, so no character
# of it is query syntax.
VALUE_PREFIX = "wholevalue"
_VALUE_RE = re.compile(rf"{VALUE_PREFIX}((?:[0-9a-f]{{2}})*)")


def value_token(text: str) -> str:
    """`text` written for the query string so that the parser reads it back whole."""
    return VALUE_PREFIX + text.encode().hex()


def value_of(token: str) -> str | None:
    """The value a value_token wrote, or None for any other text."""
    match = _VALUE_RE.fullmatch(token)
    return bytes.fromhex(match.group(1)).decode() if match else None


class ArticleQueryParser(QueryParser):
    """Parses the document field into jieba words, the bigram field into exact strings."""

    class ExactPhrasePlugin(PhrasePlugin):
        """A quoted string on the content field means that exact string."""

        class PhraseNode(PhrasePlugin.PhraseNode):
            def query(self, parser: ArticleQueryParser) -> query.Query:
                fieldname = self.fieldname or parser.fieldname
                if fieldname == parser.fieldname:
                    return parser.exact_query(self.text, boost=self.boost)
                if fieldname in parser.bigram_fieldnames:
                    return parser.exact_string_query(self.text, fieldname)
                return super().query(parser)

        class PhraseTagger(PhrasePlugin.PhraseTagger):
            def create(self, parser: QueryParser, match) -> PhrasePlugin.PhraseNode:
                slop = int(match.group("slop")) if match.group("slop") else 1
                node_class = ArticleQueryParser.ExactPhrasePlugin.PhraseNode
                return node_class(match.group("text"), match.start("text"), slop)

        def taggers(self, parser: QueryParser) -> list:
            return [(self.PhraseTagger(self.expr), 0)]

    def __init__(
        self,
        fieldname: str,
        bigram_fieldname: str,
        schema: Schema,
        parts: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        """`parts`: bigram fields not in the schema, each with the schema's bigram fields it
        is indexed as (fields.bigram_parts: the whole text's, as the title's and the body's)."""
        # Whoosh's FieldsPlugin reads `name:` as text when the schema has no such field, so
        # the parser's copy of the schema names those fields too.
        if any(name not in schema for name in parts or ()):
            schema = schema.copy()
            for name in parts or ():
                if name not in schema:
                    schema.add(name, TEXT(analyzer=BigramTokenizer(), phrase=True))
        super().__init__(fieldname, schema)
        self.bigram_fieldname = bigram_fieldname
        # Each bigram field with the indexed fields a query on it asks.
        self.bigram_parts = {bigram_fieldname: (bigram_fieldname,)}
        for name, schema_field in schema.items():
            if isinstance(getattr(schema_field, "analyzer", None), BigramTokenizer):
                self.bigram_parts[name] = (name,)
        self.bigram_parts.update(parts or {})
        self.bigram_fieldnames = set(self.bigram_parts)
        self.remove_plugin_class(PhrasePlugin)
        self.add_plugins([self.ExactPhrasePlugin(), FuzzyTermPlugin()])

    def parse(self, text: str, normalize: bool = True, debug: bool = False) -> query.Query:
        """haystack's match-all `*` (a search with no text) is every live document.

        Whoosh reads it as Every(content field), which walks every posting of every term.
        """
        if text.strip() == "*":
            return query.Every()
        return super().parse(text, normalize=normalize, debug=debug)

    def substring_query(self, text: str, fieldname: str = "") -> query.Query | None:
        """Documents whose text (or the part a bigram `fieldname` holds) contains `text`
        (whitespace and case aside), and no others."""
        chars = compact(text)
        if not chars:
            return None
        fieldname = fieldname or self.bigram_fieldname
        found = [_substring(chars, name) for name in self.bigram_parts.get(fieldname, (fieldname,))]
        return found[0] if len(found) == 1 else query.Or(found)

    def exact_string_query(self, text: str, fieldname: str = "") -> query.Query:
        """The documents containing `text`, each scoring EXACT_SCORE."""
        substring = self.substring_query(text, fieldname)
        return query.NullQuery if substring is None else ExactScoreQuery(substring, EXACT_SCORE)

    def words_query(self, text: str, boost: float = 1.0) -> query.Query:
        """The documents containing every jieba word of `text`."""
        words = [query.Term(self.fieldname, word) for word in query_words(text)]
        return query.And(words, boost=boost) if words else query.NullQuery

    def exact_query(self, text: str, boost: float = 1.0) -> query.Query:
        """The exact string, ranked by how well its jieba words score."""
        exact = self.exact_string_query(text)
        words = [query.Term(self.fieldname, word) for word in query_words(text)]
        if exact is query.NullQuery or not words:
            return exact
        return query.AndMaybe(exact, query.Or(words, boost=boost))

    def term_query(
        self,
        fieldname: str,
        text: str,
        termclass: type,
        boost: float = 1.0,
        tokenize: bool = True,
        removestops: bool = True,
    ) -> query.Query | None:
        value = value_of(text)
        if value is not None and fieldname == self.fieldname:
            return self.words_query(value, boost=boost)
        if value is not None and fieldname in self.bigram_fieldnames:
            return self.exact_string_query(value, fieldname)
        if value is not None:
            return query.Term(fieldname, value, boost=boost)
        if termclass is query.Term and tokenize:
            if fieldname == self.fieldname:
                return self.words_query(text, boost=boost)
            if fieldname in self.bigram_fieldnames:
                return self.exact_string_query(text, fieldname)
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


def _substring(chars: str, fieldname: str) -> query.Query:
    """Documents whose bigram field `fieldname` contains `chars` (compacted), and no others."""
    if len(chars) == 1:
        # A bigram starting with the character, or a line ending with it.
        return query.Prefix(fieldname, chars)
    grams = [chars[i : i + 2] for i in range(len(chars) - 1)]
    if len(grams) == 1:
        return query.Term(fieldname, grams[0])
    return query.Phrase(fieldname, grams)
