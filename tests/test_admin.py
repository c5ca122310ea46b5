import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["issue", "page", "article", "person", "organization"], ids=str)
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
