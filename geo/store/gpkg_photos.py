"""Photos of reports in the GeoPackage store: one attributes table with a BLOB column.

The table is registered in ``gpkg_contents`` as an attributes table (OGC 12-128r18
§2.4), so QGIS lists it beside the layers. Every function here works inside the
caller's connection (and transaction).
"""

from __future__ import annotations

import sqlite3

import pandas as pd

from geo.store.base import PHOTO_COLUMNS, Photo, photo_from_row

TABLE = "report_photos"
_DDL = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    photo_id INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id TEXT NOT NULL,
    report_id INTEGER NOT NULL,
    name TEXT,
    mime TEXT NOT NULL,
    width INTEGER,
    height INTEGER,
    data BLOB NOT NULL,
    added_at DATETIME NOT NULL,
    added_by TEXT
)"""
_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"


def ensure_table(conn: sqlite3.Connection) -> None:
    """Create the photos table, its index and its gpkg_contents row, once."""
    conn.execute(_DDL)
    conn.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_report ON {TABLE} (community_id, report_id)")
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
        f"last_change) SELECT ?, 'attributes', ?, ?, {_NOW} "
        "WHERE NOT EXISTS (SELECT 1 FROM gpkg_contents WHERE table_name = ?)",
        (TABLE, TABLE, "Photos of reports", TABLE),
    )


def insert(
    conn: sqlite3.Connection,
    community_id: str,
    report_id: int,
    data: bytes,
    mime: str,
    name: str | None,
    width: int | None,
    height: int | None,
    added_by: str | None,
) -> int:
    """Add one photo; return its photo_id."""
    added_at = pd.Timestamp.now("UTC").strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    cur = conn.execute(
        f"INSERT INTO {TABLE} (community_id, report_id, name, mime, width, height, data, "
        "added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (community_id, report_id, name, mime, width, height, data, added_at, added_by),
    )
    conn.execute(f"UPDATE gpkg_contents SET last_change = {_NOW} WHERE table_name = ?", (TABLE,))
    return int(cur.lastrowid)


def of_report(conn: sqlite3.Connection, report_id: int) -> list[Photo]:
    """The photos of one report, in the order they were added."""
    rows = conn.execute(
        f"SELECT {', '.join(PHOTO_COLUMNS)} FROM {TABLE} WHERE report_id = ? ORDER BY photo_id",
        (report_id,),
    ).fetchall()
    return [photo_from_row(row) for row in rows]


def delete_community(conn: sqlite3.Connection, community_id: str) -> None:
    """Remove the photos of a community whose reports are being replaced."""
    conn.execute(f"DELETE FROM {TABLE} WHERE community_id = ?", (community_id,))
