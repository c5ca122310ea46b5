"""How long `GET /health` takes on a large archive: the database counts and the index's own
document count, never a search, once the segments have been read.

    .venv/bin/python bench/health_bench.py [--n 100000] [--indexed 2000] [--calls 200]

Builds a temporary SQLite archive of --n articles (rows written in bulk, 10 per page) and a
Whoosh index holding the first --indexed of them (the document count is read from the
segments' headers, so it does not grow with the documents), then times --calls requests to
/health through Django's test client, as anonymous and as staff, and prints p50/p95/max,
after the first call, which reads each segment as searches would (and is timed alone, as is
check_index's read of every file). The
verdict is `stale` (the index holds fewer documents than the database): the cost is measured,
and it is the same for a healthy archive.
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PER_PAGE = 10


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    arguments.add_argument("--n", type=int, default=100_000)
    arguments.add_argument("--indexed", type=int, default=2_000)
    arguments.add_argument("--calls", type=int, default=200)
    options = arguments.parse_args()

    var = Path(tempfile.mkdtemp(prefix="newsarchive-health-"))
    os.environ.update(
        NEWSARCHIVE_VAR_DIR=str(var), LOG_LEVEL="WARNING", DEBUG="true", ALLOWED_HOSTS="testserver"
    )
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    import django

    django.setup()
    # Each 503 would be logged; the figures are the point here.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from haystack import connections

    from articles.health import index_verifier
    from articles.models import Article, Issue, Page
    from articles.search.consistency import read_whole_index

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    pages = options.n // PER_PAGE
    first = datetime.date(1990, 1, 1)
    Issue.objects.bulk_create(Issue(date=first + datetime.timedelta(days=n)) for n in range(pages))
    issues = list(Issue.objects.order_by("date").values_list("pk", flat=True))
    Page.objects.bulk_create(
        Page(issue_id=pk, number=1, source_text="版面", source_sha256="0" * 64) for pk in issues
    )
    page_ids = list(Page.objects.order_by("pk").values_list("pk", flat=True))
    paragraph = "北京市总工会召开全委会，职工代表参加。"
    Article.objects.bulk_create(
        (
            Article(
                page_id=page,
                seq=seq,
                headline=f"职工之家第{page}-{seq}号",
                paragraphs=[paragraph],
                body=paragraph,
            )
            for page in page_ids
            for seq in range(1, PER_PAGE + 1)
        ),
        batch_size=5_000,
    )
    print(f"archive: {Article.objects.count():,} articles in {time.perf_counter() - started:.0f} s")
    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Article)
    backend.update(index, index.index_queryset().order_by("pk")[: options.indexed])
    print(f"index: {backend.index.doc_count():,} documents")

    anonymous, staff = Client(), Client()
    staff.force_login(get_user_model().objects.create_user("ops", is_staff=True))
    anonymous.get("/health")  # the first imports the views, and reads the segments
    index_verifier.cache_clear()  # as a new process: every segment read again
    began = time.perf_counter()
    anonymous.get("/health")
    print(f"/health reading the segments: {(time.perf_counter() - began) * 1000:.0f} ms")
    began = time.perf_counter()
    read_whole_index()
    print(f"check_index reading the whole index: {time.perf_counter() - began:.1f} s")
    for name, client in (("anonymous", anonymous), ("staff", staff)):
        times = []
        for _ in range(options.calls):
            began = time.perf_counter()
            response = client.get("/health")
            times.append((time.perf_counter() - began) * 1000)
        p95 = statistics.quantiles(times, n=100)[94]
        print(
            f"/health {name}: HTTP {response.status_code} {response.json()}; "
            f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {max(times):.1f} ms"
        )
    shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
