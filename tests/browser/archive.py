"""A multi-year archive for the browser tests: corpus pages (../shared/corpus) laid out at test
time, then given shifted dates so that the issues spread over `months` months. Never committed."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

from tests.conftest import make_corpus_pages

LAST_MONTH = datetime.date(2024, 12, 1)


def month_before(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def issue_dates(months: int, issues: int) -> list[datetime.date]:
    """`issues` dates from the first to the last of `months` months ending in LAST_MONTH,
    evenly spread; several issues in one month fall on different days."""
    first = month_before(LAST_MONTH, months - 1)
    dates = []
    for k in range(issues):
        offset = round(k * (months - 1) / (issues - 1)) if issues > 1 else 0
        month = month_before(first, -offset)
        dates.append(month.replace(day=1 + (k * 3) % 28))
    return dates


def multi_year_pages(out: Path, months: int, issues: int, pages_per_issue: int = 3) -> Path:
    """Corpus pages as `issues` issues of `pages_per_issue` pages over `months` months."""
    raw = make_corpus_pages(
        out / "raw", "--limit", str(issues * pages_per_issue), "--no-banner", "--seed", "7"
    )
    texts = sorted(raw.glob("*.txt"))
    archive = out / "archive"
    archive.mkdir()
    for k, day in enumerate(issue_dates(months, issues)):
        for number, text in enumerate(texts[k * pages_per_issue : (k + 1) * pages_per_issue], 1):
            shutil.copy(text, archive / f"{day:%Y-%m-%d}_{number:02d}.txt")
    return archive
