import csv
import datetime
import io

import pytest

from articles.search.export import as_csv, export_filename, export_search, neutralised
from articles.search.indexing import apply_pending_updates
from articles.search.service import SearchParams
from tests.factories import make_article, make_credit


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
    text = as_csv(export_search(SearchParams(reporter="崔欣")), "http://archive.example")
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
