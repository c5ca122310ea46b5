import datetime
import itertools

import pytest

from articles.charts import (
    FONT_SIZE,
    by_year,
    nice_step,
    ranked_bars,
    responsive_timeline,
    text_width,
    timeline,
)


def months_from(year: int, month: int, count: int, value: int = 1) -> list:
    return [
        (datetime.date(year + (month - 1 + i) // 12, (month - 1 + i) % 12 + 1, 1), value)
        for i in range(count)
    ]


def test_timeline_scales_columns_to_a_round_axis_top():
    chart = timeline([(datetime.date(2024, 1, 1), 2), (datetime.date(2024, 2, 1), 4)])
    assert (chart.maximum, chart.total, chart.by_year) == (4, 6, False)
    assert [tick.text for tick in chart.y_ticks] == ["0", "1", "2", "3", "4"]
    assert chart.columns[1].height == 2 * chart.columns[0].height
    assert chart.columns[1].y == chart.y_ticks[-1].y  # the busiest month reaches the top tick
    assert chart.columns[1].label == "2024年2月：4 篇"


def test_a_single_month_names_its_year():
    chart = timeline([(datetime.date(2024, 3, 1), 5)])
    assert [label.text for label in chart.x_labels] == ["3月", "2024年"]


def test_a_year_of_months_is_drawn_by_month_with_the_year_once():
    texts = [label.text for label in timeline(months_from(2024, 1, 12)).x_labels]
    assert texts == [f"{m}月" for m in range(1, 13)][:1] + ["2024年"] + [
        f"{m}月" for m in range(2, 13)
    ]


def test_narrow_months_are_aggregated_to_years():
    chart = timeline(months_from(1995, 1, 360, value=2))
    assert chart.by_year and len(chart.columns) == 30
    assert chart.columns[0].label == "1995年：24 篇"
    assert chart.total == 720


@pytest.mark.parametrize("count", [1, 12, 120, 360])
@pytest.mark.parametrize("width", [720, 360])
def test_labels_stay_inside_the_picture_and_do_not_overlap(count, width):
    chart = timeline(months_from(1995, 3, count), width=width)
    rows = {}
    for label in chart.x_labels:
        half = text_width(label.text) / 2
        assert half <= label.x <= width - half
        rows.setdefault(label.y, []).append((label.x - half, label.x + half))
    for spans in rows.values():
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_responsive_timeline_draws_wide_by_month_and_narrow_by_year():
    charts = responsive_timeline(months_from(2020, 1, 48))
    assert (charts.wide.by_year, charts.narrow.by_year) == (False, True)
    assert responsive_timeline([]) is None


@pytest.mark.parametrize(("maximum", "step"), [(1, 1), (4, 1), (7, 2), (38, 10), (1234, 500)])
def test_nice_step_is_one_two_or_five_times_a_power_of_ten(maximum, step):
    assert nice_step(maximum) == step


def test_by_year_sums_months():
    assert by_year(months_from(2023, 11, 3, value=2)) == [
        (datetime.date(2023, 1, 1), 4),
        (datetime.date(2024, 1, 1), 2),
    ]


def test_text_width_counts_cjk_as_square():
    assert text_width("2024年") == 4 * 0.6 * FONT_SIZE + FONT_SIZE


def test_empty_timeline_draws_nothing():
    assert timeline([]) is None


def test_ranked_bars_are_relative_to_the_largest():
    bars = ranked_bars([("北京市总工会", 10, "/u/1/"), ("朝阳区总工会", 5, "/u/2/")])
    assert [(b.label, b.width_percent) for b in bars] == [
        ("北京市总工会", 100.0),
        ("朝阳区总工会", 50.0),
    ]
