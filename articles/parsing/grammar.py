"""Grammar across a line break: is a headline-shaped line a clause cut short?

A column break cuts a paragraph between two words as often as inside one, so the line above may
be a whole noun phrase (恩佐在回顾两国贸易) and the one below may look like a fresh start
(迅速发展的情况后表示，…). What gives the cut away is the grammar: a subject with a coverb but
no verb, a title without its holder's name, an adverb that points back, or a next line whose
first clause needs the line above. Parts of speech come from jieba; each test returns named
evidence for body text (positive) or for a headline (negative), as in headlines.py.
"""

from __future__ import annotations

import functools
import re

from .bylines import has_surname
from .dictionary import pos_tokenizer
from .text import is_cjk, is_digit

Evidence = list[tuple[str, float]]

# Part-of-speech of the last word of a fragment cut mid-phrase: adverbs, prepositions, …
_OPEN_FLAGS = frozenset(["d", "f", "p", "r", "ul", "u", "uv", "uj", "s", "c"])
# …and of the first word after a cut: verbs and particles lean on what came before.
_LEANING_FLAGS = frozenset(["v", "vn", "d", "c", "u", "a"])
_FRESH_FLAGS = frozenset(["t", "x", "nt", "r", "p"])
_NAME_FLAGS = frozenset(["nr", "nrt", "nrfg"])
_JOINING = frozenset(["与", "和", "及", "同", "跟"])  # tagged as prepositions, but they join nouns
# Conjunctions that join the next line to the clause above: …又小又薄 / 且多处露出…
_LINKING = frozenset(["且", "并", "而", "或", "以及", "并且", "而且"])
_LOCATIVE_RE = re.compile(r"[上中下里内外前后间时]")
_POSTPOSITIONS = frozenset(["时", "后", "中", "上", "里"])
# One-character nouns that end a compound or a name and never open a paragraph: 江苏加佳 / 队
_NOUN_SUFFIXES = frozenset("队人国省市县区乡村镇厂局站馆院所部处科组校社团族籍方家界")
# Coverbs that complete the verb before them: 确定 / 为, 来 / 到, 生 / 于
_COMPLEMENTS = frozenset("为于到成给向")
# Directional complements, which jieba may tag as times: …从听筒里喷 / 过来，说…
_DIRECTIONS = frozenset(["过来", "起来", "出来", "下来", "上来", "下去", "进来", "回来", "过去"])
# Adverbs that link a clause to the one before: 两国外长还就共同 / 感兴趣的…
_RUNNING_ADVERBS = frozenset(
    [*"还也都就再并已曾便却仍才则均亦", "再次", "同时", "已经", "一直", "正在"]
)
_PERSONAL = frozenset(
    ["他", "她", "它", "他们", "她们", "它们", "我", "我们", "你", "你们", "咱们"]
)
_SPEECH_VERBS = ("说", "表示", "指出", "强调", "认为", "称", "宣布", "介绍", "透露", "告诉")

# The rest of a sentence whose subject ended the line above: …主席在座谈会上 / 说，要…
_PREDICATE_RE = re.compile(
    r"^(?:(?:说|认为|表示|指出|强调|告诉|宣布|介绍|透露|称|回答|问)[，,：:“]|告诉记者|对记者说|向记者|是)"
)
# …or a title whose holder's name opens the next line: 市总工会副主席 / 蒋文云等…
TITLE_END_RE = re.compile(
    r"(?:委员长|主席|总理|书记|主任|大使|总统|首相|外长|部长|局长|市长|省长|县长|会长|队长|教授|记者|"
    r"研究员|院长|所长|总监|经理|董事长|厂长|校长|司令员|政委|团长|秘书长|议长|发言人|委员|署长|司长|"
    r"处长|科长|行长|社长|台长|总裁|理事长|主编|总编辑)$"
)
# …or a role whose holders are listed on the next line: 三对临时组合的中国混双选手 / 陈刚／唐永淑、…
_ROLE_END_RE = re.compile(
    r"(?:选手|同志|代表|教练|队员|演员|专家|教师|作家|画家|夫妇|成员|官员|人士|参谋长|司令员)$"
)
# …or the title after a name: 钱其琛转达了江泽民 / 主席对邦尼奇总统的问候
_TITLE_START_RE = re.compile(
    r"^(?:委员长|主席|总理|副总理|总书记|书记|主任|大使|总统|副总统|首相|外长|部长|局长|市长|省长|"
    r"县长|会长|教授|研究员|院长|国王|秘书长|议长|发言人|总裁|董事长|经理|司令员|政委)"
)
# A name opening the next line, set off by a list mark or a comma: 熊光楷、空军司令员…
_LISTED_NAME_RE = re.compile(r"^([\u4e00-\u9fff]{2,3})[、，／/（(]")
# A sentence-initial adverbial still waiting for its clause: 在推进产业工人队伍建设 / 改革中…
_ADVERBIAL_START_RE = re.compile(r"^(?:在|从|自|由|据|随着|为了|对于|关于|面对着?|围绕|针对|鉴于)")
# The next line opens on a count: …为困难职工筹集慰问金 / ２７万元，…
COUNT_START_RE = re.compile(
    r"^[0-9０-９一二三四五六七八九十百千]+(?:[个名位份项家次条件种批只支笔万亿元％%户台辆座所块张部场届"
    r"吨亩岁倍]|公里|公斤|千克|米)"
)
# A day with no comma after it is inside a sentence: …布马扎 / １１日也分别会见了钱其琛。
_DAY_IN_SENTENCE_RE = re.compile(r"^[0-9０-９]{1,2}日[^，,]")
# The next line's first clause, up to its first stop or comma, and its first sentence.
_FIRST_CLAUSE_RE = re.compile(r"^([^，。；：！？、“”（）《》,;:!?]+)[，。；：！？,;:!?]")
_FIRST_SENTENCE_RE = re.compile(r"^([^，。；：！？、“”（）《》,;:!?]+)。")
# A lead may open on a short adverbial clause: 近日，… 据悉，… 为此，… 对此，…
_LEAD_OPENING_RE = re.compile(
    r"^(?:近日|日前|近来|近期|据悉|据了解|据介绍|为此|对此|因此|目前|当前|如今|今年|去年|最近|此前|"
    r"随后|其间|期间|同时|此外|另外|然而|但是|不过|其中|首先|其次|一是|二是|三是|第一|第二|第三)，"
)
_SHORT_CLAUSE = 3
SHORT_CLAUSE_WEIGHT = 1.5


@functools.lru_cache(maxsize=1024)
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """(word, part of speech) pairs; each line is weighed against both of its neighbours."""
    return tuple((p.word, p.flag) for p in pos_tokenizer().cut(text, HMM=False))


def word_evidence(text: str, following: str) -> Evidence:
    """Parts of speech across the boundary: 蒋文云在会上首先 / 代表市总工会… ends on an adverb."""
    found: Evidence = []
    words = tagged(text)
    if words and words[-1][1] in _OPEN_FLAGS and not _closes_location(words):
        found.append(("ends on a function word", 1.75))
    elif words and words[-1][1] == "a" and len(text) > 12:
        found.append(("ends on an adjective", 0.5))  # …全国优秀 / 女职工称号
    names = [f for _, f in words if f in _NAME_FLAGS]
    if len(names) >= 3 and len(names) == len(words):
        found.append(("list of names", 2.0))  # 蒋文云朱文娇李国红… / 等出席
    if text.startswith("在") and "的" in text and not _LOCATIVE_RE.search(text.rsplit("的", 1)[1]):
        found.append(("place phrase left open", 2.0))  # 在日前举行的表彰 / 大会上，…
    adverbial = _ADVERBIAL_START_RE.match(text) or (words and words[0][0] == "当")  # 当…时
    if adverbial and words and words[-1][1].startswith(("n", "a", "t", "vn")):
        found.append(("adverbial without clause", 1.75))
    found += _coverb_evidence(words)
    return found + _boundary_evidence(text, words, following)


def _coverb_evidence(words: tuple[tuple[str, str], ...]) -> Evidence:
    """A coverb opens a phrase that only a later verb closes: 蒋文云对北辰集团工会 / 表示…"""
    coverbs = [i for i, (w, f) in enumerate(words) if f == "p" and i > 0 and w not in _JOINING]
    if not coverbs:
        return []
    at = coverbs[-1]
    verb_after = any(_is_verb(f) for _, f in words[at + 1 :])
    verb_before = any(_is_verb(f) for _, f in words[:at])
    if not verb_after and not (verb_before and _closes_location(words)):
        return [("preposition without verb", 2.25)]  # 蒋文云对北辰集团工会
    if verb_after and not _predicate_after(words, at):
        return [("preposition left open", 0.75)]  # 鲁杰罗还表示对遏制贸易保护主义
    return []


def _boundary_evidence(text: str, words: tuple[tuple[str, str], ...], following: str) -> Evidence:
    """How the next line's first words fit the line's last ones."""
    found: Evidence = []
    first_words = tagged(following[:8])
    first = [f for _, f in first_words]
    leaning = len(first_words) > 1 and (
        _is_verb(first_words[1][1]) or first_words[1][1] in ("x", "uj", "d")
    )
    if first_words and first_words[0][0] in _POSTPOSITIONS and leaning:
        found.append(("next opens on a postposition", 2.5))  # …会见劳模代表 / 时指出
    if first_words and len(first_words[0][0]) == 1 and first_words[0][0] in _NOUN_SUFFIXES:
        found.append(("next opens on a suffix", 2.0))  # …江苏加佳 / 队在今天测试中…
    if words and words[-1][1] in _NAME_FLAGS and _TITLE_START_RE.match(following):
        found.append(("title follows a name", 2.0))  # 钱其琛转达了江泽民 / 主席对…的问候
    if words and _is_verb(words[-1][1]) and first_words and first_words[0][0] in _COMPLEMENTS:
        found.append(("complement follows", 2.0))  # 印尼政府已把１９９８年确定 / 为经济调整…
    if _PREDICATE_RE.match(following):
        found.append(("predicate follows", 3.25))
    elif TITLE_END_RE.search(text) and first and first[0] in _NAME_FLAGS:
        found.append(("name follows a title", 2.75))
    elif (TITLE_END_RE.search(text) or _ROLE_END_RE.search(text)) and _opens_on_name(following):
        found.append(("name follows a title", 2.75))  # …副总参谋长 / 熊光楷、空军司令员…
    elif TITLE_END_RE.search(text) and first and (first[0] == "p" or _is_verb(first[0])):
        found.append(("predicate follows a title", 1.75))  # …转达了市总工会主席 / 对…的问候
    elif first and first[0] in _LEANING_FLAGS:
        found.append(("next leans back", 0.5))
    elif first_words and first_words[0][0] in _JOINING | _LINKING:
        found.append(("next leans back", 0.75))  # …呼吁兄弟单位 / 同基层工会加强协作
    elif _DAY_IN_SENTENCE_RE.match(following):
        found.append(("date inside a sentence", 1.0))  # …议长布马扎 / １１日也分别会见了…
    elif (
        first
        and first[0] in _FRESH_FLAGS
        and not COUNT_START_RE.match(following)
        and "，" not in text
    ):
        found.append(("next starts fresh", -1.0))
    return found


def running_text_evidence(text: str) -> Evidence:
    """Words that tie a clause to its context, which telegraphic headlines leave out.

    哈桑国王也请钱其琛转达他 / 对…: 也 and 他 point back to what came before.
    """
    found: Evidence = []
    words = tagged(text)
    if any(w in _RUNNING_ADVERBS for w, _ in words):
        found.append(("adverb of running text", 1.0))
    if any(w in _PERSONAL for w, _ in words):
        found.append(("personal pronoun", 0.75))
    if words and (words[-1][1] in ("m", "q") or is_digit(words[-1][0][-1])):
        found.append(("ends on a number", 0.5))  # …夺得四 / 金两银一铜, …推动两 / 国经贸合作
    if len(text) <= 6:
        found.append(("very short", -1.75))
    return found


def next_line_evidence(following: str) -> Evidence:
    """How the next line opens: on a time (a lead), or on the rest of a clause."""
    found: Evidence = []
    clause = _FIRST_CLAUSE_RE.match(following)
    if clause and clause.group(1).endswith(_SPEECH_VERBS) and len(clause.group(1)) <= 14:
        found.append(("speaker above", 1.75))  # 恩佐在回顾两国贸易 / 迅速发展的情况后表示，…
    if clause and len(clause.group(1)) == 1 and is_cjk(clause.group(1)):
        found.append(("one-character clause follows", 1.25))  # 已退休的饲养员左文 / 茹，又被…
    if (
        clause
        and 2 <= len(clause.group(1)) <= _SHORT_CLAUSE
        and clause.group(0).endswith("，")
        and not _LEAD_OPENING_RE.match(following)
        and all(flag not in _FRESH_FLAGS for _, flag in tagged(clause.group(1))[:1])
    ):
        found.append(("short clause follows", SHORT_CLAUSE_WEIGHT))  # 延安城市基础设施 / 薄弱，…
    sentence = _FIRST_SENTENCE_RE.match(following)
    if sentence and len(sentence.group(1)) <= 8:
        found.append(("short sentence follows", 1.25))  # …江苏南钢队本轮迎战弱旅 / 济南军区队。
    first = tagged(following[:8])[:1]
    if (
        first
        and first[0][1] == "t"
        and first[0][0] not in _DIRECTIONS
        and clause
        and clause.group(0).endswith("，")
        and len(clause.group(1)) <= 8
    ):
        found.append(("next opens on a time", -2.0))  # 近年来，… 十年间，… (not 今天夺得了…)
    return found


def name_cut_after_title(text: str) -> bool:
    """…原县委书记刘 / 金生: a title, then only the surname (or one more character) of a name."""
    return any(
        len(text) > cut + 2 and TITLE_END_RE.search(text[:-cut]) and has_surname(text[-cut:])
        for cut in (1, 2)
    )


def _opens_on_name(text: str) -> bool:
    listed = _LISTED_NAME_RE.match(text)
    return bool(listed) and has_surname(listed.group(1))


def _is_verb(flag: str) -> bool:
    return flag.startswith("v") and flag != "vn"  # 比赛/vn names an event, it is no predicate


def _closes_location(words: tuple[tuple[str, str], ...]) -> bool:
    """劳模风采展示在大屏幕上: a 在 phrase closed by a locative word."""
    return words[-1][1] == "f" and any(w in ("在", "于") for w, _ in words)


def _predicate_after(words: tuple[tuple[str, str], ...], at: int) -> bool:
    """Is there a verb after the coverb at `at` that can be the predicate?

    A verb right after the coverb opens its object (对遏制…, 在谈到…), and a verb with a 的 after
    it sits in a modifier (向自发聚集在街口的…): neither is the predicate of the clause.
    """
    for i in range(at + 2, len(words)):
        if _is_verb(words[i][1]) and all(w != "的" for w, _ in words[i + 1 :]):
            return True
    return False
