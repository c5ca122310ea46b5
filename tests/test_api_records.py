"""The API's records of one article and one issue, as the OpenAPI document describes them."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import make_article, make_credit, make_issue, make_organization, make_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    issue = make_issue(datetime.date(2024, 3, 12))
    first, second = make_page(issue, number=1), make_page(issue, number=2)
    lead = make_article(
        first, seq=1, headline="北京市总工会召开全委会", paragraphs=["甲。", "乙。"]
    )
    make_credit(lead, "刘欣欣")
    lead.organizations.add(make_organization("北京市总工会"))
    make_article(first, seq=2, headline="职工书屋开放")
    make_article(second, seq=1, headline="工余时间", kind="photo")
    return issue


def test_an_article_record_has_its_text_credits_unions_and_citation_files(client, issue):
    lead = issue.pages.get(number=1).articles.get(seq=1)
    response = client.get(reverse("articles:api_article", args=[lead.pk]))
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert (data["headline"], data["paragraphs"], data["paper_page"]) == (
        "北京市总工会召开全委会",
        ["甲。", "乙。"],
        1,
    )
    assert [c["name"] for c in data["credits"]] == ["刘欣欣"]
    assert data["organizations"] == ["北京市总工会"]
    assert data["citation"].startswith("刘欣欣. 北京市总工会召开全委会[N].")
    assert data["cite_ris"] == f"http://testserver/articles/{lead.pk}/cite.ris"
    assert client.get(data["cite_bib"]).status_code == 200


def test_an_issue_record_lists_its_pages_and_their_articles_in_order(client, issue):
    data = client.get(reverse("articles:api_issue", args=["2024-03-12"])).json()
    assert data["url"] == "http://testserver/issues/2024-03-12/"
    assert [(p["number"], [a["headline"] for a in p["articles"]]) for p in data["pages"]] == [
        (1, ["北京市总工会召开全委会", "职工书屋开放"]),
        (2, ["工余时间"]),
    ]
    assert data["pages"][1]["url"] == "http://testserver/issues/2024-03-12/2/"
    assert data["pages"][1]["articles"][0]["kind"] == "photo"


def test_an_issue_record_reads_a_fixed_number_of_queries(client, issue, django_assert_num_queries):
    with django_assert_num_queries(3):
        client.get(reverse("articles:api_issue", args=["2024-03-12"]))


@pytest.mark.parametrize(
    "url", ["/api/articles/999999", "/api/issues/2024-03-13", "/api/issues/2024-02-31"]
)
def test_a_missing_record_is_a_404_with_a_message(client, issue, url):
    response = client.get(url)
    assert response.status_code == 404 and response.json()["error"].startswith("没有")


def test_records_are_in_the_openapi_document(client):
    paths = client.get(reverse("articles:api_openapi")).json()["paths"]
    assert {"/api/articles/{id}", "/api/issues/{date}"} <= paths.keys()


@pytest.mark.parametrize(
    "url",
    [
        "/api/articles/-1",
        "/api/articles/x/y",
        f"/api/articles/{'9' * 30}",
        "/api/issues/a/b",
        "/api/issues/a%0Ab",
    ],
)
def test_a_malformed_id_or_date_is_a_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
