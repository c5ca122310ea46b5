"""What staff should look at, in Chinese: a page's notices are read when they are few.

Only what a person can act on is said: text the parser dropped, a byline it saw but could not
read, a picture without its photographer, a paragraph that stops mid-sentence (a column break
left open). A report with no byline at all (本报讯 alone, a commentary) is normal and not said.
"""

from __future__ import annotations

import re

from .bylines import ROLE_RE
from .model import Kind, ParsedArticle, Role
from .text import ends_sentence, squeeze
from .titles import DATELINE_RE, EDITOR_NOTE_RE

_SHOWN = 20
_LABEL = 12  # 编者按 and the like, with spaces around
# A signature closes a commentary without a full stop: …送去清凉。 □费伟华
_SIGNATURE_RE = re.compile(r"[。！？!?…”）)][\s□■]*[\u4e00-\u9fff·]{2,4}$")


def skipped_before_headline(text: str) -> str:
    return f"第一个标题之前的文字未收录：{short(text)}"


def titles_without_text() -> str:
    return "版面上只有标题，没有正文，未收录"


def headline_without_text(headline: str) -> str:
    return f"“{short(headline)}”：标题下没有正文，未收录"


def article_notices(article: ParsedArticle) -> list[str]:
    name = f"“{short(article.headline)}”"
    notes = []
    if article.kind is Kind.NEWS and not article.credits and _states_a_byline(article):
        notes.append(f"{name}：导语中有署名，但未能识别记者或通讯员，请核对")
    if article.kind is Kind.PHOTO and not any(c.role is Role.PHOTOGRAPHER for c in article.credits):
        notes.append(f"{name}：图片新闻没有找到摄影署名")
    for n, paragraph in enumerate(article.paragraphs, start=1):
        if len(paragraph) <= _LABEL and EDITOR_NOTE_RE.match(squeeze(paragraph)):
            continue  # 编者按: a label, not a sentence cut short
        if not ends_sentence(paragraph) and not _SIGNATURE_RE.search(paragraph):
            notes.append(f"{name}：第{n}段在句中结束（…{paragraph[-10:]}），可能有分栏断行未接上")
    return notes


def _states_a_byline(article: ParsedArticle) -> bool:
    """Does the lead name a role (记者, 通讯员) where a byline stands, yet give no credit?"""
    lead = squeeze(article.paragraphs[0])
    dateline = DATELINE_RE.match(lead)
    head = lead[dateline.end() :] if dateline else lead
    return bool(ROLE_RE.search(head[:24])) and (bool(dateline) or head[:1] in "（(")


def short(text: str) -> str:
    text = squeeze(text)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"
