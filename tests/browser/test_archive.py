"""A reader on a 30-year archive (corpus pages with shifted dates): navigation by issue, page and
calendar, charts at 1 to 360 months, the phone search page, suggestions, marked articles; axe-core
with the WCAG 2.2 AA rules on every page shape."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.archive import multi_year_pages
from tests.browser.conftest import demo_server
from tests.conftest import CORPUS_SCRIPT

PHONE = {"width": 390, "height": 844}


def test_calendar_opens_on_the_latest_month_and_moves_by_month_and_year(
    page: Page, archive_url, shot, axe
):
    page.goto(archive_url + "/issues/")
    expect(page.get_by_role("heading", level=1)).to_have_text("往期回顾 · 2024年12月")
    expect(page.get_by_role("link", name="2024年12月14日")).to_be_visible()
    axe("calendar")
    shot("30-calendar-latest")

    page.get_by_role("link", name="« 上一年").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("往期回顾 · 2023年12月")
    expect(page.get_by_text("2023年12月没有收录的报纸。")).to_be_visible()
    page.get_by_role("navigation", name="年份").get_by_role("link", name="1995").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("往期回顾 · 1995年1月")
    page.get_by_role("link", name="下一月 ›").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("往期回顾 · 1995年2月")
    page.get_by_role("link", name="‹ 上一月").click()
    page.get_by_role("link", name="1995年1月1日").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("1995年1月1日")


def test_issue_and_page_views_have_a_page_strip_and_dates_on_top(
    page: Page, archive_url, shot, axe
):
    page.goto(archive_url + "/issues/2023-08-11/")
    strip = page.get_by_role("navigation", name="版面导航")
    expect(strip.get_by_role("link")).to_have_count(3)
    dates = page.get_by_role("navigation", name="日期导航")
    expect(dates.get_by_role("link", name="← 上一期 2022年5月8日")).to_be_visible()
    assert dates.bounding_box()["y"] < page.get_by_role("heading", level=1).bounding_box()["y"]
    axe("issue")
    shot("31-issue")

    strip.get_by_role("link", name=re.compile("^第2版")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2023年8月11日 第2版")
    current = page.get_by_role("navigation", name="版面导航").locator("[aria-current=page]")
    expect(current).to_have_text(re.compile("^第2版"))
    axe("page")
    shot("32-page")

    page.get_by_role("navigation", name="日期导航").get_by_role(
        "link", name=re.compile("下一期")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2024年12月14日")

    page.set_viewport_size(PHONE)
    page.goto(archive_url + "/issues/2023-08-11/2/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe("page on a phone")
    shot("33-page-phone")


SPANS = [(1, 3, 2), (12, 6, 2), (120, 8, 2), (360, 24, 3)]


@pytest.mark.parametrize(("months", "issues", "pages_per_issue"), SPANS)
def test_the_timeline_reads_well_from_one_month_to_thirty_years(
    page: Page, months, issues, pages_per_issue, tmp_path, shot, axe, request
):
    if not CORPUS_SCRIPT.exists():
        pytest.skip(f"corpus not found at {CORPUS_SCRIPT.parent}")
    if months == 360:
        url = request.getfixturevalue("archive_url")
        _check_stats(page, url, months, shot, axe)
        return
    pages = multi_year_pages(tmp_path / "pages", months, issues, pages_per_issue)
    with demo_server(tmp_path / "var", pages) as url:
        _check_stats(page, url, months, shot, axe)


def _check_stats(page: Page, url: str, months: int, shot, axe) -> None:
    for name, size in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.goto(url + "/stats/")
        chart = page.locator("figure.chart svg:visible").first
        expect(chart).to_be_visible()
        # Every label inside the drawing, every column with its own <title>.
        outside = chart.evaluate(
            """svg => {
              const box = svg.viewBox.baseVal;
              return [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBBox()])
                .filter(([, b]) => b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5)
                .map(([text]) => text);
            }"""
        )
        assert outside == []
        titles = chart.locator("rect > title").all_text_contents()
        assert titles and all(re.fullmatch(r"\d{4}年(\d{1,2}月)?：\d+ 篇", t) for t in titles)
        y_labels = chart.locator("text.y-label").all_text_contents()
        assert y_labels[0] == "0" and len(y_labels) >= 2
        scale = chart.evaluate(
            "svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width"
        )
        assert 12 * scale >= 10, "axis labels must stay readable (at least 10 px)"
        if months >= 120:
            assert all(re.fullmatch(r"\d{4}年：\d+ 篇", t) for t in titles)  # by year
        axe(f"stats at {months} months ({name})")
        shot(f"34-stats-{months:03d}-months-{name}")


def test_phone_search_puts_filters_first_behind_a_toggle(page: Page, archive_url, shot, axe):
    page.set_viewport_size(PHONE)
    page.goto(archive_url + "/")
    button = page.get_by_role("button", name="搜索")
    assert button.bounding_box()["height"] < 40, "搜索 must stay on one line"
    page.get_by_role("combobox", name="搜索全文").fill("工会")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=%E5%B7%A5%E4%BC%9A$"))
    toggle = page.locator("details.facets-toggle > summary")
    expect(toggle).to_have_text(re.compile("^筛选"))
    facets = page.get_by_role("complementary", name="按类别筛选")
    expect(facets).to_be_hidden()
    first_hit = page.locator("ol.hits > li").first
    assert toggle.bounding_box()["y"] < first_hit.bounding_box()["y"]
    axe("search on a phone")
    shot("35-search-phone")
    toggle.click()
    expect(facets).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe("search on a phone, filters open")
    shot("36-search-phone-filters")

    page.get_by_role("button", name="搜索").click()  # the form's own button: no empty fields
    assert "org=" not in page.url and "reporter=" not in page.url


def test_suggestions_as_you_type_and_after_a_partial_name(page: Page, archive_url, shot, axe):
    data = page.request.get(archive_url + "/api/suggest?q=%E5%B7%A5%E4%BC%9A&kind=union").json()
    union = data["suggestions"][0]["name"]
    partial = union[: max(2, len(union) // 2)]

    page.goto(archive_url + "/search/")
    box = page.get_by_role("combobox", name="关键词")  # a searchbox with a <datalist>
    box.press_sequentially(f"工会:{partial}")
    options = page.locator("datalist option")
    expect(options.first).to_be_attached()
    assert f"工会:{union}" in options.evaluate_all("os => os.map(o => o.value)")

    box.press("Enter")
    if union != partial:
        hint = page.locator(".hints")
        expect(hint).to_contain_text(f"没有名为“{partial}”的记者或工会")
        axe("search with a hint")
        shot("37-search-hint")
        hint.get_by_role("link", name=re.compile(re.escape(union))).first.click()
        expect(page.get_by_text(re.compile(r"共找到 [1-9]\d* 篇文章"))).to_be_visible()


def test_an_article_from_a_search_marks_the_words_and_leads_back(
    page: Page, archive_url, shot, axe
):
    page.goto(archive_url + "/search/?q=%E8%81%8C%E5%B7%A5")  # 职工
    page.locator("ol.hits h2 a").first.click()
    marks = page.locator("article.article mark")
    expect(marks.first).to_have_text("职工")
    axe("article from a search")
    shot("38-article-marked")
    page.get_by_role("link", name=re.compile("返回搜索结果")).click()
    expect(page).to_have_url(re.compile(r"/search/\?q=%E8%81%8C%E5%B7%A5$"))


PAGE_SHAPES = [
    "/",
    "/issues/",
    "/issues/2024-12-14/",
    "/issues/2024-12-14/1/",
    "/reporters/",
    "/unions/",
    "/stats/",
    "/search/",
    "/search/?q=%E5%B7%A5%E4%BC%9A&sort=newest",
    "/search/?q=%22%E5%B7%A5%E4%BC%9A",
    "/demo/404/",
    "/demo/500/",
]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_page_shape_passes_axe_with_wcag_2_2_aa(page: Page, archive_url, axe, viewport):
    if viewport == "phone":
        page.set_viewport_size(PHONE)
    for path in PAGE_SHAPES:
        page.goto(archive_url + path)
        axe(f"{path} ({viewport})")
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
        button = page.locator(".header-search button")
        if button.count():  # 搜索 on one line, never 搜/索
            assert button.bounding_box()["height"] < 40, path
    for listing, item in (("/reporters/", "reporter"), ("/unions/", "union")):
        page.goto(archive_url + listing)
        page.locator("ul.directory a").first.click()
        axe(f"a {item} page ({viewport})")
    page.goto(archive_url + "/search/?q=%E5%B7%A5%E4%BC%9A")
    page.locator("ol.hits h2 a").first.click()
    axe(f"an article ({viewport})")


def test_directory_letters_are_at_least_24_px_targets(page: Page, archive_url, shot):
    page.set_viewport_size(PHONE)
    page.goto(archive_url + "/reporters/")
    sizes = page.locator("nav.letters a").evaluate_all(
        "links => links.map(a => [a.offsetWidth, a.offsetHeight])"
    )
    assert sizes and all(w >= 24 and h >= 24 for w, h in sizes), sizes
    shot("39-reporters-phone")
