"""Load an export_archive file into an empty database, verify the counts, then build the search
index once."""

from django.core.management.base import BaseCommand, CommandError
from whoosh.index import LockError

from articles.archive_io import ArchiveError, import_archive, open_archive
from articles.management.progress import ProgressBar
from articles.search.rebuild import rebuild_search_index


class Command(BaseCommand):
    help = (
        "Import FILE (from export_archive) into an empty archive, in one transaction, then "
        "build the search index."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *, file, verbosity, **options):
        try:
            with open_archive(file, "r") as stream:
                result = import_archive(stream)
        except (ArchiveError, OSError) as error:
            raise CommandError(f"{file}: {error}; nothing was imported") from error
        self.stdout.write(
            "imported and verified: "
            + ", ".join(f"{n} {kind}s" for kind, n in result.counts.items())
            + f", {result.users} users ({result.users_created} created), {result.groups} groups"
            + f", {result.files} page files"
        )
        for name in result.missing_files:
            self.stderr.write(
                f"{name}: a page's file, in neither the archive nor the media storage; "
                "its page image cannot be shown until the page's PDF or image is uploaded again"
            )
        if result.users_without_password:
            self.stderr.write(
                f"{result.users_without_password} users came without a password hash and "
                "cannot log in until one is set: `manage.py changepassword USERNAME`"
            )
        try:
            indexed = rebuild_search_index(progress=ProgressBar(self.stderr).draw)
        except LockError as error:
            raise CommandError(
                f"the archive is imported, but the search index was not built ({error}): "
                "run `manage.py rebuild_index` once the other index writer has finished"
            ) from error
        if verbosity > 0:
            self.stdout.write(f"search index: {indexed} articles indexed")
