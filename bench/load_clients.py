"""The load test's simulated people (bench/load_test.py runs them): readers searching, staff
uploading through the admin's two steps (waiting for the preview's background parse before
confirming), editors contending for one date, a /health poller.
Each records its requests' latencies and errors in a Recorder."""

from __future__ import annotations

import datetime
import itertools
import re
import statistics
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
# Filter values holding query syntax (issue 20): each must find nothing (200 with total 0) or
# be refused (400), well within the search time budget; one took 71 s and matched 93,940.
INJECTIONS = [
    {"org": '不存在" OR kind:"news'},
    {"org": '不存在" OR text_bigrams:* OR "x'},
    {"q": "职工", "org": '不存在" OR text_bigrams:?? OR "x'},
    {"q": "职工", "org": '不存在" OR text_bigrams:?? OR "x', "sub": "1"},
    {"reporter": '不存在" OR kind:"news'},
    {"reporter": '不存在" OR text_bigrams:* OR "x', "sub": "1"},
    {"q": '记者:"不存在" OR kind:"news'},
    {"kind": 'news" OR "photo'},
]
INJECTION_SECONDS = 5.0
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BASE = re.compile(r'name="(base_\d+)" value="([0-9a-f]*)"')
# The preview while the background job parses the pages (articles/upload_jobs.py).
PARSING = "正在后台解析版面"
POLL_SECONDS = 0.5
PREVIEW_WAIT_SECONDS = 60


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


def injection(client: httpx.Client, params: dict[str, str], recorder: Recorder) -> None:
    """One filter value holding query syntax: nothing found or refused, and quickly."""
    started = time.perf_counter()
    try:
        response = client.get("/api/search", params=params)
        error = None
        if response.status_code == 200 and response.json()["total"]:
            error = f"total {response.json()['total']} for {params}"
        elif response.status_code not in (200, 400):
            error = f"HTTP {response.status_code} for {params}"
    except httpx.HTTPError as exc:
        error = repr(exc)
    seconds = time.perf_counter() - started
    if not error and seconds > INJECTION_SECONDS:
        error = f"{seconds:.1f} s for {params}"
    recorder.record("injection api", seconds, error)


def searcher(base: str, stop: float, recorder: Recorder, seed: int) -> None:
    words = itertools.cycle(WORDS[seed % len(WORDS) :] + WORDS[: seed % len(WORDS)])
    injections = itertools.cycle(
        INJECTIONS[seed % len(INJECTIONS) :] + INJECTIONS[: seed % len(INJECTIONS)]
    )
    with httpx.Client(base_url=base, timeout=30) as client:
        while time.monotonic() < stop:
            injection(client, next(injections), recorder)
            q = next(words)
            for kind, path in (("search page", "/search/"), ("search api", "/api/search")):
                started = time.perf_counter()
                try:
                    response = client.get(path, params={"q": q})
                    error = None if response.status_code == 200 else f"HTTP {response.status_code}"
                    if not error and kind == "search api" and q == "工会":
                        error = None if response.json()["total"] else "total 0 for 工会"
                except httpx.HTTPError as exc:
                    error = repr(exc)
                recorder.record(kind, time.perf_counter() - started, error)


def page_text(date: datetime.date, marker: str = "") -> str:
    """The sample page made unique to its date (and author): a changed page, not a skipped one."""
    text = SAMPLE.read_text(encoding="utf-8")
    return text.replace("近日", f"近日（{date:%Y年%m月%d日}{marker}）", 1)


def logged_in(client: httpx.Client, username: str, password: str) -> None:
    login = client.get("/admin/login/")
    done = client.post(
        "/admin/login/?next=/admin/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": CSRF.search(login.text)[1],
        },
    )
    if done.status_code != 302:
        raise RuntimeError(f"login {username}: HTTP {done.status_code}")


def stage(client: httpx.Client, date: datetime.date, text: str) -> str:
    """Step 1 of the upload form; the preview's URL."""
    form = client.get("/admin/articles/issue/upload/")
    staged = client.post(
        "/admin/articles/issue/upload/",
        data={"issue_date": date.isoformat(), "csrfmiddlewaretoken": CSRF.search(form.text)[1]},
        files={"files": ("02.txt", text.encode(), "text/plain")},
    )
    if staged.status_code != 302:
        raise RuntimeError(f"step 1: HTTP {staged.status_code}")
    return staged.headers["location"]


def ready_preview(client: httpx.Client, url: str) -> httpx.Response:
    """The preview once its pages are parsed: polled as its page reloads itself meanwhile."""
    deadline = time.monotonic() + PREVIEW_WAIT_SECONDS
    while True:
        preview = client.get(url)
        if preview.status_code != 200:
            raise RuntimeError(f"preview: HTTP {preview.status_code}")
        if PARSING not in preview.text:
            return preview
        if time.monotonic() > deadline:
            raise RuntimeError(f"preview: still parsing after {PREVIEW_WAIT_SECONDS} s")
        time.sleep(POLL_SECONDS)


def preview_form(client: httpx.Client, url: str) -> dict[str, str]:
    """What the preview's confirm button posts: its token and what it saw of the archive."""
    preview = ready_preview(client, url)
    if 'value="确认入库"' not in preview.text:
        raise RuntimeError("preview: no confirm button")
    return {"confirm": "1", "csrfmiddlewaretoken": CSRF.search(preview.text)[1]} | dict(
        BASE.findall(preview.text)
    )


def confirm(client: httpx.Client, url: str, form: dict[str, str]) -> str:
    """'stored' or 'sent back' (to the preview, which changed meanwhile)."""
    response = client.post(url, data=form)
    location = response.headers.get("location", "")
    if response.status_code == 302 and "/change/" in location:
        return "stored"
    if response.status_code == 302 and location.rstrip("/").endswith(url.rstrip("/")):
        return "sent back"
    raise RuntimeError(f"confirm: HTTP {response.status_code} {location}")


def uploader(base: str, stop: float, recorder: Recorder, dates, done: list, password: str) -> None:
    with httpx.Client(base_url=base, timeout=60, follow_redirects=False) as client:
        logged_in(client, "loadtest", password)
        while time.monotonic() < stop:
            date = next(dates)
            started = time.perf_counter()
            try:
                url = stage(client, date, page_text(date))
                if confirm(client, url, preview_form(client, url)) != "stored":
                    raise RuntimeError("confirm of a new date sent back")
                error = None
                with recorder.lock:
                    done.append(date)
            except (httpx.HTTPError, RuntimeError, TypeError) as exc:
                error = repr(exc)
            recorder.record("upload (preview + confirm)", time.perf_counter() - started, error)


class Contest:
    """The editors' rounds: the same new date for both, and a meeting point before each step."""

    def __init__(self, editors: int, stop: float) -> None:
        self.stop = stop
        self.barrier = threading.Barrier(editors)
        self.rounds: dict[datetime.date, dict[str, str]] = {}  # date: editor -> outcome
        self.last: dict[datetime.date, str] = {}  # date: the editor whose version was stored last
        self.lock = threading.Lock()

    def date(self, n: int) -> datetime.date:
        return datetime.date(2010, 1, 1) + datetime.timedelta(days=n)


def editor(base: str, name: str, contest: Contest, recorder: Recorder, password: str) -> None:
    with httpx.Client(base_url=base, timeout=60, follow_redirects=False) as client:
        logged_in(client, name, password)
        for n in itertools.count():
            try:
                contest.barrier.wait(timeout=120)
            except threading.BrokenBarrierError:
                return
            if time.monotonic() >= contest.stop:
                contest.barrier.abort()
                return
            date = contest.date(n)
            started = time.perf_counter()
            error = None
            try:
                url = stage(client, date, page_text(date, f"·{name}"))
                form = preview_form(client, url)
                contest.barrier.wait(timeout=120)  # both have previewed: confirm together
                outcome = confirm(client, url, form)
                with contest.lock:
                    contest.rounds.setdefault(date, {})[name] = outcome
                contest.barrier.wait(timeout=120)  # both know their outcome
                if outcome == "sent back":
                    # The page it saw no longer exists as it was: look again, then decide.
                    if confirm(client, url, preview_form(client, url)) != "stored":
                        raise RuntimeError("confirm after a fresh preview sent back")
                    with contest.lock:
                        contest.last[date] = name
                elif len(contest.rounds[date]) == 2 and set(contest.rounds[date].values()) == {
                    "stored"
                }:
                    raise RuntimeError(f"{date}: both confirms stored: one replaced unseen")
                else:
                    with contest.lock:
                        contest.last.setdefault(date, name)
            except (httpx.HTTPError, RuntimeError, TypeError, threading.BrokenBarrierError) as exc:
                error = repr(exc)
                contest.barrier.abort()
            recorder.record("editors: same date at once", time.perf_counter() - started, error)
            if error:
                return


def health_poller(base: str, stop: float, recorder: Recorder) -> None:
    with httpx.Client(base_url=base, timeout=10) as client:
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                response = client.get("/health")
                error = (
                    None
                    if response.status_code == 200
                    else f"HTTP {response.status_code} {response.text}"
                )
            except httpx.HTTPError as exc:
                error = repr(exc)
            recorder.record("/health", time.perf_counter() - started, error)
            time.sleep(0.5)
