"""The demo reports: what residents report, when and where, as the reports layer.

Categories come in the proportions and seasons of :data:`_PATTERNS` (waterlogging in
the July–August rains, heating complaints in winter, ...), at the buildings likely
to report them (old ones, the three with failing drains, those far from a charger)
or in open ground, with a low spot or two that floods. Their lifecycle and events
come from :mod:`geo.demo.lifecycle`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import model
from geo.assign import assign_buildings, assign_grids
from geo.categories import load_categories
from geo.demo.common import (
    CST,
    DAY,
    DEMO_COMMUNITY_ID,
    HOUR,
    as_time,
    person_names,
    phone_numbers,
    text_column,
)
from geo.demo.layout import Site
from geo.demo.lifecycle import (
    CODE,
    GRID_OFFICE,
    LEVELS,
    STATUS,
    EventContext,
    draw_paths,
    events_frame,
    link_duplicates,
    ratings,
    run_lifecycle,
)

NEAR_BUILDING_M = 3.0  # reports "at" a building fall in its footprint or this close
OUTSIDE_SHARE = 0.005  # reports just outside the boundary (they stay unassigned)


@dataclass(frozen=True)
class _Pattern:
    """How one category's reports fall in time and space."""

    weight: float  # share of all reports (normalised)
    season: tuple[float, ...]  # January..December multipliers
    open_share: float  # share placed in open space rather than at a building
    near: str  # which buildings report it: see _building_weights


# Seasons: monthly multipliers, January to December.
_FLAT = (1.0,) * 12
_STORMS = (0.05, 0.05, 0.1, 0.2, 0.4, 1.4, 6, 6, 1.2, 0.3, 0.1, 0.05)  # July–August downpours
# Tianjin heats from 15 November to 15 March; October brings "when does it start?".
_HEATING = (3, 2.4, 1.3, 0.08, 0.02, 0.02, 0.02, 0.02, 0.05, 0.3, 2.6, 3.4)
_RAINY = (0.5, 0.5, 0.6, 0.8, 1.0, 1.5, 2.5, 2.5, 1.2, 0.8, 0.6, 0.5)
_DRAINS = (0.8, 0.8, 0.9, 1, 1.1, 1.4, 1.8, 1.8, 1.2, 1, 0.9, 0.8)
_FROST = (1.6, 1.4, 1.1, 0.9, 0.9, 0.9, 1, 1, 0.9, 0.9, 1.1, 1.5)  # pipes burst in the cold
_DARK = (1.3, 1.2, 1, 0.9, 0.8, 0.8, 0.8, 0.8, 0.9, 1.1, 1.3, 1.4)  # long evenings, stoves on
_AIRCON = (1, 1, 0.9, 0.9, 1, 1.3, 1.7, 1.7, 1.1, 0.9, 0.9, 1)  # summer peak load
_OUTDOORS = (0.8, 0.9, 0.9, 1, 1.1, 1.3, 1.4, 1.4, 1.1, 0.9, 0.8, 0.8)  # people out and about
_SUNNY = (0.6, 0.7, 1.2, 1.4, 1.3, 1, 0.8, 0.8, 1.3, 1.4, 1, 0.6)  # spring and autumn airing
_GROWING = (0.3, 0.3, 1, 1.6, 1.8, 1.6, 1.4, 1.3, 1.1, 0.9, 0.5, 0.3)
_FESTIVE = (0.9, 1.4, 1, 1, 1, 1.2, 1.3, 1.3, 1, 1, 0.9, 0.9)  # Spring Festival, summer heat

_PATTERNS: dict[str, _Pattern] = {
    "drainage": _Pattern(0.12, _DRAINS, 0.1, "drains"),
    "water_supply": _Pattern(0.07, _FROST, 0.05, "age"),
    "gas": _Pattern(0.03, _DARK, 0.02, "age"),
    "heating": _Pattern(0.08, _HEATING, 0.0, "age"),
    "power": _Pattern(0.04, _AIRCON, 0.1, "households"),
    "roof_wall_leak": _Pattern(0.06, _RAINY, 0.0, "age"),
    "waterlogging": _Pattern(0.05, _STORMS, 0.85, "households"),
    "stairwell_lighting": _Pattern(0.07, _DARK, 0.0, "age"),
    "elevator": _Pattern(0.03, _FLAT, 0.0, "elevator"),
    "charging": _Pattern(0.08, _OUTDOORS, 0.15, "charger"),
    "drying": _Pattern(0.03, _SUNNY, 0.1, "drying"),
    "parking": _Pattern(0.08, _FLAT, 0.7, "households"),
    "sanitation": _Pattern(0.08, _FESTIVE, 0.6, "households"),
    "illegal_construction": _Pattern(0.03, _FLAT, 0.6, "age"),
    "fire_access": _Pattern(0.04, _FLAT, 0.8, "households"),
    "greenery": _Pattern(0.03, _GROWING, 0.85, "households"),
    "noise_dispute": _Pattern(0.05, _OUTDOORS, 0.1, "households"),
    "property_service": _Pattern(0.05, _FLAT, 0.2, "households"),
    "other": _Pattern(0.03, _FLAT, 0.3, "households"),
}
_DEFAULT_PATTERN = _Pattern(0.01, _FLAT, 0.3, "households")  # a category a deployment added

_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "drainage": (
        "下水道堵塞，污水从地漏反冒 / Drain blocked, sewage coming back up",
        "楼前污水井溢水 / Sewer manhole in front of the building overflowing",
        "厨房下水管不通 / Kitchen drain pipe blocked",
    ),
    "water_supply": (
        "水管漏水，楼道里有水 / Water pipe leaking into the stairwell",
        "水压太低，楼上没水 / Water pressure too low on the upper floors",
        "自来水发黄 / Tap water discoloured",
    ),
    "gas": (
        "楼道里有燃气味 / Smell of gas in the stairwell",
        "老楼没通燃气管道，还在用液化气罐 / No gas main yet, still on LPG cylinders",
    ),
    "heating": (
        "暖气不热，室温不到18度 / Radiators cold, room below 18 °C",
        "暖气管漏水 / Heating pipe leaking",
        "什么时候开始供暖 / When does the heating start?",
    ),
    "power": (
        "单元停电 / Power cut in the building",
        "电表箱老化打火 / Old meter box sparking",
    ),
    "roof_wall_leak": (
        "顶层屋面漏雨 / Roof leaking into a top-floor flat",
        "外墙渗水，墙皮脱落 / Outer wall seeping, plaster coming off",
    ),
    "waterlogging": (
        "雨后路面积水很深 / Deep water on the path after rain",
        "低洼处积水排不出去 / Low spot flooded and not draining",
    ),
    "stairwell_lighting": (
        "楼道灯不亮 / Stairwell light out",
        "声控灯坏了，晚上很黑 / Sound-activated light broken, dark at night",
    ),
    "elevator": (
        "电梯停运 / Elevator out of service",
        "电梯有异响 / Elevator making strange noises",
    ),
    "charging": (
        "有人从楼上飞线给电动车充电 / Flying-wire e-bike charging from an upper floor",
        "楼道里给电动车充电，有火灾隐患 / E-bike charged in the stairwell, a fire risk",
        "附近没有充电桩 / No charger nearby",
    ),
    "drying": (
        "没有地方晾晒被子 / Nowhere to dry quilts",
        "晾衣架坏了 / Drying rack broken",
    ),
    "parking": (
        "车辆乱停挡住单元门 / Car blocking the building entrance",
        "外来车辆占用车位 / Outside cars taking residents' spaces",
    ),
    "sanitation": (
        "垃圾桶满了没人清运 / Bins full and not collected",
        "大门口堆放垃圾 / Rubbish piled up at the gate",
    ),
    "illegal_construction": (
        "一楼住户私自搭建 / Ground-floor flat built an illegal extension",
        "楼顶有违建 / Illegal structure on the roof",
    ),
    "fire_access": (
        "私家车堵塞消防通道 / Private cars blocking the fire lane",
        "消防通道堆放杂物 / Clutter in the fire lane",
    ),
    "greenery": (
        "树枝挡住窗户需修剪 / Branches against the windows need trimming",
        "绿地被占用种菜 / Green space turned into vegetable plots",
    ),
    "noise_dispute": (
        "楼上装修噪音扰民 / Noisy renovation upstairs",
        "广场舞音乐太吵 / Square-dance music too loud",
        "邻里漏水纠纷 / Dispute with a neighbour over a leak",
    ),
    "property_service": (
        "物业不回应报修 / Property company not answering repair requests",
        "单元门禁坏了 / Entrance door lock broken",
    ),
    "other": (
        "流浪猫狗太多 / Too many stray cats and dogs",
        "咨询老旧小区改造进度 / Asking about the renovation schedule",
    ),
}
_DEFAULT_DESCRIPTION = ("其他问题 / Other issue",)


def _pattern(code: str) -> _Pattern:
    return _PATTERNS.get(code, _DEFAULT_PATTERN)


def _draw_categories(rng: np.random.Generator, codes: np.ndarray, n: int) -> np.ndarray:
    weights = np.array([_pattern(c).weight for c in codes])
    return rng.choice(len(codes), size=n, p=weights / weights.sum())


# Local hour of day at which residents report: quiet at night, busy mornings.
_HOUR_WEIGHTS = np.array(
    [0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 0.8, 1.8, 2.6, 2.8, 2.6, 2.2,
     1.6, 1.6, 2.2, 2.4, 2.3, 2.0, 1.7, 1.8, 1.7, 1.2, 0.7, 0.4]
)  # fmt: skip


def _draw_times(
    rng: np.random.Generator, category: np.ndarray, codes: np.ndarray, now_s: int
) -> np.ndarray:
    """Unix seconds over the 24 months before ``now``, seasonal per category, growing
    slowly as more residents learn to report."""
    local_now = pd.Timestamp(now_s, unit="s", tz=CST)
    start = (local_now - pd.DateOffset(months=24)).normalize() + pd.Timedelta(days=1)
    first_day = int(start.tz_localize(None).value // (10**9 * 86400))
    last_day = int((now_s + 8 * HOUR) // DAY)
    days = np.arange(first_day, last_day + 1)
    month = days.astype("datetime64[D]").astype("datetime64[M]").astype(int) % 12
    trend = np.linspace(0.75, 1.25, len(days))
    day_of = np.empty(len(category), dtype=np.int64)
    for c in np.unique(category):
        rows = np.flatnonzero(category == c)
        weight = np.asarray(_pattern(codes[c]).season)[month] * trend
        cdf = np.cumsum(weight) / weight.sum()
        day_of[rows] = days[np.minimum(np.searchsorted(cdf, rng.random(len(rows))), len(days) - 1)]
    hour = rng.choice(24, size=len(category), p=_HOUR_WEIGHTS / _HOUR_WEIGHTS.sum())
    local = day_of * 86400 + hour * 3600 + rng.integers(0, 3600, len(category))
    created = local - 8 * 3600
    # A time later today than `now` moves to the same hour yesterday.
    return np.where(created >= now_s, created - 86400, created)


def _building_weights(site: Site, kind: str) -> np.ndarray:
    """How likely each building is to report a category of the given kind."""
    b = site.buildings
    households = b.households.to_numpy(float)
    aged = households * (1 + (2015 - b.year_built.to_numpy()) / 10)
    centres = b[["cx", "cy"]].to_numpy()
    if kind == "age":
        w = aged
    elif kind == "drains":
        # More than half of drainage trouble comes from the three failing buildings.
        w = 0.45 * aged / aged.sum()
        w[site.failing_drains] += 0.55 / len(site.failing_drains)
    elif kind == "elevator":
        lifts = b.elevator.to_numpy(bool)
        w = aged * lifts if lifts.any() else households
    elif kind == "charger":
        working = site.chargers[site.chargers.status == "working"][["x", "y"]].to_numpy()
        w = households * (_nearest_distance(centres, working) / 100) ** 3
    elif kind == "drying":
        yards = np.array([[g.centroid.x, g.centroid.y] for g in site.drying])
        w = households * (_nearest_distance(centres, yards) / 100) ** 2
    else:
        w = households
    return w / w.sum()


def _nearest_distance(points: np.ndarray, targets: np.ndarray) -> np.ndarray:
    if len(targets) == 0:
        return np.full(len(points), 500.0)
    gaps = np.hypot(
        points[:, None, 0] - targets[None, :, 0], points[:, None, 1] - targets[None, :, 1]
    )
    return np.maximum(gaps.min(axis=1), 1.0)


def _near_buildings(rng: np.random.Generator, site: Site, which: np.ndarray) -> np.ndarray:
    """Points in the footprints of ``which`` buildings or a few metres around them."""
    b = site.buildings
    half_x = (b.length.to_numpy()[which] / 2) + NEAR_BUILDING_M
    half_y = (b.depth.to_numpy()[which] / 2) + NEAR_BUILDING_M
    x = b.cx.to_numpy()[which] + rng.uniform(-1, 1, len(which)) * half_x
    y = b.cy.to_numpy()[which] + rng.uniform(-1, 1, len(which)) * half_y
    return np.column_stack([x, y])


def _open_space(rng: np.random.Generator, site: Site, n: int) -> np.ndarray:
    """Uniform points inside the boundary and clear of every building."""
    west, south, east, north = site.open_ground.bounds
    found = [np.empty((0, 2))]
    have = 0
    while have < n:
        m = int((n - have) * 2) + 16  # about half the bounding box is open ground
        xy = np.column_stack([rng.uniform(west, east, m), rng.uniform(south, north, m)])
        ok = shapely.contains_xy(site.open_ground, xy[:, 0], xy[:, 1])
        found.append(xy[ok][: n - have])
        have += len(found[-1])
    return np.concatenate(found)


def _low_spot_points(rng: np.random.Generator, site: Site, n: int) -> np.ndarray:
    """Points scattered around the low spots, kept inside the boundary."""
    spot = site.low_spots[rng.integers(0, len(site.low_spots), n)]
    xy = spot + rng.normal(0, 9, (n, 2))
    outside = ~shapely.contains_xy(site.boundary, xy[:, 0], xy[:, 1])
    xy[outside] = spot[outside]
    return xy


def _outside_points(rng: np.random.Generator, site: Site, n: int) -> np.ndarray:
    """Points 5–40 m beyond the boundary (the outline is convex, so "outward" is radial)."""
    ring = site.boundary.exterior
    on_ring = shapely.line_interpolate_point(ring, rng.uniform(0, ring.length, n))
    xy = shapely.get_coordinates(on_ring)
    centre = np.array(site.boundary.centroid.coords[0])
    direction = (xy - centre) / np.linalg.norm(xy - centre, axis=1)[:, None]
    return xy + direction * rng.uniform(5, 40, n)[:, None]


def _draw_locations(
    rng: np.random.Generator, site: Site, category: np.ndarray, codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where each report is: (xy, building position or -1, outside flag)."""
    n = len(category)
    xy = np.zeros((n, 2))
    building = np.full(n, -1)
    for c in np.unique(category):
        rows = np.flatnonzero(category == c)
        pattern = _pattern(codes[c])
        in_open = rng.random(len(rows)) < pattern.open_share
        at = rows[~in_open]
        which = rng.choice(
            len(site.buildings), size=len(at), p=_building_weights(site, pattern.near)
        )
        xy[at] = _near_buildings(rng, site, which)
        building[at] = which
        loose = rows[in_open]
        if codes[c] == "waterlogging":
            pooled = rng.random(len(loose)) < 0.8
            xy[loose[pooled]] = _low_spot_points(rng, site, int(pooled.sum()))
            loose = loose[~pooled]
        xy[loose] = _open_space(rng, site, len(loose))
    outside = rng.random(n) < OUTSIDE_SHARE
    xy[outside] = _outside_points(rng, site, int(outside.sum()))
    building[outside] = -1
    return xy, building, outside


def _draw_sources(rng: np.random.Generator, in_open: np.ndarray) -> np.ndarray:
    """Report channels; problems out in the open are more often found on patrol."""
    sources = np.array(model.REPORT_SOURCES, dtype=object)
    base = {"wechat": 0.38, "miniprogram": 0.25, "hotline": 0.15, "walk_in": 0.10, "patrol": 0.12}
    outdoors = {
        "wechat": 0.30,
        "miniprogram": 0.20,
        "hotline": 0.12,
        "walk_in": 0.08,
        "patrol": 0.30,
    }
    out = np.empty(len(in_open), dtype=object)
    for mask, table in ((~in_open, base), (in_open, outdoors)):
        p = np.array([table.get(s, 0.05) for s in sources])
        out[mask] = sources[rng.choice(len(sources), size=int(mask.sum()), p=p / p.sum())]
    return out


def _descriptions(rng: np.random.Generator, category: np.ndarray, codes: np.ndarray) -> np.ndarray:
    out = np.empty(len(category), dtype=object)
    for c in np.unique(category):
        rows = np.flatnonzero(category == c)
        texts = np.array(_DESCRIPTIONS.get(codes[c], _DEFAULT_DESCRIPTION), dtype=object)
        out[rows] = texts[rng.integers(0, len(texts), len(rows))]
    return out


def reports_and_events(
    rng: np.random.Generator,
    site: Site,
    grids: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    n: int,
    now_s: int,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The reports, placed, timed and walked through their lifecycle, and their events.

    Parameters
    ----------
    rng : the demo's random generator, after the site and static layers were drawn.
    site : the site the reports are placed on (:func:`geo.demo.layout.build_site`).
    grids, buildings : the grids and buildings layers (WGS 84); each report is
        assigned to them by the rule of :mod:`geo.assign`.
    n : number of reports, over the 24 months before ``now_s``.
    now_s : the moment the demo is taken, Unix seconds.

    Returns
    -------
    (reports, report_events) : the two layers, ids in time order (not yet conformed to
        :mod:`geo.model`).
    """
    table = load_categories()
    codes = np.array(table.index, dtype=object)
    sla_days = table["sla_days"].to_numpy(float)

    category = _draw_categories(rng, codes, n)
    created = _draw_times(rng, category, codes, now_s)
    order = np.argsort(created, kind="stable")  # report ids follow time
    category, created = category[order], created[order].astype(float)

    xy, building, outside = _draw_locations(rng, site, category, codes)
    in_open = building < 0
    path = draw_paths(rng, outside)
    original = link_duplicates(rng, path, category, building, xy, outside)

    points = gpd.GeoSeries(shapely.points(xy + site.origin), crs=site.epsg).to_crs(model.WGS84)
    grid_id = assign_grids(points, grids)
    building_id = assign_buildings(points, buildings)

    sla_s = sla_days[category] * DAY
    due = created + sla_s
    life = run_lifecycle(rng, path, created, due, sla_s, now_s)
    closed = life.status == CODE["closed"]
    rating = ratings(rng, closed, life.fixed_late)

    workers = dict(zip(grids["grid_id"], grids["worker_name"], strict=True))
    handler = pd.Series(grid_id, dtype=object).map(workers).fillna(GRID_OFFICE).to_numpy(object)
    level = (rng.random(n) < 0.3).astype(int)  # most escalations stop at the community
    source = _draw_sources(rng, in_open)
    names = person_names(rng, n)
    phones = phone_numbers(rng, n)
    anonymous = (source == "patrol") | ((source == "hotline") & (rng.random(n) < 0.2))
    names[anonymous] = None
    phones[anonymous] = None
    report_id = np.arange(1, n + 1)

    reports = gpd.GeoDataFrame(
        {
            "report_id": report_id,
            "community_id": text_column(DEMO_COMMUNITY_ID, n),
            "external_id": text_column([f"DEMO-{i:06d}" for i in report_id]),
            "category": text_column(codes[category]),
            "description": text_column(_descriptions(rng, category, codes)),
            "source": text_column(source),
            "reporter_name": text_column(names),
            "reporter_phone": text_column(phones),
            "created_at": as_time(created),
            "status": text_column(STATUS[life.status]),
            "grid_id": text_column(grid_id),
            "building_id": text_column(building_id),
            "assignee": text_column(np.where(life.reached_dispatch, handler, None)),
            "due_at": as_time(due),
            "closed_at": as_time(life.closed_at),
            "rating": np.where(closed, rating, np.nan),
            "escalation_level": text_column(np.where(life.escalated, LEVELS[level], None)),
            "duplicate_of": np.where(original >= 0, original + 1, np.nan),
        },
        geometry=points.values,
        crs=model.WGS84,
    )
    context = EventContext(source, handler, level, rating, grid_id, grids, original, outside)
    return reports, events_frame(life, context)
