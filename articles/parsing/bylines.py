"""Bylines -> credits: the lead of paragraph 1, standalone credit lines, trailing photo credits.

Only a stated role gives a credit (记者, 通讯员, 实习生, …摄): a bare name in brackets may be an
author, a source or a translator, and the archive must not guess.
"""

from __future__ import annotations

import functools
import re

from .dictionary import DATA
from .model import Credit, Role
from .text import SPACE_RE, squeeze
from .titles import DATELINE_RE, LIST_ITEM_RE

_AGENCIES = (
    "本报|新华社|中新社|人民日报|工人日报|光明日报|经济日报|解放军报|中国青年报|北京日报|北京晚报|"
    "劳动午报|中央人民广播电台|中国国际广播电台|国际广播电台|中央电视台|中国新闻社"
)
# Any paper, site or station, alone or joined: 工人日报-中工网, 中青报·中青网, 浙江日报
# (never across a known agency: 盛丽本报记者 is a name, then 本报记者)
_OUTLET = rf"(?:(?!{_AGENCIES})[\u4e00-\u9fff]){{1,10}}?(?:日报|晚报|午报|时报|报|网|社|台|客户端)"
_OUTLETS = rf"(?:{_AGENCIES}|{_OUTLET})(?:[-－—·・](?:{_AGENCIES}|{_OUTLET}))*"
_ROLE_WORDS = (
    "实习记者|见习记者|摄影记者|特派记者|特约记者|首席记者|全媒体记者|融媒体记者|"
    "实习生|记者|通讯员|特约通讯员"
)
ROLE_RE = re.compile(rf"(?:{_OUTLETS})?(?:驻[\u4e00-\u9fff]{{1,8}}?)?(?P<role>{_ROLE_WORDS})")
_ROLES = {
    "实习记者": Role.INTERN,
    "见习记者": Role.INTERN,
    "实习生": Role.INTERN,
    "摄影记者": Role.PHOTOGRAPHER,
    "通讯员": Role.CORRESPONDENT,
}
_NAME_RUN_RE = re.compile(r"[\u4e00-\u9fff·・]+")
_NAME_RE = re.compile(
    r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}(?:[·・][\u4e00-\u9fff]{1,6}){1,3}"
)
_SEPARATORS = frozenset(" 、，,；;/／")
_ROLE_COLON_RE = re.compile(r"\s*[：:]?")
_SPACED_NAME_RE = re.compile(r"([\u4e00-\u9fff]) ([\u4e00-\u9fff])(?=$|[ 、，,；;/／）)]|摄)")
_PHOTO_SUFFIX_RE = re.compile(r"\s*(?:摄影报道|摄影|摄)$")
_REPORT_SUFFIX_RE = re.compile(r"\s*报道$")
_TEXT_AND_PHOTO_RE = re.compile(r"^(?:文\s*[/／·・]\s*图|图\s*[/／·・]\s*文|图文)\s*[：:]?\s*")
_TEXT_THEN_PHOTO_RE = re.compile(
    r"^文\s*[/／：:]\s*(?P<text>.+?)\s+(?:图|摄影|摄|图片)\s*[/／：:]\s*(?P<photo>.+)$"
)
# A credit line may open on a bullet: ■文/本报记者 郭强 摄影/周世杰
_BULLET_RE = re.compile(r"^[■□◆◇●○▲△★☆]+\s*")
_PHOTO_PREFIX_RE = re.compile(r"^(?:摄影|图|图片)\s*[/／：:]\s*")
# A closing text credit: 文/北京青年报记者 王斌
_TEXT_PREFIX_RE = re.compile(r"^文\s*[/／：:]\s*")
# Name first, then what the person made: 魏勇文/图 (the picture credit is the one stated)
_NAME_FIRST_RE = re.compile(
    r"^(?P<names>[\u4e00-\u9fff]{2,4}(?:[ 、，,][\u4e00-\u9fff]{2,4})*)\s*文\s*[/／]\s*图$"
)
# A byline line of bare names under the titles: □刘冰, 李海 (removed, no credit: no role)
_BARE_NAMES_RE = re.compile(r"^[■□◆◇●○▲△★☆]?\s*[\u4e00-\u9fff]{2,3}(?:[ 、][\u4e00-\u9fff]{2,3})?$")
# Trailing notes under a picture: （传真照片）, （新华社稿）, （资料照片）
_NOTE_RE = re.compile(r"[（(][^（）()]{0,12}(?:照片|图片|稿|发)[）)]$")
_TRAILING_GROUP_RE = re.compile(r"[（(]([^（）()]{2,40})[）)]$")
# After a name that runs straight into prose, these start the prose: 记者张明从…, 记者刘欣欣今天…
_PROSE_CHARS = frozenset("从在于对据和与及等说了到随跟向赴也还都又就今昨近")
_PROSE_WORDS = (
    "日前",
    "近日",
    "今天",
    "今日",
    "昨天",
    "昨日",
    "前往",
    "最近",
    "获悉",
    "了解",
    "采访",
)
_NOT_NAMES = frozenset(
    [
        "今天",
        "今日",
        "近日",
        "日前",
        "昨天",
        "昨日",
        "最近",
        "近期",
        "获悉",
        "了解",
        "报道",
        "摄影",
        "通讯",
        "记者",
        "本报",
    ]
)
_MAX_LINE = 60
# A caption opens on a pointer or closes on its credit: ▶…/摄, …供图, 华琳 作
# (a bracketed credit closes a picture item's own caption paragraph: 威风锣鼓庆丰收（孟仁泉摄）)
_CAPTION_RE = re.compile(r"^[▶►◀↑↓←→]|(?:摄|摄影|/图|供图|\s[\u4e00-\u9fff]{2,3}\s*作)$")
_CAPTION_MAX = 80


@functools.cache
def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    lines = [
        line
        for line in (DATA / "surnames.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    singles = frozenset(ch for ch in lines[0])
    doubles = frozenset(w for line in lines[1:] for w in line.split())
    return singles, doubles


def has_surname(name: str) -> bool:
    """Does `name` open on a common Chinese surname (王…, 欧阳…)?"""
    singles, doubles = _surnames()
    return name[:1] in singles or name[:2] in doubles


def _role(word: str) -> Role:
    return _ROLES.get(word, Role.REPORTER)


def is_name(token: str) -> bool:
    return bool(_NAME_RE.fullmatch(token)) and token not in _NOT_NAMES


def _name_from_prose(run: str, *, spaced: bool) -> str | None:
    """The name at the start of a run like 刘欣欣今天从…, or None when no surname opens it.

    spaced: a space set the name apart from the role (记者 欧阳明在…), so any surname will do.
    """
    singles, doubles = _surnames()
    if run[:2] in _NOT_NAMES or not (spaced or run[0] in singles or run[:2] in doubles):
        return None
    if len(run) <= 2:
        return run if len(run) == 2 else None
    if run[2] in _PROSE_CHARS or run[2:4] in _PROSE_WORDS:
        return run[:2]
    return run[:3]


def _walk(text: str, *, role: Role | None = None, open_end: bool = False, skip_bare: bool = False):
    """Roles and names from the start of text -> (credits, chars consumed, clean).

    open_end: the last name may run straight into the article text. skip_bare: names before
    any role are passed over (a bracketed byline may list an author without one). clean is
    False when something that is neither a role nor a name was met (then the caller decides).
    """
    credits: list[Credit] = []
    pos, clean = 0, True
    while pos < len(text):
        ch = text[pos]
        if ch in _SEPARATORS:
            pos += 1
            continue
        if ch == "《":  # another paper's name before its reporter: 《中国电力报》记者
            close = text.find("》", pos)
            pos = close + 1 if close > 0 else len(text)
            continue
        m = ROLE_RE.match(text, pos)
        if m:
            role, pos = _role(m.group("role")), m.end()
            pos += len(_ROLE_COLON_RE.match(text, pos).group())  # 记者：A 通讯员：B、C
            continue
        m = _NAME_RUN_RE.match(text, pos)
        if (
            m
            and skip_bare
            and role is None
            and is_name(m.group())
            and ROLE_RE.search(text, m.end())
        ):
            pos = m.end()  # （葛红普 通讯员 袁甜）: a name with no role gets no credit
            continue
        if role is None or not m:
            clean = False
            break
        run, end = m.group(), m.end()
        spaced = _SPACED_NAME_RE.match(text, pos)
        if spaced:  # 王　伟: a two-character name set to the width of three
            run, end = spaced.group(1) + spaced.group(2), spaced.end()
        glued = ROLE_RE.search(run, 2)  # 张明本报记者: the next role follows without a space
        if glued:
            run, end = run[: glued.start()], pos + glued.start()
            if not is_name(run):  # 中国某某台记者: an unknown agency, not a name
                pos = end
                continue
        run = _REPORT_SUFFIX_RE.sub("", run)
        delimited = end >= len(text) or text[end] in _SEPARATORS or glued
        if is_name(run) and (delimited or not open_end):
            credits.append(Credit(run, role))
            pos = end
            continue
        if not open_end:
            clean = False
            break
        name = _name_from_prose(run, spaced=pos > 0 and text[pos - 1] == " ")
        if name:
            credits.append(Credit(name, role))
        break
    return credits, pos, clean


def parse_credit_line(line: str) -> tuple[Credit, ...] | None:
    """A line that is only a byline (本报记者 X, （新华社记者 X 摄）, 文/图 本报记者 X) -> credits.

    None when the line is anything else, including bare names without a role.
    """
    if len(line) > 4 * _MAX_LINE:
        return None
    text = SPACE_RE.sub(" ", line).strip()
    if len(squeeze(text)) > _MAX_LINE or "。" in text:
        return None
    text = _BULLET_RE.sub("", text)
    name_first = _NAME_FIRST_RE.match(text)
    if name_first:
        return _name_first_credits(name_first)
    while _NOTE_RE.search(text) and len(text) > 8:
        text = _NOTE_RE.sub("", text).rstrip()
    if text[:1] in "（(" and text[-1:] in "）)":
        text = text[1:-1].strip()
    split = _TEXT_THEN_PHOTO_RE.match(text)
    if split:
        writers = _strict(split.group("text"), Role.REPORTER)
        shooters = _strict(split.group("photo"), Role.PHOTOGRAPHER)
        if writers is None or shooters is None:
            return None
        return _unique(writers + [Credit(c.name, Role.PHOTOGRAPHER) for c in shooters])
    both = _TEXT_AND_PHOTO_RE.match(text)
    photo_prefix = _PHOTO_PREFIX_RE.match(text)
    if not both and not photo_prefix:
        text = _TEXT_PREFIX_RE.sub("", text)
    if both or photo_prefix:
        text = text[(both or photo_prefix).end() :]
    photo_suffix = _PHOTO_SUFFIX_RE.search(text)
    if photo_suffix:
        text = text[: photo_suffix.start()]
    photo = bool(photo_suffix or photo_prefix)
    credits = _strict(text, Role.PHOTOGRAPHER if (photo or both) else None)
    if not credits:
        return None
    if both:
        return _unique(
            [Credit(c.name, Role.REPORTER) for c in credits]
            + [Credit(c.name, Role.PHOTOGRAPHER) for c in credits]
        )
    if photo:
        return _unique([Credit(c.name, Role.PHOTOGRAPHER) for c in credits])
    return _unique(credits)


def _name_first_credits(match: re.Match) -> tuple[Credit, ...] | None:
    names = [n for n in re.split(r"[ 、，,]", match.group("names")) if n]
    if not all(is_name(n) and has_surname(n) for n in names):
        return None
    return _unique(Credit(n, Role.PHOTOGRAPHER) for n in names)


def is_bare_name_line(line: str) -> bool:
    """□刘冰, 李海: a byline line of names with no role (removed from the text, no credit)."""
    text = SPACE_RE.sub(" ", line).strip()
    if not _BARE_NAMES_RE.match(text):
        return False
    names = _BULLET_RE.sub("", text).split()
    return all(has_surname(n) and n not in _NOT_NAMES for n in names)


def _strict(text: str, role: Role | None) -> list[Credit] | None:
    text = text.strip()
    credits, pos, clean = _walk(text, role=role)
    if not clean or pos < len(text) or not credits:
        return None
    return credits


def lead_credits(paragraph: str) -> tuple[Credit, ...]:
    """Credits in the byline that opens a report: 本报讯（记者 A 通讯员 B）, 新华社…电（记者 A）,
    本报北京1月5日讯记者 A、B 报道：, 本报讯记者 A从…"""
    head = SPACE_RE.sub(" ", paragraph[:160])
    m = DATELINE_RE.match(head)
    rest = head[m.end() :] if m else head
    rest = rest.lstrip()
    if rest[:1] in "（(":
        close = re.search(r"[）)]", rest)
        if not close:
            return ()
        inner = rest[1 : close.start()]
        name_first = _NAME_FIRST_RE.match(inner.strip())
        if name_first:
            return _name_first_credits(name_first) or ()
        if not ROLE_RE.search(inner):
            return ()
        credits, _, _ = _walk(inner, skip_bare=True)
        return _unique(credits)
    if not ROLE_RE.match(rest):
        return ()
    reported = re.search(r"报道\s*[：:，,]", rest[:100])
    if reported:
        credits, _, _ = _walk(rest[: reported.start()])
    else:
        credits, _, _ = _walk(rest, open_end=True)
    return _unique(credits)


def tail_credits(paragraphs: tuple[str, ...] | list[str], *, photo: bool) -> tuple[Credit, ...]:
    """Credits in brackets closing the text: …（新华社记者 X 摄） under a picture.

    A note such as （传真照片） may stand after them as a paragraph of its own. In a news report
    a bracket with 摄 credits a picture beside the story, not the story itself.
    """
    if not paragraphs:
        return ()
    last = paragraphs[-1].strip()
    if len(paragraphs) > 1 and _NOTE_RE.fullmatch(last):
        last = paragraphs[-2]
    text = last.rstrip()
    credits: list[Credit] = []
    for _ in range(3):
        m = _TRAILING_GROUP_RE.search(text)
        if not m:
            break
        found = parse_credit_line(m.group(0))
        if found and (photo or all(c.role is not Role.PHOTOGRAPHER for c in found)):
            credits.extend(found)
        text = text[: m.start()].rstrip()
    return _unique(credits)


def is_caption_line(line: str) -> bool:
    """A picture's caption or credit set under the titles: ▶…　全媒体记者林景余/摄, 仁寿县总供图,
    农民工返乡专列线路图　华琳 作 (a pure credit line is a byline instead)."""
    text = SPACE_RE.sub(" ", line).strip()
    if len(squeeze(text)) > _CAPTION_MAX or "。" in text or DATELINE_RE.match(text):
        return False
    if LIST_ITEM_RE.match(text) or text[:1] == "图":  # １、…, 图①…: a picture item's captions
        return False
    return bool(_CAPTION_RE.search(text)) and parse_credit_line(text) is None


def caption_credits(caption: str) -> tuple[Credit, ...]:
    """The picture credit closing a caption line: ▶…送上新年礼包　全媒体记者林景余/摄."""
    parts = SPACE_RE.sub(" ", caption).split()
    for k in range(len(parts) - 1, -1, -1):
        found = parse_credit_line(" ".join(parts[k:]))
        if found:
            return tuple(Credit(c.name, Role.PHOTOGRAPHER) for c in found)
    return ()


def _unique(credits) -> tuple[Credit, ...]:
    return tuple(dict.fromkeys(credits))
