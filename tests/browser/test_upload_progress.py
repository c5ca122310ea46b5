"""A large multi-page upload: the form answers at once, the preview shows the background
parse's progress and reloads itself (no JavaScript needed), then shows the pages."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import demo_server
from tests.browser.test_layout_corrections import log_in
from tests.conftest import REPO

PAGES = 4
REPEATS = 60  # the sample page's text 60 times: about 600 KB, 420 articles a page


@pytest.fixture(scope="module")
def background_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo, with the upload's parse in a background thread as in production."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("UPLOAD_PARSE_IN_BACKGROUND", "true")
        with demo_server(tmp_path_factory.mktemp("var")) as url:
            yield url


def test_a_large_upload_shows_the_parse_progress_then_the_preview(
    page: Page, background_server, shot, tmp_path
):
    text = (REPO / "sample" / "2024-03-12_02.txt").read_text(encoding="utf-8")
    files = []
    for number in range(1, PAGES + 1):
        path = tmp_path / f"{number:02d}.txt"
        path.write_text("\n\n".join([text] * REPEATS), encoding="utf-8")
        files.append(path)

    log_in(page, background_server)
    page.goto(background_server + "/admin/articles/issue/upload/")
    page.get_by_label("出版日期").fill("2024-03-26")
    page.get_by_label("版面文件").set_input_files(files)
    page.get_by_role("button", name="解析并预览").click()

    progress = page.get_by_role("status").filter(has_text="正在后台解析版面")
    expect(progress).to_contain_text(f"/ {PAGES}")
    expect(page.get_by_role("button", name="确认入库")).to_have_count(0)
    expect(page.get_by_role("button", name="停止解析并丢弃")).to_be_visible()
    shot("23-admin-upload-parsing")

    # The page reloads itself every 2 s until the job is done.
    expect(page.get_by_role("table", name=f"本次上传 {PAGES} 个版面")).to_be_visible(
        timeout=180_000
    )
    expect(page.get_by_role("button", name="确认入库")).to_be_visible()
    shot("24-admin-upload-parsed")
