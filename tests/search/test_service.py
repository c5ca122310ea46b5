import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from whoosh.reading import SegmentReader

from articles.identity import retire_articles
from articles.models import Article, Credit, Issue
from articles.search.engine.deadline import SearchTimeout
from articles.search.engine.query import QueryError
from articles.search.indexing import apply_pending_updates
from articles.search.service import SearchParams, Sort, search_articles
from tests.factories import make_article, make_credit, make_issue, make_organization, make_page

pytestmark = pytest.mark.django_db


def article(headline: str, *paragraphs: str, date=datetime.date(2024, 3, 12), page=1, **fields):
    issue = Issue.objects.filter(date=date).first() or make_issue(date=date)
    paper_page = issue.pages.filter(number=page).first() or make_page(issue=issue, number=page)
    seq = paper_page.articles.count() + 1
    return make_article(
        page=paper_page, seq=seq, headline=headline, paragraphs=list(paragraphs), **fields
    )


def search(q: str = "", **params) -> list[int]:
    return [hit.article.pk for hit in search_articles(SearchParams(q=q, **params)).hits]


@pytest.fixture
def archive() -> dict[str, Article]:
    """Three articles in two months, with credits and unions, all indexed."""
    city = make_organization("北京市总工会", aliases=("市总工会", "市总"))
    chaoyang = make_organization("朝阳区总工会")
    congress = article(
        "北京市总工会召开全委会",
        "本报讯（记者 刘欣欣）北京市总工会十五届全委会召开。",
        date=datetime.date(2024, 3, 12),
        page=1,
    )
    make_credit(congress, "刘欣欣")
    congress.organizations.add(city)
    contest = article(
        "朝阳区职工技能大赛开幕",
        "本报讯（记者 刘欣欣 通讯员 王芳）朝阳区总工会举办职工技能大赛。",
        date=datetime.date(2024, 4, 2),
        page=2,
    )
    make_credit(contest, "刘欣欣")
    make_credit(contest, "王芳", Credit.Role.CORRESPONDENT)
    contest.organizations.add(chaoyang, city)
    photo = article(
        "工余时间“动”起来",
        "职工们在工余时间做保健操。",
        date=datetime.date(2024, 4, 9),
        page=2,
        kind=Article.Kind.PHOTO,
    )
    make_credit(photo, "崔欣", Credit.Role.PHOTOGRAPHER)
    apply_pending_updates()
    return {"congress": congress, "contest": contest, "photo": photo}


def test_every_word_must_match(archive):
    assert search("职工 技能") == [archive["contest"].pk]
    assert set(search("职工")) == {archive["contest"].pk, archive["photo"].pk}


def test_sub_words_find_a_union_name(archive):
    assert search("总工会", sort=Sort.OLDEST) == [archive["congress"].pk, archive["contest"].pk]


def test_phrase_and_exclusion(archive):
    assert search('"技能大赛"') == [archive["contest"].pk]
    assert search("职工 -保健操") == [archive["contest"].pk]
    assert search('职工 -"技能 大赛"') == [archive["photo"].pk]


@pytest.mark.parametrize(
    "params",
    [{"q": "记者:刘欣欣"}, {"q": "reporter:刘欣欣"}, {"reporter": "刘欣欣"}],
)
def test_reporter_prefix_and_filter(archive, params):
    assert set(search(**params)) == {archive["congress"].pk, archive["contest"].pk}


@pytest.mark.parametrize(
    "params",
    [{"q": "工会:朝阳区总工会"}, {"q": "org:朝阳区总工会"}, {"organization": "朝阳区总工会"}],
)
def test_union_prefix_and_filter(archive, params):
    assert search(**params) == [archive["contest"].pk]


@pytest.mark.parametrize("alias", ["市总", "市总工会", "北京市总工会"])
def test_any_union_name_finds_the_canonical_unions_articles(archive, alias):
    assert set(search(organization=alias)) == {archive["congress"].pk, archive["contest"].pk}
    assert set(search(f"工会:{alias}")) == {archive["congress"].pk, archive["contest"].pk}


def test_date_range_page_and_kind(archive):
    april = {"date_from": datetime.date(2024, 4, 1), "date_to": datetime.date(2024, 4, 30)}
    assert set(search(**april)) == {archive["contest"].pk, archive["photo"].pk}
    assert search(date_to=datetime.date(2024, 3, 31)) == [archive["congress"].pk]
    assert search(date_from=datetime.date(2024, 4, 9)) == [archive["photo"].pk]
    assert set(search(paper_page=2)) == {archive["contest"].pk, archive["photo"].pk}
    assert search(kind=Article.Kind.PHOTO) == [archive["photo"].pk]


def test_sort_by_date(archive):
    newest = [archive["photo"].pk, archive["contest"].pk, archive["congress"].pk]
    assert search(sort=Sort.NEWEST) == newest
    assert search(sort=Sort.OLDEST) == newest[::-1]
    assert search() == newest  # without words, relevance means nothing: newest first
    assert search("职工", sort=Sort.NEWEST) == newest[:2]


def test_facets_count_every_match_not_only_the_page(archive):
    results = search_articles(SearchParams(q="职工", per_page=1))
    assert results.total == 2 and len(results.hits) == 1
    facets = {name: {v.value: v.count for v in values} for name, values in results.facets.items()}
    assert facets == {
        "organizations": {"朝阳区总工会": 1, "北京市总工会": 1},
        "reporters": {"刘欣欣": 1, "王芳": 1, "崔欣": 1},
        "year": {"2024": 2},
        "year_month": {"2024-04": 2},
        "kind": {"news": 1, "photo": 1},
    }
    month = results.facets["year_month"][0]
    assert month.label == "2024年4月"
    assert month.params == {"from": "2024-04-01", "to": "2024-04-30"}
    assert results.facets["kind"][0].label in {"新闻", "图片新闻"}


def test_pages_of_results(archive):
    first = search_articles(SearchParams(sort=Sort.OLDEST, kind="news", per_page=1))
    second = search_articles(SearchParams(sort=Sort.OLDEST, kind="news", per_page=1, page=2))
    assert (first.total, first.num_pages) == (2, 2)
    assert [first.hits[0].article.pk, second.hits[0].article.pk] == [
        archive["congress"].pk,
        archive["contest"].pk,
    ]
    with pytest.raises(QueryError, match="没有第 3 页：结果共 2 页"):
        search_articles(SearchParams(kind="news", per_page=1, page=3))


def test_no_match_is_an_empty_page_not_an_error(archive):
    results = search_articles(SearchParams(q="不存在的词语"))
    assert (results.total, results.num_pages, results.hits) == (0, 1, [])


def test_headline_and_snippet_are_marked_and_escaped(archive):
    target = article("<b>职工</b>之家", '<script>alert("职工")</script>')
    apply_pending_updates()
    [hit] = search_articles(SearchParams(q="之家")).hits
    assert hit.article == target
    assert hit.headline == "&lt;b&gt;职工&lt;/b&gt;<mark>之家</mark>"
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet


def test_only_exclusions_need_a_filter(archive):
    with pytest.raises(QueryError, match="只有排除词"):
        search("-职工")
    assert search("-保健操", kind=Article.Kind.PHOTO) == []
    assert search("-技能", reporter="刘欣欣") == [archive["congress"].pk]


def test_database_queries_do_not_grow_with_results(archive):
    for n in range(10):
        make_credit(article(f"职工报道{n}", "职工活动。"), f"记者{n}")
    apply_pending_updates()
    with CaptureQueriesContext(connection) as few:
        search("职工", per_page=1)
    with CaptureQueriesContext(connection) as many:
        search("职工", per_page=20)
    assert len(many) == len(few) <= 8  # the page, its credits and unions, the union tree


def test_hits_read_what_they_show_and_not_the_page_source(archive):
    with CaptureQueriesContext(connection) as queries:
        [hit] = search_articles(SearchParams(q="技能大赛")).hits
    assert hit.organizations == ("北京市总工会", "朝阳区总工会")  # by name
    assert [(c.person.name, c.role) for c in hit.article.credits.all()] == [
        ("刘欣欣", Credit.Role.REPORTER),
        ("王芳", Credit.Role.CORRESPONDENT),
    ]
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "source_text" not in sql and '"parsed"' not in sql
    with CaptureQueriesContext(connection) as shown:
        hit.article.get_absolute_url(), hit.article.page.get_absolute_url(), hit.article.body
    assert not shown.captured_queries


def test_an_article_deleted_since_indexing_is_left_out(archive):
    retire_articles([archive["photo"]])  # queued, not yet applied to the index
    assert search("职工") == [archive["contest"].pk]


def test_quoted_fragments_that_nest_queries_do_not_crash(archive):
    """Found by bench/fuzz.py: Whoosh flattened nested queries and read a missing boost."""
    assert search(";'0 0.") == []
    assert search("工会' 职工'") == [archive["contest"].pk]


def test_union_roll_up_counts_an_article_under_two_sibling_unions_once():
    parent = make_organization("北京市总工会")
    east = make_organization("东城区总工会", parent=parent)
    west = make_organization("西城区总工会", parent=parent)
    both = article("两区职工联谊", "职工联谊活动。")
    both.organizations.add(east, west)
    east_only = article("东城职工运动会", "职工运动会。")
    east_only.organizations.add(east)
    apply_pending_updates()
    [root] = search_articles(SearchParams(q="职工")).union_tree
    children = {node.name: (node.count, node.total) for node in root.children}
    assert (root.name, root.count, root.total) == ("北京市总工会", 0, 2)
    assert children == {"东城区总工会": (2, 2), "西城区总工会": (1, 1)}


def test_sub_union_filter_finds_the_articles_under_a_grandparent():
    top = make_organization("中华全国总工会")
    city = make_organization("北京市总工会", parent=top)
    district = make_organization("朝阳区总工会", parent=city)
    target = article("朝阳区职工技能大赛", "职工技能大赛。")
    target.organizations.add(district)
    article("其他报道", "职工活动。")
    apply_pending_updates()
    assert search(organization="中华全国总工会", include_sub_unions=True) == [target.pk]


@pytest.mark.parametrize(
    ("q", "headline", "marked"),
    [
        ('"劳动 模范"', "劳动模范表彰", "<mark>劳动模范</mark>表彰"),
        ("工会 工会干部", "工会干部研修班", "<mark>工会干部</mark>研修班"),
        ("职工文化", "职工的业余文化生活", "<mark>职工</mark>的业余<mark>文化</mark>生活"),
    ],
)
def test_every_matched_term_is_marked(q, headline, marked):
    article(headline, "活动举行。")
    apply_pending_updates()
    [hit] = search_articles(SearchParams(q=q)).hits
    assert hit.headline == marked


@pytest.fixture
def fields_read(monkeypatch) -> set[str]:
    """The fields whose terms or postings a search reads from the index."""
    read: set[str] = set()
    for name in ("postings", "lexicon", "terms_from"):
        original = getattr(SegmentReader, name)

        def spy(self, fieldname, *args, _original=original, **kwargs):
            read.add(fieldname)
            return _original(self, fieldname, *args, **kwargs)

        monkeypatch.setattr(SegmentReader, name, spy)
    return read


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"kind": Article.Kind.PHOTO},
        {"date_from": datetime.date(2024, 4, 1), "paper_page": 2},
        {"organization": "北京市总工会", "include_sub_unions": True},
    ],
)
def test_a_search_without_text_reads_no_text_terms(archive, fields_read, params):
    results = search_articles(SearchParams(**params))
    assert results.total >= 1
    assert not fields_read & {"text", "title_bigrams", "body_bigrams"}


@pytest.mark.parametrize(
    ("q", "literal", "operator_match"),
    [
        ("工*", "工*标记", "工人代表"),  # a prefix query would find 工人
        ("*1*", "编号*1*号", "2013年度"),  # a wildcard would find any term holding a 1
        ("工会~", "工会~活动", "公会活动"),  # a fuzzy term would find 公会
        ("工会^10", "工会^10周年", "工会活动"),  # a boost would drop the 10
    ],
)
def test_whoosh_operators_typed_by_readers_are_text(q, literal, operator_match):
    target = article(literal, "报道。")
    other = article(operator_match, "报道。")
    apply_pending_updates()
    assert search(q) == [target.pk]
    assert search(f'"{q}"') == [target.pk]
    assert search(f"报道 -{q}") == [other.pk]


@pytest.mark.parametrize("name", ["刘*", "刘欣?", "刘欣欣~", "*"])
def test_whoosh_operators_in_a_name_filter_are_text(archive, name):
    assert search(reporter=name) == []
    assert search(organization=name) == []


def test_a_search_past_its_time_budget_stops_with_a_message(archive, settings):
    settings.SEARCH_TIME_BUDGET_SECONDS = 0
    with pytest.raises(SearchTimeout, match="搜索超时"):
        search_articles(SearchParams(q="职工"))


def test_a_search_within_its_time_budget_is_answered(archive, settings):
    settings.SEARCH_TIME_BUDGET_SECONDS = 60
    assert len(search("职工")) == 2


def test_the_year_facet_reaches_every_year_and_adds_up_to_the_total():
    for year in range(1990, 2016):  # 26 years: more than a facet's FACET_SIZE values
        article(f"{year}年职工运动会", "职工运动会举行。", date=datetime.date(year, 5, 1))
    article("2015年职工书法展", "职工书法展开幕。", date=datetime.date(2015, 9, 1))
    apply_pending_updates()
    results = search_articles(SearchParams(q="职工"))
    years = results.facets["year"]
    assert [year.value for year in years] == [str(y) for y in range(2015, 1989, -1)]
    assert sum(year.count for year in years) == results.total == 27
    assert years[0].count == 2
    assert years[-1].params == {"from": "1990-01-01", "to": "1990-12-31"}


def test_the_timeline_groups_years_by_decade_and_a_year_narrows_to_its_months():
    for date in (datetime.date(1998, 3, 1), datetime.date(1998, 7, 1), datetime.date(2003, 1, 1)):
        article("职工之家揭牌", "职工之家揭牌。", date=date)
    apply_pending_updates()
    timeline = search_articles(SearchParams(q="职工之家")).timeline
    assert [(d.label, d.count, d.params["from"]) for d in timeline] == [
        ("2000年代", 1, "2000-01-01"),
        ("1990年代", 2, "1990-01-01"),
    ]
    assert [(y.label, y.count) for y in timeline[1].years] == [("1998年", 2)]
    year = timeline[1].years[0].params
    narrowed = search_articles(
        SearchParams(
            q="职工之家",
            date_from=datetime.date.fromisoformat(year["from"]),
            date_to=datetime.date.fromisoformat(year["to"]),
        )
    )
    assert [m.label for m in narrowed.facets["year_month"]] == ["1998年7月", "1998年3月"]
