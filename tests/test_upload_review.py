"""The upload preview of a large issue: screens of articles, parses and dry runs not redone."""

import re

import pytest
from django.core.cache import cache

from articles import upload_review
from articles.ingest import ingest_page_bytes
from articles.models import Article, Page, UploadFile

from .conftest import DATA
from .test_admin_upload import DAY, confirm, post_upload, txt
from .test_upload_concurrency import demote_first_headline

pytestmark = pytest.mark.django_db

SEED = (DATA / "seed_page.txt").read_bytes()
OTHER = SEED.replace("研修班".encode(), "培训班".encode())
FIRST = "朝阳区深化“产改”促进发展新质生产力"  # the seed page's first headline
LAST = "邮政职工学礼仪"  # and its seventh


@pytest.fixture
def editor(editors):
    return editors[0]


@pytest.fixture
def small_screens(monkeypatch):
    """Three articles a screen: the seed pages (seven articles each) take five screens."""
    monkeypatch.setattr(upload_review, "ARTICLES_PER_SCREEN", 3)


@pytest.fixture
def counted(monkeypatch) -> dict[str, int]:
    """How often the preview parses a page and dry-runs one (from an empty cache)."""
    cache.clear()
    calls = {"parse": 0, "dry run": 0}

    def counting(name, real):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return wrapper

    for name, attribute in (("parse", "parse_page_bytes"), ("dry run", "preview_file")):
        real = getattr(upload_review, attribute)
        monkeypatch.setattr(upload_review, attribute, counting(name, real))
    return calls


def test_a_large_upload_is_previewed_one_screen_of_articles_at_a_time(editor, small_screens):
    url = post_upload(editor, [txt("02.txt", SEED), txt("03.txt", OTHER)])["Location"]

    first = editor.get(url).content.decode()
    assert FIRST in first and LAST not in first
    assert "第 1 / 5 屏" in first and 'href="?screen=2"' in first
    last = editor.get(f"{url}?screen=3").content.decode()  # articles 7 of 02 and 1–2 of 03
    assert LAST in last and "本屏显示本版第 7–7 篇（共 7 篇）" in last
    assert "本屏显示本版第 1–2 篇（共 7 篇）" in last
    # Every screen lists every page and carries what confirm checks for each.
    assert all(len(re.findall(r'name="base_\d+"', html)) == 2 for html in (first, last))


def test_a_screen_number_out_of_range_shows_the_last_screen(editor, small_screens):
    url = post_upload(editor, [txt("02.txt", SEED)])["Location"]
    html = editor.get(f"{url}?screen=99").content.decode()
    assert "第 3 / 3 屏" in html and LAST in html


def test_confirm_from_any_screen_stores_every_page(editor, small_screens):
    url = post_upload(editor, [txt("02.txt", SEED), txt("03.txt", OTHER)])["Location"]
    confirm(editor, f"{url}?screen=2")
    assert sorted(Page.objects.values_list("number", flat=True)) == [2, 3]


def test_a_layout_correction_returns_to_its_screen(editor, small_screens):
    url = post_upload(editor, [txt("02.txt", SEED)])["Location"]
    response = demote_first_headline(editor, f"{url}?screen=1")
    assert response["Location"] == f"{url}?screen=1"
    assert len(UploadFile.objects.get().layout_corrections) == 1


def test_pages_are_parsed_once_by_the_upload_and_dry_run_once_by_the_preview(editor, counted):
    url = post_upload(editor, [txt("02.txt", SEED), txt("03.txt", OTHER)])["Location"]
    assert counted == {"parse": 2, "dry run": 0}
    editor.get(url)
    editor.get(url)
    assert counted == {"parse": 2, "dry run": 2}


def test_a_page_stored_meanwhile_is_dry_run_again(editor, counted):
    url = post_upload(editor, [txt("02.txt", SEED)])["Location"]
    assert "新版面：将新增 7 篇文章" in editor.get(url).content.decode()
    ingest_page_bytes(OTHER, issue_date=DAY, page_number=2, source="02.txt")
    assert "已有此版：原有 7 篇中" in editor.get(url).content.decode()
    assert counted["dry run"] == 2


def test_a_layout_correction_is_shown_at_once(editor):
    url = post_upload(editor, [txt("02.txt", SEED)])["Location"]
    editor.get(url)
    demote_first_headline(editor, url)
    html = editor.get(url).content.decode()
    assert "版面校正（已有 1 项：设为版头" in html
    assert re.search(f"<p>版头：[^<]*{FIRST}", html)  # the new parse, not the cached one


def test_the_preview_names_each_article_a_page_will_lose_with_a_link(editor, seed_text):
    from tests.test_identity import GONE, split_out

    ingest_page_bytes(SEED, issue_date=DAY, page_number=2, source="02.txt")
    gone = Article.objects.get(headline__startswith=GONE)
    without = split_out(seed_text, GONE, "工余时间")[0]

    html = editor.get(post_upload(editor, [txt("02.txt", without.encode())]).url).content.decode()

    assert "原有 7 篇中 6 篇保留" in html
    assert (
        f'将撤下（原链接显示已撤下）：<a href="/articles/{gone.pk}/">《{gone.headline}》</a>'
        in html
    )
