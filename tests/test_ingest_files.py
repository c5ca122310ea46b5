import datetime

import pytest

from articles.ingest import Outcome
from articles.ingest_files import ingest_file, page_files
from articles.models import Article, Page, PageScan
from articles.page_images import IMAGE_ONLY, NO_TEXT_LAYER
from tests.printed_pages import encrypted, page_image_bytes, scan_like_pdf

DAY = datetime.date(2024, 3, 12)


@pytest.mark.django_db
def test_pdf_alone_gives_the_text_from_its_text_layer_and_the_image(tmp_path, printed_seed):
    path = tmp_path / "2024-03-12_02.pdf"
    path.write_bytes(printed_seed)
    result = ingest_file(path)
    page = Page.objects.get()
    assert (result.outcome, result.articles) == (Outcome.CREATED, 7)
    assert page.scan.kind == PageScan.Kind.PDF and page.scan.blocks
    assert page.scan.file.read() == printed_seed
    assert "朝阳区深化“产改”促进发展新质生产力" in page.source_text


@pytest.mark.django_db
def test_pdf_beside_its_txt_the_txt_gives_the_text_and_the_pdf_the_image(
    tmp_path, printed_seed, seed_text
):
    (tmp_path / "2024-03-12_02.txt").write_text(seed_text.replace("近日", "日前"), "utf-8")
    (tmp_path / "2024-03-12_02.pdf").write_bytes(printed_seed)
    files = list(page_files([tmp_path]))
    assert [f.name for f in files] == ["2024-03-12_02.txt"]
    result = ingest_file(files[0])
    page = Page.objects.get()
    assert result.outcome is Outcome.CREATED
    assert "日前" in page.source_text and "近日" not in page.source_text
    assert page.scan.source_name == "2024-03-12_02.pdf"


@pytest.mark.django_db
def test_pdf_named_beside_its_txt_on_the_command_line_is_not_read_for_text(
    tmp_path, printed_seed, seed_text
):
    (tmp_path / "2024-03-12_02.txt").write_text(seed_text, "utf-8")
    (tmp_path / "2024-03-12_02.pdf").write_bytes(printed_seed)
    given = [tmp_path / "2024-03-12_02.txt", tmp_path / "2024-03-12_02.pdf"]
    assert list(page_files(given)) == given[:1]


@pytest.mark.django_db
def test_scan_like_pdf_stores_the_image_only_with_a_notice(tmp_path):
    path = tmp_path / "2024-03-12_03.pdf"
    path.write_bytes(scan_like_pdf())
    result = ingest_file(path)
    page = Page.objects.get()
    assert (result.outcome, result.warnings) == (Outcome.CREATED, (NO_TEXT_LAYER,))
    assert (page.source_text, page.warnings, page.articles.count()) == ("", [NO_TEXT_LAYER], 0)
    assert page.scan.kind == PageScan.Kind.PDF and page.scan.blocks == []


@pytest.mark.django_db
def test_txt_after_an_image_only_page_fills_in_its_text_and_keeps_the_image(tmp_path, seed_text):
    (tmp_path / "2024-03-12_02.png").write_bytes(page_image_bytes())
    assert ingest_file(tmp_path / "2024-03-12_02.png").warnings == (IMAGE_ONLY,)
    (tmp_path / "2024-03-12_02.png").unlink()
    (tmp_path / "2024-03-12_02.txt").write_text(seed_text, "utf-8")
    result = ingest_file(tmp_path / "2024-03-12_02.txt")
    page = Page.objects.get()
    assert (result.outcome, Article.objects.count()) == (Outcome.REPLACED, 7)
    assert page.scan.kind == PageScan.Kind.IMAGE and page.warnings != [IMAGE_ONLY]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"%PDF-1.4 broken", "已损坏"), (encrypted(scan_like_pdf()), "已加密")],
    ids=["damaged", "encrypted"],
)
def test_bad_pdf_fails_with_its_name_and_stores_nothing(tmp_path, data, reason):
    path = tmp_path / "2024-03-12_02.pdf"
    path.write_bytes(data)
    result = ingest_file(path)
    assert result.outcome is Outcome.FAILED
    assert result.reason.startswith("2024-03-12_02.pdf：") and reason in result.reason
    assert (Page.objects.count(), PageScan.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_pdf_over_the_scan_limit_is_refused(tmp_path, settings):
    settings.NEWSARCHIVE_MAX_SCAN_BYTES = 100
    path = tmp_path / "2024-03-12_02.pdf"
    path.write_bytes(scan_like_pdf())
    result = ingest_file(path)
    assert result.outcome is Outcome.FAILED and "over the limit of 100" in result.reason
    assert Page.objects.count() == 0


@pytest.mark.django_db
def test_dry_run_of_a_pdf_stores_nothing(tmp_path, printed_seed):
    path = tmp_path / "2024-03-12_02.pdf"
    path.write_bytes(printed_seed)
    assert ingest_file(path, dry_run=True).outcome is Outcome.CREATED
    assert (Page.objects.count(), PageScan.objects.count()) == (0, 0)
