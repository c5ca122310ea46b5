"""Which stored article a new parse of its page is, so that an article keeps its id and URL.

Pure functions over articles in the shape of `articles.corrections.parsed_articles` (dicts with
headline and paragraphs). A parser fix moves a column break or a headline line; the article is
still mostly the same words, at about the same place on the page.
"""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher

# Below this, two articles are different articles (see `similarity`).
THRESHOLD = 0.5
# Text this similar, and this long, is the same article whatever its titles say.
SAME_TEXT = 0.9
SAME_TEXT_LENGTH = 50


def _bigrams(text: str) -> Counter:
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def text_similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams: linear in the text, unlike SequenceMatcher."""
    if a == b:
        return 1.0
    x, y = _bigrams(a), _bigrams(b)
    total = x.total() + y.total()
    return 2 * (x & y).total() / total if total else 0.0


def _titles(article: dict) -> str:
    return "".join(article.get(k) or "" for k in ("kicker", "headline", "subheadline"))


def similarity(old: dict, new: dict, same_place: bool = False) -> float:
    """0 (unrelated) to 1 (same titles and text, same place).

    Titles are compared as one string, kicker to subheadline, since a parser fix often moves a
    line between them. The same headline at the same place is the same article whatever a fix
    did to its text; so is the same text (a long enough one) whatever it did to the titles."""
    titles = SequenceMatcher(None, _titles(old), _titles(new)).ratio()
    old_text, new_text = "".join(old["paragraphs"]), "".join(new["paragraphs"])
    # Photos without caption text: the titles are all there is.
    text = text_similarity(old_text, new_text) if old_text or new_text else titles
    score = 0.45 * titles + 0.45 * text + 0.1 * same_place
    if text >= SAME_TEXT and min(len(old_text), len(new_text)) >= SAME_TEXT_LENGTH:
        score = max(score, text)
    return score


def match_articles(old: list[dict], new: list[dict], by_place: bool = True) -> dict[int, int]:
    """{index in new: index in old} for each new article that is an old one; `by_place` when
    the two lists are the same page (index i of one is where index i of the other stood).

    Most similar pairs first; of equally similar ones, the closer positions (two photos both
    headed 图片新闻 keep their order).
    """
    pairs = sorted(
        (
            (similarity(o, n, by_place and i == j), -abs(i - j), -j, i, j)
            for i, o in enumerate(old)
            for j, n in enumerate(new)
        ),
        reverse=True,
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    for score, _, _, i, j in pairs:
        if score < THRESHOLD:
            break
        if j not in matched and i not in used:
            matched[j] = i
            used.add(i)
    return matched
