"""The work queue of the Reports page: which reports, in what order, shown how.

A queue is the community's reports filtered by grid (or the unassigned ones), by
worker, status, category and overdue, sorted by due time (soonest first, reports
without a due time last). Everything shown is masked as DESIGN.md §6 asks: phone
numbers inside descriptions and notes, and the reporter unless the viewer needs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from geo.categories import category_name
from geo.grid_stats import overdue_mask
from geo.i18n import t, t_or
from geo.model import OPEN_STATUSES, is_missing
from geo.privacy import map_objects, mask_private

UNASSIGNED = "(unassigned)"  # the grid choice that lists reports outside every grid
SHORT_TEXT = 80  # characters of a description shown in the queue


@dataclass(frozen=True)
class QueueFilter:
    """What a queue shows. Empty tuples and None mean "any"."""

    grid: str | None = None  # a grid_id, UNASSIGNED, or None for every grid
    worker: str | None = None
    statuses: tuple[str, ...] = OPEN_STATUSES
    categories: tuple[str, ...] = ()
    overdue_only: bool = False


def work_queue(reports: pd.DataFrame, chosen: QueueFilter, now: datetime) -> pd.DataFrame:
    """The reports ``chosen`` selects, with an ``overdue`` column, soonest due first.

    Parameters
    ----------
    reports
        The community's reports layer.
    chosen
        The filter.
    now
        The moment overdue is judged at.

    Returns
    -------
    pandas.DataFrame
        The selected rows (same columns plus ``overdue``), sorted by due_at (missing
        last), then report_id.
    """
    keep = pd.Series(True, index=reports.index)
    if chosen.grid == UNASSIGNED:
        keep &= reports["grid_id"].isna()
    elif chosen.grid:
        keep &= reports["grid_id"] == chosen.grid
    if chosen.worker:
        keep &= reports["assignee"] == chosen.worker
    if chosen.statuses:
        keep &= reports["status"].isin(chosen.statuses)
    if chosen.categories:
        keep &= reports["category"].isin(chosen.categories)
    overdue = overdue_mask(reports, now)
    if chosen.overdue_only:
        keep &= overdue
    keep = keep.fillna(False).astype(bool)
    out = reports[keep].assign(overdue=overdue[keep])
    return out.sort_values(["due_at", "report_id"], na_position="last", kind="stable")


def unassigned_open(reports: pd.DataFrame) -> int:
    """How many open reports lie outside every grid (waiting for a grid chosen by hand)."""
    return int((reports["grid_id"].isna() & reports["status"].isin(OPEN_STATUSES)).sum())


def workers(reports: pd.DataFrame, grids: pd.DataFrame) -> list[str]:
    """Everyone a report can be assigned to: the grids' workers, then other assignees.

    Parameters
    ----------
    reports
        The community's reports (their assignee column).
    grids
        The grids layer (its worker_name column).

    Returns
    -------
    list of str
        Each name once: the grids' workers in grid order, then the others sorted.
    """
    names = [str(n) for n in grids["worker_name"].dropna() if str(n).strip()]
    others = sorted({str(n) for n in reports["assignee"].dropna()} - set(names))
    return list(dict.fromkeys(names)) + others


def building_names(buildings: pd.DataFrame) -> dict:
    """building_id → the name people use ("3号楼"), the id where there is no name."""
    shown = buildings["name"].where(buildings["name"].notna(), buildings["building_id"])
    return dict(zip(buildings["building_id"], shown, strict=True))


def local_text(value: object, zone: str) -> str:
    """A time as people read it in the community: ``2026-12-01 08:30``, or ""."""
    if is_missing(value):
        return ""
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return stamp.tz_convert(zone).strftime("%Y-%m-%d %H:%M")


def queue_table(
    queue: pd.DataFrame, lang: str, categories: pd.DataFrame, zone: str
) -> pd.DataFrame:
    """The queue as the page's table: translated headers and values, phones masked.

    Parameters
    ----------
    queue
        Rows of :func:`work_queue` (with their ``overdue`` column).
    lang
        'en' or 'zh'.
    categories
        The category table, for the categories' names.
    zone
        The community's time zone: times are shown as its wall-clock times.

    Returns
    -------
    pandas.DataFrame
        One row per report, numbered from 0, descriptions cut to SHORT_TEXT characters.
    """
    shown = mask_private(queue)
    description = map_objects(shown["description"], lambda d: _short(d, SHORT_TEXT))
    none = t("none", lang)
    table = pd.DataFrame(
        {
            t("reports.col.id", lang): shown["report_id"].astype("Int64"),
            t("reports.col.due", lang): map_objects(shown["due_at"], lambda v: local_text(v, zone)),
            t("reports.col.overdue", lang): shown["overdue"].astype(bool),
            t("reports.col.status", lang): map_objects(
                shown["status"], lambda s: t_or(f"status.{s}", str(s), lang)
            ),
            t("reports.col.category", lang): map_objects(
                shown["category"], lambda c: category_name(c, lang, categories)
            ),
            t("reports.col.grid", lang): map_objects(shown["grid_id"], lambda g: g or none),
            t("reports.col.assignee", lang): map_objects(shown["assignee"], lambda a: a or ""),
            t("reports.col.created", lang): map_objects(
                shown["created_at"], lambda v: local_text(v, zone)
            ),
            t("reports.col.description", lang): description,
        }
    )
    return table.reset_index(drop=True)


def option_label(report: pd.Series, lang: str, categories: pd.DataFrame) -> str:
    """One report as an entry of the page's list: ``#123 · Drainage · dispatched``."""
    status = t_or(f"status.{report['status']}", str(report["status"]), lang)
    category = category_name(report["category"], lang, categories)
    return f"#{int(report['report_id'])} · {category} · {status}"


def timeline(events: pd.DataFrame, lang: str, zone: str) -> list[dict]:
    """The events of one report as the page's timeline, oldest first, notes masked.

    Returns one dict per event: ``at`` (local text), ``actor``, ``change`` (the
    translated states, "→ accepted" for the first), ``note``.
    """
    rows = []
    for event in mask_private(events).itertuples(index=False):
        before = "" if is_missing(event.from_status) else _status(event.from_status, lang)
        after = "" if is_missing(event.to_status) else _status(event.to_status, lang)
        rows.append(
            {
                "at": local_text(event.at, zone),
                "actor": "" if is_missing(event.actor) else str(event.actor),
                "change": f"{before} → {after}".strip(),
                "note": "" if is_missing(event.note) else str(event.note),
            }
        )
    return rows


def _status(code: object, lang: str) -> str:
    return t_or(f"status.{code}", str(code), lang)


def _short(text: object, limit: int) -> str:
    if is_missing(text):
        return ""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
