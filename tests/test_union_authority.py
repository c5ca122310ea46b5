"""The union authority: one record per union, its aliases and hierarchy, understood everywhere."""

import datetime
import io

import pytest
from django.core.management import call_command

from articles import parsing
from articles.authority import load_authority
from articles.ingest import ingest_page_bytes
from articles.models import Article, Organization, OrganizationAlias
from articles.search.indexing import apply_pending_updates
from articles.search.service import SearchParams, search_articles, union_tree
from tests.factories import make_article, make_credit, make_organization, make_page

from .conftest import DATA


def load_unions() -> str:
    out = io.StringIO()
    call_command("load_unions", stdout=out)
    return out.getvalue()


def test_the_authority_file_names_the_federation_the_city_and_every_district():
    unions = {union.name: union for union in parsing.authority()}
    assert unions["中华全国总工会"].aliases == ("全国总工会", "全总")
    assert unions["北京市总工会"].parent == "中华全国总工会"
    districts = [u for u in unions.values() if u.kind == "区"]
    assert len(districts) == 17  # the 16 districts and 经开区
    assert all(u.parent == "北京市总工会" for u in districts)


def test_the_parser_maps_every_form_of_a_name_to_the_authority_name():
    text = (
        "职工之家建设推进会召开\n\n本报讯（记者 刘欣欣）全总和北京市工会日前召开推进会，"
        "经开区总工会介绍了经验。\n"
    )
    [article] = parsing.parse_page(text).articles
    names = {mention.name for mention in article.organizations}
    assert names == {"中华全国总工会", "北京市总工会", "北京经济技术开发区总工会"}


@pytest.mark.django_db
def test_load_unions_twice_changes_nothing():
    first = load_unions()
    assert first.startswith("29 created, 0 updated")
    snapshot = sorted(
        Organization.objects.values_list("name", "kind", "parent__name", "needs_review")
    )
    aliases = sorted(OrganizationAlias.objects.values_list("organization__name", "name"))
    assert load_unions() == "0 created, 0 updated, 29 unchanged, 0 conflicts\n"
    assert (
        sorted(Organization.objects.values_list("name", "kind", "parent__name", "needs_review"))
        == snapshot
    )
    assert sorted(OrganizationAlias.objects.values_list("organization__name", "name")) == aliases


@pytest.mark.django_db
def test_a_name_stored_before_the_authority_becomes_an_alias_and_keeps_its_articles():
    earlier = make_organization("经开区总工会")
    earlier.needs_review = True
    earlier.save()
    article = make_article()
    article.organizations.add(earlier)
    load_unions()
    union = Organization.objects.get(pk=earlier.pk)
    assert (union.name, union.kind, union.parent.name, union.needs_review) == (
        "北京经济技术开发区总工会",
        "区",
        "北京市总工会",
        False,
    )
    assert list(union.articles.all()) == [article]
    assert "经开区总工会" in union.aliases.values_list("name", flat=True)


@pytest.mark.django_db
def test_a_name_held_by_another_organization_is_a_conflict_not_a_move():
    make_organization("某公司工会", aliases=("全总",))
    report = load_authority(parsing.authority())
    assert report.conflicts == ["全总: already an alias of 某公司工会"]


@pytest.mark.django_db
def test_a_union_the_authority_does_not_know_is_flagged_for_review_with_its_article():
    load_unions()
    ingest_page_bytes(
        (DATA / "seed_page.txt").read_bytes(),
        issue_date=datetime.date(2024, 3, 12),
        page_number=2,
        source="02.txt",
    )
    flagged = Organization.objects.filter(needs_review=True)
    assert set(flagged.values_list("name", flat=True)) == set()  # the sample's unions are all known
    text = "燕京啤酒工会开展活动\n\n本报讯（记者 刘欣欣）近日，北京燕京啤酒股份有限公司工会组织职工参观学习。\n"
    ingest_page_bytes(
        text.encode(), issue_date=datetime.date(2024, 3, 12), page_number=3, source="03.txt"
    )
    new = Organization.objects.get(needs_review=True)
    assert new.name == "燕京啤酒工会"
    assert new.found_in == Article.objects.get(headline="燕京啤酒工会开展活动")


@pytest.fixture
def hierarchy(db):
    """The authority loaded, and articles about the city, a district and a company under it."""
    load_unions()
    chaoyang = Organization.objects.get(name="朝阳区总工会")
    company = make_organization("朝阳某公司工会")
    company.parent = chaoyang
    company.save()
    page = make_page()
    articles = {}
    for seq, (key, names) in enumerate(
        [
            ("city", ["北京市总工会"]),
            ("district", ["朝阳区总工会"]),
            ("company", ["朝阳某公司工会"]),
            ("federation", ["中华全国总工会"]),
            ("both", ["朝阳区总工会", "朝阳某公司工会"]),
        ],
        start=1,
    ):
        article = make_article(page, seq=seq, headline=f"报道{key}", paragraphs=["职工活动。"])
        article.organizations.add(*Organization.objects.filter(name__in=names))
        articles[key] = article
    make_credit(articles["district"], "刘欣欣")
    make_credit(articles["company"], "刘欣欣")
    apply_pending_updates()
    return articles


def found(**params) -> set[str]:
    return {hit.article.headline for hit in search_articles(SearchParams(**params)).hits}


def test_an_alias_typed_as_a_word_finds_the_unions_articles(hierarchy):
    assert found(q="全总") == {"报道federation"}  # no article text says 全总
    assert found(q="市总") == {"报道city"}


@pytest.mark.parametrize("name", ["市总", "北京市工会", "北京市总工会"])
def test_a_union_filter_by_any_name(hierarchy, name):
    assert found(organization=name) == {"报道city"}
    assert found(q=f"工会:{name}") == {"报道city"}


def test_a_union_filter_can_include_its_sub_unions(hierarchy):
    assert found(organization="朝阳区总工会") == {"报道district", "报道both"}
    assert found(organization="朝阳区总工会", include_sub_unions=True) == {
        "报道district",
        "报道company",
        "报道both",
    }
    assert len(found(organization="北京市总工会", include_sub_unions=True)) == 4


def test_facet_counts_roll_up_the_tree(hierarchy):
    tree = search_articles(SearchParams(q="职工")).union_tree

    def walk(nodes):
        for node in nodes:
            assert node.total <= node.count + sum(child.total for child in node.children)
            yield node
            yield from walk(node.children)

    nodes = {node.name: node for node in walk(tree)}
    assert [node.name for node in tree] == ["中华全国总工会"]
    assert (nodes["朝阳某公司工会"].count, nodes["朝阳区总工会"].count) == (2, 2)
    # Distinct articles: 报道both is under both 朝阳 unions and counts once.
    assert nodes["朝阳区总工会"].total == 3
    assert (nodes["北京市总工会"].count, nodes["北京市总工会"].total) == (1, 4)
    assert nodes["中华全国总工会"].total == 5


def test_union_tree_shows_a_union_without_parent_as_a_root(db):
    make_organization("独立工会")
    assert [(n.name, n.total) for n in union_tree({"独立工会": 3})] == [("独立工会", 3)]


def test_union_page_shows_reporters_and_co_mentioned_unions(client, hierarchy):
    chaoyang = Organization.objects.get(name="朝阳区总工会")
    html = client.get(chaoyang.get_absolute_url()).content.decode()
    assert "报道最多的记者" in html and "刘欣欣" in html
    assert "常一同出现的工会" in html and "朝阳某公司工会" in html
    assert "上级工会" in html and "北京市总工会" in html and "区总工会" in html
