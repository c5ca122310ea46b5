"""What storing a page does to each article, said before anything is stored: in the upload
preview, the 重新解析 preview and the commands' --dry-run (issue 22)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.article_review import article_outcomes
from articles.ingest import reparse_page
from articles.layout_service import add_page_correction
from articles.models import Article, Page
from articles.reparse_review import preview_reparse
from tests.factories import as_if_parsed

from .conftest import DATA

SEED = (DATA / "seed_page.txt").read_text(encoding="utf-8")
THIRD = "北辰集团工会干部研修班开班"  # the seed page's third headline


def corrected(article: Article, **fields) -> Article:
    """An editor's admin edit: stored values differ from the article's last parse."""
    Article.objects.filter(pk=article.pk).update(**fields)
    return Article.objects.get(pk=article.pk)


@pytest.fixture
def page(seed_page) -> Page:
    return seed_page


def test_a_reparse_that_changes_an_articles_text_shows_the_word_diff(page):
    article = as_if_parsed(page.articles.get(seq=3), paragraphs=["本报讯 旧解析程序的正文。"])

    outcome = article_outcomes(reparse_page(page, dry_run=True))[2]

    assert (outcome.status, outcome.article_id) == ("changed", article.pk)
    assert {p.text for p in outcome.diff.body if p.op == "del"} == {"旧解析程序", "正文"}
    assert outcome.diff.title == ()


def test_each_article_lists_the_admin_and_layout_corrections_laid_over_it(page, editors):
    article = corrected(page.articles.get(seq=3), headline="张更正的标题")
    joined = article.paragraphs[1]
    add_page_correction(page, {"op": "join", "text": joined})
    page.refresh_from_db()

    outcome = article_outcomes(reparse_page(page, dry_run=True))[2]

    assert outcome.reapplied == (("标题", "张更正的标题"),)
    assert outcome.layout == (f"并入上一段：“{joined[:30]}”",)
    assert outcome.conflicts == ()
    others = article_outcomes(reparse_page(page, dry_run=True))[3:]
    assert not any(o.has_corrections for o in others)


def test_the_reparse_preview_lists_only_the_articles_something_happens_to(page):
    as_if_parsed(page.articles.get(seq=1), headline="旧解析程序的标题")
    corrected(page.articles.get(seq=3), headline="张更正的标题")

    preview = preview_reparse(page)

    assert [(o.change.index, o.status) for o in preview.articles] == [
        (0, "changed"),
        (2, "unchanged"),
    ]
    assert preview.articles[1].reapplied == (("标题", "张更正的标题"),)


def test_the_reparse_admin_preview_shows_the_diff_and_the_corrections(page, editors):
    as_if_parsed(page.articles.get(seq=1), headline="旧解析程序的标题")
    corrected(page.articles.get(seq=3), headline="张更正的标题")
    post = {"action": "reparse", "_selected_action": [page.pk]}

    html = editors[0].post(reverse("admin:articles_page_changelist"), post).content.decode()

    assert "<del>旧</del>" in html or "<del>旧解析程序的标题</del>" in html
    assert "<ins>朝阳区" in html
    assert "人工更正·标题：“张更正的标题”" in html


def test_reparse_dry_run_prints_each_diff_and_correction(page):
    as_if_parsed(page.articles.get(seq=1), headline="旧解析程序的标题")
    article = corrected(page.articles.get(seq=3), headline="张更正的标题")
    out = io.StringIO()

    call_command("reparse", "--dry-run", stdout=out)

    printed = out.getvalue()
    assert "    title: [-旧解析程序的标题-]{+朝阳区深化“产改”促进发展新质生产力" in printed
    assert f"  article {article.pk} (3. 《张更正的标题》) would be stored unchanged" in printed
    assert "    staff correction would be re-applied: 标题 “张更正的标题”" in printed


def test_ingest_dry_run_prints_a_changed_articles_diff(page, tmp_path):
    changed = tmp_path / "2024-03-12_02.txt"
    changed.write_text(SEED.replace(THIRD, "北辰集团工会干部研修班隆重开班"), encoding="utf-8")
    out = io.StringIO()

    call_command("ingest", str(changed), "--dry-run", stdout=out)

    article = page.articles.get(seq=3)
    assert f"  article {article.pk} (3. 《北辰集团工会干部研修班隆重开班》) would be changed" in (
        out.getvalue()
    )
    assert "    title: 北辰集团工会干部研修班{+隆重+}开班" in out.getvalue()


def test_the_upload_preview_says_per_article_what_storing_does(page, editors):
    corrected(page.articles.get(seq=1), headline="张更正的标题")
    changed = SEED.replace(THIRD, "北辰集团工会干部研修班隆重开班").encode()
    files = [SimpleUploadedFile("02.txt", changed, content_type="text/plain")]
    upload = reverse("admin:articles_issue_upload")
    url = editors[1].post(upload, {"issue_date": "2024-03-12", "files": files}).url

    html = editors[1].get(url).content.decode()

    assert "<th>入库后</th>" in html
    assert '<span class="status status-changed">有改动</span>' in html
    assert "北辰集团工会干部研修班<ins>隆重</ins>开班" in html
    assert "将重新套用的更正：" in html and "人工更正·标题：“张更正的标题”" in html
    assert html.count('<span class="status status-unchanged">不变</span>') == 6
