from articles.search.engine.query import parse_query
from articles.search.highlight import highlight, highlight_terms


def test_highlight_terms_keep_phrases_whole_and_skip_excluded_words():
    terms = highlight_terms(parse_query('北京市总工会 "劳动 模范" -工会'))
    assert terms == ["北京市总工会", "劳动模范"]


def test_highlight_terms_add_the_jieba_words_of_a_word():
    assert highlight_terms(parse_query("职工文化")) == ["职工文化", "文化", "职工"]


def test_highlight_marks_matches_and_escapes_everything_else():
    marked = highlight("<b>北京 市总工会</b>召开劳模大会&", ["市总工会"])
    assert marked == "&lt;b&gt;北京 <mark>市总工会</mark>&lt;/b&gt;召开劳模大会&amp;"


def test_script_in_an_article_renders_inert():
    marked = highlight('<script>alert("工会")</script>', ["工会"])
    assert "<script>" not in marked
    assert marked == "&lt;script&gt;alert(&quot;<mark>工会</mark>&quot;)&lt;/script&gt;"


def test_highlight_matches_across_whitespace_and_cuts_around_the_first_match():
    marked = highlight("前" * 100 + "总 工会" + "后" * 100, ["总工会"], width=20)
    assert marked == "…" + "前" * 5 + "<mark>总 工会</mark>" + "后" * 11 + "…"


def test_highlight_without_terms_cuts_from_the_start():
    assert highlight("一二三四五", [], width=3) == "一二三…"


def test_field_strings_and_every_item_of_an_or_group_are_marked():
    terms = highlight_terms(parse_query("标题:托管 OR 书法 正文:“职工 之家”"))
    assert str(highlight("托管班、书法课与职工之家", terms)) == (
        "<mark>托管</mark>班、<mark>书法</mark>课与<mark>职工之家</mark>"
    )


def test_a_string_across_a_word_boundary_marks_that_string():
    assert str(highlight("问题解决了，大家满意", highlight_terms(parse_query("决了")))) == (
        "问题解<mark>决了</mark>，大家满意"
    )


def test_a_words_jieba_words_are_marked_only_where_the_whole_word_is_absent():
    terms = highlight_terms(parse_query("职工文化"))
    assert str(highlight("职工文化节在文化宫举行", terms)) == "<mark>职工文化</mark>节在文化宫举行"
    assert str(highlight("职工的文化生活", terms)) == "<mark>职工</mark>的<mark>文化</mark>生活"


def test_traditional_and_simplified_mark_each_other_as_printed():
    assert str(highlight("北京市總工會與工会", highlight_terms(parse_query("工会")))) == (
        "北京市總<mark>工會</mark>與<mark>工会</mark>"
    )
    assert str(highlight("工会会员", highlight_terms(parse_query("工會")))) == (
        "<mark>工会</mark>会员"
    )
