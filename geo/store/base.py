"""The store interface both backends implement (DESIGN.md §4).

Frames going in and out follow :mod:`geo.model`: the layer's columns with their
dtypes, geometries in WGS 84, timestamps time-zone aware (UTC).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo import model
from geo.assign import DEFAULT_RADIUS_M
from geo.config import Settings, is_known_zone
from geo.errors import GridmapError, StoreError


@dataclass(frozen=True)
class InsertSummary:
    """What an insert did: rows added, rows skipped as already present, rows replaced."""

    inserted: int
    skipped: int
    replaced: int = 0


class ReportConflict(StoreError):
    """A report changed between reading it and writing it (see Store.update_report)."""


class GridVersionConflict(StoreError):
    """The grids changed since the planner opened them (see Store.save_grids)."""


@dataclass(frozen=True)
class GridBase:
    """The grids a planner started from: their version number and fingerprint.

    ``version`` is the latest recorded version (0 when none is); ``fingerprint`` is
    :func:`geo.store.grid_versions.grids_fingerprint` of the grids as read then.
    """

    version: int
    fingerprint: str


@dataclass(frozen=True)
class GridSave:
    """What a save of grids did: the new version, and the open reports reassigned.

    ``kept`` is the number given to the grids found in the store when they had not
    been recorded yet (the first save, or a change made outside the editor), else None.
    """

    version: int
    reassigned: AssignSummary
    kept: int | None = None


@dataclass(frozen=True)
class Photo:
    """A photo of a report as stored: the image bytes and what is known about them."""

    photo_id: int
    community_id: str
    report_id: int
    name: str | None
    mime: str
    width: int | None
    height: int | None
    data: bytes
    added_at: pd.Timestamp
    added_by: str | None


PHOTO_COLUMNS = (
    "photo_id",
    "community_id",
    "report_id",
    "name",
    "mime",
    "width",
    "height",
    "data",
    "added_at",
    "added_by",
)
MAX_STORED_PHOTO_BYTES = 20 * 1024 * 1024  # a last guard; geo.photos allows far less


@dataclass(frozen=True)
class AssignSummary:
    """What an assignment run did."""

    reports: int
    to_grid: int
    unassigned: int
    to_building: int


class Store(ABC):
    """A community's layers, in a GeoPackage file or in PostGIS."""

    url: str
    radius_m: float = DEFAULT_RADIUS_M
    # True for the one-file store a checkout runs on: with no users it runs in demo mode.
    embedded: bool = False

    # --- life cycle -----------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @abstractmethod
    def close(self) -> None: ...

    # --- reading --------------------------------------------------------------------
    @abstractmethod
    def read(self, layer: str, community_id: str | None = None) -> pd.DataFrame:
        """All rows of ``layer`` (of one community if given), conformed to the model."""

    @abstractmethod
    def count(self, layer: str, community_id: str | None = None) -> int: ...

    def is_empty(self) -> bool:
        """True when no community has been loaded."""
        return self.count("community") == 0

    def community_ids(self) -> list[str]:
        return sorted(self.read("community")["community_id"].dropna().astype(str))

    # --- writing --------------------------------------------------------------------
    @abstractmethod
    def load_community(self, layers: dict[str, pd.DataFrame]) -> None:
        """Write a whole community (every layer given) in one transaction.

        Rows with the same community_id already in the store are replaced.
        """

    @abstractmethod
    def upsert(self, layer: str, frame: pd.DataFrame) -> InsertSummary:
        """Insert rows, replacing any with the same (community_id, key), in one transaction.

        Not for reports: use :meth:`add_reports`.
        """

    @abstractmethod
    def add_reports(self, reports: pd.DataFrame) -> InsertSummary:
        """Add reports in one transaction, assigning report_id, grid_id and building_id.

        A report whose (community_id, external_id) is already stored is skipped, so the
        same file imported twice adds nothing the second time.
        """

    @abstractmethod
    def add_report(self, report: pd.DataFrame) -> int | None:
        """Add one report (a one-row frame) as :meth:`add_reports` does; return its report_id.

        None when its (community_id, external_id) is already stored (nothing added).
        """

    @abstractmethod
    def data_version(self) -> str:
        """A token that changes whenever any layer of the store changes.

        Equal tokens mean nothing was written in between (by this process, another
        one, or QGIS), so figures computed from the layers can be cached under it.
        Cheap: one stat or one tiny query.
        """

    @abstractmethod
    def reassign(self, community_id: str | None = None, open_only: bool = False) -> AssignSummary:
        """Recompute grid_id and building_id of stored reports by the rule of DESIGN.md §3."""

    @abstractmethod
    def update_report(
        self,
        report_id: int,
        changes: dict,
        expected: dict | None = None,
        event: dict | None = None,
    ) -> dict:
        """Change some columns of one report, and append an event, in one transaction.

        The report's row is locked while it is changed, so two people changing the same
        report at once both get their change in; only the columns named in ``changes``
        are written. ``expected`` maps columns to the values the caller saw: when any
        differs now, nothing is written and :class:`ReportConflict` is raised (compare
        and set, e.g. ``expected={"status": "accepted"}`` for a transition).
        ``event`` (keys at, actor, from_status, to_status, note) is appended to
        report_events; from_status and to_status default to the status before and
        after the change, ``at`` to now.

        Returns the report as it is after the change (column name to value).
        Raises StoreError when there is no such report, ValueError for columns that
        cannot be changed here (report_id, community_id, the geometry, unknown names).
        """

    @abstractmethod
    def report_history(self, report_id: int) -> pd.DataFrame:
        """The events of one report (report_events rows), oldest first.

        Ordered by ``at``, then event_id; an unknown report has no events.
        """

    @abstractmethod
    def add_photo(
        self,
        report_id: int,
        data: bytes,
        mime: str,
        name: str | None = None,
        width: int | None = None,
        height: int | None = None,
        added_by: str | None = None,
    ) -> int:
        """Store a photo of a report (in the report's community); return its photo_id.

        The bytes are stored as given: check and clean them first
        (:func:`geo.photos.prepare_photo`). Raises StoreError when there is no such
        report, ValueError for empty data or more than MAX_STORED_PHOTO_BYTES.
        """

    @abstractmethod
    def photos(self, report_id: int) -> list[Photo]:
        """The photos of one report, in the order they were added."""

    # --- grid versions (the planner's editor, geo/grids) -------------------------------
    @abstractmethod
    def save_grids(
        self,
        community_id: str,
        grids: pd.DataFrame,
        base: GridBase,
        actor: str | None = None,
        note: str | None = None,
    ) -> GridSave:
        """Make ``grids`` the community's grids as a new version, in one transaction.

        Compare and set: when the latest recorded version or the stored grids differ
        from ``base``, nothing is written and :class:`GridVersionConflict` says what
        changed. Otherwise grids not yet recorded are kept as a version first, the
        community's grids are replaced (their ``version`` column set to the new
        number), the version is recorded with ``actor``, ``note`` and the time, and
        open reports are reassigned; closed reports keep their grid.
        """

    @abstractmethod
    def grid_versions(self, community_id: str) -> pd.DataFrame:
        """The recorded versions of a community's grids, oldest first.

        Columns :data:`geo.store.grid_versions.VERSION_COLUMNS`; saved_at in UTC.
        """

    @abstractmethod
    def grid_version(self, community_id: str, version: int) -> pd.DataFrame:
        """The grids of one recorded version, conformed to the grids layer (empty if none)."""

    # --- one report ---------------------------------------------------------------------
    @abstractmethod
    def report(self, report_id: int) -> dict | None:
        """One report as stored now (column name to value), or None when there is none."""

    # --- users and the audit log (geo/users.py, geo/store/audit.py) ------------------------
    @abstractmethod
    def users(self) -> pd.DataFrame:
        """Every user (columns :data:`geo.store.gpkg_audit.USER_COLUMNS`), by name."""

    @abstractmethod
    def add_user(self, row: dict) -> None:
        """Add a user; StoreError ``users.exists`` when the name is taken."""

    @abstractmethod
    def update_user(self, name: str, changes: dict) -> None:
        """Change some columns of a user; StoreError ``users.unknown`` when there is none."""

    @abstractmethod
    def audit_raw(self) -> pd.DataFrame:
        """Every row of the audit log as stored (see :func:`audit_log`)."""

    def audit_log(self) -> pd.DataFrame:
        """The audit log as people read it, newest first (:func:`geo.store.audit.changes`)."""
        from geo.store import audit

        return audit.changes(self.audit_raw())


def checked_zones(community: pd.DataFrame) -> pd.DataFrame:
    """Community rows with ``tz`` trimmed (blank as empty); an unknown zone is refused.

    Both stores call this before writing the community layer, so a zone that the
    exports could not convert to never gets stored.

    Parameters
    ----------
    community
        Rows of the community layer, conformed to the model.

    Returns
    -------
    pandas.DataFrame
        A copy, ``tz`` None where it was missing or blank.

    Raises
    ------
    StoreError
        Naming the first community whose zone is not a known IANA name.
    """
    zones = [
        None if model.is_missing(z) or not str(z).strip() else str(z).strip()
        for z in community["tz"]
    ]
    for cid, zone in zip(community["community_id"], zones, strict=True):
        if zone is not None and not is_known_zone(zone):
            raise StoreError("store.unknown_zone", community=cid, value=repr(zone))
    out = community.copy()
    out["tz"] = pd.Series(zones, index=community.index, dtype=object)
    return out


def community_zones(store: Store, default: str = Settings.tz) -> dict[str, str]:
    """Each community's time zone: its own ``tz``, else ``default``.

    Parameters
    ----------
    store
        The store to read the community layer from.
    default
        The deployment's zone (GRIDMAP_TZ, :attr:`geo.config.Settings.tz`), used for a
        community whose ``tz`` is empty, or unknown here (a row edited outside the
        program, e.g. in QGIS).

    Returns
    -------
    dict
        community_id to an IANA zone name. Rows of a community not in the store
        take ``default`` too.
    """
    return zones_of(store.read("community"), default)


def zones_of(community: pd.DataFrame, default: str = Settings.tz) -> dict[str, str]:
    """:func:`community_zones` of a community layer already read."""
    zones: dict[str, str] = {}
    for cid, zone in zip(community["community_id"], community["tz"], strict=True):
        if model.is_missing(cid):
            continue
        zone = None if model.is_missing(zone) else str(zone).strip()
        zones[str(cid)] = zone if is_known_zone(zone) else default
    return zones


def polygons_for_layer(spec: model.Layer, geoms) -> np.ndarray:
    """Geometries shaped to the layer's polygon type; several-part buildings are refused."""
    geoms, several_parts = model.fit_polygon_type(spec, geoms)
    if len(several_parts):
        raise StoreError("store.several_parts", layer=spec.name, n=len(several_parts))
    return geoms


def check_report_changes(changes: dict) -> dict:
    """``changes`` if every key is a report column that update_report may change."""
    columns = model.layer("reports").columns
    fixed = {"report_id", "community_id"}
    bad = sorted(str(k) for k in changes if k not in columns or k in fixed)
    if bad:
        raise ValueError(
            f"update_report cannot change {', '.join(bad)}; it changes report columns "
            "other than report_id and community_id"
        )
    return dict(changes)


def typed_report_row(values: dict) -> pd.DataFrame:
    """A one-row reports frame of ``values``, each typed as geo.model says."""
    return model.conform("reports", pd.DataFrame([{**values, "geometry": None}]))


def check_expected(report_id: int, current: dict, expected: dict | None) -> None:
    """Raise ReportConflict unless every expected value equals the current one."""
    if not expected:
        return
    columns = model.layer("reports").columns
    unknown = sorted(str(k) for k in expected if k not in columns)
    if unknown:
        raise ValueError(f"unknown report columns in expected: {', '.join(unknown)}")
    wanted = typed_report_row(expected).iloc[0]
    for name in expected:
        now, then = current.get(name), wanted[name]
        if _same(now, then):
            continue
        raise ReportConflict(
            "store.report_conflict",
            report_id=report_id,
            column=name,
            now=_shown(now),
            then=_shown(then),
        )


def _same(a, b) -> bool:
    if pd.isna(a) or pd.isna(b):
        return bool(pd.isna(a) and pd.isna(b))
    return bool(a == b)


def _shown(value) -> str | GridmapError:
    # A GridmapError as a value is rendered in the language the message is shown in.
    return GridmapError("store.value_empty") if pd.isna(value) else repr(value)


EVENT_FIELDS = ("at", "actor", "from_status", "to_status", "note")


def report_event_row(event: dict, current: dict, changes: dict, report_id: int) -> dict:
    """The report_events row update_report appends (event_id left to the store)."""
    unknown = sorted(str(k) for k in set(event) - set(EVENT_FIELDS))
    if unknown:
        raise ValueError(f"unknown report event fields: {', '.join(unknown)}")
    at = pd.Timestamp(event["at"]) if event.get("at") is not None else pd.Timestamp.now("UTC")
    at = at.tz_localize("UTC") if at.tzinfo is None else at.tz_convert("UTC")
    before = current.get("status")
    before = None if pd.isna(before) else before
    after = changes.get("status", before)
    return {
        "community_id": current["community_id"],
        "report_id": int(report_id),
        "at": at,
        "actor": event.get("actor"),
        "from_status": event.get("from_status", before),
        "to_status": event.get("to_status", after),
        "note": event.get("note"),
    }


def check_photo_bytes(data: bytes, mime: str) -> bytes:
    """``data`` as bytes when a store may keep it; ValueError otherwise.

    Parameters
    ----------
    data
        The encoded image.
    mime
        Its media type, e.g. ``image/jpeg``.

    Returns
    -------
    bytes
        The same bytes.
    """
    data = bytes(data)
    if not data:
        raise ValueError("a photo needs its bytes; got none")
    if len(data) > MAX_STORED_PHOTO_BYTES:
        raise ValueError(f"a photo of {len(data)} bytes is more than a store keeps")
    if not str(mime).startswith("image/"):
        raise ValueError(f"a photo's media type is image/…, not {mime!r}")
    return data


def photo_from_row(row) -> Photo:
    """A :class:`Photo` from a row of the photo columns, in :data:`PHOTO_COLUMNS` order."""
    values = dict(zip(PHOTO_COLUMNS, row, strict=True))
    at = pd.Timestamp(values["added_at"])
    values["added_at"] = at.tz_localize("UTC") if at.tzinfo is None else at.tz_convert("UTC")
    values["data"] = bytes(values["data"])
    for name in ("photo_id", "report_id"):
        values[name] = int(values[name])
    for name in ("width", "height"):
        values[name] = None if values[name] is None else int(values[name])
    return Photo(**values)
