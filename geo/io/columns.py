"""Matching a file's columns to the fields of a layer: given mappings, then by name."""

from __future__ import annotations

import pandas as pd

from geo import model
from geo.errors import ImportFileError
from geo.i18n import msg

LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度")
LAT_NAMES = ("lat", "latitude", "y", "纬度")
WKT_NAMES = ("wkt", "geometry", "geom")
COORDINATE_FIELDS = ("lon", "lat", "geometry")


def apply_mapping(
    table: pd.DataFrame, spec: model.Layer, mapping: dict[str, str] | None, tabular: bool, name: str
) -> pd.DataFrame:
    """Give model fields their source columns: ``--map`` first, then same-named columns.

    One source column may feed several fields (``--map community_id=name`` beside a
    ``name`` column). A mapped column keeps its own name too when that name is a
    field of the layer, so it still feeds that field; otherwise it is consumed.
    """
    sources: dict[str, str] = {}
    for field_name, column in (mapping or {}).items():
        target = str(field_name).strip().lower()
        if target not in spec.columns and target not in COORDINATE_FIELDS:
            fields = ", ".join([*spec.columns, *COORDINATE_FIELDS])
            raise ImportFileError(
                "io.map_no_field", field=field_name, column=column, layer=spec.name, fields=fields
            )
        if target in COORDINATE_FIELDS and not tabular:
            raise ImportFileError("io.map_coordinates", field=field_name, column=column)
        source_column = find_column(table.columns, column)
        if source_column is None:
            columns = ", ".join(map(str, table.columns))
            raise ImportFileError(
                "io.map_no_column", field=field_name, column=column, name=name, columns=columns
            )
        sources[target] = source_column
    own_fields = _fields_a_file_may_name(spec)
    out = table.drop(
        columns=[
            c
            for c in table.columns
            # shadowed by a mapping, or consumed by one
            if (c in sources and c not in sources.values())
            or (c in sources.values() and c not in sources and c.lower() not in own_fields)
        ]
    )
    for target, source_column in sources.items():
        out[target] = table[source_column]
    by_case = {
        c: c.lower() for c in out.columns if c.lower() in spec.columns and c.lower() not in out
    }
    return out.rename(columns=by_case)


def _fields_a_file_may_name(spec: model.Layer) -> set[str]:
    """The layer's fields, but not report_id: the store numbers reports itself."""
    return set(spec.columns) - ({"report_id"} if spec.name == "reports" else set())


def find_column(columns: pd.Index, wanted: str) -> str | None:
    """The column named ``wanted``, exactly or else in any case; None when absent."""
    wanted = str(wanted).strip()
    if wanted in columns:
        return wanted
    for column in columns:
        if str(column).lower() == wanted.lower():
            return column
    return None


def first_named(columns: pd.Index, names: tuple[str, ...]) -> str | None:
    """The first of ``names`` (in their order) that is a column, in any case."""
    lowered = {str(c).strip().lower(): c for c in reversed(list(columns))}
    for name in names:
        if name in lowered:
            return lowered[name]
    return None


def require_key_columns(table: pd.DataFrame, spec: model.Layer, name: str) -> None:
    """Refuse a file without a column the layer cannot do without."""
    for column in spec.required:
        if column not in table.columns:
            columns = ", ".join(map(str, table.columns))
            key = "io.no_community_column" if column == "community_id" else "io.no_key_column"
            raise ImportFileError(key, name=name, column=column, layer=spec.name, columns=columns)


def column_notes(table: pd.DataFrame, spec: model.Layer) -> list[str]:
    """A note naming the file's columns that feed no field."""
    used = set(spec.columns) | set(COORDINATE_FIELDS)
    used |= {c for c in table.columns if str(c).lower() in LON_NAMES + LAT_NAMES + WKT_NAMES}
    ignored = [str(c) for c in table.columns if c not in used]
    if not ignored:
        return []
    shown = ", ".join(ignored[:8]) + (", …" if len(ignored) > 8 else "")
    return [msg("io.note.ignored_columns", layer=spec.name, columns=shown)]


def drop_report_ids(table: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Drop a report_id column: the store numbers reports itself."""
    if "report_id" not in table.columns:
        return table
    if table["report_id"].notna().any():
        if "external_id" in table.columns:
            notes.append(msg("io.note.report_ids"))
        else:
            notes.append(msg("io.note.report_ids_hint"))
    return table.drop(columns="report_id")
