"""A proposal of N balanced grids: contiguous groups of buildings with even households.

The community is first cut into one *territory* per building, all in metres: the
ground nearer that building than any other (a Voronoi diagram of points along the
footprints' outlines, joined per building), every footprint whole in its own
territory. The territories tile the community, so any grouping of them covers it
and cuts no building.

The grouping is regionalisation with PySAL spopt: region k-means
(:class:`spopt.region.RegionKMeansHeuristic`) gives compact contiguous groups to
start from, then the automatic zoning procedure (:class:`spopt.region.AZP`) moves
buildings between neighbouring groups, keeping every group contiguous, to minimise
the squared distance of each group's households from the mean (an objective of
ours, :class:`Balance`). A few starts are tried; the most balanced wins. The groups
become polygons by joining their territories.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import STRtree

from geo import model
from geo.grids import GridEditError
from geo.grids.shapes import Metric, as_multipolygon, drop_small_holes, parts, polygonal

DEFAULT_STARTS = 4
GOOD_ENOUGH = 1.25  # largest over smallest: stop trying further starts at or below this
_EDGE_M = 1.0  # territories sharing at least this much boundary are neighbours
_GRID_SIZE_M = 1e-3  # joins are made on a 1 mm grid: no hairline cracks between grids


@dataclass
class Proposal:
    """Proposed grids (WGS 84, grids layer) and their households and buildings."""

    grids: gpd.GeoDataFrame
    households: pd.Series  # per proposed code
    buildings: pd.Series  # per proposed code

    @property
    def ratio(self) -> float:
        """The households of the largest grid over those of the smallest."""
        low = self.households.min()
        return float("inf") if low <= 0 else float(self.households.max() / low)


class Balance:
    """spopt objective: sum over regions of (households − mean households)².

    Moving a building of h households from region d to region r changes it by
    2h(S_r − S_d + h), where S are the regions' households before the move.
    """

    def __init__(self, target: float):
        self.target = float(target)

    def __call__(self, labels, attr) -> float:
        sums = pd.Series(np.asarray(attr, dtype=float).ravel()).groupby(np.asarray(labels)).sum()
        return float(((sums - self.target) ** 2).sum())

    def update(self, moving_area, recipient_region, labels, attr) -> float:
        values = np.asarray(attr, dtype=float).ravel()
        labels = np.asarray(labels)
        h = values[moving_area]
        s_r = values[labels == recipient_region].sum()
        s_d = values[labels == labels[moving_area]].sum()
        return float(2 * h * (s_r - s_d + h))


def territories(boundary, footprints: np.ndarray) -> np.ndarray:
    """One polygon per footprint (metres) that together tile ``boundary`` (see module doc).

    Computed around a local origin: GEOS's Voronoi diagram of evenly spaced points
    given in full UTM coordinates (millions of metres) can come out with overlapping
    cells.
    """
    centre = np.asarray(boundary.centroid.coords[0])
    boundary = shapely.transform(boundary, lambda xy: xy - centre)
    footprints = shapely.transform(np.asarray(footprints, dtype=object), lambda xy: xy - centre)
    out = _territories(boundary, footprints)
    return shapely.transform(out, lambda xy: xy + centre)


def _territories(boundary, footprints: np.ndarray) -> np.ndarray:
    footprints = np.asarray([polygonal(shapely.intersection(f, boundary)) for f in footprints])
    points, owner = [], []
    for i, footprint in enumerate(footprints):
        outline = shapely.segmentize(footprint.boundary, max(footprint.length / 60, 1.0))
        coords = np.unique(shapely.get_coordinates(outline), axis=0)
        points.append(coords)
        owner.append(np.full(len(coords), i))
    points, owner = np.vstack(points), np.concatenate(owner)
    # A point shared by two touching footprints is kept once (for the first).
    points, first = np.unique(points, axis=0, return_index=True)
    owner = owner[first]
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(points), extend_to=boundary)
    )
    # A cell belongs to the point nearest to any point inside it (its generator).
    nearest = STRtree(shapely.points(points)).nearest(shapely.point_on_surface(cells))
    cell_owner = owner[nearest]
    out = np.empty(len(footprints), dtype=object)
    tree = STRtree(footprints)
    for i in range(len(footprints)):
        cell = shapely.union_all(cells[cell_owner == i], grid_size=_GRID_SIZE_M)
        cell = shapely.intersection(cell, boundary, grid_size=_GRID_SIZE_M)
        others = [j for j in tree.query(cell, predicate="intersects") if j != i]
        if others:
            cell = shapely.difference(
                cell, shapely.union_all(footprints[others]), grid_size=_GRID_SIZE_M
            )
        out[i] = polygonal(shapely.union(cell, footprints[i], grid_size=_GRID_SIZE_M))
    return out


def neighbours(shapes: np.ndarray) -> dict[int, list[int]]:
    """Rook neighbours: shapes sharing at least a metre of boundary; islands joined to the
    nearest shape so the graph is connected."""
    tree = STRtree(shapes)
    left, right = tree.query(shapes, predicate="dwithin", distance=0.01)
    keep = left < right
    left, right = left[keep], right[keep]
    shared = shapely.length(
        shapely.intersection(shapely.buffer(shapes[left], 0.01), shapely.boundary(shapes[right]))
    )
    links = {i: set() for i in range(len(shapes))}
    for a, b in zip(left[shared >= _EDGE_M], right[shared >= _EDGE_M], strict=True):
        links[int(a)].add(int(b))
        links[int(b)].add(int(a))
    _connect(links, shapes)
    return {k: sorted(v) for k, v in links.items()}


def _connect(links: dict[int, set], shapes: np.ndarray) -> None:
    """Join the graph's components, each to its nearest other component."""
    while True:
        seen, components = set(), []
        for start in links:
            if start in seen:
                continue
            stack, found = [start], []
            seen.add(start)
            while stack:
                node = stack.pop()
                found.append(node)
                for nxt in links[node] - seen:
                    seen.add(nxt)
                    stack.append(nxt)
            components.append(found)
        if len(components) <= 1:
            return
        first = components[0]
        rest = np.array([n for c in components[1:] for n in c])
        best = None
        for a in first:
            gaps = shapely.distance(shapes[a], shapes[rest])
            j = int(np.argmin(gaps))
            if best is None or gaps[j] < best[2]:
                best = (a, int(rest[j]), float(gaps[j]))
        links[best[0]].add(best[1])
        links[best[1]].add(best[0])


def propose_grids(
    community: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    n: int,
    seed: int = 0,
    starts: int = DEFAULT_STARTS,
    prefix: str = "P",
    progress=None,
) -> Proposal:
    """Propose ``n`` contiguous grids with balanced households covering the community.

    Parameters
    ----------
    community
        The community's boundary rows (WGS 84).
    buildings
        Footprints with ``households`` (missing counts as 0).
    n
        How many grids.
    seed
        The first random seed; start k uses ``seed + k``.
    starts
        How many starts to try at most.
    prefix
        Codes are prefix and a number: P01, P02, ... from north-west to south-east.
    progress
        Called with the fraction done (0 to 1), for a progress bar.

    Raises
    ------
    GridEditError
        With no boundary, no buildings inside it, or ``n`` outside 1 … buildings.
    """
    from libpysal.weights import W
    from spopt.region import AZP, RegionKMeansHeuristic

    report = progress or (lambda fraction: None)
    metric = Metric.around(list(community.geometry.values))
    boundary = polygonal(shapely.union_all(metric.to_metric(community.geometry.values)))
    if boundary.is_empty:
        raise GridEditError("grids.propose.no_boundary")
    footprints = metric.to_metric(buildings.geometry.values)
    inside = np.array([f is not None and f.intersects(boundary) for f in footprints], dtype=bool)
    if not inside.any():
        raise GridEditError("grids.propose.no_buildings")
    if not 1 <= int(n) <= int(inside.sum()):
        raise GridEditError("grids.propose.bad_n", n=int(n), buildings=int(inside.sum()))
    n = int(n)
    kept = buildings[inside].reset_index(drop=True)
    households = kept["households"].fillna(0).astype(float).to_numpy()
    land = territories(boundary, footprints[inside])
    report(0.2)
    links = neighbours(land)
    weights = W(links, silence_warnings=True)
    centres = shapely.get_coordinates(shapely.centroid(land))
    frame = gpd.GeoDataFrame({"households": households}, geometry=list(land))
    target = households.sum() / n
    best, best_key = None, None
    for k in range(max(int(starts), 1)):
        if n == 1:
            labels = np.zeros(len(land), dtype=int)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                start = RegionKMeansHeuristic(centres, n, weights, seed=seed + k)
                start.solve()
                azp = AZP(
                    frame,
                    weights,
                    ["households"],
                    n_clusters=n,
                    random_state=seed + k,
                    initial_labels=np.asarray(start.labels_, dtype=int),
                    objective_func=Balance(target),
                )
                azp.solve()
            labels = np.asarray(azp.labels_, dtype=int)
        sums = pd.Series(households).groupby(labels).sum()
        ratio = float(sums.max() / sums.min()) if len(sums) == n and sums.min() > 0 else np.inf
        key = (ratio, float(((sums - target) ** 2).sum()))
        if best_key is None or key < best_key:
            best, best_key = labels, key
        report(0.2 + 0.7 * (k + 1) / max(int(starts), 1))
        if n == 1 or ratio <= GOOD_ENOUGH:
            break
    proposal = _as_grids(best, land, kept, households, metric, prefix, community)
    report(1.0)
    return proposal


def _as_grids(labels, land, buildings, households, metric: Metric, prefix, community) -> Proposal:
    shapes, sums, counts = [], [], []
    for label in np.unique(labels):
        members = land[labels == label]
        joined = polygonal(shapely.union_all(members, grid_size=_GRID_SIZE_M))
        joined = drop_small_holes(joined, 1.0)
        shapes.append(joined)
        sums.append(int(households[labels == label].sum()))
        counts.append(int((labels == label).sum()))
    # Codes from north-west to south-east: rows of about a grid's height.
    centres = shapely.get_coordinates(shapely.centroid(np.asarray(shapes, dtype=object)))
    height = np.sqrt(sum(s.area for s in shapes) / max(len(shapes), 1))
    order = sorted(
        range(len(shapes)), key=lambda i: (-round(centres[i, 1] / height), centres[i, 0])
    )
    digits = max(2, len(str(len(shapes))))
    codes = [f"{prefix}{k + 1:0{digits}d}" for k in range(len(shapes))]
    cid = community["community_id"].iloc[0] if len(community) else None
    wgs = metric.to_wgs84([shapes[i] for i in order])
    grids = gpd.GeoDataFrame(
        {"grid_id": codes, "community_id": [cid] * len(codes)},
        geometry=[as_multipolygon(g) for g in wgs],
        crs=model.WGS84,
    )
    return Proposal(
        grids=model.conform("grids", grids),
        households=pd.Series([sums[i] for i in order], index=codes, dtype=int),
        buildings=pd.Series([counts[i] for i in order], index=codes, dtype=int),
    )


def is_contiguous(geom) -> bool:
    """True when a grid is one piece of ground."""
    return len(parts(polygonal(geom))) == 1
