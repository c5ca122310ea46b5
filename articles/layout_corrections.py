"""Staff corrections of a page's layout, laid over every parse of it: pure Python, no Django.

An editor sees the parse and decides a line's role (版头, 引题, 主题, 副题, 正文, 署名,
图片说明), joins a paragraph a column break split onto the one above, or splits an article in
two at a paragraph that is the next article's headline. Each decision names its line by text,
not by position, so it applies again after a parser change moved things around; one whose line
the new parse no longer has is skipped with a notice (a parser fix that joined the paragraph
itself has nothing left to do).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from articles.parsing import Kind, ParsedArticle, ParsedPage
from articles.parsing.bylines import lead_credits, parse_credit_line, tail_credits
from articles.parsing.organizations import find_organizations

ROLES = {
    "furniture": "版头",
    "kicker": "引题",
    "headline": "主题",
    "subheadline": "副题",
    "body": "正文",
    "byline": "署名",
    "caption": "图片说明",
}
TITLES = ("kicker", "headline", "subheadline")
SKIPPED = "版面校正未能套用"
OPS = ("role", "join", "split")


class LayoutCorrectionError(ValueError):
    """A correction that cannot apply to this parse; the message is for staff, in Chinese."""


@dataclass(frozen=True)
class Block:
    """One line of the parse as the preview shows it, with what can be done to it."""

    text: str
    role: str
    article: int | None  # index of its article; None for page furniture
    paragraph: int | None = None  # index among the article's paragraphs
    credits: tuple[str, ...] = ()  # on the 主题's line: the names its article credits

    @property
    def role_label(self) -> str:
        return ROLES[self.role]

    @property
    def can_join(self) -> bool:
        return bool(self.paragraph)

    @property
    def can_split(self) -> bool:
        return bool(self.paragraph)


def blocks(parsed: ParsedPage) -> list[Block]:
    """The page's lines in reading order: furniture, then each article's titles and text."""
    found = [Block(text, "furniture", None) for text in parsed.banners]
    for k, article in enumerate(parsed.articles):
        names = tuple(dict.fromkeys(c.name for c in article.credits))
        found += [
            Block(getattr(article, r), r, k, credits=names if r == "headline" else ())
            for r in TITLES
            if getattr(article, r)
        ]
        caption = article.kind is Kind.PHOTO
        found += [
            Block(text, "caption" if caption else "body", k, i)
            for i, text in enumerate(article.paragraphs)
        ]
    return found


def corrections_by_article(
    parsed: ParsedPage, layout: Iterable[dict]
) -> tuple[tuple[int | None, dict], ...]:
    """Each correction of `layout` with the index of the article whose line it names in
    `parsed` (the parse it was laid over), or None: a line now page furniture (版头), made a
    credit, or no longer on the page (its notice says so)."""
    lines = blocks(parsed)
    found = []
    for correction in layout:
        text = correction["text"]
        block = next((b for b in lines if b.text == text), None)
        if block is None and correction["op"] == "join":  # joined onto the paragraph above
            block = next((b for b in lines if b.paragraph is not None and text in b.text), None)
        found.append((block.article if block else None, correction))
    return tuple(found)


def check(correction: dict) -> dict:
    """A correction as posted, checked; raises LayoutCorrectionError."""
    op, text, role = correction.get("op"), correction.get("text", ""), correction.get("role", "")
    if op not in OPS or not text or (op == "role") != (role in ROLES):
        raise LayoutCorrectionError("版面校正有误")
    return {"op": op, "text": text, **({"role": role} if op == "role" else {})}


def apply_corrections(
    parsed: ParsedPage, corrections: Iterable[dict]
) -> tuple[ParsedPage, list[str]]:
    """The parse with each correction applied in order, and a notice for each one skipped."""
    notices = []
    for correction in corrections:
        try:
            parsed = apply_correction(parsed, correction)
        except LayoutCorrectionError as error:
            notices.append(f"{SKIPPED}（{error}）{_naming(correction)}")
    return parsed, notices


def without_notices(warnings: Iterable[str], corrections: Iterable[dict]) -> list[str]:
    """`warnings` without the notices that these corrections were skipped (they left)."""
    endings = tuple(_naming(c) for c in corrections)
    return [w for w in warnings if not (w.startswith(SKIPPED) and w.endswith(endings))]


def _naming(correction: dict) -> str:
    return f"：“{correction.get('text', '')[:30]}”"


def with_layout(parsed: ParsedPage, layout: list[dict]) -> ParsedPage:
    """The parse with staff's layout corrections laid over it; skipped ones become warnings."""
    if not layout:
        return parsed
    parsed, notices = apply_corrections(parsed, layout)
    return dataclasses.replace(parsed, warnings=(*parsed.warnings, *notices))


def same_line(a: dict, b: dict) -> bool:
    """Whether two corrections both decide the role of one line (a split makes it a 主题)."""
    return a["op"] != "join" and b["op"] != "join" and a["text"] == b["text"]


def merged_layout(*layouts: Iterable[dict]) -> list[dict]:
    """The corrections of `layouts` in order, each once; a line keeps only its last role."""
    merged: list[dict] = []
    for correction in (c for layout in layouts for c in layout):
        merged = [c for c in merged if c != correction and not same_line(c, correction)]
        merged.append(correction)
    return merged


def corrected_layout(parsed: ParsedPage, layout: list[dict], correction: dict) -> list[dict]:
    """`layout` with `correction` added, checked against `parsed` (the parse without layout):
    it replaces the line's earlier role, and setting a line back to the parse's own role just
    drops the earlier one. Raises LayoutCorrectionError when it cannot apply or changes nothing."""
    correction = check(correction)
    kept = [c for c in layout if not same_line(c, correction)]
    before, _ = apply_corrections(parsed, kept)
    if apply_correction(before, correction) != before:
        return [*kept, correction]
    if len(kept) < len(layout):
        return kept
    if correction["op"] == "role":
        raise LayoutCorrectionError(f"这一行已经是{ROLES[correction['role']]}")
    raise LayoutCorrectionError("这一校正不改变任何内容")


def apply_correction(parsed: ParsedPage, correction: dict) -> ParsedPage:
    correction = check(correction)
    text, op = correction["text"], correction["op"]
    block = next((b for b in blocks(parsed) if b.text == text), None)
    if block is None and op == "join" and any(text in b.text for b in blocks(parsed)):
        return parsed  # the parser joins it itself now
    if block is None:
        raise LayoutCorrectionError("本版已没有这一行")
    if op == "join":
        return _join(parsed, block)
    if op == "split":
        return _set_role(parsed, block, "headline")
    return _set_role(parsed, block, correction["role"])


def _join(parsed: ParsedPage, block: Block) -> ParsedPage:
    if not block.paragraph:
        raise LayoutCorrectionError("只有正文段落可以并入上一段")
    article = parsed.articles[block.article]
    paragraphs = list(article.paragraphs)
    paragraphs[block.paragraph - 1] += paragraphs.pop(block.paragraph)
    return _replace(parsed, block.article, [_rebuilt(article, paragraphs=paragraphs)])


def _set_role(parsed: ParsedPage, block: Block, role: str) -> ParsedPage:
    if role == block.role or (block.role == "caption" and role == "body"):
        if block.role == "caption":  # a photo's text taken for plain news text
            article = parsed.articles[block.article]
            return _replace(parsed, block.article, [_rebuilt(article, kind=Kind.NEWS)])
        return parsed
    if block.article is None:
        return _from_furniture(parsed, block, role)
    article = parsed.articles[block.article]
    if block.paragraph is None:
        return _from_title(parsed, block, article, role)
    return _from_paragraph(parsed, block, article, role)


def _from_furniture(parsed: ParsedPage, block: Block, role: str) -> ParsedPage:
    """The banner just above the first article taken as one of its title lines."""
    first = parsed.articles[0]
    if role not in TITLES:
        raise LayoutCorrectionError("版头只能改为第一篇文章的标题")
    if block.text != parsed.banners[-1]:
        raise LayoutCorrectionError("只有紧挨第一篇文章的那行版头可以改为它的标题")
    lines, current = _title_lines(first)
    lines.insert(0, block.text)
    titles = _retitled(lines, _headline_after(lines, 0, current + 1, role))
    banners = list(parsed.banners)
    banners.remove(block.text)
    parsed = dataclasses.replace(parsed, banners=tuple(banners))
    return _replace(parsed, 0, [_rebuilt(first, **titles)])


def _from_title(parsed: ParsedPage, block: Block, article: ParsedArticle, role: str) -> ParsedPage:
    lines, current = _title_lines(article)
    at = [r for r in TITLES if getattr(article, r)].index(block.role)
    paragraphs = list(article.paragraphs)
    if role in TITLES:
        titles = _retitled(lines, _headline_after(lines, at, current, role))
        return _replace(parsed, block.article, [_rebuilt(article, **titles)])
    if role == "body" and at != len(lines) - 1:
        raise LayoutCorrectionError("只有紧挨正文的最后一行标题可以改为正文")
    if role not in ("body", "furniture"):
        raise LayoutCorrectionError("标题行只能改为其他标题、正文或版头")
    del lines[at]
    if not lines:
        raise LayoutCorrectionError("文章不能没有主题")
    # the 主题 taken away: the line below it moves up to be the 主题, else the line above
    headline = current - 1 if at < current else min(current, len(lines) - 1)
    titles = _retitled(lines, headline)
    if role == "body":
        paragraphs.insert(0, block.text)
    else:
        parsed = dataclasses.replace(parsed, banners=(*parsed.banners, block.text))
    return _replace(parsed, block.article, [_rebuilt(article, paragraphs=paragraphs, **titles)])


def _from_paragraph(
    parsed: ParsedPage, block: Block, article: ParsedArticle, role: str
) -> ParsedPage:
    paragraphs = list(article.paragraphs)
    i = block.paragraph
    if role == "caption":
        return _replace(parsed, block.article, [_rebuilt(article, kind=Kind.PHOTO)])
    if role == "headline" and i > 0:  # the next article starts here
        if i + 1 >= len(paragraphs):
            raise LayoutCorrectionError("新文章在主题之下没有正文")
        first = _rebuilt(article, paragraphs=paragraphs[:i])
        rest = paragraphs[i + 1 :]
        second = _rebuilt(
            ParsedArticle(headline=block.text, paragraphs=()),
            paragraphs=rest,
            credits=(*lead_credits(rest[0]), *tail_credits(rest, photo=False)),
        )
        return _replace(parsed, block.article, [first, second])
    if len(paragraphs) == 1:
        raise LayoutCorrectionError("文章不能没有正文")
    del paragraphs[i]
    if role == "furniture":
        parsed = dataclasses.replace(parsed, banners=(*parsed.banners, block.text))
        return _replace(parsed, block.article, [_rebuilt(article, paragraphs=paragraphs)])
    if role == "byline":
        credits = parse_credit_line(block.text)
        if credits is None:
            raise LayoutCorrectionError("这一行不是署名")
        merged = tuple(dict.fromkeys((*article.credits, *credits)))
        return _replace(
            parsed, block.article, [_rebuilt(article, paragraphs=paragraphs, credits=merged)]
        )
    if i > 0:
        raise LayoutCorrectionError("只有第一段可以改为引题或副题；改为主题则从此处拆分")
    lines, current = _title_lines(article)
    lines.append(block.text)
    titles = _retitled(lines, _headline_after(lines, len(lines) - 1, current, role))
    return _replace(parsed, block.article, [_rebuilt(article, paragraphs=paragraphs, **titles)])


def _title_lines(article: ParsedArticle) -> tuple[list[str], int]:
    """The article's title lines top to bottom, and where its 主题 is among them."""
    lines = [getattr(article, r) for r in TITLES if getattr(article, r)]
    return lines, 1 if article.kicker else 0


def _headline_after(lines: list[str], at: int, current: int, role: str) -> int:
    """Where the 主题 is once lines[at] takes `role` and every line stays in its place: an
    引题 stands above the 主题, a 副题 below it."""
    if role == "headline":
        return at
    if role == "kicker":
        if at > current:
            raise LayoutCorrectionError("引题必须在主题之上；这一行在主题之下")
        if at == current and at + 1 == len(lines):
            raise LayoutCorrectionError("引题之下须有主题；请先把下一行设为主题")
        return current + (at == current)
    if at < current:
        raise LayoutCorrectionError("副题必须在主题之下；这一行在主题之上")
    if at == current == 0:
        raise LayoutCorrectionError("副题之上须有主题；请先把上一行设为主题")
    return current - (at == current)


def _retitled(lines: list[str], headline: int) -> dict:
    """Titles for the lines in their printed order, lines[headline] the 主题: the line above it
    is its 引题, the one below its 副题."""
    above, below = lines[:headline], lines[headline + 1 :]
    if len(above) > 1:
        raise LayoutCorrectionError("主题之上只能有一行引题；请先把多出的一行改为别的角色")
    if len(below) > 1:
        raise LayoutCorrectionError("主题之下只能有一行副题；请先把多出的一行改为别的角色")
    return {
        "kicker": above[0] if above else "",
        "headline": lines[headline],
        "subheadline": below[0] if below else "",
    }


def _rebuilt(article: ParsedArticle, **fields) -> ParsedArticle:
    """The article with `fields` changed and its unions found again in its new text."""
    for name in TITLES:
        if name in fields and name != "headline":
            fields[name] = fields[name] or None  # the parser's "no kicker"
    if "paragraphs" in fields:
        fields["paragraphs"] = tuple(fields["paragraphs"])
    article = dataclasses.replace(article, **fields)
    texts = [t for t in (article.kicker, article.headline, article.subheadline) if t]
    return dataclasses.replace(
        article, organizations=find_organizations([*texts, *article.paragraphs])
    )


def _replace(parsed: ParsedPage, index: int, articles: list[ParsedArticle]) -> ParsedPage:
    return dataclasses.replace(
        parsed, articles=(*parsed.articles[:index], *articles, *parsed.articles[index + 1 :])
    )
