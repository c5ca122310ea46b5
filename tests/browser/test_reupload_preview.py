"""An editor re-uploads an issue with one article moved to another page, one gone and one
changed: the preview names each, with the word diff of the changed one and the corrections
that will be laid over each, before anything is stored; the moved article keeps its admin
edit and its history (issue 22)."""

import re

from playwright.sync_api import Page, expect

from tests.browser.test_layout_corrections import log_in, row, set_role
from tests.conftest import REPO
from tests.test_identity import GONE, split_out

LAST = "邮政职工学礼仪"
CHANGED = "北辰集团工会干部研修班开班"
PHONE = {"width": 390, "height": 844}
KICKER, TITLE = "建工城乡集团中昊公司工会", "开启“亲子阅读之旅”"
EDITED = "中昊公司工会举办亲子阅读活动"


def edit_headline(page: Page, live_server_url: str, headline: str, new: str) -> None:
    page.goto(live_server_url + "/admin/articles/article/?q=" + headline[:6])
    page.get_by_role("link", name=headline).first.click()
    page.locator("#id_headline").fill(new)
    page.get_by_role("button", name="保存并继续编辑").click()
    expect(page.locator("#revision-history")).to_contain_text("修订记录（1 次）")


def upload(page: Page, live_server_url: str, tmp_path) -> None:
    """Page 2 without the moving article and the last one, one headline changed; page 3 with
    the moving article, its title printed on two lines."""
    text = (REPO / "sample" / "2024-03-12_02.txt").read_text(encoding="utf-8")
    rest, moving = split_out(text, GONE, "工余时间")
    kept = rest[: rest.index(LAST)].replace(CHANGED, "北辰集团工会干部研修班隆重开班")
    moving = moving.replace(f"{KICKER}{TITLE}", f"{KICKER}\n\n{TITLE}", 1)
    (tmp_path / "02.txt").write_text(kept, encoding="utf-8")
    (tmp_path / "03.txt").write_text(moving, encoding="utf-8")
    page.goto(live_server_url + "/admin/articles/issue/")
    page.get_by_role("link", name="上传新一期").click()
    page.get_by_label("出版日期").fill("2024-03-12")
    page.get_by_label("版面文件").set_input_files([tmp_path / "02.txt", tmp_path / "03.txt"])
    page.get_by_role("button", name="解析并预览").click()


def shots(page: Page, shot, name: str) -> None:
    """Full-page screenshots, desktop and phone, from the top (the admin's side bar sticks
    where a scrolled page left it)."""
    for size, suffix in (({"width": 1280, "height": 720}, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")
        shot(f"{name}-{suffix}")
    page.set_viewport_size({"width": 1280, "height": 720})


def test_the_reupload_preview_says_what_happens_to_each_article_and_the_edit_survives(
    page: Page, live_server_url, shot, tmp_path
):
    log_in(page, live_server_url)
    edit_headline(page, live_server_url, f"{KICKER}{TITLE}", EDITED)
    upload(page, live_server_url, tmp_path)

    moves = page.locator("ul.moves")
    expect(moves.get_by_text("将移至第3版（编号、更正和修订记录随之）")).to_be_visible()
    expect(moves.get_by_text("从第2版移来（编号、更正和修订记录随之）")).to_be_visible()
    expect(page.get_by_text("新版面：将存入 1 篇文章，其中 1 篇从其他版移来")).to_be_visible()
    retired = moves.locator("li", has_text="将撤下")
    expect(retired.get_by_role("link", name=f"《{LAST}》")).to_be_visible()
    changed = page.locator(
        "tr", has_text="北辰集团工会干部研修班隆重开班", has=page.locator(".status")
    )
    expect(changed.locator(".status")).to_have_text("有改动")
    expect(changed.locator(".word-diff ins").first).to_have_text("隆重")
    moved = page.locator("section.upload-page", has_text="03.txt").locator("tbody tr").first
    expect(moved.locator(".status")).to_have_text("从第2版移来")
    expect(moved).to_contain_text("冲突：新文件改动了人工更正过的标题")
    keep = moved.get_by_label(re.compile("保留人工更正"))
    expect(keep).to_be_checked()
    shots(page, shot, "i22-preview-moved-retired-changed")

    # A 副题 correction on the moved article's page: the line above it becomes the 主题.
    section = page.locator("section.upload-page", has_text="03.txt")
    section.locator("details summary").click()
    set_role(page, TITLE, "副题")
    section = page.locator("section.upload-page", has_text="03.txt")
    expect(section.locator("summary")).to_contain_text("设为副题：“开启“亲子阅读之旅””")
    expect(row(page, TITLE).locator("td").first).to_have_text("副题")
    expect(row(page, KICKER).locator("td").first).to_have_text("主题")
    moved = section.locator("tbody tr").first
    expect(moved).to_contain_text("版面校正·设为副题：“开启“亲子阅读之旅””")
    shots(page, shot, "i22-subheadline-correction-applied")

    page.get_by_role("button", name="确认入库").click()
    expect(page.locator(".messagelist")).to_contain_text("已入库")
    page.goto(live_server_url + "/admin/articles/article/?q=" + EDITED[:6])
    page.get_by_role("link", name=EDITED).first.click()
    history = page.locator("#revision-history")
    expect(history).to_contain_text("修订记录（1 次）")
    expect(history).to_contain_text(EDITED)
    expect(page.locator(".field-page")).to_contain_text("第3版")
    shots(page, shot, "i22-admin-edit-survived-the-move")
    page.get_by_role("link", name=re.compile("在站点上查看|View on site")).click()
    expect(page.locator("h1")).to_contain_text(EDITED)
    expect(page.locator(".corrected")).to_contain_text("本文已更正")
    shots(page, shot, "i22-reader-sees-the-moved-article-with-its-edit")
