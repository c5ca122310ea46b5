"""Does a new article start at this line? Weighing a headline-shaped line against body text.

Inside an article, short lines without a full stop are not always headlines: column breaks cut
paragraphs into fragments (`市总工会领导陪同看望慰问`), interviews have question lines, features have
quoted intertitles. Each test adds evidence for body text (positive) or for a headline (negative);
the weights are rough log-odds, and a headline wins only while the doubt stays below DOUBT.
"""

from __future__ import annotations

import re

from .breaks import continuation_score
from .dictionary import pos_tokenizer, tokenizer
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
# The rest of a sentence whose subject ended the line above: …主席在座谈会上 / 说，要…
_PREDICATE_RE = re.compile(
    r"^(?:(?:说|认为|表示|指出|强调|告诉|宣布|介绍|透露|称|回答|问)[，,：:“]|告诉记者|对记者说|向记者|是)"
)
# …or a title whose holder's name opens the next line: 市总工会副主席 / 蒋文云等…
_TITLE_END_RE = re.compile(
    r"(?:委员长|主席|总理|书记|主任|大使|总统|首相|外长|部长|局长|市长|省长|县长|会长|队长|教授|记者|"
    r"研究员|院长|所长|总监|经理|董事长|厂长|校长|司令员|政委|团长|秘书长|议长|发言人|委员|署长|司长|"
    r"处长|科长|行长|社长|台长|总裁|理事长|主编|总编辑)$"
)
# Adverbials that leave a sentence open: …职工们今天 / 也参加了…, …活动前夕 / 来到…
_OPEN_TIME_RE = re.compile(
    r"(?:今天|昨天|今日|昨日|明天|前夕|多年来|以来|期间|当天|当晚|此前|随后|首先|分别|上午|下午|晚上|早上|凌晨|中午|时|"
    r"[0-9０-９]{2,4}年)$"
)
# A count waiting for its noun: …送去了一份 / 新春的祝福
_COUNT_END_RE = re.compile(
    r"[0-9０-９一二两三四五六七八九十百千万几每此该这那][个名位份项家次条件种批只支]$"
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
# A sentence-initial adverbial still waiting for its clause: 在推进产业工人队伍建设 / 改革中…
_ADVERBIAL_START_RE = re.compile(r"^(?:在|从|自|由|据|随着|为了|对于|关于|面对着?|围绕|针对)")
# The next line opens on a count: …为困难职工筹集慰问金 / ２７万元，…
_COUNT_START_RE = re.compile(
    r"^[0-9０-９一二三四五六七八九十百千]+[个名位份项家次条件种批只支笔万亿元％%]"
)
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
# Part-of-speech of the last word of a fragment cut mid-phrase: adverbs, prepositions, …
_OPEN_FLAGS = frozenset(["d", "f", "p", "r", "ul", "u", "uv", "uj", "s", "c"])
# …and of the first word after a cut: verbs and particles lean on what came before.
_LEANING_FLAGS = frozenset(["v", "vn", "d", "c", "u", "a"])
_FRESH_FLAGS = frozenset(["t", "x", "nt", "r", "p"])
_JOINING = frozenset(["与", "和", "及", "同", "跟"])  # tagged as prepositions, but they join nouns
_LOCATIVE_RE = re.compile(r"[上中下里内外前后间时]")
_POSTPOSITIONS = frozenset(["时", "后", "中", "上", "里"])

Evidence = list[tuple[str, float]]


def headline_doubt(previous: str, line: str, following: str, *, sub_possible: bool = True) -> float:
    """Evidence that `line` (shaped like a headline) is body text of the current article.

    sub_possible is False when the next line cannot be a subheadline (a picture item follows).
    """
    evidence = headline_evidence(previous, line, following, sub_possible=sub_possible)
    return sum(weight for _, weight in evidence)


def headline_evidence(
    previous: str, line: str, following: str, *, sub_possible: bool = True
) -> Evidence:
    """The named tests behind headline_doubt, for tuning and for tests."""
    text, nxt = squeeze(line), squeeze(following)
    found = _line_evidence(text) + _word_evidence(text, nxt)
    found.append(("continues", 0.75 * continuation_score(line, following)))
    if text[0] in "—－-":
        found.append(("signature line", 3.5))  # ———王某（河南）; under a headline: a subheadline
    commas = _unquoted(text).count("，")
    if commas:
        found.append(("commas", 3.0 + (1.0 if commas > 1 else 0.0)))
    if "、" in text:
        found.append(("enumeration", 4.5))
    if previous.endswith(("：", ":")):
        found.append(("after a colon", 4.0))  # a caption, a list item, a quotation
    elif (
        previous.endswith(("）", ")"))
        and not NOTE_END_RE.search(previous)
        and not (_is_caption(previous) and _is_caption(text))
    ):
        found.append(("after a bracket", -3.5))  # articles often end on （作者） or a dateline
    if len(text) > 25:
        found.append(("long", 1.0 if len(text) <= 35 else 2.0))
    elif len(text) <= 12:
        found.append(("short", -0.5))
    if _FEATURE_RE.search(text):
        found.append(("feature headline", -6.0))
    if _OPEN_TIME_RE.search(text):
        found.append(("ends on an adverbial", 3.5))
    if _COUNT_END_RE.search(text):
        found.append(("ends on a count", 1.5))
    if re.search(r"[·・／/、][\u4e00-\u9fff]$", text):
        found.append(("name cut", 3.0))  # 约翰·史 / 密斯, 张伟／李 / 娜
    if _NEEDY_VERB_RE.search(text):
        found.append(("verb waits for more", 2.0))
    if _SPEECH_RE.search(text):
        found.append(("speech", 6.0))
    if _COPULA_RE.match(text) and "是" in tokenizer().lcut(text):
        found.append(("copula sentence", 2.25))
    if _COUNT_START_RE.match(nxt):
        found.append(("count follows", 1.5))
    if _is_caption(text):
        found.append(("caption", 2.0))
        if _is_caption(previous):
            found.append(("caption after caption", 4.0))  # 图片： 冬日暖阳（速写）（李某） 燕山…
    if _QUOTED_RE.match(text) and nxt[:1] in '“『"「':
        found.append(("dialogue", 1.0))
    if _PICTURE_RE.match(nxt):
        found.append(("pictures follow", -2.0))  # the title of a picture group
    if "●" in text:
        found.append(("bullets", -3.0))  # 工作有三项重点●一是…
    subheadline = looks_like_title(following) and not ends_sentence(following)
    if sub_possible and subheadline and not _QUOTED_RE.match(nxt) and not _is_caption(nxt):
        found.append(("a subheadline follows", -2.0))
    elif (_FRESH_START_RE.match(nxt) or _OPENER_RE.match(nxt)) and not commas:
        found.append(("text starts afresh", -1.25))
    return [(name, weight) for name, weight in found if weight]


def subheadline_doubt(line: str, following: str) -> float:
    """Evidence that `line`, under a headline, is the first paragraph rather than a subheadline."""
    text, nxt = squeeze(line), squeeze(following)
    found = _line_evidence(text) + _word_evidence(text, nxt)
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
        found.append(("sentence opener", 3.0))
    if _SPEAKER_RE.match(text) or ("：" in text[1:-1] and text[-1] in "。！？”』…"):
        found.append(("speaker", 3.0))
    if _QUOTED_RE.match(text):
        found.append(("quoted", 4.0))  # an intertitle inside a feature, or a line of dialogue
    if text[-1] in "！？!?":
        asking = _ASKING_END_RE.search(text)
        found.append(("question or exclamation", 3.0 if asking else 1.5))
    if text.endswith("……"):
        found.append(("trails off", 1.0))
    colon = text.find("：")
    if colon >= 7 and colon < len(text) - 1:
        found.append(("long lead-in to a colon", 2.0))  # 培训班有两个特点：一是课程
    elif 2 <= colon <= 5 and _ANSWER_RE.match(text[colon + 1 :]):
        found.append(("speaker", 3.0))  # an interview answer: 石某：首先要…
    if _ATTRIBUTED_RE.match(text):
        found.append(("quotation with attribution", 3.0))  # “收获大吗？”记者问
    if text.count("（") > text.count("）") or text.count("(") > text.count(")"):
        found.append(("open bracket", 3.0))  # 《职工文化读本》（张某 / 主编）…
    if text.count("“") > text.count("”") or text.count("『") > text.count("』"):
        found.append(("open quotation", 3.0))  # “这次培训实用性强，我们 / 回去就用”
    if _DATE_START_RE.match(text):
        found.append(("opens on a date", 1.5))
    if _BULLET_RE.match(text):
        found.append(("bullet item", 3.0))
    if _PICTURE_RE.match(text):
        found.append(("picture caption", 3.0))
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


def _is_verb(flag: str) -> bool:
    return flag.startswith("v") and flag != "vn"  # 比赛/vn names an event, it is no predicate


def _closes_location(words: list[tuple[str, str]]) -> bool:
    """劳模风采展示在大屏幕上: a 在 phrase closed by a locative word."""
    return words[-1][1] == "f" and any(w in ("在", "于") for w, _ in words)


def _word_evidence(text: str, following: str) -> Evidence:
    """Parts of speech across the boundary: 蒋文云在会上首先 / 代表市总工会… ends on an adverb."""
    found: Evidence = []
    words = [(p.word, p.flag) for p in pos_tokenizer().cut(text[-24:], HMM=False)]
    if words and words[-1][1] in _OPEN_FLAGS and not _closes_location(words):
        found.append(("ends on a function word", 1.5))
    elif words and words[-1][1] == "a" and len(text) > 12:
        found.append(("ends on an adjective", 1.0))  # …全国优秀 / 女职工称号
    coverbs = [i for i, (w, f) in enumerate(words) if f == "p" and i > 0 and w not in _JOINING]
    names = [f for _, f in words if f in ("nr", "nrt", "nrfg")]
    if len(names) >= 3 and len(names) == len(words):
        found.append(("list of names", 2.0))  # 蒋文云朱文娇李国红… / 等出席
    if text.startswith("在") and "的" in text and not _LOCATIVE_RE.search(text.rsplit("的", 1)[1]):
        found.append(("place phrase left open", 2.0))  # 在日前举行的表彰 / 大会上，…
    if _ADVERBIAL_START_RE.match(text) and words and words[-1][1].startswith(("n", "a", "t")):
        found.append(("adverbial without clause", 1.5))
    if coverbs:
        at = coverbs[-1]
        verb_after = any(_is_verb(f) for _, f in words[at + 1 :])
        verb_before = any(_is_verb(f) for _, f in words[:at])
        if not verb_after and not (verb_before and _closes_location(words)):
            found.append(("preposition without verb", 2.0))  # 蒋文云对北辰集团工会
    first_words = [(p.word, p.flag) for p in pos_tokenizer().cut(following[:8], HMM=False)]
    first = [f for _, f in first_words]
    leaning = len(first_words) > 1 and (_is_verb(first_words[1][1]) or first_words[1][1] == "x")
    if first_words and first_words[0][0] in _POSTPOSITIONS and leaning:
        found.append(("next opens on a postposition", 2.5))  # …会见劳模代表 / 时指出
    if _PREDICATE_RE.match(following):
        found.append(("predicate follows", 3.0))
    elif _TITLE_END_RE.search(text) and first and first[0] in ("nr", "nrt", "nrfg"):
        found.append(("name follows a title", 2.0))
    elif _TITLE_END_RE.search(text) and first and (first[0] == "p" or _is_verb(first[0])):
        found.append(("predicate follows a title", 1.5))  # …转达了市总工会主席 / 对…的问候
    elif first and first[0] in _LEANING_FLAGS:
        found.append(("next leans back", 0.5))
    elif first_words and first_words[0][0] in _JOINING:
        found.append(("next leans back", 1.0))  # …呼吁兄弟单位 / 同基层工会加强协作
    elif (
        first
        and first[0] in _FRESH_FLAGS
        and not _COUNT_START_RE.match(following)
        and "，" not in text
    ):
        found.append(("next starts fresh", -1.0))
    return found
