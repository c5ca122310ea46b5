"""A throwaway archive of corpus articles for the benches: real Issue/Page/Article rows in a
temporary database (setup_django, create_rows), the index built by `rebuild_index`, the text
the index holds for each corpus article and a sample of queries that occur in them.

The corpus comes from ../shared/corpus/make_pages.py, repeated with dates shifted by
COPY_SHIFT_DAYS per copy to reach any number of articles. search_bench.py, update_growth.py and
worker_memory.py build on it (and tests/search/test_opensearch_cluster.py).
"""

from __future__ import annotations

import datetime
import json
import os
import random
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u4e00-\u9fff]{2,}")
ONLY_HAN = re.compile(r"[\u4e00-\u9fff]+")
COPY_SHIFT_DAYS = 400  # a copy of the 31-day corpus never shares a date with another

sys.path.insert(0, str(REPO))


def setup_django(var_dir: Path) -> None:
    """Settings read their paths at import: a temporary database and index, never var/."""
    os.environ["NEWSARCHIVE_VAR_DIR"] = str(var_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{var_dir / 'db.sqlite3'}"
    os.environ["WHOOSH_PATH"] = str(var_dir / "whoosh_index")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # As in production: with DEBUG on, Django keeps the last 9,000 statements' SQL, gigabytes
    # of bulk inserts at a million articles, and the index workers inherit them.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    import django

    django.setup()


def load_corpus(shared: Path, out: Path) -> list[dict]:
    subprocess.run(
        [
            sys.executable,
            str(shared / "corpus" / "make_pages.py"),
            "--out",
            str(out),
            "--articles-only",
        ],
        check=True,
        capture_output=True,
    )
    return json.loads((out / "articles.json").read_text(encoding="utf-8"))


def copy_date(record: dict, copy: int) -> datetime.date:
    return datetime.date.fromisoformat(record["date"]) + datetime.timedelta(
        days=COPY_SHIFT_DAYS * copy
    )


def _bulk(model, objects: Iterable, batch_size: int = 5000) -> list:
    return model.objects.bulk_create(list(objects), batch_size=batch_size)


def create_rows(corpus: list[dict], n: int, copies_per_chunk: int = 8) -> list[int]:
    """Issue, Page, Article, Person, Credit and Organization rows; the pk of article i.

    Written a few corpus copies at a time, so that a million articles never sit in memory
    at once (only their pks do). bulk_create queues nothing for the index (only the services
    do): the build does it all.
    """
    from articles.models import Organization, Person
    from articles.names import normalize_name

    people = {normalize_name(c["name"]) for record in corpus for c in record["credits"]}
    person_of = {p.name: p for p in _bulk(Person, (Person(name=name) for name in sorted(people)))}
    orgs = {normalize_name(name) for record in corpus for name in record["organizations"]}
    orgs.discard("")
    org_of = {o.name: o for o in _bulk(Organization, (Organization(name=x) for x in sorted(orgs)))}
    chunk = copies_per_chunk * len(corpus)
    pks: list[int] = []
    for first in range(0, n, chunk):
        records = [
            (corpus[i % len(corpus)], i // len(corpus)) for i in range(first, min(n, first + chunk))
        ]
        pks += _create_chunk(records, person_of, org_of)
    return pks


def _create_chunk(records: list[tuple[dict, int]], person_of: dict, org_of: dict) -> list[int]:
    """The rows of (corpus record, copy) pairs whose dates no other chunk has."""
    from articles.models import Article, Credit, Issue, Page
    from articles.names import normalize_name

    dates = sorted({copy_date(record, copy) for record, copy in records})
    issues = {issue.date: issue for issue in _bulk(Issue, (Issue(date=d) for d in dates))}
    page_keys = sorted({(copy_date(record, copy), record["page"]) for record, copy in records})
    pages = _bulk(
        Page,
        (
            Page(issue=issues[d], number=number, source_text="", source_sha256="0" * 64)
            for d, number in page_keys
        ),
    )
    page_of = dict(zip(page_keys, pages, strict=True))
    articles = _bulk(
        Article,
        (
            Article(
                page=page_of[(copy_date(record, copy), record["page"])],
                seq=record["seq"],
                headline=record["headline"],
                subheadline=record["subheadline"] or "",
                kind=record["kind"],
                paragraphs=record["paragraphs"],
                body="\n\n".join(record["paragraphs"]),  # what Article.save() derives
            )
            for record, copy in records
        ),
    )
    credits, links = [], []
    through = Article.organizations.through
    for (record, _), article in zip(records, articles, strict=True):
        seen = set()
        for seq, credit in enumerate(record["credits"], start=1):
            key = (normalize_name(credit["name"]), credit["role"])
            if key not in seen:
                seen.add(key)
                person = person_of[key[0]]
                credits.append(Credit(article=article, person=person, role=key[1], seq=seq))
        names = dict.fromkeys(normalize_name(name) for name in record["organizations"])
        links += [
            through(article_id=article.pk, organization_id=org_of[name].pk)
            for name in names
            if name
        ]
    _bulk(Credit, credits)
    _bulk(through, links)
    return [article.pk for article in articles]


def record_text(record: dict) -> str:
    """The text the index holds for a corpus record (kicker, headline, subheadline, body)."""
    from articles.models import Article
    from articles.search_indexes import article_text

    body = "\n\n".join(record["paragraphs"])
    return article_text(
        Article(headline=record["headline"], subheadline=record["subheadline"] or "", body=body)
    )


def sample_queries(corpus: list[dict], texts: list[str], count: int, seed: int) -> list[str]:
    """Spans of 2-8 Han characters (4 in 10), jieba words (3 in 10), credited names, union
    names and other organisation names (1 in 10 each), all occurring in some text."""
    from articles.search.engine.analysis import query_words

    rng = random.Random(seed)
    joined = "\x00".join(texts)

    def occurring(names: Iterable[str], longest: int) -> list[str]:
        kept = {x for x in names if 2 <= len(x) <= longest and ONLY_HAN.fullmatch(x)}
        return sorted(x for x in kept if x in joined)

    people = occurring((c["name"] for r in corpus for c in r["credits"]), 4)
    orgs = occurring((o for r in corpus for o in r["organizations"]), 14)
    unions = [name for name in orgs if "工会" in name]
    queries: list[str] = []
    while len(queries) < count:
        slot = len(queries) % 10
        if slot == 7:
            queries.append(rng.choice(people))
            continue
        if slot == 8:
            queries.append(rng.choice(unions))
            continue
        if slot == 9:
            queries.append(rng.choice(orgs))
            continue
        runs = HAN.findall(rng.choice(texts))
        if not runs:
            continue
        run = rng.choice(runs)
        if slot < 4:
            size = rng.randint(2, min(8, len(run)))
            start = rng.randint(0, len(run) - size)
            queries.append(run[start : start + size])
        else:
            words = [word for word in query_words(run) if len(word) > 1]
            if words:
                queries.append(rng.choice(words))
    return queries


def filter_params(corpus: list[dict], dates: list, count: int, seed: int) -> list:
    """Searches with no text: a union, a reporter, one year, a union in one year, in turn."""
    from articles.search.service import SearchParams

    rng = random.Random(seed)
    unions = sorted({o for r in corpus for o in r["organizations"] if "工会" in o})
    people = sorted({c["name"] for r in corpus for c in r["credits"]})
    years = sorted({d.year for d in dates})

    def year() -> dict:
        chosen = rng.choice(years)
        return {"date_from": datetime.date(chosen, 1, 1), "date_to": datetime.date(chosen, 12, 31)}

    kinds = (
        lambda: {"organization": rng.choice(unions)},
        lambda: {"reporter": rng.choice(people)},
        year,
        lambda: {"organization": rng.choice(unions), **year()},
    )
    return [SearchParams(**kinds[k % len(kinds)]()) for k in range(count)]


def rebuild_index(batch_size: int | None) -> float:
    """Seconds for `manage.py rebuild_index --noinput` (a new index built beside, swapped in)."""
    from django.core.management import call_command

    options = {"interactive": False, "verbosity": 0}
    if batch_size:
        options["batchsize"] = batch_size
    started = time.perf_counter()
    call_command("rebuild_index", **options)
    return time.perf_counter() - started
