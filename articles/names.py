"""Whitespace normalisation of person and organization names, the key they are unique by."""

import re

_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """`刘 欣欣`, `刘　欣欣` and ` 刘欣欣 ` are one reporter; `Li  Ming` keeps one space."""
    return _SPACES.sub(" ", _SPACE_NEXT_TO_CJK.sub("", name)).strip()
