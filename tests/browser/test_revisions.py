"""An editor corrects an article; the admin shows its revision history, readers the notice."""

import re

from playwright.sync_api import Page, expect

from tests.browser.test_layout_corrections import log_in, open_layout


def test_an_edit_shows_in_the_revision_history_and_to_readers(page: Page, live_server_url, shot):
    log_in(page, live_server_url)

    page.goto(live_server_url + "/admin/articles/article/?q=北辰集团")
    page.get_by_role("link", name="北辰集团工会干部研修班开班").first.click()
    page.locator("#id_headline").fill("北辰集团工会干部研修班举行开班仪式")
    page.locator("#id_correction").fill("标题按原版面更正。")
    page.get_by_role("button", name="保存并继续编辑").click()

    history = page.locator("#revision-history")
    expect(history).to_contain_text("修订记录（1 次）")
    expect(history).to_contain_text("北辰集团工会干部研修班开班")
    expect(history).to_contain_text("北辰集团工会干部研修班举行开班仪式")
    expect(history).to_contain_text("admin")
    history.scroll_into_view_if_needed()
    shot("30-admin-article-revision-history")

    page.get_by_role("link", name=re.compile("在站点上查看|View on site")).click()
    expect(page.locator(".corrected")).to_contain_text(re.compile(r"本文已更正（\d{4}年"))
    shot("31-article-corrected-notice")


def test_an_editor_splits_an_article_on_the_layout_page(page: Page, live_server_url, shot):
    open_layout(page, live_server_url)
    expect(page.get_by_text("朝阳区深化“产改”促进发展新质生产力")).to_be_visible()
    row = page.locator("table.layout-blocks tr", has_text="会上还通报了2023年")
    row.get_by_role("button", name="从此拆为新文章").click()

    expect(page.get_by_text("已保存的校正（1 项）")).to_be_visible()
    expect(page.locator("tr.layout-headline", has_text="会上还通报了2023年")).to_be_visible()
    shot("32-admin-page-layout-correction")
