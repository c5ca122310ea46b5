"""The Elasticsearch path: its mapping is checked here always; searching it needs a server
(set ELASTICSEARCH_URL; none can be installed on the CI machines, so those tests skip there)."""

import os

import pytest
from django.test import override_settings
from haystack import connections
from haystack.inputs import Exact
from haystack.query import SearchQuerySet

from articles.models import Article
from articles.search.elasticsearch import ArticleElasticsearchBackend, quoted
from articles.search.engine.query import parse_query
from articles.search.service import FACET_BUCKETS, SearchParams, search_queryset
from articles.search_indexes import ArticleIndex
from tests.factories import make_article, make_credit, make_organization

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL")


def backend(**options) -> ArticleElasticsearchBackend:
    return ArticleElasticsearchBackend(
        "default", URL="http://127.0.0.1:9200/", INDEX_NAME="t", **options
    )


def test_mapping_analyses_text_in_chinese_and_keeps_names_whole():
    content_field, mapping = backend().build_schema(ArticleIndex().fields)
    assert content_field == "text"
    assert mapping["text"] == {
        "type": "text",
        "analyzer": "ik_max_word",
        "search_analyzer": "ik_smart",
    }
    assert mapping["text_bigrams"] == {"type": "text", "analyzer": "newsarchive_bigram"}
    # The whole text's bigrams are the title's and the body's, copied in by Elasticsearch.
    for part in ("title_bigrams", "body_bigrams"):
        assert mapping[part]["copy_to"] == "text_bigrams", part
    names = ("reporters", "organizations", "organization_names", "organization_tree", "kind")
    for name in (*names, "year", "year_month"):
        assert mapping[name] == {"type": "keyword"}, name
    assert mapping["date"]["type"] == "date"
    assert mapping["page"]["type"] == "long"


def test_index_settings_define_the_bigram_analyzer_without_plugins():
    analyzer = backend().DEFAULT_SETTINGS["settings"]["analysis"]["analyzer"]["newsarchive_bigram"]
    assert analyzer == {"tokenizer": "standard", "filter": ["cjk_width", "lowercase", "cjk_bigram"]}


def test_smartcn_can_replace_ik_and_anything_else_is_refused():
    _, mapping = backend(CHINESE_ANALYZER="smartcn").build_schema(ArticleIndex().fields)
    assert mapping["text"]["analyzer"] == mapping["text"]["search_analyzer"] == "smartcn"
    with pytest.raises(ValueError, match="CHINESE_ANALYZER"):
        backend(CHINESE_ANALYZER="standard")


@pytest.mark.skipif(not ELASTICSEARCH_URL, reason="no Elasticsearch server (set ELASTICSEARCH_URL)")
@pytest.mark.django_db
def test_search_through_a_live_elasticsearch(monkeypatch):
    config = {
        "default": {
            "ENGINE": "articles.search.elasticsearch.ArticleElasticsearchEngine",
            "URL": ELASTICSEARCH_URL,
            "INDEX_NAME": "newsarchive_test",
            "CHINESE_ANALYZER": os.environ.get("ELASTICSEARCH_CHINESE_ANALYZER", "ik"),
        }
    }
    with override_settings(HAYSTACK_CONNECTIONS=config):
        monkeypatch.setattr(connections, "connections_info", config)
        engine = connections.reload("default")
        engine.get_backend().clear()
        union = make_organization("北京经济技术开发区总工会", aliases=("经开区总工会",))
        article = make_article(headline="经开区总工会开展疗休养活动", paragraphs=["职工疗休养。"])
        article.organizations.add(union)
        make_credit(article, "孙艳")
        engine.get_unified_index().get_index(Article).update()
        engine.get_backend().conn.indices.refresh(index="newsarchive_test")
        assert [int(r.pk) for r in SearchQuerySet().filter(content="疗休养")] == [article.pk]
        assert SearchQuerySet().filter(organization_names=Exact("经开区总工会")).count() == 1
        assert SearchQuerySet().filter(reporters=Exact("孙艳")).count() == 1
        facets = SearchQuerySet().facet("organizations").facet_counts()
        assert facets["fields"]["organizations"] == [("北京经济技术开发区总工会", 1)]
    connections.reload("default")


ELASTICSEARCH_CONFIG = {
    "default": {
        "ENGINE": "articles.search.elasticsearch.ArticleElasticsearchEngine",
        "URL": "http://127.0.0.1:9200/",
        "INDEX_NAME": "t",
    }
}


def request_body(monkeypatch, q: str, **params) -> tuple[str, dict]:
    """The query string and request body the service's search gives Elasticsearch (no server
    needed to build them)."""
    with override_settings(HAYSTACK_CONNECTIONS=ELASTICSEARCH_CONFIG):
        monkeypatch.setattr(connections, "connections_info", ELASTICSEARCH_CONFIG)
        engine = connections.reload("default")
        try:
            sqs = search_queryset(parse_query(q), SearchParams(**params))
            query_string = sqs.query.build_query()
            body = engine.get_backend().build_search_kwargs(
                query_string, **sqs.query.build_params()
            )
        finally:
            monkeypatch.undo()
            connections.reload("default")
    return query_string, body


@pytest.mark.django_db
def test_elasticsearch_gets_the_same_fields_for_words_phrases_and_exclusions(monkeypatch):
    """The service's query meaning is in its fields, so Elasticsearch searches the bigram field
    for exact strings as Whoosh does."""
    query_string, body = request_body(monkeypatch, '职工 "劳动模范" -会议', kind="news")
    assert query_string == (
        '((text:(职工) OR text_bigrams:("职工"))'
        ' AND (text_bigrams:("劳动模范") AND (text:(劳动模范) OR text_bigrams:("劳动模范")))'
        ' AND NOT (text_bigrams:("会议")))'
    )
    assert body["query"]["bool"]["must"]["query_string"]["query"] == query_string
    assert body["query"]["bool"]["filter"][1:] == [{"term": {"kind": "news"}}]
    assert body["aggs"]["organization_tree"]["terms"] == {
        "field": "organization_tree",
        "size": FACET_BUCKETS,
    }


@pytest.mark.django_db
def test_elasticsearch_gets_names_as_term_filters_never_as_query_syntax(monkeypatch):
    name = '不存在" OR text_bigrams:* OR "x'
    query_string, body = request_body(
        monkeypatch, "记者:张*", organization=name, reporter=name, kind='news" OR "x'
    )
    assert query_string == "*:*"
    assert body["query"]["bool"]["filter"] == [
        {"terms": {"django_ct": ["articles.article"]}},
        {"term": {"reporters": "张*"}},
        {"term": {"reporters": name}},
        {"term": {"organization_names": name}},
        {"term": {"kind": 'news" OR "x'}},
    ]
    assert body["query"]["bool"]["must"] == {"match_all": {}}


@pytest.mark.django_db
def test_elasticsearch_quotes_a_name_inside_an_or_with_lucene_escapes(monkeypatch):
    make_organization('北京"市总\\工会', aliases=("市总",))
    query_string, _ = request_body(monkeypatch, "市总")
    assert 'organizations:("北京\\"市总\\\\工会")' in query_string


def test_quoted_escapes_what_lucene_reads_inside_quotes():
    assert quoted('a"b\\') == '"a\\"b\\\\"'


def test_a_rebuild_on_elasticsearch_clears_then_indexes_each_batch(monkeypatch):
    es = backend()
    calls = []
    monkeypatch.setattr(es, "clear", lambda: calls.append("clear"))
    monkeypatch.setattr(es, "update", lambda index, batch: calls.append(list(batch)))
    assert es.rebuild(ArticleIndex(), iter([[1, 2], [3]]), total=3) == 3
    assert calls == ["clear", [1, 2], [3]]
