"""版面校正: staff fix the layout of a stored page; the fix is kept and survives every reparse."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.ingest import reparse_page
from articles.layout_corrections import blocks
from articles.layout_service import page_parse
from articles.models import Page, UploadFile
from articles.parsing import parse_page
from tests.factories import as_if_parsed
from tests.test_admin_upload import confirm


@pytest.fixture
def page(seed_page) -> Page:
    return seed_page


def post_correction(client: Client, page: Page, op: str, text: str, role: str = ""):
    """What pressing a block's button on the 版面校正 page posts."""
    n = next(i for i, b in enumerate(blocks(page_parse(page))) if b.text == text)
    data = {"layout": f"{op}:p:{n}", f"text_p_{n}": text, f"role_p_{n}": role}
    return client.post(reverse("admin:articles_page_layout", args=[page.pk]), data)


def test_the_layout_page_shows_every_line_with_its_role(page, editors):
    html = editors[0].get(reverse("admin:articles_page_layout", args=[page.pk])).content.decode()

    assert "版面校正" in html and "从此拆为新文章" in html and "并入上一段" in html
    assert "朝阳区深化“产改”促进发展新质生产力" in html


def test_a_split_is_kept_with_the_page_and_applied_by_the_reparse(page, editors):
    ids = set(page.articles.values_list("pk", flat=True))
    at = page.articles.get(seq=1).paragraphs[4]

    post_correction(editors[0], page, "split", at)
    html = editors[0].get(reverse("admin:articles_page_layout", args=[page.pk])).content.decode()
    assert "从此拆为新文章：“" in html
    reparse_page(Page.objects.get())

    assert page.articles.count() == 8
    assert page.articles.get(seq=2).headline == at
    assert ids <= set(page.articles.values_list("pk", flat=True))


def test_layout_corrections_survive_a_reparse_after_a_parser_change(page, editors):
    second = page.articles.get(seq=3).paragraphs[1]
    post_correction(editors[0], page, "join", second)
    reparse_page(Page.objects.get())
    as_if_parsed(page.articles.get(seq=1), headline="旧解析程序的标题")

    reparse_page(Page.objects.get())

    assert len(page.articles.get(seq=3).paragraphs) == 2
    assert page.articles.get(seq=1).headline == "朝阳区深化“产改”促进发展新质生产力"


def test_two_editors_correcting_the_page_at_once_both_keep_their_corrections(page, editors):
    zhang, li = editors
    subheadline = page.articles.get(seq=1).subheadline
    second = page.articles.get(seq=3).paragraphs[1]

    post_correction(zhang, page, "role", subheadline, "body")
    post_correction(li, page, "join", second)

    assert [c["op"] for c in Page.objects.get().layout_corrections] == ["role", "join"]


def test_an_impossible_correction_is_refused_in_chinese_and_not_kept(page, editors):
    response = post_correction(editors[0], page, "role", "北辰集团工会干部研修班开班", "body")

    assert "文章不能没有主题" in editors[0].get(response.url).content.decode()
    assert Page.objects.get().layout_corrections == []


def test_a_correction_can_be_undone(page, editors):
    post_correction(editors[0], page, "join", page.articles.get(seq=3).paragraphs[1])

    editors[0].post(reverse("admin:articles_page_layout", args=[page.pk]), {"undo": "0"})

    assert Page.objects.get().layout_corrections == []


def test_a_correction_made_in_the_upload_preview_is_stored_with_the_page(db, editors, seed_text):
    zhang, _ = editors
    files = [SimpleUploadedFile("02.txt", seed_text.encode(), content_type="text/plain")]
    upload = reverse("admin:articles_issue_upload")
    preview_url = zhang.post(upload, {"issue_date": "2024-03-12", "files": files}).url
    key = UploadFile.objects.get().pk
    parsed = parse_page(seed_text)
    second = parsed.articles[2].paragraphs[1]
    n = next(i for i, b in enumerate(blocks(parsed)) if b.text == second)

    zhang.post(preview_url, {"layout": f"join:{key}:{n}", f"text_{key}_{n}": second})
    html = zhang.get(preview_url).content.decode()
    assert "版面校正（已有 1 项：并入上一段" in html
    confirm(zhang, preview_url)

    page = Page.objects.get()
    assert page.layout_corrections == [{"op": "join", "text": second}]
    assert len(page.articles.get(seq=3).paragraphs) == 2
    reparse_page(page)
    assert len(page.articles.get(seq=3).paragraphs) == 2


def test_contradictory_roles_for_one_line_leave_only_the_last_listed_with_undo(page, editors):
    subheadline = page.articles.get(seq=1).subheadline
    for role in ("body", "furniture", "body"):
        post_correction(editors[0], page, "role", subheadline, role)

    html = editors[0].get(reverse("admin:articles_page_layout", args=[page.pk])).content.decode()

    assert Page.objects.get().layout_corrections == [
        {"op": "role", "text": subheadline, "role": "body"}
    ]
    assert "已保存的校正（1 项）" in html and html.count(">撤销</button>") == 1


def test_a_role_the_line_already_has_is_refused_with_the_reason(page, editors):
    headline = page.articles.get(seq=1).headline

    response = post_correction(editors[0], page, "role", headline, "headline")

    assert "无法校正：这一行已经是主题" in editors[0].get(response.url).content.decode()
    assert Page.objects.get().layout_corrections == []


def test_title_roles_are_stored_as_asked_after_the_reparse(page, editors):
    """The issue's case: the line above made 主题 must not turn the line below into an 引题."""
    banner = "深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面"
    article = page.articles.get(seq=1)
    post_correction(editors[0], page, "role", article.subheadline, "body")
    post_correction(editors[0], page, "role", banner, "kicker")
    post_correction(editors[0], page, "role", article.headline, "subheadline")

    reparse_page(Page.objects.get())

    stored = page.articles.get(seq=1)
    assert (stored.kicker, stored.headline, stored.subheadline) == ("", banner, article.headline)
    assert stored.paragraphs[0] == article.subheadline


def test_the_page_furniture_role_is_offered_and_listed_as_banner_head(page, editors):
    banner = blocks(page_parse(page))[0].text
    url = reverse("admin:articles_page_layout", args=[page.pk])
    html = editors[0].get(url).content.decode()
    options = ["版头", "引题", "主题", "副题", "正文", "署名", "图片说明"]
    assert all(f">{label}</option>" in html for label in options)
    assert "版面装饰" not in html

    post_correction(editors[0], page, "role", page.articles.get(seq=1).headline, "furniture")

    html = editors[0].get(url).content.decode()
    assert "设为版头：“朝阳区深化“产改”促进发展新质生产力”" in html
    assert f"<td>版头</td>\n      <td>{banner}" in html
