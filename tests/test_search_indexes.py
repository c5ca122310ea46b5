"""What the index holds for an article: the same read in bulk (a rebuild) as read alone (an
update after a save), in a number of queries that does not grow with the articles."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from haystack import connections

from articles.models import Article, Credit
from tests.factories import (
    make_article,
    make_credit,
    make_issue,
    make_organization,
    make_page,
)

pytestmark = pytest.mark.django_db


def _unions():
    """Five levels of unions (one more than index_queryset's select_related reads), aliases."""
    country = make_organization("甲级总工会", aliases=("甲总",))
    city = make_organization("乙市总工会", aliases=("乙市总", "乙总工会"), parent=country)
    district = make_organization("丙区总工会", parent=city)
    street = make_organization("丙区某街道工会", parent=district)
    return make_organization("丙区某社区工会", parent=street), city, district


def _articles(n: int, unions, start: int = 1) -> None:
    lane, city = unions[:2]
    page = make_page(make_issue(datetime.date(2024, 3, start)))
    for seq in range(start, start + n):
        article = make_article(page, seq=seq)
        article.organizations.add(lane if seq % 2 else city)
        make_credit(article, "周美玉")
        make_credit(article, f"通讯员{seq}", role=Credit.Role.CORRESPONDENT)
        make_credit(article, "周美玉", role=Credit.Role.PHOTOGRAPHER)


def _index():
    return connections["default"].get_unified_index().get_index(Article)


def test_an_article_read_in_bulk_is_indexed_as_one_read_alone():
    _articles(4, _unions())
    index = _index()
    bulk = {article.pk: index.full_prepare(article) for article in index.index_queryset()}
    for article in Article.objects.all():
        alone = index.full_prepare(Article.objects.get(pk=article.pk))
        assert bulk[article.pk] == alone
    first = bulk[Article.objects.order_by("seq").first().pk]
    assert first["reporters"] == ["周美玉", "通讯员1"]
    assert first["organization_tree"] == [
        "丙区某社区工会",
        "丙区某街道工会",
        "丙区总工会",
        "乙市总工会",
        "甲级总工会",
    ]
    second = bulk[Article.objects.order_by("seq")[1].pk]
    assert second["organization_names"] == ["乙市总工会", "乙市总", "乙总工会"]


def test_reading_articles_in_bulk_takes_the_same_queries_for_more_articles():
    _, city, district = _unions()
    unions = (district, city)  # three parents at most: index_queryset reads them in its query
    _articles(3, unions)
    index = _index()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            for article in index.index_queryset():
                index.full_prepare(article)
        return len(captured)

    few = queries()
    _articles(9, unions, start=4)
    assert queries() == few
