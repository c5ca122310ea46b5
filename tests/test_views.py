import datetime
import json

import pytest
from django.urls import reverse

from tests.factories import make_article, make_credit, make_issue, make_organization, make_page


@pytest.mark.django_db
def test_home_lists_latest_issue_headlines_and_credits(client, django_assert_max_num_queries):
    old = make_page(make_issue(datetime.date(2024, 3, 5)), number=1)
    make_article(old, headline="上一期的报道")
    page = make_page(make_issue(datetime.date(2024, 3, 12)), number=2)
    for seq in range(1, 6):
        make_credit(make_article(page, seq=seq, headline=f"第{seq}篇报道"), f"记者{seq}")

    with django_assert_max_num_queries(12):  # a fixed number, whatever the article count
        response = client.get(reverse("articles:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "2024年3月12日" in html
    assert "第5篇报道" in html
    assert '记者 <a href="/reporters/' in html and ">记者5</a>" in html
    assert "上一期的报道" not in html


@pytest.mark.django_db
def test_home_escapes_stored_text(client):
    make_article(headline="<script>alert(1)</script>")

    html = client.get(reverse("articles:home")).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_home_of_an_empty_archive_says_so(client):
    assert "档案暂无内容" in client.get(reverse("articles:home")).content.decode()


@pytest.fixture
def archive(db):
    """Two issues; the later has two pages, with credits, unions and banners."""
    from articles.models import Credit

    union = make_organization("北京市总工会", aliases=("市总",))
    child = make_organization("朝阳区总工会")
    child.parent = union
    child.save()
    earlier = make_page(make_issue(datetime.date(2023, 3, 12)), number=1)
    old = make_article(earlier, headline="去年今日的报道")
    old.organizations.add(union)
    issue = make_issue(datetime.date(2024, 3, 12))
    first = make_page(issue, number=1, banners=["深入学习贯彻党的二十大精神"])
    second = make_page(issue, number=2)
    articles = []
    for seq in range(1, 4):
        article = make_article(first, seq=seq, headline=f"第一版第{seq}篇")
        make_credit(article, f"记者{seq}")
        make_credit(article, "崔欣", Credit.Role.PHOTOGRAPHER)
        article.organizations.add(union, child)
        articles.append(article)
    make_article(second, headline="第二版报道")
    return {"union": union, "child": child, "articles": articles, "issue": issue, "first": first}


def test_home_shows_active_unions_reporters_and_on_this_day(client, archive, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2024, 3, 12))
    html = client.get(reverse("articles:home")).content.decode()
    assert "往年今日" in html and "去年今日的报道" in html
    assert "报道最多的工会" in html and "北京市总工会" in html
    assert "署名最多的记者" in html and "崔欣" in html


def test_calendar_links_days_with_an_issue(client, archive):
    html = client.get(reverse("articles:calendar"), {"year": 2024}).content.decode()
    assert 'href="/issues/2024-03-12/"' in html
    assert "3月（1 期）" in html
    assert 'href="?year=2023"' in html


@pytest.mark.parametrize("year", ["abc", "0", "99999999999999999999"])
def test_calendar_with_a_bad_year_is_a_chinese_404(client, archive, year):
    response = client.get(reverse("articles:calendar"), {"year": year})
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_issue_page_lists_its_pages_and_neighbours(client, archive):
    html = client.get(archive["issue"].get_absolute_url()).content.decode()
    assert "第1版" in html and "第2版" in html and "第二版报道" in html
    assert "上一期 2023年3月12日" in html


def test_page_view_shows_banners_articles_in_order_and_next_page(client, archive):
    html = client.get(archive["first"].get_absolute_url()).content.decode()
    assert "深入学习贯彻党的二十大精神" in html
    assert html.index("第一版第1篇") < html.index("第一版第2篇") < html.index("第一版第3篇")
    assert 'href="/issues/2024-03-12/2/"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/issues/2024-02-30/",
        "/issues/1999-01-01/",
        "/issues/2024-03-12/9/",
        "/articles/999/",
        "/reporters/999/",
        "/unions/999/",
    ],
)
def test_missing_things_are_a_chinese_404(client, archive, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_article_page_links_credits_unions_neighbours_related_and_citation(client, archive):
    article = archive["articles"][1]
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://testserver/articles/{article.pk}/">' in html
    assert '摄影 <a href="/reporters/' in html
    assert f'href="{archive["union"].get_absolute_url()}"' in html
    assert "第一版第1篇" in html and "第一版第3篇" in html  # previous / next
    assert "相关报道" in html and "去年今日的报道" in html
    assert "[N]. 首都工会新闻, 2024-03-12(1)." in html
    assert "复制引用" in html


def test_directories_sort_by_pinyin_and_filter_by_letter(client, archive):
    html = client.get(reverse("articles:reporters")).content.decode()
    assert html.index("崔欣") < html.index("记者1")
    filtered = client.get(reverse("articles:reporters"), {"letter": "C"}).content.decode()
    assert "崔欣" in filtered and "记者1" not in filtered
    unions = client.get(reverse("articles:unions")).content.decode()
    assert unions.index("北京市总工会") < unions.index("朝阳区总工会")


def test_reporter_page_has_roles_timeline_and_articles(client, archive):
    person = archive["articles"][0].credits.get(role="photographer").person
    html = client.get(person.get_absolute_url()).content.decode()
    assert "摄影 3 篇" in html
    assert "<svg" in html and "2024年3月：3 篇" in html
    assert "第一版第3篇" in html


def test_union_page_has_hierarchy_aliases_timeline_and_articles(client, archive):
    html = client.get(archive["union"].get_absolute_url()).content.decode()
    assert "下级工会" in html and "朝阳区总工会" in html
    assert "又称" in html and "市总" in html
    assert "<svg" in html and "去年今日的报道" in html
    child = client.get(archive["child"].get_absolute_url()).content.decode()
    assert "上级工会" in child


def test_stats_page_draws_charts(client, archive):
    html = client.get(reverse("articles:stats")).content.decode()
    assert "文章数，每月篇数" in html and html.count("<svg") >= 3
    assert "<title>2024年3月：4 篇</title>" in html and "<td>2024年3月</td><td>4</td>" in html
    assert "共 2 期、5 篇文章" in html


def test_reader_pages_use_a_fixed_number_of_queries(client, archive, django_assert_max_num_queries):
    """Adding articles must not add queries (no N+1 in lists)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = [
        reverse("articles:home"),
        archive["issue"].get_absolute_url(),
        archive["first"].get_absolute_url(),
        archive["articles"][0].get_absolute_url(),
        archive["union"].get_absolute_url(),
        archive["articles"][0].credits.first().person.get_absolute_url(),
        reverse("articles:reporters"),
        reverse("articles:unions"),
        reverse("articles:stats"),
        reverse("articles:feed_latest"),
    ]
    before = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        before[url] = len(queries)
    for seq in range(4, 10):
        article = make_article(archive["first"], seq=seq, headline=f"第一版第{seq}篇")
        make_credit(article, f"新记者{seq}")
        make_credit(article, "崔欣", "photographer")
        article.organizations.add(archive["union"])
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries) == before[url], url


def test_feeds_are_atom(client, archive):
    for url in [
        reverse("articles:feed_latest"),
        reverse("articles:feed_union", args=[archive["union"].pk]),
        reverse("articles:feed_reporter", args=[archive["articles"][0].credits.first().person.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        assert "第一版第1篇" in response.content.decode()


def test_search_feed_and_export(client, archive):
    from django.utils import timezone

    from articles.search.indexing import apply_pending_updates

    apply_pending_updates()
    feed = client.get(reverse("articles:feed_search"), {"q": "第一版"})
    assert feed.status_code == 200 and "第一版第2篇" in feed.content.decode()
    assert client.get(reverse("articles:feed_search"), {"q": '"'}).status_code == 404

    csv_response = client.get(reverse("articles:search_export", args=["csv"]), {"q": "第一版"})
    text = b"".join(csv_response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff编号,日期,版次,类型,引题,标题,副题,署名,涉及工会,链接,正文")
    assert "记者1（记者）；崔欣（摄影）" in text and ",新闻," in text
    assert csv_response["Content-Disposition"] == (
        "attachment; filename*=utf-8''"
        f"%E9%A6%96%E9%83%BD%E5%B7%A5%E4%BC%9A%E6%96%B0%E9%97%BB%E6%A1%A3%E6%A1%88-%E6%90%9C%E7%B4%A2-%E7%AC%AC%E4%B8%80%E7%89%88-{timezone.localdate():%Y-%m-%d}.csv"
    )
    assert text.count("第一版第") == 3
    response = client.get(reverse("articles:search_export", args=["json"]), {"org": "市总"})
    data = json.loads(b"".join(response.streaming_content))
    assert (data["total"], data["exported"], data["limit"]) == (4, 4, 100_000)
    assert data["articles"][0]["url"].startswith("http://testserver/articles/")


def test_sitemap_lists_articles_issues_and_pages(client, archive):
    xml = client.get(reverse("articles:sitemap")).content.decode()
    assert archive["articles"][0].get_absolute_url() in xml
    assert "/issues/2024-03-12/1/" in xml and "/reporters/" in xml


def test_calendar_opens_on_the_latest_issue_month_and_moves_by_month_and_year(client, archive):
    html = client.get(reverse("articles:calendar")).content.decode()
    assert "往期回顾 · 2024年3月" in html
    assert 'aria-label="2024年3月12日"' in html
    assert 'href="?year=2024&amp;month=2"' in html and 'href="?year=2024&amp;month=4"' in html
    assert 'href="?year=2023&amp;month=3"' in html and "下一年" in html
    assert "1月（无）" in html and "12月（无）" in html  # every month shown


def test_calendar_month_without_issues_says_so(client, archive):
    html = client.get(reverse("articles:calendar"), {"year": 2024, "month": 5}).content.decode()
    assert "2024年5月没有收录的报纸" in html


@pytest.mark.parametrize("month", ["13", "-1", "x"])
def test_calendar_with_a_bad_month_is_a_404(client, archive, month):
    response = client.get(reverse("articles:calendar"), {"year": 2024, "month": month})
    assert response.status_code == 404


def test_issue_and_page_views_have_a_page_strip_and_date_navigation_on_top(client, archive):
    archive["first"].name = "要闻"
    archive["first"].save()
    for url in (archive["issue"].get_absolute_url(), archive["first"].get_absolute_url()):
        html = client.get(url).content.decode()
        strip = html[html.index('aria-label="版面导航"') :]
        assert "第1版 · 要闻" in strip and 'href="/issues/2024-03-12/2/"' in strip
        assert html.index('aria-label="日期导航"') < html.index("<h1>")
        assert "← 上一期 2023年3月12日" in html
    page_html = client.get(archive["first"].get_absolute_url()).content.decode()
    assert '<strong aria-current="page">第1版 · 要闻</strong>' in page_html


def test_a_page_shows_the_section_its_banner_prints_where_staff_named_it_nothing(client, archive):
    second = archive["issue"].pages.get(number=2)
    second.section = "工会"
    second.save()
    html = client.get(second.get_absolute_url()).content.decode()
    strip = html[html.index('aria-label="版面导航"') :]
    assert '<strong aria-current="page">第2版 · 工会</strong>' in strip
    assert "第2版 · 工会</h1>" in html
    second.name = "职工之家"
    second.save()
    assert "第2版 · 职工之家</h1>" in client.get(second.get_absolute_url()).content.decode()


def test_the_demo_previews_the_archive_own_error_pages(client, settings):
    # settings.DEBUG is off in tests, so the preview URLs are compared at import under DEBUG.
    import importlib

    import newsarchive.urls

    settings.DEBUG = True
    try:
        importlib.reload(newsarchive.urls)
        from django.urls import clear_url_caches

        clear_url_caches()
        not_found = client.get("/demo/404/")
        server_error = client.get("/demo/500/")
    finally:
        settings.DEBUG = False
        importlib.reload(newsarchive.urls)
        clear_url_caches()
    assert not_found.status_code == 404 and "页面不存在" in not_found.content.decode()
    assert server_error.status_code == 500
