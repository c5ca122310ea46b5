"""A page whose own furniture prints another page number or date than the upload says."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.banner_check import banner_mismatches
from articles.ingest import ingest_page_bytes
from articles.models import Page, Upload
from articles.parsing import parse_page
from tests.factories import as_if_parsed
from tests.test_admin_upload import confirm

from .conftest import DATA

DAY = datetime.date(2024, 3, 12)
MISPRINTED = "第3版　2024年3月11日\n\n"


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", "e@example.com", "pw"))
    return client


@pytest.fixture
def misprinted_page() -> bytes:
    return MISPRINTED.encode() + (DATA / "seed_page.txt").read_bytes()


def test_banner_mismatches_name_the_printed_and_the_given_page_and_date(misprinted_page):
    parsed = parse_page(misprinted_page.decode())

    assert banner_mismatches(parsed, DAY, 2) == (
        "版面上印的是第3版，与文件名或填写的第2版不一致",
        "版面上印的日期是2024年3月11日，与本期日期2024年3月12日不一致",
    )
    assert banner_mismatches(parsed, datetime.date(2024, 3, 11), 3) == ()


@pytest.mark.django_db
def test_upload_preview_warns_and_storing_needs_the_editor_to_confirm(
    staff_client, misprinted_page
):
    upload = reverse("admin:articles_issue_upload")
    files = [SimpleUploadedFile("02.txt", misprinted_page, content_type="text/plain")]
    preview_url = staff_client.post(upload, {"issue_date": DAY.isoformat(), "files": files}).url

    preview = staff_client.get(preview_url).content.decode()
    assert "请核对：版面上印的是第3版，与文件名或填写的第2版不一致" in preview
    assert 'name="banners_checked" required' in preview

    confirm(staff_client, preview_url)
    assert Page.objects.count() == 0
    assert Upload.objects.get().status == Upload.Status.STAGED

    confirm(staff_client, preview_url, banners_checked="on")
    assert Page.objects.get().number == 2
    assert Upload.objects.get().status == Upload.Status.CONFIRMED


@pytest.mark.django_db
def test_reparse_preview_warns_and_applying_needs_the_editor_to_confirm(
    staff_client, misprinted_page
):
    ingest_page_bytes(misprinted_page, issue_date=DAY, page_number=2, source="02.txt")
    page = Page.objects.get()
    as_if_parsed(page.articles.get(seq=1), headline="旧解析程序的标题")
    url = reverse("admin:articles_page_changelist")
    selected = {"action": "reparse", "_selected_action": [page.pk]}

    preview = staff_client.post(url, selected).content.decode()
    assert "请核对：版面上印的日期是2024年3月11日" in preview

    staff_client.post(url, {**selected, "apply": "1"})
    assert page.articles.get(seq=1).headline == "旧解析程序的标题"

    staff_client.post(url, {**selected, "apply": "1", "banners_checked": "on"})
    assert page.articles.get(seq=1).headline == "朝阳区深化“产改”促进发展新质生产力"


@pytest.mark.django_db
def test_ingest_command_stores_a_misprinted_page_and_says_what_to_check(tmp_path, misprinted_page):
    path = tmp_path / "2024-03-12_02.txt"
    path.write_bytes(misprinted_page)
    err = io.StringIO()

    call_command("ingest", str(path), stdout=io.StringIO(), stderr=err)

    assert Page.objects.get().number == 2
    assert "check: 版面上印的是第3版" in err.getvalue()
