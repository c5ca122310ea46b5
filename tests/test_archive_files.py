"""A backup carries each page's PDF or image: restored on a machine whose media storage is
empty, the page shows its image again."""

import datetime
import hashlib
import io
import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles import archive_files
from articles.archive_io import archive_models, database_counts
from articles.ingest import ingest_page_bytes
from articles.models import Page, PageScan
from articles.page_images import attach_scan, read_scan, rendered_image
from tests.printed_pages import page_image_bytes

DAY = datetime.date(2024, 3, 12)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scanned_issue(printed_seed):
    """Page 2 from its printed PDF (text and regions), page 3 a .txt with a JPEG beside it."""
    scan = read_scan("2024-03-12_02.pdf", printed_seed)
    ingest_page_bytes(
        scan.page_text.encode(), issue_date=DAY, page_number=2, source="02.pdf", scan=scan
    )
    ingest_page_bytes("标题\n\n正文。".encode(), issue_date=DAY, page_number=3, source="03.txt")
    attach_scan(Page.objects.get(number=3), read_scan("03.jpg", page_image_bytes("JPEG")))
    rendered_image(Page.objects.get(number=2).scan, "page")
    return {s.file.name: s.sha256 for s in PageScan.objects.all()}


def empty_the_archive() -> None:
    for model in reversed(archive_models()):
        model.objects.all().delete()
    assert not any(database_counts().values())


def on_a_new_machine(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "new_machine_media"


def stored_sha256(name: str) -> str:
    with default_storage.open(name, "rb") as stored:
        return hashlib.sha256(stored.read()).hexdigest()


def test_a_restore_on_a_new_machine_brings_back_every_page_file_and_its_image(
    scanned_issue, tmp_path, settings, client, monkeypatch
):
    monkeypatch.setattr(archive_files, "PIECE", 64 * 1024)  # the PDF goes in several pieces
    path = tmp_path / "backup.jsonl.gz"
    out = io.StringIO()
    call_command("export_archive", str(path), stdout=out, stderr=io.StringIO())
    assert "2 page files" in out.getvalue()
    empty_the_archive()
    on_a_new_machine(settings, tmp_path)
    assert not default_storage.exists(next(iter(scanned_issue)))

    out = io.StringIO()
    call_command("import_archive", str(path), stdout=out, stderr=io.StringIO())

    assert "2 page files" in out.getvalue()
    assert {name: stored_sha256(name) for name in scanned_issue} == scanned_issue
    assert not default_storage.exists("page_images")  # rendered again when asked for
    page = Page.objects.get(number=2)
    html = client.get(page.get_absolute_url()).content.decode()
    assert html.count('class="region"') == 7
    response = client.get(reverse("articles:page_image", args=["2024-03-12", 2, "page"]))
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def import_refused(scanned_issue: dict, path, match: str) -> None:
    """The import fails saying `match`, and leaves no row and no page file behind."""
    with pytest.raises(CommandError, match=match):
        call_command("import_archive", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not any(database_counts().values())
    assert not any(default_storage.exists(name) for name in scanned_issue)


def test_a_page_file_that_does_not_match_its_sha256_stops_the_import_and_leaves_nothing(
    scanned_issue, tmp_path, settings
):
    path = tmp_path / "backup.jsonl"
    call_command("export_archive", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    lines = path.read_text(encoding="utf-8").splitlines()
    last = max(i for i, line in enumerate(lines) if line.startswith('{"file": '))
    record = json.loads(lines[last])
    record["data"] = record["data"][:-8] + "AAAAAAA="
    lines[last] = json.dumps(record)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    empty_the_archive()
    on_a_new_machine(settings, tmp_path)

    import_refused(scanned_issue, path, "do not match its SHA-256; nothing was imported")


def test_an_archive_cut_short_in_a_page_file_is_refused(
    scanned_issue, tmp_path, settings, monkeypatch
):
    monkeypatch.setattr(archive_files, "PIECE", 256)  # every file in several pieces
    path = tmp_path / "backup.jsonl"
    call_command("export_archive", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    lines = path.read_text(encoding="utf-8").splitlines()
    assert not json.loads(lines[-2])["last"]
    path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # the last piece lost
    empty_the_archive()
    on_a_new_machine(settings, tmp_path)

    import_refused(scanned_issue, path, "cut short")


def test_export_names_a_page_file_missing_from_the_storage_and_keeps_everything_else(
    scanned_issue, tmp_path
):
    gone = PageScan.objects.get(page__number=3).file.name
    default_storage.delete(gone)
    path = tmp_path / "backup.jsonl"
    errors = io.StringIO()

    with pytest.raises(CommandError, match="1 page files were not found"):
        call_command("export_archive", str(path), stdout=io.StringIO(), stderr=errors)

    assert f"{gone}: a page's file, not found in the media storage" in errors.getvalue()
    header = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert (header["files"], header["missing_files"]) == (1, [gone])
    empty_the_archive()
    errors = io.StringIO()
    call_command("import_archive", str(path), stdout=io.StringIO(), stderr=errors)
    assert PageScan.objects.count() == 2
    assert f"{gone}: a page's file, in neither the archive nor the media storage" in (
        errors.getvalue()
    )
