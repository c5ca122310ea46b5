"""Names a reader may have meant: people and unions whose names contain what was typed.

A partial reporter name (`记者:刘欣`) matches no credit exactly; the search page offers the
people and unions it is part of, and `/api/suggest` offers them as the reader types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import QueryDict

from articles.authority import find_organization
from articles.models import Organization, Person
from articles.parsing.text import CONTROL_RE
from articles.search.engine.query import ParsedQuery
from articles.union_review import shown_to_readers

SUGGESTION_LIMIT = 8
MIN_SUGGEST_LENGTH = 1


@dataclass(frozen=True)
class Suggestion:
    name: str
    kind: str  # "reporter" or "union": the query prefix (记者: / 工会:) it fills in
    article_count: int
    url: str


def suggest_names(text: str, kind: str = "", limit: int = SUGGESTION_LIMIT) -> list[Suggestion]:
    """People, then unions (by name or alias), containing `text`, most reported first;
    `kind` ("reporter" or "union") keeps one of the two."""
    # Control characters (NUL among them, which PostgreSQL refuses) separate words like spaces.
    text = " ".join(CONTROL_RE.sub(" ", text).split())
    if len(text) < MIN_SUGGEST_LENGTH:
        return []
    found = []
    if kind in ("", "reporter"):
        people = (
            Person.objects.filter(name__contains=text)
            .annotate(article_count=Count("credits__article", distinct=True))
            .order_by("-article_count", "name")[:limit]
        )
        found += [
            Suggestion(p.name, "reporter", p.article_count, p.get_absolute_url()) for p in people
        ]
    if kind in ("", "union"):
        unions = (
            shown_to_readers(Organization.objects.all())
            .filter(
                Q(name__contains=text)
                | Q(aliases__name__contains=text, aliases__needs_review=False)
            )
            .distinct()
            .annotate(article_count=Count("articles", distinct=True))
            .order_by("-article_count", "name")[:limit]
        )
        found += [
            Suggestion(o.name, "union", o.article_count, o.get_absolute_url()) for o in unions
        ]
    return found[:limit]


def names_not_found(query: ParsedQuery, reporter: str = "", organization: str = "") -> list[str]:
    """The reporter and union names of a search that name no one exactly."""
    reporters = [*query.reporters, *filter(None, [reporter])]
    unions = [*query.organizations, *filter(None, [organization])]
    known_people = set(Person.objects.filter(name__in=reporters).values_list("name", flat=True))
    missing = [name for name in reporters if name not in known_people]
    missing += [name for name in unions if find_organization([name]) is None]
    return list(dict.fromkeys(missing))


@dataclass(frozen=True)
class DidYouMean:
    typed: str
    # (suggestion, query string of the search with the suggestion in place of `typed`)
    options: list[tuple[Suggestion, str]]


def did_you_mean(params: QueryDict, query: ParsedQuery, reporter: str, organization: str):
    """For each name of the search that matches no one: the names it is part of, as links."""
    hints = []
    for name in names_not_found(query, reporter, organization):
        found = suggest_names(name)
        if found:
            hints.append(DidYouMean(name, [(s, replaced_search(params, name, s)) for s in found]))
    return hints


def _token_pattern(name: str) -> re.Pattern[str]:
    """`记者:刘欣`, `工会：“市总”` and the like: a name given with a field prefix in a query."""
    return re.compile(
        rf"(?:记者|reporter|工会|org)[:：][\"“＂]?{re.escape(name)}[\"”＂]?(?=\s|$)", re.IGNORECASE
    )


def replaced_search(params: QueryDict, missing: str, suggestion: Suggestion) -> str:
    """The query string of the same search with `missing` replaced by the suggested name."""
    query = params.copy()
    query["q"] = " ".join(_token_pattern(missing).sub(" ", query.get("q", "")).split())
    for key in ("reporter", "org", "page"):
        if query.get(key) == missing or key == "page":
            query.pop(key, None)
    query["reporter" if suggestion.kind == "reporter" else "org"] = suggestion.name
    return "?" + urlencode([(k, v) for k, v in query.items() if v])
