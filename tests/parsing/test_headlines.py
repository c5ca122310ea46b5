"""Headline or column-break fragment? Real line pairs from the People's Daily corpus (1998-01).

Each case quotes the paragraph above, the headline-shaped line and the line below it. A fragment
is the first part of a paragraph cut by a column break; a headline opens the article under it.
"""

import pytest

from articles.parsing.cohesion import Context, echo_balance
from articles.parsing.grammar import tagged
from articles.parsing.headlines import DOUBT, headline_doubt, headline_evidence


def names(previous: str, line: str, following: str, context: Context | None = None) -> set[str]:
    return {name for name, _ in headline_evidence(previous, line, following, context=context)}


def words(text: str) -> list[str]:
    return [w for w, _ in tagged(text)]


# Wire reports: the article above opened on a dateline (after_report).
HASSAN = (
    "钱其琛转达了江泽民主席对哈桑国王的亲切问候和良好祝愿。",
    "哈桑国王也请钱其琛转达他",
    "对江泽民主席和中国其他领导人的良好祝愿。他在祝贺香港回归中国时说，",
    Context(
        above="摩洛哥国王会见钱其琛钱其琛转达了江泽民主席对哈桑国王的亲切问候和良好祝愿。",
        below="对江泽民主席和中国其他领导人的良好祝愿。他在祝贺香港回归中国时说，",
        after_report=True,
    ),
)
ENZO = (
    "两国还要在争取和维护世界和平等方面开展广泛的合作。",
    "恩佐在回顾两国贸易",
    "迅速发展的情况后表示：“我们相信，两国的合作关系将有广阔的前景。”",
    Context(after_report=True),
)
FUZHOU = (
    "一技术首批推广的重点是石家庄机场周围、省内高速公路两侧及省城近郊。（据新华社电）",
    "福州拆“西游记宫”改建绿地",
    "环福州名胜左海公园而建的占地６０００多平方米的“西游记宫”，日前被全部拆除，",
    Context(
        above="河北将推广秸秆气技术一技术首批推广的重点是石家庄机场周围、省内高速公路两侧。",
        below="环福州名胜左海公园而建的占地６０００多平方米的“西游记宫”，日前被全部拆除，",
    ),
)


@pytest.mark.parametrize(
    ("previous", "line", "following", "context"),
    [
        HASSAN,
        ENZO,
        (
            "相信双方完全可以在平等互利的基础上探索出新的有效的合作方式。",
            "两国外长还就共同",
            "感兴趣的国际问题交换了意见。会谈结束后，",
            Context(after_report=True),
        ),
        (
            "全场广东队抢得１８个篮板球，而辽宁队抢到了３４个，优劣一目了然。",
            "上一轮败给辽宁队的江苏南钢队本轮迎战弱旅",
            "济南军区队。江苏队指望靠这场球来鼓舞士气，走出失利阴影。",
            Context(after_report=True),
        ),
        (
            "按规定无须再参加２６日的折反跑测试，即取得体能测试及格的成绩。",
            "甲Ｂ“升班队”江苏加佳",
            "队在今天测试中成绩突出，有６人成绩超过了３３００米。",
            Context(after_report=True, report_page=True),
        ),
        (
            "望与中国进一步发展经贸合作，并希望中国通过马耳他，同该地区其他国家发展经贸关系。",
            "钱其琛转达了江泽民",
            "主席对邦尼奇总统的问候，并欢迎他在方便的时候再次访华。",
            Context(after_report=True),
        ),
        (
            "使投资者对印尼投资持等待、观望态度。",
            "印尼政府已把１９９８年确定",
            "为经济调整和改革年，寄希望于１９９９年能摆脱危机走出困境。",
            None,
        ),
        (
            "还有一个重要因素是公财不公理，封闭操作，没人监督。",
            "如何解决这一问题？党的十五大报告",
            "提供了对策，就是要求城乡基层政权机关和基层群众性自治组织，",
            None,
        ),
        (
            "经不住甜言蜜语、金钱厚礼的诱惑，开始一步步滑向罪恶的深渊。",
            "被依法判处有期徒刑１２年的北京延庆县原县委书记刘",
            "金生，逢年过节都必到领导家里送礼，每家至少是两三千元的礼品。",
            None,
        ),
        (
            "谈起这些变化的原因，都能列出八条九条，但有一条是共同的：开展“一把手工程”建设。",
            "“向我看齐”",
            "在沈阳地税局各级“一把手”中，有个叫",
            Context(headline="“一把手工程”——沈阳市地税局队伍建设纪实"),
        ),
        (
            "已知道那只是它的一个侧面，是留给人们赞美歌吟的一个诱人的倩影。",
            "海的大度能包容一切；海的宽阔能",
            "包容一切；海的柔情能感化一切；海的深邃能隐藏一切；海的放肆能粉碎一切。",
            None,
        ),
        (
            "指开盘以来某种股票成交价格中的最高和最低价格。",
            "“买入价”",
            "指已经申报但尚未成交的买进某种股票的价格，一般显示最高买入价。",
            Context(headline="初步识“大盘”"),
        ),
    ],
    ids=[
        "repeats-article",
        "speaker-below",
        "adverb",
        "short-sentence-below",
        "suffix-below",
        "title-after-name",
        "complement-below",
        "question-inside",
        "surname-after-title",
        "feature-intertitle",
        "semicolon",
        "glossary-term",
    ],
)
def test_column_break_fragment_is_not_a_headline(previous, line, following, context):
    assert headline_doubt(previous, line, following, context=context) >= DOUBT


@pytest.mark.parametrize(
    ("previous", "line", "following", "context"),
    [
        FUZHOU,
        (
            "个问题的争论还没有完。俄罗斯人关心的是，美国影片中邦德辈的对手是否改变一下国籍？",
            "奔驰在德国高速公路上",
            "刚到德国就听朋友说，在德国有两大享受：喝啤酒和开汽车。",
            Context(
                above="“００７”与冷战思维美国影片中邦德辈的对手是否改变一下国籍？",
                below="刚到德国就听朋友说，在德国有两大享受：喝啤酒和开汽车。\n"
                "德国的高速公路网是世界一流的。",
                headline="“００７”与冷战思维",
            ),
        ),
        (
            "我坚信自己的人生道路会越走越宽。（湖北武汉市青山区范卫青）",
            "『只想做一个合格的医生』",
            "刚过而立之年的黄斌，出生于一个中医世家，从小耳濡目染，领受了传统中医的熏陶。",
            Context(
                above="我报考公务员最终没被录取，多少让我感到遗憾。",
                below="刚过而立之年的黄斌，出生于一个中医世家，从小耳濡目染，领受了传统中医的熏陶。\n"
                "他在从事癫痫病诊治科研的道路上历尽艰辛。",
                headline="我报考公务员",
            ),
        ),
        (
            "促进对外经济贸易和科技文化交流的健康发展。",
            "李铁映在全国体委主任会议上强调",
            "坚持体育事业发展正确方针政策同使用兴奋剂行为进行坚决斗争",
            Context(after_report=True),
        ),
        (
            "采取实际行动，对两岸政治性谈判表示出应有的诚意。",
            "市长一家与孤儿",
            "去年早春二月，邵阳市市长孔令志启程赴京参加全国人代会。",
            None,
        ),
    ],
    ids=["announces-article", "place-phrase-closed", "quoted-title", "kicker-of-speech", "lead"],
)
def test_real_headline_stays_a_headline(previous, line, following, context):
    assert headline_doubt(previous, line, following, context=context) < DOUBT


@pytest.mark.parametrize(
    ("case", "low", "high"),
    [(HASSAN, 0.3, 1.0), (FUZHOU, -1.0, -0.3)],
    ids=["fragment", "headline"],
)
def test_fragment_repeats_the_article_above_and_headline_announces_the_text_below(case, low, high):
    _, line, _, context = case
    assert low <= echo_balance(words(line), context.above, context.below) <= high


def test_line_without_content_words_has_no_echo():
    assert echo_balance(words("１９９８"), "１９９８年", "") is None


@pytest.mark.parametrize(
    ("rule", "fragment", "headline"),
    [
        (
            "speaker above",
            ENZO[1:3],
            ("市长一家与孤儿", "去年早春二月，邵阳市市长孔令志启程赴京参加全国人代会。"),
        ),
        (
            "preposition left open",
            (
                "鲁杰罗还表示对遏制贸易保护主义",
                "抱有信心，因为世贸组织是贸易保护主义者不可逾越的障碍。",
            ),
            ("奔驰在德国高速公路上", "刚到德国就听朋友说，在德国有两大享受：喝啤酒和开汽车。"),
        ),
        (
            "name follows a title",
            ("中国人民解放军副总参谋长", "熊光楷、空军司令员刘顺尧、军事科学院院长刘精"),
            ("评说《潘汉年》", "桑燕（主持人）：二十八集电视连续剧《潘汉年》播出后，"),
        ),
        (
            "one-character clause follows",
            ("绵延的海岸向无尽的天际伸", "去，海浪抚熨得平平整整的沙滩似一条长长的缎带。"),
            ("听听游子心里话", "故乡，有如母亲。云游四方也罢，羁旅他乡也罢；"),
        ),
        (
            "date inside a sentence",
            (
                "阿尔及利亚全国人民议会议长萨利赫和民族委员会（上院）议长布马扎",
                "１１日也分别会见了钱其琛。",
            ),
            ("医生给病人送“红包”", "１月６日，空军四五八医院领导将一个１０３９０元的“红包”送给"),
        ),
        (
            "verb waits for more",
            (
                "公司在１９９７年启动的扩张项目主要有",
                "两种，一种是内部扩张，提高技术含量，扩大生产规模；一种是外部扩张。",
            ),
            (
                "李铁映在全国体委主任会议上强调",
                "坚持体育事业发展正确方针政策同使用兴奋剂行为进行坚决斗争",
            ),
        ),
    ],
)
def test_rule_fires_on_the_fragment_and_not_on_the_headline(rule, fragment, headline):
    assert rule in names("", *fragment)
    assert rule not in names("", *headline)


def test_a_time_opens_a_lead_only_when_a_comma_sets_it_off():
    assert "next opens on a time" in names(
        "", "市长一家与孤儿", "去年早春二月，邵阳市市长孔令志启程赴京参加全国人代会。"
    )
    assert "next opens on a time" not in names(
        "", "中国跳水选手蔡玉燕和陈莉", "今天夺得了女子１０米台双人比赛银牌。"
    )


def test_a_page_of_wire_reports_weighs_against_a_headline_without_a_dateline():
    line, following = "萨达姆总统２８日晚会", "见了来访的俄罗斯总统叶利钦的特使波苏瓦柳克。"
    plain = headline_doubt("", line, following, context=Context())
    reports = headline_doubt("", line, following, context=Context(after_report=True))
    assert reports > plain
    assert {"report above", "page of reports"} <= names(
        "", line, following, Context(after_report=True, report_page=True)
    )


def test_a_short_clause_below_carries_on_the_line_above():
    # 延安城市基础设施 / 薄弱，进入九十年代以后…: the predicate of a sentence cut by a column
    found = names(
        "延安的缺水问题得到根本解决。",
        "延安城市基础设施",
        "薄弱，进入九十年代以后，城市缺水问题日益突出",
    )
    assert "short clause follows" in found
    lead = names(
        "延安的缺水问题得到根本解决。", "延安供水工程建成通水", "近日，延安供水工程建成通水。"
    )
    assert "short clause follows" not in lead


def test_a_picture_note_does_not_hide_the_subheadline_below():
    previous = "———在促进整体经济发展中，塘沽区本身也取得了长足的进步。"
    line = "春风满堂商国是戮力同心开新局中共中央举行党外人士迎春座谈会"
    following = "江泽民发表讲话李瑞环主持胡锦涛等出席（附图片１张）"
    assert "a subheadline follows" in names(previous, line, following)
    assert headline_doubt(previous, line, following) < DOUBT
