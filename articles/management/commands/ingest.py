"""Ingest page files or directories of them; each file is its own transaction."""

import datetime
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from articles.index_queue import deferred_index_updates
from articles.ingest import IngestResult, Outcome
from articles.ingest_files import ingest_file, page_files
from articles.management.article_moves import article_changes, article_moves
from articles.management.progress import progress
from articles.management.search_index import apply_index_updates


class Command(BaseCommand):
    help = (
        "Parse and store newspaper pages. Files are named YYYY-MM-DD_PP.txt (or .pdf, .jpg, .png: the printed page, beside its .txt or alone), or --date/--page "
        "say which issue and page they are. Identical pages are skipped; changed ones keep "
        "their articles' ids."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", help="page files or directories (searched recursively)"
        )
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            dest="issue_date",
            help="issue date, YYYY-MM-DD",
        )
        parser.add_argument("--page", type=int, dest="page_number", help="page number")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would change, store nothing"
        )

    def handle(self, *, paths, issue_date, page_number, dry_run, verbosity, **options):
        self.verbosity = verbosity
        files = list(page_files(paths))
        if not files:
            raise CommandError(
                "no .txt page files (nor .pdf, .jpg, .png) found in " + " ".join(paths)
            )
        if page_number is not None and len(files) > 1:
            raise CommandError("--page names one page: give it with a single file")
        results = []
        with deferred_index_updates() as queued:
            for path in progress(files, self.stderr):
                result = ingest_file(
                    path, issue_date=issue_date, page_number=page_number, dry_run=dry_run
                )
                results.append(result)
                self.report(result, dry_run)
        self.summarize(results, dry_run)
        apply_index_updates(self, verbosity, queued)
        failed = [r for r in results if r.outcome is Outcome.FAILED]
        if failed:
            raise CommandError(f"{len(failed)} of {len(results)} files failed")

    def report(self, result: IngestResult, dry_run: bool) -> None:
        would = "would be " if dry_run else ""
        match result.outcome:
            case Outcome.FAILED:
                self.stderr.write(self.style.ERROR(f"{result.source}: {result.reason}"))
            case Outcome.REPLACED:
                self.stdout.write(
                    f"{result.label}: changed, {result.kept_articles} of "
                    f"{result.replaced_articles} articles {would}kept (same id), "
                    f"{result.articles} after"
                )
            case Outcome.CREATED if dry_run or self.verbosity > 1:
                self.stdout.write(f"{result.label}: {result.articles} articles {would}added")
        for line in article_moves(result, dry_run) + article_changes(result, dry_run):
            self.stdout.write(line)
        for mismatch in result.banner_mismatches:
            self.stderr.write(self.style.WARNING(f"{result.label}: check: {mismatch}"))
        if self.verbosity > 1:
            for warning in result.warnings:
                self.stderr.write(f"{result.label}: warning: {warning}")

    def summarize(self, results: list[IngestResult], dry_run: bool) -> None:
        outcomes = Counter(r.outcome for r in results)
        stored = [r for r in results if r.outcome in (Outcome.CREATED, Outcome.REPLACED)]
        people = set().union(*(r.people for r in stored))
        organizations = set().union(*(r.organizations for r in stored))
        warnings = sum(len(r.warnings) for r in stored)
        prefix = "dry run, nothing stored: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{len(stored)} pages ({outcomes[Outcome.CREATED]} new, "
            f"{outcomes[Outcome.REPLACED]} replaced), "
            f"{sum(r.articles for r in stored)} articles, "
            f"{len(people)} reporters ({sum(r.new_people for r in stored)} new), "
            f"{len(organizations)} organizations ({sum(r.new_organizations for r in stored)} new), "
            f"{outcomes[Outcome.UNCHANGED]} skipped (unchanged), {outcomes[Outcome.FAILED]} failed"
            + (f"; {warnings} parser warnings (-v 2 lists them)" if warnings else "")
        )
