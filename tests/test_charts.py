import datetime

from articles.charts import ranked_bars, timeline


def test_timeline_scales_columns_to_the_busiest_month():
    chart = timeline(
        [(datetime.date(2024, 1, 1), 2), (datetime.date(2024, 2, 1), 4)], width=100, height=120
    )
    assert (chart.maximum, chart.total, chart.plot_height) == (4, 6, 100)
    assert [c.height for c in chart.columns] == [50.0, 100.0]
    assert [c.y for c in chart.columns] == [50.0, 0.0]
    assert [t.label for t in chart.ticks] == ["1月", "2月"]
    assert chart.columns[1].label == "2024年2月：4 篇"


def test_long_timelines_tick_each_january():
    months = [(datetime.date(2023 + (m // 12), m % 12 + 1, 1), 1) for m in range(3, 27)]
    assert [t.label for t in timeline(months).ticks] == ["2023", "2024", "2025"]


def test_empty_timeline_draws_nothing():
    assert timeline([]) is None


def test_ranked_bars_are_relative_to_the_largest():
    bars = ranked_bars([("北京市总工会", 10, "/u/1/"), ("朝阳区总工会", 5, "/u/2/")])
    assert [(b.label, b.width_percent) for b in bars] == [
        ("北京市总工会", 100.0),
        ("朝阳区总工会", 50.0),
    ]
