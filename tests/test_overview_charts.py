"""The Overview's charts: weekly bars over the days they count, ticks on Mondays."""

from __future__ import annotations

from datetime import date

import pandas as pd

from geo.overview_charts import MAX_DATED_TICKS, category_chart, monday_ticks, weekly_chart


def _weekly(mondays: list[str], days: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "week": pd.to_datetime(mondays),
            "status": ["submitted"] * len(mondays),
            "reports": range(1, len(mondays) + 1),
            "days": days,
        }
    )


def _rows(chart) -> list[dict]:
    spec = chart.to_dict()
    return next(iter(spec["datasets"].values()))


def test_bars_span_the_days_they_count_and_partial_weeks_are_narrower():
    # A period from Wednesday 2026-09-09 to Monday 2026-09-21: 5 days, 7 days, 1 day.
    weekly = _weekly(["2026-09-07", "2026-09-14", "2026-09-21"], [5, 7, 1])
    chart = weekly_chart(weekly, (date(2026, 9, 9), date(2026, 9, 21)), "en")
    spans = [(r["start"][:10], r["end"][:10]) for r in _rows(chart)]
    assert spans == [
        ("2026-09-09", "2026-09-14"),
        ("2026-09-14", "2026-09-21"),
        ("2026-09-21", "2026-09-22"),
    ]
    encoding = chart.to_dict()["encoding"]
    assert encoding["x"]["field"] == "start" and encoding["x2"]["field"] == "end"
    zh = weekly_chart(weekly, (date(2026, 9, 9), date(2026, 9, 21)), "zh")
    assert {r["status"] for r in _rows(zh)} == {"已提交"}  # named in the page's language


def test_bars_of_a_week_stack_from_zero():
    weekly = pd.DataFrame(
        {
            "week": pd.to_datetime(["2026-09-14"] * 2),
            "status": ["submitted", "closed"],
            "reports": [4, 6],
            "days": [7, 7],
        }
    )
    spec = weekly_chart(weekly, (date(2026, 9, 14), date(2026, 9, 20)), "en").to_dict()
    stack = spec["transform"][0]
    assert stack["stack"] == "reports" and stack["groupby"] == ["start"]
    assert spec["encoding"]["y"]["field"] == stack["as"][0]
    assert spec["encoding"]["y2"]["field"] == stack["as"][1]


def test_ticks_fall_on_mondays_and_thin_out_over_long_periods():
    short = pd.Series(pd.date_range("2026-09-07", periods=13, freq="W-MON"))
    ticks, label_format = monday_ticks(short)
    assert len(ticks) == 7 and label_format == "%m-%d"  # every second Monday of 13 weeks
    days = [pd.Timestamp(t.year, t.month, t.date) for t in ticks]
    assert all(d.day_name() == "Monday" for d in days)
    assert days[0] == pd.Timestamp("2026-09-07")
    long = pd.Series(pd.date_range("2024-12-02", periods=105, freq="W-MON"))
    ticks, label_format = monday_ticks(long)
    assert 4 <= len(ticks) <= MAX_DATED_TICKS and label_format == "%Y-%m-%d"  # across years
    chart = weekly_chart(_weekly(["2026-09-07"], [7]), (date(2026, 9, 7), date(2026, 9, 13)), "zh")
    axis = chart.to_dict()["encoding"]["x"]["axis"]
    assert axis["values"] == [{"year": 2026, "month": 9, "date": 7}]
    assert chart.to_dict()["encoding"]["x"]["title"] == "周"


def test_categories_largest_first_with_their_names():
    table = pd.DataFrame(
        {"reports": [3, 9], "open": [1, 2], "overdue": [0, 1]},
        index=pd.Index(["parking", "drying"], name="category"),
    )
    chart = category_chart(table, str.upper, "en")
    assert [r["name"] for r in _rows(chart)] == ["PARKING", "DRYING"]
    assert chart.to_dict()["encoding"]["y"]["sort"] == "-x"
