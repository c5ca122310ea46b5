"""Page files on disk -> the ingest service: a page's .txt, PDF or image, and the PDF or image
beside its .txt, one page at a time (`manage.py ingest`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import transaction

from articles.ingest import (
    IngestError,
    IngestResult,
    Outcome,
    ingest_page_bytes,
    sha256_text,
)
from articles.models import Page
from articles.page_images import ScanSource, attach_scan, is_scan_name, read_scan
from articles.page_names import page_identity
from articles.pdf.text import ScanError
from articles.row_locks import locked_issue


def page_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Each path as given, and every page file below a directory, in name order; a PDF or
    image beside the .txt of its page goes with that .txt (ingest_file) and is not listed."""
    for path in map(Path, paths):
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.is_file() and _page_suffix(p))
            yield from sorted(p for p in found if not _beside_text(p))
        elif not _beside_text(path):
            yield path


def _page_suffix(path: Path) -> bool:
    return path.suffix.lower() == ".txt" or is_scan_name(path.name)


def _beside_text(path: Path) -> bool:
    return is_scan_name(path.name) and path.with_suffix(".txt").is_file()


def beside_scan(path: Path) -> Path | None:
    """The PDF (or else the image) of the same page beside a .txt, if there is one."""
    for suffix in (".pdf", ".png", ".jpg", ".jpeg"):
        if path.with_suffix(suffix).is_file():
            return path.with_suffix(suffix)
    return None


def _read_page_file(path: Path) -> bytes:
    limit = (
        settings.NEWSARCHIVE_MAX_SCAN_BYTES
        if is_scan_name(path.name)
        else settings.NEWSARCHIVE_MAX_PAGE_BYTES
    )
    size = path.stat().st_size
    if size > limit:
        raise IngestError(f"{path.name}: file is {size:,} bytes, over the limit of {limit:,}")
    return path.read_bytes()


def ingest_file(
    path: str | Path,
    *,
    issue_date: datetime.date | None = None,
    page_number: int | None = None,
    dry_run: bool = False,
) -> IngestResult:
    """Store one page file; a bad file gives a FAILED result with its reason, never an exception."""
    path = Path(path)
    scan_path = path if is_scan_name(path.name) else beside_scan(path)
    try:
        issue_date, page_number = page_identity(path.name, issue_date, page_number)
        data = _read_page_file(path)
        scan = read_scan(scan_path.name, _read_page_file(scan_path)) if scan_path else None
    except (IngestError, ScanError) as exc:
        return IngestResult(str(path), Outcome.FAILED, reason=str(exc))
    except OSError as exc:
        return IngestResult(str(path), Outcome.FAILED, reason=f"cannot read file: {exc.strerror}")
    if scan and scan_path == path:
        if not scan.page_text:
            return store_scan_only(
                scan, issue_date=issue_date, page_number=page_number, dry_run=dry_run
            )
        data = scan.page_text.encode("utf-8")
    return ingest_page_bytes(
        data,
        issue_date=issue_date,
        page_number=page_number,
        source=str(path),
        dry_run=dry_run,
        scan=scan,
    )


def store_scan_only(
    scan: ScanSource, *, issue_date: datetime.date, page_number: int, dry_run: bool = False
) -> IngestResult:
    """A PDF without a text layer, or an image: the page keeps it as its image; a page not in
    the archive yet is stored without text, for its .txt to fill in."""
    with transaction.atomic():
        issue = locked_issue(issue_date)  # issue, then page: the writers' one lock order
        page = Page.objects.filter(issue=issue, number=page_number).first()
        created = page is None
        if created:
            page = Page.objects.create(
                issue=issue,
                number=page_number,
                source_name=Path(scan.name).name,
                source_text="",
                source_sha256=sha256_text(""),
                warnings=[scan.notice],
            )
        if dry_run:
            transaction.set_rollback(True)
        else:
            attach_scan(page, scan)
    return IngestResult(
        scan.name,
        Outcome.CREATED if created else Outcome.UNCHANGED,
        issue_date=issue_date,
        page_number=page_number,
        warnings=(scan.notice,),
    )
