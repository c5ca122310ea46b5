"""What start-up loads before gunicorn forks: the parser's dictionaries only when asked, and
all of it kept out of the garbage collector's walks."""

import gc

import pytest

from articles import parsing, warmup


@pytest.fixture(autouse=True)
def unfrozen():
    yield
    gc.unfreeze()  # back to the oldest generation, for the rest of the session's collections


@pytest.mark.parametrize("wanted", [False, True])
def test_the_parser_is_warmed_only_with_warm_up_parser(settings, monkeypatch, wanted):
    parsed = []
    monkeypatch.setattr(parsing, "parse_page", lambda text: parsed.append(text))
    searched = []
    monkeypatch.setattr(warmup, "warm_up_search", lambda: searched.append(True))
    settings.WARM_UP_PARSER = wanted
    warmup.warm_up()
    assert parsed == ([warmup._PAGE] if wanted else [])
    assert searched == [True]  # the index's readers, always


def test_what_start_up_loaded_is_frozen_out_of_collections(monkeypatch):
    loaded = []
    monkeypatch.setattr(warmup, "warm_up_search", lambda: loaded.append({"reader": []}))
    before = gc.get_freeze_count()
    warmup.warm_up()
    assert gc.get_freeze_count() > before
    assert not any(obj is loaded[0] for obj in gc.get_objects())  # no collection walks it
    gc.collect()
    assert loaded[0] == {"reader": []}
