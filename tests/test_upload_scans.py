"""上传新一期 with page PDFs and images: alone, in a zip, beside the page's .txt."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.models import Article, Page, PageScan, Upload, UploadFile
from articles.page_images import IMAGE_ONLY, NO_TEXT_LAYER
from tests import test_admin_upload
from tests.printed_pages import encrypted, page_image_bytes, scan_like_pdf
from tests.test_admin_upload import confirm, nothing_stored, post_upload, txt, zipped

pytestmark = pytest.mark.django_db

# The admin upload tests' fixtures: a logged-in editor, the seed page's bytes.
editor = test_admin_upload.editor
seed_bytes = test_admin_upload.seed_bytes


def pdf(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_a_pdf_alone_is_previewed_from_its_text_layer_then_stored_with_its_image(
    editor, printed_seed
):
    response = post_upload(editor, [pdf("02.pdf", printed_seed)])
    assert response.status_code == 302
    preview = editor.get(response["Location"]).content.decode()
    assert "新版面：将新增 7 篇文章" in preview
    confirm(editor, response["Location"])
    page = Page.objects.get()
    assert (page.number, page.articles.count(), page.scan.kind) == (2, 7, PageScan.Kind.PDF)
    assert Upload.objects.get().files.get().scan_data is None  # dropped once stored


def test_a_pdf_beside_its_txt_gives_the_image_and_the_txt_the_text(
    editor, printed_seed, seed_bytes
):
    changed = seed_bytes.replace("近日".encode(), "日前".encode())
    response = post_upload(editor, [txt("02.txt", changed), pdf("02.pdf", printed_seed)])
    assert response.status_code == 302
    staged = Upload.objects.get().files.get()
    assert (staged.name, staged.scan_name) == ("02.txt", "02.pdf")
    confirm(editor, response["Location"])
    page = Page.objects.get()
    assert "日前" in page.source_text and "近日" not in page.source_text
    assert page.scan.source_name == "02.pdf" and page.scan.blocks


def test_a_zip_with_pdfs_and_txts_pairs_each_page(editor, printed_seed, seed_bytes):
    archive = zipped(
        {
            "2024-03-12/02.txt": seed_bytes,
            "2024-03-12/02.pdf": printed_seed,
            "2024-03-12/03.pdf": printed_seed,
        }
    )
    response = post_upload(editor, archive=archive)
    assert response.status_code == 302
    confirm(editor, response["Location"])
    pages = Page.objects.order_by("number")
    assert [(p.number, p.articles.count(), p.scan.source_name) for p in pages] == [
        (2, 7, "02.pdf"),
        (3, 7, "03.pdf"),
    ]
    assert Article.objects.count() == 14


def test_a_scan_like_pdf_is_stored_as_the_image_only_with_a_notice(editor):
    response = post_upload(editor, [pdf("05.pdf", scan_like_pdf())])
    preview = editor.get(response["Location"]).content.decode()
    assert NO_TEXT_LAYER in preview
    confirm(editor, response["Location"])
    page = Page.objects.get()
    assert (page.number, page.articles.count(), page.warnings) == (5, 0, [NO_TEXT_LAYER])
    assert page.scan.kind == PageScan.Kind.PDF


def test_a_png_is_accepted_as_the_image_only(editor):
    response = post_upload(editor, [pdf("06.png", page_image_bytes())])
    assert IMAGE_ONLY in editor.get(response["Location"]).content.decode()
    confirm(editor, response["Location"])
    assert Page.objects.get().scan.kind == PageScan.Kind.IMAGE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7 cut short", "02.pdf：PDF 文件已损坏"),
        (encrypted(scan_like_pdf()), "02.pdf：PDF 已加密"),
    ],
    ids=["damaged", "encrypted"],
)
def test_a_damaged_or_encrypted_pdf_is_named_on_the_preview_and_cannot_be_stored(
    editor, data, message
):
    # Opened by the background parse, after staging (articles/upload_jobs.py).
    response = post_upload(editor, [pdf("02.pdf", data)])
    preview = editor.get(response["Location"]).content.decode()
    assert message in preview and 'value="确认入库"' not in preview
    confirm(editor, response["Location"])
    assert not Page.objects.exists() and Upload.objects.get().status == "staged"


def test_a_pdf_over_the_scan_limit_is_refused(editor, settings):
    settings.NEWSARCHIVE_MAX_SCAN_BYTES = 1000
    response = post_upload(editor, [pdf("02.pdf", scan_like_pdf())])
    assert "超过每版 1,000 字节的上限" in response.content.decode()
    assert nothing_stored()


def staged_image_url() -> str:
    return reverse("articles:upload_page_image", args=[UploadFile.objects.get().pk])


def test_the_preview_shows_an_uploaded_pdfs_page_image_with_each_articles_place(
    editor, printed_seed
):
    response = post_upload(editor, [pdf("02.pdf", printed_seed)])
    preview = editor.get(response["Location"]).content.decode()

    assert f'<image href="{staged_image_url()}"' in preview
    assert preview.count('<g class="region">') == 7  # each of the 7 articles found
    assert "<title>1. 朝阳区深化“产改”促进发展新质生产力</title>" in preview
    image = editor.get(staged_image_url())
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert b"".join(image.streaming_content)[:2] == b"\xff\xd8"
    assert "private" in image["Cache-Control"]


def test_the_preview_shows_an_uploaded_image_without_regions(editor):
    response = post_upload(editor, [pdf("06.png", page_image_bytes())])
    preview = editor.get(response["Location"]).content.decode()
    assert f'<image href="{staged_image_url()}"' in preview
    assert '<g class="region">' not in preview


def test_a_txt_alone_has_no_page_image_in_the_preview(editor, seed_bytes):
    response = post_upload(editor, [txt("02.txt", seed_bytes)])
    assert "upload-scan" not in editor.get(response["Location"]).content.decode()


def test_a_staged_page_image_is_for_those_who_may_upload_and_only_while_staged(
    editor, printed_seed, django_user_model
):
    response = post_upload(editor, [pdf("02.pdf", printed_seed)])
    url = staged_image_url()
    other = Client()
    assert other.get(url).status_code == 302  # to the admin's login
    other.force_login(django_user_model.objects.create_user("staff", is_staff=True))
    assert other.get(url).status_code == 403
    confirm(editor, response["Location"])
    assert editor.get(url).status_code == 404
