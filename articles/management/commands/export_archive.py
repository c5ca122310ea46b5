"""Write the whole archive to a JSON-lines file (.gz compresses it)."""

from django.core.management.base import BaseCommand

from articles.archive_io import export_archive, open_archive


class Command(BaseCommand):
    help = "Export every row of every archive model, with its id, to FILE (JSON lines)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="output file; a name ending in .gz is compressed")

    def handle(self, *, file, **options):
        with open_archive(file, "w") as stream:
            counts = export_archive(stream)
        self.stdout.write(
            f"exported to {file}: " + ", ".join(f"{n} {kind}s" for kind, n in counts.items())
        )
