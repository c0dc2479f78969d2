"""The demo community: an invented estate in Tianjin's Dongli district.

示范社区 is synthetic from end to end. It stands at about 117.31 E, 39.09 N: some 60
south-facing slab buildings in rows, built in three phases between 1985 and 2015,
4,500 households in 12 grids, a few chargers and drying areas, and two years of
residents' reports with the patterns a community secretary would recognise:
waterlogging in the July–August rains, heating complaints in winter, a few buildings
whose drains fail again and again, a couple of low spots that flood, and charging
complaints where chargers are far away.

Everything is laid out in metres around an origin in the local UTM zone and moved
to WGS 84 at the end. Every name, address and phone number is made up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from geo import model
from geo.assign import assign_buildings, assign_grids
from geo.categories import load_categories
from geo.crs import local_utm_epsg

DEMO_COMMUNITY_ID = "tj-dongli-demo"
DEMO_COMMUNITY_NAME = "示范社区 Demo Community (synthetic)"
# 120110 is Dongli's district code; the prefix says the community is not real.
DEMO_COMMUNITY_CODE = "DEMO-120110"
DEMO_STREET = "东丽区 Dongli District (synthetic demo)"
DEMO_SEED = 20261125
DEMO_CENTRE = (117.31, 39.09)  # lon, lat

CST = timezone(timedelta(hours=8), "CST")  # China Standard Time: no daylight saving
HOUR, DAY = 3600.0, 86400.0

# --- layout -------------------------------------------------------------------------
ROWS, COLUMNS = 12, 5
ROW_BANDS = (3, 4, 2)  # grids are cut from bands of this many building rows, best first
N_GRIDS = 12
TOTAL_HOUSEHOLDS = 4500
COLUMN_PITCH = 104.0  # m between column centres: an 80 m slab and a 24 m lane
MARGIN = 28.0  # m from the outermost buildings to the community boundary
NEAR_BUILDING_M = 3.0  # reports "at" a building fall in its footprint or this close
OUTSIDE_SHARE = 0.005  # reports just outside the boundary (they stay unassigned)


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

_SURNAMES = np.array(list("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"))
_GIVEN = np.array(
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 建华 玉兰 "
    "淑珍 德明 国庆 海燕 春生 立新 红梅 志强 文华 金凤 宝山 凤英 永福 小红 晓东 建国".split()
)

_WORKERS = (
    "王秀梅", "李建军", "张丽娟", "刘海涛", "陈淑芬", "杨志刚",
    "赵春燕", "黄立新", "周玉兰", "吴国强", "孙红霞", "马德胜",
)  # fmt: skip


# --- report patterns ----------------------------------------------------------------
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

# --- report lifecycle ---------------------------------------------------------------
# Each report follows one path; its status is the last step reached by `now`.
_PATHS: dict[str, tuple[str, ...]] = {
    "normal": ("submitted", "accepted", "dispatched", "in_progress", "resolved", "closed"),
    "rejected": ("submitted", "rejected"),
    "duplicate": ("submitted", "duplicate"),
    "escalated": (
        "submitted", "accepted", "dispatched", "in_progress", "escalated", "resolved", "closed",
    ),
    "reopened": (
        "submitted", "accepted", "dispatched", "in_progress", "resolved",
        "reopened", "in_progress", "resolved", "closed",
    ),
}  # fmt: skip
_PATH_SHARES = {
    "normal": 0.88,
    "rejected": 0.025,
    "duplicate": 0.03,
    "escalated": 0.04,
    "reopened": 0.025,
}

# (from, to): (median, lognormal sigma, median counted in SLA periods rather than seconds)
_STEP_DELAY: dict[tuple[str, str], tuple[float, float, bool]] = {
    ("submitted", "accepted"): (0.5 * HOUR, 0.8, False),
    ("submitted", "rejected"): (2 * HOUR, 0.9, False),
    ("submitted", "duplicate"): (1.5 * HOUR, 0.9, False),
    ("accepted", "dispatched"): (0.4 * HOUR, 0.8, False),
    ("dispatched", "in_progress"): (0.04, 0.8, True),
    ("in_progress", "resolved"): (0.3, 0.6, True),
    ("in_progress", "escalated"): (0.25, 0.6, True),
    ("escalated", "resolved"): (0.9, 0.6, True),
    ("resolved", "closed"): (0.08, 0.8, True),
    ("resolved", "reopened"): (0.15, 0.7, True),
    ("reopened", "in_progress"): (0.03, 0.8, True),
}
STUCK_SHARE = 0.03  # waiting for parts or renovation money: many times the SLA
UNCONFIRMED_SHARE = 0.05  # resolved, but the resident never confirms and rates

_STATUS = np.array(model.STATUSES, dtype=object)
_CODE = {s: i for i, s in enumerate(model.STATUSES)}

_INTAKE = "社区受理 community intake"
_DISPATCHER = "社区调度 community dispatcher"
_GRID_OFFICE = "社区网格办 community grid office"
_RESIDENT = "居民 resident"
_LEVELS = np.array(["community", "street"], dtype=object)
_LEVEL_ACTORS = np.array(["社区居委会 community committee", "街道办 street office"], dtype=object)
_SOURCE_ACTORS = {
    "wechat": "居民(微信群) resident via WeChat",
    "miniprogram": "居民(小程序) resident via mini-program",
    "hotline": "热线 hotline",
    "walk_in": "社区服务站 service desk",
}
_NOTES = {
    "submitted": "居民上报 Reported by a resident",
    "accepted": "已受理 Accepted",
    "rejected": "不属于社区办理事项，已向居民说明 Not a community matter; resident told",
    "duplicate": "重复上报 Duplicate report",
    "dispatched": "已派单 Dispatched",
    "in_progress": "网格员已到场处理 Grid worker on site",
    "escalated": "网格内无法解决，已上报 Cannot be solved in the grid; escalated",
    "resolved": "已处理完毕 Resolved",
    "reopened": "居民反映问题未解决 Resident says it is not fixed",
    "closed": "已办结 Closed",
}
_PATROL_NOTE = "网格员巡查发现 Found on patrol"
_OUTSIDE_NOTE = "不在本社区范围 Outside this community"
_RATING_NOTES = np.array(
    [None] + [f"居民评价{r}星 Resident rated {r}/5" for r in range(1, 6)], dtype=object
)


# === the site: buildings, boundary, grids, chargers, drying areas ===================
@dataclass
class _Site:
    """Everything with a place, in local metres (origin at the community centre)."""

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


def _build_site(rng: np.random.Generator) -> _Site:
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
    return _Site(
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


def _to_wgs84(site: _Site, geoms) -> gpd.GeoSeries:
    """Local-metre geometries moved to their UTM place and reprojected to WGS 84."""
    moved = shapely.transform(np.asarray(geoms, dtype=object), lambda xy: xy + site.origin)
    return gpd.GeoSeries(moved, crs=site.epsg).to_crs(model.WGS84)


def _phone_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """Obviously synthetic mobile numbers: 13x0000nnnn."""
    third = rng.integers(0, 10, n).astype(str)
    tail = np.char.zfill(rng.integers(0, 10000, n).astype(str), 4)
    return np.char.add(np.char.add(np.char.add("13", third), "0000"), tail).astype(object)


def _person_names(rng: np.random.Generator, n: int) -> np.ndarray:
    surname = _SURNAMES[rng.integers(0, len(_SURNAMES), n)]
    given = _GIVEN[rng.integers(0, len(_GIVEN), n)]
    return np.char.add(surname, given).astype(object)


# === the static layers ===============================================================
def _community_frame(site: _Site) -> gpd.GeoDataFrame:
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


def _grids_frame(rng: np.random.Generator, site: _Site) -> gpd.GeoDataFrame:
    numbers = np.arange(1, N_GRIDS + 1)
    return gpd.GeoDataFrame(
        {
            "grid_id": [f"G{n:02d}" for n in numbers],
            "community_id": DEMO_COMMUNITY_ID,
            "name": [f"第{n}网格" for n in numbers],
            "worker_name": list(_WORKERS[:N_GRIDS]),
            "worker_phone": _phone_numbers(rng, N_GRIDS),
            "version": 1,
        },
        geometry=_to_wgs84(site, [_as_multi(g) for g in site.grid_shapes]).values,
        crs=model.WGS84,
    )


def _buildings_frame(site: _Site) -> gpd.GeoDataFrame:
    frame = site.buildings.assign(community_id=DEMO_COMMUNITY_ID)
    return gpd.GeoDataFrame(
        frame, geometry=_to_wgs84(site, site.footprints).values, crs=model.WGS84
    )


def _chargers_frame(site: _Site) -> gpd.GeoDataFrame:
    chargers = site.chargers
    points = shapely.points(chargers[["x", "y"]].to_numpy())
    return gpd.GeoDataFrame(
        chargers.assign(community_id=DEMO_COMMUNITY_ID),
        geometry=_to_wgs84(site, points).values,
        crs=model.WGS84,
    )


def _drying_frame(site: _Site) -> gpd.GeoDataFrame:
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


# === reports ===========================================================================
def _now_seconds(now: datetime | None) -> int:
    """`now` as whole Unix seconds; a naive time is read as China Standard Time."""
    stamp = pd.Timestamp(datetime.now(UTC) if now is None else now)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(CST)
    return int(stamp.value // 10**9)


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


def _building_weights(site: _Site, kind: str) -> np.ndarray:
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


def _near_buildings(rng: np.random.Generator, site: _Site, which: np.ndarray) -> np.ndarray:
    """Points in the footprints of ``which`` buildings or a few metres around them."""
    b = site.buildings
    half_x = (b.length.to_numpy()[which] / 2) + NEAR_BUILDING_M
    half_y = (b.depth.to_numpy()[which] / 2) + NEAR_BUILDING_M
    x = b.cx.to_numpy()[which] + rng.uniform(-1, 1, len(which)) * half_x
    y = b.cy.to_numpy()[which] + rng.uniform(-1, 1, len(which)) * half_y
    return np.column_stack([x, y])


def _open_space(rng: np.random.Generator, site: _Site, n: int) -> np.ndarray:
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


def _low_spot_points(rng: np.random.Generator, site: _Site, n: int) -> np.ndarray:
    """Points scattered around the low spots, kept inside the boundary."""
    spot = site.low_spots[rng.integers(0, len(site.low_spots), n)]
    xy = spot + rng.normal(0, 9, (n, 2))
    outside = ~shapely.contains_xy(site.boundary, xy[:, 0], xy[:, 1])
    xy[outside] = spot[outside]
    return xy


def _outside_points(rng: np.random.Generator, site: _Site, n: int) -> np.ndarray:
    """Points 5–40 m beyond the boundary (the outline is convex, so "outward" is radial)."""
    ring = site.boundary.exterior
    on_ring = shapely.line_interpolate_point(ring, rng.uniform(0, ring.length, n))
    xy = shapely.get_coordinates(on_ring)
    centre = np.array(site.boundary.centroid.coords[0])
    direction = (xy - centre) / np.linalg.norm(xy - centre, axis=1)[:, None]
    return xy + direction * rng.uniform(5, 40, n)[:, None]


def _draw_locations(
    rng: np.random.Generator, site: _Site, category: np.ndarray, codes: np.ndarray
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


def _draw_paths(rng: np.random.Generator, outside: np.ndarray) -> np.ndarray:
    names = list(_PATHS)
    shares = np.array([_PATH_SHARES[p] for p in names])
    path = rng.choice(len(names), size=len(outside), p=shares / shares.sum())
    # Most reports from beyond the boundary belong to another community.
    path[outside & (rng.random(len(outside)) < 0.6)] = names.index("rejected")
    return path


def _link_duplicates(
    rng: np.random.Generator,
    path: np.ndarray,
    category: np.ndarray,
    building: np.ndarray,
    xy: np.ndarray,
    outside: np.ndarray,
) -> np.ndarray:
    """Index of the original report of each duplicate (-1 elsewhere); moves each
    duplicate next to its original. A duplicate with no earlier report becomes normal."""
    n = len(path)
    dup_code = list(_PATHS).index("duplicate")
    original = np.full(n, -1)
    index = np.arange(n)  # reports are already in time order
    for keys in ((category, building), (category,)):
        order = np.lexsort((index, *reversed(keys)))
        same = np.ones(n - 1, dtype=bool) if n > 1 else np.zeros(0, dtype=bool)
        for key in keys:
            same &= key[order][1:] == key[order][:-1]
        previous = np.full(n, -1)
        previous[order[1:][same]] = order[:-1][same]
        todo = (path == dup_code) & (original < 0)
        original[todo] = previous[todo]
    is_dup = path == dup_code
    path[is_dup & (original < 0)] = list(_PATHS).index("normal")
    linked = np.flatnonzero(original >= 0)
    xy[linked] = xy[original[linked]] + rng.normal(0, 2, (len(linked), 2))
    building[linked] = building[original[linked]]
    outside[linked] = outside[original[linked]]
    return original


def _walk_path(
    rng: np.random.Generator,
    steps: tuple[str, ...],
    created: np.ndarray,
    sla_s: np.ndarray,
    now_s: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Times of every step of ``steps`` for these reports, and which happened by now."""
    n = len(created)
    delays = np.zeros((n, len(steps)))
    for j in range(1, len(steps)):
        median, sigma, per_sla = _STEP_DELAY[(steps[j - 1], steps[j])]
        scale = median * sla_s if per_sla else np.full(n, median)
        delays[:, j] = np.maximum(60.0, np.round(scale * rng.lognormal(0.0, sigma, n)))
    if "resolved" in steps:
        first_fix = steps.index("resolved")
        stuck = rng.random(n) < STUCK_SHARE
        delays[stuck, first_fix] = np.round(
            delays[stuck, first_fix] * rng.uniform(4, 40, stuck.sum())
        )
    if steps[-1] == "closed":
        delays[rng.random(n) < UNCONFIRMED_SHARE, -1] = np.inf
    times = created[:, None] + np.cumsum(delays, axis=1)
    return times, times <= now_s


@dataclass
class _Lifecycle:
    """Per report: status and times; per event: report, step, times, statuses."""

    status: np.ndarray
    closed_at: np.ndarray  # seconds, NaN while open
    fixed_late: np.ndarray  # first resolution after due_at
    reached_dispatch: np.ndarray
    escalated: np.ndarray
    ev_report: np.ndarray
    ev_at: np.ndarray
    ev_to: np.ndarray  # status codes
    ev_from: np.ndarray  # status codes, -1 for the first event


def _run_lifecycle(
    rng: np.random.Generator,
    path: np.ndarray,
    created: np.ndarray,
    due: np.ndarray,
    sla_s: np.ndarray,
    now_s: int,
) -> _Lifecycle:
    n = len(path)
    status = np.zeros(n, dtype=int)
    closed_at = np.full(n, np.nan)
    fixed_late = np.zeros(n, dtype=bool)
    reached_dispatch = np.zeros(n, dtype=bool)
    escalated = np.zeros(n, dtype=bool)
    events: list[tuple[np.ndarray, ...]] = []
    done_codes = [_CODE[s] for s in ("resolved", "closed", "rejected", "duplicate")]
    for p, steps in enumerate(_PATHS.values()):
        rows = np.flatnonzero(path == p)
        if len(rows) == 0:
            continue
        times, happened = _walk_path(rng, steps, created[rows], sla_s[rows], now_s)
        codes = np.array([_CODE[s] for s in steps])
        last = happened.sum(axis=1) - 1
        status[rows] = codes[last]
        final = np.isin(codes[last], done_codes)
        closed_at[rows[final]] = times[final, last[final]]
        if "resolved" in steps:
            fixed_late[rows] = times[:, steps.index("resolved")] > due[rows]
        if "dispatched" in steps:
            reached_dispatch[rows] = happened[:, steps.index("dispatched")]
        if "escalated" in steps:
            escalated[rows] = happened[:, steps.index("escalated")]
        i, s = np.nonzero(happened)
        from_codes = np.concatenate([[-1], codes[:-1]])
        events.append((rows[i], times[i, s], codes[s], from_codes[s], s))
    report, at, to, frm, step = (np.concatenate(parts) for parts in zip(*events, strict=True))
    order = np.lexsort((step, report, at))  # event ids follow time, as in a live system
    return _Lifecycle(
        status, closed_at, fixed_late, reached_dispatch, escalated,
        report[order], at[order], to[order], frm[order],
    )  # fmt: skip


def _ratings(rng: np.random.Generator, closed: np.ndarray, late: np.ndarray) -> np.ndarray:
    """1–5 stars for closed reports (0 elsewhere); late fixes get fewer stars."""
    n = len(closed)
    on_time = rng.choice(np.arange(1, 6), size=n, p=[0.03, 0.05, 0.12, 0.35, 0.45])
    overdue = rng.choice(np.arange(1, 6), size=n, p=[0.12, 0.15, 0.25, 0.28, 0.20])
    return np.where(closed, np.where(late, overdue, on_time), 0)


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


def _as_time(seconds: np.ndarray) -> pd.DatetimeIndex:
    return pd.to_datetime(seconds, unit="s", utc=True)


def _text(values, n: int | None = None) -> pd.Series:
    """A text column of plain Python objects (one string repeated when given a str).

    Left alone, pandas turns text into its Arrow string type, which model.conform
    converts straight back: for 100,000 reports that round trip costs a second.
    """
    if isinstance(values, str):
        values = [values] * n
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def _reports_and_events(
    rng: np.random.Generator,
    site: _Site,
    grids: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    n: int,
    now_s: int,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The reports, placed, timed and walked through their lifecycle, and their events."""
    table = load_categories()
    codes = np.array(table.index, dtype=object)
    sla_days = table["sla_days"].to_numpy(float)

    category = _draw_categories(rng, codes, n)
    created = _draw_times(rng, category, codes, now_s)
    order = np.argsort(created, kind="stable")  # report ids follow time
    category, created = category[order], created[order].astype(float)

    xy, building, outside = _draw_locations(rng, site, category, codes)
    in_open = building < 0
    path = _draw_paths(rng, outside)
    original = _link_duplicates(rng, path, category, building, xy, outside)

    points = gpd.GeoSeries(shapely.points(xy + site.origin), crs=site.epsg).to_crs(model.WGS84)
    grid_id = assign_grids(points, grids)
    building_id = assign_buildings(points, buildings)

    sla_s = sla_days[category] * DAY
    due = created + sla_s
    life = _run_lifecycle(rng, path, created, due, sla_s, now_s)
    closed = life.status == _CODE["closed"]
    rating = _ratings(rng, closed, life.fixed_late)

    workers = dict(zip(grids["grid_id"], grids["worker_name"], strict=True))
    handler = pd.Series(grid_id, dtype=object).map(workers).fillna(_GRID_OFFICE).to_numpy(object)
    level = (rng.random(n) < 0.3).astype(int)  # most escalations stop at the community
    source = _draw_sources(rng, in_open)
    names = _person_names(rng, n)
    phones = _phone_numbers(rng, n)
    anonymous = (source == "patrol") | ((source == "hotline") & (rng.random(n) < 0.2))
    names[anonymous] = None
    phones[anonymous] = None
    report_id = np.arange(1, n + 1)

    reports = gpd.GeoDataFrame(
        {
            "report_id": report_id,
            "community_id": _text(DEMO_COMMUNITY_ID, n),
            "external_id": _text([f"DEMO-{i:06d}" for i in report_id]),
            "category": _text(codes[category]),
            "description": _text(_descriptions(rng, category, codes)),
            "source": _text(source),
            "reporter_name": _text(names),
            "reporter_phone": _text(phones),
            "created_at": _as_time(created),
            "status": _text(_STATUS[life.status]),
            "grid_id": _text(grid_id),
            "building_id": _text(building_id),
            "assignee": _text(np.where(life.reached_dispatch, handler, None)),
            "due_at": _as_time(due),
            "closed_at": _as_time(life.closed_at),
            "rating": np.where(closed, rating, np.nan),
            "escalation_level": _text(np.where(life.escalated, _LEVELS[level], None)),
            "duplicate_of": np.where(original >= 0, original + 1, np.nan),
        },
        geometry=points.values,
        crs=model.WGS84,
    )
    context = _EventContext(source, handler, level, rating, grid_id, grids, original, outside)
    return reports, _events_frame(life, context)


@dataclass
class _EventContext:
    """Per-report facts the event actors and notes are drawn from."""

    source: np.ndarray
    handler: np.ndarray
    level: np.ndarray
    rating: np.ndarray
    grid_id: np.ndarray
    grids: gpd.GeoDataFrame
    original: np.ndarray
    outside: np.ndarray


def _events_frame(life: _Lifecycle, ctx: _EventContext) -> pd.DataFrame:
    r, to, frm = life.ev_report, life.ev_to, life.ev_from
    m = len(r)

    def at(status: str) -> np.ndarray:
        return to == _CODE[status]

    actor = np.full(m, _INTAKE, dtype=object)
    note = np.array([_NOTES[s] if s in _NOTES else None for s in model.STATUSES], dtype=object)[to]

    submitted = at("submitted")
    patrol = submitted & (ctx.source[r] == "patrol")
    source_actor = pd.Series(ctx.source[r[submitted]]).map(_SOURCE_ACTORS).to_numpy(object)
    actor[submitted] = source_actor
    actor[patrol] = ctx.handler[r[patrol]]
    note[patrol] = _PATROL_NOTE

    actor[at("dispatched")] = _DISPATCHER
    to_grid = {
        g: f"派单至{name} Dispatched to grid {g}"
        for g, name in zip(ctx.grids["grid_id"], ctx.grids["name"], strict=True)
    }
    dispatch_note = (
        pd.Series(ctx.grid_id, dtype=object)
        .map(to_grid)
        .fillna(f"派单至{_GRID_OFFICE} Dispatched to the grid office")
        .to_numpy(object)
    )
    dispatched = at("dispatched")
    note[dispatched] = dispatch_note[r[dispatched]]

    by_worker = at("in_progress") | at("resolved") | at("escalated")
    actor[by_worker] = ctx.handler[r[by_worker]]
    above = at("resolved") & (frm == _CODE["escalated"])
    actor[above] = _LEVEL_ACTORS[ctx.level[r[above]]]
    escalated = at("escalated")
    note[escalated] = np.where(
        ctx.level[r[escalated]] == 0,
        "网格内无法解决，上报社区 Escalated to the community",
        "社区无法解决，上报街道 Escalated to the street office",
    )

    by_resident = at("closed") | at("reopened")
    actor[by_resident] = _RESIDENT
    closed = at("closed")
    rated = ctx.rating[r[closed]]
    note[closed] = np.where(rated > 0, _RATING_NOTES[rated], _NOTES["closed"])

    duplicate = np.flatnonzero(at("duplicate"))
    note[duplicate] = [
        f"与第{ctx.original[i] + 1}号重复 Duplicate of #{ctx.original[i] + 1}" for i in r[duplicate]
    ]
    rejected_outside = at("rejected") & ctx.outside[r]
    note[rejected_outside] = _OUTSIDE_NOTE

    status_names = np.append(_STATUS, None)  # index -1 reads "no previous status"
    return pd.DataFrame(
        {
            "event_id": np.arange(1, m + 1),
            "community_id": _text(DEMO_COMMUNITY_ID, m),
            "report_id": r + 1,
            "at": _as_time(life.ev_at),
            "actor": _text(actor),
            "from_status": _text(status_names[frm]),
            "to_status": _text(_STATUS[to]),
            "note": _text(note),
        }
    )


# === public ==============================================================================
LAYER_ORDER = tuple(model.LAYERS)  # the model's order: what a layer refers to comes first


def is_synthetic(community_code: object) -> bool:
    """True for a community made by this module (its code starts with DEMO-)."""
    return str(community_code or "").startswith("DEMO-")


def build_demo(
    n_reports: int = 6000, seed: int = DEMO_SEED, now: datetime | None = None
) -> dict[str, pd.DataFrame]:
    """Build the synthetic demo community, every layer of :mod:`geo.model`.

    Parameters
    ----------
    n_reports : number of residents' reports over the 24 months before ``now``.
    seed : seed of the random generator; the same seed and ``now`` give the same frames.
    now : the moment the demo is "taken" (time-zone aware; naive means China Standard
        Time); defaults to the current time.

    Returns
    -------
    dict of layer name to frame, in the order community, grids, buildings, chargers,
    drying_areas, reports, report_events; each conformed to :mod:`geo.model`, geometry
    in WGS 84. Reports already carry grid_id and building_id by the rule of
    :mod:`geo.assign`; a store recomputes them on load anyway.
    """
    if n_reports < 0:
        raise ValueError(f"n_reports must be zero or more, not {n_reports}")
    rng = np.random.default_rng(seed)
    now_s = _now_seconds(now)
    site = _build_site(rng)
    layers: dict[str, pd.DataFrame] = {
        "community": _community_frame(site),
        "grids": _grids_frame(rng, site),
        "buildings": _buildings_frame(site),
        "chargers": _chargers_frame(site),
        "drying_areas": _drying_frame(site),
    }
    if n_reports:
        layers["reports"], layers["report_events"] = _reports_and_events(
            rng, site, layers["grids"], layers["buildings"], n_reports, now_s
        )
    else:
        layers["reports"], layers["report_events"] = (
            model.empty("reports"),
            model.empty("report_events"),
        )
    return {name: model.conform(name, layers[name]) for name in LAYER_ORDER}
