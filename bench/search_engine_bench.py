"""How fast and how exact is the Whoosh engine on N corpus articles, against SQLite FTS5 and LIKE?

The engine is measured without Django rows: documents go straight into a Whoosh index built with
the production schema (ArticleSearchBackend.build_schema over ArticleIndex) and queries through
the production parser. The corpus is repeated with shifted dates to reach N articles.

    .venv/bin/python bench/search_engine_bench.py --n 10000
    .venv/bin/python bench/search_engine_bench.py --n 100000 --like-queries 50
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS_SCRIPT = REPO.parent / "shared" / "corpus" / "make_pages.py"
HAN = re.compile(r"[\u4e00-\u9fff]{2,}")

sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")


def setup_engine():
    """Production schema and parser, for an index outside settings."""
    import django

    django.setup()
    from haystack import connections

    from articles.search.backend import ArticleQueryParser, ArticleSearchBackend

    fields = connections["default"].get_unified_index().all_searchfields()
    backend = ArticleSearchBackend("bench", PATH="unused")
    content, schema = backend.build_schema(fields)
    return schema, ArticleQueryParser(content, backend.bigram_field_name, schema)


def load_corpus(out: Path) -> list[dict]:
    subprocess.run(
        [sys.executable, str(CORPUS_SCRIPT), "--out", str(out), "--articles-only"], check=True
    )
    return json.loads((out / "articles.json").read_text(encoding="utf-8"))


def article_text(record: dict) -> str:
    from articles.models import Article
    from articles.search_indexes import article_text

    body = "\n\n".join(record["paragraphs"])
    return article_text(
        Article(headline=record["headline"], subheadline=record["subheadline"] or "", body=body)
    )


def documents(corpus: list[dict], n: int) -> list[dict]:
    """N index documents; copy k of the corpus is shifted by k * 400 days."""
    texts = [article_text(record) for record in corpus]
    docs = []
    for i in range(n):
        record = corpus[i % len(corpus)]
        shifted = datetime.date.fromisoformat(record["date"]) + datetime.timedelta(
            days=400 * (i // len(corpus))
        )
        names = [credit["name"] for credit in record["credits"]]
        docs.append(
            {
                "id": f"articles.article.{i}",
                "django_ct": "articles.article",
                "django_id": str(i),
                "text": texts[i % len(corpus)],
                "text_bigrams": texts[i % len(corpus)],
                "reporters": ",".join(names),
                "organizations": ",".join(record["organizations"]),
                "organization_names": ",".join(record["organizations"]),
                "date": datetime.datetime.combine(shifted, datetime.time()),
                "page": record["page"],
                "kind": record["kind"],
                "year": f"{shifted:%Y}",
                "year_month": f"{shifted:%Y-%m}",
            }
        )
    return docs


def sample_queries(texts: list[str], count: int, rng: random.Random) -> list[str]:
    """Half spans of 2-8 Han characters, half jieba words of 2+ characters, from the texts."""
    from articles.search.analysis import query_words

    queries: list[str] = []
    while len(queries) < count:
        runs = HAN.findall(rng.choice(texts))
        if not runs:
            continue
        run = rng.choice(runs)
        if len(queries) % 2 == 0:
            size = rng.randint(2, min(8, len(run)))
            start = rng.randint(0, len(run) - size)
            queries.append(run[start : start + size])
        else:
            words = [word for word in query_words(run) if len(word) > 1]
            if words:
                queries.append(rng.choice(words))
    return queries


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def build_whoosh(path: Path, schema, docs: list[dict], procs: int, limitmb: int) -> float:
    from whoosh import index

    ix = index.create_in(str(path), schema)
    started = time.perf_counter()
    writer = ix.writer(procs=procs, limitmb=limitmb, multisegment=procs > 1)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return time.perf_counter() - started


def whoosh_runs(path: Path, parser, queries: list[str], quoted: bool):
    """(latencies of a 20-hit page with its total, docnum sets of all hits) per query."""
    from whoosh import index

    ix = index.open_dir(str(path))
    latencies, hits = [], []
    with ix.searcher() as searcher:
        for q in queries:
            text = f'"{q}"' if quoted else f"({q})"
            started = time.perf_counter()
            results = searcher.search(parser.parse(text), limit=20)
            len(results)
            latencies.append(time.perf_counter() - started)
            hits.append(set(searcher.search(parser.parse(text), limit=None).docs()))
        ids = {docnum: int(fields["django_id"]) for docnum, fields in searcher.reader().iter_docs()}
    return latencies, [{ids[docnum] for docnum in found} for found in hits]


def whoosh_facet_runs(path: Path, parser, queries: list[str]) -> list[float]:
    """A result page with the four facets of the search page, as haystack asks Whoosh for them."""
    from whoosh import index
    from whoosh.sorting import Count, FieldFacet

    facets = ["organizations", "reporters", "kind", "year_month"]
    ix = index.open_dir(str(path))
    latencies = []
    with ix.searcher() as searcher:
        for q in queries:
            started = time.perf_counter()
            groups = [FieldFacet(name, allow_overlap=True, maptype=Count) for name in facets]
            results = searcher.search(parser.parse(f"({q})"), limit=20, groupedby=groups)
            for name in facets:
                results.groups(name)
            latencies.append(time.perf_counter() - started)
    return latencies


def build_sqlite(path: Path, texts: list[str]) -> tuple[sqlite3.Connection, float]:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, text TEXT)")
    db.execute("CREATE VIRTUAL TABLE fts USING fts5(text, tokenize='trigram')")
    db.executemany("INSERT INTO docs VALUES (?, ?)", enumerate(texts))
    started = time.perf_counter()
    db.execute("INSERT INTO fts(rowid, text) SELECT id, text FROM docs")
    db.commit()
    return db, time.perf_counter() - started


def timed(run, queries: list[str]) -> list[float]:
    latencies = []
    for q in queries:
        started = time.perf_counter()
        run(q)
        latencies.append(time.perf_counter() - started)
    return latencies


def fts_query(db: sqlite3.Connection, q: str) -> list:
    """Trigram MATCH needs 3+ characters; shorter queries fall back to LIKE (a scan)."""
    if len(q) >= 3:
        sql, argument = "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank", f'"{q}"'
    else:
        sql, argument = "SELECT rowid FROM fts WHERE text LIKE ?", f"%{q}%"
    return db.execute(sql, (argument,)).fetchall()


def like_query(db: sqlite3.Connection, q: str) -> list:
    return db.execute("SELECT id FROM docs WHERE text LIKE ?", (f"%{q}%",)).fetchall()


def first_query_seconds(path: Path, query: str) -> float:
    """Wall time from starting a fresh interpreter to the first page of results."""
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--first-query", str(path), query], check=True)
    return time.perf_counter() - started


def run_first_query(path: str, query: str) -> None:
    _, parser = setup_engine()
    from whoosh import index

    with index.open_dir(path).searcher() as searcher:
        len(searcher.search(parser.parse(f"({query})"), limit=20))


def row(name: str, latencies: list[float], extra: str = "") -> str:
    p50, p95, p99 = (value * 1000 for value in percentiles(latencies))
    return f"{name:<28} {p50:8.1f} {p95:8.1f} {p99:8.1f}  {extra}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles to index")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--like-queries", type=int, default=500, help="LIKE is slow at 100k")
    parser.add_argument("--facet-queries", type=int, default=100)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--limitmb", type=int, default=256)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="DIR", help="build the index in DIR (new) and keep it")
    parser.add_argument("--first-query", nargs=2, metavar=("INDEX", "QUERY"))
    args = parser.parse_args()
    if args.first_query:
        run_first_query(*args.first_query)
        return

    schema, query_parser = setup_engine()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = load_corpus(Path(tmp) / "corpus")
        docs = documents(corpus, args.n)
        texts = [doc["text"] for doc in docs]
        queries = sample_queries(texts[: len(corpus)], args.queries, rng)
        base_texts = texts[: len(corpus)]
        base_truth = [{i for i, text in enumerate(base_texts) if q in text} for q in queries]
        truth = [{i for i in range(args.n) if i % len(corpus) in found} for found in base_truth]

        index_dir = Path(args.keep) if args.keep else Path(tmp) / "whoosh"
        index_dir.mkdir(parents=True)
        seconds = build_whoosh(index_dir, schema, docs, args.procs, args.limitmb)
        size = sum(f.stat().st_size for f in index_dir.iterdir())
        db, fts_seconds = build_sqlite(Path(tmp) / "bench.sqlite3", texts)
        db_size = (Path(tmp) / "bench.sqlite3").stat().st_size

        print(f"articles {args.n} (corpus of {len(corpus)} repeated), queries {len(queries)}")
        print(
            f"whoosh build  {args.n / seconds:8.0f} articles/s  {seconds:6.1f} s  "
            f"index {size / 2**20:7.1f} MiB  (procs={args.procs}, limitmb={args.limitmb})"
        )
        print(
            f"fts5 build    {args.n / fts_seconds:8.0f} articles/s  {fts_seconds:6.1f} s  "
            f"db (text + fts) {db_size / 2**20:7.1f} MiB"
        )
        print(
            f"first query after process start: {first_query_seconds(index_dir, queries[0]):.2f} s"
        )
        print(f"{'latency ms':<28} {'p50':>8} {'p95':>8} {'p99':>8}  recall / precision")
        for quoted in (False, True):
            latencies, hits = whoosh_runs(index_dir, query_parser, queries, quoted)
            found = sum(len(h & t) for h, t in zip(hits, truth, strict=True))
            relevant = sum(len(t) for t in truth)
            returned = sum(len(h) for h in hits)
            missed = sum(1 for h, t in zip(hits, truth, strict=True) if t - h)
            name = "whoosh quoted" if quoted else "whoosh plain"
            quality = (
                f"{found / relevant:.4%} / {found / returned:.4%} ({missed} queries missing a hit)"
            )
            print(row(name, latencies, quality))

        facet_queries = queries[: args.facet_queries]
        facet_latencies = whoosh_facet_runs(index_dir, query_parser, facet_queries)
        print(row(f"whoosh plain + 4 facets ({len(facet_queries)})", facet_latencies))
        print(row("fts5 trigram (2 chars: LIKE)", timed(lambda q: fts_query(db, q), queries)))
        long_queries = [q for q in queries if len(q) >= 3]
        fts_long = timed(lambda q: fts_query(db, q), long_queries)
        print(row(f"fts5 trigram ({len(long_queries)} of 3+ chars)", fts_long))
        like_queries = queries[: args.like_queries]
        like = timed(lambda q: like_query(db, q), like_queries)
        print(row(f"LIKE scan ({len(like_queries)} queries)", like))
        db.close()


if __name__ == "__main__":
    main()
