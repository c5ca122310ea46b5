"""Fuzz the parser and the search with hostile input; print counts and the slowest case.

    .venv/bin/python bench/fuzz.py [--pages 10000] [--queries 10000]

Pages and queries come from tests/strategies.py (random Unicode, huge lines, only bylines,
nested brackets, control characters; quotes, operators, prefixes, over-long queries). The
parser must return a parse or raise ParseError, search must return results or raise QueryError,
and each must finish within 1 s: hypothesis' deadline stops the run at a case that is slow
every time, and the slowest time seen is checked at the end (exit status 1 if over 1 s).
Search runs on the sample pages, in a temporary database and index.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    arguments.add_argument("--pages", type=int, default=10_000)
    arguments.add_argument("--queries", type=int, default=10_000)
    options = arguments.parse_args()
    var = tempfile.mkdtemp(prefix="newsarchive-fuzz-")
    os.environ.update(
        NEWSARCHIVE_VAR_DIR=var, DJANGO_SETTINGS_MODULE="newsarchive.settings", LOG_LEVEL="ERROR"
    )
    for step in (["migrate", "-v0"], ["ingest", "-v0", "sample/"]):
        subprocess.run(
            [sys.executable, "manage.py", *step], cwd=REPO, check=True, capture_output=True
        )

    import django

    django.setup()
    from hypothesis import HealthCheck, given, settings

    from articles import parsing
    from articles.search.engine.query import QueryError
    from articles.search.service import SearchParams, search_articles, warm_up
    from tests.strategies import HOSTILE_PAGES, pages, queries

    parsing.parse_page((REPO / "sample" / "2024-03-12_02.txt").read_text(encoding="utf-8"))
    warm_up()
    fuzz = settings(
        deadline=datetime.timedelta(seconds=1),
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    outcomes: Counter[str] = Counter()
    slowest = {"page": 0.0, "query": 0.0}

    @settings(fuzz, max_examples=options.pages)
    @given(pages)
    def parse(text: str) -> None:
        started = time.perf_counter()
        try:
            parsing.decode_page(text.encode("utf-8", "surrogatepass"))
            parsed = parsing.parse_page(text)
            outcomes[f"page: parsed, {'some' if parsed.articles else 'no'} articles"] += 1
        except parsing.ParseError as error:
            outcomes[f"page: refused ({type(error).__name__})"] += 1
        slowest["page"] = max(slowest["page"], time.perf_counter() - started)

    @settings(fuzz, max_examples=options.queries)
    @given(queries)
    def search(q: str) -> None:
        started = time.perf_counter()
        try:
            search_articles(SearchParams(q=q))
            outcomes["query: answered"] += 1
        except QueryError:
            outcomes["query: refused with a message"] += 1
        slowest["query"] = max(slowest["query"], time.perf_counter() - started)

    started = time.perf_counter()
    parse()
    for text in HOSTILE_PAGES.values():  # the hand-made worst cases too
        before = time.perf_counter()
        try:
            parsing.parse_page(text)
            outcomes["page: hostile, parsed"] += 1
        except parsing.NoArticlesError:
            outcomes["page: hostile, refused"] += 1
        slowest["page"] = max(slowest["page"], time.perf_counter() - before)
    search()
    over = [kind for kind, seconds in slowest.items() if seconds > 1.0]
    print(
        f"fuzz run in {time.perf_counter() - started:.0f} s, no unhandled exception, "
        + (f"OVER 1 s: {', '.join(over)}" if over else "none over 1 s")
    )
    for outcome, n in sorted(outcomes.items()):
        print(f"  {outcome:<45} {n:>6}")
    print(f"  slowest page  {slowest['page'] * 1000:7.1f} ms")
    print(f"  slowest query {slowest['query'] * 1000:7.1f} ms")
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
