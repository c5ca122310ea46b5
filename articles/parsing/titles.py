"""What a line looks like: a title line, a dateline, a list item (furniture: furniture.py)."""

from __future__ import annotations

import re

from .text import TERMINAL, squeeze

# 本报讯, 本报北京１月５日讯, 据新华社华盛顿１月５日电, 新华社日内瓦（瑞士）１月５日电.
# 中国青年报客户端讯, 中工网讯: a site's dateline.
# Another paper's dateline needs its date (工人日报北京５月３日电): text such as 但地方报纸和电 /
# 视… or 信情报的交流以及电子产品… would match a bare 报…电.
DATELINE_RE = re.compile(
    r"^(?:据|综合)?(?:(?:本报|新华社|中新社)[^，。！？、：:“”\n]{0,30}?[讯电]"
    r"|[\u4e00-\u9fff]{1,8}?(?:日报|晚报|午报|时报|报)(?:客户端|网)?(?:讯|[^，。！？、：:“”\n]{0,30}?日[讯电])"
    r"|(?:本|[0-9０-９\u4e00-\u9fff]{2,6}?)网讯)"
)
# A dateline cut short by a column break: 新华社北京１２月 / ３０日电…
PARTIAL_DATELINE_RE = re.compile(r"^(?:据)?(?:本报|新华社)[^，。]{0,12}?(?:[0-9０-９]|[月日电讯])")
# A closing bracket that holds a dateline, a credit or a picture note ends body text.
NOTE_GROUP_RE = re.compile(r"[（(][^（）()]*(?:电|讯|摄|记者|报道|图片|照片|供稿)[^（）()]*[）)]$")
# A sentence signed off: 祝全市职工新春愉快！（编者）
SIGNED_SENTENCE_RE = re.compile(r"[。！？!?…][）)]?[（(][^（）()]{1,20}[）)]$")
# 一、 ２． （三） ① and numbered captions (２：北京动物园…); ５．２亿 is a number, not an item.
LIST_ITEM_RE = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、．.]|[0-9０-９]{1,2}(?:、|[．.：:](?![0-9０-９]))"
    r"|[（(][一二三四五六七八九十0-9０-９]{1,3}[）)]|[①-⑳])"
)
# 编者按 printed on its own line: the label opens an item's text and is a paragraph of its own
EDITOR_NOTE_RE = re.compile(r"^(?:编者按|编者的话|编后|编者)[：:]?$")
# A column tag opens a headline: 【工会缩影】…, 建外丨… (the tag is part of the title)
COLUMN_TAG_RE = re.compile(r"^(?:【[^【】]{2,8}】|[\u4e00-\u9fff]{2,6}[丨｜|])(?=[^\s])")
# Quotes, exclamations and the like may close a headline; a colon or comma never does.
_TITLE_MAY_END = frozenset("”’」』》！？!?…—－-）)")
_NEVER_ENDS_TITLE = frozenset("：:，,、；;。")
MAX_TITLE = 60


def is_dateline(text: str) -> bool:
    return bool(DATELINE_RE.match(text))


def is_list_item(text: str) -> bool:
    return bool(LIST_ITEM_RE.match(text))


def looks_like_title(
    line: str, *, closing_bracket: bool = True, relaxed: bool = False, single: bool = False
) -> bool:
    """Could this line be a headline, kicker or subheadline, judging by the line alone?

    Body text has sentence stops; a headline is short and never ends on a colon or comma.
    closing_bracket=False rejects lines ending in ）, which under a headline are picture notes.
    relaxed (a byline or dateline follows) accepts questions with commas: 过年回家，谁来做饭？
    single accepts a one-character title, as a cartoon may have.
    """
    text = squeeze(line)
    if not (1 if single else 2) <= len(text) <= MAX_TITLE:
        return False
    if "。" in text or text[-1] in _NEVER_ENDS_TITLE:
        return False
    if text[0] in "（(" and text[-1] in "）)":
        return False
    if is_dateline(text) or PARTIAL_DATELINE_RE.match(text) or is_list_item(text):
        return False
    if NOTE_GROUP_RE.search(text) or SIGNED_SENTENCE_RE.search(text):
        return False
    if text[-1] in TERMINAL:
        if text[-1] not in _TITLE_MAY_END:
            return False
        if not relaxed and (len(text) > 40 or text.count("，") > 1):
            return False
        if not closing_bracket and text[-1] in "）)":
            return False
    return True


def looks_like_slogan(line: str) -> bool:
    """A page slogan: two parallel phrases set apart by a space (深入学习… 奋力开拓…)."""
    parts = line.split()
    return len(parts) >= 2 and all(len(p) >= 4 for p in parts) and not is_dateline(line)
