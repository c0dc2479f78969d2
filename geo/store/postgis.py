"""The server store: PostGIS through psycopg 3, one connection pool per process.

Selected by a ``postgresql://`` URL in GRIDMAP_DB (DESIGN.md §4). The tables are the
layers of :mod:`geo.model`, typed and indexed so that QGIS can edit them live; they
are created and upgraded by the numbered migrations in queries/migrations
(:func:`migrate`). Every SQL statement is a file in queries/ loaded by name
(:mod:`geo.sql`); values are always bound parameters.

Writes go through a temporary staging table filled by one binary COPY; the set-wise
statements that follow (deduplicate, number, assign, insert or replace) run in the
same transaction, so a failure leaves nothing half-written. Reports are assigned to
grids and buildings in SQL by the rule of DESIGN.md §3, the same rule as
:mod:`geo.assign`; a trigger applies it to reports inserted by anyone else (QGIS).
"""

from __future__ import annotations

import atexit
import csv
import io
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import shapely
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolTimeout

from geo import access, model
from geo.assign import DEFAULT_RADIUS_M, TIE_TOLERANCE_M
from geo.errors import GridmapError, StoreError
from geo.i18n import msg
from geo.sql import migrations, query
from geo.store import audit
from geo.store.base import (
    AssignSummary,
    InsertSummary,
    Photo,
    Store,
    check_expected,
    check_photo_bytes,
    check_report_changes,
    checked_zones,
    photo_from_row,
    polygons_for_layer,
    report_event_row,
    typed_report_row,
)

GEOMETRY_COLUMN = "geom"
POOL_MAX_SIZE = 10
POOL_TIMEOUT_S = 15.0
CONNECT_TIMEOUT_S = 10
BULK_WORK_MEM = "256MB"
INDEX_STAGE_FROM_ROWS = 2000  # staging tables this large get a GiST index
ANALYZE_FROM_ROWS = 1000  # a table gets fresh statistics after a write this large
_BYTEA_OID = 17
_SCHEMA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


# --- URLs, connections and the pool ------------------------------------------------
def describe_url(url: str) -> tuple[str, str]:
    """``("host:port", "database")`` of a PostgreSQL URL, for messages (no password).

    Raises StoreError when the URL cannot be parsed.
    """
    try:
        params = conninfo_to_dict(url)
    except psycopg.Error as exc:
        raise StoreError("store.bad_url", reason=_one_line(exc)) from None
    host = params.get("host") or params.get("hostaddr") or os.environ.get("PGHOST") or "localhost"
    port = params.get("port") or os.environ.get("PGPORT") or "5432"
    user = params.get("user") or os.environ.get("PGUSER") or ""
    database = (
        params.get("dbname")
        or os.environ.get("PGDATABASE")
        or user
        or msg("store.default_database")
    )
    return f"{host}:{port}", str(database)


def redact_url(url: str) -> str:
    """``url`` with any password replaced by ***, fit to print."""
    url = re.sub(r"^([a-z]+://[^:/@?]*):[^@/?]*@", r"\1:***@", url)
    return re.sub(r"(password\s*=\s*)('[^']*'|[^&\s]+)", r"\1***", url)


def _one_line(exc: BaseException) -> str:
    """The gist of a driver error on one line."""
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    text = primary or str(exc) or type(exc).__name__
    text = re.sub(r"^connection failed:\s*", "", text.strip())
    text = re.sub(r'^connection to server at "[^"]*"(?: \([^)]*\))?, port \d+ failed:\s*', "", text)
    text = re.sub(r"^FATAL:\s*", "", text)
    return " ".join(text.split())


def _connect_kwargs(url: str) -> dict:
    params = conninfo_to_dict(url)
    kwargs: dict = {}
    if "connect_timeout" not in params:
        kwargs["connect_timeout"] = CONNECT_TIMEOUT_S
    if "application_name" not in params:
        kwargs["application_name"] = "gridmap"
    return kwargs


def _configure_connection(conn: psycopg.Connection) -> None:
    """Session settings every connection of the store starts with."""
    conn.execute(query("session_setup"))
    if not conn.autocommit:
        conn.commit()


@contextmanager
def _direct_connection(url: str) -> Iterator[psycopg.Connection]:
    """A connection outside the pool (for migrations), with a clear error if refused."""
    where, database = describe_url(url)
    try:
        conn = psycopg.connect(url, autocommit=True, **_connect_kwargs(url))
    except psycopg.Error as exc:
        raise StoreError(
            "store.cannot_connect", where=where, database=database, reason=_one_line(exc)
        ) from None
    try:
        _configure_connection(conn)
        yield conn
    except StoreError:
        raise
    except psycopg.Error as exc:
        raise StoreError(
            "store.refused", where=where, database=database, reason=_one_line(exc)
        ) from None
    finally:
        conn.close()


_POOLS: dict[str, tuple[int, ConnectionPool]] = {}
_MIGRATED: set[tuple[str, str | None]] = set()  # (url, schema) brought up to date here
_POOLS_LOCK = threading.Lock()


def get_pool(url: str) -> ConnectionPool:
    """The process's connection pool for ``url``, opened on first use.

    Every :class:`PostGISStore` of the same URL in a process shares it; a forked child
    gets its own. The pools are closed at exit (or by :func:`close_pools`).
    """
    with _POOLS_LOCK:
        entry = _POOLS.get(url)
        if entry is not None and entry[0] == os.getpid() and not entry[1].closed:
            return entry[1]
        pool = ConnectionPool(
            url,
            kwargs=_connect_kwargs(url),
            min_size=1,
            max_size=POOL_MAX_SIZE,
            timeout=POOL_TIMEOUT_S,
            configure=_configure_connection,
            check=ConnectionPool.check_connection,
            name="gridmap",
            open=False,
        )
        pool.open(wait=False)
        _POOLS[url] = (os.getpid(), pool)
        return pool


def close_pools() -> None:
    """Close every pool this process opened."""
    with _POOLS_LOCK:
        entries = list(_POOLS.values())
        _POOLS.clear()
    for pid, pool in entries:
        if pid == os.getpid():
            pool.close()


atexit.register(close_pools)


def _require_postgis(conn: psycopg.Connection, url: str) -> None:
    where, database = describe_url(url)
    enabled, available = conn.execute(query("postgis_status")).fetchone()
    if enabled:
        return
    if available:
        raise StoreError("store.postgis_not_enabled", where=where, database=database)
    raise StoreError("store.postgis_missing", where=where, database=database)


def _enter_schema(conn: psycopg.Connection, schema: str | None) -> None:
    if schema is not None:
        conn.execute(query("enter_schema"), {"schema": schema})


def _check_schema_name(schema: str | None) -> None:
    if schema is not None and not _SCHEMA_NAME.match(schema):
        raise StoreError("store.bad_schema_name", value=repr(schema))


# --- migrations ----------------------------------------------------------------------
def migrate(url: str, schema: str | None = None, directory: Path | str | None = None) -> list[str]:
    """Create or upgrade the store's tables; return the names of the migrations applied.

    Each migration of ``directory`` (default queries/migrations) not yet recorded in
    the schema's ``gridmap_migrations`` table runs in its own transaction, in number
    order, and is recorded in that transaction; running again applies nothing. A
    migration that fails is rolled back whole, so the schema stays at the last good
    version, and StoreError says which one failed and why.

    Parameters
    ----------
    url : postgresql:// URL.
    schema : schema to hold the tables (created if missing); default the first schema
        of the connection's search path (normally public).
    directory : folder of ``NNNN_name.sql`` files (tests use a folder of their own).
    """
    _check_schema_name(schema)
    steps = migrations(directory)
    where, database = describe_url(url)
    # Parts of messages, as errors so that they are shown in the message's language.
    label = (
        GridmapError("store.schema_named", schema=schema)
        if schema
        else GridmapError("store.default_schema")
    )
    with _direct_connection(url) as conn:
        _require_postgis(conn, url)
        lock = {"key": f"gridmap.migrate:{schema or ''}"}
        conn.execute(query("migrate_lock"), lock)
        try:
            with conn.transaction():
                if schema is not None:
                    conn.execute(query("create_schema", schema=schema))
                _enter_schema(conn, schema)
                conn.execute(query("migrations_table"))
                applied = dict(conn.execute(query("migrations_applied")).fetchall())
            known = {step.version for step in steps}
            unknown = sorted(set(applied) - known)
            if unknown:
                names = ", ".join(applied[v] for v in unknown)
                raise StoreError(
                    "store.unknown_migrations",
                    database=database,
                    where=where,
                    label=label,
                    names=names,
                )
            last_good = applied[max(applied)] if applied else None
            done: list[str] = []
            for step in steps:
                if step.version in applied:
                    continue
                try:
                    with conn.transaction():
                        _enter_schema(conn, schema)
                        conn.execute(step.text)
                        conn.execute(
                            query("migration_record"),
                            {"version": step.version, "name": step.name, "checksum": step.checksum},
                        )
                except psycopg.Error as exc:
                    raise StoreError(
                        "store.migration_failed",
                        name=step.name,
                        database=database,
                        where=where,
                        label=label,
                        reason=_one_line(exc),
                        last_good=last_good or GridmapError("store.no_version"),
                    ) from None
                done.append(step.name)
                last_good = step.name
            return done
        finally:
            if not conn.closed and not conn.broken:
                conn.execute(query("migrate_unlock"), lock)


def applied_migrations(url: str, schema: str | None = None) -> list[str]:
    """Names of the migrations recorded in the schema, in order."""
    _check_schema_name(schema)
    with _direct_connection(url) as conn, conn.transaction():
        _enter_schema(conn, schema)
        return [name for _, name in conn.execute(query("migrations_applied")).fetchall()]


# --- values in and out -----------------------------------------------------------------
_UNESCAPES = {"\\": "\\", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_ESCAPE = re.compile(r"\\(.)")


def _unescape_text(values: pd.Series) -> pd.Series:
    """Undo COPY's text-format backslash escapes where a value has any."""
    has = values.str.contains("\\", regex=False, na=False).to_numpy(dtype=bool)
    if has.any():
        values = values.copy()
        values[has] = values[has].map(
            lambda v: _ESCAPE.sub(lambda m: _UNESCAPES.get(m.group(1), m.group(1)), v)
        )
    return values


def _parse_copy(data: bytes, names: list[str], kinds: dict[str, str]) -> pd.DataFrame:
    """A DataFrame from COPY text output; ``kinds`` maps column to model kind."""
    if not data:
        return pd.DataFrame({n: pd.Series([], dtype=object) for n in names})
    dtypes = {
        n: "Int64" if kinds.get(n) == model.INT else "float64" if kinds.get(n) == "xy" else object
        for n in names
    }
    frame = pd.read_csv(
        io.BytesIO(data),
        sep="\t",
        header=None,
        names=names,
        quoting=csv.QUOTE_NONE,
        na_values=["\\N"],
        keep_default_na=False,
        dtype=dtypes,
        encoding="utf-8",
        engine="c",
    )
    for name in names:
        kind = kinds.get(name)
        column = frame[name]
        if kind in (model.STR, "hex"):
            frame[name] = _unescape_text(column.astype(object).where(column.notna(), None))
        elif kind == model.FLOAT:
            frame[name] = pd.to_numeric(column, errors="coerce")
        elif kind in (model.BOOL, "flag"):
            frame[name] = column.map({"t": True, "f": False}).astype("boolean")
        elif kind == model.TIME:
            frame[name] = pd.to_datetime(column, utc=True, format="ISO8601")
    return frame


def _python_values(values: pd.Series, kind: str) -> list:
    """A conformed column as Python values the binary COPY dumpers take (None for missing)."""
    if kind == model.TIME:
        missing = values.isna().to_numpy()
        naive = values.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[us]")
        stamps = naive.astype(object)  # datetime.datetime, in UTC
        return [None if m else t.replace(tzinfo=UTC) for t, m in zip(stamps, missing, strict=True)]
    if kind == model.STR:
        return values.tolist()  # conform() made these str or None
    return values.to_numpy(dtype=object, na_value=None).tolist()


def _geometry_values(layer: model.Layer, geoms) -> list:
    """WKB (2D) of each geometry, shaped to the layer's column type.

    The WKB carries no SRID: the typed column gives it 4326, and refuses a geometry of
    another type with a clear message.
    """
    geoms = polygons_for_layer(layer, geoms)
    return shapely.to_wkb(geoms, output_dimension=2).tolist()


def _frame_from_rows(layer: str, rows: list[tuple]) -> pd.DataFrame:
    """A conformed frame from fetched rows: the layer's columns, then WKB."""
    spec = model.layer(layer)
    names = list(spec.columns)
    frame = pd.DataFrame(
        {name: [row[i] for row in rows] for i, name in enumerate(names)},
        columns=names,
    )
    if spec.geometry is None:
        return model.conform(layer, frame)
    wkb = np.empty(len(rows), dtype=object)
    wkb[:] = [None if row[len(names)] is None else bytes(row[len(names)]) for row in rows]
    geoms = shapely.from_wkb(wkb)
    return model.conform(layer, gpd.GeoDataFrame(frame, geometry=geoms, crs=model.WGS84))


def _summary(row) -> AssignSummary:
    reports, to_grid, to_building = (int(v) for v in row[:3])
    return AssignSummary(
        reports=reports, to_grid=to_grid, unassigned=reports - to_grid, to_building=to_building
    )


# --- the store ---------------------------------------------------------------------------
class PostGISStore(Store):
    """A :class:`Store` in PostgreSQL/PostGIS.

    Parameters
    ----------
    url : postgresql://user@host:port/database (libpq URL; a password may be in it or
        in ~/.pgpass).
    schema : schema holding the tables (created if missing); default the first schema
        of the search path (normally public).
    radius_m : how far a report may lie from a building and still be linked to it.
    auto_migrate : bring the schema up to date on opening (as ``gridmap db migrate``).
    """

    def __init__(
        self,
        url: str,
        schema: str | None = None,
        radius_m: float = DEFAULT_RADIUS_M,
        auto_migrate: bool = True,
    ):
        _check_schema_name(schema)
        self._conninfo = url
        self.url = redact_url(url)  # for messages and display: no password
        self.schema = schema
        self.radius_m = radius_m
        self._where, self._database = describe_url(url)
        if not auto_migrate:
            with _direct_connection(url) as conn:
                _require_postgis(conn, url)
        elif (url, schema) not in _MIGRATED:  # once per process: opening stays cheap
            migrate(url, schema)
            _MIGRATED.add((url, schema))
        self._pool = get_pool(url)
        self._closed = False

    def __repr__(self) -> str:
        schema = f", schema={self.schema!r}" if self.schema else ""
        return f"PostGISStore({self._where}/{self._database}{schema})"

    # --- connections ------------------------------------------------------------------
    @contextmanager
    def _transaction(self, bulk: bool = False) -> Iterator[psycopg.Connection]:
        """One transaction on a pooled connection, in the store's schema.

        The audit triggers (migration 0007) learn who acts from gridmap.actor and
        step aside for a bulk write, which logs itself (:meth:`_record_bulk`).
        """
        if self._closed:
            raise StoreError("store.closed", store=repr(self))
        with self.server_errors(), self._pool.connection() as conn:
            _enter_schema(conn, self.schema)
            actor = access.acting()
            if actor is not None:
                self._set_local(conn, "gridmap.actor", actor.label)
            if bulk:
                self._set_local(conn, "gridmap.audit_bulk", "on")
            yield conn

    @contextmanager
    def server_errors(self) -> Iterator[None]:
        """PostgreSQL's and the pool's errors as the store's own messages (StoreError)."""
        try:
            yield
        except PoolTimeout:
            raise StoreError(
                "store.pool_timeout",
                where=self._where,
                database=self._database,
                seconds=f"{POOL_TIMEOUT_S:.0f}",
            ) from None
        except psycopg.OperationalError as exc:
            raise StoreError(
                "store.server_problem",
                where=self._where,
                database=self._database,
                reason=_one_line(exc),
            ) from None
        except psycopg.Error as exc:
            raise StoreError(
                "store.refused",
                where=self._where,
                database=self._database,
                reason=_one_line(exc),
            ) from None

    def close(self) -> None:
        """Release this store; the process's pool stays open for other stores."""
        self._closed = True

    def drop_schema(self) -> None:
        """Remove every table of the store (its whole schema, if it has one). For tests."""
        _MIGRATED.discard((self._conninfo, self.schema))
        with _direct_connection(self._conninfo) as conn, conn.transaction():
            if self.schema is not None:
                conn.execute(query("drop_schema", schema=self.schema))
            else:
                conn.execute(query("drop_store_objects"))

    def data_version(self) -> str:
        with self._transaction() as conn:
            value, called = conn.execute(query("data_version")).fetchone()
        return str(value if called else 0)

    # --- reading ------------------------------------------------------------------------
    def read(self, layer: str, community_id: str | None = None) -> pd.DataFrame:
        spec = model.layer(layer)
        names = list(spec.columns)
        columns = sql.SQL(", ").join(sql.Identifier(n) for n in names)
        kinds = dict(spec.columns)
        # Rows in key order; text keys in code-point order, as the GeoPackage store gives them.
        order: sql.Composable = sql.Identifier(spec.key)
        if spec.columns[spec.key] == model.STR:
            order = sql.SQL('{} COLLATE "C"').format(order)
        if spec.geometry is None:
            statement = query("read_rows", columns=columns, table=layer, order=order)
            extra: list[str] = []
        elif spec.geometry == "Point":
            statement = query("read_points", columns=columns, table=layer, order=order)
            extra = ["_x", "_y", "_present"]
            kinds.update(_x="xy", _y="xy", _present="flag")
        else:
            statement = query("read_shapes", columns=columns, table=layer, order=order)
            extra = ["_wkb"]
            kinds["_wkb"] = "hex"
        with self._transaction() as conn:
            self._set_local(conn, "gridmap.read_all", "on" if community_id is None else "off")
            self._set_local(conn, "gridmap.read_community", community_id or "")
            buffer = bytearray()
            with conn.cursor() as cur, cur.copy(statement) as copy:
                for chunk in copy:
                    buffer += chunk
        frame = _parse_copy(bytes(buffer), names + extra, kinds)
        if spec.geometry is None:
            return model.conform(layer, frame)
        if spec.geometry == "Point":
            x = frame.pop("_x").to_numpy(dtype=float)
            y = frame.pop("_y").to_numpy(dtype=float)
            present = frame.pop("_present").fillna(False).to_numpy(dtype=bool)
            geoms = shapely.points(x, y)
            empty = present & (np.isnan(x) | np.isnan(y))
            geoms[empty] = shapely.Point()
            geoms[~present] = None
        else:
            hexes = frame.pop("_wkb").tolist()
            wkb = np.empty(len(hexes), dtype=object)
            wkb[:] = [None if h is None else bytes.fromhex(h) for h in hexes]
            geoms = shapely.from_wkb(wkb)
        frame = gpd.GeoDataFrame(frame, geometry=geoms, crs=model.WGS84)
        return model.conform(layer, frame)

    def count(self, layer: str, community_id: str | None = None) -> int:
        model.layer(layer)
        with self._transaction() as conn:
            row = conn.execute(query("count", table=layer), {"community_id": community_id})
            return int(row.fetchone()[0])

    # --- writing: staging ----------------------------------------------------------------
    @staticmethod
    def _set_local(conn: psycopg.Connection, name: str, value: str) -> None:
        conn.execute(query("set_local"), {"name": name, "value": value})

    def _check_rows(self, layer: str, frame: pd.DataFrame) -> None:
        spec = model.layer(layer)
        missing = frame["community_id"].isna()
        if missing.any():
            raise StoreError("store.rows_without_community", layer=layer, n=int(missing.sum()))
        if spec.columns[spec.key] == model.STR and frame[spec.key].isna().any():
            n = int(frame[spec.key].isna().sum())
            raise StoreError("store.rows_without_key", layer=layer, n=n, key=spec.key)

    def _stage(self, conn: psycopg.Connection, layer: str, frame: pd.DataFrame) -> str:
        """Copy a conformed frame into a new staging table; return its name."""
        spec = model.layer(layer)
        stage = f"_gm_stage_{layer}"
        if len(frame) >= INDEX_STAGE_FROM_ROWS:
            self._set_local(conn, "work_mem", BULK_WORK_MEM)
        conn.execute(query("stage_create", stage=stage, table=layer))
        types = dict(
            conn.execute(query("stage_columns"), {"relation": f"pg_temp.{stage}"}).fetchall()
        )
        # Columns empty in every row are not sent: they stay NULL in the staging table.
        names = [n for n in spec.columns if n == "community_id" or frame[n].notna().any()]
        columns = [_python_values(frame[n], spec.columns[n]) for n in names]
        oids = [types[n] for n in names]
        if spec.geometry is not None:
            names.append(GEOMETRY_COLUMN)
            columns.append(_geometry_values(spec, frame.geometry.values))
            oids.append(_BYTEA_OID)  # binary COPY sends WKB; the column's type reads it
        names.append("_ord")
        columns.append(list(range(len(frame))))
        oids.append(types["_ord"])
        statement = query(
            "stage_copy", stage=stage, columns=sql.SQL(", ").join(map(sql.Identifier, names))
        )
        with conn.cursor() as cur, cur.copy(statement) as copy:
            copy.set_types(oids)
            for row in zip(*columns, strict=True):
                copy.write_row(row)
        if spec.geometry is not None and len(frame) >= INDEX_STAGE_FROM_ROWS:
            conn.execute(query("stage_index", stage=stage))
        else:
            conn.execute(query("stage_analyze", stage=stage))
        return stage

    def _insert_staged(self, conn: psycopg.Connection, layer: str, stage: str) -> int:
        spec = model.layer(layer)
        names = list(spec.columns) + ([GEOMETRY_COLUMN] if spec.geometry else [])
        columns = sql.SQL(", ").join(map(sql.Identifier, names))
        if spec.columns[spec.key] == model.INT:
            conn.execute(query("stage_number_keys", stage=stage, table=layer, key=spec.key))
        inserted = conn.execute(
            query("insert_staged", table=layer, stage=stage, columns=columns)
        ).rowcount
        if spec.columns[spec.key] == model.INT:
            self._sync_identity(conn, layer)
        self._analyze_after(conn, layer, inserted)
        return inserted

    @staticmethod
    def _analyze_after(conn: psycopg.Connection, layer: str, written: int) -> None:
        if written >= ANALYZE_FROM_ROWS:
            conn.execute(query("analyze_table", table=layer))

    @staticmethod
    def _sync_identity(conn: psycopg.Connection, layer: str) -> None:
        key = model.layer(layer).key
        conn.execute(query("sync_identity", table=layer, key=key), {"table": layer, "column": key})

    def _lock(self, conn: psycopg.Connection, *layers: str) -> None:
        for name in model.LAYERS:  # always in the same order: no deadlocks
            if name in layers:
                conn.execute(query("lock_for_bulk_write", table=name))

    # --- writing: assignment ---------------------------------------------------------------
    def _assign(
        self,
        conn: psycopg.Connection,
        source: str,
        key: str,
        communities: list[str] | None = None,
        open_only: bool = False,
    ) -> dict:
        """Fill _gm_grid_hits and _gm_building_hits for the reports of ``source``."""
        params = {
            "communities": communities,
            "open_only": open_only,
            "open_statuses": list(model.OPEN_STATUSES),
            "radius_m": float(self.radius_m),
            "tie_m": TIE_TOLERANCE_M,
        }
        self._set_local(conn, "work_mem", BULK_WORK_MEM)
        conn.execute(query("assign_hits_reset"))
        conn.execute(query("assign_grids", source=source, key=key), params)
        conn.execute(query("assign_buildings", source=source, key=key), params)
        return params

    def _reassign(
        self, conn: psycopg.Connection, communities: list[str] | None, open_only: bool
    ) -> AssignSummary:
        params = self._assign(conn, "reports", "report_id", communities, open_only)
        conn.execute(query("assign_hits_keys"))
        conn.execute(query("reassign_apply"), params)
        return _summary(conn.execute(query("reassign_summary"), params).fetchone())

    def reassign(self, community_id: str | None = None, open_only: bool = False) -> AssignSummary:
        communities = None if community_id is None else [community_id]
        with self._transaction() as conn:
            # Reports added between collecting the answers and writing them would
            # otherwise be written back as unassigned.
            self._lock(conn, "reports")
            return self._reassign(conn, communities, open_only)

    # --- writing: layers ------------------------------------------------------------------
    def _add_reports(self, conn: psycopg.Connection, frame: pd.DataFrame) -> tuple[int, bool]:
        """Stage, deduplicate, number, assign and insert reports; (inserted, renumbered)."""
        spec = model.layer("reports")
        repeated = frame.duplicated(["community_id", "external_id"], keep="first")
        frame = frame[~(repeated & frame["external_id"].notna()).to_numpy()]
        stage = self._stage(conn, "reports", frame)
        conn.execute(query("reports_dedupe", stage=stage))
        conn.execute(query("reports_numbering", stage=stage))
        renumbered = bool(conn.execute(query("reports_renumbered")).fetchone()[0])
        self._assign(conn, stage, "_ord")
        sources = {"report_id": ("i", "report_id"), "grid_id": ("g", "grid_id")}
        sources["building_id"] = ("b", "building_id")
        names = list(spec.columns) + [GEOMETRY_COLUMN]
        values = [sql.Identifier(*sources.get(n, ("s", n))) for n in names]
        # The grid was just found, not chosen by hand.
        values[names.index("grid_by_hand")] = sql.SQL("NULL::boolean")
        self._set_local(conn, "gridmap.assigning", "on")  # the trigger steps aside
        inserted = conn.execute(
            query(
                "reports_insert_staged",
                stage=stage,
                columns=sql.SQL(", ").join(map(sql.Identifier, names)),
                values=sql.SQL(", ").join(values),
            )
        ).rowcount
        self._set_local(conn, "gridmap.assigning", "off")
        self._sync_identity(conn, "reports")
        self._analyze_after(conn, "reports", inserted)
        return inserted, renumbered

    def add_reports(self, reports: pd.DataFrame) -> InsertSummary:
        total = len(reports)
        frame = model.conform("reports", reports)
        self._check_rows("reports", frame)
        with self._transaction(bulk=True) as conn:
            self._lock(conn, "reports")
            inserted, _ = self._add_reports(conn, frame)
            communities = set(frame["community_id"].dropna().astype(str))
            details = audit.bulk_details(0, inserted, skipped=total - inserted)
            self._record_bulk(conn, "reports", communities, details)
        return InsertSummary(inserted=inserted, skipped=total - inserted)

    def add_report(self, report: pd.DataFrame) -> int | None:
        if len(report) != 1:
            raise ValueError(f"add_report takes one report, not {len(report)}")
        frame = model.conform("reports", report)
        self._check_rows("reports", frame)
        with self._transaction() as conn:
            self._lock(conn, "reports")
            inserted, _ = self._add_reports(conn, frame)
            if not inserted:
                return None
            return int(conn.execute(query("report_ids_added")).fetchone()[0])

    def upsert(self, layer: str, frame: pd.DataFrame) -> InsertSummary:
        spec = model.layer(layer)
        if layer == "reports":
            raise ValueError("use add_reports() for reports")
        frame = model.conform(layer, frame)
        if layer == "community":
            frame = checked_zones(frame)
        self._check_rows(layer, frame)
        with self._transaction() as conn:
            # Grids and buildings reassign reports, so new reports wait until they are saved.
            self._lock(conn, layer, *(["reports"] if layer in ("grids", "buildings") else []))
            stage = self._stage(conn, layer, frame)
            conn.execute(query("stage_keep_last", stage=stage, key=spec.key))
            replaced = conn.execute(
                query("delete_replaced", table=layer, stage=stage, key=spec.key)
            ).rowcount
            inserted = self._insert_staged(conn, layer, stage)
            if layer in ("grids", "buildings") and len(frame):
                communities = sorted(set(frame["community_id"].astype(str)))
                self._reassign(conn, communities, open_only=True)
        return InsertSummary(inserted=inserted - replaced, skipped=0, replaced=replaced)

    def load_community(self, layers: dict[str, pd.DataFrame]) -> None:
        for name in layers:
            model.layer(name)
        frames = {
            name: model.conform(name, layers[name]) for name in model.LAYERS if name in layers
        }
        if "community" in frames:
            frames["community"] = checked_zones(frames["community"])
        community_ids = sorted(
            {str(c) for f in frames.values() for c in f["community_id"].dropna()}
        )
        for name, frame in frames.items():
            self._check_rows(name, frame)
        with self._transaction(bulk=True) as conn:
            self._lock(conn, *frames)
            deleted = {}
            for name in frames:
                deleted[name] = conn.execute(
                    query("delete_communities", table=name), {"community_ids": community_ids}
                ).rowcount
            if "reports" in frames:  # the reports are replaced: their photos go with them
                conn.execute(
                    query("delete_communities", table="report_photos"),
                    {"community_ids": community_ids},
                )
            for name, frame in frames.items():
                if name == "reports":
                    inserted, _ = self._add_reports(conn, frame)
                else:
                    stage = self._stage(conn, name, frame)
                    if name == "report_events" and "reports" in frames:
                        conn.execute(query("stage_events_remap", stage=stage))
                    inserted = self._insert_staged(conn, name, stage)
                if name in audit.AUDITED:
                    details = audit.bulk_details(deleted[name], inserted, load="community")
                    self._record_bulk(conn, name, community_ids, details)

    @staticmethod
    def _record_bulk(conn: psycopg.Connection, entity: str, communities, details: str) -> None:
        ids = sorted(communities)
        conn.execute(
            query("audit_bulk_insert"),
            {
                "community_id": ids[0] if len(ids) == 1 else None,
                "entity": entity,
                "details": details,
            },
        )

    # --- one report at a time -------------------------------------------------------------
    def update_report(
        self,
        report_id: int,
        changes: dict,
        expected: dict | None = None,
        event: dict | None = None,
    ) -> dict:
        changes = check_report_changes(changes)
        names = list(model.layer("reports").columns)
        columns = sql.SQL(", ").join(map(sql.Identifier, names))
        with self._transaction() as conn:
            self._lock_row_writes(conn)
            rows = conn.execute(
                query("report_for_update", columns=columns), {"report_id": int(report_id)}
            ).fetchall()
            if not rows:
                raise StoreError("store.no_report", report_id=report_id)
            current = _frame_from_rows("reports", rows).iloc[0].to_dict()
            check_expected(report_id, current, expected)
            if changes:
                assignments = sql.SQL(", ").join(
                    sql.SQL("{} = {}").format(sql.Identifier(n), sql.Placeholder(n))
                    for n in changes
                )
                params = _change_values(changes)
                params["report_id"] = int(report_id)
                conn.execute(query("report_update", assignments=assignments), params)
            if event is not None:
                row = report_event_row(event, current, changes, int(report_id))
                row["at"] = row["at"].to_pydatetime()
                conn.execute(query("report_event_insert"), row)
            rows = conn.execute(
                query("report_row", columns=columns), {"report_id": int(report_id)}
            ).fetchall()
        return _frame_from_rows("reports", rows).iloc[0].to_dict()

    def report(self, report_id: int) -> dict | None:
        columns = sql.SQL(", ").join(map(sql.Identifier, model.layer("reports").columns))
        with self._transaction() as conn:
            rows = conn.execute(
                query("report_row", columns=columns), {"report_id": int(report_id)}
            ).fetchall()
        return _frame_from_rows("reports", rows).iloc[0].to_dict() if rows else None

    # --- users and the audit log (migration 0007) -------------------------------------------
    def users(self) -> pd.DataFrame:
        with self._transaction() as conn:
            cur = conn.execute(query("users_read"))
            rows = cur.fetchall()
            names = [d.name for d in cur.description]
        frame = pd.DataFrame(rows, columns=names)
        frame["disabled"] = frame["disabled"].astype(bool)
        return frame

    def add_user(self, row: dict) -> None:
        names = list(row)
        statement = query(
            "user_insert",
            columns=sql.SQL(", ").join(map(sql.Identifier, names)),
            values=sql.SQL(", ").join(map(sql.Placeholder, names)),
        )
        with self._transaction() as conn:
            if conn.execute(query("user_exists"), {"name": row["name"]}).fetchone():
                raise StoreError("users.exists", name=row["name"])
            conn.execute(statement, row)

    def update_user(self, name: str, changes: dict) -> None:
        assignments = sql.SQL(", ").join(
            sql.SQL("{} = {}").format(sql.Identifier(c), sql.Placeholder(c)) for c in changes
        )
        with self._transaction() as conn:
            done = conn.execute(
                query("user_update", assignments=assignments), {**changes, "name": name}
            ).rowcount
            if not done:
                raise StoreError("users.unknown", name=name)

    def audit_raw(self) -> pd.DataFrame:
        with self._transaction() as conn:
            cur = conn.execute(query("audit_read"))
            rows = cur.fetchall()
        return pd.DataFrame(rows, columns=list(audit.COLUMNS))

    def report_history(self, report_id: int) -> pd.DataFrame:
        names = list(model.layer("report_events").columns)
        columns = sql.SQL(", ").join(map(sql.Identifier, names))
        with self._transaction() as conn:
            rows = conn.execute(
                query("report_history", columns=columns), {"report_id": int(report_id)}
            ).fetchall()
        return _frame_from_rows("report_events", rows)

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
        params = {
            "report_id": int(report_id),
            "data": check_photo_bytes(data, mime),
            "mime": mime,
            "name": name,
            "width": width,
            "height": height,
            "added_by": added_by,
        }
        with self._transaction() as conn:
            row = conn.execute(query("photo_insert"), params).fetchone()
        if row is None:
            raise StoreError("store.no_report", report_id=report_id)
        return int(row[0])

    def photos(self, report_id: int) -> list[Photo]:
        with self._transaction() as conn:
            rows = conn.execute(query("photos_of_report"), {"report_id": int(report_id)}).fetchall()
        return [photo_from_row(row) for row in rows]

    # --- versions of grids (geo/store/postgis_grids.py) --------------------------------
    def save_grids(self, community_id, grids, base, actor=None, note=None):
        from geo.store import postgis_grids

        return postgis_grids.save_grids(self, community_id, grids, base, actor, note)

    def grid_versions(self, community_id: str) -> pd.DataFrame:
        from geo.store import postgis_grids

        return postgis_grids.grid_versions(self, community_id)

    def grid_version(self, community_id: str, version: int) -> pd.DataFrame:
        from geo.store import postgis_grids

        return postgis_grids.grid_version(self, community_id, version)

    def _lock_row_writes(self, conn: psycopg.Connection) -> None:
        for name in ("reports", "report_events"):
            conn.execute(query("lock_for_row_write", table=name))


def _change_values(changes: dict) -> dict:
    """Bound values for an UPDATE of the given report columns, typed as the model says."""
    kinds = model.layer("reports").columns
    row = typed_report_row(changes)
    return {name: _python_values(row[name], kinds[name])[0] for name in changes}
