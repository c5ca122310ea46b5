"""The printed page in a real browser: the page image with a link over each article (热区),
zoom, thumbnails in the page strip, the article's clipping; desktop and phone screenshots;
axe-core with the WCAG 2.2 AA rules."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import demo_server
from tests.conftest import DATA
from tests.printed_pages import page_html, print_pdf

PHONE = {"width": 390, "height": 844}
TITLES = [
    "朝阳区深化“产改”促进发展新质生产力",
    "北京公交集团公司工会第四届会员代表大会召开",
    "北辰集团工会干部研修班开班",
    "建工城乡集团中昊公司工会开启“亲子阅读之旅”",
    "工余时间“动”起来",
    "经开区总工会开展先进职工疗休养活动",
    "邮政职工学礼仪",
]

# The image's width once it has loaded and decoded (decode() waits for the load, and fails
# for an image that does not load): a first render can still be on its way when it shows.
LOADED_WIDTH = "img => img.decode().then(() => img.naturalWidth)"


@pytest.fixture(scope="module")
def scanned_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo with page 2 as its .txt beside its printed PDF, and page 3 as a PDF alone."""
    pages = tmp_path_factory.mktemp("pages")
    expected = json.loads((DATA / "seed_page.expected.json").read_text(encoding="utf-8"))
    text = (DATA / "seed_page.txt").read_text(encoding="utf-8")
    shutil.copy(DATA / "seed_page.txt", pages / "2024-03-12_02.txt")
    print_pdf(page_html(text, expected), pages / "2024-03-12_02.pdf")
    print_pdf(page_html(text, expected, columns=3), pages / "2024-03-12_03.pdf")
    with demo_server(tmp_path_factory.mktemp("var"), pages) as url:
        yield url


def test_page_view_shows_the_image_with_a_link_over_each_article(
    page: Page, scanned_url, shot, axe
):
    page.goto(scanned_url + "/issues/2024-03-12/2/")
    figure = page.get_by_role("figure", name="第2版版面图")
    expect(figure).to_be_visible()
    regions = figure.locator("a.region")
    expect(regions).to_have_count(len(TITLES))
    for title in TITLES:
        expect(figure.get_by_role("link", name=title, exact=True)).to_have_count(1)
    assert page.evaluate("document.querySelector('.page-image image').getBBox().width") > 0
    axe("page with image")
    shot("60-page-image")

    region = figure.get_by_role("link", name="邮政职工学礼仪", exact=True)
    region.focus()
    expect(region).to_be_focused()
    region.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("邮政职工学礼仪")


def test_the_page_image_zooms(page: Page, scanned_url):
    page.goto(scanned_url + "/issues/2024-03-12/2/")
    frame = page.locator("#page-image-frame")
    width = frame.locator("svg").bounding_box()["width"]
    page.get_by_role("button", name="放大").click()
    expect(frame).to_have_class("page-image-frame zoom-2")
    assert frame.locator("svg").bounding_box()["width"] > 1.9 * width
    page.get_by_role("button", name="缩小").click()
    expect(frame).to_have_class("page-image-frame")


def test_the_page_strip_shows_thumbnails(page: Page, scanned_url, shot):
    page.goto(scanned_url + "/issues/2024-03-12/")
    thumbs = page.get_by_role("navigation", name="版面导航").locator("img.thumb")
    expect(thumbs).to_have_count(2)
    for index in range(2):
        assert thumbs.nth(index).evaluate(LOADED_WIDTH) > 0
    shot("61-issue-thumbnails")
    page.get_by_role("navigation", name="版面导航").get_by_role("link", name="第3版").click()
    expect(page.get_by_role("figure", name="第3版版面图").locator("a.region")).to_have_count(7)


def test_the_article_shows_its_clipping_and_links_to_the_page(page: Page, scanned_url, shot, axe):
    page.goto(scanned_url + "/issues/2024-03-12/2/")
    page.get_by_role("list").get_by_role("link", name="北辰集团工会干部研修班开班").click()
    clipping = page.get_by_role("img", name="剪报：本文在第2版版面上的原样")
    expect(clipping).to_be_visible()
    assert clipping.evaluate(LOADED_WIDTH) > 0
    axe("article with clipping")
    shot("62-article-clipping")
    page.get_by_role("link", name="在第2版版面上查看").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("第2版")


def test_the_page_image_on_a_phone(page: Page, scanned_url, shot, axe):
    page.set_viewport_size(PHONE)
    page.goto(scanned_url + "/issues/2024-03-12/2/")
    expect(page.get_by_role("figure", name="第2版版面图")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe("page with image on a phone")
    shot("63-page-image-phone")
    page.goto(scanned_url + "/articles/3/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot("64-article-clipping-phone")


def test_the_upload_preview_shows_the_pdfs_page_image_beside_its_parse(
    page: Page, scanned_url, shot, axe, tmp_path
):
    expected = json.loads((DATA / "seed_page.expected.json").read_text(encoding="utf-8"))
    text = (DATA / "seed_page.txt").read_text(encoding="utf-8")
    pdf = print_pdf(page_html(text, expected), tmp_path / "2024-03-19_02.pdf")
    page.goto(scanned_url + "/admin/")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill("admin")
    page.get_by_role("button", name="登录").click()
    page.goto(scanned_url + "/admin/articles/issue/upload/")
    page.get_by_label("出版日期").fill("2024-03-19")
    page.get_by_label("版面文件").set_input_files(pdf)
    page.get_by_role("button", name="解析并预览").click()

    scan = page.locator("figure.upload-scan")
    expect(scan).to_be_visible()
    expect(scan.locator("g.region")).to_have_count(len(TITLES))
    assert scan.locator("image").evaluate("image => image.getBBox().width") > 0
    # Beside the parse on a desktop: the table starts level with the image, to its left.
    table = page.locator("section.upload-page table").first
    assert table.bounding_box()["x"] < scan.bounding_box()["x"]
    axe("upload preview with page image")
    shot("65-upload-preview-page-image")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot("66-upload-preview-page-image-phone")
    page.get_by_role("button", name="取消并丢弃").click()
