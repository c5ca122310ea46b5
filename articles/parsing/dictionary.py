"""The union dictionary (data/*.txt) and the jieba tokenizers built from it, once per process."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import jieba

DATA = Path(__file__).resolve().parent / "data"
USER_DICT = DATA / "unions.txt"
ALIASES = DATA / "aliases.txt"


@functools.cache
def tokenizer() -> jieba.Tokenizer:
    """jieba with the union dictionary; shared with search so both cut names the same way."""
    jieba.setLogLevel(logging.WARNING)  # its startup chatter would land in every command's stderr
    tok = jieba.Tokenizer()
    tok.load_userdict(str(USER_DICT))
    return tok


@functools.cache
def pos_tokenizer():  # -> jieba.posseg.POSTokenizer
    """Part-of-speech cutting on top of tokenizer(); used on short spans around union names."""
    import jieba.posseg  # its import alone takes about 1 s; search only needs tokenizer()

    return jieba.posseg.POSTokenizer(tokenizer())


@functools.cache
def alias_groups() -> dict[str, tuple[str, ...]]:
    """Every known name -> (canonical name, other names), from data/aliases.txt."""
    groups: dict[str, tuple[str, ...]] = {}
    for line in ALIASES.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        names = tuple(n.strip() for n in line.split("|") if n.strip())
        for name in names:
            groups[name] = names
    return groups


@functools.cache
def known_organizations() -> frozenset[str]:
    """Dictionary entries tagged as organizations (nt)."""
    names = set()
    for line in USER_DICT.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "nt":
            names.add(parts[0])
    return frozenset(names)
