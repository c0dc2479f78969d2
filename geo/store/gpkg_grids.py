"""Versions of grids in the GeoPackage store: a history layer and a versions table.

``grid_history`` is a feature layer (created through GDAL) holding the grids of
every recorded version, so QGIS can show any version by filtering on ``version``.
``grid_versions`` is an attributes table with one row per version: when, who, the
note, how it came to be. The save itself is :func:`geo.store.grid_versions.save`,
run in one SQLite transaction of the store.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo import model
from geo.errors import StoreError
from geo.store import gpkg_blob
from geo.store.base import AssignSummary, GridBase, GridSave
from geo.store.grid_versions import VERSION_COLUMNS, save, versions_frame

HISTORY = "grid_history"
VERSIONS = "grid_versions"
GEOMETRY_COLUMN = "geom"
_GRID_COLUMNS = tuple(model.layer("grids").columns)  # grid_id, community_id, ..., version
_VERSIONS_DDL = f"""CREATE TABLE IF NOT EXISTS {VERSIONS} (
    community_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    saved_at DATETIME NOT NULL,
    actor TEXT,
    note TEXT,
    kind TEXT NOT NULL,
    grids INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (community_id, version)
)"""
_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"


def ensure_layer(path: Path, tables: set[str]) -> None:
    """Create the history layer through GDAL (its metadata), once.

    Parameters
    ----------
    path
        The GeoPackage file (it exists: the model's layers were created first).
    tables
        The tables the file had before.
    """
    if HISTORY in tables:
        return
    frame = model.empty("grids")
    try:
        pyogrio.write_dataframe(
            frame,
            path,
            layer=HISTORY,
            driver="GPKG",
            append=True,
            geometry_type="MultiPolygon",
            GEOMETRY_NAME=GEOMETRY_COLUMN,
            # No R-tree: the history is read a version at a time (by its index), and the
            # model's layers are the ones with spatial indexes (tests/test_store_gpkg.py).
            SPATIAL_INDEX="NO",
        )
    except Exception as exc:  # GDAL errors come in many classes
        raise StoreError(
            "store.cannot_create_layer", layer=HISTORY, path=str(path), reason=str(exc)
        ) from exc


def ensure_tables(conn: sqlite3.Connection) -> None:
    """The versions table, its gpkg_contents row and the history's index, once."""
    conn.execute(_VERSIONS_DDL)
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
        f"last_change) SELECT ?, 'attributes', ?, ?, {_NOW} "
        "WHERE NOT EXISTS (SELECT 1 FROM gpkg_contents WHERE table_name = ?)",
        (VERSIONS, VERSIONS, "Versions of the grids", VERSIONS),
    )
    conn.execute(
        f"CREATE INDEX IF NOT EXISTS {HISTORY}_version ON {HISTORY} (community_id, version)"
    )


class _Transaction:
    """The steps of a save on one open connection (see GridTransaction)."""

    def __init__(self, store, conn: sqlite3.Connection):
        self.store = store
        self.conn = conn

    def current(self, community_id: str) -> pd.DataFrame:
        return _read(self.conn, "grids", community_id)

    def latest(self, community_id: str) -> dict | None:
        columns = ", ".join(VERSION_COLUMNS)
        row = self.conn.execute(
            f"SELECT {columns} FROM {VERSIONS} WHERE community_id = ? "
            "ORDER BY version DESC LIMIT 1",
            (community_id,),
        ).fetchone()
        return None if row is None else dict(zip(VERSION_COLUMNS, row, strict=True))

    def record(self, community_id: str, row: dict) -> None:
        kept = [c for c in _GRID_COLUMNS if c != "version"]
        columns = ", ".join(kept)
        self.conn.execute(
            f"INSERT INTO {HISTORY} ({columns}, version, {GEOMETRY_COLUMN}) "
            f"SELECT {columns}, ?, {GEOMETRY_COLUMN} FROM grids WHERE community_id = ? "
            "ORDER BY grid_id",
            (int(row["version"]), community_id),
        )
        values = dict(row)
        values["saved_at"] = _iso(values["saved_at"])
        self.conn.execute(
            f"INSERT INTO {VERSIONS} ({', '.join(VERSION_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in VERSION_COLUMNS)})",
            [values[c] for c in VERSION_COLUMNS],
        )
        self.conn.execute(
            f"UPDATE gpkg_contents SET last_change = {_NOW} WHERE table_name IN (?, ?)",
            (HISTORY, VERSIONS),
        )

    def replace(self, community_id: str, grids: pd.DataFrame) -> None:
        self.conn.execute("DELETE FROM grids WHERE community_id = ?", (community_id,))
        self.store._insert(self.conn, "grids", grids)
        self.store._touch_contents(self.conn, "grids")

    def reassign(self, community_id: str) -> AssignSummary:
        return self.store._reassign(self.conn, community_id, open_only=True)


def save_grids(
    store, community_id: str, grids: pd.DataFrame, base: GridBase, actor, note
) -> GridSave:
    """:meth:`geo.store.base.Store.save_grids` for a GeoPackageStore."""
    with store._transaction() as conn:  # BEGIN IMMEDIATE: one writer at a time
        return save(_Transaction(store, conn), community_id, grids, base, actor, note)


def grid_versions(store, community_id: str) -> pd.DataFrame:
    """:meth:`geo.store.base.Store.grid_versions` for a GeoPackageStore."""
    with store._connect() as conn:
        rows = conn.execute(
            f"SELECT {', '.join(VERSION_COLUMNS)} FROM {VERSIONS} WHERE community_id = ? "
            "ORDER BY version",
            (community_id,),
        ).fetchall()
    return versions_frame(rows)


def grid_version(store, community_id: str, version: int) -> pd.DataFrame:
    """:meth:`geo.store.base.Store.grid_version` for a GeoPackageStore."""
    with store._connect() as conn:
        return _read(conn, HISTORY, community_id, int(version))


def _read(
    conn: sqlite3.Connection, table: str, community_id: str, version: int | None = None
) -> pd.DataFrame:
    """Grids of one community from ``table`` (grids or the history), conformed."""
    columns = ", ".join(f'"{c}"' for c in _GRID_COLUMNS)
    sql = f'SELECT {columns}, "{GEOMETRY_COLUMN}" FROM "{table}" WHERE community_id = ?'
    params: list = [community_id]
    if version is not None:
        sql += " AND version = ?"
        params.append(version)
    frame = pd.read_sql_query(sql + " ORDER BY grid_id", conn, params=params)
    geoms = gpkg_blob.decode(frame.pop(GEOMETRY_COLUMN).tolist())
    return model.conform("grids", gpd.GeoDataFrame(frame, geometry=geoms, crs=model.WGS84))


def _iso(at: pd.Timestamp) -> str:
    return pd.Timestamp(at).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
