"""Versions of a community's grids: the save both stores run, and the grids' fingerprint.

A save is compare and set (DESIGN.md §6: two planners saving at once, the second is
told). The planner's page remembers the :class:`~geo.store.base.GridBase` it started
from, the latest recorded version number and a fingerprint of the grids as read.
Inside the store's write transaction, with the grids locked, :func:`save` reads both
again; when either differs nothing is written and
:class:`~geo.store.base.GridVersionConflict` says what happened.

Nothing is lost: grids that were never recorded (those of the first save, loaded by
an import or the demo; or grids changed outside the editor, by ``gridmap import`` or
in QGIS) are recorded as a version of their own before they are replaced.

Each store supplies the few steps that touch its tables through a
:class:`GridTransaction` bound to its open transaction; the order of the steps and
every rule live here, once.
"""

from __future__ import annotations

import hashlib
import json
from typing import Protocol

import numpy as np
import pandas as pd
import shapely

from geo import model
from geo.errors import StoreError
from geo.store.base import AssignSummary, GridBase, GridSave, GridVersionConflict

VERSION_COLUMNS = (
    "community_id",
    "version",
    "saved_at",
    "actor",
    "note",
    "kind",
    "grids",
    "fingerprint",
)
"""Columns of :meth:`geo.store.base.Store.grid_versions`."""

KINDS = ("saved", "found", "outside")
"""How a version came to be: saved in the editor; found in the store at the first save;
changed outside the editor (an import, QGIS) and kept before the next save."""

_FINGERPRINT_COLUMNS = ("grid_id", "name", "worker_name", "worker_phone")
_WKT_DECIMALS = 9  # degrees: a tenth of a millimetre


class GridTransaction(Protocol):
    """The steps of a save that touch a store's tables, inside its open transaction."""

    def current(self, community_id: str) -> pd.DataFrame:
        """The community's grids as stored now, conformed to the grids layer."""

    def latest(self, community_id: str) -> dict | None:
        """The latest recorded version (a row of VERSION_COLUMNS as a dict), or None."""

    def record(self, community_id: str, row: dict) -> None:
        """Copy the community's grids as stored now into the history as ``row["version"]``,
        and add ``row`` (VERSION_COLUMNS) to the versions."""

    def replace(self, community_id: str, grids: pd.DataFrame) -> None:
        """Delete the community's grids and insert ``grids`` (conformed, checked)."""

    def reassign(self, community_id: str) -> AssignSummary:
        """Reassign the community's open reports to the grids now stored."""


def grids_fingerprint(grids: pd.DataFrame) -> str:
    """A short hash of a set of grids: codes, names, workers and shapes, in any row order.

    Two reads of the same stored grids give the same fingerprint in either store;
    any change of a code, a name, a worker, a phone or a shape (beyond a tenth of a
    millimetre) gives another. The ``version`` column is left out.

    Parameters
    ----------
    grids
        Rows of the grids layer (conformed or not).

    Returns
    -------
    str
        16 hexadecimal digits.
    """
    frame = model.conform("grids", grids)
    geoms, _ = model.fit_polygon_type(model.layer("grids"), frame.geometry.values)
    wkt = shapely.to_wkt(geoms, rounding_precision=_WKT_DECIMALS, output_dimension=2)
    columns = [frame[c].astype(object).tolist() for c in _FINGERPRINT_COLUMNS]
    rows = [
        [None if model.is_missing(v) else str(v) for v in values]
        + [None if shape is None else str(shape)]
        for values, shape in zip(zip(*columns, strict=True), wkt, strict=True)
    ]
    rows.sort(key=lambda r: (r[0] or "", json.dumps(r, ensure_ascii=False)))
    digest = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()[:16]


def base_of(latest: dict | None, grids: pd.DataFrame) -> GridBase:
    """The :class:`GridBase` of grids as stored, given the latest recorded version.

    The version number is the latest recorded one; before any is recorded, the
    highest ``version`` the stored grids carry (the demo's are 1), else 0.
    """
    if latest is not None:
        version = int(latest["version"])
    else:
        numbers = pd.to_numeric(grids["version"], errors="coerce") if len(grids) else None
        version = int(numbers.max()) if numbers is not None and numbers.notna().any() else 0
    return GridBase(version=version, fingerprint=grids_fingerprint(grids))


def prepared_grids(community_id: str, grids: pd.DataFrame) -> pd.DataFrame:
    """``grids`` conformed for saving in ``community_id``: codes trimmed and checked.

    Raises
    ------
    StoreError
        For a grid without a code, two grids with the same code, or a grid without
        a shape.
    """
    frame = model.conform("grids", grids).copy()
    frame["community_id"] = community_id
    codes = [None if model.is_missing(c) else str(c).strip() or None for c in frame["grid_id"]]
    frame["grid_id"] = pd.Series(codes, index=frame.index, dtype=object)
    missing = frame["grid_id"].isna()
    if missing.any():
        raise StoreError("grids.store.missing_id", n=int(missing.sum()))
    twice = sorted(set(frame.loc[frame["grid_id"].duplicated(), "grid_id"]))
    if twice:
        raise StoreError("grids.store.duplicate_id", ids=", ".join(twice))
    geoms = np.asarray(frame.geometry.values, dtype=object)
    shapeless = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if shapeless.any():
        first = frame.loc[shapeless, "grid_id"].iloc[0]
        raise StoreError("grids.store.no_shape", grid_id=first, n=int(shapeless.sum()))
    return frame


def save(
    tx: GridTransaction,
    community_id: str,
    grids: pd.DataFrame,
    base: GridBase,
    actor: str | None,
    note: str | None,
    at: pd.Timestamp | None = None,
) -> GridSave:
    """The save of :meth:`geo.store.base.Store.save_grids`, step by step (see module doc).

    Run inside the store's write transaction, with the grids locked, so a failure at
    any step leaves everything as it was.
    """
    frame = prepared_grids(community_id, grids)
    at = pd.Timestamp.now("UTC") if at is None else pd.Timestamp(at).tz_convert("UTC")
    current = tx.current(community_id)
    latest = tx.latest(community_id)
    now = base_of(latest, current)
    _check_base(community_id, base, now, latest)
    number, kept = now.version, None
    unrecorded = latest is None or latest["fingerprint"] != now.fingerprint
    if len(current) and unrecorded:
        number = max(number, 1) if latest is None else number + 1
        kind = "found" if latest is None else "outside"
        tx.record(community_id, _row(community_id, number, at, None, None, kind, current, now))
        kept = number
    new = number + 1
    frame["version"] = pd.array([new] * len(frame), dtype="Int64")
    tx.replace(community_id, frame)
    saved = GridBase(new, grids_fingerprint(frame))
    tx.record(community_id, _row(community_id, new, at, actor, note, "saved", frame, saved))
    return GridSave(version=new, reassigned=tx.reassign(community_id), kept=kept)


def _row(community_id, version, at, actor, note, kind, grids, base: GridBase) -> dict:
    return {
        "community_id": community_id,
        "version": int(version),
        "saved_at": at,
        "actor": _text(actor),
        "note": _text(note),
        "kind": kind,
        "grids": len(grids),
        "fingerprint": base.fingerprint,
    }


def _text(value: str | None) -> str | None:
    return None if value is None or not str(value).strip() else str(value).strip()


def _check_base(community_id: str, base: GridBase, now: GridBase, latest: dict | None) -> None:
    if int(base.version) != now.version and latest is not None:
        raise GridVersionConflict(
            "grids.store.stale",
            community=community_id,
            base=int(base.version),
            version=now.version,
            actor=latest.get("actor") or "—",
            at=pd.Timestamp(latest["saved_at"]).tz_convert("UTC").strftime("%Y-%m-%d %H:%M UTC"),
        )
    if int(base.version) != now.version or base.fingerprint != now.fingerprint:
        raise GridVersionConflict(
            "grids.store.changed_outside", community=community_id, base=int(base.version)
        )


def versions_frame(rows: list) -> pd.DataFrame:
    """Rows of VERSION_COLUMNS (tuples or dicts) as a typed frame, oldest first."""
    frame = pd.DataFrame(list(rows), columns=list(VERSION_COLUMNS))
    frame["version"] = pd.to_numeric(frame["version"]).astype("Int64")
    frame["grids"] = pd.to_numeric(frame["grids"]).astype("Int64")
    frame["saved_at"] = pd.to_datetime(frame["saved_at"], utc=True, format="ISO8601")
    for column in ("community_id", "actor", "note", "kind", "fingerprint"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame.sort_values("version", kind="stable").reset_index(drop=True)
