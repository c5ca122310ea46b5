"""The page around a line: does it repeat the article above, or announce the text below?

A headline names what its article is about, so the lead under it repeats the headline's words
(福州拆“西游记宫”改建绿地 / 环福州名胜左海公园而建的…“西游记宫”…). A column-break fragment is the
opening of one more paragraph of the article above, so its words (a name, a place, a subject)
come from that article (…钱其琛转达了江泽民主席… / 哈桑国王也请钱其琛转达他), and the rest of its
sentence under it seldom repeats them.

Words count by how rare they are in the jieba dictionary: a shared 中国 or 发展 proves little, a
shared name (not in the dictionary at all) a lot. The kind of page matters too: on a page of
wire reports every article opens on a dateline, so a headline without one under it is doubtful.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass

from .dictionary import tokenizer
from .text import is_cjk

Evidence = list[tuple[str, float]]


@dataclass(frozen=True)
class Context:
    """What the page says about a candidate headline beyond the lines next to it."""

    above: str = ""  # the current article so far: its title lines and paragraphs
    below: str = ""  # the next lines, the following one first
    headline: str = ""  # the current article's headline
    after_report: bool = False  # the current article opened on a dateline
    report_page: bool = False  # …and so did every article on the page before it


def context_evidence(line_words: Iterable[str], context: Context) -> Evidence:
    """The topic the line shares with the article above and the text below, and the page."""
    found: Evidence = []
    balance = echo_balance(line_words, context.above, context.below)
    if balance is not None and balance >= 0.3:
        found.append(("repeats the article above", 1.25))
    elif balance is not None and balance >= 0.15:
        found.append(("echoes the article above", 0.75))
    elif balance is not None and balance <= -0.3:
        found.append(("announces the text below", -2.25))
    elif balance is not None and balance <= -0.1:
        found.append(("echoed below", -0.75))
    if context.after_report:
        found.append(("report above", 0.5))  # wire reports each open on a dateline
    if context.report_page:
        found.append(("page of reports", 0.5))
    return found


def echo_balance(line_words: Iterable[str], above: str, below: str) -> float | None:
    """Share of the line's word weight found in `above` minus the share found in `below`.

    Positive: the line repeats the article above (a fragment); negative: it announces the text
    below (a headline). None when the line has no content word to compare.
    """
    words = {w for w in line_words if len(w) >= 2 and all(is_cjk(ch) for ch in w)}
    if not words:  # single characters are mostly grammar
        return None
    weights = {w: word_weight(w) for w in words}
    total = sum(weights.values())
    back = sum(weight for w, weight in weights.items() if w in above)
    ahead = sum(weight for w, weight in weights.items() if w in below)
    return (back - ahead) / total


def word_weight(word: str) -> float:
    """How much a shared word says: the log of how rare it is (names are not in the dictionary)."""
    return math.log(_dictionary_total() / (tokenizer().FREQ.get(word, 0) + 1))


@functools.cache
def _dictionary_total() -> float:
    tok = tokenizer()
    tok.check_initialized()  # FREQ is filled on first use, not when the tokenizer is built
    return float(tok.total)
