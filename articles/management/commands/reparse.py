"""Re-run the parser over stored source text, e.g. after a parser fix; no files needed."""

import datetime
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from articles.index_queue import deferred_index_updates
from articles.ingest import Outcome, reparse_page
from articles.management.article_moves import article_changes, article_moves
from articles.management.progress import progress
from articles.management.search_index import apply_index_updates
from articles.models import Page


class Command(BaseCommand):
    help = "Parse stored pages again; articles whose parse changed are updated, keeping their ids."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=datetime.date.fromisoformat, dest="issue_date", help="only this issue"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would change, store nothing"
        )

    def handle(self, *, issue_date, dry_run, verbosity, **options):
        pages = Page.objects.select_related("issue").order_by("issue__date", "number")
        if issue_date:
            pages = pages.filter(issue__date=issue_date)
        pages = list(pages)
        outcomes = Counter()
        with deferred_index_updates():
            for page in progress(pages, self.stderr):
                result = reparse_page(page, dry_run=dry_run)
                outcomes[result.outcome] += 1
                for mismatch in result.banner_mismatches:
                    self.stderr.write(self.style.WARNING(f"{page}: check: {mismatch}"))
                if result.outcome is Outcome.FAILED:
                    self.stderr.write(self.style.ERROR(f"{page}: {result.reason}"))
                elif result.outcome is Outcome.REPLACED:
                    would = "would be " if dry_run else ""
                    self.stdout.write(
                        f"{page}: {result.kept_articles} of {result.replaced_articles} articles "
                        f"{would}kept (same id), {result.articles} after"
                    )
                    for line in article_moves(result, dry_run) + article_changes(result, dry_run):
                        self.stdout.write(line)
        self.stdout.write(
            f"{len(pages)} pages: {outcomes[Outcome.REPLACED]} changed, "
            f"{outcomes[Outcome.UNCHANGED]} unchanged, {outcomes[Outcome.FAILED]} failed"
            + (" (dry run, nothing stored)" if dry_run else "")
        )
        apply_index_updates(self, verbosity)
        if outcomes[Outcome.FAILED]:
            raise CommandError(f"{outcomes[Outcome.FAILED]} pages failed to parse")
