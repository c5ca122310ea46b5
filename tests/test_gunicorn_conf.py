"""gunicorn.conf.py starts each worker's index worker thread after the fork, and stops it."""

import importlib.util
import threading

import pytest

from articles.search import indexing
from tests.conftest import REPO


@pytest.fixture
def gunicorn_conf():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", REPO / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def index_worker_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "index-worker" and t.is_alive()]


@pytest.mark.django_db(transaction=True)
def test_a_gunicorn_worker_starts_and_stops_its_index_worker(gunicorn_conf, settings):
    settings.SEARCH_INDEX_WORKER = True
    gunicorn_conf.post_worker_init(worker=None)
    try:
        assert indexing._worker is not None and len(index_worker_threads()) == 1
        gunicorn_conf.post_worker_init(worker=None)  # once per process
        assert len(index_worker_threads()) == 1
    finally:
        gunicorn_conf.worker_exit(server=None, worker=None)
    assert indexing._worker is None


def test_without_the_setting_no_index_worker_is_started(gunicorn_conf, settings):
    settings.SEARCH_INDEX_WORKER = False
    gunicorn_conf.post_worker_init(worker=None)
    assert indexing._worker is None and index_worker_threads() == []
