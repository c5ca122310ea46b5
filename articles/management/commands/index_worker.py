"""Apply the search index queue as it fills, in bounded batches, until stopped."""

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.search.indexing import IndexWorker


class Command(BaseCommand):
    help = (
        "Keep the search index caught up with the database: apply queued updates in batches "
        "of SEARCH_INDEX_BATCH, looking for new ones every SEARCH_INDEX_POLL_SECONDS. For a "
        "server without gunicorn's worker threads (see README). Stop it any way: a row leaves the "
        "queue only once its document is written."
    )

    def handle(self, **options):
        worker = IndexWorker(settings.SEARCH_INDEX_BATCH, settings.SEARCH_INDEX_POLL_SECONDS)
        self.stderr.write(
            f"index worker: batches of {worker.batch_size}, polling every {worker.poll_seconds} s"
        )
        try:
            worker.run()
        except KeyboardInterrupt:
            self.stderr.write("index worker stopped")
