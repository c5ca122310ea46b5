"""An editor corrects a page's layout line by line: every role, join, split and undo, with
each line kept in its place (issue 22)."""

import re

from playwright.sync_api import Page, expect

BANNER = "深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面"
HEADLINE = "朝阳区深化“产改”促进发展新质生产力"
SUBHEADLINE = "全方位为产业工人“建跑道”“增动能”"


def log_in(page: Page, live_server_url: str) -> None:
    page.goto(live_server_url + "/admin/")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill("admin")
    page.get_by_role("button", name="登录").click()


def open_layout(page: Page, live_server_url: str) -> None:
    """The 版面校正 page of the demo's 2024-03-12 第2版, as the demo's admin."""
    log_in(page, live_server_url)
    page.goto(live_server_url + "/admin/articles/page/")
    page.get_by_role("link", name="2024-03-12 第2版").first.click()
    page_id = re.search(r"/page/(\d+)/", page.url).group(1)
    page.goto(f"{live_server_url}/admin/articles/page/{page_id}/layout/")


def row(page: Page, text: str):
    """The row of the line that starts with `text` (the cell shows long lines cut short)."""
    start = text[:20].replace("\\", "\\\\").replace('"', '\\"')
    line = page.locator(f'input[type=hidden][value^="{start}"]')
    return page.locator("table.layout-blocks tbody tr").filter(has=line).first


def set_role(page: Page, text: str, label: str) -> None:
    row(page, text).get_by_label("新角色").select_option(label=label)
    row(page, text).get_by_role("button", name="改角色").click()


def expect_role(page: Page, text: str, label: str) -> None:
    expect(row(page, text).locator("td").first).to_have_text(label)


def lines(page: Page) -> list[str]:
    return page.locator("table.layout-blocks input[type=hidden]").evaluate_all(
        "inputs => inputs.map(i => i.value)"
    )


def test_every_role_applies_at_once_and_keeps_each_line_in_its_place(
    page: Page, live_server_url, shot
):
    open_layout(page, live_server_url)
    before = lines(page)
    caption = row(page, "日前，北京住总集团").locator("input[type=hidden]").input_value()
    photo_text = row(page, "本报讯（记者 孙艳）").locator("input[type=hidden]").input_value()
    split_at = row(page, "会上还通报了2023年").locator("input[type=hidden]").input_value()

    set_role(page, BANNER, "引题")
    expect_role(page, BANNER, "引题")
    set_role(page, SUBHEADLINE, "正文")
    expect_role(page, SUBHEADLINE, "正文")
    set_role(page, HEADLINE, "副题")  # the line above becomes the 主题, not the line below
    expect_role(page, HEADLINE, "副题")
    expect_role(page, BANNER, "主题")
    set_role(page, caption, "正文")
    expect_role(page, caption, "正文")
    set_role(page, photo_text, "图片说明")
    expect_role(page, photo_text, "图片说明")
    set_role(page, split_at, "主题")
    expect_role(page, split_at, "主题")
    assert lines(page) == before
    shot("40-admin-layout-every-role")

    set_role(page, "今后五年将深入开展文化活动进基层", "版头")
    expect_role(page, "今后五年将深入开展文化活动进基层", "版头")
    expect(page.get_by_text("已保存的校正（7 项）")).to_be_visible()
    assert len(before) == len(lines(page))


def test_a_role_the_line_cannot_take_is_refused_with_the_reason(page: Page, live_server_url, shot):
    open_layout(page, live_server_url)

    set_role(page, "北辰集团工会干部研修班开班", "副题")

    expect(page.get_by_text("无法校正：副题之上须有主题")).to_be_visible()
    expect_role(page, "北辰集团工会干部研修班开班", "主题")
    shot("41-admin-layout-refused")


def test_join_then_undo_each_correction_gives_the_parse_back(page: Page, live_server_url, shot):
    open_layout(page, live_server_url)
    second = row(page, "阅读过程中").locator("input[type=hidden]").input_value()
    page.locator("table.layout-blocks tbody tr", has_text="阅读过程中").get_by_role(
        "button", name="并入上一段"
    ).click()
    expect(page.get_by_text("并入上一段：")).to_be_visible()
    assert second not in lines(page)
    shot("42-admin-layout-listed-with-undo")

    corrections = page.locator("form ol li")
    while corrections.count():
        count = corrections.count()
        corrections.first.get_by_role("button", name="撤销").click()
        expect(corrections).to_have_count(count - 1)

    expect_role(page, HEADLINE, "主题")
    expect_role(page, SUBHEADLINE, "副题")
    assert second in lines(page)
    shot("43-admin-layout-all-undone")
