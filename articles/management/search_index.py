"""Bringing the search index up to date at the end of a command that changed articles."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from articles.search.indexing import apply_pending_updates, pending_update_count


def apply_index_updates(command: BaseCommand, verbosity: int = 1) -> None:
    """Apply the queued index updates; the data is stored either way, so a failure says how to
    catch the index up rather than losing anything."""
    try:
        applied = apply_pending_updates()
    except Exception as error:
        raise CommandError(
            f"pages stored, but the search index was not updated ({error.__class__.__name__}: "
            f"{error}); {pending_update_count()} articles stay queued: "
            "run `python manage.py update_index` to apply them"
        ) from error
    if applied and verbosity > 0:
        command.stdout.write(f"search index: {applied} articles updated")
