"""Title blocks of real union-paper pages: kicker, headline and subheadline from the whole block."""

import pytest

from articles.parsing import parse_page
from articles.parsing.titleblock import is_colon_kicker, is_split_headline, title_roles

EPAPER = ["第04版：工会", "劳动午报 2019年8月12日 星期一"]
LEAD = "本报讯（记者 马超）近日，市建筑工会举行交流会，为参建单位送去“送清凉”慰问金。"
BODY = "会上，与会人员参观了职工小家，交流了职工服务工作的经验。"


@pytest.mark.parametrize(
    ("lines", "epaper", "roles"),
    [
        (
            [
                "市建筑工会召开城市副中心职工小家建设暨职工服务工作交流会",
                "发挥引领示范作用建高水平职工之家",
            ],
            True,
            (
                "市建筑工会召开城市副中心职工小家建设暨职工服务工作交流会",
                "发挥引领示范作用建高水平职工之家",
                None,
            ),
        ),
        (
            ["为家境困难的工友子女送去关爱与陪伴", "中建二局华东分队志愿者情牵“小候鸟”"],
            True,
            ("为家境困难的工友子女送去关爱与陪伴", "中建二局华东分队志愿者情牵“小候鸟”", None),
        ),
        (
            ["让梦想触手可及", "金华市总工会开展困难职工子女扶志活动"],
            True,
            (None, "让梦想触手可及", "金华市总工会开展困难职工子女扶志活动"),
        ),
        (
            ["建设首善工会 服务首都职工", "——北京市新时期工会工作扫描"],
            True,
            (None, "建设首善工会 服务首都职工", "——北京市新时期工会工作扫描"),
        ),
        (
            ["西罗园街道总工会：", "做职工最坚强的后盾"],
            False,
            ("西罗园街道总工会：", "做职工最坚强的后盾", None),
        ),
        (
            ["龙泉镇机关工会", "托管班让职工安心工作"],
            False,
            ("龙泉镇机关工会", "托管班让职工安心工作", None),
        ),
        (
            ["北京经济技术开发区1700余名职工", "健走展风采"],
            True,
            (None, "北京经济技术开发区1700余名职工健走展风采", None),
        ),
        (
            # a print-layout page (the seed) sets headline over subheadline
            ["朝阳区深化“产改”促进发展新质生产力", "全方位为产业工人“建跑道”“增动能”"],
            False,
            (None, "朝阳区深化“产改”促进发展新质生产力", "全方位为产业工人“建跑道”“增动能”"),
        ),
        (
            ["省总工会慰问团分赴全省各地", "为一线职工送清凉", "累计送出慰问金30万元"],
            True,
            ("省总工会慰问团分赴全省各地", "为一线职工送清凉", "累计送出慰问金30万元"),
        ),
    ],
    ids=[
        "kicker-headline",
        "purpose-kicker",
        "short-headline-long-subheadline",
        "dash-subheadline",
        "colon-kicker",
        "union-kicker",
        "headline-over-two-lines",
        "print-layout",
        "all-three",
    ],
)
def test_title_roles_from_the_shape_of_the_block(lines, epaper, roles):
    assert title_roles(lines, epaper=epaper) == roles


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("五月红 火焰蓝", "仙居成立消防救援大队工会"),
        ("谭彦", "谭彦幸福的一家"),
        ("门头沟区龙泉镇机关职工子女暑期托管班受到家长称赞", "“自打上了托管班 孩子在家更懂事了”"),
    ],
)
def test_two_whole_title_lines_are_not_one_headline(first, second):
    assert not is_split_headline(first, second)


@pytest.mark.parametrize(
    "line", ["图片：", "同胞们、朋友们、女士们、先生们：", "他说：“我们要干好。”"]
)
def test_picture_labels_addresses_and_speech_are_not_colon_kickers(line):
    assert not is_colon_kicker(line)


def test_epaper_page_reads_kicker_and_headline():
    text = "\n\n".join(
        [
            *EPAPER,
            "市建筑工会召开职工服务工作交流会",
            "发挥引领示范作用建高水平职工之家",
            LEAD,
            BODY,
        ]
    )
    article = parse_page(text).articles[0]
    assert (article.kicker, article.headline, article.subheadline) == (
        "市建筑工会召开职工服务工作交流会",
        "发挥引领示范作用建高水平职工之家",
        None,
    )


def test_a_colon_kicker_inside_the_page_opens_the_next_article():
    text = "\n\n".join(
        [
            *EPAPER,
            "北京丰台工人俱乐部服务周边职工",
            "中工网讯（通讯员 王燕飞）近日，丰台工人俱乐部周边职工居民联名写信表扬区总工会。",
            "新建成的操场，地面平整，环境优雅，每天吸引着大量职工前来休闲健身。",
            "西罗园街道总工会：",
            "做职工最坚强的后盾",
            "“疫情就是命令，防控就是责任”，丰台区西罗园街道总工会积极行动起来，同心抗疫。",
        ]
    )
    first, second = parse_page(text).articles
    assert len(first.paragraphs) == 2
    assert (second.kicker, second.headline) == ("西罗园街道总工会：", "做职工最坚强的后盾")


def test_own_line_byline_under_a_dash_subheadline_is_a_credit_not_text():
    text = "\n\n".join(
        [
            "第02版：综合",
            "千里讨薪路 工会暖人心",
            "——清涧县总工会为3位渝籍农民工追回“血汗钱”",
            "本报全媒体记者\xa0王何军",
            "7月19日下午，远在千里之外的重庆黔江区，农民工喻绍祥用刚追回的钱给孙子交上了暑期兴趣班费用。",
        ]
    )
    article = parse_page(text).articles[0]
    assert article.subheadline == "——清涧县总工会为3位渝籍农民工追回“血汗钱”"
    assert [(c.name, str(c.role)) for c in article.credits] == [("王何军", "reporter")]
    assert article.paragraphs[0].startswith("7月19日下午")


def test_a_picture_credit_over_two_lines_makes_everyone_a_photographer():
    text = "\n\n".join(
        [
            "00002版：工会",
            "文化进工地 党旗高高飘",
            "近日，杭州市总工会等举办的“文化进工地 党旗高高飘”文艺晚会在建设工地同步上演。",
            "记者周金友、洪菡婷",
            "通讯员张晓燕 摄影报道",
        ]
    )
    article = parse_page(text).articles[0]
    assert {(c.name, str(c.role)) for c in article.credits} == {
        ("周金友", "photographer"),
        ("洪菡婷", "photographer"),
        ("张晓燕", "photographer"),
    }
    assert article.paragraphs == (
        "近日，杭州市总工会等举办的“文化进工地 党旗高高飘”文艺晚会在建设工地同步上演。",
    )
