"""An editor corrects an article; the admin shows its revision history, readers the notice."""

import re

from playwright.sync_api import Page, expect


def test_an_edit_shows_in_the_revision_history_and_to_readers(page: Page, live_server_url, shot):
    page.goto(live_server_url + "/admin/")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill("admin")
    page.get_by_role("button", name="登录").click()

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
