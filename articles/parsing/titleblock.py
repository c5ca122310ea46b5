"""A title block's lines -> kicker (引题), headline (主题), subheadline (副题).

One or two lines are ambiguous on their own: 主题 over 副题 and 引题 over 主题 look alike. What
decides is the shape of the whole block and the page's own convention:

- `——` opens a subheadline; a colon closes a kicker (西罗园街道总工会：); a union's name alone
  above a line is a kicker.
- A line that is only a subject (北京经济技术开发区1700余名职工) over a short predicate (健走展风采)
  is one headline printed over two lines.
- An e-paper export (its banner names a section: 第04版：工会) titles an article by the main title
  of its page navigation, and two lines there are most often kicker + headline, unless the first
  is clearly the shorter (让梦想触手可及 / 金华市总工会开展困难职工子女扶志活动): the short line is
  the headline and the long one explains it. Print-layout pages (the seed, 第4版　1998年1月5日)
  set headline over subheadline.
"""

from __future__ import annotations

import functools
import re

from .grammar import tagged
from .text import squeeze

# 引题 ending in a colon: 西罗园街道总工会：, 聚焦两会：
_KICKER_END = frozenset("：:")
_KICKER_MIN, _KICKER_MAX = 5, 20
_SENTENCE_RE = re.compile(r"[，。！？；,;!?：:“”\"].")
_DASH_RE = re.compile(r"^(?:—|－|-){1,3}")
# A union's name alone: 西罗园街道总工会, 北京市工业（国防）工会, 朝阳区总工会女职工委员会
_UNION_LINE_RE = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,24}(?:工会|总工会|工会委员会|工会联合会|工委|女职工委员会)$"
)
_SHORTER = 0.75  # the headline of an e-paper's headline + subheadline is at most this long
_CONTINUATION = 8  # the second line of a headline printed over two lines is short
_SUBJECT = 8  # …and the first line is a whole subject
_NOUNS = frozenset(["n", "nr", "ns", "nt", "nz", "m", "eng", "q"])


def title_roles(lines: list[str], *, epaper: bool) -> tuple[str | None, str, str | None]:
    """(kicker, headline, subheadline) of one title block of 1 to 3 lines."""
    if len(lines) >= 3:
        return lines[0], lines[1], lines[2]
    if len(lines) == 1:
        return None, lines[0], None
    first, second = lines
    if _DASH_RE.match(second):
        return None, first, second
    if squeeze(first)[-1] in _KICKER_END or _UNION_LINE_RE.match(squeeze(first)):
        return first, second, None
    if is_split_headline(first, second):
        return None, join_headline(first, second), None
    if epaper and len(squeeze(first)) >= _SHORTER * len(squeeze(second)):
        return first, second, None
    return None, first, second


def is_colon_kicker(line: str) -> bool:
    """西罗园街道总工会：, 聚焦两会： — a short lead-in line closed by a colon, no sentence
    (four characters at least: 图片：, 附图： and the like label a picture)."""
    text = squeeze(line)
    if not _KICKER_MIN <= len(text) <= _KICKER_MAX or text[-1] not in _KICKER_END:
        return False
    # 同胞们、朋友们： and 读者： address people; a kicker never lists with 、
    return not (_SENTENCE_RE.search(text) or "、" in text or text[-2] in "们者")


@functools.lru_cache(maxsize=4096)  # the layout and the title model both ask about a pair
def is_split_headline(first: str, second: str) -> bool:
    """北京经济技术开发区1700余名职工 / 健走展风采: a subject with no predicate over a short line
    that supplies it."""
    top, bottom = squeeze(first), squeeze(second)
    if len(top) < _SUBJECT or len(bottom) > _CONTINUATION or " " in first.strip():
        return False
    if bottom[0] in "“「《（(" or top[-1] in "”」》）)！？!?…":
        return False
    words = tagged(top)
    if not words or words[-1][1] not in _NOUNS:
        return False
    return not any(flag.startswith("v") or flag in ("i", "l", "p") for _, flag in words)


def join_headline(first: str, second: str) -> str:
    """The two printed lines of one headline as one line (no space between CJK lines)."""
    return first.strip() + second.strip()
