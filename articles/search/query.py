"""The query syntax readers type, read into parts the search service can filter on.

- several words: an article must contain every one (`工会 职工`);
- `"..."` (or `“...”`): that exact string;
- `-word`, `-"..."`: articles containing it are left out;
- `记者:张三` / `reporter:张三`: credited to that person; `工会:市总` / `org:市总`: about that
  union, by any of its names. A full-width colon works too, and the value may be quoted.

Pure Python: errors carry a message for the reader, in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from articles.parsing.text import CONTROL_RE

MAX_QUERY_LENGTH = 200

_FIELDS = {
    "记者": "reporters",
    "reporter": "reporters",
    "工会": "organizations",
    "org": "organizations",
}
# One item: an optional minus, an optional field prefix, then a quoted string or a bare word.
# Curly quotes pair with their own kind; a straight quote also closes a curly one (IMEs mix them).
_ITEM_RE = re.compile(
    r"""(?P<minus>[-－])?
        (?:(?P<field>记者|reporter|工会|org)[:：])?
        (?:[\"“＂](?P<quoted>[^\"”＂]*)[\"”＂]|(?P<word>[^\s\"“”＂]+))""",
    re.VERBOSE | re.IGNORECASE,
)


class QueryError(ValueError):
    """A query the archive cannot run; str(error) is the reader-facing explanation."""


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    reporters: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def only_excludes(self) -> bool:
        return bool(self.excluded) and not (self.has_text or self.reporters or self.organizations)

    @property
    def is_empty(self) -> bool:
        return not (self.has_text or self.excluded or self.reporters or self.organizations)


def _searchable(text: str) -> bool:
    """Punctuation alone matches nothing useful (and every article has a `，`)."""
    return any(char.isalnum() for char in text)


def parse_query(text: str) -> ParsedQuery:
    """Read the reader's query; raise QueryError with a friendly message when it cannot run."""
    # Control characters (NUL among them) separate words like spaces: PostgreSQL refuses NUL
    # in the names of unions and reporters a query is looked up by.
    text = CONTROL_RE.sub(" ", text).strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"查询太长了：最多 {MAX_QUERY_LENGTH} 个字，请精简后再试。")
    parts: dict[str, list[str]] = {
        "words": [],
        "phrases": [],
        "excluded": [],
        "reporters": [],
        "organizations": [],
    }
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        match = _ITEM_RE.match(text, position)
        if match is None:
            # Only an opening quote with no partner is left unmatched.
            raise QueryError("引号没有配对：请补全引号，或去掉引号后再搜索。")
        position = match.end()
        quoted, word = match.group("quoted"), match.group("word")
        value = (quoted if quoted is not None else word).strip()
        if not _searchable(value):
            continue
        field_name = match.group("field")
        if field_name:
            parts[_FIELDS[field_name.lower()]].append(" ".join(value.split()))
        elif match.group("minus"):
            parts["excluded"].append(value)
        elif quoted is not None:
            parts["phrases"].append(value)
        else:
            parts["words"].append(value)
    query = ParsedQuery(**{name: tuple(dict.fromkeys(values)) for name, values in parts.items()})
    if text and query.is_empty:
        raise QueryError("查询中没有可搜索的文字：请输入汉字、字母或数字。")
    return query
