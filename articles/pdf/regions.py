"""Where each article stands on the printed page: its title lines and paragraphs found among
the PDF's text blocks, by their characters, and their lines' boxes merged into rectangles.

No model and no OCR: a block belongs to the article whose text holds most of the block's
character pairs (so a `.txt` that differs a little from the PDF still finds its place).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from articles.pdf.text import Box

SPACE = re.compile(r"\s+")
ENOUGH = 0.6  # share of a block's character pairs an article must hold to claim it


def _pairs(text: str) -> set[str]:
    text = SPACE.sub("", text)
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def article_regions(
    blocks: Sequence[tuple[str, Sequence[Box]]], articles: Sequence[Sequence[str]]
) -> list[list[Box]]:
    """For each article (its kicker, headline, subheadline and paragraphs), the rectangles
    around the lines of the blocks that belong to it; [] for one not found on the page."""
    texts = [_pairs("".join(parts)) for parts in articles]
    lines: list[list[Box]] = [[] for _ in articles]
    current = 0
    for text, boxes in blocks:
        pairs = _pairs(text)
        if not pairs or not texts:
            continue
        shares = [len(pairs & article) / len(pairs) for article in texts]
        best = max(shares)
        if best < ENOUGH:
            continue  # banners, captions the parse dropped
        # Reading order runs with the articles: on a tie, the one being read or the next.
        ties = [i for i, share in enumerate(shares) if share == best]
        current = min(ties, key=lambda i: (i < current, abs(i - current)))
        lines[current].extend(boxes)
    return [merged(boxes) for boxes in lines]


def merged(boxes: Sequence[Box]) -> list[Box]:
    """Lines one below the other in the same column become one rectangle."""
    rectangles: list[Box] = []
    for box in boxes:
        last = rectangles[-1] if rectangles else None
        if (
            last is not None
            and box.x0 < last.x1
            and last.x0 < box.x1
            and -2 <= box.top - last.bottom <= (box.bottom - box.top) * 1.5
        ):
            rectangles[-1] = last.union(box)
        else:
            rectangles.append(box)
    return rectangles
