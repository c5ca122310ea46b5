import pytest
from django.urls import reverse

from articles.search_trail import quoted_query, search_trail, trail_parameter


def test_a_trail_keeps_the_search_to_go_back_to_and_marks_its_words():
    trail = search_trail("q=%E8%81%8C%E5%B7%A5&org=&page=2")
    assert trail.back_url == "/search/?q=%E8%81%8C%E5%B7%A5&page=2"  # empty org dropped
    assert [str(p) for p in trail.marked(["全体职工", "<b>"])] == [
        "全体<mark>职工</mark>",
        "&lt;b&gt;",
    ]


def test_filters_alone_make_a_trail_without_marks():
    trail = search_trail("reporter=%E5%88%98%E6%AC%A3%E6%AC%A3")
    assert trail.terms == [] and trail.back_url.startswith("/search/?reporter=")


def test_no_search_or_a_bad_one_is_no_trail():
    assert search_trail("") is None
    assert search_trail("q=%22") is None  # unpaired quote
    assert search_trail("paper_page=abc") is None


def test_trail_parameter_carries_the_whole_query_string():
    from django.http import QueryDict

    assert trail_parameter(QueryDict("q=a b&sort=newest")) == "search=q%3Da%2Bb%26sort%3Dnewest"


@pytest.mark.parametrize(
    ("q", "shown"),
    [("职工", "“职工”"), ("“国有企业”", "“国有企业”"), ('"劳模"', '"劳模"'), ("", "")],
)
def test_quoted_query_quotes_once(q, shown):
    assert quoted_query(q) == shown


@pytest.mark.django_db
def test_the_search_feed_title_quotes_once(client):
    feed = client.get(reverse("articles:feed_search"), {"q": "“国有企业”"}).content.decode()
    assert "<title>搜索“国有企业” · 首都工会新闻档案</title>" in feed
