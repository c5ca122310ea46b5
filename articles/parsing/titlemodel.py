"""Title-block roles by a small learned model: each line a kicker, headline, subheadline or caption.

One or two lines above a text are ambiguous on their own (引题 over 主题 and 主题 over 副题 look
alike; a union's name above a line is a kicker on one paper and the first half of a two-line
headline on another), so a multinomial logistic regression scores every line from features that
carry across papers: length and position in the block, punctuation, dashes and colons, the shape
of the neighbouring lines and of the line under the block (byline, dateline, text), picture-credit
cues and character n-grams. The block's reading is the valid sequence of roles with the highest
summed log-probability; two lines read as headline + headline are one headline printed over two.

The shipped weights (data/title_model.bin) are fitted by `python -m articles.parsing.training`
on the corpus's title blocks and the devset's; a paper's own examples (an editor's confirmed
corrections) fit an overlay used only for that paper's pages, on top of the shipped weights.
Features are hashed with crc32 and fitting is plain full-batch gradient descent from zero, so
the same examples give the same bytes on every run.
"""

from __future__ import annotations

import functools
import math
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .bylines import parse_credit_line
from .text import squeeze
from .titleblock import is_colon_kicker, is_split_headline, title_roles
from .titles import is_dateline

ROLES = ("kicker", "headline", "subheadline", "caption")
_K, _H, _S, _C = range(4)
# The readings a block of n lines may have (H H = one headline printed over two lines).
SEQUENCES = {
    1: [(_H,)],
    2: [(_K, _H), (_H, _S), (_H, _H), (_H, _C)],
    3: [(_K, _H, _S), (_H, _H, _S), (_K, _H, _H), (_K, _H, _C), (_H, _S, _C), (_H, _H, _C)],
}
DIM = 1 << 14
MODEL_PATH = Path(__file__).resolve().parent / "data" / "title_model.bin"
# A reading is in doubt when the runner-up is at least this likely relative to it.
DOUBT_RATIO = 0.5
_ITERATIONS, _RATE, _L2 = 300, 2.0, 1e-4
_OVERLAY_ITERATIONS, _OVERLAY_L2, _OVERLAY_WEIGHT = 300, 1e-3, 1.0

_NGRAMS = True
PRIOR = 4.0  # the hand-written reading's log-odds for the role it gives
_DASH_RE = re.compile(r"^(?:—|－|-){1,3}")
_UNION_LINE_RE = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,24}(?:工会|总工会|工会委员会|工会联合会|工委|女职工委员会)$"
)
_PHOTO_RE = re.compile(r"摄|/图|供图|▶|图为")
_QUESTIONS = {
    frozenset({_K, _H}): "是引题还是主题",
    frozenset({_H, _S}): "是主题还是副题",
    frozenset({_K, _S}): "是引题还是副题",
}


@dataclass(frozen=True)
class TitleExample:
    """One title block as printed, with each line's role (kicker, headline, subheadline, caption)."""

    lines: tuple[str, ...]
    roles: tuple[str, ...]
    below: str = ""  # the line under the block: a byline, a dateline or the first paragraph
    epaper: bool = False  # the page banner names a section (第04版：工会)
    weight: float = 1.0  # how much the example counts beside the others


@dataclass(frozen=True)
class Reading:
    """The roles a model gives one title block; doubt is a notice for staff, or None."""

    kicker: str | None
    headline: str
    subheadline: str | None
    captions: tuple[str, ...] = ()
    doubt: str | None = None


def _bucket(n: int, size: int, top: int) -> int:
    return min(n // size, top)


def _shape(text: str) -> list[str]:
    """Features of one line's shape, shared by the line and its neighbours."""
    t = squeeze(text)
    if not t:
        return ["empty"]
    feats = [f"len{_bucket(len(t), 3, 12)}", f"last:{_kind(t[-1])}", f"first:{_kind(t[0])}"]
    if _DASH_RE.match(t):
        feats.append("dash")
    if is_colon_kicker(t):
        feats.append("colonkicker")
    if _UNION_LINE_RE.match(t):
        feats.append("unionline")
    if " " in text.strip() or "\u3000" in text.strip():
        feats.append("space")
    if _PHOTO_RE.search(t):
        feats.append("photo")
    if "，" in t or "," in t:
        feats.append("comma")
    if any(q in t for q in '“”"「」'):
        feats.append("quote")
    return feats


def _kind(ch: str) -> str:
    if ch.isdigit():
        return "digit"
    if "\u4e00" <= ch <= "\u9fff":
        return "han"
    return ch if ch in "“”！？…—－-：:（）()《》【】▶·丨|" else "other"


def _below_kind(below: str) -> str:
    if not below:
        return "none"
    if is_dateline(squeeze(below)):
        return "dateline"
    credits = parse_credit_line(below)
    if credits:
        return "photocredit" if any(c.role == "photographer" for c in credits) else "byline"
    t = squeeze(below)
    return "short" if len(t) <= 8 and "。" not in t else "text"


@functools.lru_cache(maxsize=4096)
def line_features(lines: tuple[str, ...], i: int, below: str, epaper: bool) -> tuple[int, ...]:
    """The hashed features of line i of a title block."""
    n = len(lines)
    where = f"{i}/{n}"
    text = squeeze(lines[i])
    shape = _shape(lines[i])
    names = ["bias", f"at{where}", f"epaper{epaper}@{where}", f"below:{_below_kind(below)}@{where}"]
    names += shape + [f"{s}@{where}" for s in shape]
    for side, j in (("prev", i - 1), ("next", i + 1)):
        if 0 <= j < n:
            other = squeeze(lines[j])
            names += [f"{side}:{s}@{where}" for s in _shape(lines[j])]
            ratio = len(text) / max(len(other), 1)
            names.append(f"{side}ratio{_bucket(int(ratio * 4), 1, 8)}@{where}")
    if i + 1 < n and is_split_headline(lines[i], lines[i + 1]):
        names.append(f"splits_with_next@{where}")
    if i > 0 and is_split_headline(lines[i - 1], lines[i]):
        names.append(f"splits_with_prev@{where}")
    if _NGRAMS:
        names += [f"head:{text[:2]}", f"tail:{text[-2:]}", f"tail1:{text[-1:]}"]
        names += [f"bi:{text[k : k + 2]}" for k in range(len(text) - 1)]
    # every feature is read per block size: a three-line block is no two-line one plus a line
    return tuple(sorted({zlib.crc32(f"{name}#{n}".encode()) % DIM for name in names}))


@functools.lru_cache(maxsize=1024)
def _rule_roles(lines: tuple[str, ...], epaper: bool) -> tuple[str, ...]:
    """The hand-written reading of titleblock.py, line by line: the prior the model departs from."""
    kicker, _, subheadline = title_roles(list(lines), epaper=epaper)
    roles = []
    for line in lines:
        if line == kicker:
            roles.append("kicker")
        elif line == subheadline:
            roles.append("subheadline")
        else:
            roles.append("headline")
    return tuple(roles)


def _prior(lines: tuple[str, ...], epaper: bool) -> np.ndarray:
    """Log-odds the hand-written reading gives each line's role; the weights learn departures."""
    prior = np.zeros((len(lines), len(ROLES)))
    for i, role in enumerate(_rule_roles(lines, epaper)):
        prior[i, ROLES.index(role)] = PRIOR
    return prior


def _rows(
    examples: Iterable[TitleExample],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Examples -> (row of each feature, feature index, role per row, weight per row, prior)."""
    rows, cols, targets, weights, priors = [], [], [], [], []
    for example in examples:
        lines = tuple(example.lines)
        if len(lines) < 2:
            continue  # one line has one reading: it decides nothing and would only teach a bias
        for i, role in enumerate(example.roles):
            feats = line_features(lines, i, example.below, example.epaper)
            rows += [len(targets)] * len(feats)
            cols += feats
            targets.append(ROLES.index(role))
            weights.append(example.weight)
        priors.append(_prior(lines, example.epaper))
    return (
        np.asarray(rows, dtype=np.int64),
        np.asarray(cols, dtype=np.int64),
        np.asarray(targets, dtype=np.int64),
        np.asarray(weights, dtype=np.float64),
        np.concatenate(priors) if priors else np.zeros((0, len(ROLES))),
    )


def _logits(weights: np.ndarray, rows: np.ndarray, cols: np.ndarray, count: int) -> np.ndarray:
    return np.stack(
        [np.bincount(rows, weights=weights[cols, c], minlength=count) for c in range(len(ROLES))],
        axis=1,
    )


def _descend(
    rows: np.ndarray,
    cols: np.ndarray,
    targets: np.ndarray,
    sample_weights: np.ndarray,
    *,
    offset: np.ndarray | None,
    iterations: int,
    l2: float,
) -> np.ndarray:
    """Softmax regression by full-batch gradient descent from zero: deterministic."""
    weights = np.zeros((DIM, len(ROLES)))
    count = len(targets)
    if count == 0:
        return weights
    share = (sample_weights / sample_weights.sum())[:, None]
    # a step no longer than the curvature allows: a few rows with many features each (an
    # overlay of one paper's examples) would otherwise overshoot and swing back and forth
    nnz = np.bincount(rows, minlength=count).max()
    rate = min(_RATE, 1.0 / (0.5 * nnz * share.max()))
    truth = np.eye(len(ROLES))[targets]
    for _ in range(iterations):
        logits = _logits(weights, rows, cols, count)
        logits = logits + offset
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        error = (p - truth) * share
        grad = np.stack(
            [np.bincount(cols, weights=error[rows, c], minlength=DIM) for c in range(len(ROLES))],
            axis=1,
        )
        weights -= rate * (grad + l2 * weights)
    return weights


@dataclass(frozen=True)
class TitleModel:
    """Shipped weights, plus per-paper overlays fitted on that paper's own examples."""

    weights: np.ndarray
    overlays: Mapping[str, np.ndarray] = field(default_factory=dict)
    examples: Mapping[str, tuple[TitleExample, ...]] = field(default_factory=dict)

    @classmethod
    def fit(cls, examples: Iterable[TitleExample]) -> TitleModel:
        rows, cols, targets, sample_weights, prior = _rows(examples)
        weights = _descend(
            rows, cols, targets, sample_weights, offset=prior, iterations=_ITERATIONS, l2=_L2
        )
        return cls(weights.astype(np.float32))

    def with_examples(self, paper: str, examples: Iterable[TitleExample]) -> TitleModel:
        """A model that also knows `paper`'s habits: its examples (those given before too) fit
        an overlay read only on that paper's pages; every other paper reads as before."""
        known = (*self.examples.get(paper, ()), *examples)
        rows, cols, targets, sample_weights, prior = _rows(known)
        offset = prior + _logits(self.weights.astype(np.float64), rows, cols, len(targets))
        overlay = _descend(
            rows,
            cols,
            targets,
            sample_weights,
            offset=offset,
            iterations=_OVERLAY_ITERATIONS,
            l2=_OVERLAY_L2,
        )
        return TitleModel(
            self.weights,
            {**self.overlays, paper: (_OVERLAY_WEIGHT * overlay).astype(np.float32)},
            {**self.examples, paper: known},
        )

    def read(
        self, lines: list[str], *, below: str = "", epaper: bool = False, paper: str | None = None
    ) -> Reading:
        """The roles of a block of 1 to 3 title lines (more: the first ones are dropped)."""
        block = tuple(lines[-3:])
        if len(block) == 1:  # one line has one reading
            return Reading(None, block[0], None)
        weights = self.weights
        if paper in self.overlays:
            weights = weights + self.overlays[paper]
        logp = []
        prior = _prior(block, epaper)
        for i in range(len(block)):
            feats = np.asarray(line_features(block, i, below, epaper), dtype=np.int64)
            scores = weights[feats].sum(axis=0).astype(np.float64) + prior[i]
            scores -= scores.max()
            logp.append(scores - math.log(np.exp(scores).sum()))
        ranked = sorted(
            SEQUENCES[len(block)],
            key=lambda seq: -sum(logp[i][r] for i, r in enumerate(seq)),
        )
        best = ranked[0]
        doubt = None
        if len(ranked) > 1:
            gap = sum(logp[i][r] for i, r in enumerate(best)) - sum(
                logp[i][r] for i, r in enumerate(ranked[1])
            )
            if gap < -math.log(DOUBT_RATIO):
                doubt = _question(block, best, ranked[1])
        return _reading(block, best, doubt)

    def to_bytes(self) -> bytes:
        return self.weights.astype("<f4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> TitleModel:
        return cls(np.frombuffer(data, dtype="<f4").reshape(DIM, len(ROLES)).astype(np.float32))


def _question(block: tuple[str, ...], best: tuple[int, ...], other: tuple[int, ...]) -> str | None:
    for line, a, b in zip(block, best, other, strict=True):
        if a != b:
            question = _QUESTIONS.get(frozenset({a, b}), "是标题还是图片说明")
            return f"请核对：“{squeeze(line)[:20]}”{question}？"
    return None


def _reading(block: tuple[str, ...], roles: tuple[int, ...], doubt: str | None) -> Reading:
    kicker = subheadline = None
    heads, captions = [], []
    for line, role in zip(block, roles, strict=True):
        if role == _K:
            kicker = line
        elif role == _H:
            heads.append(line.strip())
        elif role == _S:
            subheadline = line
        else:
            captions.append(line)
    return Reading(kicker, "".join(heads), subheadline, tuple(captions), doubt)


@functools.cache
def base_model() -> TitleModel:
    """The shipped model (data/title_model.bin), read once."""
    return TitleModel.from_bytes(MODEL_PATH.read_bytes())
