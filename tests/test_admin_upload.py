"""上传新一期 through the admin: each step, each bad input (with nothing stored), permissions."""

import datetime
import io
import re
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from haystack.query import SearchQuerySet

from articles.models import Article, Issue, Page, Upload
from articles.search.indexing import IndexWorker
from articles.upload import discard_stale_uploads

from .conftest import DATA

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:articles_issue_upload")
DAY = datetime.date(2024, 3, 12)


@pytest.fixture
def seed_bytes() -> bytes:
    return (DATA / "seed_page.txt").read_bytes()


@pytest.fixture
def editor(client, django_user_model):
    """A staff member in the 编辑 group that the data migration creates."""
    user = django_user_model.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name="编辑"))
    client.force_login(user)
    return client


def txt(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


def zipped(members: dict[str, bytes], name: str = "issue.zip") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for member, data in members.items():
            bundle.writestr(member, data)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


def post_upload(client, files=(), archive=None, date=DAY, **fields):
    data = {"issue_date": date.isoformat(), **fields}
    if files:
        data["files"] = list(files)
    if archive is not None:
        data["archive"] = archive
    return client.post(UPLOAD, data)


BASE_FIELD = re.compile(r'name="(base_\d+)" value="([0-9a-f]*)"')


def confirm(client, preview_url: str, **fields):
    """Confirm as staff do: from the preview just shown, with what it saw of the archive."""
    preview = client.get(preview_url).content.decode()
    return client.post(preview_url, {"confirm": "1", **dict(BASE_FIELD.findall(preview)), **fields})


def nothing_stored() -> bool:
    return not Issue.objects.exists() and not Page.objects.exists() and not Upload.objects.exists()


def test_issue_changelist_offers_the_upload_to_editors(editor):
    html = editor.get(reverse("admin:articles_issue_changelist")).content.decode()
    assert "上传新一期" in html


def test_upload_preview_then_confirm_stores_the_issue_and_indexes_it(
    editor, seed_bytes, django_capture_on_commit_callbacks
):
    response = post_upload(editor, [txt("02.txt", seed_bytes)], issue_number="1234")
    upload = Upload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_issue_upload_preview", args=[upload.pk])
    assert not Issue.objects.exists()  # staged only

    preview = editor.get(response["Location"]).content.decode()
    assert "尚未入库" in preview
    assert "新版面：将新增 7 篇文章" in preview
    assert "深入学习贯彻党的二十大精神" in preview  # the banner
    assert "经开区总工会开展先进职工疗休养活动" in preview
    assert '北京经济技术开发区总工会<span class="new">新</span>' in preview
    assert "通讯员 孙丹" in preview

    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(editor, response["Location"])
    issue = Issue.objects.get(date=DAY)
    assert done["Location"] == reverse("admin:articles_issue_change", args=[issue.pk])
    assert (issue.number, Article.objects.count()) == (1234, 7)
    upload.refresh_from_db()
    assert (upload.status, upload.issue, upload.uploaded_by.username) == (
        "confirmed",
        issue,
        "editor",
    )
    assert upload.files.get().data is None  # the bytes are dropped; the page keeps its source
    assert SearchQuerySet().models(Article).filter(content="疗休养").count() == 1

    issue_page = editor.get(
        reverse("admin:articles_issue_change", args=[issue.pk])
    ).content.decode()
    assert "上传记录" in issue_page and "editor" in issue_page


def test_a_zip_of_pages_is_accepted(editor, seed_bytes):
    archive = zipped({"2024-03-12/02.txt": seed_bytes, "__MACOSX/._02.txt": b"junk"})
    response = post_upload(editor, archive=archive)
    assert response.status_code == 302
    assert Upload.objects.get().files.get().page_number == 2


def test_preview_says_identical_pages_are_skipped_and_changed_ones_replaced(editor, seed_bytes):
    from articles.ingest import ingest_page_bytes

    ingest_page_bytes(seed_bytes, issue_date=DAY, page_number=2, source="02.txt")
    ingest_page_bytes(
        seed_bytes.replace("研修班".encode(), "培训班".encode()),
        issue_date=DAY,
        page_number=3,
        source="03.txt",
    )
    response = post_upload(editor, [txt("02.txt", seed_bytes), txt("03.txt", seed_bytes)])
    preview = editor.get(response["Location"]).content.decode()
    assert "与已存版面相同：将跳过" in preview
    assert "已有此版：原有 7 篇中 7 篇保留（编号和链接不变）并按新文本更新，共 7 篇" in preview


def test_cancel_discards_the_files_and_stores_nothing(editor, seed_bytes):
    response = post_upload(editor, [txt("02.txt", seed_bytes)])
    editor.post(response["Location"], {"cancel": "1"})
    upload = Upload.objects.get()
    assert upload.status == "cancelled" and not upload.files.exists()
    assert not Issue.objects.exists()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([txt("02.txt", b"")], "02.txt：文件是空的"),
        ([txt("02.txt", b"\x00\x01\x02PNG" * 10)], "02.txt：不是文本文件"),
        ([txt("02.txt", "工会".encode("utf-16-le") * 50)], "02.txt："),
        ([txt("2024-03-13_02.txt", b"x")], "文件名中的日期与本期日期 2024-03-12 不一致"),
        ([txt("02.txt", b"x"), txt("2024-03-12_02.txt", b"x")], "第 2 版上传了 2 次"),
        ([txt("02.doc", b"x")], "只接受 .txt 版面文件"),
        ([], "请选择版面文件"),
    ],
)
def test_bad_files_get_a_message_in_the_form_and_nothing_is_stored(editor, files, message):
    response = post_upload(editor, files)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (txt("03.txt", "。".encode() * 20), "03.txt：没有找到任何文章"),
        (txt("03.pdf", b"x"), "03.pdf：PDF 文件已损坏"),
    ],
    ids=["no-article", "damaged-pdf"],
)
def test_a_page_that_fails_to_parse_is_named_on_the_preview_and_cannot_be_confirmed(
    editor, seed_bytes, bad, message
):
    # Parsing is the background job's, after staging: the form only decodes.
    response = post_upload(editor, [txt("02.txt", seed_bytes), bad])
    assert response.status_code == 302
    preview = editor.get(response["Location"]).content.decode()
    assert message in preview and "这次上传不能入库" in preview
    assert "确认入库" not in preview and "取消并丢弃" in preview

    refused = editor.post(response["Location"], {"confirm": "1"}, follow=True)
    said = [m.message for m in refused.context["messages"]]
    assert any(m.startswith(message) and "不能入库" in m for m in said)
    upload = Upload.objects.get()
    assert (upload.status, upload.files.count(), Issue.objects.count()) == ("staged", 2, 0)


def test_a_page_over_the_size_limit_is_refused(editor, settings, seed_bytes):
    settings.NEWSARCHIVE_MAX_PAGE_BYTES = 1000
    response = post_upload(editor, [txt("02.txt", seed_bytes)])
    assert "超过每版 1,000 字节的上限" in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"../02.txt": b"x"}, "../02.txt：压缩包内的路径指向包外"),
        ({"/etc/02.txt": b"x"}, "/etc/02.txt：压缩包内的路径指向包外"),
        ({"..\\..\\01.txt": b"x"}, "..\\..\\01.txt：压缩包内的路径指向包外"),
        ({"pages\\..\\..\\01.txt": b"x"}, "pages\\..\\..\\01.txt：压缩包内的路径指向包外"),
        ({"C:\\pages\\01.txt": b"x"}, "C:\\pages\\01.txt：压缩包内的路径指向包外"),
        ({"C:01.txt": b"x"}, "C:01.txt：压缩包内的路径指向包外"),
        ({"\\\\server\\01.txt": b"x"}, "\\\\server\\01.txt：压缩包内的路径指向包外"),
        ({"inner.zip": b"PK"}, "不能再套压缩包"),
        ({f"{n:02d}.txt": b"x" for n in range(1, 103)}, "最多 100 个"),
        ({"02.doc": b"x"}, "只能有 .txt 版面文件"),
    ],
)
def test_unsafe_zips_are_refused(editor, members, message):
    response = post_upload(editor, archive=zipped(members))
    assert message in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize("csrf_checked", [False, True], ids=["read-by-view", "read-by-csrf"])
def test_more_files_than_the_limit_get_the_form_again_naming_the_limit(
    editor, django_user_model, csrf_checked
):
    files = [txt(f"{n:02d}.txt", b"x") for n in range(1, 102)]
    if csrf_checked:  # as in a browser: the CSRF check is the first to read the request
        editor = Client(enforce_csrf_checks=True)
        editor.force_login(django_user_model.objects.get(username="editor"))
        editor.cookies["csrftoken"] = "a" * 32
    response = post_upload(editor, files)
    html = response.content.decode()
    assert response.status_code == 400
    assert "一次最多上传 100 个文件" in html and "解析并预览" in html
    assert nothing_stored()


def test_too_many_files_from_someone_who_may_not_upload_get_the_plain_400():
    files = [txt(f"{n:02d}.txt", b"x") for n in range(1, 102)]
    # With a CSRF cookie, the CSRF check reads the request before the admin sends the
    # anonymous visitor to the login.
    anonymous = Client(enforce_csrf_checks=True)
    anonymous.cookies["csrftoken"] = "a" * 32
    response = post_upload(anonymous, files)
    assert response.status_code == 400
    assert "一次最多上传" not in response.content.decode()
    assert nothing_stored()


def test_a_zip_over_its_limit_or_not_a_zip_is_refused(editor, settings, seed_bytes):
    settings.NEWSARCHIVE_MAX_ZIP_BYTES = 100
    assert (
        "超过 100 字节的上限"
        in post_upload(editor, archive=zipped({"02.txt": seed_bytes})).content.decode()
    )
    settings.NEWSARCHIVE_MAX_ZIP_BYTES = 10**6
    bogus = SimpleUploadedFile("issue.zip", b"not a zip")
    assert "不是有效的 zip 压缩包" in post_upload(editor, archive=bogus).content.decode()
    assert nothing_stored()


def test_a_zip_member_larger_than_its_header_says_is_refused(editor, settings):
    settings.NEWSARCHIVE_MAX_PAGE_BYTES = 1000
    archive = zipped({"02.txt": b"a" * 5000})
    assert "超过每版 1,000 字节的上限" in post_upload(editor, archive=archive).content.decode()


def test_a_date_in_the_future_is_refused(editor, seed_bytes):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post_upload(editor, [txt("02.txt", seed_bytes)], date=tomorrow)
    assert "出版日期不能晚于今天" in response.content.decode()
    assert nothing_stored()


def test_page_number_field_names_a_single_file(editor, seed_bytes):
    response = post_upload(editor, [txt("seed.txt", seed_bytes)], page_number="5")
    assert response.status_code == 302
    assert Upload.objects.get().files.get().page_number == 5
    two = post_upload(editor, [txt("a.txt", seed_bytes), txt("b.txt", seed_bytes)], page_number="5")
    assert "只能用于上传单个文件" in two.content.decode()


def test_a_failing_page_at_confirm_leaves_nothing_half_written(editor, seed_bytes):
    response = post_upload(editor, [txt("02.txt", seed_bytes), txt("03.txt", seed_bytes)])
    upload = Upload.objects.get()
    upload.files.filter(page_number=3).update(data=b"")  # the file went bad after the preview
    confirm(editor, response["Location"])
    assert not Issue.objects.exists() and not Article.objects.exists()
    upload.refresh_from_db()
    assert upload.status == "staged"


def test_stale_staged_uploads_are_discarded(editor, seed_bytes):
    post_upload(editor, [txt("02.txt", seed_bytes)])
    assert discard_stale_uploads(timezone.now() + datetime.timedelta(days=2)) == 1
    assert Upload.objects.get().status == "cancelled"


def test_anonymous_users_are_sent_to_the_login(client, seed_bytes):
    response = post_upload(client, [txt("02.txt", seed_bytes)])
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert nothing_stored()


def test_non_staff_and_staff_without_the_permission_are_refused(
    client, django_user_model, seed_bytes
):
    reader = django_user_model.objects.create_user("reader")
    client.force_login(reader)
    assert "/admin/login/" in post_upload(client, [txt("02.txt", seed_bytes)])["Location"]
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    client.force_login(clerk)
    assert post_upload(client, [txt("02.txt", seed_bytes)]).status_code == 403
    assert (
        "上传新一期" not in client.get(reverse("admin:articles_issue_changelist")).content.decode()
    )
    assert nothing_stored()


def test_the_upload_form_requires_csrf(django_user_model, seed_bytes):
    from django.test import Client

    user = django_user_model.objects.create_superuser("boss", "b@example.com", "pw")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert post_upload(client, [txt("02.txt", seed_bytes)]).status_code == 403


def test_pages_without_a_number_in_their_name_are_numbered_on_the_preview(editor, seed_bytes):
    other = seed_bytes.replace("研修班".encode(), "培训班".encode())
    response = post_upload(editor, [txt("seed.txt", seed_bytes), txt("other.txt", other)])
    preview_url = response["Location"]
    preview = editor.get(preview_url).content.decode()
    assert preview.count("文件名中没有版次，请填写") == 2
    assert "确认入库" not in preview and "保存版次并重新预览" in preview

    confirm(editor, preview_url)
    assert not Issue.objects.exists()

    files = {f.name: f.pk for f in Upload.objects.get().files.all()}
    same = {f"page_{files['seed.txt']}": "2", f"page_{files['other.txt']}": "2", "renumber": "1"}
    messages = [m.message for m in editor.post(preview_url, same, follow=True).context["messages"]]
    assert "第 2 版上传了 2 次" in messages
    editor.post(preview_url, {**same, f"page_{files['other.txt']}": "3"})
    preview = editor.get(preview_url).content.decode()
    assert preview.count("新版面：将新增 7 篇文章") == 2 and "确认入库" in preview

    confirm(editor, preview_url)
    assert sorted(Page.objects.values_list("number", "source_name")) == [
        (2, "seed.txt"),
        (3, "other.txt"),
    ]


def test_with_the_index_worker_the_confirm_returns_and_the_issue_says_when_it_is_searchable(
    editor, seed_bytes, settings, django_capture_on_commit_callbacks
):
    settings.SEARCH_INDEX_WORKER = True
    response = post_upload(editor, [txt("02.txt", seed_bytes)])
    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(editor, response["Location"])
    assert SearchQuerySet().models(Article).count() == 0  # left to the worker
    issue_page = editor.get(done["Location"]).content.decode()
    assert "本期有 7 篇文章正在后台更新索引" in issue_page

    IndexWorker(batch_size=100, poll_seconds=60).run_once()
    issue_page = editor.get(done["Location"]).content.decode()
    assert "已是最新：本期所有文章都能搜到" in issue_page
