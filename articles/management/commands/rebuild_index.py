"""rebuild_index without a moment of empty index: build a new one beside, swap it in.

haystack's rebuild_index clears the index (deleting its folder) and then fills it, so searches
found nothing meanwhile and readers holding the deleted files failed until a restart.
"""

from django.core.management.base import BaseCommand, CommandError
from whoosh.index import LockError

from articles.management.progress import ProgressBar
from articles.management.search_index import apply_index_updates
from articles.search.rebuild import rebuild_search_index


class Command(BaseCommand):
    help = (
        "Index every article into a new search index beside the live one, swap it in, "
        "then apply the updates queued meanwhile."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Accepted as haystack's rebuild_index takes it; nothing is deleted, so none asks.",
        )
        parser.add_argument("-b", "--batch-size", dest="batchsize", type=int, default=None)
        parser.add_argument("-u", "--using", default="default")

    def handle(self, *, batchsize: int | None, using: str, verbosity: int, **options) -> None:
        bar = ProgressBar(self.stderr)
        try:
            written = rebuild_search_index(using, batch_size=batchsize, progress=bar.draw)
        except LockError as error:
            raise CommandError(
                f"the search index is being written by another process ({error}); the live "
                "index is unchanged: run rebuild_index again once that write has finished"
            ) from error
        if verbosity > 0:
            self.stdout.write(f"Indexing {written} articles: done, the new index is live")
        apply_index_updates(self, verbosity)
