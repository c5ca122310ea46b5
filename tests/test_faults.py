"""Killing the ingest mid-directory loses nothing and duplicates nothing (loopback, bounded)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

from tests.conftest import DATA, REPO

PAGES = 24


def manage(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        **kwargs,
    )


def count(database, sql: str) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchone()[0]


def test_kill_9_in_the_middle_of_a_directory_then_rerun(tmp_path):
    var = tmp_path / "var"
    env = {**os.environ, "NEWSARCHIVE_VAR_DIR": str(var), "DEBUG": "true"}
    for key in ("DATABASE_URL", "WHOOSH_PATH"):
        env.pop(key, None)
    database = var / "db.sqlite3"
    issue = tmp_path / "issue"
    issue.mkdir()
    seed = (DATA / "seed_page.txt").read_text(encoding="utf-8")
    for number in range(1, PAGES + 1):
        # Each page differs a little, so none is skipped as identical to another.
        (issue / f"2024-03-12_{number:02d}.txt").write_text(
            seed.replace("近日", f"近日（{number}）", 1), encoding="utf-8"
        )
    assert manage(env, "migrate", "--noinput").returncode == 0

    ingest = subprocess.Popen(
        [sys.executable, "manage.py", "ingest", str(issue)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if database.exists() and count(database, "SELECT count(*) FROM articles_page") >= 3:
            break
        time.sleep(0.05)
    ingest.send_signal(signal.SIGKILL)
    ingest.wait()
    stored = count(database, "SELECT count(*) FROM articles_page")
    assert 3 <= stored < PAGES, "the kill must land in the middle of the directory"
    # Every stored page is whole: seven articles each, never a part of a page.
    assert count(database, "SELECT count(*) FROM articles_article") == 7 * stored

    rerun = manage(env, "ingest", str(issue))
    assert rerun.returncode == 0, rerun.stderr
    assert f"{PAGES - stored} pages ({PAGES - stored} new" in rerun.stdout
    assert f"{stored} skipped (unchanged)" in rerun.stdout
    assert count(database, "SELECT count(*) FROM articles_page") == PAGES
    assert count(database, "SELECT count(*) FROM articles_article") == 7 * PAGES
    assert count(database, "SELECT count(DISTINCT number) FROM articles_page") == PAGES

    check = manage(env, "check_index")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 drift" in check.stdout
