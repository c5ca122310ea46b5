"""Does the search index hold exactly the database's articles, each as last saved?

`index_drift` compares them: articles missing from the index, documents older than their
article (stale), and documents of articles that no longer exist (orphaned). `repair` queues
the first two through the index queue and removes the last. Both read the index's stored
fields, so `read_whole_index` reads every file first: a damaged one is reported as such
(DamagedIndexError), not as a zlib or pickle error half-way through.
"""

from __future__ import annotations

from dataclasses import dataclass

from haystack import connections
from haystack.backends.whoosh_backend import WhooshSearchBackend
from haystack.query import SearchQuerySet

from articles.index_queue import queue_article_updates
from articles.models import Article
from articles.search.engine.index_check import IndexCheck, check_index_files
from articles.search.indexing import apply_pending_updates

BATCH = 1000


@dataclass(frozen=True)
class Drift:
    missing: list[int]
    stale: list[int]
    orphaned: list[int]

    @property
    def total(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.orphaned)


def read_whole_index(using: str = "default", thorough: bool = True) -> IndexCheck | None:
    """Read every term, posting, stored field and column of a Whoosh index (or a sample of
    each file, not `thorough`), as searches read them (DamagedIndexError on the first that
    fails); None for a search cluster, which checks its own shards."""
    backend = connections[using].get_backend()
    if not isinstance(backend, WhooshSearchBackend):
        return None
    if not backend.setup_complete:
        backend.setup()
    return check_index_files(backend.index, thorough=thorough)


def indexed_versions(using: str = "default") -> dict[int, str]:
    """Every article document in the index: pk → the updated_at it was indexed with."""
    results = SearchQuerySet(using=using).models(Article).values_list("pk", "version")
    count = results.count()
    versions: dict[int, str] = {}
    for start in range(0, count, BATCH):
        for pk, version in results[start : start + BATCH]:
            versions[int(pk)] = version or ""
    return versions


def index_drift(using: str = "default") -> Drift:
    database = {
        pk: updated.isoformat() for pk, updated in Article.objects.values_list("pk", "updated_at")
    }
    index = indexed_versions(using)
    return Drift(
        missing=sorted(database.keys() - index.keys()),
        stale=sorted(pk for pk in database.keys() & index.keys() if database[pk] != index[pk]),
        orphaned=sorted(index.keys() - database.keys()),
    )


def repair(drift: Drift, using: str = "default") -> None:
    """Rewrite missing and stale documents and remove orphaned ones, through the index queue
    (which removes the document of an article that no longer exists)."""
    queue_article_updates([*drift.missing, *drift.stale, *drift.orphaned])
    apply_pending_updates(using)
