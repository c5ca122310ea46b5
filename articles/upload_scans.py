"""An admin upload's page PDFs and images: read them, take the page text from a PDF that comes
without its .txt, and store a PDF without text layer (or an image) as the page's image only.

Apart from articles.upload so the upload service keeps one call per page (`preview_file`)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from articles.ingest import PagePreview, preview_page_bytes
from articles.ingest_files import store_scan_only
from articles.page_images import ScanSource, read_scan, svg_rects
from articles.parsing import ParsedPage
from articles.pdf.regions import article_regions
from articles.pdf.text import Box, ScanError
from articles.upload_files import PageFile


def file_scan(file: PageFile) -> ScanSource | None:
    """The file's PDF or image, read (ScanError names it when it does not open)."""
    return read_scan(file.scan_name, file.scan) if file.scan_name else None


def file_text(file: PageFile) -> bytes:
    """The page text: the .txt's bytes, else the PDF's text layer (b"" for an image only)."""
    if file.data or not file.scan_name:
        return file.data
    scan = file_scan(file)
    return scan.page_text.encode("utf-8") if scan else b""


def scan_problems(files: list[PageFile]) -> list[str]:
    """One message per PDF or image that does not open: damaged, encrypted, not an image."""
    problems = []
    for file in files:
        try:
            file_scan(file)
        except ScanError as error:
            problems.append(str(error))
    return problems


def preview_file(
    file: PageFile,
    *,
    issue_date: datetime.date,
    dry_run: bool = True,
    banners_checked: bool = True,
    layout: list[dict] | None = None,
    user=None,
    choices: Mapping[str, str] | None = None,
) -> PagePreview:
    """preview_page_bytes for an upload's page, with its PDF or image; a page that comes as an
    image only (or a PDF without text layer) keeps the image, with a notice."""
    scan = file_scan(file)
    text = file.data or (scan.page_text.encode("utf-8") if scan else b"")
    if scan is not None and not text:
        result = store_scan_only(
            scan, issue_date=issue_date, page_number=file.page_number, dry_run=dry_run
        )
        return PagePreview(result)
    return preview_page_bytes(
        text,
        issue_date=issue_date,
        page_number=file.page_number,
        source=file.name,
        dry_run=dry_run,
        banners_checked=banners_checked,
        layout=layout,
        scan=scan,
        user=user,
        choices=choices,
    )


@dataclass(frozen=True)
class ScanRegion:
    """A parsed article's rectangles on the page, with its number in the preview's table."""

    number: int
    headline: str
    boxes: list[Box]
    label_size: float  # the number's type size, in the page's unit

    @property
    def rects(self) -> list[dict[str, str]]:
        return svg_rects(self.boxes)

    @property
    def label_x(self) -> str:
        return f"{self.boxes[0].x0 + self.label_size * 0.2:.1f}"

    @property
    def label_y(self) -> str:
        return f"{self.boxes[0].top + self.label_size:.1f}"


@dataclass(frozen=True)
class ScanPreview:
    """A staged page's PDF or image beside its parse in the upload preview: the staged file
    (UploadFile pk) it is rendered from, its size, and where each parsed article stands."""

    key: int
    width: float
    height: float
    regions: list[ScanRegion]


def scan_preview(file: PageFile, parsed: ParsedPage | None) -> ScanPreview | None:
    """None for a page without PDF or image, or one that does not open (the preview says why).
    The regions follow the parse as the preview shows it, layout corrections included."""
    if not file.scan_name or file.key is None:
        return None
    try:
        scan = file_scan(file)
    except ScanError:
        return None
    regions = []
    if scan.text is not None and parsed is not None:
        blocks = [(block.text, block.boxes) for block in scan.text.blocks]
        parts = [
            [a.kicker or "", a.headline, a.subheadline or "", *a.paragraphs]
            for a in parsed.articles
        ]
        found = article_regions(blocks, parts)
        label_size = scan.width / 50
        regions = [
            ScanRegion(number, article.headline, boxes, label_size)
            for number, (article, boxes) in enumerate(
                zip(parsed.articles, found, strict=True), start=1
            )
            if boxes
        ]
    return ScanPreview(file.key, scan.width, scan.height, regions)
