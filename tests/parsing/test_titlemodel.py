"""The title-block model: roles of real title blocks, doubt notices, and same output every run."""

import pytest

from articles.parsing import parse_page
from articles.parsing.titlemodel import MODEL_PATH, TitleExample, TitleModel, base_model

TEXT = "本报讯（记者 马超）近日，市总工会在工地开展慰问活动，为职工送去清凉。"


@pytest.mark.parametrize(
    ("lines", "kicker", "headline", "subheadline"),
    [
        (["椿树千余职工领取清凉礼包"], None, "椿树千余职工领取清凉礼包", None),
        (
            ["千里讨薪路 工会暖人心", "——清涧县总工会为3位渝籍农民工追回“血汗钱”"],
            None,
            "千里讨薪路 工会暖人心",
            "——清涧县总工会为3位渝籍农民工追回“血汗钱”",
        ),
        (
            ["西罗园街道总工会：", "做职工最坚强的后盾"],
            "西罗园街道总工会：",
            "做职工最坚强的后盾",
            None,
        ),
    ],
)
def test_shipped_model_reads_common_title_blocks(lines, kicker, headline, subheadline):
    reading = base_model().read(lines, below=TEXT)
    assert (reading.kicker, reading.headline, reading.subheadline) == (
        kicker,
        headline,
        subheadline,
    )


def test_two_lines_read_as_one_headline_are_joined_without_a_space():
    model = TitleModel.fit(
        [
            TitleExample(
                ("奥运建设者昨日获表彰", "九对新人表彰会上集体完婚"), ("headline", "headline"), TEXT
            )
        ]
        * 20
    )
    reading = model.read(["奥运建设者昨日获表彰", "九对新人表彰会上集体完婚"], below=TEXT)
    assert (reading.kicker, reading.headline) == (
        None,
        "奥运建设者昨日获表彰九对新人表彰会上集体完婚",
    )


def test_a_caption_line_under_the_headline_is_neither_title_nor_text():
    page = (
        "第01版\n\n省总开展“情暖劳动者”新春慰问行动\n\n"
        "▶省总工会为坚守工作岗位的粤菜师傅等送上新年礼包\u3000全媒体记者林景余/摄\n\n"
        f"{TEXT}\n"
    )
    article = parse_page(page).articles[0]
    assert (article.subheadline, article.paragraphs) == (None, (TEXT,))
    assert ("林景余", "photographer") in [(c.name, str(c.role)) for c in article.credits]


def test_fitting_the_same_examples_gives_the_same_bytes():
    examples = [
        TitleExample(
            ("省总工会慰问团分赴全省各地", "为一线职工送清凉"), ("kicker", "headline"), TEXT
        ),
        TitleExample(
            ("让梦想触手可及", "金华市总工会开展困难职工子女扶志活动"),
            ("headline", "subheadline"),
            TEXT,
        ),
    ]
    assert TitleModel.fit(examples).to_bytes() == TitleModel.fit(examples).to_bytes()


def test_shipped_model_is_small_and_reads_back_what_it_wrote():
    assert MODEL_PATH.stat().st_size <= 5 * 1024 * 1024
    model = base_model()
    assert TitleModel.from_bytes(model.to_bytes()).to_bytes() == MODEL_PATH.read_bytes()


def test_a_close_call_becomes_a_chinese_notice_on_that_line_only():
    lines = ("市建筑工会召开交流会", "发挥引领示范作用")
    model = base_model().with_examples(
        "某工人报",
        [
            TitleExample(lines, ("kicker", "headline"), TEXT),
            TitleExample(lines, ("headline", "subheadline"), TEXT),
        ],
    )
    doubtful = model.read(list(lines), below=TEXT, paper="某工人报")
    assert doubtful.doubt is not None
    assert any(doubtful.doubt.startswith(f"请核对：“{line}”") for line in lines)
    assert model.read(list(lines), below=TEXT, paper="劳动午报").doubt is None
