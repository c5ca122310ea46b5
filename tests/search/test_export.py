import csv
import datetime
import io
import json

import pytest
import rispy
from django.urls import reverse

from articles.index_queue import queue_article_updates
from articles.models import Article
from articles.search.export import csv_chunks, export_filename, neutralised
from articles.search.indexing import apply_pending_updates
from articles.search.service import SearchParams, all_hits
from tests.factories import make_article, make_credit, make_issue, make_page


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+86 10 1234", "'+86 10 1234"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("职工之家", "职工之家"),
        ("a=b", "a=b"),
        (12, 12),
    ],
)
def test_cells_a_spreadsheet_would_evaluate_are_neutralised(cell, safe):
    assert neutralised(cell) == safe


@pytest.mark.django_db
def test_csv_neutralises_a_hostile_headline_and_keeps_the_rest_readable():
    article = make_article(headline="=1+1", kind="photo")
    make_credit(article, "崔欣", "photographer")
    apply_pending_updates()
    _, hits = all_hits(SearchParams(reporter="崔欣"), limit=10)
    text = "".join(csv_chunks(hits, "http://archive.example"))
    [header, row] = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    values = dict(zip(header, row, strict=True))
    assert values["标题"] == "'=1+1"
    assert (values["类型"], values["署名"]) == ("图片新闻", "崔欣（摄影）")
    assert values["链接"] == f"http://archive.example/articles/{article.pk}/"


@pytest.mark.parametrize(
    ("params", "name"),
    [
        (SearchParams(q="职工 技能"), "首都工会新闻档案-搜索-职工_技能-2024-03-19.csv"),
        (SearchParams(q='"a/b:c"'), "首都工会新闻档案-搜索-a_b_c-2024-03-19.csv"),
        (SearchParams(organization="市总"), "首都工会新闻档案-搜索-市总-2024-03-19.csv"),
        (SearchParams(kind="photo"), "首都工会新闻档案-搜索-全部-2024-03-19.csv"),
        (SearchParams(q="工" * 50), f"首都工会新闻档案-搜索-{'工' * 30}-2024-03-19.csv"),
    ],
)
def test_export_filename_names_the_search_and_the_day(params, name):
    assert export_filename(params, datetime.date(2024, 3, 19), "csv") == name


@pytest.fixture
def many_articles(db):
    """1,203 articles a search for 职工 finds: more than one export used to hold."""
    issue = make_issue(datetime.date(2024, 3, 12))
    page = make_page(issue, number=1)
    Article.objects.bulk_create(
        Article(page=page, seq=seq, headline=f"职工书屋第{seq}期", paragraphs=["读书。"])
        for seq in range(1, 1204)
    )
    queue_article_updates(Article.objects.values_list("pk", flat=True))
    apply_pending_updates()


def _streamed(client, fmt: str, **params) -> str:
    response = client.get(reverse("articles:search_export", args=[fmt]), {"q": "职工", **params})
    assert response.status_code == 200 and response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def test_exports_stream_every_result_beyond_a_thousand(client, many_articles):
    rows = list(csv.reader(io.StringIO(_streamed(client, "csv").lstrip("\ufeff"))))
    assert len(rows) == 1 + 1203
    lines = [json.loads(line) for line in _streamed(client, "jsonl").splitlines()]
    assert len({line["id"] for line in lines}) == 1203
    document = json.loads(_streamed(client, "json"))
    assert (document["total"], document["exported"]) == (1203, 1203)
    assert len(rispy.loads(_streamed(client, "ris"))) == 1203


def test_exports_stop_at_the_configured_cap(client, many_articles, settings):
    settings.NEWSARCHIVE_EXPORT_LIMIT = 150
    lines = _streamed(client, "jsonl").splitlines()
    assert len(lines) == 150
    document = json.loads(_streamed(client, "json"))
    assert (document["total"], document["exported"], document["limit"]) == (1203, 150, 150)


@pytest.mark.django_db
def test_an_export_of_a_query_that_cannot_run_is_a_400_before_any_streaming(client):
    response = client.get(reverse("articles:search_export", args=["jsonl"]), {"q": "-会议"})
    assert response.status_code == 400 and not response.streaming
