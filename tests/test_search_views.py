"""The search page and the JSON API: thin views over articles.search.service."""

import datetime

import pytest
from django.urls import reverse

from articles.models import Credit
from articles.search.indexing import apply_pending_updates
from tests.factories import make_article, make_credit, make_issue, make_organization, make_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    page = make_page(make_issue(datetime.date(2024, 3, 12)), number=2)
    union = make_organization("北京经济技术开发区总工会", aliases=("经开区总工会",))
    trip = make_article(
        page,
        seq=1,
        headline="经开区总工会开展先进职工疗休养活动",
        paragraphs=["本报讯（记者 孙艳）近日，经开区总工会组织职工疗休养。", "<script>x</script>"],
    )
    trip.organizations.add(union)
    make_credit(trip, "孙艳")
    photo = make_article(page, seq=2, headline="工余时间“动”起来", kind="photo")
    make_credit(photo, "崔欣", Credit.Role.PHOTOGRAPHER)
    apply_pending_updates()
    return {"trip": trip, "photo": photo}


def api(client, **params):
    return client.get(reverse("articles:api_search"), params)


def test_api_returns_results_facets_and_timing(client, archive):
    response = api(client, q="疗休养")

    assert response.status_code == 200
    data = response.json()
    assert {"total", "page", "num_pages", "took_ms", "results", "facets"} <= data.keys()
    assert (data["total"], data["page"], data["num_pages"]) == (1, 1, 1)
    [result] = data["results"]
    trip = archive["trip"]
    assert result == {
        "id": trip.pk,
        "url": f"http://testserver/articles/{trip.pk}/",
        "headline": trip.headline,
        "date": "2024-03-12",
        "paper_page": 2,
        "paper_page_url": "http://testserver/issues/2024-03-12/2/",
        "kind": "news",
        "snippet": result["snippet"],
        "highlights": result["highlights"],
        "snippet_html": result["snippet_html"],
        "credits": [
            {
                "name": "孙艳",
                "role": "reporter",
                "role_label": "记者",
                "url": f"http://testserver{trip.credits.get().person.get_absolute_url()}",
            }
        ],
        "organizations": ["北京经济技术开发区总工会"],
    }
    assert "<mark>疗休养</mark>" in result["snippet_html"]
    [[start, end]] = result["highlights"]
    assert result["snippet"][start:end] == "疗休养" and "<mark>" not in result["snippet"]
    assert "\n" not in result["snippet"]
    assert (data["next"], data["previous"]) == (None, None)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert data["facets"]["organizations"][0]["value"] == "北京经济技术开发区总工会"


def test_api_finds_a_union_by_its_alias(client, archive):
    data = api(client, org="经开区总工会").json()
    assert [r["id"] for r in data["results"]] == [archive["trip"].pk]


def test_api_filters_by_reporter_and_kind(client, archive):
    assert [r["id"] for r in api(client, reporter="崔欣").json()["results"]] == [
        archive["photo"].pk
    ]
    assert api(client, kind="photo").json()["total"] == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"per_page": "101"}, "per_page"),
        ({"per_page": "0"}, "per_page"),
        ({"page": "x"}, "page"),
        ({"from": "2024-13-01"}, "from"),
        ({"sort": "random"}, "sort"),
        ({"kind": "video"}, "kind"),
        ({"from": "2024-03-12", "to": "2024-03-01"}, "__all__"),
        ({"q": "工" * 2000}, "q"),
    ],
)
def test_api_bad_parameters_are_a_400_with_a_json_error(client, archive, params, field):
    response = api(client, **params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert field in response.json()["fields"]


@pytest.mark.parametrize("q", ['"工会', "，。！", "-工会", "AND OR NOT ( ) * ? ~ ^ : [ ] { }"])
def test_api_malformed_queries_get_a_message_never_a_500(client, archive, q):
    response = api(client, q=q)

    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json()["error"]


def test_api_page_past_the_end_is_a_400(client, archive):
    response = api(client, q="疗休养", page=2)
    assert response.status_code == 400
    assert "共 1 页" in response.json()["error"]


def test_search_page_shows_marked_results_and_facet_links(client, archive):
    response = client.get(reverse("articles:search"), {"q": "疗休养"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "共找到 1 篇文章" in html
    assert "<mark>疗休养</mark>" in html
    assert "<script>x</script>" not in html
    assert "?q=%E7%96%97%E4%BC%91%E5%85%BB&amp;org=" in html  # the union facet keeps the query


def test_search_page_without_criteria_shows_only_the_form(client, archive):
    html = client.get(reverse("articles:search")).content.decode()
    assert 'name="q"' in html and "共找到" not in html


def test_search_page_explains_a_malformed_query(client, archive):
    response = client.get(reverse("articles:search"), {"q": '"工会'})
    assert response.status_code == 400
    assert "引号没有配对" in response.content.decode()


def test_search_page_says_when_nothing_matches(client, archive):
    html = client.get(reverse("articles:search"), {"q": "不存在的词语"}).content.decode()
    assert "没有找到符合条件的文章" in html


def test_article_page_shows_the_article(client, archive):
    html = client.get(archive["trip"].get_absolute_url()).content.decode()
    assert "经开区总工会开展先进职工疗休养活动" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_active_filters_can_be_removed_one_by_one(client, archive):
    html = client.get(
        reverse("articles:search"), {"q": "疗休养", "org": "经开区总工会", "kind": "news"}
    ).content.decode()
    assert "工会：经开区总工会 ×" in html
    assert 'href="?q=%E7%96%97%E4%BC%91%E5%85%BB&amp;kind=news"' in html  # without org


def test_server_error_page_is_chinese_and_needs_no_database():
    from django.template.loader import render_to_string

    assert "服务器出错了" in render_to_string("500.html")


def test_search_page_past_the_time_budget_explains_it_with_a_503(client, archive, settings):
    settings.SEARCH_TIME_BUDGET_SECONDS = 0
    response = client.get(reverse("articles:search"), {"q": "疗休养"})
    assert response.status_code == 503
    assert "搜索超时" in response.content.decode()
