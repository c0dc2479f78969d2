"""Exporting a layer to the files people use (DESIGN.md §5).

GeoJSON (RFC 7946, WGS 84), GeoPackage, zipped Shapefile (with .prj, column names
cut to ten characters the same way every time), CSV (UTF-8 with BOM so Excel shows
Chinese; points as lon/lat columns, other geometries as WKT) and Excel.

Times are shown in the zone of each row's community (the community layer's ``tz``,
else GRIDMAP_TZ): with the row's offset where the format keeps one, as the local
wall-clock time in Excel.

Residents' names and phone numbers (also mobile numbers written inside a report's
description or an event's note) are masked unless ``include_private=True``. A file
is written beside its target and moved into place when complete, so a failed export
never leaves half a file; the target's folder must already exist.
"""

from __future__ import annotations

import os
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import shapely
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from geo import access, model
from geo.config import Settings
from geo.errors import ExportError
from geo.privacy import PRIVATE_LAYERS, map_objects, mask_private
from geo.store.base import Store, community_zones

DEFAULT_TZ = Settings.tz  # the community's zone when none is configured (Asia/Shanghai)
WKT_COLUMN = "wkt"
WKT_DECIMALS = 9  # 1e-9 degrees is a tenth of a millimetre

# Shapefile (dBASE) column names hold at most ten characters. Every model column
# longer than that has a fixed short name here, which the importer reads back.
SHAPEFILE_FIELDS = {
    "community_id": "comm_id",
    "worker_name": "wkr_name",
    "worker_phone": "wkr_phone",
    "building_id": "bldg_id",
    "elderly_share": "elder_shr",
    "external_id": "ext_id",
    "category_text": "cat_text",
    "description": "descr",
    "reporter_name": "rep_name",
    "reporter_phone": "rep_phone",
    "escalation_level": "esc_level",
    "duplicate_of": "dup_of",
    "grid_by_hand": "grid_hand",
}

EXCEL_MAX_ROWS = 1_048_575  # one row is the header
EXCEL_MAX_CELL_CHARS = 32_767
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_layer(
    store: Store,
    layer: str,
    path: str | Path,
    community_id: str | None = None,
    include_private: bool = False,
    tz: str = DEFAULT_TZ,
) -> int:
    """Write ``layer`` of ``store`` to ``path``, in the format its extension names.

    Parameters
    ----------
    store
        The store to read from.
    layer
        A layer of :mod:`geo.model`.
    path
        The file to write: .geojson, .gpkg, .zip (zipped Shapefile), .csv or .xlsx.
        An existing file is replaced; its folder must exist.
    community_id
        Export one community only (default: all).
    include_private
        Keep reporter_name, reporter_phone and phone numbers inside description
        (reports) and note (report_events) as stored instead of masking them. Through
        a :class:`geo.store.guarded.GuardedStore`, only for the roles of
        :data:`geo.access.PRIVATE_EXPORTERS`.
    tz
        The default zone (GRIDMAP_TZ). Each row's timestamps are written in the zone
        of its community (the community layer's ``tz``), or in ``tz`` when that is
        empty: GeoJSON, GeoPackage, CSV and Shapefile with the row's offset, Excel,
        which has no zones, as the row's local time.

    Returns
    -------
    int
        The number of rows written.

    Raises
    ------
    ExportError
        For an unknown extension, a layer the format cannot hold, a folder that does
        not exist, or a failed write.
    """
    path = Path(path)
    writer = _writer_for(path)
    spec = _layer(layer)
    if spec.geometry is None and path.suffix.lower() not in (".csv", ".xlsx"):
        raise ExportError("export.no_geometry", layer=layer)
    if not path.parent.is_dir():
        raise ExportError("export.no_folder", folder=str(path.parent))
    _refuse_store_file(store, path)
    acting = getattr(store, "user", None)  # a GuardedStore's person; the CLI acts as admin
    if layer in PRIVATE_LAYERS and include_private and acting is not None:
        access.require_private_export(acting)
    frame = store.read(layer, community_id)
    if layer in PRIVATE_LAYERS and not include_private:
        frame = mask_private(frame)
    zones = _row_zones(store, frame, spec, tz)
    _write_in_place(path, lambda target: writer(frame, spec, target, zones))
    return len(frame)


def shapefile_field_names(columns) -> dict[str, str]:
    """Ten-character names for ``columns``: fixed ones from :data:`SHAPEFILE_FIELDS`,
    otherwise the first ten characters, numbered when two would clash."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        short = SHAPEFILE_FIELDS.get(column, str(column)[:10])
        number = 1
        while short.lower() in taken:
            suffix = f"_{number}"
            short = str(column)[: 10 - len(suffix)] + suffix
            number += 1
        names[column] = short
        taken.add(short.lower())
    return names


# --- plumbing --------------------------------------------------------------------------


def _writer_for(path: Path) -> Callable:
    writers = {
        ".geojson": _write_geojson,
        ".json": _write_geojson,
        ".gpkg": _write_geopackage,
        ".zip": _write_shapefile_zip,
        ".csv": _write_csv,
        ".xlsx": _write_xlsx,
    }
    suffix = path.suffix.lower()
    if suffix not in writers:
        raise ExportError("export.unknown_format", name=path.name)
    return writers[suffix]


def _layer(name: str) -> model.Layer:
    if name not in model.LAYERS:
        raise ExportError("export.unknown_layer", value=repr(name), known=", ".join(model.LAYERS))
    return model.layer(name)


def _refuse_store_file(store: Store, path: Path) -> None:
    store_path = Path(getattr(store, "path", "") or "")
    if store_path.name and path.resolve() == store_path.resolve():
        raise ExportError("export.is_store", path=str(path))


def _write_in_place(path: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary file beside ``path``, then move it into place."""
    try:
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".export-") as workdir:
            target = Path(workdir) / path.name
            write(target)
            os.replace(target, path)
    except ExportError:
        raise
    except Exception as exc:  # GDAL, openpyxl and the file system raise many kinds
        first = str(exc).strip().splitlines()
        raise ExportError(
            "export.write_failed",
            name=path.name,
            reason=first[0] if first else type(exc).__name__,
        ) from exc


def _time_columns(spec: model.Layer) -> list[str]:
    return [c for c, kind in spec.columns.items() if kind == model.TIME]


def _row_zones(store: Store, frame: pd.DataFrame, spec: model.Layer, default: str) -> pd.Series:
    """The zone each row's times are shown in: its community's, else ``default``."""
    if not _time_columns(spec) or frame.empty:
        return pd.Series(default, index=frame.index, dtype=object)
    zones = community_zones(store, default)
    return map_objects(frame["community_id"], lambda cid: zones.get(cid, default))


def _zoned(values: pd.Series, zones: pd.Series) -> pd.Series:
    """Each timestamp of ``values`` in the zone of its row (``zones``, aligned by position).

    A pandas column holds one zone, so when the rows have several the result is an
    object column of Timestamps, each with its own offset (pyogrio writes such a
    column as DateTime, row by row); with one zone it stays a zoned datetime column.
    """
    names = pd.unique(zones.to_numpy(dtype=object))
    if len(names) == 0:
        return values
    if len(names) == 1 or values.isna().all():
        return values.dt.tz_convert(names[0])
    row_zones = zones.to_numpy(dtype=object)
    out = np.empty(len(values), dtype=object)
    for name in names:
        rows = row_zones == name
        out[rows] = values[rows].dt.tz_convert(name).astype(object).to_numpy()
    return pd.Series(out, index=values.index, dtype=object)


def _local_times(frame: pd.DataFrame, spec: model.Layer, zones: pd.Series) -> pd.DataFrame:
    frame = frame.copy()
    for column in _time_columns(spec):
        frame[column] = _zoned(frame[column], zones)
    return frame


def _iso_times(frame: pd.DataFrame, spec: model.Layer, zones: pd.Series) -> pd.DataFrame:
    """Timestamps as ISO 8601 text in local time with its offset (2024-05-01T08:30:00+08:00)."""
    frame = frame.copy()
    for column in _time_columns(spec):
        local = _zoned(frame[column], zones)
        frame[column] = map_objects(local, lambda t: None if pd.isna(t) else t.isoformat())
    return frame


def _naive_local_times(values: pd.Series, zones: pd.Series) -> pd.Series:
    """Each timestamp as the wall-clock time of its row's zone, without the zone."""
    local = _zoned(values, zones)
    if isinstance(local.dtype, pd.DatetimeTZDtype):
        return local.dt.tz_localize(None)
    return map_objects(local, lambda t: t if pd.isna(t) else t.tz_localize(None))


def _vector_options(frame, spec: model.Layer) -> dict:
    if spec.geometry == "MultiPolygon":
        return {"geometry_type": "MultiPolygon", "promote_to_multi": True}
    if spec.geometry in ("Point", "Polygon"):
        return {"geometry_type": spec.geometry}
    return {"geometry_type": _single_geometry_type(frame) or "Unknown"}


def _single_geometry_type(frame) -> str | None:
    types = set(frame.geometry.dropna().geom_type)
    if types <= {"Point"} and types:
        return "Point"
    if types and types <= {"Polygon", "MultiPolygon"}:
        return "MultiPolygon" if "MultiPolygon" in types else "Polygon"
    return None


def _write_vector(frame, path: Path, **options) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pyogrio.write_dataframe(frame, path, **options)


# --- formats ---------------------------------------------------------------------------


def _write_geojson(frame, spec: model.Layer, path: Path, zones: pd.Series) -> None:
    frame = _local_times(frame, spec, zones)
    options = _vector_options(frame, spec)
    _write_vector(frame, path, driver="GeoJSON", layer=spec.name, RFC7946="YES", **options)


def _write_geopackage(frame, spec: model.Layer, path: Path, zones: pd.Series) -> None:
    frame = _local_times(frame, spec, zones)
    options = _vector_options(frame, spec)
    _write_vector(frame, path, driver="GPKG", layer=spec.name, **options)


def _write_shapefile_zip(frame, spec: model.Layer, path: Path, zones: pd.Series) -> None:
    options = _vector_options(frame, spec)
    if options["geometry_type"] == "Unknown" and len(frame):
        raise ExportError("export.mixed_geometries", layer=spec.name)
    frame = _iso_times(frame, spec, zones)
    frame = frame.rename(columns=shapefile_field_names(spec.columns))
    folder = path.parent / "shapefile"
    folder.mkdir()
    _write_vector(
        frame, folder / f"{spec.name}.shp", driver="ESRI Shapefile", encoding="UTF-8", **options
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part in sorted(folder.iterdir()):
            archive.write(part, arcname=part.name)


def _flat_table(frame, spec: model.Layer) -> pd.DataFrame:
    """The layer as a plain table: lon/lat columns for points, WKT for other geometries."""
    table = pd.DataFrame({c: frame[c] for c in spec.columns})
    if spec.geometry is None:
        return table
    geometry = frame.geometry.to_numpy()
    if spec.geometry == "Point":
        table["lon"] = shapely.get_x(geometry)
        table["lat"] = shapely.get_y(geometry)
    else:
        table[WKT_COLUMN] = shapely.to_wkt(geometry, rounding_precision=WKT_DECIMALS)
    return table


def _write_csv(frame, spec: model.Layer, path: Path, zones: pd.Series) -> None:
    table = _flat_table(_iso_times(frame, spec, zones), spec)
    for column in table.columns:
        if table[column].dtype == object:
            table[column] = map_objects(table[column], _guard_formula)
    table.to_csv(path, index=False, encoding="utf-8-sig")


def guard_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` for a CSV file: text a spreadsheet would run as a formula
    (starting with = + - @) gets a quote before it, as :func:`export_layer` writes it."""
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = map_objects(out[column].astype(object), _guard_formula)
    return out


def formulas_as_text(sheet) -> None:
    """Make every cell of an openpyxl ``sheet`` that holds text starting with "=" (which
    openpyxl, and pandas' ``to_excel`` through it, take for a formula) plain text."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _guard_formula(value: object) -> object:
    """Put a quote before text Excel would run as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _write_xlsx(frame, spec: model.Layer, path: Path, zones: pd.Series) -> None:
    table = _flat_table(frame, spec)
    for column in _time_columns(spec):
        table[column] = _naive_local_times(table[column], zones)  # Excel has no zones
    if len(table) > EXCEL_MAX_ROWS:
        raise ExportError("export.too_many_rows", layer=spec.name, n=f"{len(table):,}")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title=spec.name[:31])
    sheet.append(list(table.columns))
    for row in table.itertuples(index=False, name=None):
        sheet.append([_excel_cell(sheet, value, spec) for value in row])
    book.save(path)


def _excel_cell(sheet, value: object, spec: model.Layer):
    """A value openpyxl writes as data: never a formula, never an illegal character."""
    if model.is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()  # openpyxl gives it a date format
    if isinstance(value, np.generic):
        return value.item()
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(text) > EXCEL_MAX_CELL_CHARS:
        raise ExportError("export.cell_too_long", layer=spec.name, n=f"{len(text):,}")
    if text.startswith("="):
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # text, not a formula
        return cell
    return text


# --- the secretary's report sheet ------------------------------------------------------

SHEET_COLUMNS = (
    "id",
    "category",
    "description",
    "grid",
    "building",
    "created",
    "accepted",
    "dispatched",
    "resolved",
    "closed",
    "status",
    "days_open",
    "overdue",
    "rating",
)
SHEET_FORMATS = (".csv", ".xlsx")


def report_sheet(
    reports: pd.DataFrame,
    events: pd.DataFrame,
    buildings: pd.DataFrame,
    zones: dict[str, str],
    lang: str,
    now,
    categories: pd.DataFrame | None = None,
    default_tz: str = DEFAULT_TZ,
) -> pd.DataFrame:
    """The reports as a secretary reads them: one row each, the columns of SHEET_COLUMNS.

    Parameters
    ----------
    reports, events, buildings
        The community's layers.
    zones
        community_id to time zone; each row's times are its community's wall-clock
        times (``default_tz`` for a community not listed).
    lang
        Language of the headers, categories, statuses and yes/no.
    now
        The moment open reports are measured at (days open, overdue).
    categories
        The category table.

    Returns
    -------
    pandas.DataFrame
        Headers in ``lang``. accepted and dispatched are the first time the report
        reached that state, resolved and closed the last (a reopened report counts
        its last resolution). days open run from created to closed_at, or to ``now``
        while open. overdue: resolved after the due time, or open past it.
    """
    from geo.categories import category_name, load_categories
    from geo.i18n import t, t_or
    from geo.lifecycle import resolved_late

    table = load_categories() if categories is None else categories
    reports = mask_private(reports)
    now_ts = pd.Timestamp(now)
    now_ts = now_ts.tz_localize("UTC") if now_ts.tzinfo is None else now_ts.tz_convert("UTC")
    reached = _times_reached(events, reports["report_id"])
    closed_at = reports["closed_at"]
    resolved = reached["resolved"].fillna(closed_at.where(reports["status"] == "resolved"))
    closed = reached["closed"].fillna(closed_at.where(reports["status"] == "closed"))
    finished = reports["status"].isin(model.DONE_STATUSES) & closed_at.notna()
    end = closed_at.where(finished, now_ts)
    days_open = ((end - reports["created_at"]).dt.total_seconds() / 86400).round(1)
    late = resolved_late(reports["due_at"], resolved, reports["status"], now_ts)
    shown = buildings["name"].fillna(buildings["building_id"])
    names = dict(zip(buildings["building_id"], shown, strict=True))
    row_zones = map_objects(reports["community_id"], lambda cid: zones.get(cid, default_tz))
    yes, no = t("reports.sheet.yes", lang), t("reports.sheet.no", lang)
    columns = {
        "id": reports["report_id"],
        "category": map_objects(reports["category"], lambda c: category_name(c, lang, table)),
        "description": reports["description"],
        "grid": reports["grid_id"],
        "building": map_objects(reports["building_id"], lambda b: names.get(b, b)),
        "created": reports["created_at"],
        "accepted": reached["accepted"],
        "dispatched": reached["dispatched"],
        "resolved": resolved,
        "closed": closed,
        "status": map_objects(reports["status"], lambda s: t_or(f"status.{s}", str(s), lang)),
        "days_open": days_open.where(reports["created_at"].notna()),
        "overdue": map_objects(late, lambda v: yes if v else no),
        "rating": reports["rating"],
    }
    sheet = pd.DataFrame(columns, index=reports.index)
    for name in ("created", "accepted", "dispatched", "resolved", "closed"):
        sheet[name] = _naive_local_times(pd.to_datetime(sheet[name], utc=True), row_zones)
    sheet.columns = [t(f"reports.sheet.{c}", lang) for c in SHEET_COLUMNS]
    return sheet.reset_index(drop=True)


def _times_reached(events: pd.DataFrame, report_ids: pd.Series) -> pd.DataFrame:
    """Per report (aligned with ``report_ids``): first accepted and dispatched, last
    resolved and closed, from the event log."""
    out = pd.DataFrame(index=report_ids.index)
    for status, how in (
        ("accepted", "min"),
        ("dispatched", "min"),
        ("resolved", "max"),
        ("closed", "max"),
    ):
        mine = events[events["to_status"] == status]
        times = mine.groupby("report_id")["at"].agg(how) if len(mine) else pd.Series()
        out[status] = pd.to_datetime(report_ids.map(times), utc=True)
    return out


def export_report_sheet(
    store: Store,
    path: str | Path,
    community_id: str | None = None,
    lang: str = "en",
    tz: str = DEFAULT_TZ,
    now=None,
    categories: pd.DataFrame | None = None,
) -> int:
    """Write the secretary's report sheet (:func:`report_sheet`) to a .csv or .xlsx file.

    Parameters
    ----------
    store
        The store to read.
    path
        The .csv or .xlsx file (replaced when it exists; written whole or not at all).
    community_id
        Only this community (default: all).
    lang
        Language of the headers and values.
    tz
        The zone of communities without one of their own.
    now
        The moment open reports are measured at (default: now).
    categories
        The category table.

    Returns
    -------
    int
        The number of reports written.

    Raises
    ------
    ExportError
        For another extension, a missing folder or a failed write.
    """
    path = Path(path)
    if path.suffix.lower() not in SHEET_FORMATS:
        raise ExportError("export.unknown_format", name=path.name)
    if not path.parent.is_dir():
        raise ExportError("export.no_folder", folder=str(path.parent))
    sheet = report_sheet(
        store.read("reports", community_id),
        store.read("report_events", community_id),
        store.read("buildings", community_id),
        community_zones(store, tz),
        lang,
        pd.Timestamp.now("UTC") if now is None else now,
        categories,
        tz,
    )
    _write_in_place(path, lambda target: write_sheet(sheet, target))
    return len(sheet)


def write_sheet(sheet: pd.DataFrame, path: Path) -> None:
    """A plain table to .csv (UTF-8 with BOM, formulas guarded) or .xlsx (data only)."""
    if path.suffix.lower() == ".csv":
        table = sheet.copy()
        for column in table.columns:
            if pd.api.types.is_datetime64_any_dtype(table[column]):
                table[column] = table[column].dt.strftime("%Y-%m-%d %H:%M")
            elif table[column].dtype == object:
                table[column] = map_objects(table[column], _guard_formula)
        table.to_csv(path, index=False, encoding="utf-8-sig")
        return
    spec = model.layer("reports")
    book = openpyxl.Workbook(write_only=True)
    out = book.create_sheet(title="reports")
    out.append(list(sheet.columns))
    for row in sheet.itertuples(index=False, name=None):
        out.append([_excel_cell(out, value, spec) for value in row])
    book.save(path)
