"""Hostile queries: a result or a QueryError with a message, within a second, never a crash."""

import datetime

import pytest
from hypothesis import HealthCheck, example, given, settings

from articles.search.engine.query import QueryError
from articles.search.indexing import apply_pending_updates
from articles.search.service import SearchParams, search_articles
from tests.factories import make_article, make_page
from tests.strategies import queries


@pytest.fixture
def archive(db):
    page = make_page()
    make_article(page, seq=1, headline="北京市总工会召开全委会")
    make_article(page, seq=2, headline="职工之家揭牌")
    apply_pending_updates()


@settings(
    max_examples=200,
    deadline=datetime.timedelta(seconds=1),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(q=queries)
@example(q="0\x00")  # NUL reached a PostgreSQL lookup of union names
def test_any_query_returns_results_or_a_message(archive, q):
    try:
        results = search_articles(SearchParams(q=q))
    except QueryError as error:
        assert str(error)
    else:
        assert results.total >= 0
