"""A fresh Whoosh index under tmp_path for each search test, built by our engine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings
from haystack import connections
from haystack.backends import BaseEngine


@pytest.fixture(autouse=True)
def search_engine(tmp_path, monkeypatch) -> Iterator[BaseEngine]:
    """haystack's ConnectionHandler keeps the dict it was built with while its engines read
    settings.HAYSTACK_CONNECTIONS, so both point at tmp_path; reload() builds a new engine, and
    with it a new unified index, before and after (with the real settings back) each test."""
    config = {
        "default": {
            "ENGINE": "articles.search.backend.ArticleWhooshEngine",
            "PATH": str(tmp_path / "whoosh_index"),
        }
    }
    with override_settings(HAYSTACK_CONNECTIONS=config):
        monkeypatch.setattr(connections, "connections_info", config)
        yield connections.reload("default")
    monkeypatch.undo()
    connections.reload("default")
