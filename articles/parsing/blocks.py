"""Raw page text -> blocks: the non-empty lines, each with the blank lines above it."""

from __future__ import annotations

from dataclasses import dataclass

from .text import clean_line, normalize_newlines

# Longer lines are cut: no printed paragraph is this long, and it keeps every later step bounded.
MAX_LINE = 20_000
MAX_BLOCKS = 5_000


@dataclass(frozen=True)
class Block:
    """One line of the page; `gap` counts the blank lines before it (3 before a photo item)."""

    text: str
    gap: int
    line: int


def split_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    gap = 0
    for number, raw in enumerate(normalize_newlines(text).split("\n"), start=1):
        line = clean_line(raw[:MAX_LINE])
        if not line:
            gap += 1
            continue
        blocks.append(Block(line, gap if blocks else 0, number))  # leading blank lines mean nothing
        gap = 0
        if len(blocks) >= MAX_BLOCKS:
            break
    return blocks
