"""A page checked against its own banner: the page number and date its furniture prints."""

from __future__ import annotations

import datetime

from articles import parsing


def _chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def banner_mismatches(
    parsed: parsing.ParsedPage, issue_date: datetime.date, page_number: int
) -> tuple[str, ...]:
    """The page's printed page number and date where they differ from where it is stored: a
    file named for the wrong page, or a page of another issue."""
    found = []
    if parsed.printed_page is not None and parsed.printed_page != page_number:
        found.append(
            f"版面上印的是第{parsed.printed_page}版，与文件名或填写的第{page_number}版不一致"
        )
    if parsed.printed_date is not None and parsed.printed_date != issue_date:
        found.append(
            f"版面上印的日期是{_chinese_date(parsed.printed_date)}，"
            f"与本期日期{_chinese_date(issue_date)}不一致"
        )
    return tuple(found)
