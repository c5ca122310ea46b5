"""Does a new article start at this line? Weighing a headline-shaped line against body text.

Inside an article, short lines without a full stop are not always headlines: column breaks cut
paragraphs into fragments (`市总工会领导陪同看望慰问`), interviews have question lines, features have
quoted intertitles. Each test adds evidence for body text (positive) or for a headline (negative);
the weights are rough log-odds, and a headline wins only while the doubt stays below DOUBT.

This module reads the shape of the line and its neighbours; grammar.py reads the words across the
break, and cohesion.py the article around it. The weights were fitted by logistic regression to
the calls made on corpus pages of odd --seed values (bench/parse_accuracy.py), rounded to quarters
and checked on even seeds: tune them the same way, never against a single seed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .breaks import continuation_score, pairs_across
from .cohesion import Context, Evidence, context_evidence
from .dictionary import tokenizer
from .grammar import (
    COUNT_START_RE,
    name_cut_after_title,
    next_line_evidence,
    running_text_evidence,
    tagged,
    word_evidence,
)
from .text import ends_sentence, squeeze
from .titles import looks_like_title

DOUBT = 1.5
# Words that open a sentence in running text but hardly ever a headline.
_OPENER_RE = re.compile(
    r"^(?:这|该|他|她|它|其|此|但|而|据|对于|随着|根据|由于|因为|如果|虽然|尽管|为了|那|然而|同时|"
    r"另外|此外|目前|如今|去年|今年|近年|日前|近日|记者|经过|通过|截至|至此|总之|因此|所以|于是|可是|"
    r"祝愿|何以|是不是|并非|并不|而且|并且|不过|只是|况且|甚至|举凡)"
)
# A first paragraph often opens on a time: 如今，… 近年来，… 日前，…
_FRESH_START_RE = re.compile(
    r"^(?:如今|近日|日前|近年来|近几年|近来|最近|目前|当前|去年|今年|前不久|不久前|据悉|据了解|"
    r"[0-9０-９]{4}年|[一二三四五六七八九十]+月|[0-9０-９]{1,2}月)"
)
# Art listings: 冬日暖阳（李某画）, 燕山秋色（速写）（王某）; a medium alone (（油画）) may title a work.
_CAPTION_RE = re.compile(r"(?:[（(][^（）()]+[）)]){2}$|[（(][^（）()]{2,8}[画绘作][）)]$")
_MEDIA = (
    "中国画）",
    "国画）",
    "油画）",
    "漫画）",
    "水墨画）",
    "版画）",
    "年画）",
    "彩墨画）",
    "水彩画）",
)
# Adverbials that leave a sentence open: …职工们今天 / 也参加了…, …活动前夕 / 来到…
_OPEN_TIME_RE = re.compile(
    r"(?:今天|昨天|今日|昨日|明天|前夕|多年来|以来|期间|当天|当晚|此前|随后|首先|分别|上午|下午|晚上|早上|凌晨|中午|时|"
    r"[0-9０-９]{2,4}年|[0-9０-９一二三四五六七八九十]{1,2}日)$"
)
# A count waiting for its noun: …送去了一份 / 新春的祝福
_COUNT_END_RE = re.compile(
    r"[0-9０-９一二两三四五六七八九十百千万几每此该这那]"
    r"[个名位份项家次条件种批只支户台辆座所块张本部场届幅首篇套间栋株头匹架艘]$"
)
# Verbs that need what follows: …对职工的辛勤付出表示 / 感谢。
_NEEDY_VERB_RE = re.compile(
    r"(?:(?:表示|认为|指出|强调|宣布|介绍|说|称|带来|主张|包括|成为|进入|达到|前往|来到|获悉|告诉|参加|"
    r"勉励|回顾|看望|接见|号召|鼓励|呼吁|邀请|转达|听取|审议)了?|是|有|着)$"
)
# Someone speaking inside the line: 蒋文云说：我们要…, 负责人说：“希望…
_SPEECH_RE = re.compile(r"(?:说|道|宣布|表示|指出|强调|认为|称|问|答)[：:，,]|[：:][“『]")
# A copula with a long complement is a sentence: 职工之家是基层工会联系职工 / 的阵地…
_COPULA_RE = re.compile(r"^[^，。是]{3,}是[^，。是]{5,}$")
# Paragraphs open on dates and picture references: ２０２４年，… 图②：…
_DATE_START_RE = re.compile(
    r"^(?:[0-9０-９]{2,4}年|[0-9０-９一二三四五六七八九十]{1,2}月[0-9０-９一二三四五六七八九十]{1,3}日)"
)
# News-brief bullets open items inside a column: △市总工会召开…
_BULLET_RE = re.compile(r"^[△▲■◆□◇○]")
# A picture note, unlike an author's name, does not end an article: （附图片１张）
NOTE_END_RE = re.compile(r"[（(][^（）()]*(?:图片|照片)[^（）()]*[）)]$")
_PICTURE_RE = re.compile(r"^(?:图[①-⑳0-9０-９一二三四五六七八九十]*[：:]|图为)")
_SPEAKER_RE = re.compile(r"^(?:记者|问|答|主持人|编者|编者按|记者补白)[：:]")
_ASKING_END_RE = re.compile(r"(?:呢|吧|啦|呀|吗|嘛|哪|啊)[？！?!]$")
_ANSWER_RE = re.compile(r"(?:首先|我们|我|这|是|对于?|在|要|从|由于|因为|目前|当前)")
_ATTRIBUTED_RE = re.compile(r"^[“『][^”』]*[？！。…?!][”』].")
_QUOTED_RE = re.compile(r"^[“『\"「][^“『\"「]*[”』\"」]$")
# Feature headlines: 匠心筑梦——记…, …——读《…》, …——电视剧《…》观后
_FEATURE_RE = re.compile(
    r"——+(?:记|读|访|评|谈)|(?:观后|读后|感言|纪实|侧记|散记|札记|手记|随想|述评|参观记|见闻)(?:（[上中下]）)?$"
)
# A feature's headline with its subtitle: “一把手工程”——沈阳市地税局队伍建设纪实
_DASHED_RE = re.compile(r"——|－－")
# A glossary entry: “买入价” / 指已经申报但尚未成交的买进某种股票的价格
_DEFINITION_RE = re.compile(r"^(?:是指|指|即)")


def headline_doubt(
    previous: str,
    line: str,
    following: str,
    *,
    sub_possible: bool = True,
    context: Context | None = None,
) -> float:
    """Evidence that `line` (shaped like a headline) is body text of the current article.

    sub_possible is False when the next line cannot be a subheadline (a picture item follows).
    """
    evidence = headline_evidence(
        previous, line, following, sub_possible=sub_possible, context=context
    )
    return sum(weight for _, weight in evidence)


def headline_evidence(
    previous: str,
    line: str,
    following: str,
    *,
    sub_possible: bool = True,
    context: Context | None = None,
) -> Evidence:
    """The named tests behind headline_doubt, for tuning and for tests."""
    text, nxt = squeeze(line), squeeze(following)
    found = _line_evidence(text) + word_evidence(text, nxt) + running_text_evidence(text)
    found += next_line_evidence(nxt)
    found.append(("continues", 1.25 * continuation_score(line, following)))
    if pairs_across(text, nxt):
        found.append(("pair across the break", 0.75))
    context = context or Context()
    if not context.below:  # the line below is all we know of the text under the line
        context = replace(context, below=following)
    found += _page_evidence(text, nxt, context)
    if text[0] in "—－-":
        found.append(("signature line", 5.0))  # ———王某（河南）; under a headline: a subheadline
    commas = sum(_unquoted(text).count(mark) for mark in "，；")  # a semicolon joins clauses
    if commas:
        found.append(("commas", 3.5 + (1.25 if commas > 1 else 0.0)))
    if "、" in text:
        found.append(("enumeration", 5.5))
    if previous.endswith(("：", ":")):
        found.append(("after a colon", 4.5))  # a caption, a list item, a quotation
    elif (
        previous.endswith(("）", ")"))
        and not NOTE_END_RE.search(previous)
        and not (_is_caption(previous) and _is_caption(text))
        and not _PICTURE_RE.match(text)
    ):
        found.append(("after a bracket", -4.0))  # articles often end on （作者） or a dateline
    if len(text) > 25:
        found.append(("long", 0.75 if len(text) <= 35 else 1.25))
    elif len(text) <= 12:
        found.append(("short", -0.75))
    if _FEATURE_RE.search(text):
        found.append(("feature headline", -7.5))
    if _OPEN_TIME_RE.search(text):
        found.append(("ends on an adverbial", 2.75))
    if _COUNT_END_RE.search(text):
        found.append(("ends on a count", 1.75))
    if re.search(r"[·・／/、][\u4e00-\u9fff]$", text) or name_cut_after_title(text):
        found.append(("name cut", 3.0))  # 约翰·史 / 密斯, 张伟／李 / 娜, 县委书记刘 / 金生
    bare = NOTE_END_RE.sub("", following).rstrip()  # …等出席（附图片１张）: a note, not a stop
    subheadline = bool(bare) and looks_like_title(bare) and not ends_sentence(bare)
    if _NEEDY_VERB_RE.search(text) and not (sub_possible and subheadline):
        # 李铁映在全国体委主任会议上强调 / 坚持体育事业发展正确方针: the subheadline says it
        found.append(("verb waits for more", 2.25))
    if _SPEECH_RE.search(text):
        found.append(("speech", 6.0))
    if _COPULA_RE.match(text) and "是" in tokenizer().lcut(text):
        found.append(("copula sentence", 1.5))
    if COUNT_START_RE.match(nxt):
        found.append(("count follows", 1.25))
    if _is_caption(text):
        found.append(("caption", 2.0))
        if _is_caption(previous):
            found.append(("caption after caption", 4.0))  # 图片： 冬日暖阳（速写）（李某） 燕山…
    if _QUOTED_RE.match(text) and nxt[:1] in '“『"「':
        found.append(("dialogue", 1.0))
    if _PICTURE_RE.match(nxt):
        found.append(("pictures follow", -4.0))  # the title of a picture group
    if "●" in text:
        found.append(("bullets", -3.25))  # 工作有三项重点●一是…
    if sub_possible and subheadline and not _QUOTED_RE.match(nxt) and not _is_caption(bare):
        found.append(("a subheadline follows", -2.25))
    elif (_FRESH_START_RE.match(nxt) or _OPENER_RE.match(nxt)) and not commas:
        found.append(("text starts afresh", -1.0))
    return [(name, weight) for name, weight in found if weight]


def subheadline_doubt(line: str, following: str) -> float:
    """Evidence that `line`, under a headline, is the first paragraph rather than a subheadline."""
    text, nxt = squeeze(line), squeeze(following)
    found = _line_evidence(text) + word_evidence(text, nxt)
    found.append(("continues", continuation_score(line, following)))
    commas = text.count("，")
    if commas:  # with a dateline below, 聚焦服务大局，提升能力素养 is a subheadline; else text
        found.append(("commas", 2.5 + 0.5 * (commas - 1)))
    if "、" in text and not text.startswith(("——", "－－")):
        found.append(("enumeration", 1.5))
    if text.endswith(("——", "－－")):
        found.append(("leads in", -3.0))  # 职工生活变了样，是因为———
    if ends_sentence(text):
        found.append(("ends like a sentence", 1.5))  # 新年好！ under a headline is text
    if "●" in text:
        found.append(("bullets", -3.0))
    if len(text) > 30:
        found.append(("long", 1.0))
    return sum(weight for _, weight in found)


def _line_evidence(text: str) -> Evidence:
    """What the line alone says: sentence openers, speakers, quotations, questions."""
    found: Evidence = []
    if _OPENER_RE.match(text):
        found.append(("sentence opener", 3.75))
    if _SPEAKER_RE.match(text) or ("：" in text[1:-1] and text[-1] in "。！？”』…"):
        found.append(("speaker", 3.0))
    if _QUOTED_RE.match(text):
        found.append(("quoted", 6.0))  # an intertitle inside a feature, or a line of dialogue
    if text[-1] in "！？!?":
        asking = _ASKING_END_RE.search(text)
        found.append(("question or exclamation", 4.0 if asking else 2.0))
    if text.endswith("……"):
        found.append(("trails off", 0.75))
    if re.search(r"[？！?!]", _unquoted(text)[:-1]):
        found.append(("sentence inside", 2.5))  # 如何解决这一问题？党的十五大报告 / 提供了…
    colon = text.find("：")
    if colon >= 7 and colon < len(text) - 1:
        found.append(("long lead-in to a colon", 2.0))  # 培训班有两个特点：一是课程
    elif 2 <= colon <= 5 and _ANSWER_RE.match(text[colon + 1 :]):
        found.append(("speaker", 3.0))  # an interview answer: 石某：首先要…
    if _ATTRIBUTED_RE.match(text):
        found.append(("quotation with attribution", 3.25))  # “收获大吗？”记者问
    if (
        text.count("（") > text.count("）")
        or text.count("(") > text.count(")")
        or text.count("《") > text.count("》")
    ):
        found.append(("open bracket", 3.0))  # 《职工文化读本》（张某 / 主编）…
    if text.count("“") > text.count("”") or text.count("『") > text.count("』"):
        found.append(("open quotation", 3.0))  # “这次培训实用性强，我们 / 回去就用”
    if _DATE_START_RE.match(text):
        found.append(("opens on a date", 1.75))
    if _BULLET_RE.match(text):
        found.append(("bullet item", 3.0))
    if _PICTURE_RE.match(text):
        found.append(("picture caption", 3.0))
    return found


def _page_evidence(text: str, following: str, context: Context) -> Evidence:
    """The article around the line: its topic, its genre, its intertitles."""
    found = context_evidence((w for w, _ in tagged(text)), context)
    if _QUOTED_RE.match(text) and _DASHED_RE.search(context.headline):
        found.append(("intertitle of a feature", 3.0))  # …——沈阳市地税局队伍建设纪实 / “向我看齐”
    if _DEFINITION_RE.match(following):
        found.append(("definition follows", 2.0))  # “买入价” / 指已经申报但尚未成交的…
    return found


def _is_caption(text: str) -> bool:
    """A picture note or an art listing (冬日暖阳（李某画）): its bracket ends no article."""
    text = squeeze(text)
    if NOTE_END_RE.search(text):
        return True
    return bool(_CAPTION_RE.search(text)) and "。" not in text and not text.endswith(_MEDIA)


def _unquoted(text: str) -> str:
    """The text without quotations: “建跑道，增动能”见成效 has no comma of its own."""
    return re.sub(r"“[^”]*”|『[^』]*』|「[^」]*」", "", text)
