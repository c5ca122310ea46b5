"""Compare the search index with the database; --fix repairs what differs."""

from django.core.management.base import BaseCommand, CommandError

from articles.search.consistency import index_drift, repair

SHOWN = 10


class Command(BaseCommand):
    help = (
        "Report articles missing from the search index, stale documents and orphaned ones; "
        "exit 1 when they differ unless --fix repaired them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="repair the differences")

    def handle(self, *, fix, **options):
        drift = index_drift()
        for label, pks in (
            ("missing", drift.missing),
            ("stale", drift.stale),
            ("orphaned", drift.orphaned),
        ):
            shown = ", ".join(map(str, pks[:SHOWN])) + (" ..." if len(pks) > SHOWN else "")
            self.stdout.write(f"{label}: {len(pks)}" + (f" ({shown})" if pks else ""))
        if not drift.total:
            self.stdout.write("index and database agree: 0 drift")
            return
        if not fix:
            raise CommandError(f"{drift.total} differences; run with --fix to repair them")
        repair(drift)
        after = index_drift()
        if after.total:
            raise CommandError(f"{after.total} differences remain after --fix")
        self.stdout.write(f"repaired {drift.total} differences: 0 drift")
