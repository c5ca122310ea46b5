"""The JSON API beyond searching itself: paging links, snippets as text, the OpenAPI document."""

import datetime
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.api import OPENAPI_PATH, snippet_text
from articles.search.indexing import apply_pending_updates
from tests.factories import make_article, make_credit, make_issue, make_organization, make_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_articles():
    page = make_page(make_issue(datetime.date(2024, 3, 12)), number=3)
    for seq in range(1, 6):
        make_article(page, seq=seq, headline=f"职工书屋第{seq}期", paragraphs=["职工读书。"])
    apply_pending_updates()


def test_next_and_previous_are_absolute_and_keep_the_query(client, five_articles):
    data = client.get(reverse("articles:api_search"), {"q": "职工", "per_page": 2, "page": 2})
    data = data.json()
    assert (data["page"], data["num_pages"]) == (2, 3)
    assert data["next"] == "http://testserver/api/search?q=%E8%81%8C%E5%B7%A5&per_page=2&page=3"
    assert data["previous"].endswith("per_page=2&page=1")
    assert all(r["paper_page"] == 3 for r in data["results"])


@pytest.mark.parametrize(
    ("html", "text", "highlights"),
    [
        ("<mark>职工</mark>之家", "职工之家", [[0, 2]]),
        ("…第一段。\n\n第二段<mark>工会</mark>", "…第一段。 第二段工会", [[9, 11]]),
        ("a &lt;b&gt; <mark>&amp;</mark>", "a <b> &", [[6, 7]]),
        ("没有命中", "没有命中", []),
    ],
)
def test_snippet_text_unescapes_collapses_space_and_counts_offsets(html, text, highlights):
    assert snippet_text(html) == (text, highlights)


def test_openapi_document_is_served_with_this_server(client):
    response = client.get(reverse("articles:api_openapi"))
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": "http://testserver"}]
    assert {"/api/search", "/api/suggest"} <= document["paths"].keys()
    assert response["Access-Control-Allow-Origin"] == "*"


def test_openapi_search_parameters_are_the_search_form_fields():
    from articles.search.forms import SearchForm

    document = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
    names = {p["name"] for p in document["paths"]["/api/search"]["get"]["parameters"]}
    assert names == set(SearchForm().fields)


def test_every_search_result_field_is_described(client, five_articles):
    document = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
    schemas = document["components"]["schemas"]
    data = client.get(reverse("articles:api_search"), {"q": "职工"}).json()
    assert set(data) == set(schemas["SearchResults"]["properties"])
    assert set(data["results"][0]) == set(schemas["Article"]["properties"])


@pytest.mark.parametrize(
    "params",
    [
        {"org": '不存在" OR kind:"news'},
        {"org": '不存在" OR text_bigrams:* OR "x'},
        {"q": "职工", "org": '不存在" OR text_bigrams:?? OR "x', "sub": "1"},
        {"reporter": '不存在" OR kind:"news'},
        {"q": '记者:不存在" OR kind:"news'},
    ],
)
def test_a_filter_value_holding_query_syntax_finds_nothing(client, five_articles, params):
    response = client.get(reverse("articles:api_search"), params)
    assert (response.status_code, response.json()["total"]) == (200, 0)


def test_a_search_past_the_time_budget_is_a_503_with_a_json_error(client, five_articles, settings):
    settings.SEARCH_TIME_BUDGET_SECONDS = 0
    response = client.get(reverse("articles:api_search"), {"q": "职工"})
    assert response.status_code == 503
    assert response.json()["error"].startswith("搜索超时")


def test_an_empty_date_counts_as_not_given(client, five_articles):
    url = reverse("articles:api_search")
    empty = client.get(url, {"q": "职工", "from": "", "to": ""})
    assert (empty.status_code, empty.json()["total"]) == (200, 5)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2024-03-12", True),
        ("1000-01-01", True),
        ("9999-12-31", True),
        ("0273-09-13", False),  # before the dates the index can filter on
        ("2024-3-12", False),
        (" 2024-03-12", False),
        ("03/12/2024", False),
        ("２０２４-03-12", False),
        ("2024-02-30", None),  # the pattern's shape, not a date: format "date" refuses it
    ],
)
def test_the_api_document_states_which_dates_are_accepted(client, value, valid):
    document = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
    parameters = document["paths"]["/api/search"]["get"]["parameters"]
    pattern = next(p["schema"]["pattern"] for p in parameters if p["name"] == "to")
    response = client.get(reverse("articles:api_search"), {"to": value})
    assert response.status_code == (200 if valid else 400)
    if valid is not None:
        assert bool(re.fullmatch(pattern, value)) is valid


def test_an_unknown_method_is_a_405_naming_get(client):
    response = client.generic("QUERY", reverse("articles:api_search"), "q=职工")
    assert (response.status_code, response["Allow"]) == (405, "GET")


def test_a_post_to_the_api_is_a_405_not_a_csrf_failure():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("articles:api_suggest"), {"q": "刘"})
    assert (response.status_code, response["Allow"]) == (405, "GET")


@pytest.mark.parametrize(("value", "status"), [("1", 200), ("true", 200), ("0", 200), ("", 200)])
def test_sub_takes_the_flags_the_document_lists(client, five_articles, value, status):
    response = client.get(reverse("articles:api_search"), {"org": "市总", "sub": value})
    assert response.status_code == status


@pytest.mark.parametrize("value", ["-58800", "yes", "True", "on"])
def test_sub_refuses_any_other_text(client, value):
    response = client.get(reverse("articles:api_search"), {"org": "市总", "sub": value})
    assert response.status_code == 400
    assert "sub" in response.json()["fields"]


@pytest.fixture
def credited_articles():
    """25 articles, each with two credits and two unions: what made a query per hit."""
    page = make_page(make_issue(datetime.date(2024, 3, 12)), number=4)
    unions = [make_organization(name) for name in ("北京市总工会", "朝阳区总工会")]
    for seq in range(1, 26):
        article = make_article(page, seq=seq, headline=f"职工书屋第{seq}期", paragraphs=["读书。"])
        make_credit(article, "刘欣欣")
        make_credit(article, "王芳", "correspondent")
        article.organizations.add(*unions)
    apply_pending_updates()


@pytest.mark.parametrize("per_page", [5, 20])
def test_the_apis_queries_per_page_do_not_grow_with_per_page(
    client, credited_articles, per_page, django_assert_num_queries
):
    client.get(reverse("articles:api_search"), {"q": "职工书屋"})  # the union dictionary loaded
    # The query word's union lookup (a name, an alias), the facets' 待核 unions, the union
    # tree's parents, then the articles, their credits and their unions' names: whatever
    # per_page is.
    with django_assert_num_queries(7):
        response = client.get(
            reverse("articles:api_search"), {"q": "职工书屋", "per_page": per_page}
        )
    results = response.json()["results"]
    assert len(results) == per_page
    assert all(len(r["credits"]) == 2 and len(r["organizations"]) == 2 for r in results)
