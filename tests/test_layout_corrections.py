"""Layout corrections over the real seed page's parse (pure, no database)."""

import dataclasses

import pytest

from articles.layout_corrections import (
    ROLES,
    LayoutCorrectionError,
    apply_correction,
    apply_corrections,
    blocks,
    corrected_layout,
    merged_layout,
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
        (
            0,
            "body",
            lambda page: page.articles[0].paragraphs[0] == "全方位为产业工人“建跑道”“增动能”",
        ),
    ],
    ids=["furniture", "body"],
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


KICKER = "深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面"


def titled(seed, k: int, **titles):
    """The seed with article k's title lines replaced (an article printed with an 引题)."""
    article = dataclasses.replace(seed.articles[k], **titles)
    return dataclasses.replace(
        seed, articles=(*seed.articles[:k], article, *seed.articles[k + 1 :])
    )


def lines(page, leaving: str = "") -> list[str]:
    """The page's lines top to bottom, but for one that left its place (listed with the page's
    furniture, or taken out of the text as a byline)."""
    return [b.text for b in blocks(page) if b.text != leaving]


def test_a_headline_made_subheadline_with_nothing_above_is_refused_not_ignored(seed):
    with pytest.raises(LayoutCorrectionError, match="副题之上须有主题"):
        apply_correction(
            seed, {"op": "role", "text": seed.articles[2].headline, "role": "subheadline"}
        )


def test_a_headline_made_subheadline_makes_the_line_above_the_headline(seed):
    page = titled(seed, 2, kicker="研修班")
    headline = page.articles[2].headline

    page = apply_correction(page, {"op": "role", "text": headline, "role": "subheadline"})

    article = page.articles[2]
    assert (article.kicker, article.headline, article.subheadline) == (None, "研修班", headline)


def test_a_kicker_made_headline_makes_the_old_headline_its_subheadline_below(seed):
    page = titled(seed, 2, kicker="研修班")
    headline = page.articles[2].headline

    corrected = apply_correction(page, {"op": "role", "text": "研修班", "role": "headline"})

    article = corrected.articles[2]
    assert (article.kicker, article.headline, article.subheadline) == (None, "研修班", headline)
    assert lines(corrected) == lines(page)


def test_a_line_below_the_headline_cannot_become_its_kicker(seed):
    with pytest.raises(LayoutCorrectionError, match="引题必须在主题之上"):
        apply_correction(
            seed, {"op": "role", "text": seed.articles[0].subheadline, "role": "kicker"}
        )


def test_the_banner_above_the_first_article_can_become_its_kicker(seed):
    page = apply_correction(seed, {"op": "role", "text": KICKER, "role": "kicker"})

    assert page.articles[0].kicker == KICKER
    assert page.banners == ()
    assert blocks(page)[0].text == KICKER


@pytest.mark.parametrize("variant", ["parsed", "with kicker"])
def test_no_role_correction_moves_a_line_out_of_its_place(seed, variant):
    page = seed if variant == "parsed" else titled(seed, 2, kicker="研修班")
    for block in blocks(page):
        for role in ROLES:
            try:
                after = apply_correction(page, {"op": "role", "text": block.text, "role": role})
            except LayoutCorrectionError:
                continue
            leaving = block.text if role in ("furniture", "byline") else ""
            assert lines(after, leaving) == lines(page, leaving), (block.text[:20], role)


def test_a_later_role_of_a_line_replaces_the_earlier_one(seed):
    text = seed.articles[0].subheadline
    layout = []
    for role in ("body", "furniture", "body"):
        layout = corrected_layout(seed, layout, {"op": "role", "text": text, "role": role})

    assert layout == [{"op": "role", "text": text, "role": "body"}]


def test_setting_a_line_back_to_its_parsed_role_drops_the_correction(seed):
    text = seed.articles[0].subheadline
    layout = corrected_layout(seed, [], {"op": "role", "text": text, "role": "body"})

    assert corrected_layout(seed, layout, {"op": "role", "text": text, "role": "subheadline"}) == []


def test_a_correction_that_changes_nothing_is_refused_with_the_reason(seed):
    with pytest.raises(LayoutCorrectionError, match="这一行已经是主题"):
        corrected_layout(
            seed, [], {"op": "role", "text": seed.articles[0].headline, "role": "headline"}
        )


def test_a_staged_role_replaces_the_stored_role_of_the_same_line():
    stored = [{"op": "role", "text": "甲", "role": "body"}, {"op": "join", "text": "乙"}]
    staged = [{"op": "role", "text": "甲", "role": "furniture"}]

    assert merged_layout(stored, staged) == [stored[1], staged[0]]


def test_a_byline_line_leaves_the_text_and_shows_as_the_articles_credit(seed):
    paragraphs = (*seed.articles[3].paragraphs, "本报记者 王五")
    page = titled(seed, 3, paragraphs=paragraphs)

    page = apply_correction(page, {"op": "role", "text": "本报记者 王五", "role": "byline"})

    assert page.articles[3].paragraphs == seed.articles[3].paragraphs
    headline = next(b for b in blocks(page) if b.text == seed.articles[3].headline)
    assert headline.credits == ("边磊", "王五")
