import datetime

import pytest

from articles.citation import citation
from articles.models import Article, Credit
from tests.factories import make_article, make_credit, make_issue, make_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(
        make_page(make_issue(datetime.date(2024, 4, 2)), number=2), headline="职工技能大赛开幕"
    )


def test_gb_t_7714_newspaper_form(article, settings):
    settings.NEWSARCHIVE_NEWSPAPER_NAME = "首都工会新闻"
    make_credit(article, "刘欣欣")
    make_credit(article, "王芳", Credit.Role.CORRESPONDENT)
    assert citation(article) == "刘欣欣, 王芳. 职工技能大赛开幕[N]. 首都工会新闻, 2024-04-02(2)."


def test_more_than_three_authors_end_with_deng(article):
    for name in ["甲一", "乙二", "丙三", "丁四"]:
        make_credit(article, name)
    assert citation(article).startswith("甲一, 乙二, 丙三, 等. 职工技能大赛开幕[N].")


def test_photographer_is_an_author_of_photo_news_only(article):
    make_credit(article, "崔欣", Credit.Role.PHOTOGRAPHER)
    make_credit(article, "刘欣欣")
    assert citation(article).startswith("刘欣欣. ")
    article.kind = Article.Kind.PHOTO
    assert citation(article).startswith("崔欣, 刘欣欣. ")


def test_no_credit_starts_with_the_title_and_keeps_the_subheadline(article):
    article.subheadline = "百名工匠同台竞技"
    assert citation(article).startswith("职工技能大赛开幕——百名工匠同台竞技[N]. ")
