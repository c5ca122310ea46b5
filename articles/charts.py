"""Server-side SVG charts: geometry computed here, drawn by templates/articles/_timeline*.html.

No JavaScript library: an article-per-month timeline and a ranked bar list render as plain SVG
that works without scripts, prints, and carries its numbers as <title> text (and a table) for
screen readers. A timeline is drawn twice, wide and narrow, and CSS shows the one that fits,
so that its labels keep their size on a phone instead of shrinking with the picture.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from itertools import groupby

MAX_COLUMN_STEP = 48
# Narrower monthly columns than this are aggregated to years.
MIN_MONTH_STEP = 9
FONT_SIZE = 12
PLOT_LEFT = 40
PLOT_TOP = 10
LABEL_ROWS = 34  # two rows of labels under the plot: months, then years
WIDE, NARROW = 720, 360


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    value: int
    name: str  # 2024年3月, or 2024年 for a year
    label: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    plot_left: int
    plot_bottom: int
    columns: list[Column]
    x_labels: list[Label]
    y_ticks: list[Label]
    maximum: int
    total: int
    by_year: bool

    @property
    def per(self) -> str:
        return "每年" if self.by_year else "每月"

    @property
    def unit(self) -> str:
        return "年" if self.by_year else "月"


@dataclass(frozen=True)
class ResponsiveTimeline:
    wide: Timeline
    narrow: Timeline


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """Rough drawn width: a CJK character is square, a digit about 0.6 of it."""
    return sum(font_size * (0.6 if ord(char) < 128 else 1.0) for char in text)


def nice_step(maximum: int, ticks: int = 4) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ that reaches `maximum` in at most `ticks` steps."""
    raw = max(maximum, 1) / ticks
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return max(1, factor * power)
    return 10 * power  # pragma: no cover - the loop always returns


def by_year(months: list[tuple[datetime.date, int]]) -> list[tuple[datetime.date, int]]:
    """Monthly counts summed per year, every year from the first to the last."""
    return [
        (datetime.date(year, 1, 1), sum(count for _, count in rows))
        for year, rows in groupby(months, key=lambda row: row[0].year)
    ]


def responsive_timeline(months: list[tuple[datetime.date, int]]) -> ResponsiveTimeline | None:
    if not months:
        return None
    return ResponsiveTimeline(timeline(months, WIDE), timeline(months, NARROW))


def timeline(
    months: list[tuple[datetime.date, int]], width: int = WIDE, height: int = 200
) -> Timeline | None:
    """Columns for articles per month, or per year when months would be narrower than
    MIN_MONTH_STEP; a y-axis with round values and x labels that never leave the picture."""
    if not months:
        return None
    plot_width = width - PLOT_LEFT - 4
    plot_bottom = height - LABEL_ROWS
    yearly = plot_width / len(months) < MIN_MONTH_STEP
    buckets = by_year(months) if yearly else months
    maximum = max(count for _, count in buckets)
    step_value = nice_step(maximum)
    top = step_value * max(1, math.ceil(maximum / step_value))
    scale = (plot_bottom - PLOT_TOP) / top
    # A few columns are drawn narrow from the left, not stretched across the chart.
    step = min(plot_width / len(buckets), MAX_COLUMN_STEP)
    gap = min(2.0, step * 0.2)
    columns = []
    for i, (day, count) in enumerate(buckets):
        bar = count * scale
        name = f"{day.year}年" if yearly else f"{day.year}年{day.month}月"
        x = PLOT_LEFT + i * step
        columns.append(
            Column(
                round(x + gap / 2, 2),
                round(plot_bottom - bar, 2),
                round(step - gap, 2),
                round(bar, 2),
                count,
                name,
                f"{name}：{count} 篇",
            )
        )
    y_ticks = [
        Label(PLOT_LEFT - 6, round(plot_bottom - value * scale, 2), str(value))
        for value in range(0, top + 1, step_value)
    ]
    labels = _year_labels(buckets, step, width, plot_bottom) if yearly else []
    if not yearly:
        labels = _month_labels(buckets, step, width, plot_bottom)
    total = sum(count for _, count in months)
    return Timeline(
        width, height, PLOT_LEFT, plot_bottom, columns, labels, y_ticks, maximum, total, yearly
    )


def _placed(text: str, centre: float, y: float, width: int) -> Label:
    """A label centred under its column, moved in so that it stays inside the picture."""
    half = text_width(text) / 2
    return Label(round(min(max(centre, half), width - half), 2), y, text)


def _year_labels(buckets, step: float, width: int, plot_bottom: int) -> list[Label]:
    every = max(1, math.ceil((text_width("2024") + 6) / step))
    y = plot_bottom + 16
    return [
        _placed(str(day.year), PLOT_LEFT + (i + 0.5) * step, y, width)
        for i, (day, _) in enumerate(buckets)
        if i % every == 0
    ]


def _month_labels(buckets, step: float, width: int, plot_bottom: int) -> list[Label]:
    """Month names (every n-th when they do not all fit), and the year under the first month and
    each January; a series of more than two years names only the years."""
    labels = []
    every = math.ceil((text_width("12月") + 2) / step)
    every_month = len(buckets) <= 24
    year_width = text_width("2024年") + 8
    last_year_x = -math.inf
    for i, (day, _) in enumerate(buckets):
        centre = PLOT_LEFT + (i + 0.5) * step
        if every_month and i % every == 0:
            labels.append(_placed(f"{day.month}月", centre, plot_bottom + 15, width))
        if (i == 0 or day.month == 1) and centre - last_year_x >= year_width:
            labels.append(_placed(f"{day.year}年", centre, plot_bottom + 30, width))
            last_year_x = centre
    return labels


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
