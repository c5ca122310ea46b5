"""The whole archive as JSON lines: a backup, and the way from SQLite to PostgreSQL (or back).

Every concrete field of every row of every archive model goes out (Django's own serializer,
so a new field or model needs no code here) and comes back with its id, so every article keeps
its URL. Users are referred to by username: those the archive names (uploaders, revisers) go
out too, and loading makes the ones the target database lacks. The first line counts what
follows; loading checks the counts against it, in one transaction, into an empty archive.
"""

from __future__ import annotations

import datetime
import gzip
import json
from pathlib import Path
from typing import IO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

from articles import archive_v1
from articles.models import Article, PendingIndexUpdate, RetiredArticle, Revision, Upload
from articles.search.indexing import (
    deferred_index_updates,
    index_queue_transaction,
    queue_article_updates,
)

FORMAT = "newsarchive-export/2"
USER_FIELDS = ("password", "last_login", "is_superuser", "first_name", "last_name", "email")
USER_FIELDS += ("is_staff", "is_active", "date_joined")


class ArchiveError(Exception):
    pass


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes to milliseconds; a backup keeps the microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


def archive_models() -> list[type[models.Model]]:
    """Every model of the archive, with the article-union link table; not the index queue,
    which the import fills again with every article."""
    found = apps.get_app_config("articles").get_models(include_auto_created=True)
    return [model for model in found if model is not PendingIndexUpdate]


def open_archive(path: str | Path, mode: str) -> IO[str]:
    """A text stream; a name ending in .gz is gzip-compressed."""
    if str(path).endswith(".gz"):
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")


def database_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    return {
        model._meta.model_name: model.objects.using(using).count() for model in archive_models()
    }


def _named_users(using: str):
    uploaders = Upload.objects.using(using).order_by().values("uploaded_by")
    revisers = Revision.objects.using(using).order_by().values("user")
    return (
        get_user_model()
        .objects.using(using)
        .filter(models.Q(pk__in=uploaders) | models.Q(pk__in=revisers))
        .order_by("pk")
    )


def export_archive(stream: IO[str], using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Write the archive to `stream`; returns the counts written (also its first line)."""
    with transaction.atomic(using=using):  # one consistent snapshot
        counts = database_counts(using)
        users = list(_named_users(using))
        header = {"format": FORMAT, "counts": counts, "users": len(users)}
        stream.write(json.dumps(header, ensure_ascii=False) + "\n")
        serialize = _serializer(stream)
        serialize(users, fields=["username", *USER_FIELDS], use_natural_primary_keys=True)
        for model in archive_models():
            fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
            serialize(model.objects.using(using).order_by("pk").iterator(2000), fields=fields)
    return counts


def _serializer(stream: IO[str]):
    def serialize(objects, **options) -> None:
        serializers.serialize(
            "jsonl",
            objects,
            stream=stream,
            cls=ExactJSONEncoder,
            use_natural_foreign_keys=True,
            **options,
        )

    return serialize


def import_archive(stream: IO[str], using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Load an export into an empty archive in one transaction; the counts must match."""
    header = json.loads(stream.readline() or "{}")
    if header.get("format") not in (FORMAT, archive_v1.FORMAT):
        raise ArchiveError(f"not a {FORMAT} file")
    if any(database_counts(using).values()):
        raise ArchiveError("the archive is not empty: import into a new database")
    if header["format"] == archive_v1.FORMAT:
        return _import_v1(stream, header)
    User = get_user_model()
    users = 0
    with deferred_index_updates(), index_queue_transaction(using):
        for number, line in enumerate(stream, start=2):
            try:
                for item in serializers.deserialize("jsonl", [line], using=using):
                    users += isinstance(item.object, User)
                    if isinstance(item.object, User) and item.object.pk is not None:
                        continue  # a user the database has already: linked, left as it is
                    item.save(using=using)
            except DeserializationError as error:
                raise ArchiveError(f"line {number}: {error}") from error
        counts = database_counts(using)
        if counts != header["counts"] or users != header["users"]:
            raise ArchiveError(
                f"loaded {counts} and {users} users, the file says {header['counts']} "
                f"and {header['users']} users"
            )
        _reset_sequences(using)
        _queue_everything(using)
    return counts


def _queue_everything(using: str) -> None:
    """Every imported article waits for the index of the database it went into."""
    queue_article_updates(Article.objects.using(using).values_list("pk", flat=True), using=using)


def _import_v1(stream: IO[str], header: dict) -> dict[str, int]:
    with deferred_index_updates(), index_queue_transaction():
        try:
            counts = archive_v1.load_v1(json.loads(line) for line in stream)
        except (KeyError, ValueError, TypeError) as error:
            raise ArchiveError(f"bad record: {error}") from error
        if counts != header["counts"]:
            raise ArchiveError(f"loaded {counts}, the file says {header['counts']}")
        _queue_everything(DEFAULT_DB_ALIAS)
    return counts


def _reset_sequences(using: str) -> None:
    """Rows came with their ids: new rows go on from the highest, and never take the id of a
    retired article, whose URL answers 410 or 301."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), archive_models()):
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
