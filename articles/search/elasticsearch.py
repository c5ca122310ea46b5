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
dates and numbers, and haystack's facets become terms aggregations. Put the union dictionary
(articles/parsing/data/unions.txt) into IK's custom dictionary so that union names stay whole.
See docs/scaling.md for when to switch and how.
"""

from __future__ import annotations

import copy

from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
)

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
        return content_field_name, mapping


def index_settings() -> dict:
    """haystack's index settings plus the bigram analyzer."""
    settings = copy.deepcopy(Elasticsearch7SearchBackend.DEFAULT_SETTINGS)
    settings["settings"]["analysis"]["analyzer"].update(BIGRAM_ANALYZER)
    return settings


class ArticleElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = ArticleElasticsearchBackend
