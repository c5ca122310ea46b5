import datetime

import pytest

from articles import browse
from articles.models import Article, Credit, Issue
from tests.factories import make_article, make_credit, make_issue, make_organization, make_page

pytestmark = pytest.mark.django_db


def dated(date: datetime.date, number: int = 1, seq: int = 1, **fields):
    issue = Issue.objects.filter(date=date).first() or make_issue(date)
    page = issue.pages.filter(number=number).first() or make_page(issue, number=number)
    return make_article(page, seq=seq, **fields)


def test_on_this_day_lists_earlier_years_only():
    earlier = dated(datetime.date(2022, 3, 12), headline="两年前的今天")
    dated(datetime.date(2024, 3, 12), headline="今天")
    dated(datetime.date(2023, 3, 13), headline="另一天")
    assert list(browse.on_this_day(datetime.date(2024, 3, 12))) == [earlier]


def test_issue_calendar_marks_issue_days_in_monday_weeks():
    issue = make_issue(datetime.date(2024, 3, 12))
    march = browse.calendar_month(2024, 3)
    assert (march.month, march.name, march.issue_count) == (3, "3月", 1)
    assert march.weeks[0][:5] == [(0, None)] * 4 + [(1, None)]  # 2024-03-01 was a Friday
    assert (12, issue) in [day for week in march.weeks for day in week]
    assert browse.calendar_month(2023, 3).issue_count == 0


def test_neighbours_of_pages_issues_and_articles():
    first = dated(datetime.date(2024, 3, 12), number=1)
    second = dated(datetime.date(2024, 3, 12), number=2, seq=1)
    after = dated(datetime.date(2024, 3, 12), number=2, seq=2)
    later = dated(datetime.date(2024, 3, 19))
    pages, issues = browse.page_neighbours(second.page)
    assert (pages.previous, pages.next) == (first.page, None)
    assert (issues.previous, issues.next) == (None, later.page.issue)
    around = browse.article_neighbours(second)
    assert (around.previous, around.next) == (None, after)


def test_related_articles_rank_shared_unions_above_shared_reporters_then_by_date():
    union = make_organization("北京市总工会")
    target = dated(datetime.date(2024, 3, 12), seq=1)
    target.organizations.add(union)
    make_credit(target, "刘欣欣")
    same_reporter = dated(datetime.date(2024, 3, 12), seq=2)
    make_credit(same_reporter, "刘欣欣")
    far_union = dated(datetime.date(2020, 1, 1))
    far_union.organizations.add(union)
    near_union = dated(datetime.date(2024, 3, 5))
    near_union.organizations.add(union)
    dated(datetime.date(2024, 3, 13))  # nothing in common
    assert browse.related_articles(target) == [near_union, far_union, same_reporter]


def test_directory_sorts_by_pinyin_with_initial_letters():
    for seq, name in enumerate(["张三", "阿英", "刘欣欣", "Alice", "李四"], start=1):
        make_credit(dated(datetime.date(2024, 1, 1), seq=seq), name)
    entries = browse.reporters_directory()
    assert [e.item.name for e in entries] == ["阿英", "Alice", "李四", "刘欣欣", "张三"]
    assert [e.letter for e in entries] == ["A", "A", "L", "L", "Z"]
    assert browse.directory_letters(entries) == [("A", 2), ("L", 2), ("Z", 1)]


def test_pinyin_key_reads_names_as_a_reader_would():
    assert browse.pinyin_key("刘欣欣") == "liu xin xin"
    assert browse.initial_letter("123工会") == "#"


def test_articles_per_month_fills_gaps_with_zero():
    dated(datetime.date(2024, 1, 5))
    dated(datetime.date(2024, 1, 9))
    dated(datetime.date(2024, 3, 1))
    assert browse.articles_per_month(Article.objects.all()) == [
        (datetime.date(2024, 1, 1), 2),
        (datetime.date(2024, 2, 1), 0),
        (datetime.date(2024, 3, 1), 1),
    ]


def test_roles_of_a_person_count_each_role():
    article = dated(datetime.date(2024, 3, 12))
    make_credit(article, "崔欣", Credit.Role.PHOTOGRAPHER)
    make_credit(dated(datetime.date(2024, 3, 13)), "崔欣")
    make_credit(dated(datetime.date(2024, 3, 14)), "崔欣")
    person = article.credits.get().person
    assert browse.roles_of(person) == [("记者", 2), ("摄影", 1)]


def test_issue_counts_by_month_has_every_month():
    make_issue(datetime.date(2024, 3, 12))
    make_issue(datetime.date(2024, 3, 19))
    counts = browse.issue_counts_by_month(2024)
    assert len(counts) == 12 and counts[2] == (3, 2) and counts[0] == (1, 0)
    assert browse.latest_issue_date() == datetime.date(2024, 3, 19)
