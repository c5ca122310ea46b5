"""Read the whole search index, then compare it with the database; --fix repairs what differs.

A damaged index (a file cut short or garbled) is reported in one line with exit 1: --fix
cannot repair it, rebuild_index can (it builds a new index beside and never reads this one).
"""

from django.core.management.base import BaseCommand, CommandError

from articles.search.consistency import index_drift, read_whole_index, repair
from articles.search.engine.index_check import DamagedIndexError

SHOWN = 10


class Command(BaseCommand):
    help = (
        "Read every file of the search index, then report articles missing from it, stale "
        "documents and orphaned ones; exit 1 when the index is damaged, or when they differ "
        "unless --fix repaired them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="repair the differences")
        parser.add_argument(
            "--sample",
            action="store_true",
            help="read a sample of each index file, as /health does, not every term and "
            "posting (seconds instead of minutes on a large index; misses damage it does "
            "not read)",
        )

    def handle(self, *, fix, sample, **options):
        try:
            read = read_whole_index(thorough=not sample)
        except DamagedIndexError as error:
            raise CommandError(
                f"the search index is damaged: {error}; --fix cannot repair it, "
                "`manage.py rebuild_index` builds a new one (README: repairing the index)"
            ) from error
        if read is not None:
            self.stdout.write(
                f"index readable: generation {read.generation}, {read.segments} segments, "
                f"{read.documents} documents"
            )
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
