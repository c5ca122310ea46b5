"""Is the archive able to serve? The database answers and the search index holds its articles.

Cheap enough to poll (a few milliseconds at 100k articles): counts from the database and the
index's own document count, never a search, once each segment of the index has been read as
searches read it (index_check.py; a segment is read once, and again only if its files change).
An index that cannot be read (damaged), that is empty while articles exist, whose queue has
waited longer than SEARCH_INDEX_STALE_SECONDS, or that holds a different number of documents
than the queue explains, is not healthy.
"""

from __future__ import annotations

import datetime
import functools
import logging

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from elasticsearch import TransportError
from haystack import connections
from haystack.backends.whoosh_backend import WhooshSearchBackend
from haystack.exceptions import SearchBackendError
from haystack.query import SearchQuerySet
from opensearchpy import TransportError as ClusterTransportError
from whoosh.index import IndexError as WhooshIndexError

from articles.models import Article, PendingIndexUpdate
from articles.search.engine.index_check import DamagedIndexError, IndexVerifier

logger = logging.getLogger(__name__)


def indexed_document_count(using: str = "default") -> int:
    """How many documents the index holds, once it has read as searches read it. Whoosh: the
    segments of the latest table of contents, each opened and sampled (terms, postings,
    stored fields, columns) the first time it is seen, then only counted; a search cluster
    counts cheaply on its own. DamagedIndexError when a file cannot be read."""
    backend = connections[using].get_backend()
    if isinstance(backend, WhooshSearchBackend):
        if not backend.setup_complete:
            backend.setup()
        return index_verifier().check(backend.index).documents
    return SearchQuerySet(using=using).models(Article).count()


@functools.cache
def index_verifier() -> IndexVerifier:
    """The process's memory of the segments that read well."""
    return IndexVerifier()


def health(now: datetime.datetime | None = None) -> tuple[bool, dict]:
    """(healthy, details): details name each check and what it found, never raising for what
    a broken database or index raises."""
    report: dict = {}
    try:
        articles = Article.objects.count()
        queue = PendingIndexUpdate.objects.order_by("pk")
        oldest = queue.values_list("queued_at", flat=True).first()
        report.update(database="ok", articles=articles, pending_index_updates=queue.count())
    except DatabaseError as error:
        logger.exception("health: database check failed")
        report.update(database=f"error: {error.__class__.__name__}", status="error")
        return False, report
    try:
        report["indexed"] = indexed_document_count()
        report["search_index"] = "ok"
        cluster_status = getattr(connections["default"].get_backend(), "cluster_status", None)
        if cluster_status is not None:  # green, yellow (a node down: replicas serve) or red
            report["search_cluster"] = cluster_status()
    except DamagedIndexError as error:
        logger.error("health: search index damaged: %s", error)
        report.update(search_index=f"damaged: {error}", status="damaged")
        return False, report
    except (
        OSError,
        WhooshIndexError,
        SearchBackendError,
        TransportError,
        ClusterTransportError,
    ) as error:
        # An unreadable index folder, a damaged or foreign index, an unreachable cluster.
        logger.exception("health: search index check failed")
        report.update(search_index=f"error: {error.__class__.__name__}", status="error")
        return False, report
    waited = ((now or timezone.now()) - oldest).total_seconds() if oldest else 0.0
    report["index_lag_seconds"] = round(waited, 1)
    report["status"] = _index_status(report, waited)
    if report["status"] == "ok" and report.get("search_cluster", "green") != "green":
        report["status"] = report["search_cluster"]
    return report["status"] in ("ok", "yellow"), report


def _index_status(report: dict, waited: float) -> str:
    if not report["indexed"] and report["articles"] > report["pending_index_updates"]:
        return "empty"  # not a new archive whose first articles are still queued
    if waited > settings.SEARCH_INDEX_STALE_SECONDS:
        return "stale"
    # Every queued row may add or remove one document; beyond that, the index has drifted.
    if abs(report["articles"] - report["indexed"]) > report["pending_index_updates"]:
        return "stale"
    return "ok"


def public_health(report: dict) -> dict:
    """What anyone may see: only the verdict; the figures are for staff."""
    return {"status": report["status"]}
