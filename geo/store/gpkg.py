"""The embedded store: one GeoPackage file that QGIS and GDAL open as it is.

Layers are created once through pyogrio (so GDAL writes the metadata tables, the
R-tree spatial index and its triggers); every row written afterwards goes through
one SQLite transaction of ours, in WAL mode, so a crash loses nothing committed and
leaves nothing half-written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo import access, model
from geo.assign import DEFAULT_RADIUS_M, assign_buildings, assign_grids
from geo.errors import StoreError
from geo.store import audit, gpkg_audit, gpkg_blob, gpkg_grids, gpkg_photos
from geo.store.base import (
    AssignSummary,
    InsertSummary,
    Photo,
    Store,
    check_expected,
    check_photo_bytes,
    check_report_changes,
    checked_zones,
    polygons_for_layer,
    report_event_row,
    typed_report_row,
)

GEOMETRY_COLUMN = "geom"
BULK_ROWS = 500  # from this many rows on, inserts skip the per-row triggers
_SQLITE_MAGIC = b"SQLite format 3\x00"
# Column types as GDAL declares them in a GeoPackage, for columns added later.
_SQLITE_TYPES = {
    model.STR: "TEXT",
    model.INT: "INTEGER",
    model.FLOAT: "REAL",
    model.BOOL: "BOOLEAN",
    model.TIME: "DATETIME",
}


def _sql_column(values: pd.Series, kind: str) -> list:
    """One column as Python values SQLite accepts: NULL for missing, ISO 8601 UTC for times."""
    missing = values.isna().to_numpy()
    if kind == model.TIME:
        texts = values.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str[:-3] + "Z"
        out = texts.astype(object).tolist()
    elif kind == model.BOOL:
        out = values.astype(object).map(lambda v: None if v is pd.NA else int(v)).tolist()
    elif kind == model.INT:
        out = values.astype(object).tolist()
        out = [None if m else int(v) for v, m in zip(out, missing, strict=True)]
        return out
    elif kind == model.FLOAT:
        out = values.astype(object).tolist()
        out = [None if m else float(v) for v, m in zip(out, missing, strict=True)]
        return out
    else:
        out = values.tolist()
    return [None if m else v for v, m in zip(out, missing, strict=True)]


class GeoPackageStore(Store):
    """A :class:`Store` in one GeoPackage file."""

    embedded = True

    def __init__(self, path: str | Path, radius_m: float = DEFAULT_RADIUS_M):
        self.path = Path(path)
        self.url = str(self.path)
        self.radius_m = radius_m
        if self.path.exists():
            with self.path.open("rb") as fh:
                if fh.read(16) != _SQLITE_MAGIC:
                    raise StoreError("store.not_geopackage", path=str(self.path))
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    "store.cannot_create_folder", path=str(self.path), reason=str(exc)
                ) from exc
        self._ensure_schema()

    # --- connection and schema ------------------------------------------------------
    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        try:
            gpkg_blob.register_functions(conn)
            conn.execute("PRAGMA busy_timeout = 30000")
            yield conn
        finally:
            conn.close()

    @contextmanager
    def _transaction(self, bulk: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction; the audit triggers learn who acts (and if in bulk)."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                gpkg_audit.begin(conn, access.acting(), bulk)
                yield conn
                gpkg_audit.end(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _existing_tables(self) -> set[str]:
        if not self.path.exists():
            return set()
        with self._connect() as conn:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        return {r[0] for r in rows}

    def _ensure_schema(self) -> None:
        tables = self._existing_tables()
        for name, spec in model.LAYERS.items():
            if name in tables:
                continue
            frame = model.empty(name)
            kwargs = {"layer": name, "driver": "GPKG"}
            if spec.geometry is not None:
                kwargs.update(
                    geometry_type="Unknown" if spec.geometry == "Geometry" else spec.geometry,
                    GEOMETRY_NAME=GEOMETRY_COLUMN,
                    SPATIAL_INDEX="YES",
                )
            else:
                frame = pd.DataFrame(frame)
            try:
                pyogrio.write_dataframe(frame, self.path, append=self.path.exists(), **kwargs)
            except Exception as exc:  # GDAL errors come in many classes
                raise StoreError(
                    "store.cannot_create_layer", layer=name, path=str(self.path), reason=str(exc)
                ) from exc
        gpkg_grids.ensure_layer(self.path, tables)  # versions of grids (geo/grids)
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            self._add_missing_columns(conn, tables)
            for name, spec in model.LAYERS.items():
                conn.execute(
                    f'CREATE INDEX IF NOT EXISTS "{name}_community_key" '
                    f'ON "{name}" (community_id, "{spec.key}")'
                )
            conn.execute(
                "CREATE UNIQUE INDEX IF NOT EXISTS reports_external_id "
                "ON reports (community_id, external_id) WHERE external_id IS NOT NULL"
            )
            conn.execute("CREATE UNIQUE INDEX IF NOT EXISTS reports_id ON reports (report_id)")
            conn.execute(
                "CREATE INDEX IF NOT EXISTS report_events_report ON report_events (report_id)"
            )
            gpkg_photos.ensure_table(conn)
            gpkg_grids.ensure_tables(conn)
            gpkg_audit.ensure_tables(conn)

    @staticmethod
    def _add_missing_columns(conn: sqlite3.Connection, tables: set[str]) -> None:
        """Columns added to the model since the file was made (its upgrade in place)."""
        for name, spec in model.LAYERS.items():
            if name not in tables:
                continue
            have = {row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')}
            for column, kind in spec.columns.items():
                if column not in have:
                    conn.execute(
                        f'ALTER TABLE "{name}" ADD COLUMN "{column}" {_SQLITE_TYPES[kind]}'
                    )

    def data_version(self) -> str:
        # Every committed write changes the file or its write-ahead log; their size and
        # modification time (nanoseconds) say so without opening the database.
        parts = []
        for path in (self.path, self.path.with_name(self.path.name + "-wal")):
            try:
                stat = path.stat()
            except FileNotFoundError:
                parts.append("-")
                continue
            parts.append(f"{stat.st_mtime_ns}:{stat.st_size}")
        return "/".join(parts)

    # --- reading --------------------------------------------------------------------
    def read(self, layer: str, community_id: str | None = None) -> pd.DataFrame:
        spec = model.layer(layer)
        columns = ", ".join(f'"{c}"' for c in spec.columns)
        if spec.geometry is not None:
            columns += f', "{GEOMETRY_COLUMN}"'
        sql = f'SELECT {columns} FROM "{layer}"'
        params: tuple = ()
        if community_id is not None:
            sql += " WHERE community_id = ?"
            params = (community_id,)
        sql += f' ORDER BY "{spec.key}"'
        with self._connect() as conn:
            frame = pd.read_sql_query(sql, conn, params=params)
        if spec.geometry is not None:
            geoms = gpkg_blob.decode(frame.pop(GEOMETRY_COLUMN).tolist())
            frame = gpd.GeoDataFrame(frame, geometry=geoms, crs=model.WGS84)
        return model.conform(layer, frame)

    def count(self, layer: str, community_id: str | None = None) -> int:
        model.layer(layer)
        sql = f'SELECT count(*) FROM "{layer}"'
        params: tuple = ()
        if community_id is not None:
            sql += " WHERE community_id = ?"
            params = (community_id,)
        with self._connect() as conn:
            return int(conn.execute(sql, params).fetchone()[0])

    # --- writing --------------------------------------------------------------------
    def _insert(self, conn: sqlite3.Connection, layer: str, frame: pd.DataFrame) -> int:
        spec = model.layer(layer)
        frame = model.conform(layer, frame)
        if frame.empty:
            return 0
        if spec.columns[spec.key] == model.INT and frame[spec.key].isna().any():
            start = conn.execute(
                f'SELECT coalesce(max("{spec.key}"), 0) FROM "{layer}"'
            ).fetchone()[0]
            missing = frame[spec.key].isna()
            frame.loc[missing, spec.key] = np.arange(start + 1, start + 1 + int(missing.sum()))
        names = list(spec.columns)
        columns = [_sql_column(frame[name], kind) for name, kind in spec.columns.items()]
        if spec.geometry is not None:
            geoms = polygons_for_layer(spec, frame.geometry.values)
            columns.append(gpkg_blob.encode(geoms))
            names = names + [GEOMETRY_COLUMN]
        if len(frame) < BULK_ROWS:
            self._insert_rows(conn, layer, names, columns)
        else:
            self._insert_bulk(conn, layer, names, columns, frame)
        self._touch_contents(conn, layer)
        return len(frame)

    @staticmethod
    def _insert_rows(conn: sqlite3.Connection, layer: str, names: list[str], columns) -> None:
        placeholders = ", ".join("?" for _ in names)
        column_sql = ", ".join(f'"{n}"' for n in names)
        conn.executemany(
            f'INSERT INTO "{layer}" ({column_sql}) VALUES ({placeholders})',
            zip(*columns, strict=True),
        )

    def _insert_bulk(self, conn, layer: str, names: list[str], columns, frame) -> None:
        """Many rows at once: GDAL's per-row triggers are set aside and their work done in bulk.

        The triggers keep the R-tree and the feature count current one row at a time;
        here the R-tree rows come from vectorised bounds and the count from one UPDATE.
        Dropping and re-creating them is part of the caller's transaction, so a failure
        rolls back to the triggers as they were.
        """
        triggers = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
            "AND name IN (?, ?)",
            (
                layer,
                f"rtree_{layer}_{GEOMETRY_COLUMN}_insert",
                f"trigger_insert_feature_count_{layer}",
            ),
        ).fetchall()
        for name, _ in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        start = conn.execute(f'SELECT coalesce(max(fid), 0) FROM "{layer}"').fetchone()[0]
        fids = list(range(start + 1, start + 1 + len(frame)))
        self._insert_rows(conn, layer, ["fid", *names], [fids, *columns])
        if model.layer(layer).geometry is not None:
            geoms = np.asarray(frame.geometry.values, dtype=object)
            keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
            bounds = shapely.bounds(geoms[keep])
            conn.executemany(
                f'INSERT INTO "rtree_{layer}_{GEOMETRY_COLUMN}" VALUES (?, ?, ?, ?, ?)',
                zip(
                    np.asarray(fids)[keep].tolist(),
                    bounds[:, 0].tolist(),
                    bounds[:, 2].tolist(),
                    bounds[:, 1].tolist(),
                    bounds[:, 3].tolist(),
                    strict=True,
                ),
            )
        conn.execute(
            "UPDATE gpkg_ogr_contents SET feature_count = "
            f'(SELECT count(*) FROM "{layer}") WHERE lower(table_name) = lower(?)',
            (layer,),
        )
        for _, sql in triggers:
            conn.execute(sql)

    def _touch_contents(self, conn: sqlite3.Connection, layer: str) -> None:
        """Keep gpkg_contents' extent and timestamp current, as QGIS reads them."""
        spec = model.layer(layer)
        if spec.geometry is None:
            conn.execute(
                "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                "WHERE table_name = ?",
                (layer,),
            )
            return
        conn.execute(
            f"""UPDATE gpkg_contents SET
                  last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
                  min_x = (SELECT min(minx) FROM "rtree_{layer}_{GEOMETRY_COLUMN}"),
                  max_x = (SELECT max(maxx) FROM "rtree_{layer}_{GEOMETRY_COLUMN}"),
                  min_y = (SELECT min(miny) FROM "rtree_{layer}_{GEOMETRY_COLUMN}"),
                  max_y = (SELECT max(maxy) FROM "rtree_{layer}_{GEOMETRY_COLUMN}")
                WHERE table_name = ?""",
            (layer,),
        )

    def load_community(self, layers: dict[str, pd.DataFrame]) -> None:
        for name in layers:
            model.layer(name)
        if "community" in layers:
            layers = {
                **layers,
                "community": checked_zones(model.conform("community", layers["community"])),
            }
        community_ids = set()
        for frame in layers.values():
            if "community_id" in frame:
                community_ids |= set(frame["community_id"].dropna().astype(str))
        with self._transaction(bulk=True) as conn:
            deleted = dict.fromkeys(layers, 0)
            for name in layers:
                for cid in community_ids:
                    cur = conn.execute(f'DELETE FROM "{name}" WHERE community_id = ?', (cid,))
                    deleted[name] += cur.rowcount
            if "reports" in layers:  # the reports are replaced: their photos go with them
                for cid in community_ids:
                    gpkg_photos.delete_community(conn, cid)
            renumbered: dict = {}
            # In model order, so reports are assigned against the grids and buildings
            # now in the store (given here or kept) and events follow renumbered reports.
            for name in [n for n in model.LAYERS if n in layers]:
                frame = layers[name]
                if name == "reports":
                    before = model.conform("reports", frame)["report_id"]
                    frame = self._prepare_reports(conn, frame)
                    # Rows keep their index through dedupe, so old and new numbers pair up.
                    old_ids = before.loc[frame.index]
                    renumbered = dict(zip(old_ids, frame["report_id"], strict=True))
                if name == "report_events" and renumbered:
                    frame = frame.assign(report_id=frame["report_id"].map(renumbered))
                inserted = self._insert(conn, name, frame)
                if name in audit.AUDITED:
                    details = audit.bulk_details(deleted[name], inserted, load="community")
                    gpkg_audit.record_bulk(conn, name, _one(community_ids), details)

    def upsert(self, layer: str, frame: pd.DataFrame) -> InsertSummary:
        spec = model.layer(layer)
        if layer == "reports":
            raise ValueError("use add_reports() for reports")
        frame = model.conform(layer, frame)
        if layer == "community":
            frame = checked_zones(frame)
        # The same key twice in one frame: the last row wins, as in PostGIS.
        frame = frame[~frame.duplicated(["community_id", spec.key], keep="last")]
        with self._transaction() as conn:
            replaced = 0
            for cid, key in frame[["community_id", spec.key]].itertuples(index=False):
                if pd.isna(key):  # a row without a key is new; the store numbers it
                    continue
                cur = conn.execute(
                    f'DELETE FROM "{layer}" WHERE community_id IS ? AND "{spec.key}" = ?',
                    (cid, key if not isinstance(key, np.integer) else int(key)),
                )
                replaced += cur.rowcount
            inserted = self._insert(conn, layer, frame)
            if layer in ("grids", "buildings"):
                self._reassign(conn, None, open_only=True)
        return InsertSummary(inserted=inserted - replaced, skipped=0, replaced=replaced)

    def _read_in(self, conn: sqlite3.Connection, layer: str, community_id=None) -> pd.DataFrame:
        spec = model.layer(layer)
        sql = f'SELECT "{spec.key}", community_id, "{GEOMETRY_COLUMN}" FROM "{layer}"'
        params: tuple = ()
        if community_id is not None:
            sql += " WHERE community_id = ?"
            params = (community_id,)
        rows = conn.execute(sql, params).fetchall()
        return gpd.GeoDataFrame(
            {spec.key: [r[0] for r in rows], "community_id": [r[1] for r in rows]},
            geometry=gpkg_blob.decode([r[2] for r in rows]),
            crs=model.WGS84,
        )

    def _prepare_reports(self, conn: sqlite3.Connection, reports: pd.DataFrame) -> pd.DataFrame:
        """Drop already stored external_ids, number the rest, and assign them."""
        reports = model.conform("reports", reports)
        existing = {
            (r[0], r[1])
            for r in conn.execute(
                "SELECT community_id, external_id FROM reports WHERE external_id IS NOT NULL"
            )
        }
        keys = list(zip(reports["community_id"], reports["external_id"], strict=True))
        seen: set = set()
        keep = []
        for cid, ext in keys:
            dup = ext is not None and ((cid, ext) in existing or (cid, ext) in seen)
            keep.append(not dup)
            if ext is not None:
                seen.add((cid, ext))
        reports = reports[np.array(keep, dtype=bool)].copy()
        start = conn.execute("SELECT coalesce(max(report_id), 0) FROM reports").fetchone()[0]
        given = reports["report_id"]
        # Keep the caller's numbers when they are usable (the demo's events refer to
        # them); otherwise number the new reports after the highest stored one.
        if len(given) and (given.isna().any() or given.duplicated().any() or given.min() <= start):
            reports["report_id"] = np.arange(start + 1, start + 1 + len(reports))
        self._assign_frame(conn, reports)
        reports["grid_by_hand"] = pd.Series(pd.NA, index=reports.index, dtype="boolean")
        return reports

    def _assign_frame(self, conn, reports: pd.DataFrame) -> None:
        """Set grid_id and building_id of ``reports`` from the grids and buildings stored."""
        for cid, index in reports.groupby(
            reports["community_id"].fillna(""), sort=False
        ).groups.items():
            cid = cid or None
            grids = self._read_in(conn, "grids", cid)
            buildings = self._read_in(conn, "buildings", cid)
            points = reports.loc[index].geometry
            reports.loc[index, "grid_id"] = assign_grids(points, grids)
            reports.loc[index, "building_id"] = assign_buildings(
                points, buildings, radius_m=self.radius_m
            )

    def add_reports(self, reports: pd.DataFrame) -> InsertSummary:
        total = len(reports)
        with self._transaction(bulk=True) as conn:
            prepared = self._prepare_reports(conn, reports)
            inserted = self._insert(conn, "reports", prepared)
            communities = set(prepared["community_id"].dropna().astype(str))
            details = audit.bulk_details(0, inserted, skipped=total - inserted)
            gpkg_audit.record_bulk(conn, "reports", _one(communities), details)
        return InsertSummary(inserted=inserted, skipped=total - inserted)

    def add_report(self, report: pd.DataFrame) -> int | None:
        if len(report) != 1:
            raise ValueError(f"add_report takes one report, not {len(report)}")
        with self._transaction() as conn:
            prepared = self._prepare_reports(conn, report)
            if prepared.empty:
                return None
            self._insert(conn, "reports", prepared)
        return int(prepared["report_id"].iloc[0])

    def _reassign(self, conn, community_id, open_only: bool) -> AssignSummary:
        sql = 'SELECT report_id, community_id, grid_id, grid_by_hand, "geom" FROM reports'
        clauses, params = [], []
        if community_id is not None:
            clauses.append("community_id = ?")
            params.append(community_id)
        if open_only:
            clauses.append(f"status IN ({', '.join('?' for _ in model.OPEN_STATUSES)})")
            params.extend(model.OPEN_STATUSES)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        rows = conn.execute(sql, params).fetchall()
        reports = gpd.GeoDataFrame(
            {"report_id": [r[0] for r in rows], "community_id": [r[1] for r in rows]},
            geometry=gpkg_blob.decode([r[4] for r in rows]),
            crs=model.WGS84,
        )
        reports["grid_id"] = None
        reports["building_id"] = None
        self._assign_frame(conn, reports)
        # A grid chosen by hand is kept (the building is recomputed all the same).
        hand_grids = [r[2] if r[3] else None for r in rows]
        by_hand = np.array([g is not None for g in hand_grids], dtype=bool)
        if by_hand.any():
            reports.loc[by_hand, "grid_id"] = [g for g in hand_grids if g is not None]
        conn.executemany(
            "UPDATE reports SET grid_id = ?, building_id = ? WHERE report_id = ?",
            zip(
                reports["grid_id"],
                reports["building_id"],
                reports["report_id"].astype(int),
                strict=True,
            ),
        )
        return _summary(reports)

    def reassign(self, community_id: str | None = None, open_only: bool = False) -> AssignSummary:
        with self._transaction() as conn:
            return self._reassign(conn, community_id, open_only)

    def update_report(
        self,
        report_id: int,
        changes: dict,
        expected: dict | None = None,
        event: dict | None = None,
    ) -> dict:
        changes = check_report_changes(changes)
        with self._transaction() as conn:  # BEGIN IMMEDIATE: one writer at a time
            found = self._report_frame(conn, report_id)
            if found.empty:
                raise StoreError("store.no_report", report_id=report_id)
            current = found.iloc[0].to_dict()
            check_expected(report_id, current, expected)
            if changes:
                kinds = model.layer("reports").columns
                row = typed_report_row(changes)
                values = [_sql_column(row[name], kinds[name])[0] for name in changes]
                assignments = ", ".join(f'"{name}" = ?' for name in changes)
                conn.execute(
                    f"UPDATE reports SET {assignments} WHERE report_id = ?",
                    [*values, int(report_id)],
                )
            if event is not None:
                row = report_event_row(event, current, changes, report_id)
                self._insert(conn, "report_events", pd.DataFrame([row]))
            return self._report_frame(conn, report_id).iloc[0].to_dict()

    def _report_frame(self, conn: sqlite3.Connection, report_id: int) -> pd.DataFrame:
        columns = ", ".join(f'"{c}"' for c in model.layer("reports").columns)
        frame = pd.read_sql_query(
            f'SELECT {columns}, "{GEOMETRY_COLUMN}" FROM reports WHERE report_id = ?',
            conn,
            params=(int(report_id),),
        )
        geoms = gpkg_blob.decode(frame.pop(GEOMETRY_COLUMN).tolist())
        return model.conform("reports", gpd.GeoDataFrame(frame, geometry=geoms, crs=model.WGS84))

    def report_history(self, report_id: int) -> pd.DataFrame:
        columns = ", ".join(f'"{c}"' for c in model.layer("report_events").columns)
        with self._connect() as conn:
            frame = pd.read_sql_query(
                f"SELECT {columns} FROM report_events WHERE report_id = ? ORDER BY at, event_id",
                conn,
                params=(int(report_id),),
            )
        return model.conform("report_events", frame)

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
        data = check_photo_bytes(data, mime)
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT community_id FROM reports WHERE report_id = ?", (int(report_id),)
            ).fetchone()
            if row is None:
                raise StoreError("store.no_report", report_id=report_id)
            return gpkg_photos.insert(
                conn, row[0], int(report_id), data, mime, name, width, height, added_by
            )

    def photos(self, report_id: int) -> list[Photo]:
        with self._connect() as conn:
            return gpkg_photos.of_report(conn, int(report_id))

    # --- versions of grids (geo/store/gpkg_grids.py) -----------------------------------
    def save_grids(self, community_id, grids, base, actor=None, note=None):
        return gpkg_grids.save_grids(self, community_id, grids, base, actor, note)

    def grid_versions(self, community_id: str) -> pd.DataFrame:
        return gpkg_grids.grid_versions(self, community_id)

    def grid_version(self, community_id: str, version: int) -> pd.DataFrame:
        return gpkg_grids.grid_version(self, community_id, version)

    # --- one report, users, audit log (geo/store/gpkg_audit.py) --------------------------
    def report(self, report_id: int) -> dict | None:
        with self._connect() as conn:
            found = self._report_frame(conn, report_id)
        return None if found.empty else found.iloc[0].to_dict()

    def users(self) -> pd.DataFrame:
        with self._connect() as conn:
            return gpkg_audit.read_users(conn)

    def add_user(self, row: dict) -> None:
        with self._transaction() as conn:
            if conn.execute("SELECT 1 FROM users WHERE name = ?", (row["name"],)).fetchone():
                raise StoreError("users.exists", name=row["name"])
            gpkg_audit.insert_user(conn, row)

    def update_user(self, name: str, changes: dict) -> None:
        with self._transaction() as conn:
            if not gpkg_audit.update_user(conn, name, changes):
                raise StoreError("users.unknown", name=name)

    def audit_raw(self) -> pd.DataFrame:
        with self._connect() as conn:
            return gpkg_audit.read_log(conn)

    def close(self) -> None:
        """Nothing to release: every operation opens and closes its own connection."""


def _one(community_ids) -> str | None:
    """The community of a bulk write when there is one (the log's community_id)."""
    ids = sorted(community_ids)
    return ids[0] if len(ids) == 1 else None


def _summary(reports: pd.DataFrame) -> AssignSummary:
    to_grid = int(reports["grid_id"].notna().sum())
    return AssignSummary(
        reports=len(reports),
        to_grid=to_grid,
        unassigned=len(reports) - to_grid,
        to_building=int(reports["building_id"].notna().sum()),
    )
