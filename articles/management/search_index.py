"""Bringing the search index up to date at the end of a command that changed articles."""

from __future__ import annotations

from collections.abc import Collection

from django.core.management.base import BaseCommand, CommandError

from articles.search.indexing import apply_pending_updates, pending_update_count, still_queued


def apply_index_updates(
    command: BaseCommand, verbosity: int = 1, article_ids: Collection[int] | None = None
) -> None:
    """Apply the queued index updates; the data is stored either way, so a failure says how to
    catch the index up rather than losing anything. With `article_ids` (what the command
    queued), a failure is no failure when another writer (the index worker, a server's
    request) applied all of them meanwhile."""
    try:
        applied = apply_pending_updates()
    except Exception as error:
        if article_ids is not None and not still_queued(article_ids):
            if verbosity > 0:
                command.stdout.write(
                    f"search index: {len(article_ids)} articles updated by another writer"
                )
            return
        raise CommandError(
            f"pages stored, but the search index was not updated ({error.__class__.__name__}: "
            f"{error}); {pending_update_count()} articles stay queued: "
            "run `python manage.py update_index` to apply them"
        ) from error
    if applied and verbosity > 0:
        command.stdout.write(f"search index: {applied} articles updated")
