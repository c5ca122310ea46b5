from articles.matching import match_articles, similarity, text_similarity


def article(headline: str, *paragraphs: str) -> dict:
    return {"headline": headline, "paragraphs": list(paragraphs)}


def test_text_similarity_is_one_for_equal_text_and_zero_for_unrelated_text():
    assert text_similarity("职工技能大赛开幕", "职工技能大赛开幕") == 1.0
    assert text_similarity("职工技能大赛开幕", "春季植树活动") == 0.0


def test_a_column_break_joined_again_still_matches_its_article():
    old = [
        article("北辰集团工会干部研修班开班", "本报讯近日，北辰集团工会", "举办工会干部研修班。")
    ]
    new = [article("北辰集团工会干部研修班开班", "本报讯近日，北辰集团工会举办工会干部研修班。")]

    assert match_articles(old, new) == {0: 0}


def test_an_article_found_above_the_others_shifts_them_without_losing_them():
    old = [article("甲", "第一篇的正文内容很长"), article("乙", "第二篇的正文内容不同")]
    new = [article("新", "新发现的一篇报道"), *old]

    assert match_articles(old, new) == {1: 0, 2: 1}


def test_two_photos_with_the_same_headline_keep_their_order():
    old = [article("图片新闻"), article("图片新闻")]

    assert match_articles(old, list(old)) == {0: 0, 1: 1}


def test_a_different_article_at_the_same_place_is_not_the_same_article():
    old, new = (
        article("朝阳区职工技能大赛开幕", "比赛共设十个工种。"),
        article("春季植树", "植树节当天"),
    )

    assert similarity(old, new, same_place=True) < 0.5
    assert match_articles([old], [new]) == {}


def test_the_same_text_under_titles_a_parser_fix_reassigned_is_the_same_article():
    text = (
        "本报讯 通讯员申春报道 近日，金华市总工会开展“金秋助学”——2021年困难职工子女扶志活动。" * 3
    )
    old = [
        article("00002版：工会", "让梦想触手可及"),
        article("金华市总工会开展困难职工子女扶志活动", text),
    ]
    new = [
        {**article("让梦想触手可及", text), "subheadline": "金华市总工会开展困难职工子女扶志活动"}
    ]

    assert match_articles(old, new) == {0: 1}
