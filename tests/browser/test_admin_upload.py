"""Newsroom staff upload an issue through the admin, and readers find it in search."""

import re
import shutil

from playwright.sync_api import Page, expect

from tests.conftest import REPO


def test_staff_upload_preview_confirm_then_search_finds_it(
    page: Page, live_server_url, shot, tmp_path
):
    page.goto(live_server_url + "/admin/")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill("admin")
    page.get_by_role("button", name="登录").click()

    page.goto(live_server_url + "/admin/articles/issue/")
    page.get_by_role("link", name="上传新一期").click()
    page_file = tmp_path / "03.txt"
    shutil.copy(REPO / "sample" / "2024-03-12_02.txt", page_file)
    page.get_by_label("出版日期").fill("2024-03-19")
    page.get_by_label("期号").fill("88")
    page.get_by_label("版面文件").set_input_files(page_file)
    page.get_by_role("button", name="解析并预览").click()

    expect(page.get_by_text("新版面：将新增 7 篇文章")).to_be_visible()
    expect(page.get_by_text("尚未入库")).to_be_visible()
    shot("20-admin-upload-preview")

    page.get_by_role("button", name="确认入库").click()
    expect(page.get_by_text(re.compile("已入库：1 个版面、7 篇文章"))).to_be_visible()
    shot("21-admin-upload-done")

    page.goto(live_server_url + "/search/?q=亲子阅读&sort=newest")
    expect(page.get_by_text("共找到 2 篇文章", exact=False)).to_be_visible()
    first = page.locator("ol.hits > li").first
    expect(first).to_contain_text("2024年3月19日 第3版")
    first.get_by_role("link", name=re.compile("亲子阅读")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("亲子阅读之旅")
    shot("22-uploaded-article")
