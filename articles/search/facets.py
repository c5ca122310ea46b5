"""The facets of a search's results: each index field's values with their counts, as links
that narrow the search to one value."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field

from articles.models import Article
from articles.search.union_tree import FACET_SIZE

# Index field → facet name in results.
FACET_FIELDS = {
    "organizations": "organizations",
    "reporters": "reporters",
    "year": "year",
    "year_month": "year_month",
    "kind": "kind",
}


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    # The search parameters (see articles.search.forms) that narrow a search to this value.
    params: dict[str, str] = field(default_factory=dict)


def facet_values(counts: dict) -> dict[str, list[FacetValue]]:
    fields = counts.get("fields", {}) if counts else {}
    kinds = dict(Article.Kind.choices)
    facets = {}
    for index_field, name in FACET_FIELDS.items():
        values = [(value, count) for value, count in fields.get(index_field, []) if value]
        if index_field in ("year", "year_month"):
            values.sort(reverse=True)
        # Every year, so that a result from any year is reachable; the FACET_SIZE largest others.
        shown = values if index_field == "year" else values[:FACET_SIZE]
        facets[name] = [_facet_value(index_field, value, count, kinds) for value, count in shown]
    return facets


def _facet_value(index_field: str, value: str, count: int, kinds: dict[str, str]) -> FacetValue:
    if index_field == "year_month":
        year, month = map(int, value.split("-"))
        last_day = calendar.monthrange(year, month)[1]
        params = {"from": f"{value}-01", "to": f"{value}-{last_day:02d}"}
        return FacetValue(value, f"{year}年{month}月", count, params)
    if index_field == "year":
        return FacetValue(
            value, f"{value}年", count, {"from": f"{value}-01-01", "to": f"{value}-12-31"}
        )
    if index_field == "kind":
        return FacetValue(value, kinds.get(value, value), count, {"kind": value})
    parameter = {"organizations": "org", "reporters": "reporter"}[index_field]
    return FacetValue(value, value, count, {parameter: value})
