"""Page layout: banners, title blocks, photo items, column breaks; text from the seed page."""

import pytest

from articles.parsing import Credit, Kind, NoArticlesError, Role, parse_page

SLOGAN = "深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面"
HEADLINE = "北辰集团工会干部研修班开班"
LEAD = "本报讯（记者 周美玉 通讯员 孙丹）近日，北辰集团工会举办工会干部研修班，帮助工会干部进一步提升业务能力。"
BODY = "此次培训班为期两天，课程涵盖了理论素养、业务实操、财务管理、工作答疑等内容。"
PHOTO_HEADLINE = "工余时间“动”起来"
PHOTO_TEXT = "日前，北京住总集团有限责任公司工程总承包部工会向职工下发“保健操手卡”，组织开展工余时间操活动，让职工在工作之余得到身心的放松。"


def page(*blocks: str) -> str:
    """Blocks one blank line apart, as layout extraction gives them."""
    return "\n\n" + "\n\n".join(blocks)


def only_article(text: str):
    parsed = parse_page(text)
    assert len(parsed.articles) == 1
    return parsed.articles[0]


@pytest.mark.parametrize(
    "furniture",
    [
        [SLOGAN],
        ["责任编辑：王晓东"],
        ["第4版　1998年1月5日"],
        ["第4版　1998年1月5日", "责任编辑：王晓东 美术编辑：李静"],
    ],
    ids=["slogan", "editor", "page-banner", "banner-and-editors"],
)
def test_page_furniture_before_the_first_title_block_becomes_banners(furniture):
    parsed = parse_page(page(*furniture, HEADLINE, "今后五年将深入开展文化活动进基层", LEAD, BODY))
    assert list(parsed.banners) == furniture
    article = parsed.articles[0]
    assert (article.headline, article.subheadline) == (HEADLINE, "今后五年将深入开展文化活动进基层")
    assert article.paragraphs == (LEAD, BODY)


def test_headline_alone_opens_an_article():
    article = only_article(page(HEADLINE, LEAD, BODY))
    assert (article.kicker, article.headline, article.subheadline) == (None, HEADLINE, None)


def test_headline_with_subheadline():
    article = only_article(page(HEADLINE, "帮助工会干部进一步提升业务能力", LEAD))
    assert (article.kicker, article.subheadline) == (None, "帮助工会干部进一步提升业务能力")


def test_kicker_headline_and_subheadline_above_a_dateline():
    kicker = "推动工会工作改革创新"
    sub = "帮助工会干部进一步提升业务能力"
    article = only_article(page("第4版　1998年1月5日", kicker, HEADLINE, sub, LEAD, BODY))
    assert (article.kicker, article.headline, article.subheadline) == (kicker, HEADLINE, sub)


def test_second_article_starts_at_its_headline():
    parsed = parse_page(
        page(
            HEADLINE,
            LEAD,
            BODY,
            "邮政职工学礼仪",
            "本报讯（记者 边磊）近日，北京市邮政工会举办着装礼仪培训讲座。",
        )
    )
    assert [a.headline for a in parsed.articles] == [HEADLINE, "邮政职工学礼仪"]
    assert parsed.articles[0].paragraphs == (LEAD, BODY)


@pytest.mark.parametrize(
    ("first", "second", "joined"),
    [
        (
            "带动各地区、各行业广泛开展技能竞赛、岗位练兵，全年举办不",
            "少于100场技能竞赛。",
            "带动各地区、各行业广泛开展技能竞赛、岗位练兵，全年举办不少于100场技能竞赛。",
        ),
        (
            "朝阳区区委常委、统战部部",
            "长、朝阳区产改协调小组组长李国红指出，朝阳区自推进产业工人队伍建设改革以来成效明显。",
            "朝阳区区委常委、统战部部长、朝阳区产改协调小组组长李国红指出，朝阳区自推进产业工人队伍建设改革以来成效明显。",
        ),
        (
            "通过学习不仅增长了业务知识，更激发了工作干劲和热情。工会干部们纷纷",
            "表示，今后要以更加饱满的热情投身到工会各项工作中去。",
            "通过学习不仅增长了业务知识，更激发了工作干劲和热情。工会干部们纷纷表示，今后要以更加饱满的热情投身到工会各项工作中去。",
        ),
    ],
    ids=["mid-word-number", "mid-word-title", "between-words"],
)
def test_column_breaks_are_joined_back(first, second, joined):
    article = only_article(page(HEADLINE, LEAD, first, second, BODY))
    assert article.paragraphs == (LEAD, joined, BODY)


@pytest.mark.parametrize(
    "fragment",
    ["北京公交集团各级工会紧紧", "据了解，过去五年", "工会干部们纷纷"],
)
def test_a_short_fragment_after_a_column_break_is_not_a_headline(fragment):
    rest = "围绕中心、服务大局，在动员职工建功立业、维护职工权益等方面做了大量卓有成效的工作。"
    article = only_article(page(HEADLINE, LEAD, BODY, fragment, rest))
    assert article.paragraphs == (LEAD, BODY, fragment + rest)


def test_headline_above_a_dateline_is_not_swallowed_by_an_unfinished_paragraph():
    unfinished = "此次培训班为期两天，课程涵盖了理论素养、业务实操等内容，工会干部们纷纷"
    second = "本报讯（记者 边磊）近日，北京市邮政工会举办着装礼仪培训讲座。"
    parsed = parse_page(page(HEADLINE, LEAD, unfinished, "邮政职工学礼仪", second))
    assert [a.headline for a in parsed.articles] == [HEADLINE, "邮政职工学礼仪"]
    assert parsed.articles[0].paragraphs == (LEAD, unfinished)


def test_kicker_headline_and_subheadline_in_mid_page():
    kicker, sub = "推动工会工作改革创新", "帮助工会干部进一步提升业务能力"
    parsed = parse_page(
        page(
            "邮政职工学礼仪",
            "本报讯（记者 边磊）近日，北京市邮政工会举办着装礼仪培训讲座。",
            kicker,
            HEADLINE,
            sub,
            LEAD,
        )
    )
    article = parsed.articles[1]
    assert (article.kicker, article.headline, article.subheadline) == (kicker, HEADLINE, sub)


def test_two_finished_paragraphs_are_never_joined():
    article = only_article(page(HEADLINE, LEAD, BODY, BODY))
    assert article.paragraphs == (LEAD, BODY, BODY)


def test_list_items_ending_in_colon_or_semicolon_stay_as_written():
    items = [
        "下一步要做到以下几点：",
        "提高政治站位，强化思想引领；",
        "聚焦服务大局，提升能力素养；",
        "叫响“产改”品牌，凝聚工作合力。",
    ]
    article = only_article(page(HEADLINE, LEAD, *items))
    assert article.paragraphs == (LEAD, *items)


def test_photo_item_after_three_blank_lines_takes_its_credit_line():
    text = (
        page(HEADLINE, LEAD, BODY)
        + f"\n\n\n\n{PHOTO_HEADLINE}\n\n{PHOTO_TEXT}\n\n本报记者 崔欣 摄影报道"
    )
    photo = parse_page(text).articles[1]
    assert (photo.headline, photo.kind) == (PHOTO_HEADLINE, Kind.PHOTO)
    assert photo.paragraphs == (PHOTO_TEXT,)
    assert [(c.name, c.role) for c in photo.credits] == [("崔欣", Role.PHOTOGRAPHER)]


@pytest.mark.parametrize(
    ("credit_line", "credits"),
    [
        ("本报记者 边磊 摄", [("边磊", Role.PHOTOGRAPHER)]),
        ("文/图 本报记者 边磊", [("边磊", Role.REPORTER), ("边磊", Role.PHOTOGRAPHER)]),
    ],
)
def test_credit_line_under_a_picture_story_makes_it_a_photo_item(credit_line, credits):
    article = only_article(page(PHOTO_HEADLINE, PHOTO_TEXT, credit_line))
    assert article.kind is Kind.PHOTO
    assert article.paragraphs == (PHOTO_TEXT,)
    assert [(c.name, c.role) for c in article.credits] == credits


def test_byline_line_under_the_headline_gives_credits_and_is_no_paragraph():
    article = only_article(page(HEADLINE, "本报记者 周美玉", BODY))
    assert article.paragraphs == (BODY,)
    assert [(c.name, c.role) for c in article.credits] == [("周美玉", Role.REPORTER)]


def test_byline_stays_in_the_first_paragraph():
    article = only_article(page(HEADLINE, LEAD, BODY))
    assert article.paragraphs[0] == LEAD
    assert [(c.name, c.role) for c in article.credits] == [
        ("周美玉", Role.REPORTER),
        ("孙丹", Role.CORRESPONDENT),
    ]


def test_wire_report_with_page_banner_and_trailing_bare_name():
    text = page(
        "第4版　1998年1月5日",
        "全国总工会部署送温暖工作",
        "新华社北京１月４日电（记者 孙艳）中华全国总工会今天召开视频会议，部署春节送温暖工作。",
        "会议要求，各级工会把困难职工的冷暖放在心上。（盛丽）",
    )
    parsed = parse_page(text)
    article = parsed.articles[0]
    assert parsed.banners == ("第4版　1998年1月5日",)
    assert [(c.name, c.role) for c in article.credits] == [("孙艳", Role.REPORTER)]
    assert article.paragraphs[-1].endswith("（盛丽）")


def test_crlf_bom_and_full_width_indentation_are_handled():
    text = "\ufeff" + page(HEADLINE, "\u3000\u3000" + LEAD, "\u3000\u3000" + BODY).replace(
        "\n", "\r\n"
    )
    assert only_article(text).paragraphs == (LEAD, BODY)


def test_news_without_a_byline_is_normal_and_not_flagged():
    assert parse_page(page(HEADLINE, "本报讯 " + BODY)).warnings == ()


def test_a_byline_that_could_not_be_read_is_flagged_in_chinese():
    parsed = parse_page(page(HEADLINE, "本报讯（记者 ABC）" + BODY))
    assert parsed.warnings == (
        "“北辰集团工会干部研修班开班”：导语中有署名，但未能识别记者或通讯员，请核对",
    )


def test_paragraph_ending_mid_sentence_is_flagged():
    parsed = parse_page(page(HEADLINE, LEAD, "工会干部们纷纷"))
    assert any("第2段在句中结束" in w and HEADLINE in w for w in parsed.warnings)


def test_a_signed_commentary_is_not_flagged_as_cut():
    signed = "临安区总工会充分考虑到各类户外劳动者的需求，为他们送去清凉。 □费伟华"
    assert parse_page(page(HEADLINE, LEAD, signed)).warnings == ()


def test_seed_page_parses_without_warnings(seed_text):
    assert parse_page(seed_text).warnings == ()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        "第4版　1998年1月5日",
        "本报记者 崔欣 摄影报道",
        HEADLINE,
        f"{HEADLINE}\n\n本报记者 崔欣",
    ],
    ids=["empty", "blank", "banner-only", "byline-only", "headline-only", "headline-and-byline"],
)
def test_page_without_an_article_raises_no_articles(text):
    with pytest.raises(NoArticlesError, match="没有找到文章"):
        parse_page(text)


# A wire report from the corpus (1998-01-01, page 3), cut by a column break between two words.
ENZO_HEADLINE = "中南外长联合举行记者招待会阐述两国关系和对台湾问题立场"
ENZO_LEAD = "本报比勒陀利亚１２月３０日电 中国国务院副总理兼外交部长钱其琛和南非外长恩佐今天举行联合记者招待会。"
ENZO_BODY = "他指出，南非人民和中国人民的关系远非始于今日。"


def test_clause_cut_between_two_words_is_joined_not_taken_for_a_headline():
    first, rest = (
        "恩佐在回顾两国贸易",
        "迅速发展的情况后表示：“我们相信，两国的合作关系将有广阔的前景。”",
    )
    article = only_article(page(ENZO_HEADLINE, ENZO_LEAD, ENZO_BODY, first, rest))
    assert article.paragraphs == (ENZO_LEAD, ENZO_BODY, first + rest)


def test_headline_above_a_dateline_cut_by_a_column_break_stays_a_headline():
    headline = "话剧再次成为热门话题艺术家、评论家在京聚会讨论繁荣话剧艺术"
    dateline, rest = (
        "本报北京１月８日",
        "讯新年伊始，中国话剧９０年纪念活动，使首都文艺舞台更加多姿多彩。",
    )
    parsed = parse_page(page(ENZO_HEADLINE, ENZO_LEAD, ENZO_BODY, headline, dateline, rest))
    assert [a.headline for a in parsed.articles] == [ENZO_HEADLINE, headline]
    assert parsed.articles[1].paragraphs == (dateline + rest,)


def test_quoted_intertitle_inside_a_feature_stays_in_the_feature():
    headline = "“一把手工程”——沈阳市地税局队伍建设纪实"
    lead = "沈阳市为了摸清下属单位廉政建设的真情实况，每年都向市民投卷问答，让市民评分。"
    first, rest = "在沈阳地税局各级“一把手”中，有个叫", "得很响的口号：“向我看齐。”"
    article = only_article(page(headline, "本报记者 段心强", lead, "“向我看齐”", first, rest))
    assert article.paragraphs == (lead, "“向我看齐”", first + rest)


def test_editors_note_label_opens_the_text_as_its_own_paragraph():
    article = only_article(page(HEADLINE, "编者按", BODY, LEAD))
    assert (article.subheadline, article.paragraphs[:2]) == (None, ("编者按", BODY))


def test_a_dash_line_under_a_headline_is_its_subheadline_even_over_plain_text():
    sub = "——探访贵州省律师协会“农民工维权工作站”"
    parsed = parse_page(page(HEADLINE, LEAD, BODY, "“1元钱的欠薪我们也讨”", sub, BODY))
    assert [(a.headline, a.subheadline) for a in parsed.articles] == [
        (HEADLINE, None),
        ("“1元钱的欠薪我们也讨”", sub),
    ]


@pytest.mark.parametrize("tag", ["【工会缩影】", "建外丨"])
def test_a_column_tag_opens_a_headline_after_a_finished_paragraph(tag):
    headline = f"{tag}精彩“篮”不住！街道总工会3V3篮球赛展运动风采"
    parsed = parse_page(page(HEADLINE, LEAD, BODY, headline, BODY))
    assert [a.headline for a in parsed.articles] == [HEADLINE, headline]


@pytest.mark.parametrize("byline", ["□刘冰", "李海", "刘聪"])
def test_a_bare_name_byline_line_is_removed_and_gives_no_credit(byline):
    article = only_article(page(HEADLINE, byline, BODY, BODY.replace("此次", "这次")))
    assert (article.subheadline, article.paragraphs[0], article.credits) == (None, BODY, ())


def test_closing_reporter_and_photographer_lines_keep_their_roles_in_a_news_story():
    article = only_article(page(HEADLINE, BODY, "记者：邓霞", "摄影：石家豪"))
    assert article.kind is Kind.NEWS
    assert set(article.credits) == {
        Credit("邓霞", Role.REPORTER),
        Credit("石家豪", Role.PHOTOGRAPHER),
    }


def test_a_dateline_opening_paragraph_two_gives_the_byline():
    lead = "南方工报讯 （全媒体记者林婷玉 通讯员曹俊峰）近日，省总工会开展慰问活动。"
    article = only_article(page(HEADLINE, BODY, lead))
    assert set(article.credits) == {
        Credit("林婷玉", Role.REPORTER),
        Credit("曹俊峰", Role.CORRESPONDENT),
    }
