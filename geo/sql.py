"""Named SQL: the text of geo/queries/*.sql and geo/queries/migrations/*.sql, by name.

The PostGIS store keeps its SQL out of Python. A query file may name tables and
columns as ``{placeholders}``, which :func:`query` fills with quoted identifiers
(:mod:`psycopg.sql`), never with values: values are always bound parameters
(``%(name)s``) passed to ``execute``.

Migrations are numbered files, ``0001_layers.sql``, ``0002_...``; each runs as one
transaction, in number order, and is recorded in the database (see
:func:`geo.store.postgis.migrate`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# Inside the package (package data in pyproject.toml), so a plain, non-editable
# `pip install` carries the SQL along with the code.
QUERIES_DIR = Path(__file__).resolve().parent / "queries"
MIGRATIONS_DIR = QUERIES_DIR / "migrations"

_QUERY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_MIGRATION_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@cache
def load_query(name: str) -> str:
    """The text of ``geo/queries/<name>.sql``.

    Parameters
    ----------
    name : the file name without ``.sql``: lower-case letters, digits and underscores.

    Raises
    ------
    KeyError when there is no such query (or the name is not a plain query name).
    """
    if not _QUERY_NAME.match(name):
        raise KeyError(f"{name!r} is not a query name (lower-case letters, digits, _)")
    path = QUERIES_DIR / f"{name}.sql"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyError(f"no query {name!r}: {path} does not exist") from None


def query(name: str, **identifiers):
    """The query ``name`` as a :class:`psycopg.sql.Composed`, placeholders filled.

    Each keyword is a ``{placeholder}`` of the file: a string becomes a quoted
    identifier; a :class:`psycopg.sql.Composable` (e.g. a list of identifiers joined
    with ``sql.SQL(", ").join``) is used as it is. Values never go here.
    """
    from psycopg import sql

    parts = {
        key: sql.Identifier(value) if isinstance(value, str) else value
        for key, value in identifiers.items()
    }
    return sql.SQL(load_query(name)).format(**parts)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Migration:
    """One versioned schema change."""

    version: int
    name: str  # e.g. "0001_layers"
    path: Path

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def migrations(directory: Path | str | None = None) -> list[Migration]:
    """The migrations in ``directory`` (default geo/queries/migrations), in version order.

    Files not named ``NNNN_name.sql`` are ignored; two files with the same number are
    an error, so the order is never ambiguous.
    """
    folder = Path(directory) if directory is not None else MIGRATIONS_DIR
    found: dict[int, Migration] = {}
    for path in sorted(folder.glob("*.sql")):
        match = _MIGRATION_FILE.match(path.name)
        if not match:
            continue
        version = int(match.group(1))
        if version in found:
            raise ValueError(
                f"two migrations numbered {version:04d}: {found[version].path.name} and {path.name}"
            )
        found[version] = Migration(version, path.stem, path)
    return [found[v] for v in sorted(found)]
