"""haystack's SQ trees as OpenSearch query DSL, with the archive's analysis done in Python.

The cluster holds pre-tokenized text (articles/search/opensearch.py): jieba words and character
bigrams, split on whitespace only. So each leaf of a query is analysed here exactly as the
Whoosh parser does it (articles/search/engine/whoosh_parser.py), then sent as terms:
- a word on the document field: every one of its jieba words (term queries);
- an exact string (`Exact`) on a bigram field: the phrase of its bigrams, or a prefix for one
  character, scoring EXACT_SCORE whatever it matches, so exact matches rank first; on the whole
  text's bigram field, in any of the fields it is indexed as (title, body);
- an exact string on the document field: that string, ranked by its words;
- any other field: whole values (term, terms, range), in filter context, never query syntax.
"""

from __future__ import annotations

import datetime

from haystack import connections
from haystack.backends import SQ, BaseSearchQuery, SearchNode
from haystack.exceptions import SearchBackendError
from haystack.inputs import BaseInput, Exact

from articles.search.engine.analysis import compact, query_words
from articles.search.engine.docsets import EXACT_SCORE
from articles.search.engine.whoosh_private import query_alias

MATCH_NONE: dict = {"match_none": {}}
MATCH_ALL: dict = {"match_all": {}}
_RANGES = {"gt": "gt", "gte": "gte", "lt": "lt", "lte": "lte"}


def words_query(field: str, text: str) -> dict:
    """The documents containing every jieba word of `text`."""
    words = query_words(text)
    if not words:
        return MATCH_NONE
    return {"bool": {"must": [{"term": {field: word}} for word in words]}}


def substring_query(field: str, text: str) -> dict:
    """The documents whose text contains `text` (whitespace and case aside), and no others."""
    chars = compact(text)
    if not chars:
        return MATCH_NONE
    if len(chars) == 1:
        # A bigram starting with the character, or a line ending with it.
        return {"prefix": {field: chars}}
    grams = [chars[i : i + 2] for i in range(len(chars) - 1)]
    if len(grams) == 1:
        return {"term": {field: grams[0]}}
    return {"match_phrase": {field: {"query": " ".join(grams), "analyzer": "whitespace"}}}


def exact_string_query(fields: tuple[str, ...], text: str) -> dict:
    """The documents containing `text` in any of these bigram fields, each scoring
    EXACT_SCORE."""
    found = [substring_query(field, text) for field in fields]
    if found[0] is MATCH_NONE:
        return MATCH_NONE
    if len(found) == 1:
        substring = found[0]
    else:
        substring = {"bool": {"should": found, "minimum_should_match": 1}}
    return {"constant_score": {"filter": substring, "boost": EXACT_SCORE}}


def exact_query(content_field: str, bigram_fields: tuple[str, ...], text: str) -> dict:
    """The exact string, ranked by how well its jieba words score."""
    exact = exact_string_query(bigram_fields, text)
    words = query_words(text)
    if exact is MATCH_NONE or not words:
        return exact
    should = [{"term": {content_field: word}} for word in words]
    return {"bool": {"must": [exact], "should": should}}


def _plain(value):
    """A whole value as the cluster stores it."""
    if isinstance(value, BaseInput):
        value = value.query_string
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


class QueryBuilder:
    """SQ → DSL for one index's content (jieba) field and bigram fields: `bigram_parts` (see
    fields.bigram_parts) gives each bigram field the indexed fields a query on it asks, and
    `bigram_field` is the whole text's."""

    def __init__(
        self, content_field: str, bigram_field: str, bigram_parts: dict[str, tuple[str, ...]]
    ) -> None:
        self.content_field = content_field
        self.bigram_field = bigram_field
        self.bigram_parts = bigram_parts

    def build(self, node: SearchNode) -> dict:
        if not node.children:
            return MATCH_ALL
        return self._node(node)[0]

    def _node(self, node: SearchNode) -> tuple[dict, bool]:
        """(query, scores): a query that only filters goes into filter context."""
        parts: list[tuple[dict, bool]] = []
        for child in node.children:
            if isinstance(child, SearchNode):
                parts.append(self._node(child))
            else:
                expression, value = child
                field, filter_type = node.split_expression(expression)
                parts.append(self._leaf(field, filter_type, value))
        if len(parts) == 1:
            query, scores = parts[0]
            return ({"bool": {"must_not": [query]}}, False) if node.negated else (query, scores)
        if node.connector == SQ.OR:
            should = [query if scores else {"bool": {"filter": [query]}} for query, scores in parts]
            combined = {"bool": {"should": should, "minimum_should_match": 1}}
            scoring = any(scores for _, scores in parts)
        else:
            must = [query for query, scores in parts if scores]
            filters = [query for query, scores in parts if not scores]
            combined = {"bool": {"must": must, "filter": filters}}
            scoring = bool(must)
        if node.negated:
            return {"bool": {"must_not": [combined]}}, False
        return combined, scoring

    def _leaf(self, field: str, filter_type: str, value) -> tuple[dict, bool]:
        if field == self.content_field and filter_type == "content":
            if isinstance(value, Exact):
                whole_text = self.bigram_parts[self.bigram_field]
                return exact_query(self.content_field, whole_text, _plain(value)), True
            if _plain(value) == "*":
                return MATCH_ALL, False
            return words_query(self.content_field, str(_plain(value))), True
        if field in self.bigram_parts and filter_type == "content":
            return exact_string_query(self.bigram_parts[field], str(_plain(value))), True
        if filter_type in ("content", "exact"):
            return {"term": {field: _plain(value)}}, False
        if filter_type in _RANGES:
            return {"range": {field: {_RANGES[filter_type]: _plain(value)}}}, False
        if filter_type == "in":
            return {"terms": {field: [_plain(item) for item in value]}}, False
        raise SearchBackendError(f"the search cluster has no {filter_type!r} filter")


class OpenSearchQuery(BaseSearchQuery):
    """haystack's query, built as a DSL dict instead of a query string."""

    def build_query(self) -> dict:
        backend = connections[query_alias(self)].get_backend()
        if not backend.setup_complete:
            backend.setup()
        builder = QueryBuilder(
            backend.content_field_name, backend.bigram_field_name, backend.bigram_parts
        )
        if self.boost:
            raise SearchBackendError("term boosts are not supported by the search cluster")
        return builder.build(self.query_filter)

    def build_query_fragment(self, field, filter_type, value) -> str:
        raise SearchBackendError("the search cluster's queries are DSL, not query strings")

    def matching_all_fragment(self) -> str:
        return "*"
