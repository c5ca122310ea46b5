import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles.citation import citation, description
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


def test_the_citation_names_the_paper_that_printed_the_page(article, settings):
    settings.NEWSARCHIVE_NEWSPAPER_NAME = "首都工会新闻"
    article.page.paper = "工人日报"
    make_credit(article, "刘欣欣")
    assert citation(article) == "刘欣欣. 职工技能大赛开幕[N]. 工人日报, 2024-04-02(2)."


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


class EmbeddedMetadata(HTMLParser):
    """Reads <meta> tags as Zotero's Embedded Metadata translator does: every `name` (or
    `property`) with its content, repeated names (citation_author) kept in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        key = values.get("name") or values.get("property")
        if tag == "meta" and key and values.get("content") is not None:
            self.tags.setdefault(key.lower(), []).append(values["content"])


def test_article_page_carries_citation_tags_that_zotero_reads(client, article, settings):
    settings.NEWSARCHIVE_NEWSPAPER_NAME = "首都工会新闻"
    make_credit(article, "刘欣欣")
    make_credit(article, "王芳", Credit.Role.CORRESPONDENT)
    make_credit(article, "崔欣", Credit.Role.PHOTOGRAPHER)
    reader = EmbeddedMetadata()
    reader.feed(client.get(article.get_absolute_url()).content.decode())
    tags = reader.tags

    assert tags["citation_title"] == ["职工技能大赛开幕"]
    assert tags["citation_author"] == [
        "刘欣欣",
        "王芳",
    ]  # the photographer took no part in the text
    assert tags["citation_publication_date"] == ["2024/04/02"]
    assert tags["citation_journal_title"] == ["首都工会新闻"]
    assert tags["citation_firstpage"] == ["2"]
    assert tags["citation_public_url"] == [f"http://testserver{article.get_absolute_url()}"]
    assert tags["og:type"] == ["article"] and tags["og:title"] == ["职工技能大赛开幕"]
    assert tags["description"][0].startswith("本报讯")


def test_citation_tags_name_the_paper_that_printed_the_page(client, article):
    article.page.paper = "浙江工人日报"
    article.page.save()
    reader = EmbeddedMetadata()
    reader.feed(client.get(article.get_absolute_url()).content.decode())
    assert reader.tags["citation_journal_title"] == ["浙江工人日报"]


def test_description_is_cut_with_an_ellipsis(article):
    article.paragraphs = ["工会" * 100]
    article.save()
    text = description(article)
    assert len(text) == 120 and text.endswith("…")


def test_opensearch_description_points_at_the_search_page(client):
    response = client.get(reverse("articles:opensearch"))
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    assert 'template="http://testserver/search/?q={searchTerms}"' in response.content.decode()
    home = client.get(reverse("articles:home")).content.decode()
    assert 'rel="search" type="application/opensearchdescription+xml"' in home
