"""The search page as a reader meets it: short URLs, titles, hints for partial names, the way
from a result into the article and back."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from articles.search.indexing import apply_pending_updates
from tests.factories import make_article, make_credit, make_issue, make_organization, make_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    page = make_page(make_issue(datetime.date(2024, 3, 12)), number=2)
    union = make_organization("北京经济技术开发区总工会", aliases=("经开区总工会",))
    article = make_article(
        page,
        headline="职工技能大赛开幕",
        paragraphs=["本报讯（记者 刘欣欣）朝阳区职工技能大赛开幕。", "国有企业职工踊跃参赛。"],
    )
    article.organizations.add(union)
    make_credit(article, "刘欣欣")
    apply_pending_updates()
    return article


def test_a_form_with_empty_fields_redirects_to_a_url_without_them(client, archive):
    response = client.get(
        reverse("articles:search"),
        {"q": "技能", "org": "", "reporter": "", "kind": "", "sort": "relevance"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=%E6%8A%80%E8%83%BD"


def test_an_all_empty_form_redirects_to_the_bare_search_page(client, archive):
    response = client.get(reverse("articles:search"), {"q": "", "org": ""})
    assert (response.status_code, response["Location"]) == (302, "/search/")


@pytest.mark.parametrize(
    ("q", "title"),
    [
        ("技能", "<title>“技能”的搜索结果"),
        ("“国有企业”", "<title>“国有企业”的搜索结果"),
        ('"国有企业"', "<title>&quot;国有企业&quot;的搜索结果"),
    ],
)
def test_the_title_quotes_the_query_once(client, archive, q, title):
    assert title in client.get(reverse("articles:search"), {"q": q}).content.decode()


def test_a_partial_reporter_name_is_answered_with_the_people_it_names(client, archive):
    html = client.get(reverse("articles:search"), {"q": "记者:刘欣"}).content.decode()
    assert "没有名为“刘欣”的记者或工会" in html
    assert "记者：刘欣欣（1 篇）" in html
    assert 'href="?reporter=%E5%88%98%E6%AC%A3%E6%AC%A3"' in html


def test_a_partial_union_field_suggests_unions_by_alias_too(client, archive):
    html = client.get(reverse("articles:search"), {"org": "经开区"}).content.decode()
    assert "工会：北京经济技术开发区总工会（1 篇）" in html


def test_an_exact_name_gets_no_hint(client, archive):
    html = client.get(reverse("articles:search"), {"q": "记者:刘欣欣"}).content.decode()
    assert "您是不是要找" not in html and "共找到 1 篇文章" in html


def test_the_search_page_links_its_atom_feed_in_the_head(client, archive):
    html = client.get(reverse("articles:search"), {"q": "技能"}).content.decode()
    head = html[: html.index("</head>")]
    assert 'type="application/atom+xml" title="订阅此搜索" href="/feeds/search/?q=' in head


def test_results_link_to_the_article_with_the_search_to_come_back_to(client, archive):
    html = client.get(reverse("articles:search"), {"q": "技能 国有企业"}).content.decode()
    link = f'href="{archive.get_absolute_url()}?search='
    assert link in html
    href = html[html.index(link) + 6 :].split('"')[0].replace("&amp;", "&")
    article_html = client.get(href).content.decode()
    assert "<mark>国有企业</mark>职工踊跃参赛" in article_html
    assert "<mark>技能</mark>" in article_html
    back = article_html[article_html.index('class="search-trail"><a href="') + 31 :].split('"')[0]
    assert parse_qs(urlsplit(back.replace("&amp;", "&")).query) == {"q": ["技能 国有企业"]}


@pytest.mark.parametrize("search", ["q=%22%E5%B7%A5", "from=bad", "page=0", "q="])
def test_a_bad_or_empty_trail_shows_the_article_unmarked(client, archive, search):
    response = client.get(archive.get_absolute_url(), {"search": search})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>" not in html and "返回搜索结果" not in html


@pytest.mark.parametrize("url", ["/search/", "/api/search"])
def test_a_date_before_year_1000_is_a_400_not_a_crash(client, archive, url):
    response = client.get(url, {"from": "0184-03-01"})
    assert response.status_code == 400
    assert "日期须在 1000-01-01 至 9999-12-31 之间" in response.content.decode()


@pytest.fixture
def two_decades(archive):
    """The archive's 2024 article and one of 1998 that the same query finds."""
    make_article(
        make_page(make_issue(datetime.date(1998, 5, 4)), number=1),
        headline="职工技能培训",
        paragraphs=["职工技能培训班开班。"],
    )
    apply_pending_updates()


def test_results_show_a_timeline_of_decades_and_years_that_narrow_the_search(client, two_decades):
    page = client.get(reverse("articles:search"), {"q": "技能"}).content.decode()
    assert "2020年代" in page and "1990年代" in page
    assert "?q=%E6%8A%80%E8%83%BD&amp;from=1998-01-01&amp;to=1998-12-31" in page
    assert '<meter min="0" max="1" value="1"' in page


def test_the_sort_control_sits_beside_the_results_and_keeps_the_search(client, two_decades):
    page = client.get(reverse("articles:search"), {"q": "技能", "sort": "oldest"}).content
    page = page.decode()
    assert 'class="sort-links"' in page
    assert '<strong aria-current="true">最早在前</strong>' in page
    assert "?q=%E6%8A%80%E8%83%BD&amp;sort=newest" in page
    assert '<input type="hidden" name="sort" value="oldest">' in page


@pytest.mark.parametrize("url", ["/", "/search/", "/reporters/"])
def test_every_search_box_suggests_names(client, archive, url):
    page = client.get(url).content.decode()
    assert 'data-suggest="query"' in page
    assert "js/search.js" in page
