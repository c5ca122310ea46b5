"""Articles keep their id and URL across reparse and re-upload; gone ones answer 410, moved 301."""

import datetime

import pytest
from django.urls import reverse

from articles.ingest import Outcome, ingest_page_bytes, reparse_page
from articles.models import Article, Page, RetiredArticle
from tests.factories import as_if_parsed

SEED_DATE = datetime.date(2024, 3, 12)
GONE = "建工城乡集团中昊公司工会开启"


def store(text: str, number: int = 2):
    return ingest_page_bytes(
        text.encode("utf-8"), issue_date=SEED_DATE, page_number=number, source=f"{number:02}.txt"
    )


def split_out(text: str, first: str, before: str) -> tuple[str, str]:
    """The page without the lines from the one starting `first` up to the one starting
    `before`, and those lines."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next(i for i, line in enumerate(lines) if line.startswith(before))
    return "".join(lines[:start] + lines[end:]), "".join(lines[start:end])


def ids_by_headline() -> dict[str, int]:
    return dict(Article.objects.values_list("headline", "pk"))


@pytest.mark.django_db
def test_reparse_after_a_parser_change_keeps_every_article_id_and_url(seed_text):
    store(seed_text)
    page = Page.objects.get()
    before = {a.pk: a.get_absolute_url() for a in page.articles.all()}
    as_if_parsed(page.articles.get(seq=2), paragraphs=["旧解析程序断开的", "一段"])

    result = reparse_page(page)

    assert (result.outcome, result.kept_articles) == (Outcome.REPLACED, 7)
    assert {a.pk: a.get_absolute_url() for a in page.articles.all()} == before
    assert len(page.articles.get(seq=2).paragraphs) > 2


@pytest.mark.django_db
def test_reupload_of_a_changed_page_keeps_every_unchanged_article_id(seed_text):
    store(seed_text)
    before = ids_by_headline()

    result = store(seed_text.replace("邮政职工学礼仪", "邮政职工学商务礼仪"))

    assert (result.outcome, result.kept_articles) == (Outcome.REPLACED, 7)
    after = ids_by_headline()
    assert after.pop("邮政职工学商务礼仪") == before.pop("邮政职工学礼仪")
    assert after == before


@pytest.mark.django_db
def test_an_article_the_new_page_lacks_answers_410_naming_its_page(client, seed_text):
    store(seed_text)
    gone = Article.objects.get(headline__startswith=GONE)
    others = {pk for pk in ids_by_headline().values() if pk != gone.pk}
    url, permalink = gone.get_absolute_url(), gone.get_permalink()

    result = store(split_out(seed_text, GONE, "工余时间")[0])

    assert (result.articles, result.kept_articles) == (6, 6)
    assert set(ids_by_headline().values()) == others
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 410
    assert "本文已不在档案中" in html and "2024年3月12日 第2版" in html
    assert 'href="/issues/2024-03-12/2/"' in html
    assert client.get(permalink).status_code in (200, 410)  # the next article took its seq


@pytest.mark.django_db
@pytest.mark.parametrize("losing_page_first", [True, False], ids=["loser-first", "gainer-first"])
def test_an_article_moved_to_another_page_answers_301(client, seed_text, losing_page_first):
    store(seed_text)
    moved = Article.objects.get(headline__startswith=GONE)
    page_two, page_three = split_out(seed_text, GONE, "工余时间")

    if losing_page_first:
        store(page_two)
        store(page_three, number=3)
    else:
        store(page_three, number=3)
        store(page_two)

    now = Article.objects.get(headline__startswith=GONE)
    assert now.page.number == 3
    response = client.get(f"/articles/{moved.pk}/")
    assert (response.status_code, response["Location"]) == (301, now.get_absolute_url())
    assert RetiredArticle.objects.get(article_id=moved.pk).successor == now


@pytest.mark.django_db
def test_readable_permalink_shows_the_article_with_the_id_url_as_canonical(client, seed_text):
    store(seed_text)
    article = Article.objects.get(page__number=2, seq=3)

    response = client.get("/issues/2024-03-12/2/3/")

    assert article.get_permalink() == "/issues/2024-03-12/2/3/"
    html = response.content.decode()
    assert response.status_code == 200 and article.headline in html
    assert f'rel="canonical" href="http://testserver/articles/{article.pk}/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/issues/2024-03-12/2/99/", "/issues/2024-02-31/2/1/"])
def test_readable_permalink_of_no_article_is_404(client, seed_text, url):
    store(seed_text)

    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_feeds_and_sitemap_link_the_canonical_id_url(client, seed_text):
    store(seed_text)
    article = Article.objects.order_by("pk").first()

    feed = client.get(reverse("articles:feed_latest")).content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()

    assert f"/articles/{article.pk}/" in feed and f"/articles/{article.pk}/" in sitemap


@pytest.mark.django_db
def test_ingest_of_the_seed_page_runs_in_a_fixed_number_of_queries(
    seed_text, django_assert_max_num_queries
):
    # 7 articles, 7 reporters, 9 new unions: the count grows with what the page holds, so pin it
    with django_assert_max_num_queries(149):  # 136 on SQLite
        store(seed_text)


@pytest.mark.django_db
def test_an_article_moved_twice_is_followed_from_its_first_url(client, seed_text):
    store(seed_text)
    first = Article.objects.get(headline__startswith=GONE)
    page_two, moving = split_out(seed_text, GONE, "工余时间")
    store(page_two)
    store(moving, number=3)
    store(page_two, number=3)  # it leaves page 3 too
    store(moving, number=4)

    now = Article.objects.get(headline__startswith=GONE, page__number=4)
    response = client.get(f"/articles/{first.pk}/")
    assert (response.status_code, response["Location"]) == (301, now.get_absolute_url())


@pytest.mark.django_db
def test_an_article_staff_delete_answers_410_not_404(admin_client, client, seed_text):
    store(seed_text)
    article = Article.objects.get(headline__startswith=GONE)

    admin_client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})

    assert not Article.objects.filter(pk=article.pk).exists()
    assert client.get(f"/articles/{article.pk}/").status_code == 410


@pytest.mark.django_db
def test_a_reupload_that_changes_one_headline_rewrites_only_that_article(
    seed_text, django_assert_max_num_queries
):
    store(seed_text)
    untouched = dict(Article.objects.exclude(seq=7).values_list("pk", "updated_at"))

    # The unchanged six are compared, not rewritten; the issue and the articles locked first;
    # the paper's learned title examples checked (one query) and the page's own replaced;
    # the issue's retired articles asked for layout corrections that follow them (one query).
    with django_assert_max_num_queries(27):
        store(seed_text.replace("邮政职工学礼仪", "邮政职工学商务礼仪"))

    assert dict(Article.objects.exclude(seq=7).values_list("pk", "updated_at")) == untouched


@pytest.mark.django_db
def test_staff_can_point_a_retired_url_at_the_article_it_became(admin_client, client, seed_text):
    store(seed_text)
    gone = Article.objects.get(headline__startswith=GONE)
    store(split_out(seed_text, GONE, "工余时间")[0])
    target = Article.objects.get(seq=1)
    retired = RetiredArticle.objects.get(article_id=gone.pk)

    response = admin_client.post(
        reverse("admin:articles_retiredarticle_change", args=[retired.pk]),
        {"successor": target.pk},
    )

    assert response.status_code == 302
    assert client.get(f"/articles/{gone.pk}/")["Location"] == target.get_absolute_url()
