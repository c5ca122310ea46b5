"""Server-side SVG charts: geometry computed here, drawn by templates/articles/charts/*.svg.

No JavaScript library: an article-per-month timeline and a ranked bar list render as plain SVG
that works without scripts, prints, and carries its numbers as <title> text for screen readers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

MAX_COLUMN_STEP = 48


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    plot_height: int
    columns: list[Column]
    ticks: list[Tick]
    maximum: int
    total: int


def timeline(
    months: list[tuple[datetime.date, int]], width: int = 720, height: int = 160
) -> Timeline | None:
    """Columns for articles per month; a tick under each January (or each month when few)."""
    if not months:
        return None
    plot_height = height - 20
    maximum = max(count for _, count in months) or 1
    # A few months are drawn as narrow columns from the left, not stretched across the chart.
    step = min(width / len(months), MAX_COLUMN_STEP)
    gap = min(2.0, step * 0.2)
    columns, ticks = [], []
    every_month = len(months) <= 12
    for i, (month, count) in enumerate(months):
        bar = plot_height * count / maximum
        x = i * step
        label = f"{month.year}年{month.month}月：{count} 篇"
        columns.append(
            Column(
                round(x + gap / 2, 2),
                round(plot_height - bar, 2),
                round(step - gap, 2),
                round(bar, 2),
                count,
                label,
            )
        )
        if every_month:
            ticks.append(Tick(round(x + step / 2, 2), f"{month.month}月"))
        elif month.month == 1 or i == 0:
            ticks.append(Tick(round(x, 2), str(month.year)))
    return Timeline(width, height, plot_height, columns, ticks, maximum, sum(c for _, c in months))


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    width_percent: float
    url: str


def ranked_bars(rows: list[tuple[str, int, str]]) -> list[Bar]:
    """(label, value, url) rows as bars whose length is relative to the largest value."""
    maximum = max((value for _, value, _ in rows), default=0) or 1
    return [Bar(label, value, round(100 * value / maximum, 1), url) for label, value, url in rows]
