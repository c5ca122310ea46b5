"""Shared fixtures: the real seed page, and pages generated from ../shared/corpus at test time."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from django.test import override_settings
from haystack import connections
from haystack.backends import BaseEngine

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(os.environ.get("NEWSARCHIVE_SHARED", REPO.parent / "shared"))
CORPUS_SCRIPT = SHARED / "corpus" / "make_pages.py"
CHECK_PARSE = SHARED / "tools" / "check_parse.py"
DEVSET = SHARED / "devset" / "pages"
ROUNDTRIP_DB = "roundtrip"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests of ../shared (corpus, devset) skip with a visible reason in a bare clone; CI makes
    that absence an error."""
    present = {
        "corpus": CORPUS_SCRIPT.exists() and CHECK_PARSE.exists(),
        "devset": DEVSET.is_dir() and CHECK_PARSE.exists(),
    }
    for marker, found in present.items():
        if found:
            continue
        if os.environ.get("NEWSARCHIVE_REQUIRE_CORPUS"):
            raise pytest.UsageError(
                f"NEWSARCHIVE_REQUIRE_CORPUS is set but {SHARED} has no {marker}"
            )
        skip = pytest.mark.skip(reason=f"{marker} not found at {SHARED} (set NEWSARCHIVE_SHARED)")
        for item in items:
            if marker in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (DATA / "seed_page.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_expected() -> dict:
    return json.loads((DATA / "seed_page.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def check_parse() -> ModuleType:
    """The shared scorer, or the copy of its rules in tests/data when ../shared is absent."""
    path = CHECK_PARSE if CHECK_PARSE.exists() else DATA / "check_parse.py"
    spec = importlib.util.spec_from_file_location("check_parse", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_corpus_pages(out: Path, *args: str) -> Path:
    """Lay out corpus articles as raw pages (with ground truth) under `out`."""
    subprocess.run(
        [sys.executable, str(CORPUS_SCRIPT), "--out", str(out), *args],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="session")
def corpus_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every corpus page, with column breaks, generated once per test session."""
    return make_corpus_pages(tmp_path_factory.mktemp("corpus_pages"), "--breaks", "--seed", "7")


@pytest.fixture(autouse=True)
def search_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[BaseEngine]:
    """A fresh Whoosh index under tmp_path for every test, so none writes to var/.

    haystack's ConnectionHandler keeps the dict it was built with while its engines read
    settings.HAYSTACK_CONNECTIONS, so both point at tmp_path; reload() builds a new engine, and
    with it a new unified index, before and after (with the real settings back) each test.
    """
    config = {
        "default": {
            "ENGINE": "articles.search.backend.ArticleWhooshEngine",
            "PATH": str(tmp_path / "whoosh_index"),
            "WRITE_TIMEOUT": 5.0,
        }
    }
    with override_settings(HAYSTACK_CONNECTIONS=config):
        monkeypatch.setattr(connections, "connections_info", config)
        yield connections.reload("default")
    monkeypatch.undo()
    connections.reload("default")


@pytest.fixture(autouse=True)
def no_index_drift(request: pytest.FixtureRequest, search_engine: BaseEngine) -> Iterator[None]:
    """After every test that wrote the index, the guarantee holds: once the queue is applied,
    check_index finds the index and the database in step (0 drift). A test that empties,
    breaks or forbids reading the index on purpose says so with @pytest.mark.no_drift_check."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if uses_db:
        request.getfixturevalue("_django_db_helper")  # the database outlives this check
    yield
    index_folder = Path(search_engine.options["PATH"])
    if (
        not uses_db
        or request.node.get_closest_marker("no_drift_check")
        or not index_folder.exists()
    ):
        return
    from django.db import connection

    from articles.search.consistency import index_drift
    from articles.search.indexing import apply_pending_updates

    if connection.needs_rollback:
        return  # the test ended in a failed transaction: nothing of it commits
    apply_pending_updates()
    drift = index_drift()
    assert drift.total == 0, f"the index drifted from the database: {drift}"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """SQLite tests use a file, not shared memory: threads then wait for each other's writes
    (busy timeout) instead of failing at once with 'table is locked'."""
    from django.conf import settings
    from django.db import connections

    folder = tmp_path_factory.mktemp("db")
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")
    # A second, SQLite database for the export/import round trip (tests/test_archive_io.py):
    # with DATABASE_URL on PostgreSQL, the archive goes PostgreSQL -> SQLite -> PostgreSQL.
    settings.DATABASES[ROUNDTRIP_DB] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(folder / "roundtrip.sqlite3"),
        "TEST": {"NAME": str(folder / "roundtrip_test.sqlite3")},
    }
    connections.configure_settings(settings.DATABASES)  # the defaults every alias needs


@pytest.fixture
def editors(django_user_model) -> list:
    """Two staff members, each logged in with a client of their own: zhang and li."""
    from django.test import Client

    clients = []
    for name in ("zhang", "li"):
        client = Client()
        client.force_login(django_user_model.objects.create_superuser(name, f"{name}@e.org", "pw"))
        clients.append(client)
    return clients


@pytest.fixture
def seed_page(db):
    """The seed page stored as 2024-03-12 第2版."""
    import datetime

    from articles.ingest import ingest_page_bytes
    from articles.models import Page

    ingest_page_bytes(
        (DATA / "seed_page.txt").read_bytes(),
        issue_date=datetime.date(2024, 3, 12),
        page_number=2,
        source="02.txt",
    )
    return Page.objects.get()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:
    """Page scans and rendered images go under tmp_path, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def printed_seed(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The seed page laid out in four columns and printed to PDF by Chromium, once a session."""
    from tests.printed_pages import CHROMIUM, page_html, print_pdf

    if CHROMIUM is None:
        pytest.skip("chromium not found: it prints the test PDFs (apt-get install -y chromium)")
    expected = json.loads((DATA / "seed_page.expected.json").read_text(encoding="utf-8"))
    text = (DATA / "seed_page.txt").read_text(encoding="utf-8")
    out = tmp_path_factory.mktemp("pdf") / "seed.pdf"
    return print_pdf(page_html(text, expected), out).read_bytes()
