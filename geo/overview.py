"""The secretary's overview: the figures of one screen, for one set of filters.

Everything here is plain pandas on the stored layers, so it can be tested against
an independent computation and cached by the page (keyed by the filters and the
store's data version). Dates are the community's own: a period is whole local days
from ``start`` to ``end``, weeks start on Monday in the community's zone.

What counts where (the page says the same under the tiles):

- *open* and *overdue* are as of now: every report of the chosen categories,
  statuses, sources and grids that is open now, whenever it came in;
- *new this week* counts reports created in the 7 days that end with the period,
  against the 7 days before;
- *closed*, *median days to close* and *average rating* are about reports resolved
  or closed (``closed_at``) within the period;
- *unassigned* counts reports created within the period that lie outside every grid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.grid_stats import buildings_by_grid, open_mask, overdue_mask
from geo.model import REPORT_SOURCES, STATUSES

DEFAULT_DAYS = 90
HANDLED_STATUSES = ("resolved", "closed")  # a report that reached its end by being dealt with
TREND_WEEKS = 12


@dataclass(frozen=True)
class Filters:
    """What the secretary chose: a period and, optionally, what to count.

    An empty tuple means "all". ``start`` and ``end`` are local dates, both included.
    """

    start: date
    end: date
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    grids: tuple[str, ...] = ()

    @classmethod
    def default(cls, today: date) -> Filters:
        """The last :data:`DEFAULT_DAYS` days up to ``today``, everything counted."""
        return cls(start=today - timedelta(days=DEFAULT_DAYS - 1), end=today)

    def to_query(self) -> dict[str, str | list[str]]:
        """The filters as query-string parameters (lists for the repeated ones)."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "cat": list(self.categories),
            "status": list(self.statuses),
            "source": list(self.sources),
            "grid": list(self.grids),
        }

    @classmethod
    def from_query(
        cls,
        params: Mapping[str, str | Sequence[str]],
        today: date,
        categories: Sequence[str] = (),
        grids: Sequence[str] = (),
    ) -> Filters:
        """Filters read back from query-string parameters; what is not valid is dropped.

        ``categories`` and ``grids`` are the values a link may name (statuses and
        sources come from the model); an unknown value, a malformed date or a
        period that ends before it starts falls back to the default.
        """
        default = cls.default(today)
        start = _parse_date(params.get("from"), default.start)
        end = _parse_date(params.get("to"), default.end)
        if end < start:
            start, end = default.start, default.end

        def chosen(name: str, allowed: Sequence[str]) -> tuple[str, ...]:
            values = params.get(name, ())
            values = [values] if isinstance(values, str) else list(values)
            return tuple(v for v in dict.fromkeys(values) if v in allowed)

        return cls(
            start=start,
            end=end,
            categories=chosen("cat", categories),
            statuses=chosen("status", STATUSES),
            sources=chosen("source", REPORT_SOURCES),
            grids=chosen("grid", grids),
        )


def _parse_date(value: object, default: date) -> date:
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    try:
        return date.fromisoformat(str(value)) if value else default
    except ValueError:
        return default


# --- selecting -------------------------------------------------------------------------


def select(reports: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The reports of the chosen categories, statuses, sources and grids (any date)."""
    keep = pd.Series(True, index=reports.index)
    for column, values in (
        ("category", filters.categories),
        ("status", filters.statuses),
        ("source", filters.sources),
        ("grid_id", filters.grids),
    ):
        if values:
            keep &= reports[column].isin(values)
    return reports[keep]


def local_dates(times: pd.Series, tz: str) -> pd.Series:
    """The local calendar date of each timestamp (NaT stays NaT)."""
    return times.dt.tz_convert(tz).dt.normalize().dt.tz_localize(None)


DAY_SUFFIX = "_day"  # e.g. created_at_day: the local date, added by with_local_days


def with_local_days(reports: pd.DataFrame, tz: str) -> pd.DataFrame:
    """``reports`` with the local dates of created_at and closed_at added, once.

    Every figure compares dates; converting 100,000 timestamps once instead of in
    each figure is most of what the Overview's cold build costs.
    """
    return reports.assign(
        **{f"{c}{DAY_SUFFIX}": local_dates(reports[c], tz) for c in ("created_at", "closed_at")}
    )


def day_of(reports: pd.DataFrame, column: str, tz: str) -> pd.Series:
    """The local date of ``column`` (precomputed by :func:`with_local_days` when there)."""
    precomputed = f"{column}{DAY_SUFFIX}"
    if precomputed in reports:
        return reports[precomputed]
    return local_dates(reports[column], tz)


def within(reports: pd.DataFrame, column: str, start: date, end: date, tz: str) -> pd.Series:
    """Rows whose ``column`` falls on local days ``start`` to ``end``, both included."""
    days = day_of(reports, column, tz)
    return days.notna() & (days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))


def handled(reports: pd.DataFrame, filters: Filters, tz: str) -> pd.DataFrame:
    """Reports resolved or closed within the period."""
    done = reports["status"].isin(HANDLED_STATUSES)
    return reports[done & within(reports, "closed_at", filters.start, filters.end, tz)]


def days_to_close(reports: pd.DataFrame) -> pd.Series:
    """Days from creation to closing, as a fraction of days."""
    return (reports["closed_at"] - reports["created_at"]).dt.total_seconds() / 86400


# --- the tiles -------------------------------------------------------------------------


@dataclass(frozen=True)
class Tiles:
    """The headline figures (see the module doc for what each counts)."""

    open: int
    overdue: int
    new_this_week: int
    new_last_week: int
    closed: int
    median_days_to_close: float | None
    average_rating: float | None
    rated: int
    unassigned: int
    created: int  # reports created within the period

    @property
    def new_change(self) -> int:
        return self.new_this_week - self.new_last_week


def tiles(reports: pd.DataFrame, filters: Filters, now: datetime, tz: str) -> Tiles:
    """The tiles for ``reports`` (the store's, unfiltered) and ``filters``."""
    chosen = select(reports, filters)
    week_end = filters.end
    this_week = within(chosen, "created_at", week_end - timedelta(days=6), week_end, tz)
    last_week = within(
        chosen, "created_at", week_end - timedelta(days=13), week_end - timedelta(days=7), tz
    )
    created = chosen[within(chosen, "created_at", filters.start, filters.end, tz)]
    done = handled(chosen, filters, tz)
    durations = days_to_close(done)
    ratings = done["rating"].dropna()
    return Tiles(
        open=int(open_mask(chosen).sum()),
        overdue=int(overdue_mask(chosen, now).sum()),
        new_this_week=int(this_week.sum()),
        new_last_week=int(last_week.sum()),
        closed=len(done),
        median_days_to_close=float(durations.median()) if len(durations) else None,
        average_rating=float(ratings.astype(float).mean()) if len(ratings) else None,
        rated=len(ratings),
        unassigned=int(created["grid_id"].isna().sum()),
        created=len(created),
    )


# --- grids -----------------------------------------------------------------------------


def week_starts(end: date, weeks: int = TREND_WEEKS) -> list[pd.Timestamp]:
    """The Mondays of the ``weeks`` weeks ending with the week of ``end``."""
    monday = pd.Timestamp(end) - pd.Timedelta(days=end.weekday())
    return [monday - pd.Timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]


def weekly_counts(
    reports: pd.DataFrame, by: str | None, end: date, tz: str, weeks: int = TREND_WEEKS
) -> pd.DataFrame:
    """New reports per week (columns: the Mondays) for each value of ``by`` (rows)."""
    starts = week_starts(end, weeks)
    days = day_of(reports, "created_at", tz)
    monday = days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    inside = monday.notna() & (monday >= starts[0]) & (monday <= starts[-1])
    keys = reports.loc[inside, by] if by else pd.Series("all", index=reports.index[inside])
    counts = pd.DataFrame({"key": keys, "week": monday[inside]}).groupby(["key", "week"]).size()
    table = counts.unstack("week", fill_value=0) if len(counts) else pd.DataFrame()
    return table.reindex(columns=starts, fill_value=0).fillna(0).astype(int)


def grid_league(
    grids: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    reports: pd.DataFrame,
    filters: Filters,
    now: datetime,
    tz: str,
) -> pd.DataFrame:
    """One row per grid (the chosen ones, or all): the league table of the page.

    Columns: name, worker_name, worker_phone, households, buildings, open, overdue,
    open_per_100_households, new (created in the period), closed, median_days,
    rating, trend (new reports in each of the last :data:`TREND_WEEKS` weeks).
    """
    chosen = select(reports, filters)
    table = pd.DataFrame(index=pd.Index(sorted(grids["grid_id"].astype(str)), name="grid_id"))
    if filters.grids:
        table = table.loc[[g for g in table.index if g in filters.grids]]
    table = table.join(grids.set_index("grid_id")[["name", "worker_name", "worker_phone"]])
    building_grid = buildings_by_grid(buildings, grids)
    per_grid = (
        pd.DataFrame({"grid_id": building_grid, "households": buildings["households"].fillna(0)})
        .groupby("grid_id")
        .agg(buildings=("households", "size"), households=("households", "sum"))
    )
    table = table.join(per_grid)
    table["open"] = chosen[open_mask(chosen)].groupby("grid_id").size()
    table["overdue"] = chosen[overdue_mask(chosen, now)].groupby("grid_id").size()
    created = chosen[within(chosen, "created_at", filters.start, filters.end, tz)]
    table["new"] = created.groupby("grid_id").size()
    done = handled(chosen, filters, tz)
    table["closed"] = done.groupby("grid_id").size()
    for column in ("buildings", "households", "open", "overdue", "new", "closed"):
        table[column] = table[column].fillna(0).astype(int)
    households = table["households"].replace(0, np.nan)
    table["open_per_100_households"] = (table["open"] / households * 100).fillna(0.0).round(1)
    table["median_days"] = days_to_close(done).groupby(done["grid_id"]).median().round(1)
    table["rating"] = done["rating"].astype(float).groupby(done["grid_id"]).mean().round(2)
    trend = weekly_counts(chosen, "grid_id", filters.end, tz).reindex(table.index, fill_value=0)
    table["trend"] = [list(map(int, row)) for row in trend.to_numpy()]
    return table


def top_categories(
    reports: pd.DataFrame, grid_id: str, filters: Filters, tz: str, n: int = 5
) -> pd.Series:
    """The grid's most reported categories within the period, most first."""
    chosen = select(reports, filters)
    mine = chosen[(chosen["grid_id"] == grid_id)]
    mine = mine[within(mine, "created_at", filters.start, filters.end, tz)]
    return mine["category"].value_counts().head(n)


def oldest_open(
    reports: pd.DataFrame, filters: Filters, now: datetime, grid_id: str | None = None, n=10
) -> pd.DataFrame:
    """The open reports waiting longest (of one grid, or all), with days open and overdue."""
    chosen = select(reports, filters)
    waiting = chosen[open_mask(chosen)]
    if grid_id is not None:
        waiting = waiting[waiting["grid_id"] == grid_id]
    waiting = waiting.sort_values(["created_at", "report_id"]).head(n)
    now_ts = pd.Timestamp(now)
    out = pd.DataFrame(waiting.drop(columns="geometry", errors="ignore"))
    out["days_open"] = ((now_ts - out["created_at"]).dt.total_seconds() / 86400).round(1)
    out["overdue"] = overdue_mask(out, now)
    return out


def overdue_list(reports: pd.DataFrame, filters: Filters, now: datetime) -> pd.DataFrame:
    """Every overdue report of the chosen set, most overdue first."""
    chosen = select(reports, filters)
    late = chosen[overdue_mask(chosen, now)].copy()
    now_ts = pd.Timestamp(now)
    late["days_overdue"] = ((now_ts - late["due_at"]).dt.total_seconds() / 86400).round(1)
    return late.sort_values(["due_at", "report_id"])


# --- charts ----------------------------------------------------------------------------


def weekly_by_status(reports: pd.DataFrame, filters: Filters, tz: str) -> pd.DataFrame:
    """Reports created in each week of the period, by their status now (long form).

    Columns: week (its Monday), status, reports, and days: how many of the week's days
    lie in the period. A period rarely starts on a Monday and ends on a Sunday, so its
    first and last weeks are counted over fewer days (this week's: up to today).
    """
    chosen = select(reports, filters)
    created = chosen[within(chosen, "created_at", filters.start, filters.end, tz)]
    days = day_of(created, "created_at", tz)
    week = days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    counts = (
        pd.DataFrame({"week": week, "status": created["status"]})
        .groupby(["week", "status"])
        .size()
        .rename("reports")
        .reset_index()
    )
    first, last = pd.Timestamp(filters.start), pd.Timestamp(filters.end)
    week_end = counts["week"] + pd.Timedelta(days=6)
    counts["days"] = (
        (
            week_end.where(week_end < last, last)
            - counts["week"].where(counts["week"] > first, first)
        )
        .dt.days.add(1)
        .astype(int)
    )
    return counts


def by_category(reports: pd.DataFrame, filters: Filters, now: datetime, tz: str) -> pd.DataFrame:
    """Per category: reports created in the period, open now and overdue now."""
    chosen = select(reports, filters)
    created = chosen[within(chosen, "created_at", filters.start, filters.end, tz)]
    table = pd.DataFrame(
        {
            "reports": created.groupby("category").size(),
            "open": chosen[open_mask(chosen)].groupby("category").size(),
            "overdue": chosen[overdue_mask(chosen, now)].groupby("category").size(),
        }
    )
    table = table.fillna(0).astype(int)
    table.index.name = "category"
    return table.sort_values(["reports", "open"], ascending=False, kind="stable")


# --- a street of communities ----------------------------------------------------------


@dataclass
class CommunityFigures:
    """The inputs of one community's row in the street view."""

    community_id: str
    name: str
    households: int
    reports: pd.DataFrame
    tz: str
    extra: dict = field(default_factory=dict)


def street_table(
    communities: Sequence[CommunityFigures], filters: Filters, now: datetime
) -> pd.DataFrame:
    """One row per community, the same tiles side by side, plus open per 100 households."""
    rows = []
    for item in communities:
        # grids differ per community: the grid filter applies inside one community only
        figures = tiles(item.reports, replace(filters, grids=()), now, item.tz)
        per_100 = figures.open / item.households * 100 if item.households else None
        rows.append(
            {
                "community_id": item.community_id,
                "name": item.name,
                "households": item.households,
                "open": figures.open,
                "overdue": figures.overdue,
                "open_per_100_households": None if per_100 is None else round(per_100, 1),
                "created": figures.created,
                "closed": figures.closed,
                "median_days_to_close": figures.median_days_to_close,
                "average_rating": figures.average_rating,
            }
        )
    return pd.DataFrame(rows).set_index("community_id")


# --- everything the page shows ---------------------------------------------------------


@dataclass
class Figures:
    """Every figure of the Overview for one community and one set of filters."""

    tiles: Tiles
    league: pd.DataFrame
    weekly: pd.DataFrame
    categories: pd.DataFrame
    overdue: pd.DataFrame
    period_reports: pd.DataFrame  # created within the period, for the heatmap


def compute(
    layers: Mapping[str, pd.DataFrame], filters: Filters, now: datetime, tz: str
) -> Figures:
    """The Overview's figures from the community's layers (as the store reads them)."""
    reports = with_local_days(layers["reports"], tz)
    chosen = select(reports, filters)
    return Figures(
        tiles=tiles(reports, filters, now, tz),
        league=grid_league(layers["grids"], layers["buildings"], reports, filters, now, tz),
        weekly=weekly_by_status(reports, filters, tz),
        categories=by_category(reports, filters, now, tz),
        overdue=overdue_list(reports, filters, now),
        period_reports=chosen[within(chosen, "created_at", filters.start, filters.end, tz)],
    )
