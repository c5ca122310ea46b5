import json
import logging

import pytest
from django.urls import reverse
from haystack.query import SearchQuerySet

from newsarchive.logging import JsonFormatter
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_health_reports_database_and_index(client):
    make_article()
    response = client.get(reverse("articles:health"))
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "articles": 1,
        "pending_index_updates": 1,
        "indexed": 0,
        "search_index": "ok",
        "status": "ok",
    }


def test_health_is_503_when_the_index_cannot_be_read(client, monkeypatch):
    def broken(self):
        raise OSError("index folder gone")

    monkeypatch.setattr(SearchQuerySet, "count", broken)
    response = client.get(reverse("articles:health"))
    assert response.status_code == 503
    assert response.json()["search_index"] == "error: OSError"


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
