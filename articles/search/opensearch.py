"""The search-cluster path: a haystack backend on an OpenSearch cluster, through opensearch-py.

Settings (no code change; deploy/search-cluster starts a two-node cluster on loopback):

    HAYSTACK_ENGINE=articles.search.opensearch.ArticleOpenSearchEngine
    OPENSEARCH_URL=http://127.0.0.1:9250,http://127.0.0.1:9251   OPENSEARCH_INDEX=newsarchive

The same answers as Whoosh: words and bigrams are computed here in Python (rjieba and the
bigram analyser of articles/search/engine/analysis.py) and sent pre-tokenized to fields split on
whitespace only, so no analysis plugin is needed and both engines hold the same terms; queries
are analysed the same way (articles/search/opensearch_query.py). Whole values (reporters,
unions, kind, year) are keywords, dates and page numbers are typed, facets are terms
aggregations.

OPENSEARCH_INDEX names an alias. `rebuild` fills a new index and swaps the alias in one step,
so searches never see an empty or partial index; updates meanwhile go to both indexes, and the
rebuild only creates documents, so it never overwrites an update's newer copy.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core import checks
from haystack import connections
from haystack.backends import BaseEngine, BaseSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier, get_model_ct
from haystack.utils.app_loading import haystack_get_model
from opensearchpy import OpenSearch, TransportError, helpers
from opensearchpy.exceptions import ConnectionError as ClusterConnectionError
from opensearchpy.exceptions import ImproperlyConfigured, NotFoundError

from articles.search.engine.analysis import bigrams, index_words
from articles.search.fields import bigram_parts
from articles.search.opensearch_query import OpenSearchQuery

# Articles per rebuild and update_index batch (connection option BATCH_SIZE).
BATCH_SIZE = 2000
# One primary shard holds 100k articles easily; one replica, so either node can serve alone.
SHARDS = 1
REPLICAS = 1
# check_index pages through every document (haystack's values_list); OpenSearch's default
# window is 10,000.
MAX_RESULT_WINDOW = 10_000_000
# Values counted per facet when haystack's facet() names no size (Whoosh counts them all).
FACET_SIZE = 1000
# Bulk requests never exceed this many documents or bytes, and may take this many seconds: a
# 2,000-document request timed out at the client's 30 s on 2 busy cores (load average 11).
BULK_DOCUMENTS = 500
BULK_BYTES = 5 * 1024 * 1024
BULK_TIMEOUT = 180

_FIELD_TYPES = {"date": "date", "datetime": "date", "integer": "integer", "float": "float"}


def pretokenized_words(text: str) -> str:
    """jieba search-mode words of `text`, one token per word, for the whitespace analyser."""
    return " ".join(word for word, _ in index_words(text))


def pretokenized_bigrams(text: str) -> list[str]:
    """One string of bigrams per line: the field's values are far apart (OpenSearch's
    position_increment_gap), as Whoosh leaves a gap between lines, so no phrase spans two."""
    lines: list[list[str]] = []
    previous = None
    for gram, position in bigrams(text):
        if previous is None or position > previous + 1:
            lines.append([])
        lines[-1].append(gram)
        previous = position
    return [" ".join(grams) for grams in lines]


class ArticleOpenSearchBackend(BaseSearchBackend):
    def __init__(self, connection_alias: str, **connection_options) -> None:
        super().__init__(connection_alias, **connection_options)
        urls = connection_options.get("URL")
        if not urls:
            raise ImproperlyConfigured("the search cluster needs a URL (OPENSEARCH_URL)")
        self.urls = [url.strip() for url in urls.split(",")] if isinstance(urls, str) else urls
        self.alias = connection_options.get("INDEX_NAME", "newsarchive")
        self.batch_size = int(connection_options.get("BATCH_SIZE", BATCH_SIZE))
        self.client = OpenSearch(
            self.urls, timeout=float(connection_options.get("TIMEOUT", 30)), max_retries=3
        )
        self.setup_complete = False
        self.content_field_name = ""
        self.bigram_field_name = ""
        self.bigram_parts: dict[str, tuple[str, ...]] = {}
        self.mapping: dict = {}

    @property
    def building_alias(self) -> str:
        """Names the index a rebuild is filling, so updates reach it too."""
        return f"{self.alias}-building"

    def setup(self) -> None:
        """The mapping from the unified index; the aliased index, created if missing."""
        unified = connections[self.connection_alias].get_unified_index()
        fields = unified.all_searchfields()
        self.content_field_name, self.bigram_field_name, self.mapping = self.build_schema(fields)
        self.bigram_parts = bigram_parts(fields)
        if not self.client.indices.exists_alias(name=self.alias):
            self._swap_in(self._create_index())
        self.setup_complete = True

    def build_schema(self, fields: dict) -> tuple[str, str, dict]:
        content, bigram = "", ""
        properties: dict = {name: {"type": "keyword"} for name in (ID, DJANGO_CT, DJANGO_ID)}
        for field in fields.values():
            name = field.index_fieldname
            if field.document:
                content = name
                properties[name] = {"type": "text", "analyzer": "whitespace"}
            elif field.field_type == "bigram" and field.parts:
                bigram = name  # the whole text's, indexed as its parts (title, body)
                continue
            elif field.field_type == "bigram":
                properties[name] = {"type": "text", "analyzer": "whitespace"}
            elif field.field_type in _FIELD_TYPES:
                properties[name] = {"type": _FIELD_TYPES[field.field_type]}
            else:
                properties[name] = {"type": "keyword"}
            if not field.indexed:
                properties[name]["index"] = False
        hidden = [field.index_fieldname for field in fields.values() if not field.stored]
        return content, bigram, {"properties": properties, "_source": {"excludes": hidden}}

    def _create_index(self) -> str:
        name = f"{self.alias}-{time.time_ns()}"
        body = {
            "settings": {
                "number_of_shards": SHARDS,
                "number_of_replicas": REPLICAS,
                "max_result_window": MAX_RESULT_WINDOW,
            },
            "mappings": self.mapping,
        }
        self.client.indices.create(index=name, body=body)
        self.client.cluster.health(
            index=name, wait_for_status="yellow", timeout="30s", request_timeout=60
        )
        return name

    def _swap_in(self, name: str) -> list[str]:
        """Point the alias at `name` alone, in one step; returns the indexes it left."""
        try:
            old = list(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            old = []
        actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
        actions.append({"add": {"index": name, "alias": self.alias}})
        self.client.indices.update_aliases(body={"actions": actions})
        return old

    def _targets(self) -> list[str]:
        targets = [self.alias]
        if self.client.indices.exists_alias(name=self.building_alias):
            targets.append(self.building_alias)
        return targets

    def _actions(
        self, index, objects: Iterable, targets: list[str], op_type: str = "index"
    ) -> Iterator[dict]:
        for obj in objects:
            try:
                doc = index.full_prepare(obj)
            except SkipDocument:
                continue
            source = {key: self.source_value(key, value) for key, value in doc.items()}
            source.pop("boost", None)
            for target in targets:
                yield {"_op_type": op_type, "_index": target, "_id": doc[ID], "_source": source}

    def source_value(self, name: str, value):
        """A prepared field value as the cluster stores it: words and bigrams pre-tokenized."""
        if name == self.content_field_name:
            return pretokenized_words(value)
        if name in self.bigram_parts:
            return pretokenized_bigrams(value)
        if isinstance(value, datetime.date | datetime.datetime):
            return value.isoformat()
        if isinstance(value, set | tuple):
            return list(value)
        return value

    def _bulk(self, actions: Iterable[dict], refresh: bool) -> None:
        # 409: a rebuild's create found the document written by a newer update.
        helpers.bulk(
            self.client,
            actions,
            chunk_size=BULK_DOCUMENTS,
            max_chunk_bytes=BULK_BYTES,
            request_timeout=BULK_TIMEOUT,
            refresh=refresh,
            ignore_status=(409,),
        )

    def update(self, index, iterable, commit: bool = True) -> None:
        if not self.setup_complete:
            self.setup()
        self._bulk(self._actions(index, iterable, self._targets()), refresh=commit)

    def remove(self, obj_or_string, commit: bool = True) -> None:
        if not self.setup_complete:
            self.setup()
        identifier = get_identifier(obj_or_string)
        for target in self._targets():
            self.client.delete(index=target, id=identifier, refresh=commit, ignore=404)

    def clear(self, models=None, commit: bool = True) -> None:
        """Without models: an empty index swapped in, in one step."""
        if not self.setup_complete:
            self.setup()
        if models is None:
            for old in self._swap_in(self._create_index()):
                self.client.indices.delete(index=old)
            return
        cts = [get_model_ct(model) for model in models]
        query = {"query": {"terms": {DJANGO_CT: cts}}}
        self.client.delete_by_query(index=self.alias, body=query, refresh=commit)

    def rebuild(self, index, batches: Iterable[Iterable], total: int) -> int:
        """Index every object of `batches` into a new index, then swap the alias to it (searches
        see the old index until then); returns how many were written."""
        if not self.setup_complete:
            self.setup()
        name = self._create_index()
        self.client.indices.put_settings(index=name, body={"refresh_interval": "-1"})
        self.client.indices.put_alias(index=name, name=self.building_alias)
        written = 0
        try:
            for batch in batches:
                # Created only where absent: an update applied meanwhile is newer. Counted as
                # sent, since the article is in the index either way.
                actions = list(self._actions(index, batch, [name], op_type="create"))
                self._bulk(actions, refresh=False)
                written += len(actions)
            self.client.indices.put_settings(index=name, body={"refresh_interval": None})
            # Writes every document the bulk requests sent: as long as one of them may take.
            self.client.indices.refresh(index=name, request_timeout=BULK_TIMEOUT)
            self.client.cluster.health(
                index=name, wait_for_status="yellow", timeout="120s", request_timeout=150
            )
            old = self._swap_in(name)
        except BaseException:
            self.client.indices.delete(index=name, ignore=404)
            raise
        self.client.indices.delete_alias(index=name, name=self.building_alias)
        for index_name in old:
            self.client.indices.delete(index=index_name, ignore=404)
        return written

    def cluster_status(self) -> str:
        """green, yellow (a copy of some shard unassigned, e.g. a node down) or red."""
        return self.client.cluster.health()["status"]

    def document_count(self) -> int:
        if not self.setup_complete:
            self.setup()
        return self.client.count(index=self.alias)["count"]

    def search(
        self,
        query: dict,
        sort_by: list[str] | None = None,
        start_offset: int = 0,
        end_offset: int | None = None,
        highlight: bool = False,
        facets: dict | list | None = None,
        narrow_queries: set | None = None,
        models=None,
        limit_to_registered_models: bool | None = None,
        result_class=None,
        **kwargs,
    ) -> dict:
        unsupported = [name for name in _UNSUPPORTED if kwargs.get(name)]
        if highlight or narrow_queries:
            unsupported.append("highlight" if highlight else "narrow_queries")
        if unsupported:
            raise SearchBackendError(f"the search cluster does not support {unsupported}")
        if not self.setup_complete:
            self.setup()
        content_types = self._content_types(models, limit_to_registered_models)
        if content_types:
            query = {"bool": {"must": [query], "filter": [{"terms": {DJANGO_CT: content_types}}]}}
        size = (end_offset if end_offset is not None else MAX_RESULT_WINDOW) - start_offset
        body: dict = {
            "query": query,
            "from": start_offset,
            "size": max(size, 0),
            "track_total_hits": True,
        }
        if sort_by:
            body["sort"] = [
                {field.lstrip("-"): {"order": "desc" if field.startswith("-") else "asc"}}
                for field in sort_by
            ]
        if facets:
            options = facets if isinstance(facets, dict) else {name: {} for name in facets}
            body["aggs"] = {
                name: {"terms": {"field": name, "size": int(option.get("size") or FACET_SIZE)}}
                for name, option in options.items()
            }
        raw = self.client.search(index=self.alias, body=body)
        return self._results(raw, result_class)

    def _results(self, raw: dict, result_class) -> dict:
        unified_index = connections[self.connection_alias].get_unified_index()
        results = []
        for hit in raw["hits"]["hits"]:
            source = dict(hit["_source"])
            app_label, model_name = source.pop(DJANGO_CT).split(".")
            model = haystack_get_model(app_label, model_name)
            if model is None or model not in unified_index.get_indexed_models():
                continue
            pk = source.pop(DJANGO_ID)
            source.pop(ID, None)
            score = hit["_score"] or 0.0
            results.append(
                (result_class or SearchResult)(app_label, model_name, pk, score, **source)
            )
        fields = {
            name: [(bucket["key"], bucket["doc_count"]) for bucket in agg["buckets"]]
            for name, agg in raw.get("aggregations", {}).items()
        }
        return {
            "results": results,
            "hits": raw["hits"]["total"]["value"],
            "facets": {"fields": fields, "dates": {}, "queries": {}} if fields else {},
            "spelling_suggestion": None,
        }

    def _content_types(self, models, limit_to_registered_models: bool | None) -> list[str]:
        """django_ct values to narrow to; none when every indexed model is asked for."""
        indexed = connections[self.connection_alias].get_unified_index().get_indexed_models()
        if models and not set(indexed) <= set(models):
            return sorted(get_model_ct(model) for model in models)
        return []

    def more_like_this(self, *args, **kwargs):
        raise SearchBackendError("the search cluster has no more-like-this")


# Search options only haystack's own backends handle.
_UNSUPPORTED = ("date_facets", "query_facets", "spelling_query", "within", "dwithin")


class ArticleOpenSearchEngine(BaseEngine):
    backend = ArticleOpenSearchBackend
    query = OpenSearchQuery


@checks.register()
def check_search_cluster(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A cluster that cannot be reached is reported at start-up, not as a 500 per request."""
    engine = settings.HAYSTACK_CONNECTIONS.get("default", {}).get("ENGINE", "")
    if engine != f"{__name__}.ArticleOpenSearchEngine":
        return []
    url = settings.HAYSTACK_CONNECTIONS["default"].get("URL")
    try:
        backend = connections["default"].get_backend()
        status = backend.cluster_status()
    except (ImproperlyConfigured, ClusterConnectionError, TransportError, ValueError) as error:
        return [
            checks.Error(
                f"无法连接搜索集群 {url}：{error.__class__.__name__}",
                hint="请检查 OPENSEARCH_URL（如 http://127.0.0.1:9250,http://127.0.0.1:9251）"
                "以及集群是否已启动（make search-cluster）。",
                id="articles.E101",
            )
        ]
    if status == "red":
        return [checks.Error(f"搜索集群 {url} 状态为 red：有分片不可用。", id="articles.E102")]
    return []
