"""Citation files read back by the parsers reference managers' importers follow."""

import datetime

import bibtexparser
import pytest
import rispy
from django.urls import reverse

from articles.citation_files import as_bibtex, as_ris
from articles.search.indexing import apply_pending_updates
from tests.factories import make_article, make_credit, make_issue, make_page

pytestmark = pytest.mark.django_db

URL = "http://archive.example/articles/1/"


@pytest.fixture
def article():
    page = make_page(make_issue(datetime.date(2024, 4, 2)), number=2)
    article = make_article(
        page,
        headline="朝阳区职工技能大赛{开幕} 100% & #1",
        subheadline="千余名职工参赛",
        paragraphs=["本报讯（记者 刘欣欣 通讯员 王芳）朝阳区职工技能大赛开幕。"],
    )
    make_credit(article, "刘欣欣")
    make_credit(article, "王芳", "correspondent")
    return article


def test_ris_reads_back_as_a_newspaper_article(article, settings):
    [entry] = rispy.loads(as_ris([(article, URL)]))
    assert entry["type_of_reference"] == "NEWS"
    assert entry["authors"] == ["刘欣欣", "王芳"]
    assert entry["title"] == "朝阳区职工技能大赛{开幕} 100% & #1——千余名职工参赛"
    assert entry["secondary_title"] == settings.NEWSARCHIVE_NEWSPAPER_NAME
    assert (entry["year"], entry["date"], entry["start_page"]) == ("2024", "2024/04/02", "2")
    assert entry["urls"] == [URL]


def test_bibtex_reads_back_with_its_special_characters_as_printed(article, settings):
    library = bibtexparser.parse_string(
        as_bibtex(article, URL),
        append_middleware=[bibtexparser.middlewares.LatexDecodingMiddleware()],
    )
    assert not library.failed_blocks
    [entry] = library.entries
    assert entry.entry_type == "article"
    assert entry.key == f"newsarchive{article.pk}"
    assert entry["title"] == "朝阳区职工技能大赛{开幕} 100% & #1——千余名职工参赛"
    assert entry["author"] == "刘欣欣 and 王芳"
    assert entry["journaltitle"] == settings.NEWSARCHIVE_NEWSPAPER_NAME
    assert (entry["date"], entry["pages"], entry["url"]) == ("2024-04-02", "2", URL)


def test_the_article_page_offers_its_citation_files(client, article):
    for fmt, content_type in (("ris", "research-info-systems"), ("bib", "bibtex")):
        response = client.get(reverse("articles:cite", args=[article.pk, fmt]))
        assert response.status_code == 200
        assert content_type in response["Content-Type"]
        assert f'filename="article-{article.pk}.{fmt}"' in response["Content-Disposition"]
    [entry] = rispy.loads(client.get(f"/articles/{article.pk}/cite.ris").content.decode())
    assert entry["urls"] == [f"http://testserver/articles/{article.pk}/"]
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"/articles/{article.pk}/cite.bib" in page
    assert client.get(f"/articles/{article.pk + 999}/cite.ris").status_code == 404


def test_a_searchs_results_export_as_ris(client, article):
    other = make_article(
        article.page, seq=2, headline="职工书法展开幕", paragraphs=["职工书法展。"]
    )
    apply_pending_updates()
    response = client.get(reverse("articles:search_export", args=["ris"]), {"q": "开幕"})
    entries = rispy.loads(b"".join(response.streaming_content).decode())
    assert {entry["urls"][0] for entry in entries} == {
        f"http://testserver/articles/{article.pk}/",
        f"http://testserver/articles/{other.pk}/",
    }
