"""The articles a page's ingest or reparse retires or takes from another page, one line each,
as `ingest` and `reparse` print them (with --dry-run, before anything is stored)."""

from __future__ import annotations

from django.urls import reverse

from articles.ingest import IngestResult


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
    return lines
