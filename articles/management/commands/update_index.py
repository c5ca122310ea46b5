"""haystack's update_index, with a progress bar and the queued index updates applied after.

rebuild_index runs this command too (articles comes before haystack in INSTALLED_APPS).
"""

from haystack.management.commands import update_index as haystack_update_index

from articles.management.progress import ProgressBar
from articles.management.search_index import apply_index_updates


class Command(haystack_update_index.Command):
    help = (
        "Index the articles changed within --age/--minutes/--start (all of them by default), "
        "then apply the queued updates of articles changed since."
    )

    def handle(self, **options):
        bar = ProgressBar(self.stderr)
        do_update = haystack_update_index.do_update

        def do_update_drawing_progress(backend, index, qs, start, end, total, **kwargs):
            max_pk = do_update(backend, index, qs, start, end, total, **kwargs)
            bar.draw(end, total)
            return max_pk

        # haystack calls the module's do_update once per batch; wrap it for the duration.
        haystack_update_index.do_update = do_update_drawing_progress
        try:
            super().handle(**options)
        finally:
            haystack_update_index.do_update = do_update
        apply_index_updates(self, int(options.get("verbosity", 1)))
