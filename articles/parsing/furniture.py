"""Page furniture: the lines a page prints around its articles, and the facts they state.

A page export opens with some of these, in any order: the 版次 line (`第04版：工会`, the e-paper's
`00002版：工会`, `第4版　1998年1月5日`), the paper's name with the date (`劳动午报 2019年8月12日
星期一`), a bare date, the editors (`责任编辑：施晓娟`, `责任编辑 王某  版式设计 李某`). They belong
to no article; the page number and date they print are checked against the upload.
"""

from __future__ import annotations

import datetime
import re

from .text import SPACE_RE

_DIGITS = "0-9０-９"
_CN_DIGITS = "一二三四五六七八九十"
_WEEKDAY = r"(?:\s*(?:星期|周|礼拜)[一二三四五六日天])?"
_DATE = rf"[{_DIGITS}]{{4}}\s*年\s*[{_DIGITS}]{{1,2}}\s*月\s*[{_DIGITS}]{{1,2}}\s*日"
# 第4版, 第０４版, 第十二版, and the e-paper's zero-padded 00002版 (never a bare 2版: 2版图书…)
# 第A1版: a lettered section of the paper (A叠 page 1)
_PAGE = rf"(?:第\s*[A-Da-d]?[{_DIGITS}{_CN_DIGITS}]{{1,5}}\s*版|[0０][{_DIGITS}]{{1,4}}\s*版)"
# 第04版：工会, 第4版　1998年1月5日, 00002版：工会, 第１版 要闻 (a section name or the date may follow)
PAGE_BANNER_RE = re.compile(rf"^{_PAGE}(?:\s|$|[：:（(])")
# The e-paper's banner names the page's section: 第04版：工会, 00002版：工会
_EPAPER_BANNER_RE = re.compile(rf"^{_PAGE}\s*[：:]\s*[\u4e00-\u9fff]")
_EDITOR_ROLES = (
    "责任编辑|责编|编辑|美术编辑|美编|版式设计|版式|校对|图片编辑|执行编辑|本版编辑|主编|"
    "美术|版面设计|视觉设计|审校|终审|值班编辑"
)
# 责任编辑：王某 美术编辑：李某 (optionally in brackets, at the top or the foot of a page)
_EDITOR_COLON_RE = re.compile(rf"^[（(]?\s*(?:本版|本期)?(?:{_EDITOR_ROLES})\s*[：:]")
# 责任编辑 王某  版式设计 李某: no colon, so the whole line must be roles and short names
_NAME = r"[\u4e00-\u9fff]{2,4}"  # a person's name, as editor lines give them
_EDITOR_BARE_RE = re.compile(
    rf"^(?:(?:本版|本期)?(?:{_EDITOR_ROLES})\s+{_NAME}(?:\s*[、，,]\s*{_NAME})*\s*)+$"
)
DATE_ONLY_RE = re.compile(rf"^{_DATE}{_WEEKDAY}$")
# 劳动午报 2019年8月12日 星期一, 工人日报 2016年06月17日 星期五, 2019年8月12日 劳动午报
_PAPER = r"[\u4e00-\u9fff·]{0,10}(?:日报|晚报|午报|早报|时报|周报|工人报|导报|商报|报)"
PAPER_DATE_RE = re.compile(
    rf"^(?:{_PAPER}\s*{_DATE}{_WEEKDAY}|{_DATE}{_WEEKDAY}\s*{_PAPER})(?:\s*{_PAGE}.*)?$"
)
# The e-paper readers' headers: 版面：08：文体, 第14289期：第02版　本期出版日期：2025-10-28,
# 出版日期：2008年05月19日, 《工人日报》（2012年03月28日 002版）
_READER_RE = re.compile(
    rf"^(?:版面\s*[：:]\s*[{_DIGITS}A-Da-d]{{1,4}}"
    rf"|第\s*[{_DIGITS}]{{1,6}}\s*期\s*[：:]?\s*{_PAGE}"
    r"|(?:本期)?出版日期\s*[：:]"
    rf"|《[^》]{{2,12}}》\s*[（(][^（）()]*(?:年|版)[^（）()]*[）)]$)"
)
# Lines that are furniture only above the first title block: a bare masthead (劳动午报,
# 甘肃工人报), a page label (头版, 01, A1), an ISO date.
_MASTHEAD_RE = re.compile(rf"^《?{_PAPER}》?$")
_PAGE_LABEL_RE = re.compile(
    rf"^(?:头版|[A-Da-d]?[{_DIGITS}]{{1,3}}|[{_CN_DIGITS}]{{1,3}}版|第?[A-Da-d][{_DIGITS}]{{1,2}}版?)$"
)
_ISO_DATE_RE = re.compile(
    rf"^[{_DIGITS}]{{4}}[-/.][{_DIGITS}]{{1,2}}[-/.][{_DIGITS}]{{1,2}}{_WEEKDAY}$"
)
# 劳动午报 版面：08：文体 -> 文体; 第04版：工会 -> 工会; 第02版　要闻
_SECTION_RE = re.compile(
    rf"(?:{_PAGE}|版面\s*[：:]\s*[{_DIGITS}A-Da-d]{{1,4}})\s*[：:　 ]\s*(?P<s>[\u4e00-\u9fff]{{2,12}})"
)
_PAPER_NAME_RE = re.compile(rf"(?:^|《)(?P<p>{_PAPER})(?:》|\s|$)")
_DATE_PARTS_RE = re.compile(
    rf"(?P<y>[{_DIGITS}]{{4}})\s*年\s*(?P<m>[{_DIGITS}]{{1,2}})\s*月\s*(?P<d>[{_DIGITS}]{{1,2}})\s*日"
)
_PAGE_NUMBER_RE = re.compile(
    rf"(?:^|期\s*[：:]?\s*|日\s*)(?:第\s*[A-Da-d]?(?P<n>[{_DIGITS}{_CN_DIGITS}]{{1,5}})|(?P<z>[{_DIGITS}]{{1,5}}))\s*版"
    rf"|^版面\s*[：:]\s*(?P<v>[{_DIGITS}]{{1,4}})"
)
_MAX_FURNITURE = 80


def is_furniture(line: str) -> bool:
    """Page banner, paper and date, editor credits or a bare date: never part of an article."""
    if len(line) > _MAX_FURNITURE:
        return False
    line = SPACE_RE.sub(" ", line).strip()
    return bool(
        PAGE_BANNER_RE.match(line)
        or PAPER_DATE_RE.match(line)
        or DATE_ONLY_RE.match(line)
        or _EDITOR_COLON_RE.match(line)
        or _EDITOR_BARE_RE.match(line)
        or _READER_RE.match(line)
    )


def is_top_furniture(line: str) -> bool:
    """Furniture above the first title block: also a bare masthead, page label or ISO date,
    which inside the page could be text (the reading from the first body text up decides)."""
    if is_furniture(line):
        return True
    line = SPACE_RE.sub("", line)
    return bool(_MASTHEAD_RE.match(line) or _PAGE_LABEL_RE.match(line) or _ISO_DATE_RE.match(line))


def printed_section(banners: tuple[str, ...] | list[str]) -> str | None:
    """The section a page banner names: 第04版：工会 -> 工会, 版面：08：文体 -> 文体."""
    for banner in banners:
        m = _SECTION_RE.search(SPACE_RE.sub(" ", banner).strip())
        if m and "出版" not in m.group("s"):
            return m.group("s")
    return None


def printed_paper(banners: tuple[str, ...] | list[str]) -> str | None:
    """The paper's name when the furniture prints it: 劳动午报 2019年8月12日 -> 劳动午报."""
    for banner in banners:
        m = _PAPER_NAME_RE.search(SPACE_RE.sub(" ", banner).strip())
        if m and not m.group("p").endswith("出版"):
            return m.group("p")
    return None


def is_epaper_export(banners: tuple[str, ...] | list[str]) -> bool:
    """Does the page come from an e-paper's page export (its 版次 banner names a section)?

    The page's own 版次 banner is the last one stating a page number: the banner nearest the
    articles. Furniture pasted above it (a site's header, another export's 第01版：工会 over the
    四川工人日报 reader's 第13772期：第01版) does not change how the page was set."""
    for banner in reversed(banners):
        line = SPACE_RE.sub(" ", banner).strip()
        if printed_page([line]) is not None:
            return bool(_EPAPER_BANNER_RE.match(line))
    return False


def printed_page(banners: tuple[str, ...] | list[str]) -> int | None:
    """The page number the furniture prints (第04版 -> 4), or None when it prints none."""
    for banner in banners:
        m = _PAGE_NUMBER_RE.search(SPACE_RE.sub(" ", banner).strip())
        if m:
            number = _number(m.group("n") or m.group("z") or m.group("v"))
            if number:
                return number
    for banner in banners:  # a page label alone: 头版, 01 (on the 陕西工人报 reader)
        label = SPACE_RE.sub("", banner)
        if label == "头版":
            return 1
        if label.isdigit() and len(label) <= 3:
            return int(_ascii(label)) or None
    return None


def printed_date(banners: tuple[str, ...] | list[str]) -> datetime.date | None:
    """The issue date the furniture prints (2019年8月12日), or None when it prints none."""
    for banner in banners:
        m = _DATE_PARTS_RE.search(banner)
        if m:
            try:
                return datetime.date(*(int(_ascii(m.group(k))) for k in "ymd"))
            except ValueError:  # 2019年2月30日: a misprint states no date
                continue
    return None


def _ascii(digits: str) -> str:
    return digits.translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def _number(text: str) -> int | None:
    if text[0] in _CN_DIGITS:
        return _chinese_number(text)
    return int(_ascii(text)) or None


def _chinese_number(text: str) -> int | None:
    """一 … 九十九, as page numbers are written (十二, 二十, 二十四)."""
    values = {ch: i for i, ch in enumerate("一二三四五六七八九", start=1)}
    if "十" not in text:
        return values.get(text) if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return None
    return (
        values.get(tens, 1 if not tens else 0) * 10 + (values.get(units, 0) if units else 0) or None
    )
