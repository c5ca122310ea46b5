"""Merge the union authority file (articles/parsing/data/unions.csv) into the archive."""

from django.core.management.base import BaseCommand

from articles import parsing
from articles.authority import load_authority


class Command(BaseCommand):
    help = (
        "Create or update one Organization per union of the authority file: canonical name, "
        "kind, parent, aliases. Running it again changes nothing."
    )

    def handle(self, *args, verbosity, **options):
        report = load_authority(parsing.authority())
        for conflict in report.conflicts:
            self.stderr.write(self.style.WARNING(f"conflict: {conflict}"))
        if verbosity > 1:
            for name in report.created:
                self.stdout.write(f"created: {name}")
            for name in report.updated:
                self.stdout.write(f"updated: {name}")
        self.stdout.write(
            f"{len(report.created)} created, {len(report.updated)} updated, "
            f"{report.unchanged} unchanged, {len(report.conflicts)} conflicts"
        )
