"""Is the archive able to serve? The database answers and the search index can be read."""

from __future__ import annotations

import logging

from django.db import connection
from haystack.query import SearchQuerySet

from articles.models import Article, PendingIndexUpdate

logger = logging.getLogger(__name__)


def health() -> tuple[bool, dict]:
    """(healthy, details): details name each check and what it found, never raising."""
    report: dict = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
        report["articles"] = Article.objects.count()
        report["pending_index_updates"] = PendingIndexUpdate.objects.count()
    except Exception as error:
        logger.exception("health: database check failed")
        report["database"] = f"error: {error.__class__.__name__}"
        healthy = False
    try:
        report["indexed"] = SearchQuerySet().models(Article).count()
        report["search_index"] = "ok"
    except Exception as error:
        logger.exception("health: search index check failed")
        report["search_index"] = f"error: {error.__class__.__name__}"
        healthy = False
    report["status"] = "ok" if healthy else "error"
    return healthy, report
