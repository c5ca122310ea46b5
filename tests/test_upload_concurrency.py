"""Two staff members uploading the same issue at once: nobody's page is replaced unseen."""

import datetime
import threading

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import connection

from articles.layout_corrections import blocks
from articles.models import Page, Upload, UploadFile
from articles.parsing import decode_page, parse_page
from articles.upload import (
    StalePreviewError,
    confirm_upload,
    correct_staged_file,
    stage_upload,
    staged_files,
)
from articles.upload_files import PageFile, UploadError
from articles.upload_review import summarize_pages

from .conftest import DATA
from .test_admin_upload import confirm, post_upload, txt

DAY = datetime.date(2024, 3, 12)
SEED = (DATA / "seed_page.txt").read_bytes()
OTHER = SEED.replace("研修班".encode(), "培训班".encode())


def editor_client(client_class, django_user_model, name: str):
    user = django_user_model.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name="编辑"))
    client = client_class()
    client.force_login(user)
    return client


@pytest.fixture
def two_editors(django_user_model, client):
    return (
        editor_client(type(client), django_user_model, "editor_a"),
        editor_client(type(client), django_user_model, "editor_b"),
    )


def preview_url(response) -> str:
    return response["Location"]


def messages_of(response) -> list[str]:
    return [m.message for m in response.context["messages"]]


@pytest.mark.django_db
def test_the_second_confirm_of_a_page_must_look_at_the_first_ones_result(two_editors):
    a, b = two_editors
    url_a = preview_url(post_upload(a, [txt("02.txt", SEED)]))
    url_b = preview_url(post_upload(b, [txt("02.txt", OTHER)]))
    preview_b = b.get(url_b).content.decode()
    assert "新版面" in preview_b

    confirm(a, url_a)
    # B confirms from the preview it saw before A's page was stored ("" = no page yet).
    upload_b = Upload.objects.get(uploaded_by__username="editor_b")
    key = upload_b.files.get().pk
    refused = b.post(url_b, {"confirm": "1", f"base_{key}": ""}, follow=True)
    assert any("在您预览之后已有变动" in m for m in messages_of(refused))
    page = Page.objects.get()
    assert "研修班" in page.source_text  # A's page stands
    upload_b.refresh_from_db()
    assert upload_b.status == "staged" and upload_b.files.get().data is not None

    again = b.get(url_b).content.decode()
    assert "已有此版：原有 7 篇中" in again
    confirm(b, url_b)  # B has now seen A's page and chooses to replace it
    assert "培训班" in Page.objects.get().source_text
    assert set(Upload.objects.values_list("status", flat=True)) == {"confirmed"}


@pytest.mark.django_db(transaction=True)
def test_two_confirms_of_the_same_page_at_once_serialize(django_user_model):
    users = [django_user_model.objects.create_user(name) for name in ("editor_a", "editor_b")]
    uploads = [
        stage_upload(user, DAY, None, [PageFile("02.txt", data, 2)])
        for user, data in zip(users, (SEED, OTHER), strict=True)
    ]
    previews = [
        {page.file.key: page.stored_sha256 for page in summarize_pages(staged_files(u), DAY)}
        for u in uploads
    ]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def run(index: int) -> None:
        try:
            start.wait()
            confirm_upload(uploads[index], users[index], previews[index])
            outcomes.append("stored")
        except StalePreviewError:
            outcomes.append("must re-preview")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["must re-preview", "stored"]
    assert Page.objects.count() == 1
    assert sorted(Upload.objects.values_list("status", flat=True)) == ["confirmed", "staged"]


def demote_first_headline(client, url: str):
    """What pressing 改角色 on the preview posts: the page's first headline made 版头."""
    key = UploadFile.objects.get().pk
    parsed = parse_page(decode_page(SEED))
    n, block = next((n, b) for n, b in enumerate(blocks(parsed)) if b.role == "headline")
    data = {
        "layout": f"role:{key}:{n}",
        f"text_{key}_{n}": block.text,
        f"role_{key}_{n}": "furniture",
    }
    return client.post(url, data)


def unchanged_staged_upload() -> bool:
    upload = Upload.objects.get()
    file = upload.files.get()
    return (upload.status, file.page_number, file.layout_corrections, Page.objects.count()) == (
        "staged",
        2,
        [],
        0,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["confirm", "cancel", "renumber", "layout"])
def test_every_change_by_another_editor_is_refused_in_chinese_and_changes_nothing(
    two_editors, action
):
    a, b = two_editors
    url = preview_url(post_upload(a, [txt("02.txt", SEED)]))
    key = UploadFile.objects.get().pk
    posts = {
        "confirm": lambda: b.post(url, {"confirm": "1", f"base_{key}": ""}),
        "cancel": lambda: b.post(url, {"cancel": "1"}),
        "renumber": lambda: b.post(url, {"renumber": "1", f"page_{key}": "3"}),
        "layout": lambda: demote_first_headline(b, url),
    }
    refused = posts[action]()
    assert refused.status_code == 403
    assert "这次上传属于 editor_a" in refused.content.decode()
    assert "您的操作没有保存" in refused.content.decode()
    assert unchanged_staged_upload()


@pytest.mark.django_db
def test_another_editor_reads_the_preview_without_its_controls(two_editors):
    a, b = two_editors
    url = preview_url(post_upload(a, [txt("02.txt", SEED)]))
    html = b.get(url).content.decode()
    assert "经开区总工会开展先进职工疗休养活动" in html  # reading is allowed
    assert "这次上传属于 editor_a" in html
    assert not any(control in html for control in ("确认入库", "取消并丢弃", "改角色"))


@pytest.mark.django_db
def test_a_demoted_headline_posted_by_another_editor_never_reaches_the_archive(two_editors):
    a, b = two_editors
    url = preview_url(post_upload(a, [txt("02.txt", SEED)]))
    demote_first_headline(b, url)
    confirm(a, url)
    page = Page.objects.get()
    assert page.layout_corrections == []
    assert page.articles.count() == 7


@pytest.mark.django_db
def test_the_service_refuses_another_editors_layout_correction(django_user_model):
    owner, other = (django_user_model.objects.create_user(n) for n in ("editor_a", "editor_b"))
    upload = stage_upload(owner, DAY, None, [PageFile("02.txt", SEED, 2)])
    key = upload.files.get().pk
    with pytest.raises(PermissionDenied):
        correct_staged_file(upload, other, key, {"op": "join", "text": "x", "role": ""})
    assert UploadFile.objects.get().layout_corrections == []


@pytest.mark.django_db
def test_a_correction_to_a_confirmed_upload_is_refused(two_editors):
    a, _ = two_editors
    url = preview_url(post_upload(a, [txt("02.txt", SEED)]))
    upload = Upload.objects.get()
    key = upload.files.get().pk
    confirm(a, url)
    with pytest.raises(UploadError, match="已入库，不能再校正版面"):
        correct_staged_file(
            upload, upload.uploaded_by, key, {"op": "join", "text": "x", "role": ""}
        )


@pytest.fixture
def chief(django_user_model, client):
    """An editor with the permission to handle others' uploads."""
    chief = editor_client(type(client), django_user_model, "chief")
    user = django_user_model.objects.get(username="chief")
    user.user_permissions.add(Permission.objects.get(codename="handle_others_upload"))
    return chief


@pytest.mark.django_db
def test_the_permission_lets_a_chief_editor_correct_anothers_upload(two_editors, chief):
    url = preview_url(post_upload(two_editors[0], [txt("02.txt", SEED)]))
    assert demote_first_headline(chief, url).status_code == 302
    assert [c["role"] for c in UploadFile.objects.get().layout_corrections] == ["furniture"]


@pytest.mark.django_db
def test_the_permission_lets_a_chief_editor_confirm_anothers_upload(two_editors, chief):
    url = preview_url(post_upload(two_editors[0], [txt("02.txt", SEED)]))
    assert confirm(chief, url).status_code == 302
    assert Upload.objects.get().status == "confirmed" and Page.objects.exists()


@pytest.mark.django_db
def test_a_second_confirm_or_cancel_from_an_old_tab_changes_nothing(two_editors):
    a, _ = two_editors
    url = preview_url(post_upload(a, [txt("02.txt", SEED)]))
    upload = Upload.objects.get()
    key = upload.files.get().pk
    confirm(a, url)
    with pytest.raises(UploadError, match="已入库，不能再确认"):
        confirm_upload(upload, upload.uploaded_by, {key: ""})
    # The view no longer offers the step: it says what became of the upload.
    response = a.post(url, {"cancel": "1"}, follow=True)
    assert "这次上传已入库。" in messages_of(response)
    assert Upload.objects.get().status == "confirmed" and Page.objects.count() == 1


@pytest.mark.django_db
def test_a_confirm_without_the_previews_record_is_sent_back_to_the_preview(two_editors):
    a, _ = two_editors
    url = preview_url(post_upload(a, [txt("02.txt", SEED)]))
    response = a.post(url, {"confirm": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == url
    assert any("请核对" in m for m in messages_of(response))
    assert not Page.objects.exists()


def undo_first_correction(client, url: str, text: str | None = None):
    """What pressing 撤销 beside the preview's first staged correction posts."""
    file = UploadFile.objects.get()
    seen = file.layout_corrections[0]["text"] if text is None else text
    return client.post(url, {"undo_layout": f"{file.pk}:0", f"undo_text_{file.pk}_0": seen})


@pytest.mark.django_db
def test_an_editor_undoes_a_staged_layout_correction_from_the_preview(two_editors):
    a, _ = two_editors
    url = preview_url(post_upload(a, [txt("02.txt", SEED)]))
    demote_first_headline(a, url)
    html = a.get(url).content.decode()
    assert 'name="undo_layout"' in html and "撤销" in html
    assert undo_first_correction(a, url).status_code == 302
    assert UploadFile.objects.get().layout_corrections == []
    assert 'name="undo_layout"' not in a.get(url).content.decode()
    confirm(a, url)
    assert Page.objects.get().articles.count() == 7  # the demoted headline is an article again


@pytest.mark.django_db
def test_an_undo_of_a_correction_that_changed_meanwhile_is_refused_and_changes_nothing(
    two_editors,
):
    a, _ = two_editors
    url = preview_url(post_upload(a, [txt("02.txt", SEED)]))
    demote_first_headline(a, url)
    kept = UploadFile.objects.get().layout_corrections
    response = undo_first_correction(a, url, text="另一行（另一个窗口看到的）")
    assert "无法撤销：这项校正已经改变" in " ".join(messages_of(a.get(response["Location"])))
    assert UploadFile.objects.get().layout_corrections == kept


@pytest.mark.django_db
def test_another_editors_undo_is_refused_and_keeps_the_correction(two_editors):
    a, b = two_editors
    url = preview_url(post_upload(a, [txt("02.txt", SEED)]))
    demote_first_headline(a, url)
    kept = UploadFile.objects.get().layout_corrections
    refused = undo_first_correction(b, url)
    assert refused.status_code == 403
    assert "这次上传属于 editor_a" in refused.content.decode()
    assert UploadFile.objects.get().layout_corrections == kept
