"""The services queue every article they change, once per transaction: no model signal does.

Each test changes the archive the way staff or a command do (the ingest service, the admin's
forms and actions, a merge, an import) and then reads the index; the autouse check in
conftest.py adds that, the queue applied, check_index finds 0 drift.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from haystack.inputs import Exact
from haystack.query import SearchQuerySet

from articles import parsing
from articles.archive_io import export_archive
from articles.authority import load_authority, organization_for
from articles.identity import SEQ_SHIFT
from articles.ingest import ingest_page_bytes, reparse_page
from articles.models import Article, Issue, Organization, PendingIndexUpdate, Person
from articles.search.consistency import index_drift
from articles.search.indexing import apply_pending_updates
from tests.factories import as_if_parsed, make_article, make_credit, make_organization
from tests.test_identity import GONE, split_out

pytestmark = pytest.mark.django_db

SEED_DATE = datetime.date(2024, 3, 12)


def indexed(**filters) -> set[int]:
    return {int(result.pk) for result in SearchQuerySet().models(Article).filter(**filters)}


def all_indexed() -> set[int]:
    return {int(result.pk) for result in SearchQuerySet().models(Article).all()}


def queued() -> set[int]:
    return set(PendingIndexUpdate.objects.values_list("article_id", flat=True))


def store(text: str, number: int = 2):
    return ingest_page_bytes(
        text.encode("utf-8"), issue_date=SEED_DATE, page_number=number, source=f"{number:02}.txt"
    )


@pytest.fixture
def staff_client(client, django_user_model) -> Client:
    client.force_login(django_user_model.objects.create_superuser("editor", "e@example.org", "pw"))
    return client


def posted_back(client: Client, url: str, **changes) -> dict:
    """The change form (inlines included) as the browser would post it back, with `changes`."""
    context = client.get(url).context
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.initial_forms]
    data = {}
    for form in forms:
        for name, field in form.fields.items():
            value = field.prepare_value(form[name].value())
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return {**data, **changes}


def edit(client: Client, record, django_capture_on_commit_callbacks, **changes) -> None:
    url = reverse(f"admin:articles_{record._meta.model_name}_change", args=[record.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, posted_back(client, url, **changes))
    assert response.status_code == 302, response.context["errors"]


def test_a_seq_shift_by_bulk_update_reaches_the_queue_and_the_index(
    seed_text, django_capture_on_commit_callbacks
):
    store(seed_text)
    apply_pending_updates()
    gone = Article.objects.get(headline__startswith=GONE)
    below = set(Article.objects.filter(seq__gt=gone.seq).values_list("pk", flat=True))
    assert below  # the articles under it move up one place

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        store(split_out(seed_text, GONE, "工余时间")[0])

    # One insert, one callback: the retired article and every one whose seq was shifted.
    assert (len(callbacks), queued()) == (1, below | {gone.pk})
    assert not Article.objects.filter(seq__gt=SEQ_SHIFT).exists()
    callbacks[0]()
    assert gone.pk not in all_indexed() and below <= all_indexed()
    assert index_drift().total == 0


def test_an_admin_article_edit_with_its_credit_and_union_reaches_the_index(
    staff_client, django_capture_on_commit_callbacks
):
    article = make_article(paragraphs=["第一段。"])
    credit = make_credit(article, "周美玉")
    union = make_organization("北京市总工会")
    apply_pending_updates()
    writer = Person.objects.create(name="刘欣欣")

    edit(
        staff_client,
        article,
        django_capture_on_commit_callbacks,
        headline="劳模工作室揭牌",
        paragraphs="劳模工作室正式揭牌。",
        organizations=[union.pk],
        **{"credits-0-person": writer.pk},
    )

    assert credit.pk == article.credits.get().pk
    assert indexed(content="劳模工作室") == {article.pk}
    assert indexed(reporters=Exact("刘欣欣"), organizations=Exact("北京市总工会")) == {article.pk}


def test_an_admin_rename_of_a_person_reaches_the_index(
    staff_client, django_capture_on_commit_callbacks
):
    article = make_article()
    person = make_credit(article, "刘欣欣").person
    apply_pending_updates()

    edit(staff_client, person, django_capture_on_commit_callbacks, name="刘欣")

    assert indexed(reporters=Exact("刘欣")) == {article.pk}
    assert indexed(reporters=Exact("刘欣欣")) == set()


def test_an_admin_union_edit_with_a_new_alias_and_parent_reaches_its_subtree(
    staff_client, django_capture_on_commit_callbacks
):
    national = make_organization("中华全国总工会")
    city = make_organization("北京市总工会")
    district = make_organization("朝阳区总工会", parent=city)
    article = make_article()
    article.organizations.add(district)
    city_article = make_article(article.page, seq=2)
    city_article.organizations.add(city)
    apply_pending_updates()

    edit(
        staff_client,
        city,
        django_capture_on_commit_callbacks,
        parent=national.pk,
        **{"aliases-0-name": "市总", "aliases-TOTAL_FORMS": "1"},
    )

    assert indexed(organization_tree=Exact("中华全国总工会")) == {article.pk, city_article.pk}
    assert indexed(organization_names=Exact("市总")) == {city_article.pk}


def test_an_admin_move_of_a_page_and_redating_of_an_issue_reach_the_index(
    staff_client, seed_page, django_capture_on_commit_callbacks
):
    apply_pending_updates()
    ids = set(seed_page.articles.values_list("pk", flat=True))

    edit(staff_client, seed_page, django_capture_on_commit_callbacks, number="3")
    assert indexed(page=3) == ids

    edit(staff_client, seed_page.issue, django_capture_on_commit_callbacks, date="2023-03-12")
    assert indexed(year=Exact("2023")) == ids


def test_a_page_deleted_in_its_issue_form_leaves_the_index(
    staff_client, seed_page, django_capture_on_commit_callbacks
):
    apply_pending_updates()
    assert all_indexed()

    edit(
        staff_client,
        seed_page.issue,
        django_capture_on_commit_callbacks,
        **{"pages-0-DELETE": "on"},
    )

    assert (Article.objects.exists(), all_indexed()) == (False, set())


def test_an_issue_deleted_in_the_admin_leaves_the_index(
    staff_client, seed_page, django_capture_on_commit_callbacks
):
    apply_pending_updates()
    url = reverse("admin:articles_issue_delete", args=[seed_page.issue_id])
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(url, {"post": "yes"}).status_code == 302
    assert (Issue.objects.exists(), all_indexed()) == (False, set())


def test_merging_unions_reaches_the_articles_of_both(
    staff_client, django_capture_on_commit_callbacks
):
    keep, other = make_organization("北京市总工会"), make_organization("市总工会")
    article = make_article()
    article.organizations.add(other)
    apply_pending_updates()
    selected = {"action": "merge", "_selected_action": [keep.pk, other.pk], "target": keep.pk}

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:articles_organization_changelist"), selected)

    assert indexed(organizations=Exact("北京市总工会")) == {article.pk}
    assert indexed(organization_names=Exact("市总工会")) == {article.pk}


def test_an_import_queues_and_indexes_everything_it_imported(seed_page, tmp_path):
    apply_pending_updates()
    ids = set(Article.objects.values_list("pk", flat=True))
    path = tmp_path / "archive.jsonl"
    with open(path, "w", encoding="utf-8") as stream:
        export_archive(stream)
    Issue.objects.all().delete()
    Person.objects.all().delete()
    Organization.objects.all().delete()
    call_command("check_index", "--fix", stdout=io.StringIO())  # an empty index, as new
    assert all_indexed() == set()

    call_command("import_archive", str(path), stdout=io.StringIO())

    assert (all_indexed(), queued()) == (ids, set())


def test_ingest_reparse_edit_merge_and_delete_in_turn_leave_no_drift(
    seed_text, editors, django_capture_on_commit_callbacks
):
    """Two editors and the ingest service in turn; after each step the index is in step."""
    zhang, li = editors
    with django_capture_on_commit_callbacks(execute=True):
        store(seed_text)
    assert index_drift().total == 0

    page = Article.objects.first().page
    with django_capture_on_commit_callbacks(execute=True):
        as_if_parsed(page.articles.get(seq=2), paragraphs=["旧解析程序断开的", "一段"])
        reparse_page(page)
    assert index_drift().total == 0

    article = page.articles.get(seq=3)
    edit(zhang, article, django_capture_on_commit_callbacks, headline="编辑改过的标题")
    assert indexed(content='"编辑改过的标题"') == {article.pk}
    assert index_drift().total == 0

    people = list(Person.objects.order_by("pk")[:2])
    selected = {"action": "merge", "_selected_action": [p.pk for p in people]}
    with django_capture_on_commit_callbacks(execute=True):
        li.post(reverse("admin:articles_person_changelist"), {**selected, "target": people[0].pk})
    assert Person.objects.filter(pk=people[1].pk).exists() is False
    assert index_drift().total == 0

    url = reverse("admin:articles_article_delete", args=[article.pk])
    with django_capture_on_commit_callbacks(execute=True):
        li.post(url, {"post": "yes"})
    assert article.pk not in all_indexed()
    assert (index_drift().total, queued()) == (0, set())


def test_the_authority_file_renaming_a_parsed_union_reaches_its_articles(
    django_capture_on_commit_callbacks,
):
    parsed_name = make_organization("市总工会")
    article = make_article()
    article.organizations.add(parsed_name)
    apply_pending_updates()
    union = parsing.Union(name="北京市总工会", kind="市", parent="", aliases=("市总工会", "市总"))

    with django_capture_on_commit_callbacks(execute=True):
        load_authority([union])

    assert indexed(organizations=Exact("北京市总工会")) == {article.pk}
    assert indexed(organization_names=Exact("市总")) == {article.pk}
    assert indexed(organization_names=Exact("市总工会")) == {article.pk}


def test_a_new_alias_found_on_a_page_reaches_the_articles_of_its_union(
    django_capture_on_commit_callbacks,
):
    union = make_organization("北京市总工会")
    article = make_article()
    article.organizations.add(union)
    apply_pending_updates()

    with django_capture_on_commit_callbacks(execute=True):
        organization_for("北京市总工会", ["京工"])

    assert indexed(organization_names=Exact("京工")) == {article.pk}
