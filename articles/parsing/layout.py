"""Blocks -> banners and articles: the page read top to bottom as a small state machine.

An article opens with one to three title lines (kicker, headline, subheadline), may have a byline
line, then paragraphs. A paragraph left open by a column break takes the next block; a block that
looks like a headline starts a new article unless the text says it carries on a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import notices
from .blocks import Block, split_blocks
from .bylines import (
    caption_credits,
    is_bare_name_line,
    is_caption_line,
    lead_credits,
    parse_credit_line,
    tail_credits,
)
from .cohesion import Context
from .errors import NoArticlesError
from .furniture import (
    is_epaper_export,
    is_furniture,
    is_top_furniture,
    printed_date,
    printed_page,
    printed_paper,
    printed_section,
)
from .headlines import DOUBT, headline_doubt, subheadline_doubt
from .model import Credit, Kind, ParsedArticle, ParsedPage, Role
from .organizations import find_organizations
from .text import ends_sentence, squeeze
from .titleblock import is_colon_kicker
from .titlemodel import TitleModel, base_model
from .titles import (
    COLUMN_TAG_RE,
    EDITOR_NOTE_RE,
    PARTIAL_DATELINE_RE,
    is_dateline,
    is_list_item,
    looks_like_slogan,
    looks_like_title,
)

# A picture credit that states its role last: …摄, …摄影报道
_PHOTO_END_RE = re.compile(r"摄(?:影报道|影)?\s*[）)]?$")
# 编者按 on its own line opens an item's text; ——… under a line is its subheadline
_NOTE_LABEL = 12
_SUB_DASH_RE = re.compile(r"^(?:——|－－|--)")
PHOTO_GAP = 2  # blank lines above a picture item (the layout uses three)
_INNER_KICKER = 15  # a kicker inside the page is a name or a topic: 西罗园街道总工会：
# Words of a sentence that introduces a list or a quotation: …走出了一条路子：, 读到了这样几封信：
_LEAD_IN_RE = re.compile(r"了|这样|这些|如下|以下|下列|几[个点条封项]|[是有说道]：")
MAX_HEADLINE = 50


@dataclass
class _Draft:
    titles: list[str]
    photo: bool = False
    paragraphs: list[str] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    byline_line: bool = False
    closed: bool = False
    closing: list[Credit] = field(default_factory=list)  # a closing credit line with no 摄 yet
    below: str = ""  # the line under the titles: a byline or the first paragraph
    captions: list[str] = field(default_factory=list)  # picture captions under the titles
    headline: str | None = None  # the headline read once the text began, for its topic


def parse_page(
    text: str, *, model: TitleModel | None = None, paper: str | None = None
) -> ParsedPage:
    """Turn one page of text into banners and articles; see the package docstring.

    model reads the title blocks (default: the shipped one); paper names the paper that printed
    the page, for the model's overlay of that paper (default: the name the banner prints)."""
    model = model or base_model()
    blocks = split_blocks(text)
    banners: list[str] = []
    warnings: list[str] = []
    drafts: list[_Draft] = []
    top: list[Block] = []  # the lines above the first body text: furniture, then titles
    furniture = [is_furniture(b.text) for b in blocks]  # each line once, not per look-ahead
    for i, block in enumerate(blocks):
        following = [b for j, b in enumerate(blocks[i + 1 : i + 4], i + 1) if not furniture[j]]
        nxt = following[0] if following else None
        if drafts:
            if furniture[i]:
                banners.append(block.text)
            else:
                _read(block, following, drafts, model)
        elif (
            furniture[i] or is_top_furniture(block.text) or _opens_page(block, nxt, _title_run(top))
        ):
            top.append(block)
        elif _title_run(top):
            drafts.append(_first_draft(top, banners))
            _read(block, following, drafts, model)
        elif parse_credit_line(block.text) is None:
            warnings.append(notices.skipped_before_headline(block.text))
    if not drafts:
        banners.extend(b.text for b in top if _is_top_furniture(b))
    if not drafts and _title_run(top):
        warnings.append(notices.titles_without_text())
    articles = []
    epaper = is_epaper_export(banners)
    paper = paper or printed_paper(banners)
    for draft in drafts:
        article = _finish(draft, warnings, model=model, epaper=epaper, paper=paper)
        if article is not None:
            articles.append(article)
    if not articles:
        raise NoArticlesError("没有找到文章：版面上没有标题下跟着正文的内容")
    return ParsedPage(
        tuple(banners),
        tuple(articles),
        tuple(warnings),
        printed_page=printed_page(banners),
        printed_date=printed_date(banners),
        paper=paper,
        section=printed_section(banners),
    )


def _opens_page(block: Block, nxt: Block | None, top: list[Block]) -> bool:
    """Is this line one of the banner and title lines at the top of the page?"""
    if nxt is None or parse_credit_line(block.text) is not None:
        return False
    if top and is_bare_name_line(block.text) and _text_follows(nxt):
        return False  # □刘冰, 李海 under the titles: a byline line
    if not top:  # nothing above to carry on from: a headline-shaped line is a headline
        if is_colon_kicker(block.text):
            return looks_like_title(nxt.text)
        return looks_like_title(block.text, relaxed=_title_follows(nxt))
    return _more_titles([b.text for b in top], block, nxt, limit=6)


def _is_top_furniture(block: Block) -> bool:
    return is_top_furniture(block.text)


def _title_run(top: list[Block]) -> list[Block]:
    """The lines at the bottom of `top` that may be titles: those below its last furniture."""
    run: list[Block] = []
    for block in reversed(top):
        if _is_top_furniture(block):
            break
        run.insert(0, block)
    return run


def _first_draft(top: list[Block], banners: list[str]) -> _Draft:
    """Split the lines above the first body text into page banners and the first title block.

    The page is read from its first body text upward: the title block is the one to three
    lines right above it, and every line above those is furniture, whatever its form."""
    run = _title_run(top)
    titles = run[-3:]
    if len(titles) == 3 and looks_like_slogan(titles[0].text):
        titles.pop(0)
    first = top.index(titles[0])
    banners.extend(b.text for b in top[:first])
    return _Draft([b.text for b in titles], photo=titles[0].gap >= PHOTO_GAP)


def _read(block: Block, following: list[Block], drafts: list[_Draft], model: TitleModel) -> None:
    nxt = following[0] if following else None
    draft = drafts[-1]
    credits = parse_credit_line(block.text)
    if not draft.paragraphs:
        if block.gap >= PHOTO_GAP and _starts_article("", block, nxt):
            _abandon(drafts)  # the lines above were no headline: a picture item starts here
            drafts.append(_Draft([block.text], photo=True))
        elif credits is not None:
            draft.credits.extend(credits)
            draft.byline_line = True
            draft.below = draft.below or block.text
            # 本报记者 崔欣 摄影报道 makes a picture item; 文/本报记者 A 摄影/B a written one
            draft.photo = draft.photo or all(c.role is Role.PHOTOGRAPHER for c in credits)
        elif draft.titles and is_caption_line(block.text):
            draft.captions.append(block.text)  # neither a title nor text; its 摄 name credits
        elif not draft.byline_line and is_bare_name_line(block.text) and _text_follows(nxt):
            draft.byline_line = True  # □刘冰, 李海: names with no role give no credit
        elif not draft.byline_line and _more_titles(draft.titles, block, nxt, limit=3):
            draft.titles.append(block.text)
        else:
            draft.paragraphs.append(block.text)
            draft.below = draft.below or block.text
        return
    if credits is not None and (draft.photo or block.text[:1] not in "（("):
        # a picture credit closes the item; in a news report a bracketed one is a caption
        photo = _has_photographer(credits)
        # 记者周金友、洪菡婷 / 通讯员张晓燕 摄影报道: one picture credit over two lines; but
        # 记者：邓霞 / 摄影：石家豪 states each role, and the story is a text with a picture
        merged = photo and bool(draft.closing) and bool(_PHOTO_END_RE.search(block.text))
        if merged:
            draft.credits = [c for c in draft.credits if c not in draft.closing]
            draft.credits.extend(Credit(c.name, Role.PHOTOGRAPHER) for c in draft.closing)
        text_credit = bool(draft.closing) and not merged
        draft.closing = [] if photo else list(credits)
        draft.credits.extend(credits)
        draft.photo = draft.photo or (photo and not text_credit)
        draft.closed = True
        return
    last = draft.paragraphs[-1]
    cut = not draft.closed and not ends_sentence(last) and block.gap < PHOTO_GAP
    # 编者按 stands as its own paragraph (only a short paragraph can be the label)
    cut = cut and not _is_note_label(last)
    fresh = is_list_item(block.text) or is_dateline(block.text)
    if cut and not fresh and not (nxt and _title_follows(nxt) and looks_like_title(block.text)):
        draft.paragraphs[-1] = last + block.text  # a column break: the paragraph goes on
        return
    if _opens_with_kicker(block, following) or _starts_article(
        last, block, nxt, context=lambda: _context(drafts, following, model)
    ):
        drafts.append(_Draft([block.text], photo=block.gap >= PHOTO_GAP))
    else:
        draft.paragraphs.append(block.text)


def _abandon(drafts: list[_Draft]) -> None:
    """Give the title lines of a draft without text back to the article above, as text."""
    empty = drafts.pop()
    if drafts:
        drafts[-1].paragraphs.extend(empty.titles)


def _more_titles(titles: list[str], block: Block, nxt: Block | None, *, limit: int) -> bool:
    """Another title line (subheadline, or headline under a kicker), not the first paragraph.

    A third line needs a byline or dateline after it: kicker + headline + subheadline.
    """
    if len(titles) >= limit or block.gap >= PHOTO_GAP or nxt is None:
        return False
    if _is_note_label(block.text):
        return False  # 编者按 opens the text
    if is_colon_kicker(titles[-1]):  # 西罗园街道总工会： / 做职工最坚强的后盾
        return looks_like_title(block.text, relaxed=True)
    if _SUB_DASH_RE.match(block.text.lstrip()):  # ——… under the titles is their subheadline
        return looks_like_title(block.text, relaxed=True)
    strong = _title_follows(nxt)
    if not looks_like_title(block.text, closing_bracket=False, relaxed=strong):
        return False
    if strong:
        return True
    return len(titles) < 2 and subheadline_doubt(block.text, nxt.text) < DOUBT


def _opens_with_kicker(block: Block, following: list[Block]) -> bool:
    """A kicker closed by a colon over a headline, with text under both."""
    if not is_colon_kicker(block.text) or len(following) < 2:
        return False
    if len(squeeze(block.text)) > _INNER_KICKER or _LEAD_IN_RE.search(block.text):
        return False  # 我读到了这样几封信： introduces what follows inside the article
    headline, text = following[0], following[1]
    if headline.text[:1] in "—－-" or not looks_like_title(headline.text):
        return False
    return not looks_like_title(text.text)


def _text_follows(nxt: Block | None) -> bool:
    """Body text comes next (a line no title could be), or a picture caption above it."""
    return nxt is not None and (not looks_like_title(nxt.text) or is_caption_line(nxt.text))


def _title_follows(nxt: Block) -> bool:
    """A dateline, a byline line, a `——` subheadline or an editor's-note label (编者按) comes
    only under a headline."""
    if _is_note_label(nxt.text) or (
        _SUB_DASH_RE.match(nxt.text.lstrip()) and looks_like_title(nxt.text)
    ):
        return True
    if is_dateline(nxt.text) or PARTIAL_DATELINE_RE.match(nxt.text):
        return True  # a dateline, maybe cut short by a column break: 本报北京１月８日 / 电…
    byline = parse_credit_line(nxt.text)
    return bool(byline) and not _has_photographer(byline)


def _starts_article(
    previous: str,
    block: Block,
    nxt: Block | None,
    *,
    context: Callable[[], Context] | None = None,
) -> bool:
    """Does a headline start here? It needs text under it, a headline's shape, and no sign
    that it carries on into the next block. context is built only when the line is in doubt."""
    if nxt is None:  # `following` never holds furniture
        return False
    strong = _title_follows(nxt) or bool(COLUMN_TAG_RE.match(block.text.lstrip()))
    shaped = looks_like_title(block.text, relaxed=strong, single=block.gap >= PHOTO_GAP)
    if not shaped or len(squeeze(block.text)) > MAX_HEADLINE:
        return False
    if block.gap >= PHOTO_GAP or strong:
        return True
    doubt = headline_doubt(
        previous,
        block.text,
        nxt.text,
        sub_possible=nxt.gap < PHOTO_GAP,
        context=context() if context else None,
    )
    return doubt < DOUBT


def _context(drafts: list[_Draft], following: list[Block], model: TitleModel) -> Context:
    """The current article and the lines below, for the topic and genre they share."""
    draft = drafts[-1]
    reports = [bool(d.paragraphs) and is_dateline(d.paragraphs[0]) for d in drafts]
    return Context(
        above="".join(draft.titles + draft.paragraphs),
        below="\n".join(b.text for b in following[:2]),
        headline=_headline(draft, model),
        after_report=reports[-1],
        report_page=len(reports) >= 2 and all(reports),
    )


def _headline(draft: _Draft, model: TitleModel) -> str:
    """The draft's headline as a topic cue; its titles are settled once its text began."""
    if draft.headline is None:
        draft.headline = model.read(draft.titles).headline
    return draft.headline


def _finish(
    draft: _Draft, warnings: list[str], *, model: TitleModel, epaper: bool, paper: str | None
) -> ParsedArticle | None:
    reading = model.read(draft.titles, below=draft.below, epaper=epaper, paper=paper)
    kicker, headline, subheadline = reading.kicker, reading.headline, reading.subheadline
    if not draft.paragraphs:
        warnings.append(notices.headline_without_text(headline))
        return None
    kind = Kind.PHOTO if draft.photo else Kind.NEWS
    if reading.doubt:
        warnings.append(reading.doubt)
    credits = [
        *_lead_credits(draft.paragraphs),
        *(c for caption in (*draft.captions, *reading.captions) for c in caption_credits(caption)),
        *draft.credits,
        *tail_credits(draft.paragraphs, photo=kind is Kind.PHOTO),
    ]
    credits = list(dict.fromkeys(credits))
    texts = [t for t in (kicker, headline, subheadline) if t] + draft.paragraphs
    article = ParsedArticle(
        headline=headline,
        paragraphs=tuple(draft.paragraphs),
        kicker=kicker,
        subheadline=subheadline,
        kind=kind,
        credits=tuple(credits),
        organizations=find_organizations(texts),
    )
    warnings.extend(notices.article_notices(article))
    return article


def _lead_credits(paragraphs: list[str]) -> tuple[Credit, ...]:
    """The byline of the dateline that opens the text: in paragraph 1, or in paragraph 2 under
    a lead-in paragraph (南方工报讯 （全媒体记者林婷玉 通讯员曹俊峰） opening paragraph 2)."""
    found = lead_credits(paragraphs[0])
    if is_dateline(paragraphs[0]):
        return found  # two dispatches (新华社…电 / 本报…电记者 X): the first one's byline holds
    lead_in = paragraphs[0].rstrip()[-1:] in "。！？…"  # a sentence, not a display line's note
    if not found and lead_in and len(paragraphs) > 1 and is_dateline(paragraphs[1]):
        return lead_credits(paragraphs[1])
    return found


def _is_note_label(text: str) -> bool:
    """编者按 alone on its line (only a short line can be the label: no squeeze of long text)."""
    return len(text) <= _NOTE_LABEL and bool(EDITOR_NOTE_RE.match(squeeze(text)))


def _has_photographer(credits: tuple[Credit, ...]) -> bool:
    return any(c.role is Role.PHOTOGRAPHER for c in credits)
