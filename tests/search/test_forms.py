import datetime

import pytest

from articles.search.engine.query import QueryError
from articles.search.indexing import apply_pending_updates
from articles.search.service import SearchParams, search_articles
from tests.factories import make_article

pytestmark = pytest.mark.django_db

# Dates Django parses but the index cannot filter on: haystack writes them for Whoosh with a
# year of fewer than four digits.
UNSTORABLE = ["0001-01-01", "0099-12-31", "0100-01-01", "0999-12-31"]


@pytest.fixture
def indexed_article():
    article = make_article()
    apply_pending_updates()
    return article


@pytest.mark.parametrize("parameter", ["from", "to"])
@pytest.mark.parametrize("value", UNSTORABLE)
def test_a_date_the_index_cannot_store_is_a_400_from_the_page_and_the_api(
    client, indexed_article, parameter, value
):
    page = client.get("/search/", {"q": "工会", parameter: value})
    api = client.get("/api/search", {parameter: value})
    assert (page.status_code, api.status_code) == (400, 400)
    assert "日期须在 1000-01-01 至 9999-12-31 之间" in page.content.decode()
    assert api.json()["fields"][parameter] == ["日期须在 1000-01-01 至 9999-12-31 之间。"]


@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_the_service_refuses_such_a_date_too(indexed_article, field):
    with pytest.raises(QueryError, match="日期须在"):
        search_articles(SearchParams(**{field: datetime.date(99, 12, 31)}))


@pytest.mark.parametrize("value", ["1000-01-01", "9999-12-31"])
def test_the_first_and_last_storable_dates_search(client, indexed_article, value):
    assert client.get("/api/search", {"from": value}).status_code == 200
    assert client.get("/api/search", {"to": value}).status_code == 200
