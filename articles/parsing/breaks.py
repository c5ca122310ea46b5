"""Column breaks: did layout extraction cut a paragraph here, mid-sentence or mid-word?

Extraction cuts a paragraph where a column ends, so the first part ends without punctuation and
may look like a short headline (全年举办不 / 少于100场). Each test below is evidence that the
next block carries on the same sentence; a headline is chosen only when evidence is weak.
"""

from __future__ import annotations

import functools
import re

from .dictionary import tokenizer
from .text import is_cjk, is_digit, squeeze
from .titles import is_dateline

# Chars that leave a phrase open: particles, prepositions, conjunctions, determiners.
_OPEN_END = frozenset(
    "和与及对从把被将就于以并而或也都还又再才曾各每这那其该之是个着得所们为到给让使令比很更在等"
)
# Chars that cannot open a paragraph or a headline: they lean on the word before.
_BOUND_START = frozenset("的地得了着们之所者性化呢吗吧嘛")
_BOUND_WORDS = frozenset(["等", "等等"])  # …副主席蒋文云 / 等出席会议
_EQUAL_WORDS = (
    "平等",
    "均等",
    "相等",
    "同等",
    "对等",
    "高等",
    "中等",
    "初等",
    "上等",
    "优等",
    "头等",
    "一等",
    "二等",
    "三等",
)
_UNIT_START = frozenset("年月日号时分秒万亿元名个人家点％%．.·岁届次米吨亩倍")
_LATIN_RE = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_WINDOW = 6
_PAIR_FREQ = 20


def continuation_score(first: str, second: str) -> float:
    """Evidence (positive) that `second` continues the sentence `first` was cut in."""
    a, b = squeeze(first), squeeze(second)
    if not a or not b:
        return 0.0
    if is_dateline(b):
        return -6.0  # a new report starts: `first` was a headline
    score = 0.0
    if a[-1] == "的":
        score += 3.0
    elif a[-1] in _OPEN_END and (_last_word(a) == a[-1] or _trailing_particle(a)):
        score += 2.5  # 追悔莫及 ends on a word, 以…及 on a particle
    if b[0] in _BOUND_START or _first_word(b) in _BOUND_WORDS:
        score += 3.0
    if is_digit(a[-1]) and is_digit(b[0]):
        score += 4.0  # a number cut in two
    elif _LATIN_RE.match(a[-1]) and _LATIN_RE.match(b[0]):
        score += 4.0  # a Latin word or code cut in two: Ｎ / ＥＣ杯
    elif is_digit(a[-1]) and b[0] in _UNIT_START:
        score += 3.0
    if cuts_word(a, b) or spans_word(a, b):
        score += 4.0
    return score


def spans_word(a: str, b: str) -> bool:
    """True when a dictionary word of three or more characters spans the boundary.

    jieba's best cut may still split it (学校管理 / 体制改革 -> 管理 / 体制, though 管理体制 is a
    word), but two unrelated lines hardly ever join into a longer word.
    """
    if not (is_cjk(a[-1]) and is_cjk(b[0])):
        return False
    freq = tokenizer().FREQ
    return any(
        freq.get(a[-left:] + b[:right], 0) > 0
        for left in range(1, 4)
        for right in range(1, 5)
        if left + right >= 3 and left <= len(a) and right <= len(b)
    )


def pairs_across(first: str, second: str) -> bool:
    """True when the two characters at the cut sit side by side in some common word.

    Weaker than cuts_word: 站 / 起来 (站起) and 股份 / 有限公司 (份有) are pairs that jieba may
    still cut apart, while two unrelated lines seldom meet on a pair found inside a word.
    """
    a, b = squeeze(first)[-1:], squeeze(second)[:1]
    return bool(a and b and is_cjk(a) and is_cjk(b)) and a + b in _word_pairs()


@functools.cache
def _word_pairs() -> frozenset[str]:
    """Character pairs inside dictionary words used at least _PAIR_FREQ times."""
    tok = tokenizer()
    tok.check_initialized()
    return frozenset(
        word[i : i + 2]
        for word, freq in tok.FREQ.items()
        if freq >= _PAIR_FREQ
        for i in range(len(word) - 1)
    )


def _trailing_particle(text: str) -> bool:
    """约翰·史密斯等: jieba may read 斯等 as part of a word, but 等 here is the particle."""
    return text.endswith("等") and not text.endswith(_EQUAL_WORDS)


def _first_word(text: str) -> str:
    words = tokenizer().lcut(text[:_WINDOW], HMM=False)
    return words[0] if words else ""


def _last_word(text: str) -> str:
    words = tokenizer().lcut(text[-_WINDOW:], HMM=False)
    return words[-1] if words else ""


def cuts_word(a: str, b: str) -> bool:
    """True when jieba reads a word across the boundary (统战部部 / 长, 纷纷 / 表示 is not)."""
    if not (is_cjk(a[-1]) and is_cjk(b[0])):
        return False
    left, right = a[-_WINDOW:], b[:_WINDOW]
    pos = 0
    for word in tokenizer().cut(left + right, HMM=False):
        if pos < len(left) < pos + len(word):
            return True
        pos += len(word)
        if pos >= len(left):
            return False
    return False
