"""Backups of a whole store as one GeoPackage file, and restores from one.

``gridmap backup FILE.gpkg`` copies every table of the store (:data:`TABLES`: the
model's layers, photos, versions of grids, users, the audit log) into a new
GeoPackage that is itself a store of this program: the GeoPackage store opens it and
QGIS shows its layers. A table named ``gridmap_backup`` says what the file is, the
schema it was made at and how many rows each table holds.

``gridmap restore FILE.gpkg`` replaces the content of the store (either backend) with
the backup's in one transaction, so a failure leaves the store as it was. Keys are
kept exactly (report_id, event_id, photo_id, ...); in PostGIS every sequence that
numbers a restored table continues after the restored keys. The audit log is
append-only: a backup carries a copy of it, a restore leaves the store's own log as
it is (:data:`KEPT_BY_RESTORE`). A table the backup does not hold (a backup made
before the table existed) is left as it is too.

Tables are copied column by column as the source declares them, not through the
model, so a table added later (a new line in :data:`TABLES`) needs no code here;
values keep their exact value: times to the microsecond, geometries as their WKB.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import numpy as np
import shapely

from geo import model
from geo.errors import StoreError
from geo.sql import migrations, query
from geo.store import audit, gpkg_blob
from geo.store.base import Store

FORMAT = "gridmap-backup"
FORMAT_VERSION = 1
META_TABLE = "gridmap_backup"
# Every table a backup holds, in the order a restore writes them. A table the source
# does not have (yet) is skipped.
TABLES: tuple[str, ...] = (
    *model.LAYERS,
    "report_photos",
    "grid_versions",
    "grid_history",
    "users",
    "audit_log",
)
# Append-only tables: copied into a backup, never replaced by a restore.
KEPT_BY_RESTORE = frozenset({"audit_log"})
CHUNK_ROWS = 5000
_SQLITE_MAGIC = b"SQLite format 3\x00"
_GDAL_FID = "fid"  # the GeoPackage's own row number of a GDAL table; not data
# GDAL's triggers keep the spatial index and the feature count: a backup file keeps them.
_GDAL_TRIGGERS = ("rtree_", "trigger_insert_feature_count_", "trigger_delete_feature_count_")

# Kinds of columns, as both backends declare them.
TEXT, INT, FLOAT, BOOL, TIME, BLOB, GEOM = "text", "int", "float", "bool", "time", "blob", "geom"
_SQLITE_DECLARED = {
    TEXT: "TEXT",
    INT: "INTEGER",
    FLOAT: "REAL",
    BOOL: "BOOLEAN",
    TIME: "DATETIME",
    BLOB: "BLOB",
    GEOM: "GEOMETRY",
}
_SQLITE_KINDS = {
    "TEXT": TEXT,
    "INTEGER": INT,
    "INT": INT,
    "BIGINT": INT,
    "SMALLINT": INT,
    "MEDIUMINT": INT,
    "TINYINT": INT,
    "REAL": FLOAT,
    "DOUBLE": FLOAT,
    "FLOAT": FLOAT,
    "BOOLEAN": BOOL,
    "DATETIME": TIME,
    "BLOB": BLOB,
}
_POSTGRES_KINDS = {
    "text": TEXT,
    "varchar": TEXT,
    "bpchar": TEXT,
    "int2": INT,
    "int4": INT,
    "int8": INT,
    "float4": FLOAT,
    "float8": FLOAT,
    "bool": BOOL,
    "timestamptz": TIME,
    "bytea": BLOB,
    "geometry": GEOM,
}


@dataclass(frozen=True)
class Column:
    """One column of a table as a backup copies it.

    ``as_text``: a PostgreSQL type with no kind of its own (json, dates, arrays), read
    as its text and written back as text, which the server reads as the column's type.
    ``numbered``: PostgreSQL numbers it from a sequence (identity or serial).
    """

    name: str
    kind: str
    as_text: bool = False
    numbered: bool = False


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds, or what a restore wrote.

    ``rows``: table to rows, in :data:`TABLES` order. ``left_alone``: tables of the
    store a restore did not touch (append-only, or not in the backup).
    """

    path: str
    rows: dict[str, int]
    left_alone: tuple[str, ...] = ()


@dataclass(frozen=True)
class BackupInfo:
    """The ``gridmap_backup`` table of a backup file."""

    format_version: int
    schema_version: int
    created_at: str
    source: str
    rows: dict[str, int] = field(default_factory=dict)


def schema_version() -> int:
    """The schema this program writes: the number of its latest migration."""
    return max(step.version for step in migrations())


# --- values ------------------------------------------------------------------------------
def _iso(at: datetime) -> str:
    """A time in UTC as GeoPackage text: milliseconds, or microseconds when it has them."""
    at = at.astimezone(UTC)
    text = at.strftime("%Y-%m-%dT%H:%M:%S")
    micro = at.microsecond
    return text + (f".{micro // 1000:03d}Z" if micro % 1000 == 0 else f".{micro:06d}Z")


def _parse_time(value):
    """A GeoPackage DATETIME as an aware datetime; text that is no time stays as it is."""
    if not isinstance(value, str):
        return value
    try:
        at = datetime.fromisoformat(value.strip())
    except ValueError:
        return value
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def _geometries(values: list) -> np.ndarray:
    geoms = np.empty(len(values), dtype=object)
    geoms[:] = values
    return geoms


def _shaped(table: str, geoms: np.ndarray) -> np.ndarray:
    """Polygons of a model table shaped to its column's type (as the stores write them)."""
    name = "grids" if table == "grid_history" else table
    if name in model.LAYERS and model.layer(name).geometry is not None:
        return model.fit_polygon_type(model.layer(name), geoms)[0]
    return geoms


# --- the GeoPackage side: the backup file, or a GeoPackage store ---------------------------
class _GeoPackageTables:
    """Tables of one open SQLite connection to a GeoPackage."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def existing(self, names) -> list[str]:
        rows = self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        have = {r[0] for r in rows}
        return [n for n in names if n in have]

    def _geometry_column(self, table: str) -> str | None:
        row = self.conn.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)",
            (table,),
        ).fetchone()
        return None if row is None else row[0]

    def columns(self, table: str) -> list[Column]:
        geometry = self._geometry_column(table)
        columns = []
        for _, name, declared, _, _, pk in self.conn.execute(f'PRAGMA table_info("{table}")'):
            if pk and name.lower() == _GDAL_FID and declared.upper() == "INTEGER":
                continue
            if name == geometry:
                kind = GEOM
            else:
                kind = _SQLITE_KINDS.get(declared.split("(")[0].strip().upper(), TEXT)
            columns.append(Column(name, kind))
        return columns

    def count(self, table: str) -> int:
        return int(self.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])

    def chunks(self, table: str, columns: list[Column]) -> Iterator[list[tuple]]:
        names = ", ".join(f'"{c.name}"' for c in columns)
        cursor = self.conn.execute(f'SELECT {names} FROM "{table}" ORDER BY rowid')
        while rows := cursor.fetchmany(CHUNK_ROWS):
            values = [list(col) for col in zip(*rows, strict=True)]
            for i, column in enumerate(columns):
                values[i] = _from_sqlite(column.kind, values[i])
            yield list(zip(*values, strict=True))

    # writing ---------------------------------------------------------------------------
    def ensure(self, table: str, columns: list[Column]) -> None:
        """The table with at least these columns (the backup file: it takes any table)."""
        if not self.existing([table]):
            self._create(table, columns)
            return
        have = {c.name for c in self.columns(table)}
        for column in columns:
            if column.name not in have:
                declared = _SQLITE_DECLARED[column.kind]
                self.conn.execute(f'ALTER TABLE "{table}" ADD COLUMN "{column.name}" {declared}')

    def _create(self, table: str, columns: list[Column]) -> None:
        """A table the GeoPackage store does not make: an attributes or features table."""
        body = ", ".join(f'"{c.name}" {_SQLITE_DECLARED[c.kind]}' for c in columns)
        self.conn.execute(f'CREATE TABLE "{table}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, {body})')
        geometry = next((c.name for c in columns if c.kind == GEOM), None)
        self.conn.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id, last_change) "
            "VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
            (table, "attributes" if geometry is None else "features", table, 4326),
        )
        if geometry is not None:
            self.conn.execute(
                "INSERT INTO gpkg_geometry_columns VALUES (?, ?, 'GEOMETRY', 4326, 0, 0)",
                (table, geometry),
            )

    def drop_foreign_triggers(self) -> None:
        """Drop every trigger but GDAL's own (the backup file is a copy: nothing logs in it)."""
        triggers = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
        for (name,) in triggers:
            if not name.startswith(_GDAL_TRIGGERS):
                self.conn.execute(f'DROP TRIGGER "{name}"')

    def clear(self, table: str) -> int:
        return self.conn.execute(f'DELETE FROM "{table}"').rowcount

    def record_bulk(self, table: str, details: str) -> None:
        """One audit row for the table's rows replaced (the triggers step aside)."""
        from geo.store import gpkg_audit

        gpkg_audit.record_bulk(self.conn, table, None, details)

    def write(self, table: str, columns: list[Column], chunks) -> int:
        names = ", ".join(f'"{c.name}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        statement = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
        geometry = next((i for i, c in enumerate(columns) if c.kind == GEOM), None)
        written = 0
        for rows in chunks:
            if not rows:
                continue
            values = [list(col) for col in zip(*rows, strict=True)]
            for i, column in enumerate(columns):
                values[i] = _to_sqlite(table, column.kind, values[i])
            self.conn.executemany(statement, zip(*values, strict=True))
            written += len(rows)
        self._touch(table, geometry is not None and columns[geometry].name)
        return written

    def _touch(self, table: str, geometry: str | bool) -> None:
        """gpkg_contents' extent and time, and the next number, as after any write."""
        extent = ""
        if geometry:
            rtree = f"rtree_{table}_{geometry}"
            if self.existing([rtree]):
                extent = (
                    f', min_x = (SELECT min(minx) FROM "{rtree}"), '
                    f'max_x = (SELECT max(maxx) FROM "{rtree}"), '
                    f'min_y = (SELECT min(miny) FROM "{rtree}"), '
                    f'max_y = (SELECT max(maxy) FROM "{rtree}")'
                )
        self.conn.execute(
            f"UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now')"
            f"{extent} WHERE lower(table_name) = lower(?)",
            (table,),
        )
        if self.existing(["sqlite_sequence"]):
            self.conn.execute(
                f'UPDATE sqlite_sequence SET seq = (SELECT coalesce(max(rowid), 0) FROM "{table}") '
                "WHERE name = ?",
                (table,),
            )

    def finish(self, tables) -> None:
        """Nothing more: SQLite numbers new rows after the highest stored key."""


def _from_sqlite(kind: str, values: list) -> list:
    if kind == TIME:
        return [_parse_time(v) for v in values]
    if kind == BOOL:
        return [None if v is None else bool(v) if isinstance(v, int) else v for v in values]
    if kind == GEOM:
        return list(gpkg_blob.decode(values))
    if kind == BLOB:
        return [None if v is None else bytes(v) for v in values]
    return values


def _to_sqlite(table: str, kind: str, values: list) -> list:
    if kind == TIME:
        return [_iso(v) if isinstance(v, datetime) else v for v in values]
    if kind == BOOL:
        return [int(v) if isinstance(v, bool) else v for v in values]
    if kind == GEOM:
        return gpkg_blob.encode(_shaped(table, _geometries(values)))
    return values


# --- the PostGIS side ------------------------------------------------------------------------
class _PostgisTables:
    """Tables of the store's schema on one open psycopg connection (in a transaction)."""

    def __init__(self, conn):
        from psycopg import sql

        self.conn = conn
        self.sql = sql
        self.schema = conn.execute(query("backup_schema")).fetchone()[0]

    def _name(self, table: str):
        return self.sql.Identifier(self.schema, table)

    def existing(self, names) -> list[str]:
        rows = self.conn.execute(query("backup_tables"), {"names": list(names)}).fetchall()
        have = {r[0] for r in rows}
        return [n for n in names if n in have]

    def columns(self, table: str) -> list[Column]:
        rows = self.conn.execute(query("backup_columns"), {"table": table}).fetchall()
        columns = []
        for name, typname, numbered in rows:
            kind = _POSTGRES_KINDS.get(typname)
            columns.append(Column(name, kind or TEXT, as_text=kind is None, numbered=numbered))
        return columns

    def chunks(self, table: str, columns: list[Column]) -> Iterator[list[tuple]]:
        sql = self.sql
        parts = []
        for column in columns:
            ident = sql.Identifier(column.name)
            if column.kind == GEOM:
                parts.append(sql.SQL("ST_AsBinary({})").format(ident))
            elif column.as_text:
                parts.append(sql.SQL("{}::text").format(ident))
            else:
                parts.append(ident)
        statement = query("backup_read", columns=sql.SQL(", ").join(parts), table=self._name(table))
        geometry = [i for i, c in enumerate(columns) if c.kind == GEOM]
        with self.conn.cursor(name=f"gridmap_backup_{table}") as cursor:
            cursor.itersize = CHUNK_ROWS
            cursor.execute(statement)
            while rows := cursor.fetchmany(CHUNK_ROWS):
                if geometry:
                    values = [list(col) for col in zip(*rows, strict=True)]
                    for i in geometry:
                        wkb = _geometries([None if v is None else bytes(v) for v in values[i]])
                        values[i] = list(shapely.from_wkb(wkb))
                    rows = list(zip(*values, strict=True))
                yield rows

    # writing ---------------------------------------------------------------------------
    def lock(self, tables) -> None:
        for table in tables:  # in TABLES order: the model's order first, as every writer
            self.conn.execute(query("restore_lock", table=self._name(table)))
        # Restored reports keep their grid and building as saved: the assignment
        # trigger (migration 0002) steps aside, as for the store's own bulk writes.
        self.conn.execute(query("set_local"), {"name": "gridmap.assigning", "value": "on"})

    def clear(self, table: str) -> int:
        return self.conn.execute(query("restore_delete", table=self._name(table))).rowcount

    def record_bulk(self, table: str, details: str) -> None:
        """One audit row for the table's rows replaced (the triggers step aside)."""
        from geo.store.postgis import PostGISStore

        PostGISStore._record_bulk(self.conn, table, (), details)

    def write(self, table: str, columns: list[Column], chunks) -> int:
        sql = self.sql
        statement = query(
            "restore_copy",
            table=self._name(table),
            columns=sql.SQL(", ").join(sql.Identifier(c.name) for c in columns),
        )
        geometry = [i for i, c in enumerate(columns) if c.kind == GEOM]
        written = 0
        with self.conn.cursor() as cursor, cursor.copy(statement) as copy:
            for rows in chunks:
                if not rows:
                    continue
                if geometry:
                    values = [list(col) for col in zip(*rows, strict=True)]
                    for i in geometry:
                        geoms = _shaped(table, _geometries(values[i]))
                        geoms = shapely.set_srid(geoms, 4326)
                        values[i] = shapely.to_wkb(
                            geoms, hex=True, include_srid=True, output_dimension=2
                        ).tolist()
                    rows = zip(*values, strict=True)
                for row in rows:
                    copy.write_row(row)
                    written += 1
        return written

    def finish(self, tables) -> None:
        """Sequences continue after the restored keys; fresh statistics for the planner."""
        for table in tables:
            for column in self.columns(table):
                if column.numbered:
                    self.conn.execute(
                        query("sync_identity", table=self._name(table), key=column.name),
                        {"table": f'"{self.schema}"."{table}"', "column": column.name},
                    )
            self.conn.execute(query("analyze_table", table=self._name(table)))


# --- reading a store in one snapshot, writing a store in one transaction ---------------------
def _is_postgis(store: Store) -> bool:
    from geo.store.postgis import PostGISStore

    return isinstance(store, PostGISStore)


@contextmanager
def _source(store: Store) -> Iterator[_GeoPackageTables | _PostgisTables]:
    """The store's tables, every one read from the same snapshot."""
    if not _is_postgis(store):
        with store._connect() as conn:
            conn.execute("BEGIN")  # one read transaction: one snapshot of the WAL
            try:
                yield _GeoPackageTables(conn)
            finally:
                conn.execute("ROLLBACK")
        return
    from geo.store import postgis

    with store.server_errors(), store._pool.connection() as conn:
        conn.execute(query("backup_snapshot"))
        postgis._enter_schema(conn, store.schema)
        yield _PostgisTables(conn)


@contextmanager
def _target(store: Store) -> Iterator[_GeoPackageTables | _PostgisTables]:
    """The store's tables in one write transaction of the store's own.

    A bulk write for the audit log: one row per table replaced, not one per row.
    """
    with store._transaction(bulk=True) as conn:
        yield _PostgisTables(conn) if _is_postgis(store) else _GeoPackageTables(conn)


# --- backup -----------------------------------------------------------------------------------
def backup_store(store: Store, path: str | Path) -> BackupSummary:
    """Copy every table of ``store`` into a new GeoPackage at ``path``.

    Parameters
    ----------
    store
        Either backend. Its tables are read from one snapshot, so the backup is
        consistent even while others write.
    path
        A new ``.gpkg`` file; an existing file is never overwritten.

    Returns
    -------
    BackupSummary
        The rows of each table copied.

    Raises
    ------
    StoreError
        ``backup.exists``, ``backup.not_gpkg_name`` or ``backup.cannot_write``; a
        half-written file is removed.
    """
    from geo.store.gpkg import GeoPackageStore

    path = Path(path)
    if path.suffix.lower() != ".gpkg":
        raise StoreError("backup.not_gpkg_name", path=str(path))
    if path.exists():
        raise StoreError("backup.exists", path=str(path))
    partial = path.with_name(f".{path.stem}.{os.getpid()}.partial.gpkg")
    try:
        GeoPackageStore(partial)  # the store's own schema: the file opens as a store
        rows = _copy_into(store, partial)
        with sqlite3.connect(partial, isolation_level=None) as conn:
            conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        conn.close()
        os.replace(partial, path)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError("backup.cannot_write", path=str(path), reason=str(exc)) from None
    finally:
        for leftover in (partial, *(Path(f"{partial}-{s}") for s in ("wal", "shm", "journal"))):
            leftover.unlink(missing_ok=True)
    return BackupSummary(str(path), rows)


def _copy_into(store: Store, partial: Path) -> dict[str, int]:
    rows: dict[str, int] = {}
    out = sqlite3.connect(partial, isolation_level=None, timeout=30)
    try:
        gpkg_blob.register_functions(out)
        out.execute("BEGIN IMMEDIATE")
        writer = _GeoPackageTables(out)
        writer.drop_foreign_triggers()
        with _source(store) as source:
            for table in source.existing(TABLES):
                columns = source.columns(table)
                writer.ensure(table, columns)
                writer.clear(table)  # rows a new store may start with
                rows[table] = writer.write(table, columns, source.chunks(table, columns))
        _write_info(out, "postgis" if _is_postgis(store) else "gpkg", rows)
        out.execute("COMMIT")
    finally:
        out.close()
    return rows


def _write_info(conn: sqlite3.Connection, source: str, rows: dict[str, int]) -> None:
    conn.execute(f"CREATE TABLE {META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
        "last_change) VALUES (?, 'attributes', ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
        (META_TABLE, META_TABLE, "Backup of Community Grid Map: what this file holds"),
    )
    info = {
        "format": FORMAT,
        "format_version": str(FORMAT_VERSION),
        "schema_version": str(schema_version()),
        "created_at": _iso(datetime.now(UTC)),
        "source": source,
        "tables": json.dumps(rows),
    }
    conn.executemany(f"INSERT INTO {META_TABLE} VALUES (?, ?)", info.items())


# --- restore ----------------------------------------------------------------------------------
@contextmanager
def _open_backup(path: Path) -> Iterator[sqlite3.Connection]:
    """The backup file read-only, after checking it is one this program can restore."""
    if not path.is_file():
        raise StoreError("backup.missing", path=str(path))
    with path.open("rb") as fh:
        if fh.read(16) != _SQLITE_MAGIC:
            raise StoreError("backup.not_backup", path=str(path))
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError("backup.corrupt", path=str(path), reason=str(exc)) from None
    try:
        yield conn
    except sqlite3.DatabaseError as exc:
        raise StoreError("backup.corrupt", path=str(path), reason=str(exc)) from None
    finally:
        conn.close()


def _read_info(conn: sqlite3.Connection, path: Path) -> BackupInfo:
    problems = [r[0] for r in conn.execute("PRAGMA quick_check")]
    if problems != ["ok"]:
        raise StoreError("backup.corrupt", path=str(path), reason="; ".join(problems[:3]))
    tables = _GeoPackageTables(conn)
    if not tables.existing([META_TABLE]):
        raise StoreError("backup.not_backup", path=str(path))
    values = dict(conn.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())
    if values.get("format") != FORMAT:
        raise StoreError("backup.not_backup", path=str(path))
    try:
        info = BackupInfo(
            format_version=int(values["format_version"]),
            schema_version=int(values["schema_version"]),
            created_at=values.get("created_at", ""),
            source=values.get("source", ""),
            rows={str(k): int(v) for k, v in json.loads(values["tables"]).items()},
        )
    except (KeyError, ValueError, TypeError, AttributeError):
        raise StoreError("backup.not_backup", path=str(path)) from None
    ours = schema_version()
    if info.format_version > FORMAT_VERSION or info.schema_version > ours:
        raise StoreError("backup.newer", path=str(path), theirs=info.schema_version, ours=ours)
    for table in tables.existing(info.rows):
        found = tables.count(table)
        if found != info.rows[table]:
            raise StoreError(
                "backup.incomplete",
                path=str(path),
                table=table,
                found=found,
                recorded=info.rows[table],
            )
    for table in set(info.rows) - set(tables.existing(info.rows)):
        raise StoreError(
            "backup.incomplete", path=str(path), table=table, found=0, recorded=info.rows[table]
        )
    return info


def read_backup_info(path: str | Path) -> BackupInfo:
    """What the backup at ``path`` holds; StoreError when it cannot be restored.

    Raises
    ------
    StoreError
        ``backup.missing``, ``backup.not_backup`` (not a backup of this program),
        ``backup.corrupt``, ``backup.incomplete`` or ``backup.newer`` (made by a program
        with a newer schema).
    """
    path = Path(path)
    with _open_backup(path) as conn:
        return _read_info(conn, path)


def restore_store(store: Store, path: str | Path) -> BackupSummary:
    """Replace the content of ``store`` with the backup at ``path``, in one transaction.

    Every table the backup holds is emptied and filled with the backup's rows, keys
    and all, except the append-only tables of :data:`KEPT_BY_RESTORE`; tables the
    backup does not hold are left as they are. In PostGIS the sequences numbering the
    restored tables continue after the restored keys.

    Raises
    ------
    StoreError
        What :func:`read_backup_info` raises, ``backup.target_lacks_table`` or
        ``backup.target_lacks_columns`` before anything is written, and
        ``backup.restore_failed`` when the write fails; the store is then as it was.
    """
    path = Path(path)
    with _open_backup(path) as conn:
        info = _read_info(conn, path)
        backup = _GeoPackageTables(conn)
        tables = [t for t in TABLES if t in info.rows and t not in KEPT_BY_RESTORE]
        left_alone = tuple(t for t in TABLES if t not in tables)
        try:
            with _target(store) as target:
                columns = _matching_columns(backup, target, tables)
                left_alone = tuple(target.existing(left_alone))
                if isinstance(target, _PostgisTables):
                    target.lock(tables)
                deleted = {table: target.clear(table) for table in reversed(tables)}
                rows = {}
                for table in tables:
                    rows[table] = target.write(
                        table, columns[table], backup.chunks(table, columns[table])
                    )
                    if rows[table] != info.rows[table]:
                        raise StoreError(
                            "backup.incomplete",
                            path=str(path),
                            table=table,
                            found=rows[table],
                            recorded=info.rows[table],
                        )
                target.finish(tables)
                for table in (t for t in tables if t in audit.AUDITED):
                    details = audit.bulk_details(deleted[table], rows[table], restore=path.name)
                    target.record_bulk(table, details)
        except sqlite3.DatabaseError as exc:
            if _is_backup_error(exc):
                raise StoreError("backup.corrupt", path=str(path), reason=str(exc)) from None
            raise StoreError("backup.restore_failed", path=str(path), reason=str(exc)) from None
        except StoreError as exc:
            if exc.key.startswith("backup."):
                raise
            raise StoreError("backup.restore_failed", path=str(path), reason=exc) from None
    return BackupSummary(str(path), rows, left_alone)


def _is_backup_error(exc: sqlite3.Error) -> bool:
    return "malformed" in str(exc) or "not a database" in str(exc)


def _matching_columns(backup: _GeoPackageTables, target, tables) -> dict[str, list[Column]]:
    """The backup's columns of each table; every one must exist in the store's table."""
    found = target.existing(tables)
    missing = [t for t in tables if t not in found]
    if missing:
        raise StoreError("backup.target_lacks_table", table=missing[0])
    columns = {}
    for table in tables:
        have = {c.name for c in target.columns(table)}
        wanted = backup.columns(table)
        lacking = [c.name for c in wanted if c.name not in have]
        if lacking:
            raise StoreError("backup.target_lacks_columns", table=table, columns=", ".join(lacking))
        columns[table] = wanted
    return columns


def rows_text(rows: dict[str, int], lang: str) -> str:
    """``community 1, grids 12, ...`` in ``lang``, for the commands' messages."""
    from geo.i18n import t

    return t("backup.list_sep", lang).join(
        t("backup.rows", lang, table=table, n=n) for table, n in rows.items()
    )


__all__ = [
    "KEPT_BY_RESTORE",
    "TABLES",
    "BackupInfo",
    "BackupSummary",
    "backup_store",
    "read_backup_info",
    "restore_store",
    "rows_text",
    "schema_version",
]
