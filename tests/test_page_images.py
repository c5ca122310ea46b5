import datetime
import threading
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse

from articles import page_images
from articles.ingest import ingest_page_bytes
from articles.models import Article, Page
from articles.page_images import attach_scan, clipping_image, read_scan, rendered_image
from articles.pdf.render import BadImageError
from tests.printed_pages import page_image_bytes

DAY = datetime.date(2024, 3, 12)


@pytest.fixture
def scanned_page(db, printed_seed):
    """The seed page stored as 2024-03-12 第2版 from its printed PDF."""
    scan = read_scan("2024-03-12_02.pdf", printed_seed)
    ingest_page_bytes(
        scan.page_text.encode(), issue_date=DAY, page_number=2, source="02.pdf", scan=scan
    )
    return Page.objects.get()


def test_page_image_is_rendered_once_then_read_from_storage(scanned_page, monkeypatch):
    calls = []
    render = page_images.render_pdf
    monkeypatch.setattr(page_images, "render_pdf", lambda *a: calls.append(a) or render(*a))
    first = rendered_image(scanned_page.scan, "page")
    again = rendered_image(scanned_page.scan, "page")
    thumb = rendered_image(scanned_page.scan, "thumb")
    assert first == again and len(calls) == 2  # the page once, the thumbnail once
    assert default_storage.exists(first) and default_storage.size(thumb) < default_storage.size(
        first
    )


def test_same_pdf_for_a_second_page_is_stored_once(scanned_page, printed_seed):
    other = Page.objects.create(
        issue=scanned_page.issue, number=3, source_text="", source_sha256=""
    )
    stored = attach_scan(other, read_scan("03.pdf", printed_seed))
    assert stored.file.name == scanned_page.scan.file.name


def test_page_view_draws_a_link_over_each_article(client, scanned_page):
    html = client.get(scanned_page.get_absolute_url()).content.decode()
    articles = Article.objects.filter(page=scanned_page)
    assert html.count('class="region"') == articles.count() == 7
    for article in articles:
        assert (
            f'<a href="{article.get_absolute_url()}" class="region" aria-label="{article.headline}">'
            in html
        )
    assert reverse("articles:page_image", args=["2024-03-12", 2, "page"]) in html
    assert "style=" not in html


def test_page_image_and_thumbnail_are_served_as_jpeg(client, scanned_page):
    for size in ("page", "thumb"):
        response = client.get(reverse("articles:page_image", args=["2024-03-12", 2, size]))
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_page_strip_shows_thumbnails(client, scanned_page):
    html = client.get(scanned_page.issue.get_absolute_url()).content.decode()
    assert reverse("articles:page_image", args=["2024-03-12", 2, "thumb"]) in html


def test_article_shows_its_clipping_linked_to_the_page(client, scanned_page):
    article = Article.objects.get(page=scanned_page, seq=1)
    html = client.get(article.get_absolute_url()).content.decode()
    assert reverse("articles:article_clipping", args=[article.pk]) in html
    response = client.get(reverse("articles:article_clipping", args=[article.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_clipping_is_cut_once(scanned_page, monkeypatch):
    calls = []
    render = page_images.render_pdf
    monkeypatch.setattr(page_images, "render_pdf", lambda *a: calls.append(a) or render(*a))
    region = page_images.article_region(Article.objects.get(page=scanned_page, seq=2))
    assert clipping_image(scanned_page.scan, region) == clipping_image(scanned_page.scan, region)
    assert len(calls) == 1


@pytest.mark.django_db
def test_page_without_a_scan_has_no_image_and_its_image_url_is_404(client, seed_page):
    html = client.get(seed_page.get_absolute_url()).content.decode()
    assert "page-image" not in html and "<svg" not in html
    assert (
        client.get(reverse("articles:page_image", args=["2024-03-12", 2, "page"])).status_code
        == 404
    )
    article = Article.objects.first()
    assert "clipping" not in client.get(article.get_absolute_url()).content.decode()
    assert client.get(reverse("articles:article_clipping", args=[article.pk])).status_code == 404


@pytest.mark.django_db
def test_jpeg_is_kept_as_an_image_without_regions(client, seed_page):
    attach_scan(seed_page, read_scan("02.jpg", page_image_bytes("JPEG")))
    html = client.get(seed_page.get_absolute_url()).content.decode()
    assert "page-image" in html and 'class="region"' not in html
    response = client.get(reverse("articles:page_image", args=["2024-03-12", 2, "thumb"]))
    assert response.status_code == 200


def test_an_image_that_is_not_one_is_refused_by_name():
    with pytest.raises(BadImageError, match=r"^02\.png："):
        read_scan("02.png", b"\x89PNG not really")


@pytest.mark.django_db(transaction=True)
def test_two_readers_asking_for_an_unrendered_image_at_once_render_it_once(
    scanned_page, monkeypatch
):
    """A renders; B asks while A is rendering (B has already found no image), waits for A's
    lock, then finds A's image: one render, one file, both given it."""
    scan = scanned_page.scan
    a_renders, b_looked = threading.Event(), threading.Event()
    renders, names = [], {}
    render, exists = page_images.render_pdf, default_storage.exists

    def render_slowly(*args):
        renders.append(threading.current_thread().name)
        a_renders.set()
        assert b_looked.wait(10)  # B found no image and goes for the lock, A still holds it
        return render(*args)

    def exists_and_tell(name):
        found = exists(name)
        if threading.current_thread().name == "B" and not found:
            b_looked.set()
        return found

    monkeypatch.setattr(page_images, "render_pdf", render_slowly)
    monkeypatch.setattr(default_storage, "exists", exists_and_tell)

    def read(actor: str) -> None:
        try:
            if actor == "B":
                assert a_renders.wait(10)
            names[actor] = rendered_image(scan, "page")
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(n,), name=n) for n in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert renders == ["A"]
    assert names["A"] == names["B"]
    folder = Path(default_storage.path(names["A"])).parent
    assert [p.name for p in folder.iterdir()] == ["page.jpg"]
    assert default_storage.open(names["B"]).read(2) == b"\xff\xd8"


def test_a_page_file_gone_from_storage_is_404_for_readers_and_logged(client, scanned_page, caplog):
    article = Article.objects.get(page=scanned_page, seq=1)
    default_storage.delete(scanned_page.scan.file.name)  # e.g. restored without its files
    image = client.get(reverse("articles:page_image", args=["2024-03-12", 2, "page"]))
    clipping = client.get(reverse("articles:article_clipping", args=[article.pk]))
    assert (image.status_code, clipping.status_code) == (404, 404)
    assert "page file missing from storage" in caplog.text
    assert client.get(article.get_absolute_url()).status_code == 200  # the text still reads
