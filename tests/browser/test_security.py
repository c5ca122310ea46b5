"""The Content-Security-Policy blocks nothing the pages need: no violation in a real browser."""

import shutil

from playwright.sync_api import Page, expect

from tests.conftest import REPO

READER_PAGES = [
    "/",
    "/issues/",
    "/issues/2024-03-12/2/",
    "/search/?q=工会",
    "/reporters/",
    "/unions/",
    "/stats/",
]


def violations(page: Page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_reader_and_admin_pages_run_under_the_policy(page: Page, live_server_url, tmp_path):
    found = violations(page)
    for path in READER_PAGES:
        page.goto(live_server_url + path)
    page.goto(live_server_url + "/search/?q=工会")
    page.locator("ol.hits a").first.click()
    # The citation's copy button is shown by copy.js: the script ran.
    expect(page.get_by_role("button", name="复制引用")).to_be_visible()

    page.goto(live_server_url + "/admin/")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill("admin")
    page.get_by_role("button", name="登录").click()
    for path in ("/admin/", "/admin/articles/issue/", "/admin/articles/article/1/change/"):
        page.goto(live_server_url + path)
    page.goto(live_server_url + "/admin/articles/issue/upload/")
    page_file = tmp_path / "05.txt"
    shutil.copy(REPO / "sample" / "2024-03-12_02.txt", page_file)
    page.get_by_label("出版日期").fill("2024-03-26")
    page.get_by_label("版面文件").set_input_files(page_file)
    page.get_by_role("button", name="解析并预览").click()
    expect(page.get_by_text("新版面：将新增 7 篇文章")).to_be_visible()
    # admin.css, linked instead of an inline style, reached the page.
    expect(page.locator(".upload-page").first).to_have_css("border-top-style", "solid")
    assert found == []
