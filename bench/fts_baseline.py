"""The baselines search_bench.py measures the service against: SQLite FTS5 with its trigram
tokenizer, and a `LIKE '%q%'` scan, over the same texts (one row per article, rowid = its
position in the bench's list)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path


def build_sqlite(path: Path, texts: list[str]) -> tuple[sqlite3.Connection, float]:
    """The FTS5 and LIKE tables, built under another name and renamed once complete (so
    that --reuse never finds half a table)."""
    building = path.with_suffix(".part")
    building.unlink(missing_ok=True)
    db = sqlite3.connect(building)
    db.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, text TEXT)")
    db.execute("CREATE VIRTUAL TABLE fts USING fts5(text, tokenize='trigram')")
    db.executemany("INSERT INTO docs VALUES (?, ?)", enumerate(texts))
    db.commit()
    started = time.perf_counter()
    db.execute("INSERT INTO fts(rowid, text) SELECT id, text FROM docs")
    db.commit()
    seconds = time.perf_counter() - started
    db.close()
    building.rename(path)
    return sqlite3.connect(path), seconds


def fts_query(db: sqlite3.Connection, q: str) -> list[tuple[int]]:
    """Every hit ranked (so also the count). Trigram MATCH needs 3+ characters; shorter
    queries scan with LIKE, on the plain table: SQLite 3.40's LIKE on the trigram table finds
    nothing for two Han characters."""
    if len(q) < 3:
        return like_query(db, q)
    sql = "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank"
    return db.execute(sql, (f'"{q}"',)).fetchall()


def like_query(db: sqlite3.Connection, q: str) -> list[tuple[int]]:
    return db.execute("SELECT id FROM docs WHERE text LIKE ?", (f"%{q}%",)).fetchall()
