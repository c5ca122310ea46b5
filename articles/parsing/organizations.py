"""Union organizations named in an article, with the other forms the article uses for them.

A union name is found by its suffix (工会, 总工会, 工会联合会) and grown leftwards over the words
that can belong to a name (places, company words, brackets like （集团）), stopping at verbs,
particles and determiners. Without a specific word (a place, a brand) the phrase is generic:
`区总工会`, `公司工会`, `集团各级工会` name no organization.
"""

from __future__ import annotations

import functools
import re

from .dictionary import DATA, alias_groups, known_organizations, pos_tokenizer
from .model import OrganizationMention
from .text import is_cjk, squeeze
from .titles import DATELINE_RE

_SUFFIXES = ("工会委员会", "工会联合会", "总工会", "工会")
_TAILS = ("联合会", "委员会")  # 中直机关工会联合会, 仙居县消防救援大队工会委员会
_ALIAS_RE = re.compile(
    r"[（(]以下简称\s*[：:]?\s*[“\"「『]?(?P<short>[^”\"」』）)，。]{1,15}?)[”\"」』]?[）)]"
)
_CLAUSE_STOP = re.compile(r"[，,。；;！？!?、：:“”‘’「」『』《》\s]")
_FUNCTION_FLAGS = frozenset(
    ["p", "c", "u", "uj", "ul", "uz", "uv", "ud", "ug", "r", "d", "m", "x", "q", "f"]
)
_NAME_FLAGS = frozenset(
    ["n", "ng", "nr", "nrt", "nrfg", "ns", "nt", "nz", "j", "b", "l", "an", "eng", "s"]
)
# Tags that make a name specific; not j, which jieba gives to 深化 as well.
_SPECIFIC_FLAGS = frozenset(["nr", "nrt", "nrfg", "ns", "nt", "nz", "eng"])
# Verbs that are part of company names: 控股, 承包 (工程总承包部), 建 (北京城建), 投资 …
_NAME_VERBS = frozenset(
    [
        "控股",
        "承包",
        "建",
        "建工",
        "城建",
        "投资",
        "发展",
        "建设",
        "开发",
        "运输",
        "管理",
        "服务",
        "设计",
        "勘察",
        "咨询",
        "经营",
        "实业",
        "贸易",
        "供应",
        "销售",
        "生产",
        "制造",
        "印刷",
        "出版",
        "研究",
        "交通",
        "运营",
        "维修",
        "物流",
        "科技",
    ]
)
# The byline bracket that opens a report: （记者陈曦）西长安街街道总工会… is no part of a name.
_BYLINE_GROUP_RE = re.compile(r"^[（(][^（）()]{0,40}(?:记者|通讯员|实习生|摄)[^（）()]{0,40}[）)]")
_ROLE_IN_GROUP_RE = re.compile(r"记者|通讯员|实习生|摄影|报道")
# Administrative units whose name before them jieba often cuts wrongly (北/下关街道, 玲珑/a 街道):
# the two to four characters before them are the place's name, whatever their tags.
_UNITS = frozenset(["街道", "镇", "乡", "园", "园区", "社区", "苏木"])
_UNIT_NAME = (2, 4)
# Single characters that end a unit's name: 丰台园, 中建二局, 首钢厂
_UNIT_CHARS = frozenset("园局厂处队站所院校社")
# Company forms after an abbreviation: 北汽集团, 首钢公司 (jieba tags 北汽 as j, as it does 深化)
_COMPANY_FORMS = frozenset(["集团", "公司", "有限公司", "股份公司", "控股"])
# A time word is no name, but an era word may be one (北京现代): these mark times.
_TIME_CHARS = frozenset("今昨明近日年月天时前后期周晚早午夜节季春夏秋冬初末底")
# Offices named right after a union (成都总工会主席), which jieba may cut as one word with 工会
_OFFICERS = ("主席", "副主席", "常务副主席", "党组书记", "负责人", "相关负责人", "工作人员")
# Words after 工会 that make it an idea: 工会知识, 工会法
_CONCEPTS = ("知识", "法律", "法规", "法》", "理论")
_PLACE_ENDS = frozenset("省市区县州旗")
_PLACE_PREFIXES = ("北京", "天津", "上海", "重庆", "中国", "中华", "全国", "首都", "中央", "中直")
_MAX_LEFT = 40
_MAX_NAME = 40
_MAX_MENTIONS = 200  # per text: a page of nothing but 工会 must not take seconds


@functools.cache
def generic_phrases() -> frozenset[str]:
    lines = (DATA / "generic_unions.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def find_organizations(texts: list[str]) -> tuple[OrganizationMention, ...]:
    """Organizations named in one article's texts (headline, subheadline, paragraphs)."""
    mentions: list[str] = []
    seen: list[str] = []
    expansions: dict[str, str] = {}  # short form -> full name, from （以下简称…）
    for raw in texts:
        text = squeeze(raw)
        dateline = DATELINE_RE.match(text)  # 本报讯, 新华社北京…电: never part of a name
        text = _BYLINE_GROUP_RE.sub("", text[dateline.end() :] if dateline else text, count=1)
        text, defined = _strip_alias_definitions(text)
        expansions.update((short, full) for full, short in defined)
        found = _union_mentions(text, tuple(expansions))
        mentions.extend(found)
        mentions.extend(_known_mentions(text, found))
        seen.append(text)
    for short, full in _short_federation_forms("\n".join(seen), mentions):
        expansions[short] = full
        mentions.append(short)
    return _group(mentions, expansions)


def _short_federation_forms(text: str, names: list[str]) -> list[tuple[str, str]]:
    """香洲区总 for 珠海市香洲区总工会, 长泰县总 for 长泰县总工会: a federation's place with 总
    and no 工会 after it, where the article names the federation in full."""
    forms = []
    for name in dict.fromkeys(names):
        if not name.endswith("总工会"):
            continue
        place = name[: -len("总工会")]
        cuts = [i + 1 for i, ch in enumerate(place) if ch in _PLACE_ENDS]
        for start in [0, *cuts[:-1]]:
            short = place[start:] + "总"
            if len(short) < 4 or short in generic_phrases():
                continue
            if re.search(re.escape(short) + "(?!工会)", text):
                forms.append((short, name))
    return forms


def _strip_alias_definitions(text: str) -> tuple[str, list[tuple[str, str]]]:
    """北京经济技术开发区（以下简称：经开区）总工会 -> the text without the bracket, and
    (北京经济技术开发区总工会, 经开区总工会): the alias applies to the name it sits in."""
    defined: list[tuple[str, str]] = []
    for _ in range(_MAX_MENTIONS):
        m = _ALIAS_RE.search(text)
        if not m:
            break
        short = m.group("short").strip()
        text = text[: m.start()] + text[m.end() :]
        full = _name_before(text, m.start())
        tail = next((s for s in _SUFFIXES if text.startswith(s, m.start())), "")
        if full and short and short != full:
            defined.append((full + tail, short + tail))
    return text, defined


def _union_mentions(text: str, shorts: tuple[str, ...]) -> list[str]:
    names = []
    start = 0
    for _ in range(_MAX_MENTIONS):
        i = text.find("工会", start)
        if i < 0:
            break
        start = i + 2
        begin = i - 1 if text[i - 1 : i] == "总" else i
        end = i + 5 if text.startswith(_TAILS, i + 2) else i + 2
        left = _clause_start(text, begin)
        if text.startswith(_CONCEPTS, end):
            continue  # 普及工会知识: the union as an idea, not a body
        name = _name_ending_at(text[left : end + 4], begin - left, end - left, shorts)
        if name is None and text.startswith(_OFFICERS, end):
            # 成都总工会主席: jieba's word 工会主席 hides the name's end; the office follows it
            name = _name_ending_at(text[left:end], begin - left, end - left, shorts)
        if name:
            names.append(name)
    return names


@functools.lru_cache(maxsize=4096)
def _name_ending_at(clause: str, begin: int, end: int, shorts: tuple[str, ...]) -> str | None:
    """The union name whose suffix is clause[begin:end], or None if generic or not a word there."""
    words: list[tuple[str, str]] = []
    pos, suffix_at = 0, None
    for word, flag in _cut(clause):
        stop = pos + len(word)
        if suffix_at is None and pos <= begin < stop:
            if pos < begin and stop != end:
                return None  # 员工会议, 矿工会: the suffix is not a word here
            suffix_at = len(words)  # 全国总工会: one dictionary word holds name and suffix
        words.append((word, flag))
        pos = stop
        if pos >= end:
            break
    if suffix_at is None or pos != end:
        return None  # 工会干部: the suffix runs into a longer word
    name_words = _grow_left(words[:suffix_at])
    core = "".join(w for w, _ in words[suffix_at:])
    name = "".join(w for w, _ in name_words) + core
    specific = (
        any(_is_specific(w, f) for w, f in name_words)
        or _abbreviated_company(name_words)
        or _names_a_unit(name_words)
        or _is_specific(*words[suffix_at])
        or name.startswith(shorts)  # 公交集团工会 after （以下简称“公交集团”）
    )
    if not specific or name in generic_phrases() or len(name) > _MAX_NAME:
        return None
    return name


def _name_before(text: str, end: int) -> str:
    """The organization name ending at text[end] (before an alias bracket), or ""."""
    left = _clause_start(text, end)
    name_words = _grow_left(_cut(text[left:end]))
    if not any(_is_specific(w, f) for w, f in name_words):
        return ""
    return "".join(w for w, _ in name_words)


def _cut(text: str) -> list[tuple[str, str]]:
    return [(p.word, p.flag) for p in pos_tokenizer().cut(text)]


def _clause_start(text: str, end: int) -> int:
    lo = max(0, end - _MAX_LEFT)
    stops = [m.end() for m in _CLAUSE_STOP.finditer(text, lo, end)]
    return stops[-1] if stops else lo


def _grow_left(words: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The longest run of name words that ends the list; brackets like （集团） stay inside."""
    kept: list[tuple[str, str]] = []
    i = len(words) - 1
    while i >= 0:
        word, flag = words[i]
        if word in "）)":
            opening = next(
                (j for j in range(i - 1, max(i - 5, -1), -1) if words[j][0] in "（("), None
            )
            inner = words[opening + 1 : i] if opening is not None else []
            if not inner or not all(_is_name_word(w, f) for w, f in inner):
                break
            if _ROLE_IN_GROUP_RE.search("".join(w for w, _ in inner)):
                break  # （通讯员李惠梓）椿树街道总工会: a byline, not part of the name
            kept[:0] = words[opening : i + 1]
            i = opening - 1
            continue
        if kept and kept[0][0] in _UNITS and not _is_name_word(word, flag):
            place = _unit_place(words[: i + 1])
            if place:
                kept[:0] = place
            break
        if not _is_name_word(word, flag) or (kept and _is_complete(word)):
            break
        if word.startswith("各"):
            return []  # 海淀各街道工会, 各级工会: every union of a kind, not one
        kept.insert(0, (word, flag))
        i -= 1
    return kept


def _unit_place(words: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The name before a unit (北下关 in 北下关街道), as the words ending the list: two to four
    characters of content words (no function words, no punctuation)."""
    low, high = _UNIT_NAME
    place: list[tuple[str, str]] = []
    length = 0
    for word, flag in reversed(words):
        if flag in _FUNCTION_FLAGS or not all(is_cjk(ch) for ch in word):
            break
        if length + len(word) > high:
            break
        place.insert(0, (word, flag))
        length += len(word)
    return place if length >= low else []


def _is_name_word(word: str, flag: str) -> bool:
    if word in known_organizations() or word in _UNIT_CHARS:
        return True
    if flag == "vn":
        return True  # 消防救援大队, 城市建设集团: verbal nouns name what a unit does
    if flag == "t":
        return len(word) >= 2 and not _TIME_CHARS.intersection(word)
    if flag.startswith("v"):
        return word in _NAME_VERBS
    if flag == "m":
        return word.startswith("第") or word[-1] in _UNIT_CHARS  # 第一, 中建一局
    return flag in _NAME_FLAGS


def _is_complete(word: str) -> bool:
    return word.endswith(_SUFFIXES)


def _is_specific(word: str, flag: str) -> bool:
    return (
        flag in _SPECIFIC_FLAGS
        or word in known_organizations()
        or (len(word) > 2 and word.startswith(_PLACE_PREFIXES))
        or (len(word) >= 3 and word[-1] in "省市区县州镇乡村")
    )


def _abbreviated_company(words: list[tuple[str, str]]) -> bool:
    """北汽集团: an abbreviation (j) right before a company form names a company."""
    return any(
        f == "j" and len(w) >= 2 and words[k + 1][0] in _COMPANY_FORMS
        for k, (w, f) in enumerate(words[:-1])
    )


def _names_a_unit(words: list[tuple[str, str]]) -> bool:
    """北下关街道, 丰台园: a unit with its own name before it is one place."""
    for k, (word, _) in enumerate(words[1:], start=1):
        named = sum(len(w) for w, _ in words[:k]) >= _UNIT_NAME[0]
        if named and (word in _UNITS or word in _UNIT_CHARS):
            return True
    return False


def _known_mentions(text: str, unions: list[str]) -> list[str]:
    """Short names from the alias table that carry no union suffix (全总)."""
    found = []
    for name in alias_groups():
        if name.endswith(_SUFFIXES) or name not in text or name in generic_phrases():
            continue
        if any(name in u for u in unions):
            continue
        at = text.find(name)
        window = text[max(0, at - 4) : at + len(name) + 4]
        if name in (w for w, _ in _cut(window)):
            found.append(name)
    return found


def _group(mentions: list[str], expansions: dict[str, str]) -> tuple[OrganizationMention, ...]:
    """One OrganizationMention per organization: canonical name first, other forms as aliases."""
    groups: dict[str, list[str]] = {}
    for mention in dict.fromkeys(mentions):
        canonical = _canonical(mention, expansions)
        groups.setdefault(canonical, [])
        if mention != canonical:
            groups[canonical].append(mention)
    names = list(groups)
    for short in sorted(names, key=len, reverse=True):
        longer = [n for n in names if n != short and n in groups and _abbreviates(short, n)]
        if short in groups and len(longer) == 1:
            groups[longer[0]] += [short, *groups.pop(short)]
    result = []
    for name, forms in groups.items():
        known = alias_groups().get(name, ())
        aliases = [a for a in dict.fromkeys([*known, *forms]) if a != name]
        aliases = [a for a in aliases if a not in generic_phrases()]
        result.append(OrganizationMention(name, tuple(aliases)))
    return tuple(result)


def _canonical(mention: str, expansions: dict[str, str]) -> str:
    for short, full in expansions.items():
        if mention == short:
            return full
        if mention.startswith(short) and not full.endswith(_SUFFIXES):
            return full + mention[len(short) :]
    known = alias_groups().get(mention)
    return known[0] if known else mention


def _abbreviates(short: str, long: str) -> bool:
    """Is `short` a short form of `long` (same suffix, its characters in order)?

    北京公交集团工会 shortens 北京公共交通控股（集团）有限公司工会, 建工城乡集团中昊公司工会 drops
    the leading 北京; but dropping a place inside (北京市朝阳区总工会 -> 北京市总工会) names
    another organization.
    """
    suffix = next((s for s in _SUFFIXES if short.endswith(s)), None)
    if suffix is None or not long.endswith(suffix) or len(short) >= len(long):
        return False
    dropped_head = long.endswith(short)
    if short[:2] != long[:2] and not dropped_head:
        return False
    dropped, run, j = [], "", 0
    for ch in long:
        if j < len(short) and ch == short[j]:
            j += 1
            if run:
                dropped.append(run)
                run = ""
        else:
            run += ch
    if j < len(short):
        return False
    if dropped_head:
        return True
    dropped.append(run)
    return not any(len(r) >= 2 and r[-1] in "省市区县州镇乡村" for r in dropped)
