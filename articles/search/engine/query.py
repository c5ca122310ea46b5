"""The query syntax readers type, read into parts the search service can filter on.

- several words: an article must contain every one (`工会 职工`);
- `"..."` (or `“...”`): that exact string;
- `-word`, `-"..."`: articles containing it are left out;
- `标题:托管` / `title:托管`: that exact string in the kicker, headline or subheadline;
  `正文:托管` / `body:托管`: that exact string in the body;
- `记者:张三` / `作者:张三` / `reporter:张三`: credited to that person; `工会:市总` / `org:市总`:
  about that union, by any of its names. A full-width colon works too; an unquoted value ends
  at a space or a bar (OR), so a name holding one is quoted (`记者:"张三|李四"`);
- `A OR B` (or `A | B`, `A ｜ B`): either; OR binds closer than the space (`工会 A OR B` is
  工会 and either A or B), and joins any of the above except exclusions.

Pure Python: errors carry a message for the reader, in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from articles.parsing.text import CONTROL_RE

MAX_QUERY_LENGTH = 200

_FIELDS = {
    "记者": "reporters",
    "作者": "reporters",
    "reporter": "reporters",
    "工会": "organizations",
    "org": "organizations",
    "标题": "titles",
    "title": "titles",
    "正文": "bodies",
    "body": "bodies",
}
# One item: an optional minus, an optional field prefix, then a quoted string or a bare word.
# Curly quotes pair with their own kind; a straight quote also closes a curly one (IMEs mix them).
_ITEM_RE = re.compile(
    r"""(?P<minus>[-－])?
        (?:(?P<field>记者|作者|reporter|工会|org|标题|title|正文|body)[:：])?
        (?:[\"“＂](?P<quoted>[^\"”＂]*)[\"”＂]|(?P<word>[^\s\"“”＂|｜]+))""",
    re.VERBOSE | re.IGNORECASE,
)
# `OR` (upper case only: `or` is an English word) or a bar, between two items.
_OR_RE = re.compile(r"\s*(?:[|｜]|(?<=\s)OR(?=\s))\s*")


class QueryError(ValueError):
    """A query the archive cannot run; str(error) is the reader-facing explanation."""


@dataclass(frozen=True)
class Term:
    """One item of an OR group: `kind` names the ParsedQuery part it would be alone."""

    kind: str
    text: str


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    reporters: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    # Each group: an article matching any one of its terms.
    any_of: tuple[tuple[Term, ...], ...] = ()

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases or self.titles or self.bodies) or any(
            term.kind in TEXT_KINDS for group in self.any_of for term in group
        )

    @property
    def only_excludes(self) -> bool:
        return bool(self.excluded) and not self._includes

    @property
    def is_empty(self) -> bool:
        return not (self.excluded or self._includes)

    @property
    def _includes(self) -> bool:
        return bool(self.has_text or self.reporters or self.organizations or self.any_of)

    def texts(self, *kinds: str) -> list[str]:
        """Every text of these kinds, alone or in an OR group."""
        alone = [text for kind in kinds for text in getattr(self, kind)]
        grouped = [term.text for group in self.any_of for term in group if term.kind in kinds]
        return alone + grouped


# The kinds of term that search an article's text (the others are credits and unions).
TEXT_KINDS = frozenset({"words", "phrases", "titles", "bodies"})


def _searchable(text: str) -> bool:
    """Punctuation alone matches nothing useful (and every article has a `，`)."""
    return any(char.isalnum() for char in text)


def _term(match: re.Match) -> Term | None:
    """The item `match` read, or None for punctuation alone."""
    quoted, word = match.group("quoted"), match.group("word")
    value = (quoted if quoted is not None else word).strip()
    if not _searchable(value):
        return None
    field_name = match.group("field")
    if field_name:
        return Term(_FIELDS[field_name.lower()], " ".join(value.split()))
    if match.group("minus"):
        return Term("excluded", value)
    return Term("phrases" if quoted is not None else "words", value)


def _groups(text: str) -> list[list[Term]]:
    """The items of `text`, those joined by OR in one group."""
    groups: list[list[Term]] = []
    joined = False  # the previous item ended with OR
    position = 0
    while position < len(text):
        bar = _OR_RE.match(text, position)
        if bar is not None and bar.end() > position and (groups or joined):
            if joined or not groups:
                raise QueryError("OR 两边都需要搜索词：例如“托管 OR 书法”。")
            joined, position = True, bar.end()
            continue
        if text[position].isspace():
            position += 1
            continue
        match = _ITEM_RE.match(text, position)
        if match is None:
            if text[position] in "|｜":
                raise QueryError("OR 两边都需要搜索词：例如“托管 OR 书法”。")
            # Only an opening quote with no partner is left unmatched.
            raise QueryError("引号没有配对：请补全引号，或去掉引号后再搜索。")
        position = match.end()
        term = _term(match)
        if term is None:
            continue
        if joined:
            groups[-1].append(term)
        else:
            groups.append([term])
        joined = False
    if joined:
        raise QueryError("OR 两边都需要搜索词：例如“托管 OR 书法”。")
    return groups


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
        "titles": [],
        "bodies": [],
    }
    any_of: list[tuple[Term, ...]] = []
    for group in _groups(text):
        terms = tuple(dict.fromkeys(group))
        if len(terms) == 1:
            parts[terms[0].kind].append(terms[0].text)
        elif any(term.kind == "excluded" for term in terms):
            raise QueryError("排除词（-）不能用 OR 连接：请分开写，例如“工会 -会议”。")
        else:
            any_of.append(terms)
    query = ParsedQuery(
        **{name: tuple(dict.fromkeys(values)) for name, values in parts.items()},
        any_of=tuple(dict.fromkeys(any_of)),
    )
    if text and query.is_empty:
        raise QueryError("查询中没有可搜索的文字：请输入汉字、字母或数字。")
    return query
