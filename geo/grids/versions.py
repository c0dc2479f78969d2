"""Versions of grids for the planner: where one starts from, what changed, old statistics.

Saving is the stores' job (:meth:`geo.store.base.Store.save_grids`, compare and set);
this module reads around it: the :class:`~geo.store.base.GridBase` a page starts
from, the changes between two sets of grids, and reports counted per grid either as
recorded (each report keeps the grid it was handled in: closed reports are never
moved) or by a set of grids given (the current ones, or any version).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import model
from geo.assign import assign_grids
from geo.grids.shapes import NOISE_M2, Metric, polygonal
from geo.i18n import t
from geo.store.base import GridBase, Store
from geo.store.grid_versions import base_of

CHANGES = ("added", "removed", "reshaped", "details", "same")
CHANGE_KEYS = {
    "added": "grids.change.added",
    "removed": "grids.change.removed",
    "reshaped": "grids.change.reshaped",
    "details": "grids.change.details",
    "same": "grids.change.same",
}
KIND_KEYS = {
    "saved": "grids.version_kind.saved",
    "found": "grids.version_kind.found",
    "outside": "grids.version_kind.outside",
}
_DETAILS = ("name", "worker_name", "worker_phone")


def current_base(store: Store, community_id: str, grids: pd.DataFrame) -> GridBase:
    """The :class:`GridBase` of ``grids`` (as just read from ``store``)."""
    versions = store.grid_versions(community_id)
    latest = versions.iloc[-1].to_dict() if len(versions) else None
    return base_of(latest, grids)


def changes_between(
    before: gpd.GeoDataFrame, after: gpd.GeoDataFrame, metric: Metric | None = None
) -> pd.DataFrame:
    """How each grid differs between two sets of grids, matched by code.

    Returns
    -------
    pandas.DataFrame
        Indexed by grid code (every code of either set, in order), with ``change``
        (one of :data:`CHANGES`: reshaped wins over changed details), ``area_before``
        and ``area_after`` (m², NaN where the grid is absent), ``moved`` (m² of ground
        that changed hands: the symmetric difference) and ``fields`` (the changed
        details, comma-separated).
    """
    metric = metric or Metric.around(list(before.geometry.values) + list(after.geometry.values))
    a = _by_code(before, metric)
    b = _by_code(after, metric)
    codes = sorted(set(a) | set(b))
    rows = []
    for code in codes:
        old, new = a.get(code), b.get(code)
        row = {"grid_id": code, "area_before": np.nan, "area_after": np.nan, "moved": 0.0}
        if old is not None:
            row["area_before"] = old["shape"].area
        if new is not None:
            row["area_after"] = new["shape"].area
        if old is None or new is None:
            row["change"] = "added" if old is None else "removed"
            row["moved"] = (new or old)["shape"].area
            row["fields"] = ""
            rows.append(row)
            continue
        moved = shapely.area(shapely.symmetric_difference(old["shape"], new["shape"]))
        fields = [f for f in _DETAILS if old[f] != new[f]]
        row["moved"] = float(moved)
        row["fields"] = ", ".join(fields)
        row["change"] = "reshaped" if moved >= NOISE_M2 else "details" if fields else "same"
        rows.append(row)
    columns = ["grid_id", "change", "area_before", "area_after", "moved", "fields"]
    return pd.DataFrame(rows, columns=columns).set_index("grid_id")


def _by_code(grids: gpd.GeoDataFrame, metric: Metric) -> dict[str, dict]:
    shapes = metric.to_metric(grids.geometry.values)
    out = {}
    for i, code in enumerate(grids["grid_id"]):
        if model.is_missing(code):
            continue
        values = {f: _text(grids[f].iloc[i]) for f in _DETAILS}
        values["shape"] = polygonal(shapes[i])
        out[str(code)] = values
    return out


def _text(value) -> str | None:
    return None if model.is_missing(value) or not str(value).strip() else str(value).strip()


def changes_display(changes: pd.DataFrame, lang: str = "en", only_changed: bool = True):
    """The changes as a table for people, in ``lang``."""
    shown = changes[changes["change"] != "same"] if only_changed else changes
    return pd.DataFrame(
        {
            t("grids.col.grid", lang): shown.index,
            t("grids.col.change", lang): [t(CHANGE_KEYS[c], lang) for c in shown["change"]],
            t("grids.col.area_before", lang): shown["area_before"].round(0).to_numpy(),
            t("grids.col.area_after", lang): shown["area_after"].round(0).to_numpy(),
            t("grids.col.moved", lang): shown["moved"].round(1).to_numpy(),
            t("grids.col.fields", lang): shown["fields"].to_numpy(),
        }
    )


def reports_per_grid(reports: pd.DataFrame, grids: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Reports, open and done per grid: as recorded, or by the grids given.

    Parameters
    ----------
    reports
        Reports with status, grid_id and point geometries.
    grids
        None: each report counts in the grid it carries (the historical grid: a
        closed report keeps the grid it was closed in). Otherwise every report is
        counted in the grid of ``grids`` covering it (the current grids, or a
        version's), by the rule of :func:`geo.assign.assign_grids`.

    Returns
    -------
    pandas.DataFrame
        Indexed by grid code in order, a last row "" for reports in no grid, with
        columns reports, open, done.
    """
    if grids is None:
        where = [None if model.is_missing(g) else str(g) for g in reports["grid_id"]]
    else:
        where = list(assign_grids(reports.geometry, grids[grids["grid_id"].notna()]))
    where = pd.Series([w or "" for w in where], index=reports.index, dtype=object)
    is_open = reports["status"].isin(model.OPEN_STATUSES)
    table = pd.DataFrame(
        {"reports": where.value_counts(), "open": where[is_open].value_counts()}
    ).fillna(0)
    table["done"] = table["reports"] - table["open"]
    table = table.astype(int)
    order = sorted(code for code in table.index if code) + ([""] if "" in table.index else [])
    return table.loc[order]
