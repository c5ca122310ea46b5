"""A consistent view of the whole database for a backup, taken without blocking any writer.

A backup that reads everything inside one write transaction holds SQLite's lock for its whole
run (this project's SQLite transactions begin IMMEDIATE): logins and saves wait, then fail with
"database is locked". Instead, on SQLite the database is copied with SQLite's backup API (one
step, under a read lock, which WAL readers take without stopping writers) into a temporary
file beside it, and the export reads that copy; on PostgreSQL a REPEATABLE READ, READ ONLY
transaction is a snapshot that blocks nobody.
"""

from __future__ import annotations

import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@contextmanager
def archive_snapshot(using: str = DEFAULT_DB_ALIAS) -> Iterator[str]:
    """Yield the database alias to read a consistent archive from, inside a transaction.

    Called inside a transaction of the caller, that transaction is the snapshot: SQLite's backup
    API cannot copy a database its own connection is writing.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        yield using
    elif connection.vendor == "sqlite":
        with _sqlite_copy(using) as alias, transaction.atomic(using=alias):
            yield alias
    else:
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield using


@contextmanager
def _sqlite_copy(using: str) -> Iterator[str]:
    """A copy of the database in a temporary folder beside it (a copy is as large as the
    database, which /tmp may not hold), open under an alias of this thread only, removed
    afterwards."""
    connection = connections[using]
    connection.ensure_connection()
    folder = Path(connection.settings_dict["NAME"]).parent
    alias = f"{using}-snapshot-{uuid.uuid4().hex}"
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=folder) as copy_folder:
        path = Path(copy_folder) / "snapshot.sqlite3"
        with closing(sqlite3.connect(path)) as copy:
            connection.connection.backup(copy)  # all pages in one step: a consistent copy
        snapshot = connection.copy(alias)
        snapshot.settings_dict["NAME"] = str(path)
        connections[alias] = snapshot
        try:
            yield alias
        finally:
            snapshot.close()
            del connections[alias]
