"""Word-level differences between an article as stored and as a new parse would store it, for
the previews (upload, 重新解析) and the commands' --dry-run.

Words are cut by the search's segmenter (rjieba with the parser's dictionary), so a changed
union name or phrase shows as one word replaced, not as scattered characters.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Literal

from articles.search.analysis import segmenter

# Unchanged text kept around each change, in characters; the rest is elided.
CONTEXT = 12
ELISION = "…"


@dataclass(frozen=True)
class Piece:
    op: Literal["same", "ins", "del"]
    text: str


def words(text: str) -> list[str]:
    """The text cut into words; lines stay apart (a paragraph break is a word of its own)."""
    return segmenter().cut(text, False) if text else []


def word_diff(before: str, after: str) -> tuple[Piece, ...]:
    """The pieces that turn `before` into `after`: unchanged, deleted and inserted runs of
    words, each run one piece (a replaced word is its deletion, then its insertion)."""
    old, new = words(before), words(after)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _add(pieces, "same", "".join(old[i1:i2]))
            continue
        _add(pieces, "del", "".join(old[i1:i2]))
        _add(pieces, "ins", "".join(new[j1:j2]))
    return tuple(pieces)


def _add(pieces: list[Piece], op: str, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].op == op:
        pieces[-1] = Piece(op, pieces[-1].text + text)
    else:
        pieces.append(Piece(op, text))


def condensed(pieces: tuple[Piece, ...], context: int = CONTEXT) -> tuple[Piece, ...]:
    """The changes with `context` characters of unchanged text on either side; longer
    unchanged runs are cut with an ellipsis, so a long article's one changed word is found."""
    shown = []
    for n, piece in enumerate(pieces):
        if piece.op == "same":
            first, last = n == 0, n + 1 == len(pieces)
            piece = Piece("same", _cut_middle(piece.text, context, first=first, last=last))
        shown.append(piece)
    return tuple(shown)


def _cut_middle(text: str, context: int, *, first: bool, last: bool) -> str:
    """An unchanged run: its end before the first change, its start after the last, and
    both ends between two changes."""
    if first and last:
        return text
    if first:
        return ELISION + text[-context:] if len(text) > context else text
    if last:
        return text[:context] + ELISION if len(text) > context else text
    if len(text) <= 2 * context:
        return text
    return text[:context] + ELISION + text[-context:]


def as_text(pieces: tuple[Piece, ...]) -> str:
    """The pieces for a terminal, as wdiff prints them: [-deleted-]{+inserted+}."""
    marks = {"same": ("", ""), "del": ("[-", "-]"), "ins": ("{+", "+}")}
    return "".join(f"{marks[p.op][0]}{p.text}{marks[p.op][1]}" for p in pieces)


def title_text(values: dict[str, Any]) -> str:
    """An article's title lines as one text: 引题 / 主题 / 副题."""
    return " / ".join(t for t in (values["kicker"], values["headline"], values["subheadline"]) if t)


def body_text(values: dict[str, Any]) -> str:
    return "\n".join(values["paragraphs"])


@dataclass(frozen=True)
class ArticleDiff:
    """What a new parse changes in an article's titles and text; empty where nothing."""

    title: tuple[Piece, ...]
    body: tuple[Piece, ...]

    @property
    def changed(self) -> bool:
        return bool(self.title or self.body)


def article_diff(before: dict[str, Any], after: dict[str, Any]) -> ArticleDiff:
    """The condensed word diffs of titles and text, each empty when it did not change."""
    title = (
        word_diff(title_text(before), title_text(after))
        if title_text(before) != title_text(after)
        else ()
    )
    body = (
        condensed(word_diff(body_text(before), body_text(after)))
        if body_text(before) != body_text(after)
        else ()
    )
    return ArticleDiff(title, body)
