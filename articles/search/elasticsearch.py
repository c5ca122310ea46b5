"""The search-cluster path: haystack's Elasticsearch 7 backend with Chinese analysis.

Settings (no code change):

    HAYSTACK_ENGINE=articles.search.elasticsearch.ArticleElasticsearchEngine
    ELASTICSEARCH_URL=http://search.internal:9200/    ELASTICSEARCH_INDEX=newsarchive
    ELASTICSEARCH_CHINESE_ANALYZER=ik                 # or smartcn

The same ArticleIndex feeds it (articles/search_indexes.py): the document field is analysed by
the IK plugin (`ik_max_word` when indexing, so sub-words are found; `ik_smart` for queries) or
by the smartcn plugin; the character-bigram field uses Elasticsearch's built-in `cjk_bigram`
filter (no plugin), and the search service asks it for exact strings (`text_bigrams:"…"`, a
phrase of bigrams) as it asks Whoosh; reporters, unions, dates, page and kind are keywords,
dates and numbers, and haystack's facets become terms aggregations. A whole value
(articles.search.inputs.Value: a reporter, a union, a kind) every match must have is a term
filter, outside the query string; one inside an OR is a quoted value with Lucene's escapes. Put the union dictionary
(articles/parsing/data/unions.txt) into IK's custom dictionary so that union names stay whole.
See docs/scaling.md for when to switch and how.
"""

from __future__ import annotations

import copy

from haystack import connections
from haystack.backends import SQ, SearchNode
from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
    Elasticsearch7SearchQuery,
)

from articles.search.engine.whoosh_private import query_alias
from articles.search.inputs import Value

# Index-time and query-time analyzers of the document field, per Chinese analysis plugin.
CHINESE_ANALYZERS = {
    "ik": ("ik_max_word", "ik_smart"),  # elasticsearch-analysis-ik
    "smartcn": ("smartcn", "smartcn"),  # analysis-smartcn, shipped by Elastic
}
BIGRAM_ANALYZER = {
    "newsarchive_bigram": {
        "tokenizer": "standard",
        "filter": ["cjk_width", "lowercase", "cjk_bigram"],
    }
}


class ArticleElasticsearchBackend(Elasticsearch7SearchBackend):
    def __init__(self, connection_alias: str, **connection_options) -> None:
        super().__init__(connection_alias, **connection_options)
        analyzer = connection_options.get("CHINESE_ANALYZER", "ik")
        if analyzer not in CHINESE_ANALYZERS:
            raise ValueError(f"CHINESE_ANALYZER must be one of {sorted(CHINESE_ANALYZERS)}")
        self.index_analyzer, self.search_analyzer = CHINESE_ANALYZERS[analyzer]
        self.DEFAULT_SETTINGS = index_settings()

    def rebuild(self, index, batches, total: int) -> int:
        """What rebuild_index asks of a backend (see articles.search.rebuild): here haystack's
        way, clear and refill, so searches see a partial index meanwhile (an index alias
        swapped after the refill would avoid that)."""
        self.clear()
        written = 0
        for batch in batches:
            self.update(index, batch)
            written += len(batch)
        return written

    def build_search_kwargs(self, query_string: str, value_filters=(), **kwargs) -> dict:
        """haystack's request body, and a term filter for each whole value (field, value)."""
        body = super().build_search_kwargs(query_string, **kwargs)
        terms = [{"term": {field: value}} for field, value in value_filters]
        if terms and "bool" in body["query"]:  # haystack's filters (models, narrowing)
            found = body["query"]["bool"]
            found["filter"] = [found["filter"], *terms] if "filter" in found else terms
        elif terms:
            body["query"] = {"bool": {"must": body["query"], "filter": terms}}
        return body

    def build_schema(self, fields: dict) -> tuple[str, dict]:
        """haystack's mapping, with Chinese text, bigrams, and whole (keyword) strings."""
        content_field_name, mapping = super().build_schema(fields)
        for field in fields.values():
            name = field.index_fieldname
            if field.document:
                mapping[name] = {
                    "type": "text",
                    "analyzer": self.index_analyzer,
                    "search_analyzer": self.search_analyzer,
                }
            elif field.field_type == "bigram":
                mapping[name] = {"type": "text", "analyzer": "newsarchive_bigram"}
            elif field.field_type == "string" or field.is_multivalued:
                mapping[name] = {"type": "keyword"}
        # The whole text's bigrams (WholeTextBigrams) hold nothing of their own: each part
        # is copied in, a value apart (no phrase spans two).
        for field in fields.values():
            for part in field.parts if field.field_type == "bigram" else ():
                mapping[part]["copy_to"] = field.index_fieldname
        return content_field_name, mapping


def index_settings() -> dict:
    """haystack's index settings plus the bigram analyzer."""
    settings = copy.deepcopy(Elasticsearch7SearchBackend.DEFAULT_SETTINGS)
    settings["settings"]["analysis"]["analyzer"].update(BIGRAM_ANALYZER)
    return settings


def quoted(text: str) -> str:
    """`text` as one quoted value of Lucene's query syntax: inside quotes only a backslash
    and a quote are read, and both are escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class ArticleElasticsearchSearchQuery(Elasticsearch7SearchQuery):
    def build_query(self) -> str:
        """The query string without the whole values every match must have (term filters)."""
        rest, _ = self._split_values()
        query_string = rest.as_query_string(self.build_query_fragment)
        query_string = query_string or self.matching_all_fragment()
        boosts = [self.boost_fragment(word, value) for word, value in self.boost.items()]
        return " ".join([query_string, *boosts])

    def build_params(self, *args, **kwargs) -> dict:
        params = super().build_params(*args, **kwargs)
        _, values = self._split_values()
        if values:
            params["value_filters"] = values
        return params

    def build_value_query(self, text: str) -> str:
        return quoted(text)

    def build_exact_query(self, query_string: str) -> str:
        # haystack's Exact quotes without escaping: a word ending in a backslash broke the query.
        return quoted(query_string)

    def _split_values(self) -> tuple[SearchNode, list[tuple[str, str]]]:
        """The filter without the whole values every match must have, and those (index field,
        value): the children of the top-level AND (and of ANDs in it), not negated."""
        unified = connections[query_alias(self)].get_unified_index()
        values: list[tuple[str, str]] = []

        def rest(node: SearchNode) -> SearchNode:
            if node.connector != SQ.AND or node.negated:
                return node
            kept = []
            for child in node.children:
                if isinstance(child, SearchNode):
                    child = rest(child)
                    if child.children:
                        kept.append(child)
                    continue
                expression, value = child
                field, filter_type = node.split_expression(expression)
                if isinstance(value, Value) and filter_type in ("content", "exact"):
                    values.append((unified.get_index_fieldname(field), value.query_string))
                else:
                    kept.append(child)
            return node.create(kept, node.connector, node.negated)

        return rest(self.query_filter), values


class ArticleElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = ArticleElasticsearchBackend
    query = ArticleElasticsearchSearchQuery
