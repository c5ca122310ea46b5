"""The whole archive as JSON lines: a backup, and the way from SQLite to PostgreSQL (or back).

Every concrete field of every row of every archive model goes out (Django's own serializer,
so a new field or model needs no code here) and comes back with its id, so every article keeps
its URL. The accounts go out too: every user (by username), every group (by name) with its
permissions, and who belongs to which; password hashes only when asked for. The first line
counts what follows; loading checks the counts against it, in one transaction, into an empty
archive. After the rows come the page files (each page's PDF or image) from the media storage,
which the import puts back through the storage (articles/archive_files.py).

The export reads a snapshot (articles/archive_snapshot.py), so the newsroom keeps working
while it runs; the import inserts rows in batches and queues nothing for the search index:
the command builds the index once, at the end.
"""

from __future__ import annotations

import datetime
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.serializers.base import DeserializationError, DeserializedObject
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, models, transaction

from articles import archive_v1
from articles.archive_files import (
    LINE_START,
    ArchiveFileError,
    FileLoader,
    missing_files,
    scan_file_names,
    write_files,
)
from articles.archive_load import BulkLoader, reset_sequences
from articles.archive_snapshot import archive_snapshot
from articles.models import PendingIndexUpdate

FORMAT = "newsarchive-export/4"
# Files of /3 carried no page files; files of /2 carried only the users the archive names,
# always with their password hashes.
READABLE_FORMATS = (FORMAT, "newsarchive-export/3", "newsarchive-export/2")
USER_FIELDS = ("last_login", "is_superuser", "first_name", "last_name", "email", "is_staff")
USER_FIELDS += ("is_active", "date_joined", "groups", "user_permissions")


class ArchiveError(Exception):
    pass


@dataclass(frozen=True)
class ExportResult:
    counts: dict[str, int]
    users: int
    groups: int
    password_hashes: bool
    files: int = 0
    missing_files: tuple[str, ...] = ()  # named by a page's row, not found in the storage


@dataclass(frozen=True)
class ImportResult:
    counts: dict[str, int]
    users: int  # in the file
    users_created: int  # the others existed already and were left as they are
    users_without_password: int  # created with an unusable password: the file had no hash
    groups: int
    files: int = 0  # page files in the archive
    missing_files: tuple[str, ...] = ()  # named by a page's row, in neither file nor storage


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes to milliseconds; a backup keeps the microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


def archive_models() -> list[type[models.Model]]:
    """Every model of the archive, with the article-union link table; not the index queue:
    the index is built afresh after an import."""
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


def export_archive(
    stream: IO[str], using: str = DEFAULT_DB_ALIAS, password_hashes: bool = False
) -> ExportResult:
    """Write the archive and its accounts to `stream`, from a snapshot that blocks no writer.

    Without `password_hashes` the users go out without them (a backup file then gives away
    no password hash); imported, they get an unusable password. A page file missing from the
    storage is named in the result (and the file's header); the rest goes out all the same."""
    with archive_snapshot(using) as snapshot:
        counts = database_counts(snapshot)
        users = get_user_model().objects.using(snapshot).order_by("pk")
        groups = Group.objects.using(snapshot).order_by("pk")
        names = scan_file_names(snapshot)
        missing = missing_files(names)
        present = [name for name in names if name not in missing]
        header = {
            "format": FORMAT,
            "counts": counts,
            "users": users.count(),
            "groups": groups.count(),
            "password_hashes": password_hashes,
            "files": len(present),
            "missing_files": missing,
        }
        stream.write(json.dumps(header, ensure_ascii=False) + "\n")
        serialize = _serializer(stream)
        serialize(groups, fields=["name", "permissions"], use_natural_primary_keys=True)
        user_fields = ["username", *USER_FIELDS] + (["password"] if password_hashes else [])
        serialize(users, fields=user_fields, use_natural_primary_keys=True)
        for model in archive_models():
            fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
            serialize(model.objects.using(snapshot).order_by("pk").iterator(2000), fields=fields)
        write_files(stream, present)
    return ExportResult(
        counts, header["users"], header["groups"], password_hashes, len(present), tuple(missing)
    )


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


def import_archive(stream: IO[str], using: str = DEFAULT_DB_ALIAS) -> ImportResult:
    """Load an export into an empty archive in one transaction; the counts must match.

    Groups are created, or given the file's permissions when they exist; users the database
    has already are left as they are. Page files go into the media storage (one it holds
    already is kept); when the import fails, those it saved are deleted again. Nothing is
    queued for the search index: build it afterwards (`rebuild_search_index`, as
    import_archive does)."""
    header = json.loads(stream.readline() or "{}")
    if header.get("format") not in (*READABLE_FORMATS, archive_v1.FORMAT):
        raise ArchiveError(f"not a {FORMAT} file")
    if any(database_counts(using).values()):
        raise ArchiveError("the archive is not empty: import into a new database")
    if header["format"] == archive_v1.FORMAT:
        return _import_v1(stream, header)
    with FileLoader().removed_on_failure() as files, transaction.atomic(using=using):
        accounts = _Accounts(using)
        rows = BulkLoader(using)
        for number, line in enumerate(stream, start=2):
            if line.startswith(LINE_START):
                try:
                    files.load(line)
                except ArchiveFileError as error:
                    raise ArchiveError(f"line {number}: {error}") from error
                continue
            try:
                for item in serializers.deserialize("jsonl", [line], using=using):
                    if not accounts.load(item):
                        rows.add(item.object)
            except DeserializationError as error:
                raise ArchiveError(f"line {number}: {error}") from error
        try:
            files.check_complete()
        except ArchiveFileError as error:
            raise ArchiveError(str(error)) from error
        rows.flush()
        counts = database_counts(using)
        found = (counts, accounts.users, accounts.groups, files.loaded)
        expected = (header["counts"], header["users"], header.get("groups", 0))
        expected += (header.get("files", 0),)
        if found != expected:
            raise ArchiveError(
                f"loaded {counts}, {accounts.users} users, {accounts.groups} groups and "
                f"{files.loaded} page files, the file says {expected[0]}, {expected[1]} users, "
                f"{expected[2]} groups and {expected[3]} page files"
            )
        reset_sequences(using, archive_models())
        missing = missing_files(scan_file_names(using))
    return ImportResult(
        counts,
        accounts.users,
        accounts.created,
        accounts.without_password,
        accounts.groups,
        files.loaded,
        tuple(missing),
    )


class _Accounts:
    """Users and groups are saved one by one as they come (rows after them name them), with
    their memberships and permissions; `load` says whether the item was one."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.User = get_user_model()
        self.users = self.created = self.without_password = self.groups = 0

    def load(self, item: DeserializedObject) -> bool:
        row = item.object
        if isinstance(row, Group):
            self.groups += 1
            item.save(using=self.using)  # an existing group (the 编辑 migration's) takes the file's
            return True
        if not isinstance(row, self.User):
            return False
        self.users += 1
        if row.pk is not None:
            return True  # a user the database has already: linked, left as it is
        if not row.password:
            row.set_unusable_password()
            self.without_password += 1
        item.save(using=self.using)
        self.created += 1
        return True


def _import_v1(stream: IO[str], header: dict) -> ImportResult:
    with transaction.atomic():
        try:
            counts = archive_v1.load_v1(json.loads(line) for line in stream)
        except (KeyError, ValueError, TypeError) as error:
            raise ArchiveError(f"bad record: {error}") from error
        if counts != header["counts"]:
            raise ArchiveError(f"loaded {counts}, the file says {header['counts']}")
    return ImportResult(counts, users=0, users_created=0, users_without_password=0, groups=0)
