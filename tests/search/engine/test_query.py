import pytest

from articles.search.engine.query import (
    MAX_QUERY_LENGTH,
    ParsedQuery,
    QueryError,
    Term,
    parse_query,
)


def test_words_phrases_and_exclusions():
    assert parse_query('工会  "劳动模范" -会议 -"表彰 大会"') == ParsedQuery(
        words=("工会",), phrases=("劳动模范",), excluded=("会议", "表彰 大会")
    )


def test_chinese_quotes_and_a_full_width_minus():
    assert parse_query("“职工之家” －表彰") == ParsedQuery(
        phrases=("职工之家",), excluded=("表彰",)
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("记者:刘欣欣", ParsedQuery(reporters=("刘欣欣",))),
        ("记者：刘欣欣 工会", ParsedQuery(words=("工会",), reporters=("刘欣欣",))),
        ("Reporter:崔欣", ParsedQuery(reporters=("崔欣",))),
        ("工会:市总", ParsedQuery(organizations=("市总",))),
        ('org:"北京市 总工会"', ParsedQuery(organizations=("北京市 总工会",))),
    ],
)
def test_field_prefixes(text, expected):
    assert parse_query(text) == expected


def test_a_word_that_merely_contains_a_prefix_is_a_word():
    assert parse_query("基层工会：") == ParsedQuery(words=("基层工会：",))


def test_repeated_words_are_kept_once():
    assert parse_query("工会 工会").words == ("工会",)


def test_punctuation_between_words_is_ignored():
    assert parse_query("工会 ， 。 职工") == ParsedQuery(words=("工会", "职工"))


def test_only_exclusions_are_flagged_for_the_service_to_judge():
    assert parse_query("-工会").only_excludes
    assert not parse_query("-工会 记者:崔欣").only_excludes


def test_empty_query_is_empty():
    assert parse_query("   ").is_empty


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"工会', "引号没有配对"),
        ('工会 "职工', "引号没有配对"),
        ("，。！？", "没有可搜索的文字"),
        ("工" * (MAX_QUERY_LENGTH + 1), "查询太长了"),
        ("工会 " * 1000, "查询太长了"),
    ],
)
def test_malformed_queries_get_a_friendly_message(text, message):
    with pytest.raises(QueryError, match=message):
        parse_query(text)


def test_control_characters_separate_words_like_spaces():
    assert parse_query("工会\x00职工\x1f") == ParsedQuery(words=("工会", "职工"))
    assert parse_query("0\x00") == ParsedQuery(words=("0",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("标题:托管", ParsedQuery(titles=("托管",))),
        ("Title：托管", ParsedQuery(titles=("托管",))),
        ('正文:"书法 比赛"', ParsedQuery(bodies=("书法 比赛",))),
        ("body:书法", ParsedQuery(bodies=("书法",))),
        ("作者:张三", ParsedQuery(reporters=("张三",))),
    ],
)
def test_title_body_and_author_prefixes(text, expected):
    assert parse_query(text) == expected


@pytest.mark.parametrize("text", ["托管 OR 书法", "托管 | 书法", "托管|书法", "托管 ｜ 书法"])
def test_or_joins_two_items_into_one_group(text):
    assert parse_query(text) == ParsedQuery(
        any_of=((Term("words", "托管"), Term("words", "书法")),)
    )


def test_or_binds_closer_than_the_space_and_joins_any_kind_of_item():
    query = parse_query('工会 "职工 之家" OR 标题:托管 OR 记者:张三 -会议')
    assert query == ParsedQuery(
        words=("工会",),
        excluded=("会议",),
        any_of=((Term("phrases", "职工 之家"), Term("titles", "托管"), Term("reporters", "张三")),),
    )
    assert query.has_text and not query.only_excludes


def test_a_bar_ends_an_operator_s_value_and_quotes_keep_it_in_the_name():
    assert parse_query("记者:张三|李四") == ParsedQuery(
        any_of=((Term("reporters", "张三"), Term("words", "李四")),)
    )
    assert parse_query('记者:"张三|李四"') == ParsedQuery(reporters=("张三|李四",))


def test_an_or_group_of_one_repeated_item_is_that_item():
    assert parse_query("工会 OR 工会") == ParsedQuery(words=("工会",))


def test_lower_case_or_and_an_or_at_either_end_are_words():
    assert parse_query("or 工会").words == ("or", "工会")
    assert parse_query("工会 OR").words == ("工会", "OR")


def test_texts_gathers_a_kind_alone_and_in_groups():
    query = parse_query("标题:甲 标题:乙 OR 正文:丙")
    assert query.texts("titles") == ["甲", "乙"]
    assert query.texts("titles", "bodies") == ["甲", "乙", "丙"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("托管 OR OR 书法", "OR 两边都需要搜索词"),
        ("| 书法", "OR 两边都需要搜索词"),
        ("托管 |", "OR 两边都需要搜索词"),
        ("-托管 OR 书法", "排除词（-）不能用 OR 连接"),
    ],
)
def test_or_without_two_sides_or_with_an_exclusion_is_explained(text, message):
    with pytest.raises(QueryError, match=message):
        parse_query(text)
