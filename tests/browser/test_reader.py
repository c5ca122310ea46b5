"""A reader's path through the demo archive, in a real browser, with screenshots to look at."""

import re

from playwright.sync_api import Page, expect


def test_search_a_union_open_an_article_and_follow_its_reporter(page: Page, live_server_url, shot):
    page.goto(live_server_url + "/")
    expect(page).to_have_title(re.compile("首都工会新闻档案"))
    expect(page.get_by_role("heading", name=re.compile("最新一期"))).to_be_visible()
    shot("01-home")

    page.get_by_role("combobox", name="搜索全文").fill("经开区总工会")
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"共找到 \d+ 篇文章"))).to_be_visible()
    expect(page.locator("mark").first).to_have_text(re.compile("经开区|总工会|经开区总工会"))
    shot("02-search-union")

    page.get_by_role("link", name="经开区总工会开展先进职工疗休养活动").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("经开区总工会开展先进职工疗休养活动")
    expect(page.get_by_text("[N]. 首都工会新闻, 2024-03-12(2).")).to_be_visible()
    page.get_by_role("button", name="复制引用").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("已复制|已选中"))
    shot("03-article")

    page.get_by_role("link", name="孙艳").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("孙艳")
    expect(page.locator("figure.chart svg:visible")).to_be_visible()
    shot("04-reporter")


def test_search_by_reporter_with_the_prefix_syntax_and_facets(page: Page, live_server_url, shot):
    page.goto(live_server_url + "/search/?q=" + "记者:崔欣")
    expect(page.get_by_text("共找到 1 篇文章", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="工余时间“动”起来")).to_be_visible()
    facets = page.get_by_role("complementary", name="按类别筛选")
    expect(facets.get_by_role("link", name="图片新闻")).to_be_visible()
    shot("05-search-reporter")

    page.goto(live_server_url + '/search/?q="工会')
    expect(page.get_by_role("alert")).to_contain_text("引号没有配对")
    shot("06-search-error")


def test_calendar_to_issue_to_page(page: Page, live_server_url, shot):
    page.goto(live_server_url + "/")
    page.get_by_role("link", name="往期回顾").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("往期回顾 · 2024年")
    shot("07-calendar")

    page.get_by_role("link", name="2024年3月12日").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2024年3月12日")
    page.get_by_role("link", name="第2版").first.click()
    expect(page.get_by_text("深入学习贯彻党的二十大精神")).to_be_visible()
    expect(page.locator("ol.articles > li")).to_have_count(7)
    shot("08-page")


def test_directories_stats_and_a_phone_screen(page: Page, live_server_url, shot):
    page.goto(live_server_url + "/unions/")
    expect(page.get_by_role("link", name="北京市总工会")).to_be_visible()
    shot("09-unions")
    page.goto(live_server_url + "/stats/")
    expect(page.locator("figure.chart svg:visible")).to_be_visible()
    shot("10-stats")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server_url + "/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, "the home page must not scroll sideways on a phone"
    shot("11-home-phone")


def test_keyboard_reaches_the_search_box_and_the_skip_link(page: Page, live_server_url):
    page.goto(live_server_url + "/articles/1/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳到正文")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()
