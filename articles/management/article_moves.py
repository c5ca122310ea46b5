"""What a page's ingest or reparse does to its articles, as `ingest` and `reparse` print it
(with --dry-run, before anything is stored): one line per retired article or one taken from
another page, and per changed article its word diff and the corrections laid over it."""

from __future__ import annotations

from django.urls import reverse

from articles.article_review import article_outcomes, page_layout
from articles.ingest import IngestResult
from articles.word_diff import as_text


def article_moves(result: IngestResult, dry_run: bool) -> list[str]:
    would = "would be " if dry_run else ""
    lines = [
        f"  article {pk} {would}retired: 《{headline}》 {reverse('articles:article', args=[pk])}"
        for pk, headline in result.retired
    ]
    lines += [
        f"  article {pk} {would}moved here from page {number}, id and corrections kept: "
        f"《{headline}》"
        for pk, headline, number in result.moved_in
    ]
    lines += [
        f"  article {pk} {would}moved to page {number}, id and corrections kept: 《{headline}》"
        for pk, headline, number in result.moved_out
    ]
    return lines


def article_changes(result: IngestResult, dry_run: bool) -> list[str]:
    """Each article the page changes or lays a correction over: its diff ([-deleted-]
    {+inserted+}), the corrections re-applied, the conflicts (the correction is kept)."""
    would = "would be " if dry_run else ""
    lines = []
    for outcome in article_outcomes(result):
        if outcome.status in ("new", "unchanged") and not outcome.has_corrections:
            continue
        change = outcome.change
        lines.append(
            f"  article {change.article_id} ({change.index + 1}. 《{change.after['headline']}》) "
            f"{would}{'stored unchanged' if outcome.status == 'unchanged' else outcome.status}"
        )
        if outcome.diff.title:
            lines.append(f"    title: {as_text(outcome.diff.title)}")
        if outcome.diff.body:
            lines.append(f"    text: {as_text(outcome.diff.body)}".replace("\n", "¶"))
        lines += [
            f"    staff correction {would}re-applied: {label} “{value}”"
            for label, value in outcome.reapplied
        ]
        lines += [f"    layout correction {would}re-applied: {text}" for text in outcome.layout]
        lines += [
            f"    conflict: {c.label}: the new parse says “{c.parsed_text}”, the staff "
            f"correction “{c.corrected_text}” is kept (choose in the admin's preview)"
            for c in outcome.conflicts
        ]
    lines += [f"  page layout correction: {text}" for text in page_layout(result)]
    return lines
