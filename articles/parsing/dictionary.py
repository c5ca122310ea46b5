"""The union dictionary and the jieba tokenizers built from it, once per process.

Two data files: `data/unions.csv`, the union authority (canonical names, kinds, parents and
aliases; `manage.py load_unions` loads the same file into the archive), and `data/unions.txt`,
other words jieba should know (places, union vocabulary), in jieba's user-dictionary format
with every word's frequency given (search reads them without loading jieba).
"""

from __future__ import annotations

import csv
import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import jieba

DATA = Path(__file__).resolve().parent / "data"
USER_DICT = DATA / "unions.txt"
AUTHORITY = DATA / "unions.csv"
KINDS = ("全国", "市", "区", "产业", "企业", "其他")
# jieba frequencies of authority names: high enough to stay whole inside running text.
_FREQUENCY = {"全国": 200, "市": 200}
_DEFAULT_FREQUENCY = 50


@dataclass(frozen=True)
class Union:
    """One row of the authority file."""

    name: str
    kind: str
    parent: str
    aliases: tuple[str, ...]


@functools.cache
def authority() -> tuple[Union, ...]:
    """The union authority file, checked: known kinds, parents that are rows, unique names."""
    lines = [
        line
        for line in AUTHORITY.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    unions, seen = [], set()
    for row in csv.DictReader(lines):
        aliases = tuple(a.strip() for a in (row["aliases"] or "").split("|") if a.strip())
        union = Union(
            row["name"].strip(), row["kind"].strip(), (row["parent"] or "").strip(), aliases
        )
        if union.kind not in KINDS:
            raise ValueError(f"{AUTHORITY.name}: {union.name}: unknown kind {union.kind!r}")
        for name in (union.name, *aliases):
            if name in seen:
                raise ValueError(f"{AUTHORITY.name}: the name {name} is given twice")
            seen.add(name)
        unions.append(union)
    names = {union.name for union in unions}
    for union in unions:
        if union.parent and union.parent not in names:
            raise ValueError(f"{AUTHORITY.name}: {union.name}: parent {union.parent} is not a row")
    return tuple(unions)


def dictionary_words() -> list[str]:
    """The words tokenizer() adds to jieba's own dictionary: user dictionary and authority."""
    return list(dictionary_frequencies())


@functools.cache
def dictionary_frequencies() -> dict[str, int]:
    """Each word tokenizer() adds to jieba's dictionary, at the frequency jieba then holds for
    it: the user dictionary's, or the authority's, added after it. Read from the data files
    alone, so search can segment like the parser without loading jieba's own dictionary."""
    frequencies: dict[str, int] = {}
    for line in USER_DICT.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            continue
        if len(parts) < 2 or not parts[1].isdigit():
            # jieba would suggest one from its own dictionary, which search does not load.
            raise ValueError(f"{USER_DICT.name}: {parts[0]}: give the word a frequency")
        frequencies[parts[0]] = int(parts[1])
    for union in authority():
        for name in (union.name, *union.aliases):
            frequencies[name] = _FREQUENCY.get(union.kind, _DEFAULT_FREQUENCY)
    return frequencies


@functools.cache
def tokenizer() -> jieba.Tokenizer:
    """jieba with the union dictionary; shared with search so both cut names the same way."""
    jieba.setLogLevel(logging.WARNING)  # its startup chatter would land in every command's stderr
    tok = jieba.Tokenizer()
    tok.load_userdict(str(USER_DICT))
    for union in authority():
        for name in (union.name, *union.aliases):
            tok.add_word(name, _FREQUENCY.get(union.kind, _DEFAULT_FREQUENCY), "nt")
    return tok


@functools.cache
def pos_tokenizer():  # -> jieba.posseg.POSTokenizer
    """Part-of-speech cutting on top of tokenizer(); used on short spans around union names."""
    import jieba.posseg  # its import alone takes about 1 s; search only needs tokenizer()

    return jieba.posseg.POSTokenizer(tokenizer())


@functools.cache
def alias_groups() -> dict[str, tuple[str, ...]]:
    """Every name of an authority union -> (canonical name, other names)."""
    groups: dict[str, tuple[str, ...]] = {}
    for union in authority():
        names = (union.name, *union.aliases)
        for name in names:
            groups[name] = names
    return groups


@functools.cache
def known_organizations() -> frozenset[str]:
    """Every authority name, and the other dictionary entries tagged as organizations (nt)."""
    names = set(alias_groups())
    for line in USER_DICT.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "nt":
            names.add(parts[0])
    return frozenset(names)
