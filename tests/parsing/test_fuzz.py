"""The parser meets hostile pages: it returns a parse or a ParseError, within a second."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings

from articles import parsing
from tests.strategies import pages


@pytest.fixture(scope="module", autouse=True)
def warm_parser(seed_text):
    """jieba and its dictionaries load on first use (seconds): not the fuzzed page's time."""
    parsing.parse_page(seed_text)


@settings(
    max_examples=300,
    deadline=datetime.timedelta(seconds=1),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(pages)
def test_any_page_parses_or_fails_cleanly(text):
    try:
        parsing.decode_page(text.encode("utf-8", "surrogatepass"))
        parsed = parsing.parse_page(text)
    except parsing.ParseError:
        return
    for article in parsed.articles:
        assert article.headline.strip()
