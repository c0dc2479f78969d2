"""Assigning reports to grids and buildings: the spatial join of DESIGN.md §3.

Grid: the grid whose polygon covers the point, boundary included; on a shared
boundary the lowest grid_id wins; outside every grid the answer is None.
Building: the footprint that covers the point (lowest building_id on ties), else
the nearest footprint within ``radius_m`` metres measured in the local UTM zone,
else None.

Both run on Shapely 2's STRtree in bulk, so a million points cost one tree query.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely import STRtree

from geo.crs import local_utm_epsg

DEFAULT_RADIUS_M = 30.0
TIE_TOLERANCE_M = 1e-6


def _lowest_key_per_point(
    point_idx: np.ndarray, target_idx: np.ndarray, keys: np.ndarray, n_points: int
) -> np.ndarray:
    """For each point, the smallest key among its matches (None where it has none)."""
    out = np.full(n_points, None, dtype=object)
    if len(point_idx) == 0:
        return out
    # Rank keys once so the tie-break compares strings exactly as SQL ORDER BY does
    # for plain ASCII codes, then keep the first match per point.
    order_of_keys = np.argsort(keys.astype(str), kind="stable")
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order_of_keys] = np.arange(len(keys))
    order = np.lexsort((rank[target_idx], point_idx))
    p_sorted, t_sorted = point_idx[order], target_idx[order]
    first = np.ones(len(p_sorted), dtype=bool)
    first[1:] = p_sorted[1:] != p_sorted[:-1]
    out[p_sorted[first]] = keys[t_sorted[first]]
    return out


def _as_geometry_array(points, crs=None) -> np.ndarray:
    """Plain shapely geometries, reprojected to ``crs`` when both sides name a CRS."""
    if isinstance(points, gpd.GeoSeries | gpd.GeoDataFrame):
        series = points.geometry
        if crs is not None and series.crs is not None and series.crs != crs:
            series = series.to_crs(crs)
        return np.asarray(series.values, dtype=object)
    return np.asarray(points, dtype=object)


def assign_grids(points, grids: gpd.GeoDataFrame, key: str = "grid_id") -> np.ndarray:
    """Return the grid_id covering each point (boundary included), or None.

    Parameters
    ----------
    points : GeoSeries or array of shapely Points, in the grids' CRS.
    grids : GeoDataFrame with a ``key`` column and polygon geometries.

    Returns
    -------
    numpy object array, one grid_id (or None) per point, in the order of ``points``.
    """
    geoms = _as_geometry_array(points, grids.crs)
    if len(grids) == 0 or len(geoms) == 0:
        return np.full(len(geoms), None, dtype=object)
    tree = STRtree(np.asarray(grids.geometry.values, dtype=object))
    # For a point and a polygon, "intersects" is exactly "covered by, boundary included".
    point_idx, grid_idx = tree.query(geoms, predicate="intersects")
    keys = np.asarray(grids[key].astype(str).values, dtype=object)
    return _lowest_key_per_point(point_idx, grid_idx, keys, len(geoms))


def assign_buildings(
    points,
    buildings: gpd.GeoDataFrame,
    radius_m: float = DEFAULT_RADIUS_M,
    key: str = "building_id",
    metric_epsg: int | None = None,
) -> np.ndarray:
    """Return the building_id each point belongs to, or None.

    The covering footprint wins; otherwise the nearest footprint within
    ``radius_m`` metres (measured in ``metric_epsg``, by default the UTM zone of the
    buildings), lowest building_id on equal distance.
    """
    geoms = _as_geometry_array(points, buildings.crs)
    n = len(geoms)
    if len(buildings) == 0 or n == 0:
        return np.full(n, None, dtype=object)
    footprints = np.asarray(buildings.geometry.values, dtype=object)
    keys = np.asarray(buildings[key].astype(str).values, dtype=object)
    tree = STRtree(footprints)
    point_idx, b_idx = tree.query(geoms, predicate="intersects")
    out = _lowest_key_per_point(point_idx, b_idx, keys, n)

    missing = np.flatnonzero((out == None) & ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms))  # noqa: E711
    if len(missing) == 0 or radius_m <= 0:
        return out
    metric_crs = metric_epsg if metric_epsg is not None else _metric_crs(footprints, buildings.crs)
    metric_b = np.asarray(gpd.GeoSeries(footprints, crs=buildings.crs).to_crs(metric_crs).values)
    metric_p = np.asarray(
        gpd.GeoSeries(geoms[missing], crs=buildings.crs).to_crs(metric_crs).values
    )
    near_p, near_b = STRtree(metric_b).query(metric_p, predicate="dwithin", distance=radius_m)
    dist = shapely.distance(metric_p[near_p], metric_b[near_b])
    # Reprojection adds ~1e-9 m of noise, so "equally near" means within a micrometre;
    # among those the lowest building_id wins, as in SQL.
    best = np.full(len(missing), np.inf)
    np.minimum.at(best, near_p, dist)
    tie = dist <= best[near_p] + TIE_TOLERANCE_M
    out[missing] = _lowest_key_per_point(near_p[tie], near_b[tie], keys, len(missing))
    return out


def _metric_crs(footprints: np.ndarray, crs) -> pyproj.CRS | int:
    """The CRS distances are measured in: the layer's own if projected, else its UTM zone."""
    crs = pyproj.CRS.from_user_input(crs if crs is not None else 4326)
    if crs.is_projected:
        return crs
    minx, miny, maxx, maxy = shapely.total_bounds(footprints)
    lon, lat = pyproj.Transformer.from_crs(crs, 4326, always_xy=True).transform(
        (minx + maxx) / 2, (miny + maxy) / 2
    )
    return local_utm_epsg(lon, lat)


def assign_reports(
    reports: gpd.GeoDataFrame,
    grids: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    radius_m: float = DEFAULT_RADIUS_M,
) -> gpd.GeoDataFrame:
    """Return a copy of ``reports`` with grid_id and building_id set by the rule above."""
    out = reports.copy()
    grid_ids = assign_grids(out.geometry, grids)
    building_ids = assign_buildings(out.geometry, buildings, radius_m=radius_m)
    # Object dtype keeps "no grid" as None (pandas 3 would turn a str column's None to NaN).
    out["grid_id"] = pd.Series(grid_ids, index=out.index, dtype=object)
    out["building_id"] = pd.Series(building_ids, index=out.index, dtype=object)
    return out
