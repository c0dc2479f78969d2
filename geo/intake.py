"""Taking a report in: check what the person entered, save it, accept it, dispatch it.

A report placed on the map is stored as submitted (the store assigns its grid and
building), given an external id of its own (``GM-000123``, its Open311
service_request_id), accepted, and dispatched to its grid's worker with the due
time of its category's SLA. A report outside every grid stays accepted and is
listed as unassigned until someone chooses its grid. A report the person says
repeats an open one is stored and marked duplicate of it at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo import lifecycle
from geo.categories import load_categories
from geo.errors import GridmapError
from geo.model import REPORT_SOURCES, WGS84, is_missing
from geo.photos import PreparedPhoto
from geo.store.base import Store

MAX_DESCRIPTION = 4000  # Open311 GeoReport v2 allows no more
MAX_NAME = 100
_PHONE = re.compile(r"^\+?[\d\s\-()]{5,25}$")


class IntakeError(GridmapError):
    """What the person entered cannot be saved as a report."""


@dataclass(frozen=True)
class Draft:
    """A report as entered on the page, before it is saved."""

    community_id: str
    lon: float | None
    lat: float | None
    category: str
    description: str
    source: str
    reporter_name: str | None = None
    reporter_phone: str | None = None


@dataclass(frozen=True)
class IntakeResult:
    """Where a saved report went."""

    report: dict  # the report as stored after intake
    dispatched: bool


def check_draft(draft: Draft, categories: pd.DataFrame | None = None) -> list[GridmapError]:
    """Everything wrong with a draft (an empty list when it can be saved).

    Parameters
    ----------
    draft
        What the person entered.
    categories
        The category table (default: the built-in one).

    Returns
    -------
    list of GridmapError
        One error per problem, each a translated message.
    """
    table = load_categories() if categories is None else categories
    problems: list[GridmapError] = []
    if draft.lon is None or draft.lat is None:
        problems.append(IntakeError("reports.intake.no_place"))
    elif not (-180 <= draft.lon <= 180 and -90 <= draft.lat <= 90):
        problems.append(IntakeError("reports.intake.bad_place"))
    if draft.category not in table.index:
        problems.append(IntakeError("reports.intake.bad_category", value=repr(draft.category)))
    if draft.source not in REPORT_SOURCES:
        problems.append(IntakeError("reports.intake.bad_source", value=repr(draft.source)))
    text = (draft.description or "").strip()
    if not text:
        problems.append(IntakeError("reports.intake.no_description"))
    elif len(text) > MAX_DESCRIPTION:
        problems.append(
            IntakeError("reports.intake.long_description", n=len(text), limit=MAX_DESCRIPTION)
        )
    if draft.reporter_name and len(draft.reporter_name.strip()) > MAX_NAME:
        problems.append(IntakeError("reports.intake.long_name", limit=MAX_NAME))
    phone = (draft.reporter_phone or "").strip()
    if phone and (not _PHONE.match(phone) or len(re.sub(r"\D", "", phone)) < 5):
        problems.append(IntakeError("reports.intake.bad_phone", value=repr(phone)))
    return problems


def report_row(draft: Draft, now: datetime, categories: pd.DataFrame | None = None):
    """The draft as a one-row reports frame: submitted now, due by its category's SLA.

    Parameters
    ----------
    draft
        What the person entered (already checked).
    now
        When it is taken in (naive means UTC).
    categories
        The category table (default: the built-in one).

    Returns
    -------
    geopandas.GeoDataFrame
        One row, status "submitted", for :meth:`geo.store.base.Store.add_report`.
    """
    created = pd.Timestamp(now)
    created = created.tz_localize("UTC") if created.tzinfo is None else created.tz_convert("UTC")
    return gpd.GeoDataFrame(
        {
            "community_id": [draft.community_id],
            "category": [draft.category],
            "description": [draft.description.strip()],
            "source": [draft.source],
            "reporter_name": [_text(draft.reporter_name)],
            "reporter_phone": [_text(draft.reporter_phone)],
            "created_at": [created],
            "status": ["submitted"],
            "due_at": [lifecycle.due_time(created, draft.category, categories)],
        },
        geometry=[Point(draft.lon, draft.lat)],
        crs=WGS84,
    )


def submit(
    store: Store,
    draft: Draft,
    actor: str,
    now: datetime,
    grids: pd.DataFrame,
    categories: pd.DataFrame | None = None,
    photo: PreparedPhoto | None = None,
    duplicate_of: int | None = None,
    note: str | None = None,
) -> IntakeResult:
    """Save a report, then accept and dispatch it (or mark it duplicate of an open one).

    Parameters
    ----------
    store
        Where it goes.
    draft
        What the person entered; it must pass :func:`check_draft`.
    actor
        Who takes it in.
    now
        When.
    grids
        The community's grids, for the worker it is dispatched to.
    categories
        The category table (default: the built-in one).
    photo
        A photo already checked by :func:`geo.photos.prepare_photo`.
    duplicate_of
        The report it repeats: it is then stored and closed as a duplicate of it.
    note
        A note for the intake event.

    Returns
    -------
    IntakeResult

    Raises
    ------
    IntakeError
        The first problem :func:`check_draft` finds; nothing is written then.
    """
    problems = check_draft(draft, categories)
    if problems:
        raise problems[0]
    report_id = store.add_report(report_row(draft, now, categories))
    if report_id is None:  # cannot happen without an external id; said plainly if it does
        raise IntakeError("reports.intake.not_saved")
    source = lifecycle.both_languages(f"source.{draft.source}")
    text = (note or "").strip()
    report = store.update_report(
        report_id,
        {"external_id": f"GM-{report_id:06d}"},
        event={
            "at": now,
            "actor": actor,
            "from_status": None,
            "to_status": "submitted",
            "note": " · ".join(p for p in (source, text) if p),
        },
    )
    if photo is not None:
        store.add_photo(
            report_id, photo.data, photo.mime, photo.name, photo.width, photo.height, actor
        )
    if duplicate_of is not None:
        report = lifecycle.apply(store, report, "duplicate", actor, now, duplicate_of=duplicate_of)
        return IntakeResult(report, dispatched=False)
    report = lifecycle.apply(store, report, "accept", actor, now)
    if is_missing(report.get("grid_id")):
        return IntakeResult(report, dispatched=False)
    report = lifecycle.apply(store, report, "dispatch", actor, now, grids=grids)
    return IntakeResult(report, dispatched=True)


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
