"""What start-up loads before gunicorn forks: the parser's dictionaries only when asked."""

import pytest

from articles import parsing, warmup


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
