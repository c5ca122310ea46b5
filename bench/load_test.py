"""Load on the production path: gunicorn on loopback, readers searching, staff uploading.

    .venv/bin/python bench/load_test.py [--seconds 60] [--searchers 20] [--uploaders 4] [--workers 3]

Starts gunicorn (gunicorn.conf.py, DEBUG off) on 127.0.0.1 over a temporary SQLite database
and Whoosh index holding the sample pages. For --seconds, each searcher thread runs searches
(HTML page and JSON API, words drawn from the sample pages) and each uploader thread logs into
the admin and uploads new issues through the two-step form (one page, a new date each time).
Prints requests, errors and latency percentiles per kind, then checks that the database holds
exactly the uploaded articles and that check_index finds no drift.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import re
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample" / "2024-03-12_02.txt"
WORDS = [
    "工会",
    "职工",
    "北京市总工会",
    "疗休养",
    '"劳动模范"',
    "记者:刘欣欣",
    "工会:经开区总工会",
    "产业工人",
    "研修班",
    "亲子阅读",
    "邮政",
    "技能 -大赛",
    "新质生产力",
    "会员代表大会",
]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    def record(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors[kind].append(error)


def percentile(values: list[float], p: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def searcher(base: str, stop: float, recorder: Recorder, seed: int) -> None:
    words = itertools.cycle(WORDS[seed % len(WORDS) :] + WORDS[: seed % len(WORDS)])
    with httpx.Client(base_url=base, timeout=30) as client:
        while time.monotonic() < stop:
            q = next(words)
            for kind, path in (("search page", "/search/"), ("search api", "/api/search")):
                started = time.perf_counter()
                try:
                    response = client.get(path, params={"q": q})
                    error = None if response.status_code == 200 else f"HTTP {response.status_code}"
                except httpx.HTTPError as exc:
                    error = repr(exc)
                recorder.record(kind, time.perf_counter() - started, error)


def uploader(base: str, stop: float, recorder: Recorder, dates, done: list, password: str) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    with httpx.Client(base_url=base, timeout=60, follow_redirects=False) as client:
        login = client.get("/admin/login/")
        client.post(
            "/admin/login/?next=/admin/",
            data={
                "username": "loadtest",
                "password": password,
                "csrfmiddlewaretoken": CSRF.search(login.text)[1],
            },
        )
        while time.monotonic() < stop:
            date = next(dates)
            page = text.replace("近日", f"近日（{date:%Y年%m月%d日}）", 1).encode()
            started = time.perf_counter()
            try:
                form = client.get("/admin/articles/issue/upload/")
                staged = client.post(
                    "/admin/articles/issue/upload/",
                    data={
                        "issue_date": date.isoformat(),
                        "csrfmiddlewaretoken": CSRF.search(form.text)[1],
                    },
                    files={"files": ("02.txt", page, "text/plain")},
                )
                if staged.status_code != 302:
                    raise RuntimeError(f"step 1: HTTP {staged.status_code}")
                preview = client.get(staged.headers["location"])
                confirmed = client.post(
                    staged.headers["location"],
                    data={"confirm": "1", "csrfmiddlewaretoken": CSRF.search(preview.text)[1]},
                )
                if confirmed.status_code != 302 or "/change/" not in confirmed.headers["location"]:
                    raise RuntimeError(f"confirm: HTTP {confirmed.status_code}")
                error = None
                with recorder.lock:
                    done.append(date)
            except (httpx.HTTPError, RuntimeError, TypeError) as exc:
                error = repr(exc)
            recorder.record("upload (preview + confirm)", time.perf_counter() - started, error)


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    arguments.add_argument("--seconds", type=int, default=60)
    arguments.add_argument("--searchers", type=int, default=20)
    arguments.add_argument("--uploaders", type=int, default=4)
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

    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")
    manage("ingest", str(SAMPLE))
    manage("createsuperuser", "--noinput", "--username", "loadtest", "--email", "load@example.org")
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
        stderr=subprocess.PIPE,
        text=True,
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
        stop = time.monotonic() + options.seconds
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
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        time.sleep(1)  # the last confirm's index write happens after its response
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(
        f"gunicorn {options.workers} workers, {options.searchers} searchers + {options.uploaders} uploaders, {elapsed:.0f} s, SQLite + Whoosh"
    )
    print(
        f"{'kind':<28}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    )
    for kind, values in sorted(recorder.latencies.items()):
        ms = [v * 1000 for v in values]
        print(
            f"{kind:<28}{len(values):>9}{len(recorder.errors[kind]):>8}{len(values) / elapsed:>8.1f}"
            f"{percentile(ms, 50):>9.0f}{percentile(ms, 95):>9.0f}{percentile(ms, 99):>9.0f}"
        )
    for kind, errors in recorder.errors.items():
        for error in errors[:3]:
            print(f"  error ({kind}): {error}")
    expected = 7 * (1 + len(uploaded))
    with sqlite3.connect(var / "db.sqlite3") as database:
        counted = database.execute("SELECT count(*) FROM articles_article").fetchone()[0]
    print(
        f"issues uploaded: {len(uploaded)}; articles expected {expected}, in the database {counted}"
    )
    check = subprocess.run(
        [sys.executable, "manage.py", "check_index"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    print("check_index: " + check.stdout.strip().replace("\n", "; "))
    shutil.rmtree(var, ignore_errors=True)
    failed = sum(map(len, recorder.errors.values())) or counted != expected or check.returncode
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
