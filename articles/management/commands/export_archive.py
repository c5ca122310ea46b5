"""Write the whole archive and its accounts to a JSON-lines file (.gz compresses it)."""

from django.core.management.base import BaseCommand, CommandError

from articles.archive_io import export_archive, open_archive


class Command(BaseCommand):
    help = (
        "Export every row of every archive model, with its id, and every user and group to FILE "
        "(JSON lines), from a snapshot: staff keep working meanwhile."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="output file; a name ending in .gz is compressed")
        parser.add_argument(
            "--with-password-hashes",
            action="store_true",
            dest="password_hashes",
            help="also write the users' password hashes (keep such a file as safe as the database)",
        )

    def handle(self, *, file, password_hashes, **options):
        with open_archive(file, "w") as stream:
            result = export_archive(stream, password_hashes=password_hashes)
        self.stdout.write(
            f"exported to {file}: "
            + ", ".join(f"{n} {kind}s" for kind, n in result.counts.items())
            + f", {result.users} users, {result.groups} groups, {result.files} page files"
        )
        if not password_hashes:
            self.stderr.write(
                "password hashes left out (--with-password-hashes writes them): imported users "
                "get an unusable password; set one with `manage.py changepassword USERNAME`"
            )
        if result.missing_files:
            for name in result.missing_files:
                self.stderr.write(f"{name}: a page's file, not found in the media storage")
            raise CommandError(
                f"{len(result.missing_files)} page files were not found and are not in {file}; "
                "everything else is"
            )
