"""Page furniture lines from real union-paper page exports, and the page and date they print."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.parsing import decode_page, parse_page
from articles.parsing.furniture import (
    is_epaper_export,
    is_furniture,
    is_top_furniture,
    printed_date,
    printed_page,
    printed_paper,
    printed_section,
)
from tests.conftest import DEVSET

HEADLINE = "椿树千余职工领取清凉礼包"
LEAD = "本报讯 （通讯员 李惠梓）椿树街道总工会近日启动2015年“关爱职工·送清凉·送健康”系列活动。"
BODY = "据了解，这只是“送清凉·送健康”系列活动的一个开始。"


@pytest.mark.parametrize(
    "line",
    [
        "第04版：工会",
        "第03版：工会新闻",
        "00002版：工会",
        "第4版　1998年1月5日",
        "第十二版 要闻",
        "劳动午报 2019年8月12日 星期一",
        "工人日报 2016年06月17日 星期五",
        "浙江工人日报 2021年08月16日 星期一",
        "2017年1月23日 星期一",
        "2025年9月26日\u3000星期五",
        "责任编辑：施晓娟",
        "责任编辑 王晓东  版式设计 李静",
        "（责任编辑：王晓东 美术编辑：李静）",
        "版面：08：文体",
        "第14289期：第02版\u3000本期出版日期：2025-10-28",
        "出版日期：2008年05月19日",
        "《工人日报》（2012年03月28日 002版）",
        "第A1版",
    ],
)
def test_furniture_lines_of_real_page_exports(line):
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "2版图书推荐",  # a bare number before 版 is text, not a banner
        "编辑部的故事在职工中传开了",
        "2019年8月12日，门头沟区总工会召开职工代表大会。",
        "劳动午报记者昨天从市总工会获悉",
        "责任编辑们表示要把好每一篇稿件的质量关",
        "美术 作品展出现新面孔",
    ],
)
def test_text_that_only_resembles_furniture_is_not_furniture(line):
    assert not is_furniture(line)


@pytest.mark.parametrize(
    ("banners", "page", "date"),
    [
        (["第04版：工会", "劳动午报 2019年8月12日 星期一"], 4, datetime.date(2019, 8, 12)),
        (["劳动午报 2020年12月31日 星期四", "第04版：工会"], 4, datetime.date(2020, 12, 31)),
        (["00002版：工会", "浙江工人日报 2021年08月16日 星期一"], 2, datetime.date(2021, 8, 16)),
        (["第４版　１９９８年１月５日"], 4, datetime.date(1998, 1, 5)),
        (["第十二版 要闻"], 12, None),
        (["深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面"], None, None),
        (["2019年2月30日 星期一"], None, None),  # a misprinted date states nothing
    ],
)
def test_printed_page_and_date_come_from_the_furniture(banners, page, date):
    assert (printed_page(banners), printed_date(banners)) == (page, date)


@pytest.mark.parametrize(
    "furniture",
    [
        ["第06版：速览", "责任编辑：施晓娟", "劳动午报 2015年9月18日 星期五"],
        ["劳动午报 2020年12月31日 星期四", "第04版：工会"],
        ["00002版：工会", "浙江工人日报 2021年08月16日 星期一"],
        ["第03版：工会新闻", "2017年1月23日 星期一"],
    ],
)
def test_several_furniture_lines_in_any_order_are_banners(furniture):
    parsed = parse_page("\n\n".join([*furniture, HEADLINE, LEAD, BODY]))
    assert list(parsed.banners) == furniture
    assert [a.headline for a in parsed.articles] == [HEADLINE]
    assert parsed.printed_page is not None
    assert parsed.to_dict()["printed_page"] == parsed.printed_page


@pytest.mark.parametrize("line", ["劳动午报", "甘肃工人报", "头版", "01", "2025-10-28"])
def test_masthead_and_page_labels_are_furniture_only_above_the_titles(line):
    assert (is_top_furniture(line), is_furniture(line)) == (True, False)


@pytest.mark.parametrize(
    ("banners", "paper", "section", "page"),
    [
        (["第04版：工会", "劳动午报 2019年8月12日 星期一"], "劳动午报", "工会", 4),
        (["劳动午报 2025年8月14日 星期四", "版面：08：文体"], "劳动午报", "文体", 8),
        (["《工人日报》（2012年03月28日 002版）"], "工人日报", None, 2),
        (["第14289期：第02版\u3000本期出版日期：2025-10-28"], None, None, 2),
        (["山东工人报 2025年12月29日 星期一", "第A1版"], "山东工人报", None, 1),
        (["出版日期：2008年05月19日", "头版", "01"], None, None, 1),
        (["第4版\u30001998年1月5日"], None, None, 4),
    ],
)
def test_paper_section_and_page_read_from_the_banner(banners, paper, section, page):
    assert (printed_paper(banners), printed_section(banners), printed_page(banners)) == (
        paper,
        section,
        page,
    )


@pytest.mark.parametrize(
    ("banners", "epaper"),
    [
        (["第04版：工会", "劳动午报 2019年8月12日 星期一"], True),
        (["甘肃工人报", "2018年12月26日", "第01版：要闻"], True),
        (["第13772期：第01版\u3000本期出版日期：2024-01-03"], False),
        (["第01版", "南方工报\u30002023年01月20日\u3000星期五"], False),
        (["劳动午报", "2019年5月5日 星期日"], False),
        # another export's banner pasted above the page's own: the page's own decides
        (["第01版：工会", "第13772期：第01版\u3000本期出版日期：2024-01-03"], False),
        (["版面：07：副刊", "第04版：工会", "劳动午报 2019年8月12日 星期一"], True),
    ],
)
def test_the_page_banner_nearest_the_articles_says_whether_the_page_is_an_epaper_export(
    banners, epaper
):
    assert is_epaper_export(banners) is epaper


def test_an_epaper_banner_above_a_reader_page_does_not_change_how_its_titles_read():
    # Hypothesis found this on the 四川工人日报 reader page of 2024-01-03: read as an e-paper
    # export, the headline over its subheadline became a kicker over a headline.
    page = (
        "第13772期：第01版\u3000本期出版日期：2024-01-03\n\n"
        "省总工会农民工返乡专列活动启动\n\n本报全媒体记者多路随车全程报道\n\n"
        f"{LEAD}\n\n{BODY}\n"
    )
    article = parse_page(f"第01版：工会\n\n{page}").articles[0]
    assert (article.kicker, article.headline, article.subheadline) == (
        None,
        "省总工会农民工返乡专列活动启动",
        "本报全媒体记者多路随车全程报道",
    )
    assert _articles(f"第01版：工会\n\n{page}") == _articles(page)


def test_lines_above_the_title_block_are_banners_whatever_their_form():
    text = f"出版日期：2016年12月20日\n\n工运纵横\n\n03\n\n{HEADLINE}\n\n{LEAD}\n\n{BODY}\n"
    parsed = parse_page(text)
    assert parsed.banners == ("出版日期：2016年12月20日", "工运纵横", "03")
    assert [a.headline for a in parsed.articles] == [HEADLINE]


_PLACE = st.text(
    alphabet="北京上海陕西四川甘肃浙江山东南方广州成都兰州长春", min_size=2, max_size=4
)
_PAPER_NAME = st.builds(
    "".join, st.tuples(_PLACE, st.sampled_from(["工人报", "工人日报", "工报", "日报", "午报"]))
)
_DATE = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2030, 12, 31))
_NUMBER = st.integers(min_value=1, max_value=24)
_SECTION = st.sampled_from(["工会", "要闻", "文体", "综合", "工运纵横", "副刊"])


def _cn(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


_FURNITURE_LINE = st.one_of(
    _PAPER_NAME,
    st.builds(lambda p, d: f"{p} {_cn(d)} 星期一", _PAPER_NAME, _DATE),
    st.builds(_cn, _DATE),
    st.builds(lambda d: d.isoformat(), _DATE),
    st.builds(lambda n, s: f"第{n:02d}版：{s}", _NUMBER, _SECTION),
    st.builds(lambda n, s: f"版面：{n:02d}：{s}", _NUMBER, _SECTION),
    st.builds(lambda n: f"第A{n}版", _NUMBER),
    st.builds(lambda n: f"{n:02d}", _NUMBER),
    st.just("头版"),
    st.builds(lambda d: f"出版日期：{_cn(d)}", _DATE),
    st.builds(
        lambda q, n, d: f"第{q}期：第{n:02d}版\u3000本期出版日期：{d.isoformat()}",
        st.integers(min_value=1, max_value=20000),
        _NUMBER,
        _DATE,
    ),
    st.builds(lambda p, d, n: f"《{p}》（{_cn(d)} {n:03d}版）", _PAPER_NAME, _DATE, _NUMBER),
    st.builds(lambda n: f"责任编辑：{n}", st.sampled_from(["施晓娟", "王东", "李静"])),
)


def _real_pages() -> list[str]:
    pages = sorted(DEVSET.parent.glob("pages*/*.txt")) if DEVSET.is_dir() else []
    return [decode_page(p.read_bytes()) for p in pages]


def _articles(text: str) -> list[tuple]:
    return [
        (a.kicker, a.headline, a.subheadline, a.paragraphs, a.credits)
        for a in parse_page(text).articles
    ]


@pytest.mark.devset
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), lines=st.lists(_FURNITURE_LINE, min_size=1, max_size=3))
def test_furniture_lines_added_above_a_real_page_never_change_its_articles(data, lines):
    pages = _real_pages()
    text = data.draw(st.sampled_from(pages))
    assert _articles("\n\n".join([*lines, text])) == _articles(text)
