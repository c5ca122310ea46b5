import pytest
from django.http import QueryDict
from django.urls import reverse

from articles.search.engine.query import parse_query
from articles.suggestions import Suggestion, names_not_found, replaced_search, suggest_names
from tests.factories import make_article, make_credit, make_organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def names():
    article = make_article()
    make_credit(article, "刘欣欣")
    make_credit(make_article(seq=2, page=article.page), "刘欣")
    make_credit(article, "王欣")
    union = make_organization("北京市总工会", aliases=("市总",))
    union.articles.add(article)
    return article


def test_suggest_names_finds_people_then_unions_containing_the_text(names):
    found = suggest_names("欣")
    assert [(s.name, s.kind) for s in found] == [
        ("刘欣", "reporter"),
        ("刘欣欣", "reporter"),
        ("王欣", "reporter"),
    ]
    assert [s.name for s in suggest_names("市总")] == ["北京市总工会"]  # by alias
    assert suggest_names("总", kind="reporter") == []


def test_names_not_found_keeps_partial_names_only(names):
    query = parse_query("记者:刘欣 记者:刘 工会:市总 工会:北京")
    assert names_not_found(query, reporter="王", organization="") == ["刘", "王", "北京"]


def test_replaced_search_swaps_the_typed_name_for_the_suggestion():
    params = QueryDict("q=职工+记者:刘欣&sort=newest&page=3")
    person = Suggestion("刘欣欣", "reporter", 3, "/reporters/1/")
    assert replaced_search(params, "刘欣", person) == (
        "?q=%E8%81%8C%E5%B7%A5&sort=newest&reporter=%E5%88%98%E6%AC%A3%E6%AC%A3"
    )


def test_suggest_endpoint_answers_json_with_absolute_urls(client, names):
    data = client.get(reverse("articles:api_suggest"), {"q": "刘欣", "kind": "reporter"}).json()
    assert [item["name"] for item in data["suggestions"]] == ["刘欣", "刘欣欣"]
    assert data["suggestions"][0]["url"].startswith("http://testserver/reporters/")
    assert client.get(reverse("articles:api_suggest")).json() == {"suggestions": []}


def test_suggest_endpoint_refuses_an_unknown_kind(client, names):
    response = client.get(reverse("articles:api_suggest"), {"q": "刘", "kind": "editor"})
    assert response.status_code == 400 and "kind" in response.json()["fields"]


def test_suggest_endpoint_pins_its_queries(client, names, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get(reverse("articles:api_suggest"), {"q": "欣"})


def test_control_characters_in_a_suggestion_query_are_spaces(names):
    assert [s.name for s in suggest_names("刘欣\x00")] == ["刘欣", "刘欣欣"]
    assert suggest_names("\x00\x01") == []
