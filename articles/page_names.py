"""Which page a file is: the archive's file names (YYYY-MM-DD_PP.txt), overridden by dates
and numbers given explicitly, and the dates an issue may carry.

The command (articles/ingest_files.py) and the admin upload (articles/upload_files.py, forms.py)
read them here, so a page file is named one way everywhere.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from articles.ingest import IngestError

# A page's text (.txt), or its printed page: a PDF (whose text layer gives the text when no
# .txt comes with it) or an image (articles.page_images).
PAGE_FILE_NAME = re.compile(
    r"^(?:(?P<date>\d{4}-\d{2}-\d{2})_)?(?P<page>\d{1,3})\.(?:txt|pdf|jpe?g|png)$", re.IGNORECASE
)


def page_identity(
    name: str, issue_date: datetime.date | None = None, page_number: int | None = None
) -> tuple[datetime.date, int]:
    """The issue date and page number from `YYYY-MM-DD_PP.txt`, overridden by explicit values."""
    match = PAGE_FILE_NAME.match(Path(name).name)
    if match and issue_date is None and match["date"]:
        try:
            issue_date = datetime.date.fromisoformat(match["date"])
        except ValueError as exc:
            raise IngestError(f"file name has an invalid date: {match['date']}") from exc
    if match and page_number is None:
        page_number = int(match["page"])
    if issue_date is None or page_number is None:
        raise IngestError(
            "cannot tell the issue date and page number: name the file YYYY-MM-DD_PP.txt "
            "or give --date and --page"
        )
    if page_number < 1:
        raise IngestError(f"page number must be 1 or more, got {page_number}")
    first, last = issue_date_range()
    if not first <= issue_date <= last:
        raise IngestError(
            f"issue date {issue_date} is outside {first} … {last} "
            "(NEWSARCHIVE_FIRST_ISSUE_DATE to today)"
        )
    return issue_date, page_number


def issue_date_range() -> tuple[datetime.date, datetime.date]:
    """The dates an issue may carry: NEWSARCHIVE_FIRST_ISSUE_DATE up to today."""
    return settings.NEWSARCHIVE_FIRST_ISSUE_DATE, timezone.localdate()
