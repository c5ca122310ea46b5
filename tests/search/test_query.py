import pytest

from articles.search.query import MAX_QUERY_LENGTH, ParsedQuery, QueryError, parse_query


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
