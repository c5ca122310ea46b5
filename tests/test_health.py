import datetime
import json
import logging
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from haystack import connections
from haystack.query import SearchQuerySet
from whoosh.index import TOC

from articles.health import health, index_verifier
from articles.models import PendingIndexUpdate
from articles.search.indexing import apply_pending_updates
from newsarchive.logging import JsonFormatter
from tests.factories import make_article, make_page
from tests.search.helpers import DAMAGE, index_seven_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("ops", is_staff=True))
    return client


def get_health(client):
    response = client.get(reverse("articles:health"))
    return response.status_code, response.json()


def test_health_shows_staff_the_database_and_index_figures(staff_client):
    make_article()
    status, report = get_health(staff_client)
    assert report.pop("index_lag_seconds") >= 0
    assert (status, report) == (
        200,
        {
            "database": "ok",
            "articles": 1,
            "pending_index_updates": 1,
            "indexed": 0,
            "search_index": "ok",
            "status": "ok",  # a new archive whose first article is still queued
        },
    )
    apply_pending_updates()
    status, report = get_health(staff_client)
    assert (status, report["indexed"], report["pending_index_updates"]) == (200, 1, 0)


def test_anonymous_callers_see_only_the_verdict(client):
    make_article()
    apply_pending_updates()
    assert get_health(client) == (200, {"status": "ok"})


@pytest.mark.no_drift_check
def test_an_empty_index_beside_stored_articles_is_unhealthy(staff_client):
    make_article()
    apply_pending_updates()
    connections["default"].get_backend().clear()
    assert get_health(Client()) == (503, {"status": "empty"})
    assert get_health(staff_client)[1]["indexed"] == 0


@pytest.mark.no_drift_check
def test_an_index_missing_documents_the_queue_does_not_explain_is_stale(staff_client):
    page = make_page()
    first, _ = make_article(page, seq=1), make_article(page, seq=2)
    apply_pending_updates()
    connections["default"].get_backend().remove(f"articles.article.{first.pk}")
    status, report = get_health(staff_client)
    assert (status, report["status"], report["indexed"], report["articles"]) == (503, "stale", 1, 2)


def test_an_update_queued_too_long_ago_makes_the_index_stale(settings):
    settings.SEARCH_INDEX_STALE_SECONDS = 60
    make_article()
    queued = PendingIndexUpdate.objects.get().queued_at
    assert health(now=queued + datetime.timedelta(seconds=30))[1]["status"] == "ok"
    healthy, report = health(now=queued + datetime.timedelta(seconds=90))
    assert (healthy, report["status"], report["index_lag_seconds"]) == (False, "stale", 90.0)


@pytest.mark.no_drift_check
def test_health_is_503_when_the_index_cannot_be_read(staff_client):
    backend = connections["default"].get_backend()
    backend.setup()
    for toc in Path(backend.path).glob("*.toc"):
        toc.write_bytes(b"not a table of contents")
    status, report = get_health(staff_client)
    assert (status, report["status"]) == (503, "damaged")
    assert report["search_index"].startswith("damaged: table of contents unreadable: ")


@pytest.fixture
def indexed_page():
    return index_seven_articles()


@pytest.mark.no_drift_check
@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_health_is_503_naming_the_damage_once_a_file_is_damaged(indexed_page, staff_client, damage):
    assert get_health(staff_client)[0] == 200  # verified healthy first, then damaged
    harm, named = DAMAGE[damage]
    harm(connections["default"].get_backend().path)
    status, report = get_health(staff_client)
    assert (status, report["status"]) == (503, "damaged")
    assert named in report["search_index"]
    assert get_health(Client()) == (503, {"status": "damaged"})


@pytest.mark.no_drift_check
def test_health_reports_damage_after_a_restart_too(indexed_page, client):
    DAMAGE["term dictionary cut in half"][0](connections["default"].get_backend().path)
    index_verifier.cache_clear()  # a new process remembers no segment
    connections.reload("default")
    assert get_health(client) == (503, {"status": "damaged"})


def test_health_reads_the_latest_table_of_contents_when_a_writer_replaced_the_one_found(
    staff_client, monkeypatch
):
    """Found by bench/load_test.py: a commit's clean-up deleted the generation being read."""
    make_article()
    apply_pending_updates()
    read = TOC.read
    replaced = []

    def replaced_once(*args, **kwargs):
        if not replaced:
            replaced.append(True)
            raise FileNotFoundError("_MAIN_3.toc")
        return read(*args, **kwargs)

    monkeypatch.setattr(TOC, "read", replaced_once)
    status, report = get_health(staff_client)
    assert (status, report["status"], report["indexed"], replaced) == (200, "ok", 1, [True])


@pytest.mark.no_drift_check
def test_health_does_not_wait_for_a_search_or_open_a_reader(client, monkeypatch):
    """Searches of a process take turns on its readers; health must not queue behind them."""
    make_article()
    apply_pending_updates()
    backend = connections["default"].get_backend()

    def no_reader(*args, **kwargs):
        raise AssertionError("health must not open a reader")

    monkeypatch.setattr(type(backend.index), "reader", no_reader)
    assert get_health(client) == (200, {"status": "ok"})


@pytest.mark.no_drift_check
def test_health_counts_without_searching(client, monkeypatch, django_assert_max_num_queries):
    """A search walks terms (8.5 s at 882 articles once); the counts are read, not searched."""
    make_article()
    apply_pending_updates()

    def no_search(self):
        raise AssertionError("health must not run a search")

    monkeypatch.setattr(SearchQuerySet, "count", no_search)
    monkeypatch.setattr(SearchQuerySet, "__len__", no_search)
    with django_assert_max_num_queries(3):
        assert get_health(client) == (200, {"status": "ok"})


def test_json_log_lines_carry_extra_fields_and_exceptions():
    record = logging.makeLogRecord(
        {
            "name": "articles",
            "levelname": "WARNING",
            "msg": "索引 %s",
            "args": ("延迟",),
            "pending": 3,
        }
    )
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    line = json.loads(JsonFormatter().format(record))
    assert (line["level"], line["message"], line["pending"]) == ("WARNING", "索引 延迟", 3)
    assert "ValueError: boom" in line["exception"]
