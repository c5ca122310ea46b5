"""Layout corrections over the real seed page's parse (pure, no database)."""

import pytest

from articles.layout_corrections import (
    LayoutCorrectionError,
    apply_correction,
    apply_corrections,
    blocks,
)
from articles.parsing import Kind, parse_page


@pytest.fixture(scope="module")
def seed(seed_text):
    return parse_page(seed_text)


def test_blocks_list_furniture_titles_and_paragraphs_in_reading_order(seed):
    found = blocks(seed)

    assert found[0].role == "furniture"
    assert [b.role for b in found if b.article == 0][:3] == ["headline", "subheadline", "body"]
    assert [b.role for b in found if b.article == 4] == ["headline", "caption"]


def test_join_puts_a_paragraph_back_onto_the_one_above(seed):
    second = seed.articles[2].paragraphs[1]

    joined = apply_correction(seed, {"op": "join", "text": second})

    paragraphs = joined.articles[2].paragraphs
    assert len(paragraphs) == 2 and paragraphs[0].endswith(second)


def test_a_join_the_parser_now_does_itself_is_done(seed):
    second = seed.articles[2].paragraphs[1]
    joined = apply_correction(seed, {"op": "join", "text": second})

    assert apply_correction(joined, {"op": "join", "text": second}) == joined


def test_split_makes_a_paragraph_the_headline_of_a_new_article(seed):
    at = seed.articles[0].paragraphs[4]

    split = apply_correction(seed, {"op": "split", "text": at})

    assert len(split.articles) == 8
    first, second = split.articles[0], split.articles[1]
    assert (len(first.paragraphs), second.headline) == (4, at)
    assert second.paragraphs == seed.articles[0].paragraphs[5:]


@pytest.mark.parametrize(
    ("article", "role", "check"),
    [
        (0, "furniture", lambda page: "全方位为产业工人“建跑道”“增动能”" in page.banners),
        (0, "kicker", lambda page: page.articles[0].kicker == "全方位为产业工人“建跑道”“增动能”"),
        (
            0,
            "body",
            lambda page: page.articles[0].paragraphs[0] == "全方位为产业工人“建跑道”“增动能”",
        ),
    ],
    ids=["furniture", "kicker", "body"],
)
def test_a_subheadline_can_take_another_role(seed, article, role, check):
    text = seed.articles[article].subheadline

    page = apply_correction(seed, {"op": "role", "text": text, "role": role})

    assert check(page)
    assert page.articles[0].subheadline is None


def test_a_headline_moved_away_leaves_the_subheadline_as_headline(seed):
    headline = seed.articles[0].headline

    page = apply_correction(seed, {"op": "role", "text": headline, "role": "furniture"})

    assert page.articles[0].headline == "全方位为产业工人“建跑道”“增动能”"
    assert headline in page.banners


def test_a_caption_made_plain_text_makes_the_item_news(seed):
    text = seed.articles[4].paragraphs[0]

    page = apply_correction(seed, {"op": "role", "text": text, "role": "body"})

    assert page.articles[4].kind is Kind.NEWS


def test_an_impossible_correction_says_why_in_chinese(seed):
    only_headline = seed.articles[2].headline

    with pytest.raises(LayoutCorrectionError, match="文章不能没有主题"):
        apply_correction(seed, {"op": "role", "text": only_headline, "role": "body"})


def test_corrections_whose_line_is_gone_are_skipped_with_a_notice(seed):
    page, notices = apply_corrections(
        seed, [{"op": "role", "text": "不存在的一行", "role": "body"}]
    )

    assert page == seed
    assert notices == ["版面校正未能套用（本版已没有这一行）：“不存在的一行”"]
