"""Whole-value filters (articles.search.inputs.Value): a name is a value, never query syntax."""

import pytest
from django.db.models import Q
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.authority import find_organization
from articles.models import Article
from articles.search.indexing import apply_pending_updates
from articles.search.service import SearchParams, search_articles
from tests.factories import make_article, make_credit, make_organization, make_page

# Names holding what the query syntax of Whoosh or Elasticsearch reads: quotes, operators,
# wildcards, brackets, backslashes, field names. No ASCII comma: haystack joins a list of
# names with commas in the index, so no name can hold one (see the report of issue 20).
HOSTILE_NAMES = [
    '不存在" OR kind:"news',
    '不存在" OR text_bigrams:* OR "x',
    "张*",
    "王?",
    "李 OR 赵",
    "(刘)",
    "text_bigrams:??",
    "kind:photo",
    "孙\\",
    '"',
    "[1 TO 9]",
    "工会^2",
    "崔~",
    "NOT 边",
    "周 AND 吴",
    "{*}",
]
SYNTAX = ['"', "*", "?", "(", ")", "[", "]", "{", "}", "\\", ":", "^", "~", "!", "/", "-", "+"]
WORDS = [" OR ", " AND ", " NOT ", "kind:", "text_bigrams:", "text:", "reporters:", "张", "工会"]
names = st.one_of(
    st.sampled_from(HOSTILE_NAMES),
    st.lists(st.sampled_from([*SYNTAX, *WORDS, *HOSTILE_NAMES]), min_size=1, max_size=6).map(
        "".join
    ),
    st.text(alphabet=st.characters(exclude_characters=",", exclude_categories=["Cs", "Cc"])),
).map(lambda name: " ".join(name.split()))
names = names.filter(bool)  # an empty filter is no filter


@pytest.fixture
def archive(db):
    """An article credited to and about each hostile name, and two plain articles."""
    page = make_page()
    for seq, name in enumerate(HOSTILE_NAMES, start=1):
        article = make_article(page, seq=seq, headline=f"第{seq}篇职工新闻")
        make_credit(article, name)
        article.organizations.add(make_organization(f"{name}工会", aliases=(name,)))
    plain = make_article(page, seq=90, headline="北京市总工会召开全委会")
    make_credit(plain, "张三")
    make_article(page, seq=91, headline="职工之家揭牌", kind=Article.Kind.PHOTO)
    apply_pending_updates()


def found(**params) -> set[int]:
    results = search_articles(SearchParams(per_page=100, **params))
    assert results.total == len(results.hits)
    return {hit.article.pk for hit in results.hits}


def credited(name: str) -> set[int]:
    return set(Article.objects.filter(credits__person__name=name).values_list("pk", flat=True))


def about(name: str) -> set[int]:
    named = Q(organizations__name=name) | Q(organizations__aliases__name=name)
    return set(Article.objects.filter(named).values_list("pk", flat=True))


hostile = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@hostile
@given(name=names)
@example(name='不存在" OR kind:"news')
@example(name="张*")
def test_reporter_filter_finds_exactly_the_articles_credited_to_that_name(archive, name):
    assert found(reporter=name) == credited(name)


@hostile
@given(name=names, sub=st.booleans())
@example(name='不存在" OR text_bigrams:* OR "x', sub=True)
@example(name="李 OR 赵", sub=False)
def test_union_filter_finds_exactly_the_articles_about_that_name(archive, name, sub):
    # With `sub`, a union the authority file knows by that name (spaces aside) and the
    # articles under it; no hostile union has sub-unions.
    union = find_organization([name]) if sub else None
    assert found(organization=name, include_sub_unions=sub) == about(union.name if union else name)


@hostile
@given(name=names)
@example(name="news OR photo")
def test_kind_filter_finds_only_that_kind(archive, name):
    expected = set(Article.objects.filter(kind=name).values_list("pk", flat=True))
    assert found(kind=name) == expected


# A bar is OR wherever it stands (`托管|书法`, issue 24), so an unquoted value ends at a space or
# a bar, as a quote ends it: a name holding one is written quoted (the test after this one).
_ENDS_A_WORD = set('"“”＂|｜')


@hostile
@given(name=names.filter(lambda name: name and not set(name) & _ENDS_A_WORD))
@example(name="text_bigrams:*")
def test_query_operators_take_the_rest_of_the_word_as_a_name(archive, name):
    first = name.split()[0]  # an unquoted value ends at a space
    if not any(char.isalnum() for char in first):
        return  # the query reader skips a value with nothing searchable in it
    assert found(q=f"记者:{first}") == credited(first)
    assert found(q=f"工会:{first}") == about(first)


@hostile
@given(name=names.filter(lambda name: not set(name) & set('"”＂')))
@example(name="0|")
@example(name="李 OR 赵")
@example(name="张|王 ｜ 刘")
def test_a_quoted_name_after_an_operator_is_the_whole_name(archive, name):
    if not any(char.isalnum() for char in name):
        return  # the query reader skips a value with nothing searchable in it
    assert found(q=f'记者:"{name}"') == credited(name)
    assert found(q=f"工会:“{name}”") == about(name)


def test_a_bar_after_an_operator_is_or(archive):
    assert found(q="记者:张三|记者:不存在") == credited("张三")
    assert found(q="记者:张*｜工会:王?") == credited("张*") | about("王?")


def test_a_name_holding_a_filter_of_another_field_finds_only_its_article(archive):
    assert found(organization='不存在" OR kind:"news') == about('不存在" OR kind:"news')
    assert len(about('不存在" OR kind:"news')) == 1


@pytest.mark.parametrize(
    "q", ["x')OR(kind:'news", "x')OR(text_bigrams:*", "zz')OR(reporters:'张*", "职工')OR('x"]
)
def test_a_word_holding_quotes_and_fields_is_a_word(archive, q):
    assert found(q=q) == set()
