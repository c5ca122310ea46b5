"""Page text -> rows: ingest_page_bytes and reparse_page, one transaction per page (files on
disk come through articles.ingest_files; the page a file's name gives, articles.page_names).

The management commands and the admin upload both go through here, so there is one way a page
enters the archive.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from articles import parsing
from articles.banner_check import banner_mismatches
from articles.corrections import (
    Conflict,
    article_values,
    articles_of_page,
    baseline,
    parsed_articles,
    stored_parse,
)
from articles.identity import ArticleChange, added_by_hand, storing_an_upload, sync_articles
from articles.index_queue import index_queue_transaction
from articles.layout_corrections import (
    corrections_by_article,
    merged_layout,
    with_layout,
    without_notices,
)
from articles.layout_service import stored_layout
from articles.models import Page
from articles.moved_articles import followed_layout, layout_of_lost
from articles.page_images import ScanSource, attach_scan
from articles.row_locks import lock_articles, locked_issue
from articles.title_learning import learn_from_page, parse_text, stored_page_id


class Outcome(enum.StrEnum):
    CREATED = "created"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    FAILED = "failed"


class IngestError(Exception):
    """A page that cannot be stored; the message is the one-line reason shown to the user."""


@dataclass(frozen=True)
class IngestResult:
    source: str
    outcome: Outcome
    issue_date: datetime.date | None = None
    page_number: int | None = None
    articles: int = 0
    replaced_articles: int = 0  # the articles the page had before
    kept_articles: int = 0  # of those, the ones the new parse still has (same id and URL)
    people: frozenset[str] = field(default_factory=frozenset)
    organizations: frozenset[str] = field(default_factory=frozenset)
    new_people: int = 0
    new_organizations: int = 0
    warnings: tuple[str, ...] = ()
    reason: str = ""
    conflicts: tuple[Conflict, ...] = ()
    # Where the page's own furniture prints another page number or date (Chinese, for staff).
    banner_mismatches: tuple[str, ...] = ()
    # (id, headline) of each article the page loses, and of each it takes from another page
    # of the issue (with that page's number: id, headline, from).
    retired: tuple[tuple[int, str], ...] = ()
    moved_in: tuple[tuple[int, str, int], ...] = ()
    # (id, headline, to) of each it loses that another page of the issue had taken meanwhile:
    # the article goes there, with its corrections (articles.moved_articles).
    moved_out: tuple[tuple[int, str, int], ...] = ()
    # A dry run's articles as they would be stored (corrections laid over the new parse).
    stored: tuple[dict, ...] = ()
    # Per parsed article: what storing does to it (new, changed, moved, corrections laid over).
    changes: tuple[ArticleChange, ...] = ()
    # Each layout correction laid over the parse, with the index of the article it touches.
    layout_applied: tuple[tuple[int | None, dict], ...] = ()

    @property
    def label(self) -> str:
        if self.issue_date and self.page_number:
            return f"{self.issue_date:%Y-%m-%d} 第{self.page_number}版"
        return self.source


def ingest_page_bytes(
    data: bytes,
    *,
    issue_date: datetime.date,
    page_number: int,
    source: str,
    dry_run: bool = False,
    scan: ScanSource | None = None,
) -> IngestResult:
    """Decode, parse and store one page; an identical page is left alone, a changed one has its
    articles updated in place (articles.identity). `scan`: its PDF or image, kept with it."""
    return preview_page_bytes(
        data,
        issue_date=issue_date,
        page_number=page_number,
        source=source,
        dry_run=dry_run,
        scan=scan,
    ).result


@dataclass(frozen=True)
class PagePreview:
    """What storing a page does (or would do, in a dry run), with the parse it stores."""

    result: IngestResult
    parsed: parsing.ParsedPage | None = None
    error: parsing.ParseError | None = None


def preview_page_bytes(
    data: bytes,
    *,
    issue_date: datetime.date,
    page_number: int,
    source: str,
    dry_run: bool = True,
    banners_checked: bool = True,
    layout: list[dict] | None = None,
    scan: ScanSource | None = None,
    user=None,
    choices: Mapping[str, str] | None = None,
) -> PagePreview:
    """ingest_page_bytes, returning the parse too: the admin upload shows it before storing.

    Without `banners_checked`, a page whose furniture prints another page number or date than
    `page_number` and `issue_date` fails (stores nothing) until staff confirm it. `layout`:
    the layout corrections to lay over the parse, by default those the stored page has; `user`
    confirmed them (the title examples they teach name who); `choices` as in `reparse_page`."""
    try:
        text = parsing.decode_page(data)
        parsed = parse_text(text, page_id=stored_page_id(issue_date, page_number))
    except parsing.ParseError as exc:
        failed = IngestResult(
            source, Outcome.FAILED, issue_date=issue_date, page_number=page_number, reason=str(exc)
        )
        return PagePreview(failed, error=exc)
    if layout is None:
        layout = stored_layout(issue_date, page_number)
    layout = merged_layout(layout, followed_layout(issue_date, page_number, parsed))
    parsed = with_layout(parsed, layout)
    result = _store(
        parsed,
        text,
        issue_date=issue_date,
        page_number=page_number,
        source=source,
        dry_run=dry_run,
        banners_checked=banners_checked,
        layout=layout,
        scan=scan,
        user=user,
        choices=choices,
    )
    return PagePreview(result, parsed)


def reparse_page(
    page: Page,
    *,
    dry_run: bool = False,
    choices: Mapping[str, str] | None = None,
    user=None,
    banners_checked: bool = True,
) -> IngestResult:
    """Run the parser again over the stored source text (after a parser fix).

    Staff corrections stay where the parse under them did not change; where it did, `choices`
    ({Conflict.key: "parse" or "keep"}, made by `user`) decides, keeping the correction by
    default. `banners_checked` as in `preview_page_bytes`."""
    source = page.source_name or str(page)
    try:
        parsed = parse_text(page.source_text, paper=page.paper or None, page_id=page.pk)
        followed = followed_layout(page.issue.date, page.number, parsed)
        layout = merged_layout(page.layout_corrections, followed)
        parsed = with_layout(parsed, layout)
    except parsing.ParseError as exc:
        return IngestResult(source, Outcome.FAILED, reason=str(exc))
    return _store(
        parsed,
        page.source_text,
        issue_date=page.issue.date,
        page_number=page.number,
        source=source,
        dry_run=dry_run,
        force=True,
        choices=choices,
        user=user,
        banners_checked=banners_checked,
        layout=layout,
    )


def parse_page_bytes(data: bytes, *, source: str) -> PagePreview:
    """Decode and parse a page whose place in the archive is not known yet; stores nothing."""
    try:
        parsed = parse_text(parsing.decode_page(data))
    except parsing.ParseError as exc:
        return PagePreview(IngestResult(source, Outcome.FAILED, reason=str(exc)), error=exc)
    result = IngestResult(
        source, Outcome.CREATED, articles=len(parsed.articles), warnings=parsed.warnings
    )
    return PagePreview(result, parsed)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _store(
    parsed: parsing.ParsedPage,
    text: str,
    *,
    issue_date: datetime.date,
    page_number: int,
    source: str,
    dry_run: bool,
    force: bool = False,
    choices: Mapping[str, str] | None = None,
    user=None,
    banners_checked: bool = True,
    layout: list[dict] = (),
    scan: ScanSource | None = None,
) -> IngestResult:
    digest = sha256_text(text)
    mismatches = banner_mismatches(parsed, issue_date, page_number)
    with index_queue_transaction():
        issue = locked_issue(issue_date)
        existing = (
            Page.objects.select_for_update()
            .select_related("issue")
            .filter(issue=issue, number=page_number)
            .first()
        )
        if existing:
            lock_articles(existing)
        stored = list(articles_of_page(existing)) if existing else []
        new = parsed_articles(parsed)
        by_hand = added_by_hand(stored) if force else set()
        unchanged = existing and (
            [baseline(a, article_values(a)) for a in stored if a.pk not in by_hand] == new
            if force
            else existing.source_sha256 == digest and existing.layout_corrections == list(layout)
        )
        if unchanged:
            if scan is not None and not dry_run:
                attach_scan(existing, scan)
            if not dry_run:
                _keep_printed_names(existing, parsed)
            return IngestResult(
                source,
                Outcome.UNCHANGED,
                issue_date=issue_date,
                page_number=page_number,
                articles=len(stored),
            )
        page = existing or Page(issue=issue, number=page_number)
        taught = (existing.layout_corrections, existing.source_sha256) if existing else ([], "")
        page.paper = parsed.paper or ""
        page.section = parsed.section or ""
        page.banners = list(parsed.banners)
        page.warnings = list(parsed.warnings)
        page.source_text = text
        page.source_sha256 = digest
        page.layout_corrections = list(layout)
        if not force or not page.source_name:
            page.source_name = Path(source).name
        page.save()
        if scan is not None and not dry_run:
            attach_scan(page, scan)
        if not dry_run and (page.layout_corrections, digest) != taught and (layout or taught[0]):
            learn_from_page(page, user=user)  # what the corrections teach on this text
        layout_of = layout_of_lost(stored, parsed, layout)
        report = sync_articles(
            page, stored, parsed.articles, new, choices=choices, user=user, layout_of=layout_of
        )
        retired = [] if storing_an_upload() else report.retired
        leaving = [c for pk in (*retired, *report.moved_out) for c in layout_of.get(pk, [])]
        if leaving:  # they follow their article (its tombstone, or its new page)
            page.layout_corrections = [c for c in page.layout_corrections if c not in leaving]
            page.warnings = without_notices(page.warnings, leaving)
            page.save(update_fields=["layout_corrections", "warnings", "updated_at"])
        for pk, number in report.moved_out.items():
            _take_in(issue, number, layout_of.get(pk, []), user)
        result = IngestResult(
            source,
            Outcome.REPLACED if existing else Outcome.CREATED,
            issue_date=issue_date,
            page_number=page_number,
            articles=len(parsed.articles),
            replaced_articles=len(stored),
            kept_articles=len(report.kept),
            warnings=tuple(page.warnings),
            people=frozenset(report.people),
            organizations=frozenset(report.organizations),
            new_people=report.new_people,
            new_organizations=report.new_organizations,
            conflicts=tuple(report.conflicts),
            banner_mismatches=mismatches,
            retired=tuple((a.pk, a.headline) for a in stored if a.pk in report.retired),
            moved_in=tuple(
                (pk, headline, report.moved_in[pk])
                for pk, headline in page.articles.filter(pk__in=report.moved_in)
                .order_by("seq")
                .values_list("pk", "headline")
            ),
            moved_out=tuple(
                (a.pk, a.headline, report.moved_out[a.pk])
                for a in stored
                if a.pk in report.moved_out
            ),
            changes=tuple(report.changes),
            layout_applied=corrections_by_article(parsed, page.layout_corrections),
        )
        if mismatches and not banners_checked and not dry_run:
            transaction.set_rollback(True)
            reason = "；".join(mismatches) + "。请核对后勾选确认"
            return IngestResult(
                source,
                Outcome.FAILED,
                issue_date=issue_date,
                page_number=page_number,
                reason=reason,
                banner_mismatches=mismatches,
            )
        if dry_run:
            result = dataclasses.replace(result, stored=tuple(stored_parse(page)))
            transaction.set_rollback(True)
    return result


def _take_in(issue, number: int, layout: list[dict], user) -> None:
    """The page an article with staff work moved to takes the layout corrections naming its
    lines, and is read again with them (the article is there already, moved_articles)."""
    page = Page.objects.select_related("issue").get(issue=issue, number=number)
    if layout:
        page.layout_corrections = merged_layout(page.layout_corrections, layout)
        page.save(update_fields=["layout_corrections", "updated_at"])
    reparse_page(page, user=user)


def _keep_printed_names(page: Page, parsed: parsing.ParsedPage) -> None:
    """An unchanged page still takes the paper and section its banner prints (pages stored
    before they were kept get them at their next reparse)."""
    paper, section = parsed.paper or "", parsed.section or ""
    if (page.paper, page.section) != (paper, section):
        page.paper, page.section = paper, section
        page.save(update_fields=["paper", "section", "updated_at"])
