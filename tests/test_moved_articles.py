"""An article that moves to another page of its issue when pages are stored one by one
(`manage.py ingest` of a page) keeps its id, its admin corrections, its 修订记录 and its layout
corrections, whichever page is stored first (issue 22). Two actors: Zhang corrects in the
admin, Li ingests the new pages."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.ingest import reparse_page
from articles.models import Article, Page, RetiredArticle
from tests.test_admin_upload import confirm, post_upload, txt
from tests.test_corrections import opened, save
from tests.test_identity import GONE, split_out
from tests.test_layout_admin import post_correction

pytestmark = pytest.mark.django_db


def ingest(tmp_path, text: str, number: int) -> str:
    """Li runs `manage.py ingest` on one page file; what it printed."""
    path = tmp_path / f"2024-03-12_{number:02}.txt"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("ingest", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def corrected(seed_page, editors) -> Article:
    """Zhang joins the moving article's two paragraphs (a layout correction, applied by
    重新解析) and corrects its headline in the admin."""
    zhang = editors[0]
    article = Article.objects.get(headline__startswith=GONE)
    post_correction(zhang, seed_page, "join", article.paragraphs[1])
    reparse_page(Page.objects.get(pk=seed_page.pk))
    article.refresh_from_db()
    save(zhang, article, opened(zhang, article), headline="张更正的标题")
    return Article.objects.get(pk=article.pk)


@pytest.mark.parametrize("losing_page_first", [True, False], ids=["loser-first", "gainer-first"])
def test_a_moved_article_keeps_its_id_corrections_history_and_layout(
    corrected, seed_text, tmp_path, client, losing_page_first
):
    joined = Page.objects.get(number=2).layout_corrections[0]
    page_two, page_three = split_out(seed_text, GONE, "工余时间")

    if losing_page_first:
        ingest(tmp_path, page_two, 2)
        ingest(tmp_path, page_three, 3)
    else:
        ingest(tmp_path, page_three, 3)
        ingest(tmp_path, page_two, 2)

    moved = Article.objects.get(pk=corrected.pk)
    assert (moved.page.number, moved.headline) == (3, "张更正的标题")
    assert moved.paragraphs == corrected.paragraphs  # still joined
    assert [(r.user.username, r.changes["headline"]["after"]) for r in moved.revisions.all()] == [
        ("zhang", "张更正的标题")
    ]
    assert moved.corrected_at == corrected.corrected_at
    assert Page.objects.get(number=3).layout_corrections == [joined]
    assert Page.objects.get(number=2).layout_corrections == []
    assert client.get(f"/articles/{moved.pk}/").status_code == 200
    assert Article.objects.filter(headline__startswith=GONE).count() == 0
    assert Article.objects.filter(page__number=3).count() == 1


def test_the_new_article_that_stood_in_meanwhile_answers_301_to_the_moved_one(
    corrected, seed_text, tmp_path, client
):
    page_two, page_three = split_out(seed_text, GONE, "工余时间")
    ingest(tmp_path, page_three, 3)
    standing_in = Article.objects.get(page__number=3)

    printed = ingest(tmp_path, page_two, 2)

    assert f"  article {corrected.pk} moved to page 3, id and corrections kept" in printed
    response = client.get(f"/articles/{standing_in.pk}/")
    assert (response.status_code, response["Location"]) == (301, f"/articles/{corrected.pk}/")


def test_the_page_that_takes_the_article_back_says_so_in_its_dry_run(
    corrected, seed_text, tmp_path
):
    page_two, page_three = split_out(seed_text, GONE, "工余时间")
    ingest(tmp_path, page_two, 2)
    path = tmp_path / "2024-03-12_03.txt"
    path.write_text(page_three, encoding="utf-8")
    out = io.StringIO()

    call_command("ingest", str(path), "--dry-run", stdout=out)

    printed = out.getvalue()
    assert f"  article {corrected.pk} would be moved here from page 2" in printed
    assert "    staff correction would be re-applied: 标题 “张更正的标题”" in printed
    assert "    layout correction would be re-applied: 并入上一段：" in printed
    assert RetiredArticle.objects.filter(article_id=corrected.pk).exists()  # nothing stored


def test_an_article_staff_deleted_never_comes_back_from_another_page(
    corrected, seed_text, tmp_path, editors
):
    zhang = editors[0]
    zhang.post(reverse("admin:articles_article_delete", args=[corrected.pk]), {"post": "yes"})
    _, page_three = split_out(seed_text, GONE, "工余时间")

    ingest(tmp_path, page_three, 3)

    assert not Article.objects.filter(pk=corrected.pk).exists()
    assert RetiredArticle.objects.get(article_id=corrected.pk).staff_work == {}


def test_a_reupload_moving_the_article_takes_its_layout_correction_along(
    corrected, seed_text, editors
):
    li = editors[1]
    joined = Page.objects.get(number=2).layout_corrections[0]
    page_two, page_three = split_out(seed_text, GONE, "工余时间")
    files = [txt("02.txt", page_two.encode()), txt("03.txt", page_three.encode())]
    preview_url = post_upload(li, files, date=datetime.date(2024, 3, 12))["Location"]

    html = li.get(preview_url).content.decode()
    assert (
        "版面校正·并入上一段：“阅读过程中，设置的互动环节将活动推向了高潮，职工子女们兴奋地”"
        in html
    )
    confirm(li, preview_url)

    moved = Article.objects.get(pk=corrected.pk)
    assert (moved.page.number, moved.headline) == (3, "张更正的标题")
    assert moved.paragraphs == corrected.paragraphs  # still joined
    assert Page.objects.get(number=3).layout_corrections == [joined]
    assert Page.objects.get(number=2).layout_corrections == []
