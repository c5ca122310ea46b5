"""The admin's lists and forms as an editor meets them: wording, order, widths, searches."""

import datetime

import pytest
from django.urls import reverse

from articles.admin_options import chinese_date
from articles.search.indexing import apply_pending_updates
from tests.factories import make_article, make_issue, make_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", "e@example.com", "pw"))
    return client


def test_titles_and_add_links_read_as_plain_chinese(staff_client):
    html = staff_client.get(reverse("admin:articles_issue_changelist")).content.decode()
    assert "选择要修改的期" in html and "选择 期 来修改" not in html
    assert "新增期</a>" in html and "增加 期" not in html
    assert "新增文章" in staff_client.get(reverse("admin:articles_article_add")).content.decode()


def test_article_list_is_newest_first(staff_client):
    make_article(make_page(make_issue(datetime.date(2020, 1, 6))), headline="旧闻")
    make_article(make_page(make_issue(datetime.date(2024, 3, 12))), headline="新闻")
    html = staff_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert html.index("新闻</a>") < html.index("旧闻</a>")


def test_article_form_has_wide_headlines_a_page_autocomplete_and_no_second_body(staff_client):
    article = make_article()
    html = staff_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = html.content.decode()
    assert 'name="headline"' in html and 'size="80"' in html
    select = html[html.index('name="page"') :].split(">")[0]
    assert 'class="admin-autocomplete"' in select  # not a <select> of every page
    assert "正文" not in html


def test_page_autocomplete_finds_pages_by_date_and_number(staff_client):
    issue = make_issue(datetime.date(2024, 3, 12))
    make_page(issue, number=1)
    second = make_page(issue, number=2)
    params = {
        "app_label": "articles",
        "model_name": "article",
        "field_name": "page",
        "term": "2024-03-12 2",
    }
    data = staff_client.get(reverse("admin:autocomplete"), params).json()
    assert [item["id"] for item in data["results"]] == [str(second.pk)]


def test_admin_article_search_finds_what_the_public_search_finds(staff_client):
    page = make_page()
    make_article(page, headline="标题无关", paragraphs=["深化改革，职工受益。"])
    make_article(page, seq=2, headline="别的报道", paragraphs=["与此无关。"])
    apply_pending_updates()
    html = staff_client.get(reverse("admin:articles_article_changelist"), {"q": "改革"})
    html = html.content.decode()
    assert "标题无关" in html and "别的报道" not in html


def test_admin_search_with_a_query_the_search_refuses_falls_back_to_titles(staff_client):
    make_article(headline='"工会')
    response = staff_client.get(reverse("admin:articles_article_changelist"), {"q": '"工会'})
    assert response.status_code == 200


def test_dates_read_as_the_site_writes_them():
    assert chinese_date(datetime.date(2024, 3, 9)) == "2024年3月9日"
