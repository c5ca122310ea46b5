"""Staff corrections: recorded as revisions, kept through reparse, conflicts chosen by an editor.

Two actors throughout: two editors, each with their own logged-in client.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.authority import merge_people
from articles.corrections import merge_with_history
from articles.ingest import Outcome, reparse_page
from articles.models import Article, Page, Person, Revision
from articles.parsing import parse_page
from tests.factories import as_if_parsed

from .conftest import DATA
from .test_admin_upload import confirm

PAGES = reverse("admin:articles_page_changelist")


@pytest.fixture
def page(seed_page) -> Page:
    return seed_page


def opened(client: Client, article: Article) -> dict:
    """The article's change form as the editor's browser would post it back unchanged."""
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = client.get(url).context["adminform"].form
    return {
        **{name: value for name, value in form.initial.items() if value is not None},
        "paragraphs": "\n\n".join(article.paragraphs),
        "organizations": [o.pk for o in article.organizations.all()],
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
    }


def save(client: Client, article: Article, data: dict, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    return client.post(url, {**data, **changes})


def reparse(client: Client, page: Page, **choices) -> None:
    selected = {"action": "reparse", "_selected_action": [page.pk], "apply": "1"}
    client.post(PAGES, {**selected, **{f"conflict_{k}": v for k, v in choices.items()}})


def test_two_editors_saving_the_same_article_never_overwrite_each_other(page, editors):
    zhang, li = editors
    article = page.articles.get(seq=3)
    zhang_form, li_form = opened(zhang, article), opened(li, article)

    assert save(zhang, article, zhang_form, headline="张改的标题").status_code == 302
    response = save(li, article, li_form, paragraphs="李改的正文。")

    assert response.status_code == 200
    assert "已被修改" in response.content.decode()
    article.refresh_from_db()
    assert (article.headline, article.paragraphs[0][:3]) == ("张改的标题", "本报讯")
    assert [r.user.username for r in Revision.objects.all()] == ["zhang"]


def test_an_admin_edit_is_a_revision_with_who_and_each_field_before_and_after(page, editors):
    zhang, _ = editors
    article = page.articles.get(seq=3)
    old = article.headline

    save(zhang, article, opened(zhang, article), headline="北辰集团工会干部研修班举行")

    revision = Revision.objects.get()
    assert (revision.article, revision.user.username, revision.kind) == (article, "zhang", "edit")
    assert revision.changes == {"headline": {"before": old, "after": "北辰集团工会干部研修班举行"}}
    url = reverse("admin:articles_article_change", args=[article.pk])
    html = zhang.get(url).content.decode()
    assert "修订记录（1 次）" in html and old in html and "zhang" in html


def test_a_correction_outlives_a_reparse_that_does_not_touch_its_text(page, editors):
    zhang, li = editors
    article = page.articles.get(seq=3)
    save(zhang, article, opened(zhang, article), headline="张更正的标题")
    as_if_parsed(page.articles.get(seq=1), headline="旧解析程序的标题")

    reparse(li, page)

    assert Article.objects.get(pk=article.pk).headline == "张更正的标题"
    assert page.articles.get(seq=1).headline == "朝阳区深化“产改”促进发展新质生产力"


@pytest.mark.parametrize(("choice", "kept"), [("keep", True), ("parse", False)])
def test_a_correction_whose_parse_changed_is_a_conflict_the_editor_decides(
    page, editors, choice, kept
):
    zhang, li = editors
    article = as_if_parsed(page.articles.get(seq=3), headline="旧解析程序的标题")
    save(zhang, article, opened(zhang, article), headline="张更正的标题")

    preview = li.post(PAGES, {"action": "reparse", "_selected_action": [page.pk]})
    html = preview.content.decode()
    assert "人工更正与新的解析结果不一致" in html
    assert "张更正的标题" in html and "北辰集团工会干部研修班开班" in html
    reparse(li, page, **{f"{article.pk}:headline": choice})

    article.refresh_from_db()
    expected = "张更正的标题" if kept else "北辰集团工会干部研修班开班"
    assert article.headline == expected
    revisions = [(r.user.username, r.kind) for r in article.revisions.order_by("pk")]
    assert revisions == [("zhang", "edit")] + ([] if kept else [("li", "reparse")])


def test_a_merge_is_recorded_and_outlives_the_next_reparse(page, editors, django_user_model):
    article = page.articles.get(seq=3)  # 记者 周美玉 通讯员 孙丹
    keep = Person.objects.create(name="周美玉（北辰）")
    li = django_user_model.objects.get(username="li")

    merge_with_history(merge_people, keep, [Person.objects.get(name="周美玉")], user=li)
    as_if_parsed(article, paragraphs=["旧解析程序断开的", *article.paragraphs])
    reparse(editors[0], page)

    revision = article.revisions.get()
    assert (revision.kind, revision.user) == ("merge", li)
    assert revision.changes["credits"]["after"][0] == ["周美玉（北辰）", "reporter"]
    assert [c.person.name for c in Article.objects.get(pk=article.pk).credits.all()] == [
        "周美玉（北辰）",
        "孙丹",
    ]
    assert not Person.objects.filter(name="周美玉").exists()


def test_a_reader_sees_that_and_when_an_article_was_corrected(page, editors, client):
    zhang, _ = editors
    article = page.articles.get(seq=3)
    assert "本文已更正" not in client.get(article.get_absolute_url()).content.decode()

    save(zhang, article, opened(zhang, article), correction="原标题有误。")

    article.refresh_from_db()
    html = client.get(article.get_absolute_url()).content.decode()
    day = timezone.localtime(article.corrected_at)
    assert (
        f'本文已更正（<time datetime="{day:%Y-%m-%d}">{day.year}年{day.month}月{day.day}日' in html
    )


def reupload_changing_a_corrected_headline(page, editors) -> tuple[Article, str]:
    """Zhang corrects the third article's headline, Li re-uploads the page with that headline
    changed: the article, and the URL of Li's preview."""
    zhang, li = editors
    article = page.articles.get(seq=3)
    save(zhang, article, opened(zhang, article), headline="张更正的标题")
    changed = (
        (DATA / "seed_page.txt")
        .read_text(encoding="utf-8")
        .replace("北辰集团工会干部研修班开班", "北辰集团工会干部研修班隆重开班")
    )
    upload = reverse("admin:articles_issue_upload")
    files = [SimpleUploadedFile("02.txt", changed.encode(), content_type="text/plain")]
    return article, li.post(upload, {"issue_date": "2024-03-12", "files": files}).url


def test_a_reupload_that_changes_corrected_text_keeps_the_correction_by_default(page, editors):
    article, preview_url = reupload_changing_a_corrected_headline(page, editors)
    li = editors[1]

    html = li.get(preview_url).content.decode()
    assert "冲突：新文件改动了人工更正过的标题" in html
    assert (
        f'name="conflict_{article.pk}:headline" value="keep" checked> 保留人工更正：“张更正的标题”'
        in html
    )
    assert "采用新解析：“北辰集团工会干部研修班隆重开班”" in html
    confirm(li, preview_url)

    assert Article.objects.get(pk=article.pk).headline == "张更正的标题"


def test_an_editor_may_take_the_new_parse_over_a_correction_in_the_upload_preview(page, editors):
    article, preview_url = reupload_changing_a_corrected_headline(page, editors)
    li = editors[1]

    confirm(li, preview_url, **{f"conflict_{article.pk}:headline": "parse"})

    article.refresh_from_db()
    assert article.headline == "北辰集团工会干部研修班隆重开班"
    chosen = article.revisions.get(kind=Revision.Kind.REPARSE)
    assert (chosen.user.username, chosen.changes["headline"]["after"]) == (
        "li",
        "北辰集团工会干部研修班隆重开班",
    )


def test_an_editor_saving_after_another_reparsed_the_article_is_refused(page, editors):
    zhang, li = editors
    article = as_if_parsed(page.articles.get(seq=3), headline="旧解析程序的标题")
    stale = opened(zhang, article)

    reparse(li, page)
    response = save(zhang, article, stale, paragraphs="张改的正文。")

    assert "已被修改" in response.content.decode()
    article.refresh_from_db()
    assert (article.headline, article.paragraphs[0][:3]) == ("北辰集团工会干部研修班开班", "本报讯")


def test_an_article_stored_before_parses_were_kept_keeps_its_correction_too(page, editors):
    zhang, li = editors
    article = page.articles.get(seq=3)
    Article.objects.filter(pk=article.pk).update(parsed={})  # as the migration leaves old rows
    article.refresh_from_db()

    save(zhang, article, opened(zhang, article), headline="张更正的标题")
    reparse(li, page)

    assert Article.objects.get(pk=article.pk).headline == "张更正的标题"


def test_a_credit_changed_in_the_inline_is_part_of_the_revision(page, editors):
    zhang, _ = editors
    article = page.articles.get(seq=3)  # 记者 周美玉, 通讯员 孙丹
    credits = list(article.credits.order_by("seq"))
    inline = {"credits-TOTAL_FORMS": "2", "credits-INITIAL_FORMS": "2"}
    for n, credit in enumerate(credits):
        inline |= {
            f"credits-{n}-id": credit.pk,
            f"credits-{n}-article": article.pk,
            f"credits-{n}-seq": credit.seq,
            f"credits-{n}-person": credit.person_id,
            f"credits-{n}-role": "reporter" if n == 1 else credit.role,
        }

    assert save(zhang, article, opened(zhang, article), **inline).status_code == 302

    change = Revision.objects.get().changes["credits"]
    assert change == {
        "before": [["周美玉", "reporter"], ["孙丹", "correspondent"]],
        "after": [["周美玉", "reporter"], ["孙丹", "reporter"]],
    }


def test_an_article_staff_added_by_hand_outlives_the_reparse(page, editors, client):
    zhang, li = editors
    data = {
        "page": page.pk,
        "seq": 8,
        "headline": "编辑补录的一篇报道",
        "kind": "news",
        "paragraphs": "解析程序漏掉的一篇。",
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
    }
    assert zhang.post(reverse("admin:articles_article_add"), data).status_code == 302
    added = Article.objects.get(headline="编辑补录的一篇报道")
    as_if_parsed(page.articles.get(seq=1), headline="旧解析程序的标题")

    reparse(li, page)

    assert Article.objects.get(pk=added.pk).seq == 8
    assert page.articles.count() == 8
    assert added.revisions.get().kind == "create"
    assert "本文已更正" not in client.get(added.get_absolute_url()).content.decode()
    assert reparse_page(Page.objects.get()).outcome is Outcome.UNCHANGED


@pytest.mark.parametrize("to_page", [2, 3], ids=["up-to-page-2", "down-to-page-3"])
def test_a_correction_follows_its_article_to_another_page_of_a_reupload(
    db, editors, seed_text, to_page
):
    """Zhang corrects an article; Li re-uploads the issue with it moved to the other page
    (stored before or after the page losing it)."""
    from tests.test_admin_upload import confirm
    from tests.test_identity import GONE, split_out, store

    zhang, li = editors
    moving = split_out(seed_text, GONE, "工余时间")[1]
    top, tail = seed_text.split(moving)
    before = {2: top + moving, 3: tail} if to_page == 3 else {2: top, 3: moving + tail}
    after = {2: top + moving, 3: tail} if to_page == 2 else {2: top, 3: moving + tail}
    for number, text in before.items():
        store(text, number=number)
    article = Article.objects.get(headline__startswith=GONE)
    save(zhang, article, opened(zhang, article), headline="中昊公司工会开启亲子阅读之旅")

    files = [
        SimpleUploadedFile(f"{n:02}.txt", text.encode(), content_type="text/plain")
        for n, text in after.items()
    ]
    upload = reverse("admin:articles_issue_upload")
    preview = li.post(upload, {"issue_date": "2024-03-12", "files": files}).url
    html = li.get(preview).content.decode()
    assert f"将移至第{to_page}版（编号、更正和修订记录随之）" in html
    assert f"从第{5 - to_page}版移来（编号、更正和修订记录随之）" in html
    assert "《中昊公司工会开启亲子阅读之旅》" in html
    confirm(li, preview)

    moved = Article.objects.get(pk=article.pk)
    assert (moved.page.number, moved.headline) == (to_page, "中昊公司工会开启亲子阅读之旅")
    assert [r.user.username for r in moved.revisions.all()] == ["zhang"]
    assert Article.objects.filter(headline__contains="亲子阅读").count() == 1
    assert Page.objects.get(number=5 - to_page).articles.count() == len(
        parse_page(after[5 - to_page]).articles
    )
