"""Which stored article a new parse of its page is, so that an article keeps its id and URL.

Pure functions over articles in the shape of `articles.ingest.parsed_articles` (dicts with
headline and paragraphs). A parser fix moves a column break or a headline line; the article is
still mostly the same words, at about the same place on the page.
"""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher

# Below this, two articles are different articles (see `similarity`).
THRESHOLD = 0.5


def _bigrams(text: str) -> Counter:
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def text_similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams: linear in the text, unlike SequenceMatcher."""
    if a == b:
        return 1.0
    x, y = _bigrams(a), _bigrams(b)
    total = x.total() + y.total()
    return 2 * (x & y).total() / total if total else 0.0


def similarity(old: dict, new: dict, same_place: bool = False) -> float:
    """0 (unrelated) to 1 (same headline and text, same place): the same headline at the same
    place, or the same text there, is the same article whatever else a parser fix changed."""
    headline = SequenceMatcher(None, old["headline"], new["headline"]).ratio()
    old_text, new_text = "".join(old["paragraphs"]), "".join(new["paragraphs"])
    # Photos without caption text: the headline is all there is.
    text = text_similarity(old_text, new_text) if old_text or new_text else headline
    return 0.45 * headline + 0.45 * text + 0.1 * same_place


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
