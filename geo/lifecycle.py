"""The report lifecycle of DESIGN.md §3: states, the legal transitions, due times, dispatch.

A report moves by *actions*; each action leads from the states it is allowed in to
one state::

    submitted --accept--> accepted --dispatch--> dispatched --start--> in_progress
    in_progress --resolve--> resolved --close (rating 1–5)--> closed
    side exits: reject (submitted, accepted), duplicate (submitted, accepted),
    escalate (grid → community → street), reopen (resolved, closed)

Every action is one :meth:`~geo.store.base.Store.update_report`: a compare-and-set
on the state the person saw, and an event with its actor, time and note. An action
not allowed in the report's state is refused with :class:`IllegalTransition`, whose
message names the state.

Due times: created_at plus the category's SLA in days of 24 hours, as the importer
sets them, so a due time is one instant whatever zone it is shown in. A report is
overdue while it is open and its due time has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from geo.categories import FALLBACK, load_categories
from geo.errors import GridmapError
from geo.grid_stats import overdue_mask
from geo.i18n import t
from geo.model import OPEN_STATUSES, STATUSES, is_missing
from geo.store.base import Store

ESCALATION_LEVELS = ("grid", "community", "street")  # a report starts at the grid
RATINGS = (1, 2, 3, 4, 5)

# action: (the states it is allowed in, the state it leads to)
ACTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "accept": (("submitted",), "accepted"),
    "dispatch": (("accepted", "reopened"), "dispatched"),
    "start": (("dispatched", "reopened"), "in_progress"),
    "resolve": (("in_progress", "escalated"), "resolved"),
    "escalate": (("dispatched", "in_progress", "reopened", "escalated"), "escalated"),
    "close": (("resolved",), "closed"),
    "reopen": (("resolved", "closed"), "reopened"),
    "reject": (("submitted", "accepted"), "rejected"),
    "duplicate": (("submitted", "accepted"), "duplicate"),
}

# The roles of the community office an actor may be, besides a grid worker by name.
OFFICE_ROLES = ("intake", "dispatcher", "grid_office", "committee", "street_office", "resident")


class IllegalTransition(GridmapError):
    """An action that the report's state does not allow (or that lacks what it needs)."""


def legal_transitions() -> set[tuple[str, str]]:
    """Every (from state, to state) pair some action makes."""
    return {(before, after) for sources, after in ACTIONS.values() for before in sources}


def next_level(level: object) -> str | None:
    """The escalation level above ``level`` (empty means the grid); None above the street.

    Parameters
    ----------
    level
        A report's escalation_level: None, "grid", "community" or "street".

    Returns
    -------
    str or None
        "community" after the grid, "street" after the community, None after the street.
    """
    current = "grid" if is_missing(level) or not level else str(level)
    if current not in ESCALATION_LEVELS:
        return None
    position = ESCALATION_LEVELS.index(current)
    return ESCALATION_LEVELS[position + 1] if position + 1 < len(ESCALATION_LEVELS) else None


def allowed_actions(status: object, escalation_level: object = None) -> list[str]:
    """The actions a report in ``status`` allows, in :data:`ACTIONS` order.

    Parameters
    ----------
    status
        The report's state.
    escalation_level
        Its escalation level; escalate is not offered above the street.

    Returns
    -------
    list of str
        Action names; empty for rejected and duplicate reports (they are final).
    """
    actions = [name for name, (before, _) in ACTIONS.items() if status in before]
    if "escalate" in actions and next_level(escalation_level) is None:
        actions.remove("escalate")
    return actions


def due_time(created_at, category: object, categories: pd.DataFrame | None = None):
    """When a report is due: created_at plus its category's SLA days (24 hours each).

    Parameters
    ----------
    created_at
        A zone-aware time (or a column of them).
    category
        A category code (or a column of them); unknown codes take the SLA of "other".
    categories
        The category table (default: the built-in one).

    Returns
    -------
    pandas.Timestamp or pandas.Series
        The due time(s), in the zone of ``created_at``.
    """
    table = load_categories() if categories is None else categories
    fallback = float(table.at[FALLBACK, "sla_days"])
    if isinstance(category, pd.Series):
        days = category.map(table["sla_days"]).astype(float).fillna(fallback)
        return created_at + pd.to_timedelta(days, unit="D")
    days = float(table.at[category, "sla_days"]) if category in table.index else fallback
    return pd.Timestamp(created_at) + pd.Timedelta(days=days)


def is_overdue(report: dict, now: datetime) -> bool:
    """True while a report is open and its due time has passed (DESIGN.md §3)."""
    frame = pd.DataFrame(
        {"status": [report.get("status")], "due_at": [pd.Timestamp(report.get("due_at"))]}
    )
    frame["due_at"] = pd.to_datetime(frame["due_at"], utc=True)
    return bool(overdue_mask(frame, now).iloc[0])


def resolved_late(due_at: pd.Series, resolved_at: pd.Series, status: pd.Series, now) -> pd.Series:
    """Whether each report was (or still is) late: resolved after its due time, or open past it.

    Rejected and duplicate reports were never due, so they are never late.

    Parameters
    ----------
    due_at, resolved_at, status
        Columns of the same reports; resolved_at is when the report was last
        resolved (NaT while it has not been).
    now
        The moment open reports are judged at.

    Returns
    -------
    pandas.Series of bool
    """
    now_ts = _utc(now)
    done_by = resolved_at.where(resolved_at.notna(), now_ts)
    judged = status.isin(OPEN_STATUSES) | status.isin(("resolved", "closed"))
    return (judged & due_at.notna() & (due_at < done_by)).fillna(False).astype(bool)


def _utc(moment) -> pd.Timestamp:
    stamp = pd.Timestamp(moment)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


# --- actors ------------------------------------------------------------------------------


def office_actor(role: str) -> str:
    """How an office role is written in the event log: Chinese, then English, as the demo."""
    return both_languages(f"reports.role.{role}")


def both_languages(key: str, **values: object) -> str:
    """A note written into the data in both languages ("已受理 Accepted"), as the demo does."""
    return f"{t(key, 'zh', **values)} {t(key, 'en', **values)}"


# --- applying an action ------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One action worked out: the columns to change, what must still hold, the event."""

    changes: dict
    expected: dict
    event: dict


def plan(
    report: dict,
    action: str,
    actor: str,
    now: datetime,
    note: str | None = None,
    rating: int | None = None,
    duplicate_of: int | None = None,
    grids: pd.DataFrame | None = None,
) -> Step:
    """Work out one action on a report without writing anything.

    Parameters
    ----------
    report
        The report as the person saw it (column name to value).
    action
        One of :data:`ACTIONS`.
    actor
        Who acts (a grid worker's name or :func:`office_actor`).
    now
        When.
    note
        What the person wrote; added to the event after any note of the action's own.
    rating
        The resident's rating, 1–5: required to close.
    duplicate_of
        The report this one repeats: required to mark a duplicate.
    grids
        The grids layer, for the worker a dispatch goes to.

    Returns
    -------
    Step

    Raises
    ------
    IllegalTransition
        For an action the report's state does not allow, a missing or bad rating, a
        duplicate of itself, a dispatch without a grid, an escalation above the street.
    """
    status = report.get("status")
    if action not in ACTIONS:
        raise IllegalTransition("reports.unknown_action", action=repr(action))
    allowed_from, target = ACTIONS[action]
    if status not in allowed_from:
        raise IllegalTransition(
            "reports.illegal",
            action=GridmapError(f"reports.action.{action}"),
            state=_state_name(status),
            allowed=_action_list(allowed_actions(status, report.get("escalation_level"))),
        )
    changes: dict = {"status": target}
    expected: dict = {"status": status}
    own_note: str | None = None
    if action == "dispatch":
        changes["assignee"], own_note = _dispatch(report, grids)
    elif action == "escalate":
        level = next_level(report.get("escalation_level"))
        if level is None:
            raise IllegalTransition("reports.escalate_top")
        changes["escalation_level"] = level
        expected["escalation_level"] = report.get("escalation_level")
        own_note = both_languages(f"reports.note.escalated_{level}")
    elif action == "close":
        if rating not in RATINGS:
            raise IllegalTransition("reports.bad_rating", value=repr(rating))
        changes.update(rating=int(rating), closed_at=_utc(now))
        own_note = both_languages("reports.note.rated", rating=int(rating))
    elif action == "duplicate":
        original = _report_number(duplicate_of)
        if original is None or original == _report_number(report.get("report_id")):
            raise IllegalTransition("reports.bad_original", value=repr(duplicate_of))
        changes.update(duplicate_of=original, closed_at=_utc(now))
        own_note = both_languages("reports.note.duplicate_of", original=original)
    elif action in ("resolve", "reject"):
        changes["closed_at"] = _utc(now)
    elif action == "reopen":
        changes.update(closed_at=None, rating=None)
    text = (note or "").strip() or None
    event = {
        "at": _utc(now),
        "actor": actor,
        "note": " · ".join(part for part in (own_note, text) if part) or None,
    }
    return Step(changes, expected, event)


def apply(store: Store, report: dict, action: str, actor: str, now: datetime, **details) -> dict:
    """Carry out one action (see :func:`plan`) and return the report as it is after.

    Raises IllegalTransition as :func:`plan` does, and
    :class:`~geo.store.base.ReportConflict` when someone changed the report's state
    since it was read (nothing is written then).
    """
    step = plan(report, action, actor, now, **details)
    return store.update_report(
        int(report["report_id"]), step.changes, expected=step.expected, event=step.event
    )


def _dispatch(report: dict, grids: pd.DataFrame | None) -> tuple[str | None, str]:
    """The worker a report goes to (its grid's), and the note that says so."""
    grid_id = report.get("grid_id")
    if is_missing(grid_id) or not grid_id:
        raise IllegalTransition("reports.no_grid", report_id=report.get("report_id"))
    worker = None
    if grids is not None and len(grids):
        rows = grids[grids["grid_id"] == grid_id]
        if len(rows) and not is_missing(rows["worker_name"].iloc[0]):
            worker = str(rows["worker_name"].iloc[0]).strip() or None
    if worker is None:
        return office_actor("grid_office"), both_languages(
            "reports.note.dispatched_office", grid=grid_id
        )
    return worker, both_languages("reports.note.dispatched", grid=grid_id, worker=worker)


def hand_assignment(report: dict, grid_id: str, actor: str, now: datetime, note=None) -> Step:
    """A grid chosen by hand for a report (one outside every grid); the state stays.

    The grid is kept when grids change later (``grid_by_hand``); dispatching it to
    the grid's worker is the next action.
    """
    if report.get("status") not in OPEN_STATUSES:
        raise IllegalTransition("reports.assign_closed", state=_state_name(report.get("status")))
    own = both_languages("reports.note.assigned_by_hand", grid=grid_id)
    text = (note or "").strip() or None
    return Step(
        changes={"grid_id": grid_id, "grid_by_hand": True},
        expected={"status": report.get("status"), "grid_id": report.get("grid_id")},
        event={
            "at": _utc(now),
            "actor": actor,
            "note": " · ".join(p for p in (own, text) if p),
        },
    )


def _report_number(value: object) -> int | None:
    if is_missing(value):
        return None
    try:
        number = int(str(value).strip().lstrip("#"))
    except ValueError:
        return None
    return number if number > 0 else None


def _state_name(status: object) -> GridmapError:
    if status in STATUSES:
        return GridmapError(f"status.{status}")
    return GridmapError("reports.state_unknown", value=repr(status))


class _ActionList(GridmapError):
    """The names of some actions, listed in the language the message is shown in."""

    def __init__(self, actions: list[str]) -> None:
        super().__init__("reports.no_actions")
        self.actions = actions

    def message(self, lang: str | None = None, place: str | None = None) -> str:
        if not self.actions:
            return super().message(lang, place)
        return ", ".join(GridmapError(f"reports.action.{a}").message(lang) for a in self.actions)


def _action_list(actions: list[str]) -> GridmapError:
    return _ActionList(actions)
