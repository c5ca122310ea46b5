"""An article opened from a search: the query's words marked in its text, and the way back.

Result links carry the search's own query string as `?search=…`; the article page reads it
with the search form, so a link that was edited by hand is checked like any search.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.safestring import SafeString

from articles.search.engine.query import QueryError, parse_query
from articles.search.forms import SearchForm
from articles.search.highlight import highlight, highlight_terms


@dataclass(frozen=True)
class SearchTrail:
    query: str
    back_url: str
    terms: list[str]

    def marked(self, paragraphs: list[str]) -> list[SafeString]:
        return [highlight(paragraph, self.terms) for paragraph in paragraphs]


def search_trail(raw: str) -> SearchTrail | None:
    """The search an article was opened from, or None when there was none (or it is bad)."""
    if not raw:
        return None
    params = QueryDict(raw)
    form = SearchForm(params)
    if not form.is_valid() or not form.params().has_criteria:
        return None
    try:
        query = parse_query(form.params().q)
    except QueryError:
        return None
    back = urlencode([(key, v) for key, values in params.lists() for v in values if v])
    return SearchTrail(
        form.params().q, f"{reverse('articles:search')}?{back}", highlight_terms(query)
    )


def trail_parameter(params: QueryDict) -> str:
    """`search=…` for a result link: the current search, to come back to."""
    return urlencode({"search": params.urlencode()})


QUOTES = '"“”＂'


def quoted_query(q: str) -> str:
    """The query within “…” for a title, unless the reader quoted it already (no ““…””)."""
    q = q.strip()
    if not q:
        return ""
    return q if len(q) > 1 and q[0] in QUOTES and q[-1] in QUOTES else f"“{q}”"
