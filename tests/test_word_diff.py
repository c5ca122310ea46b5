"""Word diffs of an article's titles and text, by the search's segmenter."""

import pytest

from articles.word_diff import Piece, article_diff, as_text, condensed, word_diff


def values(headline="北辰集团工会干部研修班开班", paragraphs=("本报讯 研修班今天开班。",)):
    return {"kicker": "", "subheadline": "", "headline": headline, "paragraphs": list(paragraphs)}


def test_a_replaced_word_is_one_deletion_then_one_insertion():
    pieces = word_diff("职工们在北京市总工会参加活动。", "职工们在北京市总工会参加比赛。")

    assert pieces == (
        Piece("same", "职工们在北京市总工会参加"),
        Piece("del", "活动"),
        Piece("ins", "比赛"),
        Piece("same", "。"),
    )


def test_a_union_name_changes_as_whole_words_not_scattered_characters():
    pieces = word_diff("朝阳区总工会召开会议", "海淀区总工会召开会议")

    assert [p for p in pieces if p.op != "same"] == [
        Piece("del", "朝阳区总工会"),
        Piece("ins", "海淀区总工会"),
    ]


def test_the_diff_reads_without_colour_in_a_terminal():
    pieces = word_diff("研修班开班", "研修班隆重开班")

    assert as_text(pieces) == "研修班{+隆重+}开班"


@pytest.mark.parametrize(
    ("before", "after"),
    [("", "新的一段。"), ("旧的一段。", ""), ("同样的文字。", "同样的文字。")],
    ids=["all new", "all gone", "same"],
)
def test_the_pieces_always_rebuild_both_texts(before, after):
    pieces = word_diff(before, after)

    assert "".join(p.text for p in pieces if p.op != "ins") == before
    assert "".join(p.text for p in pieces if p.op != "del") == after


def test_a_long_unchanged_run_is_cut_to_the_context_around_the_change():
    long = "职工" * 100
    pieces = condensed(word_diff(long + "参加活动" + long, long + "参加比赛" + long), context=4)

    assert as_text(pieces) == "…职工参加[-活动-]{+比赛+}职工职工…"


def test_an_article_diff_is_empty_for_what_did_not_change():
    diff = article_diff(values(), values(paragraphs=["本报讯 研修班今天隆重开班。"]))

    assert diff.title == ()
    assert as_text(diff.body) == "本报讯 研修班今天{+隆重+}开班。"
    assert not article_diff(values(), values()).changed
