"""Page furniture lines from real union-paper page exports, and the page and date they print."""

import datetime

import pytest

from articles.parsing import parse_page
from articles.parsing.furniture import is_furniture, printed_date, printed_page

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
