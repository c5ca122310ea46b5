"""Column breaks: does the next line carry on the sentence? Real line pairs from the corpus."""

import pytest

from articles.parsing.breaks import continuation_score, spans_word


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("要加大成人高等学校管理", "体制改革的力度。"),
        ("江苏工艺品进出口集团股份", "有限公司勇敢地站了出来。"),
        ("常昊八段和叶桂五段将代表中方参加第十三届Ｎ", "ＥＣ杯中日围棋对抗赛。"),
        ("科学家尼尔·弗斯特等", "人领导的研究小组今天在波士顿举行的国际胚胎移植学会会议上说，"),
        ("如何使宜阳县脱贫", "呢？刘我成在调查研究的基础上，提出了在发展造血型经济上下功夫。"),
    ],
    ids=["word-jieba-splits", "company-name", "latin-code", "trailing-deng", "final-particle"],
)
def test_a_cut_inside_a_word_or_phrase_continues(first, second):
    assert continuation_score(first, second) > 0


@pytest.mark.parametrize(
    ("headline", "lead"),
    [
        ("福州拆“西游记宫”改建绿地", "环福州名胜左海公园而建的占地６０００多平方米的“西游记宫”，"),
        ("市长一家与孤儿", "去年早春二月，邵阳市市长孔令志启程赴京参加全国人代会。"),
        ("ＩＭＦ救援药方", "持续半年多的东亚金融动荡，对作为世界经济“三大支柱”之一的"),
    ],
)
def test_a_headline_and_its_lead_do_not_continue(headline, lead):
    assert continuation_score(headline, lead) == 0


def test_a_longer_dictionary_word_may_span_the_cut_where_jieba_splits_it():
    assert spans_word("加大成人高等学校管理", "体制改革的力度。")
    assert not spans_word("市长一家与孤儿", "去年早春二月")
