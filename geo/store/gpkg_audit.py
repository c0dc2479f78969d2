"""The audit log and the users table in the GeoPackage store.

``audit_log`` and ``users`` are attributes tables (listed in gpkg_contents, so QGIS
shows them). Triggers on every audited table write the log, generated here from the
model's columns; triggers on the log refuse updates and deletes. The person acting
reaches the triggers through ``audit_context``, a one-row table that the store
fills at the start of its write transaction and empties before it commits: a write
by another program (QGIS) finds it empty and is logged with no actor.
"""

from __future__ import annotations

import sqlite3
import uuid

import pandas as pd

from geo import model
from geo.access import User
from geo.store import audit

USERS = "users"
USER_COLUMNS = (
    "name",
    "full_name",
    "role",
    "community_id",
    "grids",
    "password_hash",
    "disabled",
    "created_at",
    "password_changed_at",
)
_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
_DDL = (
    f"""CREATE TABLE IF NOT EXISTS {audit.TABLE} (
        audit_id INTEGER PRIMARY KEY AUTOINCREMENT,
        at DATETIME NOT NULL,
        actor TEXT,
        community_id TEXT,
        entity TEXT NOT NULL,
        entity_id TEXT,
        action TEXT NOT NULL,
        before TEXT,
        after TEXT,
        tx TEXT
    )""",
    f"CREATE INDEX IF NOT EXISTS {audit.TABLE}_at ON {audit.TABLE} (at)",
    f"""CREATE TABLE IF NOT EXISTS {USERS} (
        name TEXT PRIMARY KEY,
        full_name TEXT,
        role TEXT NOT NULL,
        community_id TEXT,
        grids TEXT,
        password_hash TEXT NOT NULL,
        disabled BOOLEAN NOT NULL DEFAULT 0,
        created_at DATETIME NOT NULL,
        password_changed_at DATETIME
    )""",
    """CREATE TABLE IF NOT EXISTS audit_context (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        actor TEXT,
        bulk BOOLEAN NOT NULL DEFAULT 0,
        tx TEXT NOT NULL
    )""",
    f"""CREATE TRIGGER IF NOT EXISTS {audit.TABLE}_no_update BEFORE UPDATE ON {audit.TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {audit.TABLE}_no_delete BEFORE DELETE ON {audit.TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
)


def _columns(table: str) -> list[str]:
    if table == USERS:
        return [c for c in USER_COLUMNS if c not in audit.SECRET_COLUMNS]
    spec = model.layer(table)
    return [*spec.columns, *(["geom"] if spec.geometry else [])]


def _json(row: str, columns: list[str]) -> str:
    # json_object cannot hold a BLOB: the geometry goes in as hex (audit.changes reads it).
    parts = []
    for column in columns:
        value = f'hex({row}."{column}")' if column == "geom" else f'{row}."{column}"'
        parts.append(f"'{column}', {value}")
    return f"json_object({', '.join(parts)})"


def _triggers(table: str, key: str) -> list[str]:
    columns = _columns(table)
    community = "NULL" if "community_id" not in columns else "{row}.community_id"
    not_bulk = "NOT EXISTS (SELECT 1 FROM audit_context WHERE bulk)"
    insert = (
        f"INSERT INTO {audit.TABLE} (at, actor, community_id, entity, entity_id, action, "
        "before, after, tx) VALUES ("
        f"{_NOW}, (SELECT actor FROM audit_context), {{community}}, '{table}', "
        f"{{row}}.\"{key}\", '{{action}}', {{before}}, {{after}}, "
        "(SELECT tx FROM audit_context))"
    )
    changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in columns)
    if table == USERS:
        changed += " OR OLD.password_hash IS NOT NEW.password_hash"
    bodies = {
        "insert": ("", "NEW", "NULL", _json("NEW", columns)),
        "update": (f" AND ({changed})", "NEW", _json("OLD", columns), _json("NEW", columns)),
        "delete": ("", "OLD", _json("OLD", columns), "NULL"),
    }
    out = []
    for action, (when, row, before, after) in bodies.items():
        statement = insert.format(
            community=community.format(row=row),
            row=row,
            action=action,
            before=before,
            after=after,
        )
        out.append(
            f'CREATE TRIGGER "audit_{table}_{action}" AFTER {action.upper()} '
            f'ON "{table}" WHEN {not_bulk}{when} BEGIN {statement}; END'
        )
    return out


def _ensure_trigger(conn: sqlite3.Connection, statement: str) -> None:
    """Create the trigger, or replace it when the model's columns have changed since."""
    name = statement.split('"')[1]
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
    ).fetchone()
    if row is not None and row[0] == statement:
        return
    if row is not None:
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute(statement)


def ensure_tables(conn: sqlite3.Connection) -> None:
    """Create the log, the users table, their gpkg_contents rows and the triggers, once."""
    for statement in _DDL:
        conn.execute(statement)
    for table, description in ((audit.TABLE, "Audit log"), (USERS, "Users")):
        conn.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
            f"last_change) SELECT ?, 'attributes', ?, ?, {_NOW} "
            "WHERE NOT EXISTS (SELECT 1 FROM gpkg_contents WHERE table_name = ?)",
            (table, table, description, table),
        )
    for table, key in audit.AUDITED.items():
        for statement in _triggers(table, key):
            _ensure_trigger(conn, statement)


def begin(conn: sqlite3.Connection, actor: User | None, bulk: bool = False) -> None:
    """Name the person acting (and whether this is a bulk write) for the triggers."""
    conn.execute(
        "INSERT OR REPLACE INTO audit_context (id, actor, bulk, tx) VALUES (1, ?, ?, ?)",
        (None if actor is None else actor.label, int(bulk), uuid.uuid4().hex),
    )


def end(conn: sqlite3.Connection) -> None:
    """Empty the context before the transaction commits."""
    conn.execute("DELETE FROM audit_context")


def record_bulk(conn: sqlite3.Connection, entity: str, community_id, details: str) -> None:
    """One log row for a bulk write of ``entity`` (see :func:`geo.store.audit.bulk_details`)."""
    conn.execute(
        f"INSERT INTO {audit.TABLE} (at, actor, community_id, entity, entity_id, action, "
        f"before, after, tx) SELECT {_NOW}, actor, ?, ?, NULL, 'bulk', NULL, ?, tx "
        "FROM audit_context",
        (community_id, entity, details),
    )


def read_log(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every row of the log, as stored."""
    names = ", ".join(audit.COLUMNS)
    return pd.read_sql_query(f"SELECT {names} FROM {audit.TABLE}", conn)


def read_users(conn: sqlite3.Connection) -> pd.DataFrame:
    frame = pd.read_sql_query(f"SELECT {', '.join(USER_COLUMNS)} FROM {USERS} ORDER BY name", conn)
    frame["disabled"] = frame["disabled"].astype(bool)
    return frame


def insert_user(conn: sqlite3.Connection, row: dict) -> None:
    names = [c for c in USER_COLUMNS if c in row]
    conn.execute(
        f"INSERT INTO {USERS} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
        [row[c] for c in names],
    )


def update_user(conn: sqlite3.Connection, name: str, changes: dict) -> int:
    assignments = ", ".join(f'"{c}" = ?' for c in changes)
    cur = conn.execute(
        f"UPDATE {USERS} SET {assignments} WHERE name = ?", [*changes.values(), name]
    )
    return cur.rowcount
