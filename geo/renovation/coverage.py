"""Facility coverage: how far each building is from a charger or a drying area, in metres.

A building is covered when its middle (the centroid of its footprint, where the
average resident lives) is within the radius of a facility (150 m for chargers,
100 m for drying areas by default), measured in the local UTM zone to the facility
(a point, or the nearest edge of a drying yard). Suggested sites for k new facilities are chosen by
the maximal covering location problem (PySAL spopt's MCLP, solved with the CBC
solver that ships in PuLP's wheel): the sites that together cover the most
households not covered today, from candidates drawn by the user or generated on
open ground.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import model
from geo.crs import local_utm_epsg
from geo.errors import GridmapError

FACILITIES = ("chargers", "drying_areas")
DEFAULT_RADIUS_M = {"chargers": 150.0, "drying_areas": 100.0}
# Charger statuses that mean it does not serve anyone today.
OUT_OF_SERVICE = ("broken", "out_of_service", "removed", "fault", "offline")
CANDIDATE_SPACING_M = 20.0  # generated candidates: a lattice this fine on open ground
CANDIDATE_CLEARANCE_M = 3.0  # and this far from every building and the boundary
MAX_CANDIDATES = 600


def metric_epsg(layers: dict[str, pd.DataFrame]) -> int:
    """The EPSG code of the UTM zone at the centre of the community (else its buildings).

    Parameters
    ----------
    layers
        The community's layers (``community``, ``buildings``).

    Returns
    -------
    int
        E.g. 32650 for Tianjin.
    """
    for name in ("community", "buildings"):
        frame = layers.get(name)
        if frame is not None and len(frame) and not frame.geometry.is_empty.all():
            minx, miny, maxx, maxy = frame.total_bounds
            return local_utm_epsg((minx + maxx) / 2, (miny + maxy) / 2)
    raise GridmapError("buildings.no_geometry")


def to_metric(geoms, epsg: int) -> np.ndarray:
    """WGS 84 geometries (a GeoSeries, GeoDataFrame or array) in metres, as an array."""
    if isinstance(geoms, gpd.GeoDataFrame):
        geoms = geoms.geometry
    if not isinstance(geoms, gpd.GeoSeries):
        geoms = gpd.GeoSeries(np.asarray(geoms, dtype=object), crs=model.WGS84)
    elif geoms.crs is None:
        geoms = geoms.set_crs(model.WGS84)  # every layer is stored in WGS 84
    return np.asarray(geoms.to_crs(epsg).values, dtype=object)


def from_metric(geoms, epsg: int) -> gpd.GeoSeries:
    """Geometries in metres back in WGS 84."""
    return gpd.GeoSeries(np.asarray(geoms, dtype=object), crs=epsg).to_crs(model.WGS84)


def facilities_of(
    layers: dict[str, pd.DataFrame],
    facility: str,
    kinds: tuple[str, ...] | list[str] | None = None,
    working_only: bool = True,
) -> gpd.GeoDataFrame:
    """The facilities that serve: chargers of the given kinds in service, or drying areas.

    Parameters
    ----------
    layers
        The community's layers.
    facility
        ``"chargers"`` or ``"drying_areas"``.
    kinds
        Charger kinds to count (``ebike``, ``ev``, ``wheelchair``); None for all.
    working_only
        Leave out chargers whose status says they are out of service.

    Returns
    -------
    geopandas.GeoDataFrame
        The rows kept, with a geometry.
    """
    if facility not in FACILITIES:
        raise GridmapError("buildings.bad_facility", facility=facility, known=", ".join(FACILITIES))
    frame = layers[facility]
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if facility == "chargers":
        if kinds:
            frame = frame[frame["kind"].isin(list(kinds))]
        if working_only:
            status = frame["status"].astype(object).fillna("").astype(str).str.lower()
            frame = frame[~status.isin(OUT_OF_SERVICE)]
    return frame


def nearest_distances(
    sources, targets, epsg: int, centroids: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Distance in metres from each source geometry to the nearest target, and which.

    Parameters
    ----------
    sources, targets
        WGS 84 geometries (GeoSeries or GeoDataFrame).
    epsg
        The metric CRS to measure in.
    centroids
        Measure from each source's centroid (a building's middle) instead of its
        nearest point.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Distances (inf when there is no target or no source geometry) and the
        position of the nearest target in ``targets`` (-1 when none).
    """
    src = to_metric(sources, epsg)
    if centroids:
        src = shapely.centroid(src)
    dist = np.full(len(src), np.inf)
    which = np.full(len(src), -1)
    if len(src) == 0 or len(targets) == 0:
        return dist, which
    dst = to_metric(targets, epsg)
    tree = shapely.STRtree(dst)
    present = np.flatnonzero(~shapely.is_missing(src) & ~shapely.is_empty(src))
    if len(present) == 0:
        return dist, which
    (left, right), found = tree.query_nearest(src[present], return_distance=True, all_matches=False)
    dist[present[left]] = found
    which[present[left]] = right
    return dist, which


def coverage_table(
    buildings: gpd.GeoDataFrame, facilities: gpd.GeoDataFrame, radius_m: float, epsg: int
) -> pd.DataFrame:
    """Every building with the distance to its nearest facility and whether it is covered.

    Parameters
    ----------
    buildings
        The buildings layer.
    facilities
        The facilities that serve (see :func:`facilities_of`).
    radius_m
        How far a facility serves, in metres.
    epsg
        The metric CRS.

    Returns
    -------
    pandas.DataFrame
        building_id, name, households (0 when unknown), distance_m (inf when there is
        no facility at all), nearest (the facility's key, None when none), covered;
        in the buildings' order.
    """
    if radius_m < 0:
        raise GridmapError("buildings.negative_radius", radius=radius_m)
    dist, which = nearest_distances(buildings, facilities, epsg, centroids=True)
    key = model.layer("chargers" if "charger_id" in facilities else "drying_areas").key
    keys = facilities[key].astype(object).to_numpy() if len(facilities) else np.array([])
    return pd.DataFrame(
        {
            "building_id": buildings["building_id"].to_numpy(),
            "name": buildings["name"].to_numpy(),
            "households": buildings["households"].fillna(0).astype(int).to_numpy(),
            "distance_m": dist,
            "nearest": [keys[i] if i >= 0 else None for i in which],
            "covered": dist <= radius_m,
        },
        index=buildings.index,
    )


@dataclass(frozen=True)
class CoverageSummary:
    """Counts of a coverage table: buildings and households, all and not covered."""

    buildings: int
    households: int
    uncovered_buildings: int
    uncovered_households: int


def summarise(table: pd.DataFrame) -> CoverageSummary:
    """The counts of a :func:`coverage_table`."""
    out = ~table["covered"]
    return CoverageSummary(
        buildings=len(table),
        households=int(table["households"].sum()),
        uncovered_buildings=int(out.sum()),
        uncovered_households=int(table.loc[out, "households"].sum()),
    )


def open_ground(
    community: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    epsg: int,
    clearance_m: float = CANDIDATE_CLEARANCE_M,
):
    """The community's ground clear of buildings, in metres (a shapely geometry)."""
    area = shapely.union_all(to_metric(community, epsg))
    blocked = shapely.union_all(shapely.buffer(to_metric(buildings, epsg), clearance_m))
    return shapely.difference(shapely.buffer(area, -clearance_m), blocked)


def candidate_sites(
    community: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    epsg: int,
    spacing_m: float = CANDIDATE_SPACING_M,
    clearance_m: float = CANDIDATE_CLEARANCE_M,
    max_sites: int = MAX_CANDIDATES,
) -> gpd.GeoSeries:
    """Candidate sites on open ground: a square lattice, coarsened until few enough.

    Parameters
    ----------
    community, buildings
        The community's boundary and buildings (WGS 84).
    epsg
        The metric CRS.
    spacing_m
        Distance between neighbouring candidates.
    clearance_m
        How far candidates stay from every building and from the boundary.
    max_sites
        The most candidates returned; the spacing grows until there are no more.

    Returns
    -------
    geopandas.GeoSeries
        Points in WGS 84.
    """
    ground = open_ground(community, buildings, epsg, clearance_m)
    if ground.is_empty:
        return gpd.GeoSeries([], crs=model.WGS84)
    minx, miny, maxx, maxy = ground.bounds
    shapely.prepare(ground)
    step = spacing_m
    while True:
        xs, ys = np.meshgrid(
            np.arange(minx + step / 2, maxx, step), np.arange(miny + step / 2, maxy, step)
        )
        xs, ys = xs.ravel(), ys.ravel()
        inside = shapely.contains_xy(ground, xs, ys)
        if inside.sum() <= max_sites:
            break
        step *= 1.25
    return from_metric(shapely.points(xs[inside], ys[inside]), epsg)


def suggest_sites(
    buildings: gpd.GeoDataFrame,
    table: pd.DataFrame,
    candidates,
    radius_m: float,
    k: int,
    epsg: int,
) -> gpd.GeoDataFrame:
    """The k candidate sites that together cover the most uncovered households (MCLP).

    Parameters
    ----------
    buildings
        The buildings layer, in the order of ``table``.
    table
        Their :func:`coverage_table`: only the buildings not covered are demand,
        weighted by their households.
    candidates
        Candidate sites: WGS 84 points (GeoSeries, GeoDataFrame or array).
    radius_m
        How far a new facility would serve, in metres.
    k
        How many new facilities.
    epsg
        The metric CRS.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per suggested site, most households first: site (1, 2, ...),
        candidate (position in ``candidates``), households (that it adds),
        buildings (their building_ids, nearest site first when two cover one),
        geometry (WGS 84). Empty when nothing can be covered.
    """
    if k < 0:
        raise GridmapError("buildings.negative_sites", k=k)
    columns = ["site", "candidate", "households", "buildings"]
    empty = gpd.GeoDataFrame(
        {c: pd.Series([], dtype=object) for c in columns},
        geometry=gpd.GeoSeries([], crs=model.WGS84),
    )
    demand = np.flatnonzero(~table["covered"].to_numpy())
    weights = table["households"].to_numpy(float)[demand]
    if k == 0 or len(demand) == 0 or len(candidates) == 0 or weights.sum() <= 0:
        return empty
    sites = to_metric(candidates, epsg)
    homes = shapely.centroid(to_metric(buildings, epsg)[demand])
    cost = shapely.distance(homes[:, None], sites[None, :])
    useful = np.flatnonzero((cost <= radius_m).any(axis=0))
    if len(useful) == 0:
        return empty
    chosen = useful[_solve_mclp(cost[:, useful], weights, radius_m, min(k, len(useful)))]
    # Each covered building goes to its nearest chosen site, so households add up.
    sub = cost[:, chosen]
    nearest = np.argmin(sub, axis=1)
    reached = sub[np.arange(len(demand)), nearest] <= radius_m
    ids = table["building_id"].to_numpy()[demand]
    rows = []
    for j, candidate in enumerate(chosen):
        mine = reached & (nearest == j)
        if not mine.any():
            continue
        order = np.argsort(sub[mine, j], kind="stable")
        rows.append(
            {
                "candidate": int(candidate),
                "households": int(weights[mine].sum()),
                "buildings": [str(b) for b in ids[mine][order]],
                "geometry": from_metric([sites[candidate]], epsg).iloc[0],
            }
        )
    if not rows:
        return empty
    out = pd.DataFrame(rows).sort_values(["households", "candidate"], ascending=[False, True])
    out.insert(0, "site", np.arange(1, len(out) + 1))
    return gpd.GeoDataFrame(out.reset_index(drop=True), geometry="geometry", crs=model.WGS84)


def _solve_mclp(cost: np.ndarray, weights: np.ndarray, radius_m: float, k: int) -> np.ndarray:
    """Positions of the facilities the maximal covering location model opens."""
    import pulp
    from spopt.locate import MCLP

    with warnings.catch_warnings():
        # PuLP 3 announces API changes for PuLP 4 (pinned below 4: its wheel ships CBC).
        warnings.simplefilter("ignore", DeprecationWarning)
        problem = MCLP.from_cost_matrix(cost, weights, service_radius=radius_m, p_facilities=k)
        problem = problem.solve(pulp.PULP_CBC_CMD(msg=False))
    opened = np.array([v.value() or 0 for v in problem.fac_vars], dtype=float)
    return np.flatnonzero(opened > 0.5)
