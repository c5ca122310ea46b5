import datetime

import pytest
from django.urls import reverse

from tests.factories import make_article, make_credit, make_issue, make_page


@pytest.mark.django_db
def test_home_lists_latest_issue_headlines_and_credits(client, django_assert_max_num_queries):
    old = make_page(make_issue(datetime.date(2024, 3, 5)), number=1)
    make_article(old, headline="上一期的报道")
    page = make_page(make_issue(datetime.date(2024, 3, 12)), number=2)
    for seq in range(1, 6):
        make_credit(make_article(page, seq=seq, headline=f"第{seq}篇报道"), f"记者{seq}")

    with django_assert_max_num_queries(6):
        response = client.get(reverse("articles:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "2024年3月12日" in html
    assert "第5篇报道" in html and "记者 记者5" in html
    assert "上一期的报道" not in html


@pytest.mark.django_db
def test_home_escapes_stored_text(client):
    make_article(headline="<script>alert(1)</script>")

    html = client.get(reverse("articles:home")).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_home_of_an_empty_archive_says_so(client):
    assert "档案暂无内容" in client.get(reverse("articles:home")).content.decode()
