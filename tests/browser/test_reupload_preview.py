"""An editor re-uploads an issue with one article moved to another page and one gone: the
preview names both, with links, before anything is stored (issue 22)."""

from playwright.sync_api import Page, expect

from tests.browser.test_layout_corrections import log_in
from tests.conftest import REPO
from tests.test_identity import GONE, split_out

LAST = "邮政职工学礼仪"


def test_the_reupload_preview_names_the_moved_and_the_retired_article(
    page: Page, live_server_url, shot, tmp_path
):
    text = (REPO / "sample" / "2024-03-12_02.txt").read_text(encoding="utf-8")
    rest, moving = split_out(text, GONE, "工余时间")
    kept = rest[: rest.index(LAST)]  # the last article, a photo item, is dropped
    (tmp_path / "02.txt").write_text(kept, encoding="utf-8")
    (tmp_path / "03.txt").write_text(moving, encoding="utf-8")

    log_in(page, live_server_url)
    page.goto(live_server_url + "/admin/articles/issue/")
    page.get_by_role("link", name="上传新一期").click()
    page.get_by_label("出版日期").fill("2024-03-12")
    page.get_by_label("版面文件").set_input_files([tmp_path / "02.txt", tmp_path / "03.txt"])
    page.get_by_role("button", name="解析并预览").click()

    moves = page.locator("ul.moves")
    expect(moves.get_by_text("将移至第3版（编号、更正和修订记录随之）")).to_be_visible()
    expect(moves.get_by_text("从第2版移来（编号、更正和修订记录随之）")).to_be_visible()
    retired = moves.locator("li", has_text="将撤下")
    expect(retired.get_by_role("link", name=f"《{LAST}》")).to_be_visible()
    moves.first.scroll_into_view_if_needed()
    shot("44-admin-reupload-preview-moved-and-retired")
