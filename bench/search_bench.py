"""How fast and how exact is search through the service, against SQLite FTS5 trigram and LIKE?

Builds a throwaway archive (SQLite database and Whoosh index in a temporary directory, through
NEWSARCHIVE_VAR_DIR) of N corpus articles as real Issue/Page/Article rows, the corpus repeated
with dates shifted by 400 days per copy to reach N (corpus_archive.py). The index is built by `rebuild_index`, the
production path, and queried with `search_articles`. The same texts go into an FTS5 trigram
table and a plain table for `LIKE '%q%'`. Truth is the substring over kicker, headline,
subheadline and body (article_text, one field per line).

    .venv/bin/python bench/search_bench.py --n 10000
    .venv/bin/python bench/search_bench.py --n 100000 --like-queries 100
    .venv/bin/python bench/search_bench.py --n 10000 --engine opensearch   # a running cluster
    .venv/bin/python bench/search_bench.py --n 1000000 --queries 500 --like-queries 30 --keep DIR
    .venv/bin/python bench/search_bench.py --reuse DIR --queries 500   # queries again, no build

Searches with filters only (a union, a reporter, a year, a union in a year) are timed apart.
The service's time budget is lifted (SEARCH_TIME_BUDGET_SECONDS, 600 s) so that every query is
measured; the report counts those that would have run past the default 5 s.

The corpus comes from ../shared/corpus/make_pages.py (--shared to point elsewhere); nothing of it
is kept unless --keep names a folder for the database and index.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from corpus_archive import (
    COPY_SHIFT_DAYS,
    REPO,
    create_rows,
    filter_params,
    load_corpus,
    rebuild_index,
    record_text,
    sample_queries,
    setup_django,
)
from fts_baseline import build_sqlite, fts_query, like_query

# --- engines --------------------------------------------------------------------------------


def service_query(text: str):
    from articles.search.service import SearchParams, search_articles

    return search_articles(SearchParams(q=text))


class IndexHits:
    """All hits of a query, as the service asks the backend for them (a page shows 20)."""

    def __init__(self) -> None:
        from haystack import connections

        self.backend = connections["default"].get_backend()
        self.backend.index = self.backend.index.refresh()
        self.searcher = self.backend.index.searcher()
        self.pk_of = {
            docnum: int(fields["django_id"])
            for docnum, fields in self.searcher.reader().iter_docs()
        }

    def __call__(self, text: str) -> set[int]:
        from articles.search.engine.query import parse_query
        from articles.search.service import SearchParams, search_queryset

        # search_queryset: the very SearchQuerySet search_articles runs.
        string = search_queryset(parse_query(text), SearchParams(q=text)).query.build_query()
        parsed = self.backend.parser.parse(string)
        return {self.pk_of[docnum] for docnum in self.searcher.docs_for_query(parsed)}

    def close(self) -> None:
        self.searcher.close()


# --- measuring ------------------------------------------------------------------------------


def timed(run: Callable[[str], object], queries: list[str]) -> tuple[list[float], list]:
    latencies, results = [], []
    for q in queries:
        started = time.perf_counter()
        results.append(run(q))
        latencies.append(time.perf_counter() - started)
    return latencies, results


def baseline_rows(db, queries, like_count, truth, n, fts_seconds) -> tuple[list, list[float]]:
    """FTS5 trigram (all queries, then those of 3+ characters) and the LIKE scan of the first
    like_count, each scored against truth(k, positions); the rows and LIKE's latencies."""
    positions = list(range(n))

    def scored(results: list) -> Quality:
        quality = Quality()
        for k, found in enumerate(results):
            quality.add({rowid for (rowid,) in found}, truth(k, positions))
        return quality

    fts_latencies, fts_results = timed(lambda q: fts_query(db, q), queries)
    short = sum(len(q) < 3 for q in queries)
    long_queries = [k for k, q in enumerate(queries) if len(q) >= 3]
    like_latencies, like_results = timed(lambda q: like_query(db, q), queries[:like_count])
    rows = [
        (
            "fts5 trigram",
            n / fts_seconds if fts_seconds else None,
            fts_latencies,
            scored(fts_results),
            f"{short} of 2 chars: LIKE",
        ),
        (
            "fts5 trigram, 3+ chars",
            None,
            [fts_latencies[k] for k in long_queries],
            None,
            f"{len(long_queries)} queries",
        ),
        ("LIKE scan", None, like_latencies, scored(like_results), f"{like_count} queries"),
    ]
    return rows, like_latencies


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


class Quality:
    """Recall and precision summed over queries, against the substring truth."""

    def __init__(self) -> None:
        self.found = self.relevant = self.returned = self.missing = 0

    def add(self, hits: set[int], truth: set[int]) -> None:
        self.found += len(hits & truth)
        self.relevant += len(truth)
        self.returned += len(hits)
        self.missing += bool(truth - hits)

    def __str__(self) -> str:
        recall = self.found / self.relevant if self.relevant else 1.0
        precision = self.found / self.returned if self.returned else 1.0
        return f"{recall:8.3%} {precision:9.3%} {self.missing:5d}"


def peak_rss_mib() -> float:
    """This process's peak resident memory. VmHWM, where Linux has it: a child's ru_maxrss
    starts from its parent's peak at fork, which would credit the build to a fresh searcher."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1)) / 1024


def first_query(var_dir: Path, query: str, warm: bool) -> dict:
    """A fresh interpreter: Django set up, warm_up() (as wsgi.py) or not, then one search."""
    command = [sys.executable, __file__, "--first-query", str(var_dir), query]
    if warm:
        command.append("--warm")
    started = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode:
        sys.exit(f"first query failed:\n{run.stderr}")
    result = json.loads(run.stdout)
    result["process_s"] = time.perf_counter() - started
    return result


def run_first_query(var_dir: str, query: str, warm: bool) -> None:
    started = time.perf_counter()
    setup_django(Path(var_dir))
    from articles.warmup import warm_up  # what newsarchive/wsgi.py runs at start-up

    set_up = time.perf_counter()
    if warm:
        warm_up()
    warmed = time.perf_counter()
    total = service_query(query).total
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "setup_s": set_up - started,
                "warm_up_s": warmed - set_up,
                "query_s": done - warmed,
                "total": total,
                "rss_mib": peak_rss_mib(),
            }
        )
    )


def read_into_page_cache(paths: list[Path]) -> float:
    """Read each file (and each file of each folder) once, so that the service and the
    baselines are timed with their files in the page cache alike: a kept archive's files may
    have been evicted since, FTS5's p95 at 100,000 was 4.4 ms read first and 20.2 ms not.
    Returns the MiB read."""
    read = 0
    for path in paths:
        for file in sorted(path.iterdir()) if path.is_dir() else [path]:
            if file.is_file():
                with file.open("rb") as data:
                    while chunk := data.read(2**24):
                        read += len(chunk)
    return read / 2**20


def directory_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


# --- report ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles to index")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--like-queries", type=int, help="LIKE is slow at 100k (default: all)")
    parser.add_argument(
        "--batch-size", type=int, help="update_index --batch-size (default: the backend's)"
    )
    parser.add_argument(
        "--engine",
        choices=("whoosh", "opensearch"),
        default="whoosh",
        help="opensearch: the cluster of deploy/search-cluster, started beforehand",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--keep", metavar="DIR", help="build in DIR (new) and keep it")
    parser.add_argument(
        "--reuse", metavar="DIR", help="query an archive kept by --keep again, without building"
    )
    parser.add_argument(
        "--no-quality", action="store_true", help="time the service only; skip its recall check"
    )
    parser.add_argument(
        "--no-baselines", action="store_true", help="skip FTS5 and LIKE (with --reuse: seen before)"
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="time without reading the index, database and FTS5 files into the page cache first",
    )
    parser.add_argument(
        "--first-query", nargs=2, metavar=("VAR_DIR", "QUERY"), help=argparse.SUPPRESS
    )
    parser.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_query:
        run_first_query(*args.first_query, warm=args.warm)
        return

    cluster = args.engine == "opensearch"
    if cluster:
        import cluster_engine

        cluster_engine.configure()  # before settings are read, also by the first-query runs
    os.environ.setdefault("SEARCH_TIME_BUDGET_SECONDS", "600")  # measure, never stop, a query
    with tempfile.TemporaryDirectory() as tmp:
        if args.reuse:
            var_dir = Path(args.reuse)
            if not (var_dir / "db.sqlite3").is_file():
                sys.exit(f"{var_dir}: no archive kept by --keep here")
        else:
            var_dir = Path(args.keep) if args.keep else Path(tmp) / "var"
            var_dir.mkdir(parents=True)
        setup_django(var_dir)
        from django.core.management import call_command

        from articles.models import Article, Issue
        from articles.warmup import warm_up  # what newsarchive/wsgi.py runs at start-up

        corpus = load_corpus(args.shared, Path(tmp) / "corpus")
        base_texts = [record_text(record) for record in corpus]
        queries = sample_queries(corpus, base_texts, args.queries, args.seed)
        rows_seconds = build_seconds = None
        rows_rss = build_rss = worker_rss = 0.0
        if args.reuse:
            pks = list(Article.objects.order_by("pk").values_list("pk", flat=True))
            args.n = len(pks)
        else:
            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            pks = create_rows(corpus, args.n)
            rows_seconds = time.perf_counter() - started
            rows_rss = peak_rss_mib()
            build_seconds = rebuild_index(args.batch_size)
            build_rss = peak_rss_mib()
            # The index workers are this process's only children yet (the corpus script is small).
            worker_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if cluster:
            index_mib = cluster_engine.index_mib()
        else:
            index_mib = directory_mib(var_dir / "whoosh_index")
        texts = [base_texts[i % len(corpus)] for i in range(args.n)]
        fts_path = (var_dir if args.keep or args.reuse else Path(tmp)) / "fts.sqlite3"
        db = fts_seconds = None
        if args.reuse and fts_path.is_file() and not args.no_baselines:  # kept complete
            db = sqlite3.connect(fts_path)
        elif not args.no_baselines:
            db, fts_seconds = build_sqlite(fts_path, texts)
        db_mib = fts_path.stat().st_size / 2**20 if db else 0.0
        files = [var_dir / "whoosh_index", var_dir / "db.sqlite3", *([fts_path] if db else [])]
        primed_mib = 0.0 if args.cold else read_into_page_cache([f for f in files if f.exists()])
        years = Issue.objects.dates("date", "year")
        filters = filter_params(corpus, list(years), args.queries // 2, args.seed)

        # Truth on one copy of the corpus; every copy of a matching article matches.
        base_truth = [[j for j, text in enumerate(base_texts) if q in text] for q in queries]
        copies = range(-(-args.n // len(corpus)))

        def truth(k: int, ids: list[int] | None = None) -> set[int]:
            ids = ids if ids is not None else pks
            return {
                ids[c * len(corpus) + j]
                for c in copies
                for j in base_truth[k]
                if c * len(corpus) + j < args.n
            }

        from articles.search.service import search_articles

        warm_up()
        rows = []
        all_hits = None
        if not args.no_quality:
            all_hits = cluster_engine.ClusterHits() if cluster else IndexHits()
        for label, quote in (("plain", "{}"), ("quoted", '"{}"')):
            typed = [quote.format(q) for q in queries]
            latencies, pages = timed(service_query, typed)
            quality = Quality() if all_hits else None
            wrong_totals = 0
            for k, text in enumerate(typed if all_hits else ()):
                hits = all_hits(text)
                wrong_totals += pages[k].total != len(hits)
                quality.add(hits, truth(k))
            note = f"totals differing from hits: {wrong_totals}" if wrong_totals else ""
            note = note if all_hits else "hits not checked (--no-quality)"
            rate = args.n / build_seconds if build_seconds else None
            rows.append((f"service {label}", rate, latencies, quality, note))
        if all_hits:
            all_hits.close()
        filter_latencies, filter_pages = timed(search_articles, filters)
        empty = sum(not page.total for page in filter_pages)
        rows.append(
            ("service filters only", None, filter_latencies, None, f"{len(filters)}; {empty} empty")
        )

        like_latencies = []
        if db is not None:
            like_count = args.like_queries or len(queries)
            baselines, like_latencies = baseline_rows(
                db, queries, like_count, truth, args.n, fts_seconds
            )
            rows.extend(baselines)
            db.close()

        cold = first_query(var_dir, queries[0], warm=False)
        warmed = first_query(var_dir, queries[0], warm=True)
        query_rss = peak_rss_mib()

        lengths = statistics.mean(len(q) for q in queries)
        print(
            f"articles {args.n} ({len(corpus)} corpus articles repeated, dates +{COPY_SHIFT_DAYS} "
            f"days per copy); queries {len(queries)} (mean {lengths:.1f} chars), seed {args.seed}"
        )
        if build_seconds:
            print(f"rows created in {rows_seconds:.1f} s; rebuild_index {build_seconds:.1f} s")
        else:
            print(f"archive reused from {var_dir}, not built")
        over = sum(latency > 5 for row in rows[:3] for latency in row[2])
        print(f"service searches over the default 5 s budget: {over}")
        print(
            "files read into the page cache before timing: "
            + (
                f"{primed_mib:.1f} MiB (index, database, FTS5)"
                if not args.cold
                else "none (--cold)"
            )
        )
        header = f"{'engine':<24} {'build/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'recall':>8} {'precision':>9} {'miss':>5}"
        print(header)
        for name, rate, latencies, quality, note in rows:
            p50, p95, p99 = percentiles(latencies)
            rate_text = f"{rate:8.0f}" if rate else f"{'':>8}"
            quality_text = str(quality) if quality else f"{'':>8} {'':>9} {'':>5}"
            print(f"{name:<24} {rate_text} {p50:8.2f} {p95:8.2f} {p99:8.2f} {quality_text}  {note}")
        if db is not None:
            service_p95 = max(percentiles(rows[0][2])[1], percentiles(rows[1][2])[1])
            print(
                f"service p95 (worse of plain/quoted) / fts5 p95: "
                f"{service_p95 / percentiles(rows[3][2])[1]:.1f}x (3+ chars: "
                f"{service_p95 / percentiles(rows[4][2])[1]:.1f}x); "
                f"LIKE p50 / service plain p50: {percentiles(like_latencies)[0] / percentiles(rows[0][2])[0]:.1f}x; "
                f"LIKE p95 / service p95: {percentiles(like_latencies)[1] / service_p95:.1f}x"
            )
        for label, result in (("without warm-up", cold), ("with warm_up()", warmed)):
            print(
                f"first query {label}: {result['query_s'] * 1000:.0f} ms "
                f"(django.setup {result['setup_s']:.2f} s, warm_up {result['warm_up_s']:.2f} s, "
                f"process start to result {result['process_s']:.2f} s, peak RSS {result['rss_mib']:.0f} MiB)"
            )
        built = (
            f"{rows_rss:.0f} MiB after creating the rows, {build_rss:.0f} MiB after the build, "
            if build_seconds
            else ""
        )
        workers = f"; largest index worker {worker_rss:.0f} MiB" if build_seconds else ""
        print(
            f"index on disk {index_mib:.1f} MiB (fts5 db with text {db_mib:.1f} MiB); peak RSS of "
            f"this process {built}{query_rss:.0f} MiB at the end{workers}"
        )
        if cluster:
            nodes = cluster_engine.nodes_rss_mib()
            print(
                f"engine opensearch: index store (primary and replica) {index_mib:.1f} MiB; "
                + ", ".join(f"{name} RSS {mib:.0f} MiB" for name, mib in nodes.items())
            )
            cluster_engine.drop_index()


if __name__ == "__main__":
    main()
