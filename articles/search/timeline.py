"""The results by time: the year facet grouped into decades, for the decade → year → month
drill-down beside the results (months are the year_month facet, which a year's filter narrows
to that year's twelve)."""

from __future__ import annotations

from dataclasses import dataclass

from articles.search.facets import FacetValue


@dataclass(frozen=True)
class Decade:
    label: str
    count: int
    # The search parameters that narrow a search to the decade.
    params: dict[str, str]
    # Newest first, each with its count and the parameters that narrow to it.
    years: list[FacetValue]
    # The largest count of a year in any decade: the scale of the timeline's bars.
    scale: int


def decades(years: list[FacetValue]) -> list[Decade]:
    """The years of a search (the year facet) grouped by decade, newest first."""
    grouped: dict[int, list[FacetValue]] = {}
    for year in years:
        grouped.setdefault(int(year.value) // 10 * 10, []).append(year)
    scale = max((year.count for year in years), default=0)
    return [
        Decade(
            f"{start}年代",
            sum(year.count for year in members),
            {"from": f"{start}-01-01", "to": f"{start + 9}-12-31"},
            sorted(members, key=lambda year: year.value, reverse=True),
            scale,
        )
        for start, members in sorted(grouped.items(), reverse=True)
    ]
