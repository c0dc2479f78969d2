"""Per-grid figures for the map and the grid card: households, buildings, open work.

A building belongs to the grid that covers its representative point (a point
guaranteed inside the footprint), by the same rule as reports.
"""

from __future__ import annotations

from datetime import datetime

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.assign import assign_grids
from geo.model import OPEN_STATUSES


def buildings_by_grid(buildings: gpd.GeoDataFrame, grids: gpd.GeoDataFrame) -> pd.Series:
    """grid_id of every building (None outside every grid), indexed like ``buildings``."""
    points = buildings.geometry.representative_point()
    return pd.Series(assign_grids(points, grids), index=buildings.index, name="grid_id")


def open_mask(reports: pd.DataFrame) -> pd.Series:
    return reports["status"].isin(OPEN_STATUSES)


def overdue_mask(reports: pd.DataFrame, now: datetime) -> pd.Series:
    """Open reports whose due time has passed (DESIGN.md §3: not resolved by due_at)."""
    now_ts = pd.Timestamp(now)
    now_ts = now_ts.tz_localize("UTC") if now_ts.tzinfo is None else now_ts.tz_convert("UTC")
    return open_mask(reports) & reports["due_at"].notna() & (reports["due_at"] < now_ts)


def grid_summary(
    grids: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    reports: pd.DataFrame,
    now: datetime,
) -> pd.DataFrame:
    """One row per grid: households, buildings, open and overdue reports, open per 100 households.

    Indexed by grid_id, in grid_id order.
    """
    building_grid = buildings_by_grid(buildings, grids)
    per_grid = (
        pd.DataFrame({"grid_id": building_grid, "households": buildings["households"].fillna(0)})
        .groupby("grid_id")
        .agg(buildings=("households", "size"), households=("households", "sum"))
    )
    open_reports = reports[open_mask(reports)]
    overdue = reports[overdue_mask(reports, now)]
    table = pd.DataFrame(index=pd.Index(sorted(grids["grid_id"].astype(str)), name="grid_id"))
    table = table.join(grids.set_index("grid_id")[["name", "worker_name", "worker_phone"]])
    table = table.join(per_grid)
    table["open"] = open_reports.groupby("grid_id").size()
    table["overdue"] = overdue.groupby("grid_id").size()
    for column in ("buildings", "households", "open", "overdue"):
        table[column] = table[column].fillna(0).astype(int)
    households = table["households"].replace(0, np.nan)
    table["open_per_100_households"] = (table["open"] / households * 100).fillna(0.0).round(1)
    return table


def open_by_category(reports: pd.DataFrame, grid_id: str, now: datetime) -> pd.DataFrame:
    """Open and overdue reports of one grid by category, most open first."""
    mine = reports[open_mask(reports) & (reports["grid_id"] == grid_id)]
    table = pd.DataFrame(
        {"category": mine["category"], "overdue": overdue_mask(mine, now).astype(int)}
    )
    counts = table.groupby("category").agg(open=("overdue", "size"), overdue=("overdue", "sum"))
    return counts.sort_values("open", ascending=False, kind="stable")


def community_totals(summary: pd.DataFrame, reports: pd.DataFrame, now: datetime) -> dict:
    """Headline figures for the whole community."""
    return {
        "grids": len(summary),
        "buildings": int(summary["buildings"].sum()),
        "households": int(summary["households"].sum()),
        "open": int(open_mask(reports).sum()),
        "overdue": int(overdue_mask(reports, now).sum()),
        "unassigned": int(reports["grid_id"].isna().sum()),
    }
