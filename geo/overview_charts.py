"""The Overview's two charts (Altair, which Streamlit ships): reports per week by status,
and reports by category.

Weeks run Monday to Sunday (geo.overview.weekly_by_status). Vega's own week ticks fall
on Sundays, so the weekly chart draws each bar over the days it counts and puts its
ticks on the Mondays itself: a bar starts at its tick, and the period's partial first
and last weeks are as narrow as the days they hold.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import altair as alt
import pandas as pd

from geo.i18n import t

# More would overlap on half a screen: month-day labels are short, full dates are not.
MAX_WEEK_TICKS, MAX_DATED_TICKS = 10, 6


def monday_ticks(mondays: pd.Series) -> tuple[list[alt.DateTime], str]:
    """Every k-th Monday of the chart, and the labels' format: month and day within one
    year, the full date across years (k chosen so the labels do not overlap)."""
    weeks = [pd.Timestamp(w) for w in sorted(pd.to_datetime(mondays).unique())]
    one_year = weeks[0].year == weeks[-1].year
    most = MAX_WEEK_TICKS if one_year else MAX_DATED_TICKS
    step = max(1, math.ceil(len(weeks) / most))
    values = [alt.DateTime(year=w.year, month=w.month, date=w.day) for w in weeks[::step]]
    return values, "%m-%d" if one_year else "%Y-%m-%d"


def weekly_chart(weekly: pd.DataFrame, period: tuple, lang: str) -> alt.Chart:
    """Stacked bars per week and status; ``weekly`` as geo.overview.weekly_by_status gives
    it, ``period`` the (first, last) day counted."""
    first = pd.Timestamp(period[0])
    after_last = pd.Timestamp(period[1]) + pd.Timedelta(days=1)
    frame = weekly.assign(
        status=[t(f"status.{s}", lang) for s in weekly["status"]],
        start=weekly["week"].where(weekly["week"] > first, first),
        end=(weekly["week"] + pd.Timedelta(days=7)).clip(upper=after_last),
    )
    week = t("overview.chart.week", lang)
    ticks, label_format = monday_ticks(weekly["week"])
    return (
        alt.Chart(frame)
        # Stacked by hand: a bar spanning start to end in x is drawn from y0 to y1.
        .transform_stack(
            stack="reports", groupby=["start"], as_=["y0", "y1"], sort=[{"field": "status"}]
        )
        .mark_bar(stroke="white", strokeWidth=1)  # a gap between neighbouring weeks
        .encode(
            x=alt.X("start:T", title=week, axis=alt.Axis(values=ticks, format=label_format)),
            x2="end:T",
            y=alt.Y("y0:Q", title=t("overview.col.reports", lang)),
            y2="y1:Q",
            color=alt.Color("status:N", title=t("overview.col.status", lang)),
            # The partial weeks are lighter as well as narrower: fewer days, not fewer reports.
            opacity=alt.condition("datum.days < 7", alt.value(0.45), alt.value(1.0)),
            tooltip=[
                alt.Tooltip("week:T", title=week, format="%Y-%m-%d"),
                alt.Tooltip("status:N", title=t("overview.col.status", lang)),
                alt.Tooltip("reports:Q", title=t("overview.col.reports", lang)),
                alt.Tooltip("days:Q", title=t("overview.chart.days", lang)),
            ],
        )
    )


def category_chart(
    by_category: pd.DataFrame, name_of: Callable[[str], str], lang: str
) -> alt.Chart:
    """Horizontal bars of reports per category, largest first; ``by_category`` as
    geo.overview.by_category gives it, ``name_of`` a category code's name."""
    named = by_category.assign(name=[name_of(c) for c in by_category.index])
    return (
        alt.Chart(named)
        .mark_bar()
        .encode(
            x=alt.X("reports:Q", title=t("overview.col.reports", lang)),
            y=alt.Y("name:N", sort="-x", title=t("overview.col.category", lang)),
            tooltip=[
                alt.Tooltip("name:N", title=t("overview.col.category", lang)),
                alt.Tooltip("reports:Q", title=t("overview.col.reports", lang)),
                alt.Tooltip("open:Q", title=t("overview.col.open", lang)),
                alt.Tooltip("overdue:Q", title=t("overview.col.overdue", lang)),
            ],
        )
    )
