"""The demo's layout: the site, its buildings, grids, chargers and drying areas.

Some 60 south-facing slab buildings stand in 12 rows of 5, built in three phases
between 1985 and 2015; 12 grids are cut from them, balanced by households, along
the lanes and row gaps; chargers stand at lane crossings and drying yards in the
sunny row gaps. Everything is laid out in metres around an origin in the local UTM
zone (:class:`Site`) and moved to WGS 84 only when the layers are made
(:func:`static_layers`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from geo import model
from geo.crs import local_utm_epsg
from geo.demo.common import (
    DEMO_CENTRE,
    DEMO_COMMUNITY_CODE,
    DEMO_COMMUNITY_ID,
    DEMO_COMMUNITY_NAME,
    DEMO_STREET,
    phone_numbers,
)

ROWS, COLUMNS = 12, 5
ROW_BANDS = (3, 4, 2)  # grids are cut from bands of this many building rows, best first
N_GRIDS = 12
TOTAL_HOUSEHOLDS = 4500
COLUMN_PITCH = 104.0  # m between column centres: an 80 m slab and a 24 m lane
MARGIN = 28.0  # m from the outermost buildings to the community boundary


@dataclass(frozen=True)
class _Phase:
    """One construction phase: a block of rows built in the same years and style."""

    first_row: int
    years: tuple[int, int]
    floors: tuple[int, ...]
    units: tuple[int, ...]
    per_landing: int  # households per floor of one unit (stairwell)
    gate: int  # street number of the phase's gate on the invented 示范路


_PHASES = (
    _Phase(0, (1985, 1998), (6, 6, 6, 7), (4, 5, 6), 2, 12),
    _Phase(6, (1999, 2006), (6, 7, 9, 11), (3, 4, 5), 2, 16),
    _Phase(9, (2007, 2015), (11, 14, 16, 18), (2, 3), 3, 20),
)

_WORKERS = (
    "王秀梅", "李建军", "张丽娟", "刘海涛", "陈淑芬", "杨志刚",
    "赵春燕", "黄立新", "周玉兰", "吴国强", "孙红霞", "马德胜",
)  # fmt: skip


@dataclass
class Site:
    """Everything with a place, in local metres (origin at the community centre).

    The reports (:mod:`geo.demo.reports`) are placed against it as well.
    """

    epsg: int
    origin: tuple[float, float]  # UTM easting, northing of local (0, 0)
    buildings: pd.DataFrame  # attributes plus cx, cy, length, depth, row, col
    footprints: np.ndarray
    boundary: Polygon
    open_ground: Polygon  # inside the boundary and clear of buildings (prepared)
    grid_shapes: list[Polygon]
    chargers: pd.DataFrame  # x, y, kind, ports, operator, status
    drying: list[Polygon]
    low_spots: np.ndarray  # (k, 2) points where rain collects
    failing_drains: np.ndarray  # building positions with chronic drain trouble


def _phase_of_row(row: int) -> int:
    return max(i for i, phase in enumerate(_PHASES) if phase.first_row <= row)


def _layout_buildings(rng: np.random.Generator) -> pd.DataFrame:
    """Slab rows, long side east–west, each row standing back from the shadow of the last."""
    rows = []
    south = 0.0
    for row in range(ROWS):
        phase_no = _phase_of_row(row)
        phase = _PHASES[phase_no]
        depth = rng.uniform(12, 14, COLUMNS)
        floors = rng.choice(phase.floors, COLUMNS)
        y0 = south + rng.uniform(0, 3, COLUMNS)
        rows.append(
            pd.DataFrame(
                {
                    "row": row,
                    "col": np.arange(COLUMNS),
                    "phase": phase_no,
                    "cx": (np.arange(COLUMNS) - (COLUMNS - 1) / 2) * COLUMN_PITCH
                    + rng.uniform(-3, 3, COLUMNS),
                    "cy": y0 + depth / 2,
                    "length": rng.uniform(60, 80, COLUMNS),
                    "depth": depth,
                    "floors": floors,
                    "units": rng.choice(phase.units, COLUMNS),
                    "year_built": rng.integers(phase.years[0], phase.years[1] + 1, COLUMNS),
                }
            )
        )
        # Sunlight spacing: the gap grows with the height of the row to the south.
        height = floors.max() * 2.9
        south = float((y0 + depth).max() + np.clip(0.8 * height, 20, 42))
    frame = pd.concat(rows, ignore_index=True)
    # Centre the estate on the local origin.
    west, east = (frame.cx - frame.length / 2).min(), (frame.cx + frame.length / 2).max()
    south, north = (frame.cy - frame.depth / 2).min(), (frame.cy + frame.depth / 2).max()
    frame["cx"] -= (west + east) / 2
    frame["cy"] -= (south + north) / 2
    return frame


def _scale_to_total(raw: np.ndarray, total: int) -> np.ndarray:
    """Integers proportional to ``raw`` that sum exactly to ``total`` (largest remainders)."""
    exact = raw * total / raw.sum()
    out = np.floor(exact).astype(int)
    order = np.argsort(-(exact - out), kind="stable")
    out[order[: total - out.sum()]] += 1
    return out


def _renovation(
    rng: np.random.Generator, year: int, elevator_retrofit: bool, bad_drains: bool
) -> str:
    """The building's renovation items and their status, as JSON."""
    if year < 1999:
        items = [
            "water_pipes",
            "drains",
            "roof",
            "gas",
            "stairwell_lighting",
            "drying_racks",
            "ebike_chargers",
        ]
        statuses, p = ["needed", "planned", "in_progress", "done"], [0.35, 0.3, 0.1, 0.25]
    elif year < 2007:
        items = ["roof", "drains", "stairwell_lighting", "ebike_chargers"]
        statuses, p = ["needed", "planned", "done"], [0.3, 0.3, 0.4]
    else:
        items = ["ebike_chargers"]
        statuses, p = ["planned", "done"], [0.5, 0.5]
    keep = rng.random(len(items)) < 0.7
    plan = {item: str(rng.choice(statuses, p=p)) for item, k in zip(items, keep, strict=True) if k}
    if bad_drains:
        plan["drains"] = "needed"
    if elevator_retrofit:
        plan["elevator_retrofit"] = "done"
    return json.dumps(plan, ensure_ascii=False)


def _building_attributes(
    rng: np.random.Generator, frame: pd.DataFrame, failing: np.ndarray
) -> None:
    """Households, elevators, elderly share, names and renovation plans, in place."""
    per_landing = np.array([_PHASES[p].per_landing for p in frame.phase])
    frame["households"] = _scale_to_total(
        (frame.floors * frame.units * per_landing).to_numpy(float), TOTAL_HOUSEHOLDS
    )
    # Two old walk-ups got an elevator bolted on in an earlier renovation.
    old = np.flatnonzero(frame.year_built.to_numpy() < 1999)
    retrofit = np.zeros(len(frame), dtype=bool)
    retrofit[rng.choice(old, size=min(2, len(old)), replace=False)] = True
    frame["elevator"] = (frame.floors >= 10).to_numpy() | retrofit
    age = 2015 - frame.year_built.to_numpy()
    elderly = 0.06 + 0.012 * age + rng.normal(0, 0.03, len(frame))
    frame["elderly_share"] = np.clip(elderly, 0.05, 0.45).round(3)
    number = np.arange(1, len(frame) + 1)
    frame["building_id"] = [f"B{n:02d}" for n in number]
    frame["name"] = [f"{n}号楼" for n in number]
    frame["address"] = [
        f"东丽区示范路{_PHASES[p].gate}号 {n}号楼" for p, n in zip(frame.phase, number, strict=True)
    ]
    bad = np.isin(np.arange(len(frame)), failing)
    frame["renovation"] = [
        _renovation(rng, y, r, b) for y, r, b in zip(frame.year_built, retrofit, bad, strict=True)
    ]


def _boundary(footprints: np.ndarray) -> Polygon:
    """A convex outline a little outside the buildings, with cut corners and bulges."""
    west, south, east, north = shapely.total_bounds(footprints)
    west, south, east, north = west - MARGIN, south - MARGIN, east + MARGIN, north + MARGIN
    mid_x, mid_y = (west + east) / 2, (south + north) / 2
    # Chamfers stay shorter than 2 x MARGIN so they never reach a building corner.
    corners = [
        (west, south + 35), (west + 35, south), (mid_x + 40, south - 10), (east, south),
        (east + 12, mid_y), (east, north - 45), (east - 45, north), (west + 120, north + 6),
        (west, north),
    ]  # fmt: skip
    return shapely.convex_hull(shapely.multipoints(corners))


def _lattice(frame: pd.DataFrame, boundary: Polygon) -> tuple[np.ndarray, np.ndarray]:
    """Lines through the middle of every lane and row gap, closed off beyond the boundary."""
    west, south, east, north = boundary.bounds
    east_edge = (frame.cx + frame.length / 2).groupby(frame.col).max().to_numpy()
    west_edge = (frame.cx - frame.length / 2).groupby(frame.col).min().to_numpy()
    north_edge = (frame.cy + frame.depth / 2).groupby(frame.row).max().to_numpy()
    south_edge = (frame.cy - frame.depth / 2).groupby(frame.row).min().to_numpy()
    x_edges = np.concatenate([[west - 10], (east_edge[:-1] + west_edge[1:]) / 2, [east + 10]])
    y_edges = np.concatenate([[south - 10], (north_edge[:-1] + south_edge[1:]) / 2, [north + 10]])
    return x_edges, y_edges


def _snake_order(band_rows: int) -> list[tuple[int, int]]:
    """(row, col) cells along a path where each step goes to a neighbouring cell.

    The path sweeps bands of ``band_rows`` rows, column by column, up and down, so
    any run of consecutive cells is connected and roughly square. (With an odd number
    of columns every band ends at its top row, next to where the next band starts.)
    """
    order = []
    for band in range(ROWS // band_rows):
        columns = range(COLUMNS) if band % 2 == 0 else range(COLUMNS - 1, -1, -1)
        rows = list(range(band * band_rows, (band + 1) * band_rows))
        for k, col in enumerate(columns):
            order += [(row, col) for row in (rows if k % 2 == 0 else rows[::-1])]
    return order


def _balanced_chunks(values: np.ndarray, k: int) -> tuple[np.ndarray, float]:
    """Cut a sequence into ``k`` contiguous chunks whose sums stray as little as
    possible from the mean (minimax, by dynamic programming).

    Returns the chunk number of each value and the largest deviation.
    """
    n = len(values)
    prefix = np.concatenate([[0.0], np.cumsum(values)])
    mean = prefix[-1] / k
    worst = np.full((k + 1, n + 1), np.inf)
    cut = np.zeros((k + 1, n + 1), dtype=int)
    worst[0, 0] = 0.0
    for j in range(1, k + 1):
        for i in range(j, n + 1):
            starts = np.arange(j - 1, i)
            cost = np.maximum(worst[j - 1, starts], np.abs(prefix[i] - prefix[starts] - mean))
            best = int(np.argmin(cost))
            worst[j, i], cut[j, i] = cost[best], starts[best]
    labels = np.empty(n, dtype=int)
    end = n
    for j in range(k, 0, -1):
        start = cut[j, end]
        labels[start:end] = j - 1
        end = start
    return labels, float(worst[k, n])


def _group_buildings(frame: pd.DataFrame) -> np.ndarray:
    """Grid number of each building: compact, contiguous groups balanced by households.

    Bands of three rows give the squarest grids; four- or two-row bands are used
    when they balance the households clearly better.
    """
    households = frame.households.to_numpy(float)
    best = None
    for penalty, band_rows in enumerate(ROW_BANDS):
        order = [row * COLUMNS + col for row, col in _snake_order(band_rows)]
        labels, deviation = _balanced_chunks(households[order], N_GRIDS)
        score = deviation + 5 * penalty  # households a squarer shape is worth
        if best is None or score < best[0]:
            group = np.empty(len(frame), dtype=int)
            group[order] = labels
            best = (score, group)
    return best[1]


def _grid_shapes(
    group: np.ndarray,
    boundary: Polygon,
    x_edges: np.ndarray,
    y_edges: np.ndarray,
    centres: np.ndarray,
) -> list[Polygon]:
    """Grid polygons cut from the boundary along lattice lines between different groups.

    The separating lines and the boundary are noded together and polygonised, so
    neighbouring grids share exactly the same vertices along their common edge: no
    gap and no overlap, even after reprojection.
    """
    cell = group.reshape(ROWS, COLUMNS)
    lines = [boundary.exterior]
    for row in range(ROWS):
        for col in range(COLUMNS):
            if col > 0 and cell[row, col] != cell[row, col - 1]:
                x = x_edges[col]
                lines.append(shapely.linestrings([(x, y_edges[row]), (x, y_edges[row + 1])]))
            if row > 0 and cell[row, col] != cell[row - 1, col]:
                y = y_edges[row]
                lines.append(shapely.linestrings([(x_edges[col], y), (x_edges[col + 1], y)]))
    noded = shapely.get_parts(shapely.union_all(lines))
    faces = shapely.get_parts(shapely.polygonize(noded))
    faces = faces[shapely.contains(boundary, shapely.point_on_surface(faces))]
    shapes: list[list[Polygon]] = [[] for _ in range(N_GRIDS)]
    for face in faces:
        inside = np.unique(group[shapely.contains_xy(face, centres[:, 0], centres[:, 1])])
        if len(inside) != 1:
            raise RuntimeError(f"demo grid face holds buildings of {len(inside)} grids")
        shapes[int(inside[0])].append(face)
    if any(len(parts) != 1 for parts in shapes):
        raise RuntimeError("a demo grid is not one connected polygon")
    return [parts[0] for parts in shapes]


def _place_chargers(
    rng: np.random.Generator, x_edges: np.ndarray, y_edges: np.ndarray
) -> pd.DataFrame:
    """About 20 chargers at lane crossings, mostly away from the old south-west corner."""
    xs, ys = np.meshgrid(x_edges[1:-1], y_edges[1:-1])
    xs, ys = xs.ravel(), ys.ravel()
    # The old phase got no chargers when it was built: weight by distance from its corner.
    distance = np.hypot(xs - xs.min(), ys - ys.min())
    weight = (distance / distance.max()) ** 2 + 0.01
    n = 20
    pick = rng.choice(len(xs), size=n, replace=False, p=weight / weight.sum())
    kinds = rng.permutation(np.array(["ebike"] * 14 + ["ev"] * 4 + ["wheelchair"] * 2))
    ports = np.where(kinds == "ebike", rng.choice([10, 12, 16, 20], n), rng.choice([2, 4], n))
    operator = np.where(
        kinds == "ev",
        "示范新能源 DemoEV Co. (synthetic)",
        np.where(
            kinds == "wheelchair",
            "社区服务站 Community service station",
            rng.choice(["示范充电 DemoCharge Co. (synthetic)", "物业服务中心 Property office"], n),
        ),
    )
    return pd.DataFrame(
        {
            "charger_id": [f"C{i:02d}" for i in range(1, n + 1)],
            "x": xs[pick] + rng.uniform(-3, 3, n),
            "y": ys[pick] + rng.uniform(-3, 3, n),
            "kind": kinds,
            "ports": ports,
            "operator": operator,
            "status": np.where(rng.random(n) < 0.15, "broken", "working"),
        }
    )


def _place_drying(
    rng: np.random.Generator, frame: pd.DataFrame, y_edges: np.ndarray
) -> list[Polygon]:
    """Three 12 m x 5 m drying yards in the row gaps of the newer phases.

    Each sits just north of the gap's middle line, in the sun in front of the next
    row's south face and out of the shadow of the row before it; the middle line may
    be a grid boundary, so this also keeps each yard within one grid.
    """
    first = _PHASES[1].first_row
    col_x = frame.groupby("col").cx.mean().to_numpy()
    spots = [(x, y) for y in y_edges[first:ROWS] for x in col_x]
    pick = rng.choice(len(spots), size=3, replace=False)
    return [box(spots[i][0] - 6, spots[i][1] + 2, spots[i][0] + 6, spots[i][1] + 7) for i in pick]


def build_site(rng: np.random.Generator) -> Site:
    """Lay out the whole site in local metres.

    Parameters
    ----------
    rng : the demo's random generator; the site is the first thing drawn from it.

    Returns
    -------
    Site : buildings with their attributes, boundary, grid shapes, chargers, drying
        yards, low spots and the buildings whose drains keep failing.
    """
    frame = _layout_buildings(rng)
    old = np.flatnonzero(frame.phase.to_numpy() == 0)
    failing = np.sort(rng.choice(old, size=3, replace=False))
    _building_attributes(rng, frame, failing)
    footprints = shapely.box(
        frame.cx - frame.length / 2,
        frame.cy - frame.depth / 2,
        frame.cx + frame.length / 2,
        frame.cy + frame.depth / 2,
    )
    boundary = _boundary(footprints)
    x_edges, y_edges = _lattice(frame, boundary)
    group = _group_buildings(frame)
    centres = frame[["cx", "cy"]].to_numpy()
    # Rain collects at a few lane crossings in the old phase.
    old_rows = y_edges[1 : _PHASES[1].first_row]
    crossings = [(x, y) for y in old_rows for x in x_edges[1:-1]]
    low = rng.choice(len(crossings), size=3, replace=False)
    centre_lon, centre_lat = DEMO_CENTRE
    epsg = local_utm_epsg(centre_lon, centre_lat)
    origin = gpd.GeoSeries(shapely.points([DEMO_CENTRE]), crs=model.WGS84).to_crs(epsg)[0]
    return Site(
        epsg=epsg,
        origin=(round(origin.x), round(origin.y)),
        buildings=frame,
        footprints=footprints,
        boundary=boundary,
        open_ground=_open_ground(boundary, footprints),
        grid_shapes=_grid_shapes(group, boundary, x_edges, y_edges, centres),
        chargers=_place_chargers(rng, x_edges, y_edges),
        drying=_place_drying(rng, frame, y_edges),
        low_spots=np.array([crossings[i] for i in low]),
        failing_drains=failing,
    )


def _open_ground(boundary: Polygon, footprints: np.ndarray) -> Polygon:
    """Where open-space reports may fall: 2 m clear of the boundary and of every building."""
    ground = shapely.difference(
        boundary.buffer(-2), shapely.union_all(shapely.buffer(footprints, 2))
    )
    shapely.prepare(ground)
    return ground


def _to_wgs84(site: Site, geoms) -> gpd.GeoSeries:
    """Local-metre geometries moved to their UTM place and reprojected to WGS 84."""
    moved = shapely.transform(np.asarray(geoms, dtype=object), lambda xy: xy + site.origin)
    return gpd.GeoSeries(moved, crs=site.epsg).to_crs(model.WGS84)


# === the static layers ===============================================================
def _community_frame(site: Site) -> gpd.GeoDataFrame:
    outline = shapely.coverage_union_all(site.grid_shapes)  # keeps the grids' shared vertices
    return gpd.GeoDataFrame(
        {
            "community_id": [DEMO_COMMUNITY_ID],
            "name": [DEMO_COMMUNITY_NAME],
            "code": [DEMO_COMMUNITY_CODE],
            "street": [DEMO_STREET],
        },
        geometry=_to_wgs84(site, [_as_multi(outline)]).values,
        crs=model.WGS84,
    )


def _as_multi(geom) -> MultiPolygon:
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon([geom])


def _grids_frame(rng: np.random.Generator, site: Site) -> gpd.GeoDataFrame:
    numbers = np.arange(1, N_GRIDS + 1)
    return gpd.GeoDataFrame(
        {
            "grid_id": [f"G{n:02d}" for n in numbers],
            "community_id": DEMO_COMMUNITY_ID,
            "name": [f"第{n}网格" for n in numbers],
            "worker_name": list(_WORKERS[:N_GRIDS]),
            "worker_phone": phone_numbers(rng, N_GRIDS),
            "version": 1,
        },
        geometry=_to_wgs84(site, [_as_multi(g) for g in site.grid_shapes]).values,
        crs=model.WGS84,
    )


def _buildings_frame(site: Site) -> gpd.GeoDataFrame:
    frame = site.buildings.assign(community_id=DEMO_COMMUNITY_ID)
    return gpd.GeoDataFrame(
        frame, geometry=_to_wgs84(site, site.footprints).values, crs=model.WGS84
    )


def _chargers_frame(site: Site) -> gpd.GeoDataFrame:
    chargers = site.chargers
    points = shapely.points(chargers[["x", "y"]].to_numpy())
    return gpd.GeoDataFrame(
        chargers.assign(community_id=DEMO_COMMUNITY_ID),
        geometry=_to_wgs84(site, points).values,
        crs=model.WGS84,
    )


def _drying_frame(site: Site) -> gpd.GeoDataFrame:
    letters = "ABCDEFGH"[: len(site.drying)]
    return gpd.GeoDataFrame(
        {
            "area_id": [f"D{i:02d}" for i in range(1, len(site.drying) + 1)],
            "community_id": DEMO_COMMUNITY_ID,
            "name": [f"{c}号晾晒区 Drying yard {c}" for c in letters],
            "capacity": [24, 32, 40][: len(site.drying)],
        },
        geometry=_to_wgs84(site, site.drying).values,
        crs=model.WGS84,
    )


def static_layers(rng: np.random.Generator, site: Site) -> dict[str, gpd.GeoDataFrame]:
    """The layers that do not change: community, grids, buildings, chargers, drying areas.

    Parameters
    ----------
    rng : the demo's random generator (the grid workers' phone numbers are drawn).
    site : the site from :func:`build_site`.

    Returns
    -------
    dict of layer name to frame, in that order, geometry in WGS 84 (not yet conformed
    to :mod:`geo.model`).
    """
    return {
        "community": _community_frame(site),
        "grids": _grids_frame(rng, site),
        "buildings": _buildings_frame(site),
        "chargers": _chargers_frame(site),
        "drying_areas": _drying_frame(site),
    }
