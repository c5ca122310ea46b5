"""Writing an archive's rows in bulk: a 100k-article import inserts batches of rows, not one
row (and one index update) at a time."""

from __future__ import annotations

from collections import defaultdict

from django.core.management.color import no_style
from django.db import connections, models

from articles.models import Article, RetiredArticle

BATCH_SIZE = 2000  # rows held per model before they are inserted


class BulkLoader:
    """Collects deserialized rows per model and inserts them in multi-row INSERTs.

    The rows go in as they were exported, ids and timestamps included: the insert is raw, as
    the deserializer's own save(raw=True) is, so auto_now fields and save() overrides
    (which only derive fields the export carries) do not touch them. The caller's transaction
    holds them; foreign keys are checked at its commit (Django makes them DEFERRABLE
    INITIALLY DEFERRED), so the order the models come in does not matter.
    """

    def __init__(self, using: str, batch_size: int = BATCH_SIZE) -> None:
        self.using = using
        self.batch_size = batch_size
        self.waiting: dict[type[models.Model], list[models.Model]] = defaultdict(list)

    def add(self, row: models.Model) -> None:
        rows = self.waiting[type(row)]
        rows.append(row)
        if len(rows) >= self.batch_size:
            self._insert(type(row), rows)
            rows.clear()

    def flush(self) -> None:
        for model, rows in self.waiting.items():
            self._insert(model, rows)
        self.waiting.clear()

    def _insert(self, model: type[models.Model], rows: list[models.Model]) -> None:
        fields = model._meta.local_concrete_fields
        size = max(connections[self.using].ops.bulk_batch_size(fields, rows), 1)
        manager = model._base_manager.using(self.using)
        for start in range(0, len(rows), size):
            # QuerySet._insert is the call Model.save_base() makes; raw keeps the values as given.
            manager._insert(rows[start : start + size], fields=fields, raw=True, using=self.using)


def reset_sequences(using: str, loaded: list[type[models.Model]]) -> None:
    """Rows came with their ids: new rows go on from the highest, and never take the id of a
    retired article, whose URL answers 410 or 301."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), loaded):
            cursor.execute(sql)
        highest_retired = max(
            RetiredArticle.objects.using(using).values_list("article_id", flat=True), default=0
        )
        table = Article._meta.db_table
        if connection.vendor == "sqlite":
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s",
                [highest_retired, table],
            )
        elif connection.vendor == "postgresql" and highest_retired:
            quoted = connection.ops.quote_name(table)  # a model's table name, not user input
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608
                f"GREATEST(%s, (SELECT COALESCE(MAX(id), 1) FROM {quoted})))",
                [table, highest_retired],
            )
