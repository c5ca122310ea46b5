import datetime

import pytest
from django.db import IntegrityError

from articles.models import Article, Credit, Issue, Organization, Person
from tests.factories import make_article, make_credit, make_issue, make_page


@pytest.mark.django_db
def test_issue_date_is_unique_in_the_database():
    make_issue(datetime.date(2024, 3, 12))

    with pytest.raises(IntegrityError):
        Issue.objects.create(date=datetime.date(2024, 3, 12))


@pytest.mark.django_db
def test_page_number_is_unique_per_issue():
    issue = make_issue()
    make_page(issue, number=2)

    with pytest.raises(IntegrityError):
        make_page(issue, number=2)


@pytest.mark.django_db
def test_page_number_starts_at_one():
    with pytest.raises(IntegrityError):
        make_page(number=0)


@pytest.mark.django_db
def test_one_credit_per_person_role_and_article():
    article = make_article()
    make_credit(article, "周美玉", Credit.Role.REPORTER)

    with pytest.raises(IntegrityError):
        make_credit(article, "周美玉", Credit.Role.REPORTER)


@pytest.mark.django_db
def test_same_person_may_hold_two_roles_on_one_article():
    article = make_article()
    make_credit(article, "崔欣", Credit.Role.REPORTER)
    make_credit(article, "崔欣", Credit.Role.PHOTOGRAPHER)

    assert article.credits.count() == 2


@pytest.mark.django_db
def test_article_body_is_derived_from_paragraphs():
    article = make_article(paragraphs=["第一段。", "第二段。"])

    article.paragraphs.append("第三段。")
    article.save()

    assert Article.objects.get(pk=article.pk).body == "第一段。\n\n第二段。\n\n第三段。"


@pytest.mark.django_db
def test_article_headline_cannot_be_empty():
    with pytest.raises(IntegrityError):
        make_article(headline="")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "stored", "spelling"),
    [(Person, "刘欣欣", "刘\u3000欣欣"), (Organization, "北京市总工会", " 北京市 总工会")],
)
def test_names_are_unique_after_whitespace_normalisation(model, stored, spelling):
    model.objects.create(name=stored)

    with pytest.raises(IntegrityError):
        model.objects.create(name=spelling)


@pytest.mark.django_db
def test_article_date_comes_from_its_issue():
    article = make_article(make_page(make_issue(datetime.date(2024, 5, 7))))

    assert article.date == datetime.date(2024, 5, 7)
