"""Page scans: a page's PDF (or JPEG/PNG) read, stored with its page through Django's storage,
rendered to images once and kept, and each article's region on it.

Storage is the default one (settings.STORAGES, MEDIA_ROOT under NEWSARCHIVE_VAR_DIR, or S3 by
settings), so every file goes through its API: save, exists, open. An image is rendered by the
first reader who asks for it, under a lock in the database, so that readers asking at the same
moment wait for that one render instead of each making their own (and, on a file system, a
second copy under another name).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction

from articles.models import Article, Page, PageScan
from articles.pdf.regions import article_regions
from articles.pdf.render import image_size, render_image, render_pdf
from articles.pdf.text import Box, PdfPageText, read_pdf_text

SCAN_KINDS = {
    ".pdf": PageScan.Kind.PDF,
    ".jpg": PageScan.Kind.IMAGE,
    ".jpeg": PageScan.Kind.IMAGE,
    ".png": PageScan.Kind.IMAGE,
}
NO_TEXT_LAYER = "版面 PDF 没有文字层（可能是扫描件）：已保存版面图，本版文字请以 .txt 上传"
IMAGE_ONLY = "图片只作版面图：本版文字请以 .txt 上传"
WIDTHS = {"page": 1400, "thumb": 160}
CLIPPING_WIDTH = 900
CLIPPING_MARGIN = 6.0  # points (or pixels) around an article's text


@dataclass(frozen=True)
class ScanSource:
    """An uploaded page PDF or image, read: its kind, size and (for a PDF) its text layer."""

    name: str
    data: bytes
    kind: str
    width: float
    height: float
    text: PdfPageText | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def page_text(self) -> str:
        """The page text from the PDF's text layer, "" for a scan or an image."""
        return self.text.text if self.text and self.text.has_text else ""

    @property
    def notice(self) -> str:
        """Why the page's text must come as `.txt` ("" when the PDF gives it)."""
        if self.page_text:
            return ""
        return NO_TEXT_LAYER if self.kind == PageScan.Kind.PDF else IMAGE_ONLY


def is_scan_name(name: str) -> bool:
    return PurePath(name).suffix.lower() in SCAN_KINDS


def read_scan(name: str, data: bytes) -> ScanSource:
    """The file read, or ScanError (damaged, encrypted, not an image) naming it."""
    kind = SCAN_KINDS[PurePath(name).suffix.lower()]
    if kind == PageScan.Kind.PDF:
        text = read_pdf_text(data, name)
        return ScanSource(name, data, kind, text.width, text.height, text)
    width, height = image_size(data, name)
    return ScanSource(name, data, kind, width, height)


def attach_scan(page: Page, scan: ScanSource) -> PageScan:
    """Keep the file with the page (replacing an earlier one); the same file is stored once."""
    stored = PageScan.objects.filter(page=page).first() or PageScan(page=page)
    if stored.pk and stored.sha256 == scan.sha256:
        return stored
    stored.sha256 = scan.sha256
    stored.kind = scan.kind
    stored.source_name = PurePath(scan.name).name
    stored.width, stored.height = scan.width, scan.height
    stored.blocks = [
        {"text": block.text, "boxes": [[b.x0, b.top, b.x1, b.bottom] for b in block.boxes]}
        for block in (scan.text.blocks if scan.text else ())
    ]
    name = stored.file.field.generate_filename(stored, scan.name)
    if default_storage.exists(name):
        stored.file.name = name
    else:
        stored.file.save(scan.name, ContentFile(scan.data), save=False)
    stored.save()
    return stored


def rendered_image(scan: PageScan, size: str) -> str:
    """The storage name of the page's image at `size` ("page" or "thumb"), rendered the
    first time it is asked for and kept: a file's images are named by its SHA-256."""
    return _kept(scan.sha256, f"{size}.jpg", lambda: _render(scan, WIDTHS[size], None))


def source_image(scan: ScanSource, size: str) -> str:
    """The same for a PDF or image not stored with a page yet (an upload's preview): the page
    it becomes finds its image already made."""
    render = render_pdf if scan.kind == PageScan.Kind.PDF else render_image
    return _kept(scan.sha256, f"{size}.jpg", lambda: render(scan.data, scan.name, WIDTHS[size]))


def clipping_image(scan: PageScan, boxes: list[Box]) -> str:
    """The storage name of the clipping around `boxes` (an article's region), kept likewise."""
    around = boxes[0]
    for box in boxes[1:]:
        around = around.union(box)
    crop = Box(
        max(0.0, around.x0 - CLIPPING_MARGIN),
        max(0.0, around.top - CLIPPING_MARGIN),
        min(scan.width, around.x1 + CLIPPING_MARGIN),
        min(scan.height, around.bottom + CLIPPING_MARGIN),
    )
    label = "-".join(str(round(v)) for v in (crop.x0, crop.top, crop.x1, crop.bottom))
    width = min(CLIPPING_WIDTH, max(200, round((crop.x1 - crop.x0) * 2)))
    return _kept(scan.sha256, f"clip-{label}-{width}.jpg", lambda: _render(scan, width, crop))


def _render(scan: PageScan, width: int, crop: Box | None) -> bytes:
    with scan.file.open("rb") as source:
        data = source.read()
    render = render_pdf if scan.kind == PageScan.Kind.PDF else render_image
    return render(data, scan.source_name, width, crop)


def _kept(sha256: str, label: str, render: Callable[[], bytes]) -> str:
    """The storage name of an image of the file `sha256`, rendered once: the first reader
    renders it holding the image's lock; one who asked meanwhile waits, then finds it made."""
    name = f"page_images/{sha256[:2]}/{sha256}/{label}"
    if default_storage.exists(name):
        return name
    with transaction.atomic():
        _lock_image(name)
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(render()))
    return name


def _lock_image(name: str) -> None:
    """Hold the image's lock until the transaction ends. On PostgreSQL an advisory lock keyed
    by the name (no row needed: an upload's preview renders a file no page has yet); SQLite's
    write transactions begin IMMEDIATE (settings), so they take turns already."""
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


@dataclass(frozen=True)
class Region:
    """One article's place on the page image, for the page view's links (热区)."""

    article: Article
    boxes: list[Box]

    @property
    def rects(self) -> list[dict[str, str]]:
        return svg_rects(self.boxes)


def svg_rects(boxes: list[Box]) -> list[dict[str, str]]:
    """The boxes as SVG <rect> attributes, in the page's unit."""
    return [
        {
            "x": f"{b.x0:.1f}",
            "y": f"{b.top:.1f}",
            "width": f"{b.x1 - b.x0:.1f}",
            "height": f"{b.bottom - b.top:.1f}",
        }
        for b in boxes
    ]


def page_regions(scan: PageScan, articles: list[Article]) -> list[Region]:
    """Each article found on the page with its rectangles; articles not found are left out."""
    blocks = [(b["text"], [Box(*box) for box in b["boxes"]]) for b in scan.blocks]
    parts = [[a.kicker, a.headline, a.subheadline, *a.paragraphs] for a in articles]
    found = article_regions(blocks, parts)
    return [Region(a, boxes) for a, boxes in zip(articles, found, strict=True) if boxes]


def article_region(article: Article) -> list[Box]:
    """The article's rectangles on its page's scan ([] when it has none or is not found)."""
    scan = PageScan.objects.filter(page_id=article.page_id).first()
    if scan is None or not scan.blocks:
        return []
    articles = list(Article.objects.filter(page_id=article.page_id).order_by("seq"))
    for region in page_regions(scan, articles):
        if region.article.pk == article.pk:
            return region.boxes
    return []
