import pytest

from articles.parsing import Credit, Role
from articles.parsing.bylines import is_caption_line, lead_credits, parse_credit_line, tail_credits

REPORTER, INTERN = Role.REPORTER, Role.INTERN
CORRESPONDENT, PHOTOGRAPHER = Role.CORRESPONDENT, Role.PHOTOGRAPHER
TEXT = "近日，北辰集团工会举办工会干部研修班，帮助工会干部进一步提升业务能力。"


def names(credits):
    return [(c.name, c.role) for c in credits]


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("本报讯（记者 刘欣欣）", [("刘欣欣", REPORTER)]),
        ("本报讯（记者刘欣欣）", [("刘欣欣", REPORTER)]),
        ("本报讯(记者 刘欣欣)", [("刘欣欣", REPORTER)]),
        ("本报讯（记者\u3000刘欣欣）", [("刘欣欣", REPORTER)]),
        ("本报讯（记者\xa0刘欣欣）", [("刘欣欣", REPORTER)]),
        ("本报讯（记者 周美玉 孙艳）", [("周美玉", REPORTER), ("孙艳", REPORTER)]),
        ("本报讯（记者 周美玉、孙艳）", [("周美玉", REPORTER), ("孙艳", REPORTER)]),
        ("本报讯（记者 周美玉 通讯员 孙丹）", [("周美玉", REPORTER), ("孙丹", CORRESPONDENT)]),
        ("本报讯（通讯员 孙丹）", [("孙丹", CORRESPONDENT)]),
        ("本报讯（实习记者 边磊）", [("边磊", INTERN)]),
        ("本报讯（记者 盛丽 实习生 崔欣）", [("盛丽", REPORTER), ("崔欣", INTERN)]),
        ("新华社北京1月1日电（记者 孙艳）", [("孙艳", REPORTER)]),
        ("据新华社北京１月５日电（记者 孙艳）", [("孙艳", REPORTER)]),
        ("本报北京1月5日讯记者 周美玉、孙艳报道：", [("周美玉", REPORTER), ("孙艳", REPORTER)]),
        (
            "本报北京１月５日讯新华社记者 盛丽、本报记者 边磊 报道：",
            [("盛丽", REPORTER), ("边磊", REPORTER)],
        ),
        ("本报讯记者 刘欣欣从市总工会获悉，", [("刘欣欣", REPORTER)]),
        # forms of real union-paper pages
        ("本报讯 （记者 闫长禄）", [("闫长禄", REPORTER)]),
        ("本报讯（记者 马超 ）", [("马超", REPORTER)]),
        ("本报讯\u3000（记者\u3000马超）", [("马超", REPORTER)]),
        ("本报讯 通讯员申春报道 ", [("申春", CORRESPONDENT)]),
        (
            "本报讯 通讯员胡浈雨、郑斯林报道 ",
            [("胡浈雨", CORRESPONDENT), ("郑斯林", CORRESPONDENT)],
        ),
        ("本报讯 记者李国报道 ", [("李国", REPORTER)]),
        ("本报讯（记者高柱 通讯员吕丹）", [("高柱", REPORTER), ("吕丹", CORRESPONDENT)]),
        ("本报北京3月8日电（记者朱欣）", [("朱欣", REPORTER)]),
        (
            "本报杭州7月20日讯 （记者 阮蓓茜 通讯员 严俊） ",
            [("阮蓓茜", REPORTER), ("严俊", CORRESPONDENT)],
        ),
        ("中工网讯（通讯员 王燕飞）", [("王燕飞", CORRESPONDENT)]),
        (
            "中国青年报客户端讯（中青报·中青网记者 尹希宁 实习生 曹罡豪）",
            [("尹希宁", REPORTER), ("曹罡豪", INTERN)],
        ),
        ("本报讯 （葛红普\u3000通讯员\u3000袁甜）", [("袁甜", CORRESPONDENT)]),
        (
            "本报讯\xa0（记者刘友婷\xa0通讯员邱楚欣）",
            [("刘友婷", REPORTER), ("邱楚欣", CORRESPONDENT)],
        ),
        (
            "本报讯（记者 王\u3000伟 通讯员 李\xa0华）",
            [("王伟", REPORTER), ("李华", CORRESPONDENT)],
        ),
    ],
)
def test_lead_byline_forms_give_their_credits(lead, expected):
    assert names(lead_credits(lead + TEXT)) == expected


@pytest.mark.parametrize(
    "paragraph",
    [
        "本报讯 " + TEXT,
        "本报北京1月5日讯记者今天从市总工会获悉，" + TEXT,
        "新华社北京1月1日电 " + TEXT,
        "（刘欣欣）" + TEXT,
        TEXT,
    ],
    ids=["no-name", "reporter-unnamed", "agency-only", "bare-name", "no-byline"],
)
def test_lead_without_a_stated_role_and_name_gives_no_credits(paragraph):
    assert lead_credits(paragraph) == ()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("本报记者 崔欣 摄影报道", [("崔欣", PHOTOGRAPHER)]),
        ("本报记者 边磊 摄", [("边磊", PHOTOGRAPHER)]),
        ("本报记者边磊摄", [("边磊", PHOTOGRAPHER)]),
        ("（新华社记者 崔欣 摄）", [("崔欣", PHOTOGRAPHER)]),
        ("（崔欣 边磊 摄）（传真照片）", [("崔欣", PHOTOGRAPHER), ("边磊", PHOTOGRAPHER)]),
        ("文/图 本报记者 边磊", [("边磊", REPORTER), ("边磊", PHOTOGRAPHER)]),
        ("文／图\u3000本报记者\u3000边磊", [("边磊", REPORTER), ("边磊", PHOTOGRAPHER)]),
        ("文/本报记者 盛丽 图/本报记者 崔欣", [("盛丽", REPORTER), ("崔欣", PHOTOGRAPHER)]),
        ("本报记者 刘欣欣", [("刘欣欣", REPORTER)]),
        ("本报驻上海记者 刘欣欣", [("刘欣欣", REPORTER)]),
        ("新华社记者 盛丽本报记者 边磊", [("盛丽", REPORTER), ("边磊", REPORTER)]),
        # forms of real union-paper pages
        ("本报全媒体记者\xa0王何军", [("王何军", REPORTER)]),
        ("工人日报-中工网记者 赖志凯", [("赖志凯", REPORTER)]),
        ("■文/本报记者 郭强 摄影/周世杰", [("郭强", REPORTER), ("周世杰", PHOTOGRAPHER)]),
        ("新华社记者 金良快 摄", [("金良快", PHOTOGRAPHER)]),
        (
            "本报记者 吴铎思 本报通讯员 薛晓秋 摄",
            [("吴铎思", PHOTOGRAPHER), ("薛晓秋", PHOTOGRAPHER)],
        ),
        ("通讯员柳庭和 记者孟万成 摄", [("柳庭和", PHOTOGRAPHER), ("孟万成", PHOTOGRAPHER)]),
        ("（本报通讯员 王 恺 摄）", [("王恺", PHOTOGRAPHER)]),
        (
            "记者：张明 通讯员：李华、王芳",
            [("张明", REPORTER), ("李华", CORRESPONDENT), ("王芳", CORRESPONDENT)],
        ),
        ("记者李国 实习生孙欣", [("李国", REPORTER), ("孙欣", INTERN)]),
    ],
)
def test_standalone_credit_lines_are_recognised(line, expected):
    assert names(parse_credit_line(line)) == expected


@pytest.mark.parametrize(
    "line",
    [
        "邮政职工学礼仪",
        "（刘欣欣）",
        "刘欣欣 边磊",
        "本报记者",
        "北京市总工会党组成员、副主席蒋文云出席会议并讲话。",
        "记者近日从朝阳区2024年产业工人队伍建设改革工作推进会上了解到",
    ],
)
def test_other_lines_are_not_credit_lines(line):
    assert parse_credit_line(line) is None


def test_trailing_photo_credit_counts_for_a_picture_item_only():
    paragraph = "职工们在工余时间做保健操。（新华社记者 崔欣 摄）"
    assert names(tail_credits([paragraph], photo=True)) == [("崔欣", PHOTOGRAPHER)]
    assert tail_credits([paragraph], photo=False) == ()


def test_trailing_photo_credit_is_found_above_a_picture_note():
    paragraphs = ["职工们在工余时间做保健操。（新华社记者 崔欣 摄）", "（传真照片）"]
    assert names(tail_credits(paragraphs, photo=True)) == [("崔欣", PHOTOGRAPHER)]


def test_trailing_bare_name_gives_no_credit():
    assert tail_credits(["今后五年将深入开展文化活动进基层。（盛丽）"], photo=False) == ()


def test_credits_are_listed_once_each():
    assert lead_credits("本报讯（记者 盛丽、盛丽）" + TEXT) == (Credit("盛丽", REPORTER),)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("文/北京青年报记者 王斌", [("王斌", REPORTER)]),
        ("魏勇文/图", [("魏勇", PHOTOGRAPHER)]),
        ("记者：邓霞", [("邓霞", REPORTER)]),
        ("摄影：石家豪", [("石家豪", PHOTOGRAPHER)]),
    ],
)
def test_closing_and_name_first_credit_lines_of_the_second_batch(line, expected):
    assert names(parse_credit_line(line)) == expected


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("本网讯（记者石伟）近日，", [("石伟", REPORTER)]),
        ("51网讯（记者 李洁）4月25日，", [("李洁", REPORTER)]),
        ("竞报讯（记者 全逸先） 昨天下午，", [("全逸先", REPORTER)]),
        ("本报讯（魏勇文/图）10月24日，", [("魏勇", PHOTOGRAPHER)]),
    ],
)
def test_site_and_small_paper_datelines_give_their_byline(lead, expected):
    assert names(lead_credits(lead + TEXT)) == expected


@pytest.mark.parametrize(
    ("line", "caption"),
    [
        ("▶省总工会为坚守工作岗位的粤菜师傅等送上新年礼包\u3000全媒体记者林景余/摄", True),
        ("仁寿县总供图", True),
        ("农民工返乡专列线路图\u3000华琳 作", True),
        ("１、威风锣鼓庆丰收（孟仁泉摄）", False),  # a picture item's own numbered caption
        ("本报记者 刘强 摄", False),  # a credit line alone is a byline
    ],
)
def test_caption_lines_under_the_titles(line, caption):
    assert is_caption_line(line) is caption
