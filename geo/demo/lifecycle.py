"""The demo reports' lifecycle: the path each report takes, when, and its event log.

Each report follows one path (normal, rejected, duplicate, escalated, reopened);
each step comes a lognormal delay after the last, some counted in hours and some in
SLA periods, and its status is the last step reached by ``now``. Every step reached
is an event with the actor and note a community office would write.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import model
from geo.demo.common import DEMO_COMMUNITY_ID, HOUR, as_time, text_column

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

STATUS = np.array(model.STATUSES, dtype=object)  # status name of each status code
CODE = {s: i for i, s in enumerate(model.STATUSES)}  # status code of each status name

_INTAKE = "社区受理 community intake"
_DISPATCHER = "社区调度 community dispatcher"
GRID_OFFICE = "社区网格办 community grid office"
_RESIDENT = "居民 resident"
LEVELS = np.array(["community", "street"], dtype=object)
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


def draw_paths(rng: np.random.Generator, outside: np.ndarray) -> np.ndarray:
    """The path each report takes, as its position in ``_PATHS``.

    Parameters
    ----------
    rng : the demo's random generator (advanced by the draw).
    outside : per report, whether it lies beyond the community boundary.

    Returns
    -------
    numpy.ndarray : one path number per report.
    """
    names = list(_PATHS)
    shares = np.array([_PATH_SHARES[p] for p in names])
    path = rng.choice(len(names), size=len(outside), p=shares / shares.sum())
    # Most reports from beyond the boundary belong to another community.
    path[outside & (rng.random(len(outside)) < 0.6)] = names.index("rejected")
    return path


def link_duplicates(
    rng: np.random.Generator,
    path: np.ndarray,
    category: np.ndarray,
    building: np.ndarray,
    xy: np.ndarray,
    outside: np.ndarray,
) -> np.ndarray:
    """Link each duplicate to the report it repeats, and move it next to that one.

    The original is the latest earlier report of the same category at the same
    building, else of the same category anywhere. A duplicate with no earlier report
    becomes a normal report. ``path``, ``building``, ``xy`` and ``outside`` are
    changed in place.

    Parameters
    ----------
    rng : the demo's random generator (advanced by the draw).
    path : path number of each report, reports in time order (from :func:`draw_paths`).
    category, building, xy, outside : per report: category number, building position
        (-1 for none), local metres, beyond the boundary.

    Returns
    -------
    numpy.ndarray : index of the original of each duplicate, -1 for the others.
    """
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
class Lifecycle:
    """The outcome of :func:`run_lifecycle`.

    Per report: status and times; per event: report, time, statuses.
    """

    status: np.ndarray
    closed_at: np.ndarray  # seconds, NaN while open
    fixed_late: np.ndarray  # first resolution after due_at
    reached_dispatch: np.ndarray
    escalated: np.ndarray
    ev_report: np.ndarray
    ev_at: np.ndarray
    ev_to: np.ndarray  # status codes
    ev_from: np.ndarray  # status codes, -1 for the first event


def run_lifecycle(
    rng: np.random.Generator,
    path: np.ndarray,
    created: np.ndarray,
    due: np.ndarray,
    sla_s: np.ndarray,
    now_s: int,
) -> Lifecycle:
    """Walk every report along its path up to ``now``.

    Parameters
    ----------
    rng : the demo's random generator (advanced by the draw).
    path : path number of each report (from :func:`draw_paths`).
    created, due : Unix seconds of each report's submission and SLA deadline.
    sla_s : each report's SLA in seconds; most delays after dispatch scale with it.
    now_s : the moment the demo is taken, Unix seconds; later steps have not happened.

    Returns
    -------
    Lifecycle : per report its status and times, per event what happened when, the
        events in time order.
    """
    n = len(path)
    status = np.zeros(n, dtype=int)
    closed_at = np.full(n, np.nan)
    fixed_late = np.zeros(n, dtype=bool)
    reached_dispatch = np.zeros(n, dtype=bool)
    escalated = np.zeros(n, dtype=bool)
    events: list[tuple[np.ndarray, ...]] = []
    done_codes = [CODE[s] for s in ("resolved", "closed", "rejected", "duplicate")]
    for p, steps in enumerate(_PATHS.values()):
        rows = np.flatnonzero(path == p)
        if len(rows) == 0:
            continue
        times, happened = _walk_path(rng, steps, created[rows], sla_s[rows], now_s)
        codes = np.array([CODE[s] for s in steps])
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
    return Lifecycle(
        status, closed_at, fixed_late, reached_dispatch, escalated,
        report[order], at[order], to[order], frm[order],
    )  # fmt: skip


def ratings(rng: np.random.Generator, closed: np.ndarray, late: np.ndarray) -> np.ndarray:
    """Residents' ratings: 1–5 stars for closed reports, late fixes getting fewer.

    Parameters
    ----------
    rng : the demo's random generator (advanced by the draw).
    closed : per report, whether it is closed.
    late : per report, whether it was first resolved after its deadline.

    Returns
    -------
    numpy.ndarray : stars per report, 0 for reports not closed.
    """
    n = len(closed)
    on_time = rng.choice(np.arange(1, 6), size=n, p=[0.03, 0.05, 0.12, 0.35, 0.45])
    overdue = rng.choice(np.arange(1, 6), size=n, p=[0.12, 0.15, 0.25, 0.28, 0.20])
    return np.where(closed, np.where(late, overdue, on_time), 0)


@dataclass
class EventContext:
    """Per-report facts the event actors and notes of :func:`events_frame` come from."""

    source: np.ndarray
    handler: np.ndarray
    level: np.ndarray
    rating: np.ndarray
    grid_id: np.ndarray
    grids: gpd.GeoDataFrame
    original: np.ndarray
    outside: np.ndarray


def events_frame(life: Lifecycle, ctx: EventContext) -> pd.DataFrame:
    """The report_events layer: every step reached, with its actor and note.

    Parameters
    ----------
    life : the walked lifecycle (:func:`run_lifecycle`).
    ctx : what the actors and notes depend on: source, grid worker, escalation level,
        rating, grid, original of a duplicate, outside the boundary.

    Returns
    -------
    pandas.DataFrame : the events, ids from 1 in time order (not yet conformed to
        :mod:`geo.model`).
    """
    r, to, frm = life.ev_report, life.ev_to, life.ev_from
    m = len(r)

    def at(status: str) -> np.ndarray:
        return to == CODE[status]

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
        .fillna(f"派单至{GRID_OFFICE} Dispatched to the grid office")
        .to_numpy(object)
    )
    dispatched = at("dispatched")
    note[dispatched] = dispatch_note[r[dispatched]]

    by_worker = at("in_progress") | at("resolved") | at("escalated")
    actor[by_worker] = ctx.handler[r[by_worker]]
    above = at("resolved") & (frm == CODE["escalated"])
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

    status_names = np.append(STATUS, None)  # index -1 reads "no previous status"
    return pd.DataFrame(
        {
            "event_id": np.arange(1, m + 1),
            "community_id": text_column(DEMO_COMMUNITY_ID, m),
            "report_id": r + 1,
            "at": as_time(life.ev_at),
            "actor": text_column(actor),
            "from_status": text_column(status_names[frm]),
            "to_status": text_column(STATUS[to]),
            "note": text_column(note),
        }
    )
