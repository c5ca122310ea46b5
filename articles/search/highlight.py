"""Marks query matches in database text: the index stores no text, so haystack cannot."""

from __future__ import annotations

import re
from html import escape

from django.utils.safestring import SafeString, mark_safe

from articles.search.engine.analysis import compact, fold, query_words
from articles.search.engine.query import ParsedQuery


def highlight_terms(query: ParsedQuery) -> list[str]:
    """What the search matched: each phrase, field string and word whole, and a word's jieba
    words, alone or in an OR group.

    Single characters inside longer words are left out: `的` would be marked everywhere.
    """
    terms: list[str] = [compact(text) for text in query.texts("phrases", "titles", "bodies")]
    for word in query.texts("words"):
        terms.append(compact(word))
        terms.extend(compact(part) for part in query_words(word) if len(part) > 1)
    return sorted({term for term in terms if term}, key=lambda term: (-len(term), term))


def _pattern(terms: list[str]) -> re.Pattern[str]:
    # Whitespace in the text may fall between any two characters of a term.
    alternatives = (r"\s*".join(re.escape(char) for char in term) for term in terms)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _marked_here(terms: list[str], folded: str) -> list[str]:
    """The terms to mark in `folded`: a term inside a longer term the text contains is what
    matched only as part of it (a word's jieba words where the whole word is present), so its
    other occurrences are not marked."""
    present = [term for term in terms if _pattern([term]).search(folded)]
    return [
        term for term in present if not any(term != longer and term in longer for longer in present)
    ]


def highlight(text: str, terms: list[str], width: int | None = None) -> SafeString:
    """`text` escaped, with each of `terms` in <mark>; cut to `width` characters around the first
    match, with an ellipsis where text was cut off.

    `terms` come from `highlight_terms`, longest first, so the longest match wins. They are
    found in the text folded to simplified characters (as the index holds it) and marked on
    the same characters of the text as printed: `工会` marks `工會`.
    """
    folded = fold(text)
    terms = _marked_here(terms, folded)
    matches = list(_pattern(terms).finditer(folded)) if terms else []
    start, end = 0, len(text)
    if width is not None and len(text) > width:
        first = matches[0].start() if matches else 0
        start = max(0, min(first - width // 4, len(text) - width))
        end = start + width
    # html.escape, not Django's escape and format_html: a results page marks 40 texts, and
    # their lazy-string wrappers took most of the time. Both escape the same five characters.
    pieces: list[str] = ["…"] if start > 0 else []
    cursor = start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        pieces.append(escape(text[cursor : match.start()]))
        pieces.append(f"<mark>{escape(text[match.start() : match.end()])}</mark>")
        cursor = match.end()
    pieces.append(escape(text[cursor:end]))
    if end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))  # noqa: S308 (every piece of text is escaped above)
