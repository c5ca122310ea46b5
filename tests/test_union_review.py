"""Unions an editor has looked at: a union a parse brings in is 待核 until accepted."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles import parsing
from articles.ingest import ingest_page_bytes
from articles.models import Article, Organization, OrganizationAlias, UnionDecision
from articles.search.indexing import apply_pending_updates
from articles.union_review import (
    ReviewError,
    accept,
    merge_into,
    new_names_in,
    reject,
    review_list,
    without_unions_to_check,
)
from tests.factories import make_article, make_organization, make_page

NEW = "燕京啤酒工会"
DAY = datetime.date(2024, 3, 12)
TEXT = (
    "燕京啤酒工会开展活动\n\n本报讯（记者 刘欣欣）近日，北京燕京啤酒股份有限公司工会"
    "组织职工参观学习。燕京啤酒工会还举办了读书会。\n"
)
# The company's union, known, under a short name the page gives it.
COMPANY = "北京燕京啤酒股份有限公司工会"
ALIAS_TEXT = (
    f"燕京啤酒工会开展活动\n\n本报讯（记者 刘欣欣）近日，{COMPANY}（以下简称“{NEW}”）"
    "组织职工参观学习。\n"
)


def store(text: str = TEXT, number: int = 3):
    result = ingest_page_bytes(
        text.encode(), issue_date=DAY, page_number=number, source=f"{number:02d}.txt"
    )
    apply_pending_updates()
    return result


@pytest.fixture
def union_to_check(db) -> Organization:
    store()
    return Organization.objects.get(name=NEW)


def shown_on(client, surface: str, name: str = NEW) -> bool:
    """Whether a reader sees the union `name` on `surface`."""
    union = Organization.objects.filter(name=name).first()
    article = Article.objects.get(headline__startswith="燕京啤酒工会")
    if surface == "union page":
        return client.get(reverse("articles:union", args=[union.pk])).status_code == 200
    if surface == "union feed":
        return client.get(reverse("articles:feed_union", args=[union.pk])).status_code == 200
    if surface == "api article":
        data = client.get(reverse("articles:api_article", args=[article.pk])).json()
        return name in data["organizations"]
    if surface in ("api facets", "api union tree", "api results"):
        data = client.get(reverse("articles:api_search"), {"q": "参观学习"}).json()
        found = {
            "api facets": [value["value"] for value in data["facets"]["organizations"]],
            "api union tree": [node["name"] for node in data["union_tree"]],
            "api results": [n for hit in data["results"] for n in hit["organizations"]],
        }[surface]
        return name in found
    if surface == "suggestions":
        data = client.get(reverse("articles:api_suggest"), {"q": "燕京", "kind": "union"}).json()
        return name in str(data)
    urls = {
        "directory": reverse("articles:unions"),
        "home": reverse("articles:home"),
        "statistics": reverse("articles:stats"),
        "sitemap": reverse("articles:sitemap"),
        "latest feed": reverse("articles:feed_latest"),
        "search page facets": reverse("articles:search") + "?q=参观学习",
    }
    content = client.get(urls[surface]).content.decode()
    if surface == "latest feed":
        return f'term="{name}"' in content  # an entry's category
    if surface == "search page facets":
        return "org=%E7%87%95" in content  # a facet link narrowing to 燕…
    return union.get_absolute_url() in content  # a link to the union (the headline names it)


SURFACES = [
    "directory",
    "home",
    "statistics",
    "union page",
    "union feed",
    "latest feed",
    "sitemap",
    "api article",
    "api facets",
    "api union tree",
    "api results",
    "search page facets",
    "suggestions",
]


def test_a_union_first_seen_in_a_parse_is_stored_linked_and_to_check(union_to_check):
    article = Article.objects.get(headline__startswith="燕京啤酒工会")
    assert union_to_check.needs_review
    assert list(article.organizations.all()) == [union_to_check]
    assert union_to_check.found_in == article


@pytest.mark.parametrize("surface", SURFACES)
def test_a_union_to_check_is_hidden_from_readers_until_an_editor_accepts_it(
    client, union_to_check, surface
):
    assert not shown_on(client, surface)
    accept(NEW)
    assert shown_on(client, surface)


def test_the_article_page_names_a_union_to_check_without_linking_it(client, union_to_check):
    article = Article.objects.get(headline__startswith="燕京啤酒工会")
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"<li>{NEW}</li>" in page
    assert union_to_check.get_absolute_url() not in page


def test_a_union_to_check_is_still_found_by_its_name_in_the_text(client, union_to_check):
    data = client.get(reverse("articles:api_search"), {"q": NEW}).json()
    assert [hit["headline"] for hit in data["results"]] == ["燕京啤酒工会开展活动"]


@pytest.mark.django_db
def test_a_union_of_the_union_dictionary_or_authority_is_not_to_check():
    store("北京市总工会召开会议\n\n本报讯（记者 刘欣欣）北京市总工会日前召开会议。\n")
    assert Organization.objects.get(name="北京市总工会").needs_review is False


@pytest.mark.django_db
def test_a_new_alias_of_a_known_union_is_to_check_and_hidden_from_its_page(client):
    union = make_organization(COMPANY)
    store(ALIAS_TEXT)
    alias = OrganizationAlias.objects.get(name=NEW)
    assert (alias.organization, alias.needs_review) == (union, True)
    page = client.get(union.get_absolute_url()).content.decode()
    assert NEW not in page.split("<h1>")[1].split("</dl>")[0]
    accept(NEW)
    page = client.get(union.get_absolute_url()).content.decode()
    assert NEW in page.split("<h1>")[1].split("</dl>")[0]


def test_an_accepted_name_records_who_and_when(union_to_check, admin_user):
    accept(NEW, admin_user)
    decision = UnionDecision.objects.get(name=NEW)
    assert (decision.action, decision.decided_by) == (UnionDecision.Action.ACCEPTED, admin_user)
    assert decision.decided_at is not None


def test_a_rejected_union_is_unlinked_and_never_returns_after_a_reparse(union_to_check):
    article = Article.objects.get(headline__startswith="燕京啤酒工会")
    reject(NEW)
    assert not Organization.objects.filter(name=NEW).exists()
    assert article.organizations.count() == 0

    store(TEXT.replace("读书会", "读书分享会"))  # a re-upload that changes the page
    article = Article.objects.get(headline__startswith="燕京啤酒工会")
    assert not Organization.objects.filter(name=NEW).exists()
    assert NEW not in [o.name for o in article.organizations.all()]
    assert NEW not in article.parsed["organizations"]


def test_a_rejected_union_stays_out_of_a_page_stored_afresh(union_to_check):
    reject(NEW)
    store(number=4)  # the same text as another page
    assert not Organization.objects.filter(name=NEW).exists()
    assert not Article.objects.filter(organizations__name=NEW).exists()


def test_an_unchanged_page_after_a_rejection_is_still_unchanged(union_to_check):
    reject(NEW)
    assert store().outcome.value == "unchanged"


def test_a_rejected_alias_is_deleted_and_not_added_again(db):
    union = make_organization(COMPANY)
    store(ALIAS_TEXT)
    reject(NEW)
    assert not OrganizationAlias.objects.filter(name=NEW).exists()
    store(ALIAS_TEXT.replace("参观学习", "参观交流"))
    assert not OrganizationAlias.objects.filter(name=NEW).exists()
    article = Article.objects.get(headline__startswith="燕京啤酒工会")
    assert list(article.organizations.all()) == [union]


def test_merging_a_union_to_check_moves_its_articles_and_makes_its_name_an_alias(
    union_to_check, admin_user
):
    target = make_organization("北京燕京啤酒集团工会")
    article = Article.objects.get(headline__startswith="燕京啤酒工会")

    merge_into(NEW, "北京燕京啤酒集团工会", admin_user)

    assert list(article.organizations.all()) == [target]
    alias = OrganizationAlias.objects.get(name=NEW)
    assert (alias.organization, alias.needs_review) == (target, False)
    decision = UnionDecision.objects.get(name=NEW)
    assert (decision.action, decision.merged_into) == ("merged", "北京燕京啤酒集团工会")
    assert article.revisions.filter(kind="merge").exists()
    store(TEXT.replace("读书会", "读书分享会"))  # a reparse finds the target by the alias
    assert not Organization.objects.filter(name=NEW).exists()


def test_a_merge_into_a_union_to_check_or_no_union_is_refused(union_to_check):
    make_organization("另一个待核工会", needs_review=True)
    for target in ("另一个待核工会", "没有这个工会", NEW):
        with pytest.raises(ReviewError):
            merge_into(NEW, target)
    assert Organization.objects.get(name=NEW).needs_review


def test_a_name_decided_once_cannot_be_decided_again(union_to_check, admin_user):
    accept(NEW, admin_user)
    with pytest.raises(ReviewError, match=f"“{NEW}”已由 admin 于 .* 接受"):
        reject(NEW)
    assert Organization.objects.get(name=NEW).needs_review is False


def test_the_review_list_holds_unions_and_aliases_to_check_most_named_first(db):
    make_organization(COMPANY)
    store(ALIAS_TEXT)
    page = make_page(Article.objects.get().page.issue, number=5)
    for seq in (1, 2):
        article = make_article(page, seq=seq)
        article.organizations.add(make_organization(f"待核工会{seq}", needs_review=True))
    Organization.objects.get(name="待核工会1").articles.add(Article.objects.last())
    names = [(n.name, n.alias_of, n.article_count) for n in review_list()]
    assert names == [
        ("待核工会1", "", 2),
        ("待核工会2", "", 1),
        (NEW, COMPANY, 1),
    ]


def test_new_names_in_a_parse_name_the_new_union_its_article_and_rejected_names(db):
    [article] = parsing.parse_page(TEXT).articles
    [new] = new_names_in([article])
    assert (new.name, new.alias_of, new.headlines, new.rejected) == (
        NEW,
        "",
        ("燕京啤酒工会开展活动",),
        False,
    )
    store()
    reject(NEW)
    [again] = new_names_in([article])
    assert (again.name, again.rejected) == (NEW, True)


def run_command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("mark_unions_to_check", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def old_archive(db) -> dict[str, Organization]:
    """Unions stored before editors checked them: one named once, one twice, one shipped."""
    page = make_page()
    unions = {
        "once": make_organization("讲堂丰台园工会"),
        "twice": make_organization("丰台园区工会"),
        "shipped": make_organization("北京市总工会"),
    }
    first, second = make_article(page, seq=1), make_article(page, seq=2)
    first.organizations.add(*unions.values())
    second.organizations.add(unions["twice"])
    return unions


def test_the_command_marks_unions_only_one_article_names_unless_shipped(old_archive):
    out, err = run_command()
    assert out.splitlines() == ["讲堂丰台园工会"]
    assert "1 unions marked" in err
    marked = Organization.objects.filter(needs_review=True)
    assert list(marked.values_list("name", flat=True)) == ["讲堂丰台园工会"]


def test_the_command_with_dry_run_lists_them_and_changes_nothing(old_archive):
    out, err = run_command("--dry-run")
    assert out.splitlines() == ["讲堂丰台园工会"]
    assert "would be marked" in err
    assert not Organization.objects.filter(needs_review=True).exists()


def test_the_command_leaves_a_union_an_editor_accepted(old_archive, admin_user):
    UnionDecision.objects.create(name="讲堂丰台园工会", action="accepted", decided_by=admin_user)
    out, _ = run_command()
    assert out == ""


@pytest.mark.django_db
def test_the_authority_file_accepts_a_union_and_alias_a_parse_brought_in():
    store("全总召开会议\n\n本报讯（记者 刘欣欣）全总日前召开会议。\n")
    federation = Organization.objects.get(name="中华全国总工会")
    federation.needs_review = True  # as if a parse had brought it in before the file
    federation.save()
    assert federation.aliases.update(needs_review=True) >= 1  # 全总
    call_command("load_unions", stdout=io.StringIO())
    federation.refresh_from_db()
    assert federation.needs_review is False
    assert not federation.aliases.filter(needs_review=True).exists()


@pytest.mark.parametrize("others", [3, 300])  # few values: by name; many: every 待核 name
def test_facet_counts_lose_only_the_unions_to_check(union_to_check, others):
    names = [f"工会{n}" for n in range(others)]
    counts = {"fields": {"organizations": [(NEW, 1), *((n, 2) for n in names)], "year": []}}
    kept = without_unions_to_check(counts)["fields"]
    assert kept == {"organizations": [(n, 2) for n in names], "year": []}
