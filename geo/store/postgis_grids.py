"""Versions of grids in the PostGIS store: grid_versions and grid_history (migration 0006).

The save is :func:`geo.store.grid_versions.save`, run in one transaction of the
store's pool. The grids and reports are locked first, in the model's order as every
bulk writer of the store locks them, so a save waits for an import (and the other
way round) and never deadlocks with it; a second planner's save waits for the first
and is then refused because the version it started from is no longer the latest.
"""

from __future__ import annotations

import pandas as pd
from psycopg import sql

from geo import model
from geo.sql import query
from geo.store.base import AssignSummary, GridBase, GridSave
from geo.store.grid_versions import VERSION_COLUMNS, save, versions_frame

_GRID_COLUMNS = sql.SQL(", ").join(map(sql.Identifier, model.layer("grids").columns))


class _Transaction:
    """The steps of a save on one open connection (see GridTransaction)."""

    def __init__(self, store, conn):
        self.store = store
        self.conn = conn

    def current(self, community_id: str) -> pd.DataFrame:
        from geo.store.postgis import _frame_from_rows

        rows = self.conn.execute(
            query("grids_of_community", columns=_GRID_COLUMNS), {"community_id": community_id}
        ).fetchall()
        return _frame_from_rows("grids", rows)

    def latest(self, community_id: str) -> dict | None:
        row = self.conn.execute(
            query("grid_versions_list"), {"community_id": community_id, "latest": True}
        ).fetchone()
        return None if row is None else dict(zip(VERSION_COLUMNS, row, strict=True))

    def record(self, community_id: str, row: dict) -> None:
        params = {"community_id": community_id, "version": int(row["version"])}
        self.conn.execute(query("grid_history_record"), params)
        values = dict(row)
        values["saved_at"] = pd.Timestamp(values["saved_at"]).to_pydatetime()
        self.conn.execute(query("grid_version_insert"), values)

    def replace(self, community_id: str, grids: pd.DataFrame) -> None:
        self.conn.execute(
            query("delete_communities", table="grids"), {"community_ids": [community_id]}
        )
        if len(grids):
            stage = self.store._stage(self.conn, "grids", grids)
            self.store._insert_staged(self.conn, "grids", stage)

    def reassign(self, community_id: str) -> AssignSummary:
        return self.store._reassign(self.conn, [community_id], open_only=True)


def save_grids(
    store, community_id: str, grids: pd.DataFrame, base: GridBase, actor, note
) -> GridSave:
    """:meth:`geo.store.base.Store.save_grids` for a PostGISStore."""
    with store._transaction() as conn:
        store._lock(conn, "grids", "reports")
        for table in ("grid_versions", "grid_history"):
            conn.execute(query("lock_for_bulk_write", table=table))
        return save(_Transaction(store, conn), community_id, grids, base, actor, note)


def grid_versions(store, community_id: str) -> pd.DataFrame:
    """:meth:`geo.store.base.Store.grid_versions` for a PostGISStore."""
    with store._transaction() as conn:
        rows = conn.execute(
            query("grid_versions_list"), {"community_id": community_id, "latest": False}
        ).fetchall()
    return versions_frame(rows)


def grid_version(store, community_id: str, version: int) -> pd.DataFrame:
    """:meth:`geo.store.base.Store.grid_version` for a PostGISStore."""
    from geo.store.postgis import _frame_from_rows

    with store._transaction() as conn:
        rows = conn.execute(
            query("grid_history_read", columns=_GRID_COLUMNS),
            {"community_id": community_id, "version": int(version)},
        ).fetchall()
    return _frame_from_rows("grids", rows)
