"""The what-if preview: households, buildings and open reports per grid, before and after.

Before is the store as it is: buildings by the grids saved now, open reports by the
grid each one carries. After is what saving the draft would make of them, by the
rules the stores apply on save (DESIGN.md §3): a building goes to the grid covering
its representative point; an open report to the grid covering it (lowest code on a
shared boundary, none outside every grid), except a grid chosen by hand, which is
kept. Closed reports keep the grid they were closed in, so they do not move.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import model
from geo.assign import assign_grids
from geo.grid_stats import buildings_by_grid
from geo.i18n import t

COLUMNS = (
    "households_before",
    "households_after",
    "buildings_before",
    "buildings_after",
    "open_before",
    "open_after",
)
_HEADERS = {
    "households_before": "grids.col.households_before",
    "households_after": "grids.col.households_after",
    "buildings_before": "grids.col.buildings_before",
    "buildings_after": "grids.col.buildings_after",
    "open_before": "grids.col.open_before",
    "open_after": "grids.col.open_after",
}


@dataclass
class Preview:
    """What saving a draft would change.

    ``table`` is indexed by grid code (every grid before or after, in code order)
    with the :data:`COLUMNS`; ``moves`` lists open reports moving between grids
    (from_grid, to_grid, reports; None is "no grid"), most first.
    """

    table: pd.DataFrame
    moves: pd.DataFrame
    open_moved: int
    unassigned_before: int
    unassigned_after: int

    def changed(self) -> pd.DataFrame:
        """The rows of grids whose figures change."""
        t_ = self.table
        same = (
            (t_["households_before"] == t_["households_after"])
            & (t_["buildings_before"] == t_["buildings_after"])
            & (t_["open_before"] == t_["open_after"])
        )
        return t_[~same]

    def display(self, lang: str = "en", only_changed: bool = False) -> pd.DataFrame:
        """The table with headers in ``lang`` and the change of open reports."""
        table = self.changed() if only_changed else self.table
        out = table.rename(columns={c: t(k, lang) for c, k in _HEADERS.items()})
        out.insert(0, t("grids.col.grid", lang), table.index)
        return out.reset_index(drop=True)


def _usable(grids: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Grids with a code and a shape; invalid shapes made valid so the tree can use them."""
    grids = grids[grids["grid_id"].notna()].copy()
    geoms = np.asarray(grids.geometry.values, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    grids = grids[present]
    geoms = np.asarray(grids.geometry.values, dtype=object)
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid])
        grids = grids.set_geometry(gpd.GeoSeries(list(geoms), index=grids.index, crs=grids.crs))
    return grids


def open_reports_after(reports: pd.DataFrame, grids: gpd.GeoDataFrame) -> pd.Series:
    """The grid each open report would have with ``grids`` (indexed like the open reports)."""
    open_ = reports[reports["status"].isin(model.OPEN_STATUSES)]
    after = pd.Series(assign_grids(open_.geometry, _usable(grids)), index=open_.index, dtype=object)
    if "grid_by_hand" in open_:
        by_hand = open_["grid_by_hand"].fillna(False).astype(bool) & open_["grid_id"].notna()
        after[by_hand.to_numpy()] = open_.loc[by_hand, "grid_id"].astype(object)
    return after


def preview_change(
    before: gpd.GeoDataFrame,
    after: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    reports: pd.DataFrame,
) -> Preview:
    """Households, buildings and open reports per grid with the stored grids and the draft.

    Parameters
    ----------
    before
        The grids as saved now.
    after
        The draft.
    buildings
        The community's buildings (households per building).
    reports
        The community's reports as stored (status, grid_id, grid_by_hand, points).

    Returns
    -------
    Preview
    """
    before_ok, after_ok = _usable(before), _usable(after)
    households = buildings["households"].fillna(0).astype(int)
    b_before = buildings_by_grid(buildings, before_ok)
    b_after = buildings_by_grid(buildings, after_ok)
    open_ = reports[reports["status"].isin(model.OPEN_STATUSES)]
    r_before = open_["grid_id"].astype(object)
    r_after = open_reports_after(reports, after_ok)

    codes = sorted(
        set(before_ok["grid_id"].astype(str))
        | set(after_ok["grid_id"].astype(str))
        | set(r_before.dropna().astype(str))
    )
    table = pd.DataFrame(index=pd.Index(codes, name="grid_id"))
    table["households_before"] = households.groupby(b_before).sum()
    table["households_after"] = households.groupby(b_after).sum()
    table["buildings_before"] = b_before.value_counts()
    table["buildings_after"] = b_after.value_counts()
    table["open_before"] = r_before.value_counts()
    table["open_after"] = r_after.value_counts()
    table = table[list(COLUMNS)].fillna(0).astype(int)

    before_codes = [None if model.is_missing(g) else str(g) for g in r_before]
    after_codes = [None if model.is_missing(g) else str(g) for g in r_after]
    pairs = Counter((a, b) for a, b in zip(before_codes, after_codes, strict=True) if a != b)
    rows = sorted(
        ((a, b, n) for (a, b), n in pairs.items()), key=lambda r: (-r[2], r[0] or "", r[1] or "")
    )
    moves = pd.DataFrame(rows, columns=["from_grid", "to_grid", "reports"]).astype(
        {"from_grid": object, "to_grid": object, "reports": int}
    )
    return Preview(
        table=table,
        moves=moves,
        open_moved=int(sum(pairs.values())),
        unassigned_before=before_codes.count(None),
        unassigned_after=after_codes.count(None),
    )
