"""Line shapes: datelines and list items, with real lines from the corpus."""

import pytest

from articles.parsing.titles import is_dateline, is_list_item


@pytest.mark.parametrize(
    "line",
    [
        "本报讯（记者 刘欣欣）举办第五届“朝阳工匠”选树活动",
        "新华社北京１月１４日电（记者 汪金福）",
        "据新华社华盛顿１月５日电",
        "本报汉城１月１０日电记者 王林昌 报道：应韩国国会邀请",
        "工人日报北京5月3日电",
    ],
)
def test_datelines(line):
    assert is_dateline(line)


@pytest.mark.parametrize(
    "line",
    [
        "信情报的交流以及电子产品的贸易等问题进行了广泛讨论，",  # 通 / 信情报…电子
        "但地方报纸和电视台的报道却很少。",
    ],
)
def test_text_that_mentions_a_paper_and_a_telegraph_is_no_dateline(line):
    assert not is_dateline(line)


@pytest.mark.parametrize(
    ("line", "item"),
    [
        ("１、日前，南京市科教文卫系统及法律、农资等部门２３０多人组成", True),
        ("２：北京动物园去年夏", True),  # a numbered picture caption
        ("（三）树立良好的职业道德和敬业精神", True),
        ("５．２亿公斤，比上年增长１３亿公斤。", False),  # 逾８ / ５．２亿: a number cut in two
        ("１２：３０开始", False),
    ],
)
def test_list_items_and_numbers(line, item):
    assert is_list_item(line) is item
