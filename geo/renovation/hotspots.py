"""Hot and cold spots of reports: Getis-Ord Gi* (PySAL esda) with a false discovery rate.

Reports are counted per unit: H3 cells (resolution 11, about 25 m a side, by
default) over the community and wherever reports fall, or per building (the
reports linked to it). Gi* compares each unit and its neighbours (the six cells
around an H3 cell; the six nearest buildings, measured in metres) with the whole
community: a large positive z says more reports around here than chance would
put together, a large negative one fewer. The z-scores are the analytical ones
(binary weights, the unit itself included), two-sided p-values are corrected
for testing every unit at once with the Benjamini–Hochberg false discovery rate
(``esda.fdr``), so a hotspot on the list is real rather than noise.
Neighbouring significant units of the same sign form one hotspot, listed with
its dominant categories and the buildings inside.

The heatmap's time control uses :func:`period_labels`: each report's month or
ISO week in the community's time zone.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import model
from geo.errors import GridmapError

UNITS = ("h3", "building")
RESOLUTIONS = (10, 11, 12)
DEFAULT_RESOLUTION = 11
DEFAULT_ALPHA = 0.05
BUILDING_NEIGHBOURS = 6
TOP_CATEGORIES = 3
STEPS = ("month", "week")


@dataclass(frozen=True)
class Hotspots:
    """What :func:`find_hotspots` found.

    Attributes
    ----------
    units
        Every unit: unit (H3 cell or building_id), reports, z, p, significant, kind
        (``hot``, ``cold`` or ``""``), hotspot (its hotspot's id or ``""``) and the
        unit's polygon (WGS 84).
    hotspots
        One row per hotspot, hot ones first, each by its strongest z: hotspot (H1,
        H2, ..., C1, ...), kind, units, reports, z (the strongest), categories (a
        list of (code, count), most first), buildings (building_ids).
    threshold
        The p-value below which a unit is significant after the FDR correction
        (0 when there was nothing to test).
    alpha
        The false discovery rate asked for.
    """

    units: gpd.GeoDataFrame
    hotspots: pd.DataFrame
    threshold: float
    alpha: float


def period_labels(times: pd.Series, step: str, tz: str) -> pd.Series:
    """Each time's month (``2025-07``) or ISO week (``2025-W28``) in the zone ``tz``.

    Parameters
    ----------
    times
        Time-zone aware timestamps.
    step
        ``"month"`` or ``"week"``.
    tz
        The community's IANA zone.

    Returns
    -------
    pandas.Series
        Labels that sort in time order, indexed like ``times``.
    """
    if step not in STEPS:
        raise GridmapError("buildings.bad_step", step=step, known=", ".join(STEPS))
    local = pd.to_datetime(times, utc=True).dt.tz_convert(tz)
    if step == "month":
        return local.dt.strftime("%Y-%m")
    iso = local.dt.isocalendar()
    return iso["year"].astype(str) + "-W" + iso["week"].astype(int).map("{:02d}".format)


def _h3():
    import h3

    return h3


def h3_cells(points, resolution: int) -> np.ndarray:
    """The H3 cell of each WGS 84 point, as strings (None for a missing point)."""
    h3 = _h3()
    xs, ys = (
        shapely.get_x(np.asarray(points, dtype=object)),
        shapely.get_y(np.asarray(points, dtype=object)),
    )
    return np.array(
        [
            None if np.isnan(x) else h3.latlng_to_cell(float(y), float(x), resolution)
            for x, y in zip(xs, ys, strict=True)
        ],
        dtype=object,
    )


def cells_over(area: gpd.GeoDataFrame, resolution: int) -> list[str]:
    """The H3 cells that overlap ``area`` (WGS 84 polygons)."""
    h3 = _h3()
    cells: set[str] = set()
    for geom in area.geometry:
        if geom is None or geom.is_empty:
            continue
        shape = h3.geo_to_h3shape(shapely.geometry.mapping(geom))
        cells.update(h3.h3shape_to_cells_experimental(shape, resolution, contain="overlap"))
    return sorted(cells)


def cell_polygons(cells: list[str]) -> gpd.GeoSeries:
    """The hexagon of each H3 cell, in WGS 84."""
    h3 = _h3()
    rings = [[(lng, lat) for lat, lng in h3.cell_to_boundary(c)] for c in cells]
    return gpd.GeoSeries(shapely.polygons(rings) if rings else [], crs=model.WGS84)


def _h3_neighbours(cells: list[str]) -> dict[str, list[str]]:
    h3 = _h3()
    known = set(cells)
    return {c: sorted(n for n in h3.grid_disk(c, 1) if n != c and n in known) for c in cells}


def _building_neighbours(buildings: gpd.GeoDataFrame, epsg: int, k: int) -> dict[str, list[str]]:
    from geo.renovation.coverage import to_metric

    ids = buildings["building_id"].astype(str).tolist()
    centres = shapely.centroid(to_metric(buildings, epsg))
    xy = np.column_stack([shapely.get_x(centres), shapely.get_y(centres)])
    k = min(k, len(ids) - 1)
    if k <= 0:
        return {i: [] for i in ids}
    distance = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    np.fill_diagonal(distance, np.inf)
    nearest = np.argsort(distance, axis=1, kind="stable")[:, :k]
    return {ids[i]: [ids[j] for j in nearest[i]] for i in range(len(ids))}


def gi_star(
    counts: np.ndarray, neighbours: dict[str, list[str]], ids: list[str], alpha: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Gi* z-scores, two-sided p-values, significance after FDR, and the p cut-off.

    Parameters
    ----------
    counts
        Reports per unit, in the order of ``ids``.
    neighbours
        Each unit's neighbours (the unit itself is added by Gi*).
    ids
        The units.
    alpha
        The false discovery rate.

    Returns
    -------
    (z, p, significant, threshold)
        Arrays in ``ids`` order; where the counts do not vary, z is 0 and p is 1.
    """
    n = len(ids)
    z = np.zeros(n)
    p = np.ones(n)
    y = np.asarray(counts, dtype=float)
    if n < 3 or np.ptp(y) == 0:
        return z, p, np.zeros(n, dtype=bool), 0.0
    from esda import G_Local, fdr
    from libpysal.weights import W

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands (a lone cell) are allowed: Gi* counts itself
        w = W({i: neighbours[i] for i in ids}, id_order=ids, silence_warnings=True)
        g = G_Local(y, w, transform="B", star=True, permutations=0)
    z = np.nan_to_num(np.asarray(g.Zs, dtype=float), nan=0.0)
    p = np.clip(2.0 * np.asarray(g.p_norm, dtype=float), 0.0, 1.0)
    p[~np.isfinite(p)] = 1.0
    threshold = float(fdr(p, alpha))
    # esda.fdr returns alpha / n when nothing passes; nothing is then below it.
    return z, p, p < threshold, threshold


def _groups(ids: list[str], neighbours, kind: np.ndarray) -> np.ndarray:
    """Component number of each significant unit among its same-kind neighbours (-1: none)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    position = {u: i for i, u in enumerate(ids)}
    rows, cols = [], []
    for u in ids:
        i = position[u]
        if not kind[i]:
            continue
        for v in neighbours[u]:
            j = position[v]
            if kind[j] == kind[i]:
                rows.append(i)
                cols.append(j)
    n = len(ids)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return np.where(kind != "", labels, -1)


def find_hotspots(
    reports: pd.DataFrame,
    layers: dict[str, pd.DataFrame],
    unit: str = "h3",
    resolution: int = DEFAULT_RESOLUTION,
    alpha: float = DEFAULT_ALPHA,
    epsg: int | None = None,
) -> Hotspots:
    """Gi* hot and cold spots of ``reports`` (already filtered by time and category).

    Parameters
    ----------
    reports
        The reports to count (point geometries in WGS 84; ``building_id`` for the
        building unit).
    layers
        The community's layers: ``community`` (the cells cover it) and ``buildings``.
    unit
        ``"h3"`` for H3 cells, ``"building"`` for buildings.
    resolution
        The H3 resolution (10: about 76 m a side, 11: 29 m, 12: 11 m).
    alpha
        The false discovery rate.
    epsg
        The metric CRS for building neighbours; by default the community's UTM zone.

    Returns
    -------
    Hotspots
    """
    if unit not in UNITS:
        raise GridmapError("buildings.bad_unit", unit=unit, known=", ".join(UNITS))
    if not 0 < alpha < 1:
        raise GridmapError("buildings.bad_alpha", alpha=alpha)
    buildings = layers["buildings"]
    points = np.asarray(reports.geometry.values, dtype=object)
    if unit == "h3":
        if resolution not in RESOLUTIONS:
            raise GridmapError(
                "buildings.bad_resolution", resolution=resolution, known=str(RESOLUTIONS)
            )
        report_unit = h3_cells(points, resolution)
        ids = sorted(set(cells_over(layers["community"], resolution)) | set(report_unit) - {None})
        neighbours = _h3_neighbours(ids)
        shapes = cell_polygons(ids)
        building_unit = h3_cells(buildings.geometry.representative_point().values, resolution)
    else:
        from geo.renovation.coverage import metric_epsg

        ids = buildings["building_id"].astype(str).tolist()
        neighbours = _building_neighbours(
            buildings, epsg or metric_epsg(layers), BUILDING_NEIGHBOURS
        )
        shapes = gpd.GeoSeries(buildings.geometry.values, crs=model.WGS84)
        report_unit = reports["building_id"].astype(object).to_numpy()
        report_unit = np.array([None if model.is_missing(u) else str(u) for u in report_unit])
        building_unit = np.array(ids, dtype=object)
    counts = pd.Series(report_unit).value_counts().reindex(ids).fillna(0).astype(int).to_numpy()
    z, p, significant, threshold = gi_star(counts, neighbours, ids, alpha)
    kind = np.where(significant, np.where(z > 0, "hot", "cold"), "")
    group = _groups(ids, neighbours, kind)
    units = gpd.GeoDataFrame(
        {"unit": ids, "reports": counts, "z": z, "p": p, "significant": significant, "kind": kind},
        geometry=shapes.values,
        crs=model.WGS84,
    )
    table, names = _hotspot_table(units, group, reports, report_unit, buildings, building_unit)
    units["hotspot"] = [names.get(g, "") for g in group]
    return Hotspots(units=units, hotspots=table, threshold=threshold, alpha=alpha)


def _hotspot_table(units, group, reports, report_unit, buildings, building_unit):
    """The hotspot list, and each group number's hotspot id."""
    columns = ["hotspot", "kind", "units", "reports", "z", "categories", "buildings"]
    rows = []
    categories = reports["category"].astype(object).to_numpy()
    building_ids = buildings["building_id"].astype(str).to_numpy()
    for g in sorted(set(group) - {-1}):
        members = np.flatnonzero(group == g)
        unit_ids = set(units["unit"].to_numpy()[members])
        zs = units["z"].to_numpy()[members]
        kind = units["kind"].to_numpy()[members[0]]
        inside = np.isin(report_unit.astype(str), list(unit_ids))
        top = pd.Series(categories[inside]).value_counts().head(TOP_CATEGORIES)
        rows.append(
            {
                "kind": kind,
                "units": len(members),
                "reports": int(units["reports"].to_numpy()[members].sum()),
                "z": float(zs.max() if kind == "hot" else zs.min()),
                "categories": [(str(c), int(n)) for c, n in top.items()],
                "buildings": sorted(
                    building_ids[np.isin(building_unit.astype(str), list(unit_ids))]
                ),
                "group": g,
            }
        )
    if not rows:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns}), {}
    table = pd.DataFrame(rows)
    table["strength"] = table["z"].abs()
    table["order"] = (table["kind"] == "cold").astype(int)
    table = table.sort_values(["order", "strength", "group"], ascending=[True, False, True])
    names: dict[int, str] = {}
    counters = {"hot": 0, "cold": 0}
    for g, kind in zip(table["group"], table["kind"], strict=True):
        counters[kind] += 1
        names[g] = f"{'H' if kind == 'hot' else 'C'}{counters[kind]}"
    table["hotspot"] = [names[g] for g in table["group"]]
    return table[columns].reset_index(drop=True), names
