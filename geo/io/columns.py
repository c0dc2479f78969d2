"""Matching a file's columns to the fields of a layer: given mappings, then by name."""

from __future__ import annotations

import pandas as pd

from geo import model
from geo.errors import ImportFileError

LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度")
LAT_NAMES = ("lat", "latitude", "y", "纬度")
WKT_NAMES = ("wkt", "geometry", "geom")
COORDINATE_FIELDS = ("lon", "lat", "geometry")


# --- columns ---------------------------------------------------------------------------


def apply_mapping(
    table: pd.DataFrame, spec: model.Layer, mapping: dict[str, str] | None, tabular: bool, name: str
) -> pd.DataFrame:
    """Rename source columns to model fields: ``--map`` first, then same-named columns."""
    renames: dict[str, str] = {}
    for field_name, column in (mapping or {}).items():
        target = str(field_name).strip().lower()
        if target not in spec.columns and target not in COORDINATE_FIELDS:
            fields = ", ".join([*spec.columns, *COORDINATE_FIELDS])
            raise ImportFileError(
                f"--map {field_name}={column}: {spec.name} has no field {field_name!r}; "
                f"its fields are: {fields}."
            )
        if target in COORDINATE_FIELDS and not tabular:
            raise ImportFileError(
                f"--map {field_name}={column}: lon, lat and geometry can be mapped only in "
                "CSV and Excel files; spatial files carry their own geometry."
            )
        source_column = _find_column(table.columns, column)
        if source_column is None:
            columns = ", ".join(map(str, table.columns))
            raise ImportFileError(
                f"--map {field_name}={column}: {name} has no column {column!r}; "
                f"its columns are: {columns}."
            )
        renames[source_column] = target
    replaced = [c for c in table.columns if c in renames.values() and c not in renames]
    table = table.drop(columns=replaced).rename(columns=renames)
    by_case = {
        c: c.lower()
        for c in table.columns
        if c.lower() in spec.columns and c.lower() not in table.columns
    }
    return table.rename(columns=by_case)


def _find_column(columns: pd.Index, wanted: str) -> str | None:
    wanted = str(wanted).strip()
    if wanted in columns:
        return wanted
    for column in columns:
        if str(column).lower() == wanted.lower():
            return column
    return None


def first_named(columns: pd.Index, names: tuple[str, ...]) -> str | None:
    lowered = {str(c).strip().lower(): c for c in reversed(list(columns))}
    for name in names:
        if name in lowered:
            return lowered[name]
    return None


def require_key_columns(table: pd.DataFrame, spec: model.Layer, name: str) -> None:
    for column in spec.required:
        if column not in table.columns:
            columns = ", ".join(map(str, table.columns))
            raise ImportFileError(
                f"{name} has no {column} column ({spec.name} need one); its columns are: "
                f"{columns}. Name it with --map {column}=COLUMN."
            )


def column_notes(table: pd.DataFrame, spec: model.Layer) -> list[str]:
    used = set(spec.columns) | set(COORDINATE_FIELDS)
    used |= {c for c in table.columns if str(c).lower() in LON_NAMES + LAT_NAMES + WKT_NAMES}
    ignored = [str(c) for c in table.columns if c not in used]
    if not ignored:
        return []
    shown = ", ".join(ignored[:8]) + (", …" if len(ignored) > 8 else "")
    return [f"ignored columns that are not fields of {spec.name}: {shown}"]


def drop_report_ids(table: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Drop a report_id column: the store numbers reports itself."""
    if "report_id" not in table.columns:
        return table
    if table["report_id"].notna().any():
        hint = (
            ""
            if "external_id" in table.columns
            else "; to keep them as the source's ids, import with --map external_id=report_id"
        )
        notes.append(f"ignored the report_id column: the store numbers reports itself{hint}")
    return table.drop(columns="report_id")
