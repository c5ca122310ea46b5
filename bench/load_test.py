"""Load on the production path: gunicorn on loopback, readers searching, staff uploading and
contending, the index rebuilt underneath, a health poller.

    .venv/bin/python bench/load_test.py [--seconds 60] [--pages 150] [--searchers 20]
        [--uploaders 4] [--editors 2] [--workers 3]

Starts gunicorn (gunicorn.conf.py, DEBUG off, so each worker runs its index worker thread) on
127.0.0.1 over a temporary SQLite database and Whoosh index holding --pages variants of the
sample page (7 articles each: 150 pages are 1,050 articles). For --seconds:
- each searcher thread runs searches (HTML page and JSON API); `工会` is on every page, so a
  JSON answer with total 0 counts as an error (an index seen empty or partial); and filters
  whose values hold query syntax (`org=不存在" OR kind:"news`, kind "injection api"): any
  match, a status other than 200/400 or an answer slower than INJECTION_SECONDS is an error;
- each uploader logs into the admin and uploads new issues through the two-step form, polling
  the preview until the background parse of its pages is done, then confirming;
- the editors, in rounds, stage their own version of the same new date, wait for its preview,
  and confirm at the same moment: one must be stored and the other sent back to a fresh preview
  (never a silent replace, never a 500), which it confirms again, replacing the page knowingly;
- one `manage.py rebuild_index` runs a third of the way in, and one `manage.py export_archive`
  (a backup, which must block no writer) two thirds of the way in; the backup's file must hold
  every article the archive had when it began (at least the pages ingested at the start);
- a poller reads /health twice a second (anything but 200 is an error).
Prints requests, errors and latency percentiles per kind, then checks that the database holds
exactly the expected pages and articles (none lost, none doubled, each contested page the last
confirmed version) and that check_index finds no drift once the index queue is empty.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import itertools
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from load_clients import (
    REPO,
    Contest,
    Recorder,
    editor,
    health_poller,
    page_text,
    percentile,
    searcher,
    uploader,
)


def rebuilder(env: dict, at: float, recorder: Recorder) -> None:
    time.sleep(max(0.0, at - time.monotonic()))
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", "rebuild_index", "--noinput"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    error = None if result.returncode == 0 else (result.stderr.strip().splitlines() or ["?"])[-1]
    recorder.record("rebuild_index", time.perf_counter() - started, error)


# Articles on each page the archive and the uploads hold (variants of the sample page).
ARTICLES_PER_PAGE = 7


def backer_up(env: dict, at: float, recorder: Recorder, least_articles: int) -> None:
    time.sleep(max(0.0, at - time.monotonic()))
    backup = Path(env["NEWSARCHIVE_VAR_DIR"]) / "backup.jsonl.gz"
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", "export_archive", str(backup)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    error = None if result.returncode == 0 else (result.stderr.strip().splitlines() or ["?"])[-1]
    if error is None:
        with gzip.open(backup, "rt", encoding="utf-8") as lines:
            counts = json.loads(next(lines)).get("counts", {})
        if counts.get("article", 0) < least_articles:
            error = f"the backup holds {counts.get('article')} articles, not {least_articles}"
    recorder.record("export_archive", time.perf_counter() - started, error)


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    arguments.add_argument("--seconds", type=int, default=60)
    arguments.add_argument("--pages", type=int, default=150, help="pages in the archive at start")
    arguments.add_argument("--searchers", type=int, default=20)
    arguments.add_argument("--uploaders", type=int, default=4)
    arguments.add_argument("--editors", type=int, default=2)
    arguments.add_argument("--workers", type=int, default=3)
    arguments.add_argument("--port", type=int, default=8799)
    options = arguments.parse_args()

    var = Path(tempfile.mkdtemp(prefix="newsarchive-load-"))
    password = secrets.token_urlsafe(16)
    env = {
        **os.environ,
        "NEWSARCHIVE_VAR_DIR": str(var),
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BIND": f"127.0.0.1:{options.port}",
        "WEB_CONCURRENCY": str(options.workers),
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "text",
        "DJANGO_SUPERUSER_PASSWORD": password,
    }
    for key in ("DATABASE_URL", "WHOOSH_PATH"):
        env.pop(key, None)

    def manage(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    pages = var / "pages"
    pages.mkdir()
    for n in range(options.pages):
        date = datetime.date(1990, 1, 1) + datetime.timedelta(days=n)
        (pages / f"{date.isoformat()}_02.txt").write_text(page_text(date), encoding="utf-8")
    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")
    built = time.perf_counter()
    manage("ingest", str(pages))
    print(f"archive: {options.pages} pages ingested in {time.perf_counter() - built:.0f} s")
    editors = [f"editor{n}" for n in range(1, options.editors + 1)]
    for username in ["loadtest", *editors]:
        manage("createsuperuser", "--noinput", "--username", username, "--email", "x@example.org")
    server = subprocess.Popen(
        [
            str(REPO / ".venv" / "bin" / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        # A file, not a pipe nobody reads: a full pipe would block the server's logging.
        stderr=(var / "gunicorn.log").open("w"),
    )
    base = f"http://127.0.0.1:{options.port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        recorder = Recorder()
        uploaded: list[datetime.date] = []
        day = itertools.count()
        lock = threading.Lock()

        def dates():
            while True:
                with lock:
                    n = next(day)
                yield datetime.date(2000, 1, 1) + datetime.timedelta(days=n)

        shared_dates = dates()
        started = time.monotonic()
        stop = started + options.seconds
        contest = Contest(len(editors), stop)
        threads = [
            threading.Thread(target=searcher, args=(base, stop, recorder, i))
            for i in range(options.searchers)
        ]
        threads += [
            threading.Thread(
                target=uploader, args=(base, stop, recorder, shared_dates, uploaded, password)
            )
            for _ in range(options.uploaders)
        ]
        threads += [
            threading.Thread(target=editor, args=(base, name, contest, recorder, password))
            for name in editors
        ]
        threads.append(threading.Thread(target=health_poller, args=(base, stop, recorder)))
        threads.append(
            threading.Thread(target=rebuilder, args=(env, started + options.seconds / 3, recorder))
        )
        at = started + options.seconds * 2 / 3
        least = options.pages * ARTICLES_PER_PAGE
        threads.append(threading.Thread(target=backer_up, args=(env, at, recorder, least)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        caught_up = wait_for_the_index_queue(var / "db.sqlite3")
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(
        f"gunicorn {options.workers} workers; {options.searchers} searchers, {options.uploaders} "
        f"uploaders, {len(editors)} editors on the same dates, 1 rebuild_index, 1 export_archive, a /health "
        f"poller; {elapsed:.0f} s; SQLite + Whoosh"
    )
    print(f"| {'kind':<28} | requests | errors | req/s | p50 ms | p95 ms | p99 ms |")
    for kind, values in sorted(recorder.latencies.items()):
        ms = [v * 1000 for v in values]
        print(
            f"| {kind:<28} | {len(values):>8} | {len(recorder.errors[kind]):>6} "
            f"| {len(values) / elapsed:>5.1f} | {percentile(ms, 50):>6.0f} "
            f"| {percentile(ms, 95):>6.0f} | {percentile(ms, 99):>6.0f} |"
        )
    for kind, errors in recorder.errors.items():
        for error in errors[:3]:
            print(f"  error ({kind}, {len(errors)} in all): {error[:300]}")
    logged = (var / "gunicorn.log").read_text(encoding="utf-8", errors="replace").splitlines()
    warnings = [
        line
        for line in logged
        if (" WARNING " in line or " ERROR " in line)
        # The injections' refusals, which the searchers counted (any other 400 is their error).
        and "Bad Request: /api/search" not in line
    ]
    print(f"server log: {len(warnings)} warnings or errors")
    for line in warnings[:5]:
        print("  " + line[:300])
    if os.environ.get("LOAD_TEST_KEEP_LOG"):
        shutil.copy(var / "gunicorn.log", os.environ["LOAD_TEST_KEEP_LOG"])
    problems = check_archive(var / "db.sqlite3", options.pages, uploaded, contest)
    for problem in problems:
        print("  " + problem)
    print(f"index queue empty after the run: {caught_up}")
    check = subprocess.run(
        [sys.executable, "manage.py", "check_index"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    print("check_index: " + (check.stdout + check.stderr).strip().replace("\n", "; "))
    shutil.rmtree(var, ignore_errors=True)
    failed = sum(map(len, recorder.errors.values())) or problems or check.returncode
    sys.exit(1 if failed or not caught_up else 0)


def wait_for_the_index_queue(database_path: Path, seconds: float = 120) -> bool:
    """The index workers apply the last confirms' updates after their responses."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with sqlite3.connect(database_path) as database:
            queued = database.execute("SELECT count(*) FROM articles_pendingindexupdate")
            if not queued.fetchone()[0]:
                return True
        time.sleep(0.5)
    return False


def check_archive(
    database_path: Path, initial: int, uploaded: list[datetime.date], contest: Contest
) -> list[str]:
    """Every page the run stored is there once, the contested ones in their last version."""
    with sqlite3.connect(database_path) as database:
        articles = database.execute("SELECT count(*) FROM articles_article").fetchone()[0]
        pages = dict(
            database.execute(
                "SELECT i.date, p.source_text FROM articles_page p "
                "JOIN articles_issue i ON i.id = p.issue_id"
            ).fetchall()
        )
    expected = initial + len(uploaded) + len(contest.last)
    print(
        f"pages: {initial} at start + {len(uploaded)} uploaded + {len(contest.last)} contested "
        f"dates = {expected} expected, {len(pages)} stored; articles {ARTICLES_PER_PAGE * expected} expected, "
        f"{articles} stored"
    )
    problems = []
    if len(pages) != expected or articles != ARTICLES_PER_PAGE * expected:
        problems.append("pages or articles lost or doubled")
    problems += [f"{date}: uploaded page missing" for date in uploaded if str(date) not in pages]
    for date, name in sorted(contest.last.items()):
        if f"·{name}）" not in pages.get(str(date), ""):
            problems.append(f"{date}: the stored page is not {name}'s, confirmed last")
    return problems


if __name__ == "__main__":
    main()
