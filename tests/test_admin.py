import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.ingest import ingest_page_bytes
from articles.layout_service import add_page_correction
from articles.models import Article, Organization, Page, Person
from tests.factories import as_if_parsed, make_article, make_credit, make_organization
from tests.test_title_learning import FIRST, KICKER_IS_A_KICKER, PAPER, store

from .conftest import DATA


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["issue", "page", "article", "person", "organization", "titleexample"], ids=str
)
def test_admin_changelists_open_in_chinese(staff_client, name):
    make_article()

    response = staff_client.get(reverse(f"admin:articles_{name}_changelist"))

    assert response.status_code == 200
    assert "选择" in response.content.decode()


@pytest.mark.django_db
def test_article_paragraphs_are_edited_as_blank_line_separated_text(staff_client):
    article = make_article(paragraphs=["第一段。", "第二段。"])
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = staff_client.get(url).context["adminform"].form

    assert form["paragraphs"].value() == "第一段。\n\n第二段。"
    data = {
        "version": form["version"].value(),
        "page": article.page_id,
        "seq": 1,
        "headline": "改正后的标题",
        "kind": "news",
        "paragraphs": "第一段。\r\n\r\n第二段，\r\n续行。\r\n\r\n\r\n第三段。",
        "credits-TOTAL_FORMS": 0,
        "credits-INITIAL_FORMS": 0,
    }
    response = staff_client.post(url, data)

    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert article.paragraphs == ["第一段。", "第二段，\n续行。", "第三段。"]
    assert article.body == "第一段。\n\n第二段，\n续行。\n\n第三段。"


@pytest.mark.django_db
def test_merge_action_asks_which_record_to_keep_then_merges(staff_client):

    keep, other = make_organization("北京市总工会"), make_organization("市总工会")
    url = reverse("admin:articles_organization_changelist")
    selected = {"action": "merge", "_selected_action": [keep.pk, other.pk]}

    confirm = staff_client.post(url, selected)
    assert "选择要保留的一条记录" in confirm.content.decode()
    assert Organization.objects.count() == 2

    staff_client.post(url, {**selected, "target": keep.pk})
    assert list(Organization.objects.values_list("name", flat=True)) == ["北京市总工会"]
    assert list(keep.aliases.values_list("name", flat=True)) == ["市总工会"]


@pytest.mark.django_db
def test_merge_needs_change_and_delete_permission(client, django_user_model):
    user = django_user_model.objects.create_user("clerk", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="view_person"),
        Permission.objects.get(codename="change_person"),
    )
    client.force_login(user)
    a, b = Person.objects.create(name="甲"), Person.objects.create(name="乙")
    url = reverse("admin:articles_person_changelist")
    client.post(url, {"action": "merge", "_selected_action": [a.pk, b.pk], "target": a.pk})
    assert Person.objects.count() == 2


@pytest.mark.django_db
def test_reparse_action_previews_the_difference_then_replaces(staff_client):
    ingest_page_bytes(
        (DATA / "seed_page.txt").read_bytes(),
        issue_date=datetime.date(2024, 3, 12),
        page_number=2,
        source="02.txt",
    )
    page = Page.objects.get()
    ids = list(page.articles.order_by("seq").values_list("pk", flat=True))
    as_if_parsed(Article.objects.get(page=page, seq=3), headline="旧解析程序的标题")
    url = reverse("admin:articles_page_changelist")
    selected = {"action": "reparse", "_selected_action": [page.pk]}

    preview = staff_client.post(url, selected).content.decode()
    assert "有改动" in preview and "保留 7 篇（编号和链接不变）" in preview
    assert "旧解析程序的标题" in preview and "北辰集团工会干部研修班开班" in preview
    assert Article.objects.filter(headline="旧解析程序的标题").exists()

    staff_client.post(url, {**selected, "apply": "1"})
    assert not Article.objects.filter(headline="旧解析程序的标题").exists()
    assert list(page.articles.order_by("seq").values_list("pk", flat=True)) == ids


@pytest.mark.django_db
def test_article_list_filters_by_union_reporter_and_kind(staff_client):
    union = make_organization("北辰集团工会")
    article = make_article()
    article.organizations.add(union)
    make_credit(article, "周美玉")
    url = reverse("admin:articles_article_changelist")
    html = staff_client.get(url, {"organizations__id__exact": union.pk}).content.decode()
    assert "北辰集团工会干部研修班开班" in html and "记者 周美玉" in html
    assert staff_client.get(url, {"kind__exact": "photo"}).context["cl"].result_count == 0


@pytest.mark.django_db
def test_editing_an_article_in_the_admin_updates_the_search_index(
    staff_client, django_capture_on_commit_callbacks
):
    from haystack.query import SearchQuerySet

    article = make_article(paragraphs=["第一段。"])
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {
        **{name: value for name, value in form.initial.items() if value is not None},
        "headline": "劳模工作室揭牌",
        "paragraphs": "劳模工作室正式揭牌。",
        "organizations": [],
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, data)
    assert response.status_code == 302
    assert [int(r.pk) for r in SearchQuerySet().filter(content="劳模工作室")] == [article.pk]


@pytest.mark.django_db
def test_the_title_examples_an_editor_taught_are_listed_by_paper_in_chinese(staff_client):
    page = store(FIRST, datetime.date(2024, 3, 12))
    for correction in KICKER_IS_A_KICKER:
        add_page_correction(page, correction)

    html = staff_client.get(reverse("admin:articles_titleexample_changelist")).content.decode()
    assert PAPER in html and "引题 / 主题" in html
    assert "西安市总工会举办职工书屋建设推进会 / 验收凤凰街社区工会职工书屋" in html
