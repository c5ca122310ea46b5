import datetime
import random

import pytest
from haystack import connections
from haystack.backends.whoosh_backend import WhooshSearchBackend
from haystack.exceptions import SearchBackendError
from haystack.inputs import AutoQuery, Exact
from haystack.query import SQ, SearchQuerySet

from articles.models import Article, Credit, Issue
from articles.search.engine.analysis import index_words, query_words
from articles.search.service import exact_string, words_or_exact
from tests.factories import make_article, make_credit, make_issue, make_organization, make_page

pytestmark = pytest.mark.django_db


def index_all() -> None:
    connections["default"].get_unified_index().get_index(Article).update()


def article(
    headline: str, *paragraphs: str, date: datetime.date = datetime.date(2024, 3, 12), **fields
) -> Article:
    """The next article on page 1 of the issue of `date`."""
    issue = Issue.objects.filter(date=date).first() or make_issue(date=date)
    page = issue.pages.first() or make_page(issue=issue)
    seq = page.articles.count() + 1
    return make_article(
        page=page, seq=seq, headline=headline, paragraphs=list(paragraphs), **fields
    )


def found(q: str, **filters) -> list[int]:
    """Each word as the search service asks for it: all its jieba words or the exact string."""
    results = SearchQuerySet().filter(**filters)
    for word in q.split():
        results = results.filter(words_or_exact(word))
    return [int(result.pk) for result in results]


def found_exact(text: str) -> list[int]:
    return [int(result.pk) for result in SearchQuerySet().filter(exact_string(text))]


@pytest.mark.parametrize("query", ["北京市总工会", "总工会", "工会", "北京"])
def test_words_and_sub_words_find_the_whole_word(query):
    target = article("北京市总工会召开全委会", "会议在京举行。")
    article("职工运动会开幕", "本市职工参加比赛。")
    index_all()
    assert found(query) == [target.pk]


def test_substring_is_found_where_jieba_segments_query_and_text_differently():
    target = article("南京市长江大桥通车", "大桥连接两岸。")
    index_all()
    words = {word for word, _ in index_words(target.headline)}
    assert not set(query_words("市长")) <= words  # the jieba field alone would miss it
    assert found("市长") == [target.pk]


def test_one_character_query_finds_a_character_ending_a_line():
    target = article("走进北京", "春天来了。")
    index_all()
    assert found("京") == [target.pk]


def test_exact_string_ranks_above_its_words_apart():
    # More occurrences of the words: without the exact bonus BM25 would rank it first.
    apart = article("职工的文化生活", "职工参加文化活动。", "文化进职工家庭，职工学文化。")
    exact = article("职工文化节开幕", "开幕式在京举行。")
    index_all()
    assert query_words("职工文化") == ["职工", "文化"]
    assert found("职工文化") == [exact.pk, apart.pk]


def test_quoted_query_finds_only_the_exact_string():
    exact = article("研修班开班", "工会干部研修班开班。")
    article("干部培训", "工会组织干部培训。")
    index_all()
    assert found_exact("工会干部") == [exact.pk]


def test_quoted_query_matches_across_whitespace_but_not_across_lines():
    across_space = article("劳动 模范表彰", "表彰大会举行。")
    article("劳动", "模范表彰大会举行。")
    index_all()
    assert found_exact("劳动模范") == [across_space.pk]


def test_words_of_a_plain_query_may_be_apart():
    target = article("工会干部研修班", "研修班在京开班。")
    index_all()
    assert found("研修班 工会") == [target.pk]


def test_exact_input_is_a_quoted_query():
    exact = article("研修班开班", "工会干部研修班开班。")
    article("干部培训", "工会组织干部培训。")
    index_all()
    assert [int(r.pk) for r in SearchQuerySet().filter(content=Exact("工会干部"))] == [exact.pk]


@pytest.fixture
def two_homes() -> dict[str, Article]:
    """Two articles on 职工之家, differing in every structured field."""
    union = make_organization("北京市总工会", aliases=("市总工会",))
    january = article("职工之家建设", "职工之家建成。", date=datetime.date(2024, 1, 5))
    march = article("职工之家揭牌", "揭牌。", date=datetime.date(2024, 3, 12), kind="photo")
    make_credit(january, "周美玉")
    make_credit(march, "刘欣欣", role=Credit.Role.PHOTOGRAPHER)
    january.organizations.add(union)
    index_all()
    return {"january": january, "march": march}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"reporters": Exact("周美玉")}, "january"),
        ({"reporters": Exact("刘欣欣")}, "march"),
        ({"organizations": Exact("北京市总工会")}, "january"),
        ({"organization_names": Exact("市总工会")}, "january"),
        ({"date__gte": datetime.date(2024, 2, 1)}, "march"),
        ({"date__range": (datetime.date(2024, 1, 1), datetime.date(2024, 1, 31))}, "january"),
        ({"kind": "photo"}, "march"),
        ({"page": 1, "year_month": "2024-01"}, "january"),
    ],
)
def test_structured_filters_narrow_a_text_query(two_homes, filters, expected):
    assert found("职工之家", **filters) == [two_homes[expected].pk]


def test_facets_count_organizations_reporters_kinds_and_months():
    union = make_organization("北京市总工会", aliases=("市总工会",))
    federation = make_organization("中华全国总工会")
    first = article("职工之家建设", "职工之家。", date=datetime.date(2024, 1, 5))
    second = article("职工之家揭牌", "职工之家。", date=datetime.date(2024, 1, 5))
    third = article("职工之家评选", "职工之家。", date=datetime.date(2024, 3, 12), kind="photo")
    article("春运", "列车开行。", date=datetime.date(2024, 3, 12))
    make_credit(first, "周美玉")
    make_credit(second, "周美玉")
    make_credit(second, "刘欣欣")
    make_credit(third, "刘欣欣", role=Credit.Role.PHOTOGRAPHER)
    first.organizations.add(union)
    second.organizations.add(union, federation)
    index_all()
    facets = (
        SearchQuerySet()
        .filter(content=AutoQuery("职工之家"))
        .facet("organizations")
        .facet("reporters")
        .facet("kind")
        .facet("year_month")
        .facet_counts()["fields"]
    )
    assert facets == {
        "organizations": [("北京市总工会", 2), ("中华全国总工会", 1), (None, 1)],
        "reporters": [("刘欣欣", 2), ("周美玉", 2)],
        "kind": [("news", 2), ("photo", 1)],
        "year_month": [("2024-01", 2), ("2024-03", 1)],
    }


def test_facets_survive_a_segment_merge():
    first = article("职工之家建设", "职工之家。")
    make_credit(first, "周美玉")
    index_all()
    second = article("职工之家揭牌", "职工之家。")
    make_credit(second, "周美玉")
    make_credit(second, "刘欣欣")
    backend = connections["default"].get_backend()
    backend.update(connections["default"].get_unified_index().get_index(Article), [second])
    backend.optimize()
    facets = SearchQuerySet().filter(content="职工之家").facet("reporters").facet_counts()
    assert facets["fields"]["reporters"] == [("周美玉", 2), ("刘欣欣", 1)]


def test_removed_article_is_no_longer_found():
    kept = article("职工之家建设", "职工之家。")
    removed = article("职工之家揭牌", "职工之家。")
    index_all()
    connections["default"].get_backend().remove(removed)
    assert found("职工之家") == [kept.pk]


def test_prefix_query_on_text_is_normalised():
    target = article("ＡＰＥＣ会议开幕", "会议在京举行。")
    index_all()
    assert [int(r.pk) for r in SearchQuerySet().filter(content__startswith="APE")] == [target.pk]


def test_haystack_highlighting_is_refused_since_text_is_not_stored():
    article("职工之家建设", "职工之家。")
    index_all()
    with pytest.raises(SearchBackendError, match="highlight"):
        list(SearchQuerySet().filter(content="职工之家").highlight())


WORDS = ["职工", "工会", "技能", "大赛", "北京", "朝阳区", "劳动", "模范", "文化", "之家", "春运"]


@pytest.fixture
def mixed_archive() -> list[Article]:
    """Sixty articles of shuffled words, credits and unions, indexed in three segments with a
    deletion, so a search runs over several segments and deleted documents."""
    rng = random.Random(4)  # noqa: S311 (test data)
    unions = [
        make_organization(name) for name in ("北京市总工会", "朝阳区总工会", "中华全国总工会")
    ]
    articles = []
    for n in range(60):
        words = rng.choices(WORDS, k=rng.randint(3, 12))
        made = article(
            "".join(words[:3]),
            "".join(words[3:]) + "。",
            date=datetime.date(2024, 1 + n % 5, 1 + n % 7),
            kind="photo" if n % 4 == 0 else "news",
        )
        make_credit(made, rng.choice(["周美玉", "刘欣欣", "崔欣"]))
        made.organizations.add(*rng.sample(unions, k=rng.randint(0, 2)))
        articles.append(made)
    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Article)
    for batch in (articles[:25], articles[25:45], articles[45:]):
        backend.update(index, batch)
    backend.remove(articles[10])
    return articles


@pytest.mark.parametrize(
    "sqs",
    [
        lambda s: s.filter(content=AutoQuery("职工")),
        lambda s: s.filter(content=AutoQuery("职工 技能")),
        lambda s: s.filter(content=AutoQuery("职工技能")),
        lambda s: s.filter(content=AutoQuery('"工会技能" -春运')),
        lambda s: s.filter(content="工会").filter_or(content="文化"),
        lambda s: s.filter(content=AutoQuery("北京")).filter(kind="photo"),
        lambda s: s.filter(content=AutoQuery("劳动模范"), reporters=Exact("刘欣欣")),
        lambda s: s.filter(content=AutoQuery("之家")).order_by("-date"),
        lambda s: s.filter(content=AutoQuery("大赛")).order_by("date"),
        lambda s: s.filter(organizations=Exact("朝阳区总工会")).order_by("-date"),
        lambda s: s.filter(date__gte=datetime.date(2024, 3, 1), content=AutoQuery("文化")),
        lambda s: s.order_by("-date"),
        lambda s: s.filter(kind="photo"),
        lambda s: s.filter(reporters=Exact("刘欣欣")),
        lambda s: s.filter(kind="news").order_by("date"),
        lambda s: s.filter(words_or_exact("职工技能")),
        lambda s: s.filter(words_or_exact("劳动")).filter(words_or_exact("北京")),
        lambda s: s.filter(exact_string("工会技能")).exclude(text_bigrams=Exact("春运")),
        lambda s: s.filter(words_or_exact("文化") | SQ(organizations=Exact("北京市总工会"))),
    ],
)
def test_document_set_search_answers_as_whoosh_does(mixed_archive, sqs):
    """The backend's own search (document sets) against haystack's, which steps through every
    match with Whoosh: same count, facets, and first page in the same order with the same
    scores."""
    query_string = sqs(SearchQuerySet()).query.build_query()
    sort_by = sqs(SearchQuerySet()).query.order_by or None
    backend = connections["default"].get_backend()
    facets = ["organizations", "reporters", "kind", "year_month"]
    ours = backend.search(query_string, sort_by=sort_by, end_offset=10, facets=facets)
    whoosh = WhooshSearchBackend.search(backend, query_string, sort_by=sort_by, facets=facets)
    assert ours["hits"] == whoosh["hits"] > 0
    assert ours["facets"]["fields"] == whoosh["facets"]["fields"]
    page = [result.pk for result in ours["results"]]
    assert page == [result.pk for result in whoosh["results"][:10]]
    if not sort_by:
        # Whoosh adds 1.0 for each filter term every match has, which the backend leaves out.
        gaps = {
            round(theirs.score - mine.score, 3)
            for mine, theirs in zip(ours["results"], whoosh["results"], strict=False)
        }
        assert len(gaps) == 1
    second = backend.search(query_string, sort_by=sort_by, start_offset=5, end_offset=10)
    assert [result.pk for result in second["results"]] == page[5:]


def test_a_new_process_searches_before_anything_else():
    target = article("职工之家建设", "职工之家。")
    index_all()
    connections.reload("default")  # a fresh backend, as in a newly started worker
    facets = SearchQuerySet().filter(content="职工之家").facet("kind")
    assert facets.facet_counts()["fields"]["kind"] == [("news", 1)]
    assert [int(result.pk) for result in facets] == [target.pk]


def test_facets_of_every_document_follow_a_deletion_in_the_same_segment():
    kept = article("职工之家建设", "职工之家。")
    removed = article("职工之家揭牌", "职工之家。")
    make_credit(kept, "周美玉")
    make_credit(removed, "刘欣欣")
    index_all()

    def reporters() -> list:
        return SearchQuerySet().facet("reporters").facet_counts()["fields"]["reporters"]

    index = connections["default"].get_backend().index

    def segments() -> list[str]:
        return [reader.segment().segment_id() for reader, _ in index.reader().leaf_readers()]

    before = segments()
    assert reporters() == [("刘欣欣", 1), ("周美玉", 1)]
    connections["default"].get_backend().remove(removed)
    assert segments() == before  # the same segment, with one more deletion
    assert reporters() == [("周美玉", 1)]
