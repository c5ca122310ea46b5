"""Rebuilding the search index while the site serves: a new index is built beside the live one
and swapped in whole, so readers never see an empty or partial index (the backend's
`rebuild`; haystack's rebuild_index deletes the folder first)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from haystack import connections

from articles.models import Article


def rebuild_search_index(
    using: str = "default",
    batch_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Index every article afresh and swap the new index in; returns how many were indexed.

    Articles are read in batches of `batch_size` (the backend's BATCH_SIZE by default), in pk
    order, each batch once the rebuild holds the index's write lock (so a change committed
    before is in it, and one committed after is queued); `progress(done, total)` is called
    after each.
    """
    index = connections[using].get_unified_index().get_index(Article)
    backend = connections[using].get_backend()
    articles = index.index_queryset(using).order_by("pk")
    size = batch_size or backend.batch_size
    total = articles.count()

    def batches() -> Iterator[list[Article]]:
        done, last = 0, 0
        while batch := list(articles.filter(pk__gt=last)[:size]):
            yield batch
            done, last = done + len(batch), batch[-1].pk
            if progress is not None:
                progress(done, total)

    return backend.rebuild(index, batches(), total)
