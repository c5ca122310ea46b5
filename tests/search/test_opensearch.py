"""The OpenSearch backend without a cluster: pre-tokenized fields, the mapping, queries as DSL,
and the start-up check of the cluster's URL (the live cluster: test_opensearch_cluster.py)."""

import pytest
from django.core import checks
from haystack import connections
from haystack.backends import SQ
from haystack.inputs import Exact

from articles.search.engine.docsets import EXACT_SCORE
from articles.search.fields import bigram_parts
from articles.search.opensearch import (
    ArticleOpenSearchBackend,
    check_search_cluster,
    pretokenized_bigrams,
    pretokenized_words,
)
from articles.search.opensearch_query import QueryBuilder
from articles.search.service import words_or_exact
from articles.search_indexes import ArticleIndex

ENGINE = "articles.search.opensearch.ArticleOpenSearchEngine"
# Nothing listens on port 1 of loopback: a refused connection at once.
UNREACHABLE = "http://127.0.0.1:1"


PARTS = {
    "title_bigrams": ("title_bigrams",),
    "body_bigrams": ("body_bigrams",),
    "text_bigrams": ("title_bigrams", "body_bigrams"),
}


def builder() -> QueryBuilder:
    return QueryBuilder("text", "text_bigrams", PARTS)


def _either_part(title: dict, body: dict) -> dict:
    """What an exact string in the whole text is: in the title's bigrams or the body's."""
    return {"bool": {"should": [title, body], "minimum_should_match": 1}}


def test_words_are_sent_as_jieba_search_mode_tokens_split_by_spaces():
    words = "北京 京市 市总 总工 工会 北京市 总工会 北京市总工会 召开 会议"
    assert pretokenized_words("北京市总工会召开会议") == words


def test_bigrams_are_one_value_per_line_so_no_phrase_spans_two_lines():
    assert pretokenized_bigrams("工会 干部\n研修班") == ["工会 会干 干部 部", "研修 修班 班"]


def test_mapping_splits_text_on_whitespace_and_keeps_names_whole():
    backend = ArticleOpenSearchBackend("default", URL=UNREACHABLE)
    content, bigram, mapping = backend.build_schema(ArticleIndex().fields)
    properties = mapping["properties"]
    assert (content, bigram) == ("text", "text_bigrams")
    assert (
        properties["text"]
        == properties["title_bigrams"]
        == properties["body_bigrams"]
        == {"type": "text", "analyzer": "whitespace"}
    )
    # The whole text's bigrams are those of the title and the body, indexed once.
    assert "text_bigrams" not in properties
    for name in ("reporters", "organizations", "organization_tree", "kind", "year_month"):
        assert properties[name] == {"type": "keyword"}, name
    assert (properties["date"], properties["page"]) == ({"type": "date"}, {"type": "integer"})
    assert properties["version"] == {"type": "keyword", "index": False}
    assert set(mapping["_source"]["excludes"]) >= {"text", "body_bigrams", "organization_names"}


def test_the_title_and_the_body_are_sent_as_their_bigrams():
    backend = ArticleOpenSearchBackend("default", URL=UNREACHABLE)
    backend.bigram_parts = bigram_parts(ArticleIndex().fields)
    assert backend.source_value("title_bigrams", "托管班\n开学") == ["托管 管班 班", "开学 学"]
    assert backend.source_value("body_bigrams", "工会 干部") == ["工会 会干 干部 部"]


def test_a_typed_word_means_its_jieba_words_or_the_exact_string_scored_first():
    query = builder().build(SQ(words_or_exact("市总工会")))
    words, exact = query["bool"]["should"]
    assert words == {"bool": {"must": [{"term": {"text": "市"}}, {"term": {"text": "总工会"}}]}}
    title, body = (
        {"match_phrase": {field: {"query": "市总 总工 工会", "analyzer": "whitespace"}}}
        for field in ("title_bigrams", "body_bigrams")
    )
    either = _either_part(title, body)
    assert exact == {"constant_score": {"filter": either, "boost": EXACT_SCORE}}


def test_a_title_search_asks_the_titles_bigrams_alone():
    phrase = {"match_phrase": {"title_bigrams": {"query": "托管 管班", "analyzer": "whitespace"}}}
    assert builder().build(SQ(title_bigrams=Exact("托管班"))) == {
        "constant_score": {"filter": phrase, "boost": EXACT_SCORE}
    }


def test_one_character_is_a_prefix_and_whitespace_alone_matches_nothing():
    either = _either_part({"prefix": {"title_bigrams": "工"}}, {"prefix": {"body_bigrams": "工"}})
    assert builder().build(SQ(text_bigrams=Exact("工"))) == {
        "constant_score": {"filter": either, "boost": EXACT_SCORE}
    }
    assert builder().build(SQ(text=Exact(" \u3000"))) == {"match_none": {}}


def test_whole_values_are_term_filters_never_query_syntax():
    name = '张三" OR reporters:*'
    query = builder().build(SQ(text="工会") & SQ(reporters=Exact(name)) & ~SQ(kind=Exact("photo")))
    filters = query["bool"]["filter"]
    assert {"term": {"reporters": name}} in filters
    assert {"bool": {"must_not": [{"term": {"kind": "photo"}}]}} in filters


def test_dates_are_ranges_on_iso_dates():
    import datetime

    query = builder().build(SQ(date__gte=datetime.date(1998, 1, 2)))
    assert query == {"range": {"date": {"gte": "1998-01-02"}}}


def test_no_criteria_matches_everything():
    assert builder().build(SQ()) == {"match_all": {}}


@pytest.mark.parametrize("url", [UNREACHABLE, "http://no-such-host.invalid:9200"])
def test_an_unreachable_cluster_is_a_clear_error_at_start_up(settings, monkeypatch, url):
    config = {"default": {"ENGINE": ENGINE, "URL": url, "INDEX_NAME": "t", "TIMEOUT": 2}}
    settings.HAYSTACK_CONNECTIONS = config
    monkeypatch.setattr(connections, "connections_info", config)
    connections.reload("default")
    errors = check_search_cluster()
    assert [error.id for error in errors] == ["articles.E101"]
    assert (
        errors[0].level == checks.ERROR
        and url in errors[0].msg
        and "OPENSEARCH_URL" in errors[0].hint
    )


def test_the_check_is_silent_for_whoosh():
    assert check_search_cluster() == []
