"""How much memory does one gunicorn worker hold after N searches, and how soon does it answer?

    .venv/bin/python bench/search_bench.py --n 100000 --keep /tmp/b100k   # once, to build
    .venv/bin/python bench/worker_memory.py /tmp/b100k [--queries 1000] [--threads 4]

Starts gunicorn (gunicorn.conf.py, DEBUG off, one worker with its threads, no index worker)
on a kept bench archive, times process start to the first answer, then sends the bench's
queries (corpus_archive.sample_queries, plain) to /api/search from --threads client threads and
prints the worker's memory from /proc/<pid>/smaps_rollup before and after: RSS (what `ps`
shows, counting the pages it shares with the master since the fork), PSS (shared pages
divided among the processes sharing them) and private pages (its own). Linux only.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from corpus_archive import load_corpus, record_text, sample_queries, setup_django  # noqa: E402
from search_bench import percentiles  # noqa: E402


def memory(pid: int) -> dict[str, float]:
    """MiB of the process: rss, pss, private."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()

    def field(name: str) -> float:
        return int(re.search(rf"^{name}:\s+(\d+) kB", rollup, re.MULTILINE).group(1)) / 1024

    return {
        "rss": field("Rss"),
        "pss": field("Pss"),
        "private": field("Private_Clean") + field("Private_Dirty"),
    }


def shown(figures: dict[str, float]) -> str:
    return ", ".join(f"{name} {value:.0f} MiB" for name, value in figures.items())


def queries(shared: Path, count: int, seed: int) -> list[str]:
    """The bench's sample of queries (Django set up on a throwaway folder: the sampler reads
    the index's text of each corpus article)."""
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp))
        corpus = load_corpus(shared, Path(tmp) / "corpus")
        return sample_queries(corpus, [record_text(r) for r in corpus], count, seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("var_dir", type=Path, help="a folder kept by search_bench.py --keep")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=4, help="client threads (and gunicorn's)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8798)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    options = parser.parse_args()
    var = options.var_dir.resolve()
    sample = queries(options.shared, options.queries, options.seed)

    env = {
        **os.environ,  # setup_django set the throwaway folder's paths: all replaced below
        "NEWSARCHIVE_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}",
        "WHOOSH_PATH": str(var / "whoosh_index"),
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BIND": f"127.0.0.1:{options.port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": str(options.threads),
        "SEARCH_INDEX_WORKER": "false",
        "LOG_LEVEL": "WARNING",
    }
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(var / "worker_memory.log").open("w"),
    )
    client = httpx.Client(base_url=f"http://127.0.0.1:{options.port}", timeout=60)
    try:
        while True:
            try:
                first = client.get("/api/search", params={"q": "工会"})
                break
            except httpx.TransportError:
                if server.poll() is not None:
                    sys.exit(f"gunicorn exited; see {var / 'worker_memory.log'}")
                time.sleep(0.05)
        ready = time.perf_counter() - started
        [worker] = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        before, master = memory(int(worker)), memory(server.pid)

        over_budget = []

        def search(q: str) -> float:
            sent = time.perf_counter()
            answer = client.get("/api/search", params={"q": q})
            if answer.status_code == 503:  # stopped at SEARCH_TIME_BUDGET_SECONDS
                over_budget.append(q)
            elif answer.status_code != 200:
                raise RuntimeError(f"{q!r}: HTTP {answer.status_code}")
            return time.perf_counter() - sent

        with ThreadPoolExecutor(options.threads) as pool:
            latencies = list(pool.map(search, sample))
        after = memory(int(worker))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
    p50, p95, p99 = percentiles(latencies)
    print(f"process start to first answer: {ready:.2f} s (HTTP {first.status_code})")
    print(f"master after start-up: {shown(master)}")
    print(f"worker after its first search: {shown(before)}")
    print(
        f"{len(sample)} searches from {options.threads} client threads: "
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms; "
        f"{len(over_budget)} stopped by the time budget (503)"
    )
    print(f"worker after them: {shown(after)}")


if __name__ == "__main__":
    main()
