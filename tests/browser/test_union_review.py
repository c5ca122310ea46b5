"""An editor uploads a page naming a union the archive does not know: the preview lists it as
新, readers do not see it, and it reaches the union directory once accepted in 待核工会
(issue 22)."""

from playwright.sync_api import Page, expect

from tests.browser.test_layout_corrections import log_in
from tests.test_union_review import NEW, TEXT


def test_a_new_union_waits_in_the_review_list_until_an_editor_accepts_it(
    page: Page, live_server_url, shot, tmp_path
):
    (tmp_path / "09.txt").write_text(TEXT, encoding="utf-8")
    log_in(page, live_server_url)
    page.goto(live_server_url + "/admin/articles/issue/")
    page.get_by_role("link", name="上传新一期").click()
    page.get_by_label("出版日期").fill("2024-03-12")
    page.get_by_label("版面文件").set_input_files([tmp_path / "09.txt"])
    page.get_by_role("button", name="解析并预览").click()

    new_names = page.locator("section.upload-new-unions")
    row = new_names.locator("tr", has_text=NEW)
    expect(row.get_by_text("工会（待核）")).to_be_visible()
    expect(row.get_by_text("《燕京啤酒工会开展活动》")).to_be_visible()
    new_names.scroll_into_view_if_needed()
    shot("45-admin-upload-preview-new-unions")
    page.get_by_role("button", name="确认入库").click()

    page.goto(live_server_url + "/unions/")
    expect(page.get_by_role("link", name=NEW)).to_have_count(0)

    page.goto(live_server_url + "/admin/articles/organization/")
    page.get_by_role("link", name="待核工会").click()
    row = page.locator("tr", has_text=NEW)
    shot("46-admin-union-review-list")
    row.get_by_role("button", name="接受").click()
    expect(page.get_by_text(f"已接受“{NEW}”：读者现在可以看到它。")).to_be_visible()

    page.goto(live_server_url + "/unions/")
    expect(page.get_by_role("link", name=NEW)).to_be_visible()
