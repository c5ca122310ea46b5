"""The Whoosh query parser of the archive's index: the document field as jieba words, the
bigram field as exact strings, other fields as Whoosh parses them. No Django or haystack import.
"""

from __future__ import annotations

from whoosh import query
from whoosh.fields import Schema
from whoosh.qparser import FuzzyTermPlugin, PhrasePlugin, QueryParser

from articles.search.analysis import compact, query_words
from articles.search.docsets import EXACT_SCORE, ExactScoreQuery


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

    def parse(self, text: str, normalize: bool = True, debug: bool = False) -> query.Query:
        """haystack's match-all `*` (a search with no text) is every live document.

        Whoosh reads it as Every(content field), which walks every posting of every term.
        """
        if text.strip() == "*":
            return query.Every()
        return super().parse(text, normalize=normalize, debug=debug)

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
