"""Load an export_archive file into an empty database, verify the counts, then index it."""

from django.core.management.base import BaseCommand, CommandError

from articles.archive_io import ArchiveError, import_archive, open_archive
from articles.management.search_index import apply_index_updates


class Command(BaseCommand):
    help = "Import FILE (from export_archive) into an empty archive, in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *, file, verbosity, **options):
        try:
            with open_archive(file, "r") as stream:
                counts = import_archive(stream)
        except (ArchiveError, OSError) as error:
            raise CommandError(f"{file}: {error}; nothing was imported") from error
        self.stdout.write(
            "imported and verified: " + ", ".join(f"{n} {kind}s" for kind, n in counts.items())
        )
        apply_index_updates(self, verbosity)
