"""Importing a layer from the files people have (DESIGN.md §6: nothing is lost).

GeoJSON, GeoPackage, zipped Shapefile, CSV and Excel files are read, checked row by
row and written to the store in one call. A bad row is rejected with its number and
a short reason, written to ``<file>.rejects.csv`` beside the input, and the good rows
still go in. A file that cannot be imported at all raises
:class:`~geo.errors.ImportFileError` with one clear line, and nothing is written.

Rows are numbered the way a person finds them again. In a CSV or Excel file the
number is the spreadsheet row: the header is row 1, so the first data row is row 2,
and blank rows are skipped but still counted (a quoted cell that spans several lines
of a CSV file is one row, as in a spreadsheet). The first column of the rejects file
is then called ``row``. In a GeoJSON, GeoPackage or Shapefile the number is the
feature's position in the file, counting from 1, and the column is called
``feature``.

Coordinates end in WGS 84. ``crs`` names the system of the source coordinates (a
:func:`geo.crs.parse_crs` value); without it a spatial file's own CRS is used and a
CSV or Excel file is taken as WGS 84.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pyproj
import shapely

from geo import model
from geo.categories import FALLBACK, load_categories, match_category
from geo.crs import parse_crs, to_wgs84_transform
from geo.errors import ImportFileError
from geo.exporting import DEFAULT_TZ, SHAPEFILE_FIELDS
from geo.i18n import STATUS_NAMES
from geo.model import is_missing
from geo.privacy import map_objects
from geo.store.base import AssignSummary, InsertSummary, Store

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_ZIP_RATIO = 100
# Below this many unpacked bytes a high compression ratio is harmless (a Shapefile's
# .dbf of mostly blank text compresses very well), so the ratio is not checked.
ZIP_RATIO_MIN_BYTES = 10 * 1024 * 1024

LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度")
LAT_NAMES = ("lat", "latitude", "y", "纬度")
WKT_NAMES = ("wkt", "geometry", "geom")
COORDINATE_FIELDS = ("lon", "lat", "geometry")

SPATIAL_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip")
TABLE_SUFFIXES = (".csv", ".xlsx")
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")

_SWAP_MARGIN_DEG = 0.02  # about 2 km around the community when testing for swapped axes
_TRUE = {"true", "t", "yes", "y", "1", "是", "有"}
_FALSE = {"false", "f", "no", "n", "0", "否", "无"}
_POINT, _POLYGON, _MULTIPOLYGON = 0, 3, 6
# Open311 GeoReport v2 knows only open and closed; an open request is a new one to us.
_STATUS_SYNONYMS = {"open": "submitted"}


@dataclass
class ImportResult:
    """What an import did.

    ``imported`` counts rows written (new or replacing a stored row with the same
    key; ``replaced`` says how many of them replaced one), ``skipped`` rows already
    present (reports with a stored external_id), ``rejected`` bad rows (listed in
    ``rejects_path``), ``repaired`` polygons fixed with ``shapely.make_valid``.
    ``reassigned`` is the reassignment of open reports after grids or buildings
    were replaced as a whole (``replace=True``).
    """

    layer: str
    imported: int
    skipped: int
    rejected: int
    repaired: int
    rejects_path: Path | None
    notes: list[str] = field(default_factory=list)
    replaced: int = 0
    reassigned: AssignSummary | None = None


@dataclass
class _Source:
    """A file as read: its attribute table and, for spatial files, its geometries.

    Both are indexed by the number a person uses to find the row again: the
    spreadsheet row of a CSV or Excel file, the 1-based feature of a spatial file.
    """

    table: pd.DataFrame
    geometry: pd.Series | None  # shapely objects indexed like table; None for CSV/Excel
    crs: object | None  # the file's own CRS, if it declares one
    tabular: bool

    @property
    def unit(self) -> str:
        """What the numbers count: "row" (CSV, Excel) or "feature" (spatial files)."""
        return "row" if self.tabular else "feature"


@dataclass
class _Checked:
    good: gpd.GeoDataFrame
    rejected: pd.DataFrame
    notes: list[str]
    repaired: int
    # The source's category words of good reports stored as "other"; None elsewhere.
    other_category: pd.Series | None = None


class _Rejects:
    """Reasons collected per row number; a row with any reason is rejected."""

    def __init__(self, unit: str = "row") -> None:
        self.unit = unit  # "row" or "feature", as the numbers are called
        self.reasons: dict[int, list[str]] = {}

    def add(self, labels, reason: str) -> None:
        for label in labels:
            self.reasons.setdefault(int(label), []).append(reason)

    def add_where(self, mask: pd.Series, reason: str) -> None:
        self.add(mask.index[mask.to_numpy(dtype=bool)], reason)

    def mask(self, index: pd.Index) -> np.ndarray:
        return np.isin(index.to_numpy(), list(self.reasons))

    def __len__(self) -> int:
        return len(self.reasons)


# --- public API ------------------------------------------------------------------------


def read_source(
    path: str | Path,
    layer: str,
    crs: str | None = None,
    mapping: dict[str, str] | None = None,
    community_extent: tuple[float, float, float, float] | None = None,
    tz: str = DEFAULT_TZ,
    categories: pd.DataFrame | None = None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, list[str]]:
    """Read and check a file without writing anything.

    Parameters
    ----------
    path
        A .geojson/.json, .gpkg, .zip (zipped Shapefile), .csv or .xlsx file.
    layer
        The target layer of :mod:`geo.model` (e.g. "grids", "reports").
    crs
        The coordinate system of the source (see :func:`geo.crs.parse_crs`); None
        means the file's own CRS, or WGS 84 for CSV and Excel files.
    mapping
        ``{field: column}``: take the model field (or lon, lat, geometry) from the
        source column of another name.
    community_extent
        ``(minx, miny, maxx, maxy)`` of the community in WGS 84, used to recognise
        swapped latitude and longitude columns.
    tz
        The zone of timestamps written without one.
    categories
        The category table (default: the built-in one).

    Returns
    -------
    good, rejected, notes
        The good rows conformed to the model (community_id left empty where the file
        has none); the rejected rows with columns ``row`` (the spreadsheet row of a
        CSV or Excel file, the header being row 1) or ``feature`` (the 1-based feature
        of a spatial file), then ``reason`` and the source's own columns; one-line
        notes for the user.

    Raises
    ------
    ImportFileError
        When the file cannot be imported at all.
    """
    checked = _read_checked(Path(path), layer, crs, mapping, community_extent, tz, categories)
    return checked.good, checked.rejected, checked.notes + _other_category_notes(checked)


def import_file(
    store: Store,
    layer: str,
    path: str | Path,
    crs: str | None = None,
    mapping: dict[str, str] | None = None,
    community_id: str | None = None,
    tz: str = DEFAULT_TZ,
    categories: pd.DataFrame | None = None,
    replace: bool = False,
) -> ImportResult:
    """Import a file into ``layer`` of ``store``: check everything, then write once.

    Parameters
    ----------
    store
        The store to write to.
    layer, path, crs, mapping, tz, categories
        As for :func:`read_source`.
    community_id
        The community of rows whose file has no community_id; default: the single
        community in the store. It must be in the store already (unless ``layer`` is
        "community"), and so must every community_id the file names: a row naming
        another community is rejected.
    replace
        Replace the community's whole layer with the file (for a redrawn set of grids,
        say) instead of adding rows and replacing those with the same key. Refused for
        reports, and for a file with rejected rows, since rows would be lost.

    Returns
    -------
    ImportResult
        Counts, notes and the path of the rejects file (None when nothing was
        rejected; a stale rejects file from an earlier run is removed).

    Raises
    ------
    ImportFileError
        When the file cannot be imported at all (also for a ``community_id`` that is
        not in the store); nothing is written then.
    """
    path = Path(path)
    _target_layer(layer)
    known = default = None
    if layer != "community":
        known = store.community_ids()
        if community_id is not None and community_id not in known:
            raise ImportFileError(
                f"community {community_id!r} is not in the store; known: {_listed(known)} "
                "(import the community layer first)"
            )
        default = community_id
        if default is None and len(known) == 1:
            default = known[0]
    extent = _community_extent(store, community_id)
    checked = _read_checked(path, layer, crs, mapping, extent, tz, categories, known, default)
    _require_community(checked.good, layer, known, path)
    if replace:
        return _replace_layer(store, layer, path, checked)
    kept = None
    if checked.other_category is not None and checked.other_category.notna().any():
        kept = ~_stored_already(store, checked)  # before writing: the store skips these
    summary = _write(store, layer, checked.good)
    rejects_path = _write_rejects(path, checked.rejected)
    notes = (
        checked.notes
        + _other_category_notes(checked, kept)
        + _kept_rows_note(store, layer, checked.good)
    )
    return ImportResult(
        layer=layer,
        imported=summary.inserted + summary.replaced,
        skipped=summary.skipped,
        rejected=len(checked.rejected),
        repaired=checked.repaired,
        rejects_path=rejects_path,
        notes=notes,
        replaced=summary.replaced,
    )


def _replace_layer(store: Store, layer: str, path: Path, checked) -> ImportResult:
    """Swap the community's whole layer for the file's rows, then reassign open reports."""
    if layer == "reports":
        raise ImportFileError("--replace is not for reports: reports are never deleted by import.")
    rejects_path = _write_rejects(path, checked.rejected)
    if rejects_path is not None:
        raise ImportFileError(
            f"--replace needs a file without bad rows; {len(checked.rejected)} were rejected "
            f"(see {rejects_path}), and replacing would lose them. Nothing was written."
        )
    good = checked.good
    if good.empty:
        raise ImportFileError(f"{path.name} has no rows to replace the {layer} layer with.")
    communities = sorted(set(good["community_id"].dropna().astype(str)))
    before = sum(store.count(layer, cid) for cid in communities)
    store.load_community({layer: good})
    reassigned = None
    if layer in ("grids", "buildings"):
        summaries = [store.reassign(cid, open_only=True) for cid in communities]
        reassigned = AssignSummary(
            *(sum(getattr(s, f) for s in summaries) for f in AssignSummary.__dataclass_fields__)
        )
    return ImportResult(
        layer=layer,
        imported=len(good),
        skipped=0,
        rejected=0,
        repaired=checked.repaired,
        rejects_path=None,
        notes=checked.notes,
        replaced=before,
        reassigned=reassigned,
    )


def _kept_rows_note(store: Store, layer: str, good: gpd.GeoDataFrame) -> list[str]:
    """Say so when stored grids or buildings that the file does not name stay as they were."""
    if layer not in ("grids", "buildings") or good.empty:
        return []
    key = model.layer(layer).key
    kept = 0
    for cid, rows in good.groupby(good["community_id"].astype(str)):
        kept += len(set(store.read(layer, cid)[key]) - set(rows[key].astype(str)))
    if not kept:
        return []
    return [
        f"{kept} stored {layer} are not in the file and were kept; "
        "use --replace to replace the whole layer."
    ]


def rejects_path_for(path: str | Path) -> Path:
    """Where the rejected rows of ``path`` go: ``reports.csv`` → ``reports.csv.rejects.csv``."""
    path = Path(path)
    return path.with_name(path.name + ".rejects.csv")


# --- the pipeline ----------------------------------------------------------------------


def _read_checked(
    path: Path,
    layer: str,
    crs: str | None,
    mapping: dict[str, str] | None,
    extent,
    tz: str,
    categories: pd.DataFrame | None,
    known_communities: list[str] | None = None,
    default_community: str | None = None,
) -> _Checked:
    """Read ``path`` and check every row.

    ``known_communities`` (when given) are the only community_id values a row may
    name; ``default_community`` (when given) fills rows that name none.
    """
    spec = _target_layer(layer)
    system = parse_crs(crs) if crs is not None else None
    _check_file(path)
    source = _read_any(path, spec, system)
    source = _drop_blank_rows(source)
    if source.table.empty:
        raise ImportFileError(f"{path.name} has no data rows.")
    table = _apply_mapping(source.table, spec, mapping, source.tabular, path.name)
    _require_key_columns(table, spec, path.name)
    rejects, notes = _Rejects(source.unit), []
    if spec.name == "reports":
        table = _drop_report_ids(table, notes)

    quotes = None
    if source.tabular:
        system = system or "wgs84"
        geometry, quotes = _table_geometry(table, spec, system, extent, rejects, notes, path.name)
    else:
        system = system or _file_system(source.crs)
        geometry = source.geometry
    wgs84 = _to_wgs84(geometry, system)
    _check_range(wgs84, geometry, quotes, system, rejects, path.name)
    geometry, repaired = _check_geometries(wgs84, spec, rejects, notes)

    attributes = _check_attributes(table, spec, rejects, tz)
    if spec.name != "community":
        _check_communities(attributes, known_communities, default_community, rejects)
    other_category = None
    if spec.name == "reports":
        attributes, other_category = _complete_reports(attributes, rejects, notes, categories)
    _reject_duplicate_keys(attributes, spec, rejects)
    notes.extend(_column_notes(table, spec))

    keep = ~rejects.mask(table.index)
    good = gpd.GeoDataFrame(
        attributes.loc[keep],
        geometry=gpd.GeoSeries(geometry.loc[keep].to_numpy(), index=table.index[keep]),
        crs=model.WGS84,
    )
    good = model.conform(spec.name, good)
    good.index = pd.RangeIndex(len(good))
    if other_category is not None:
        other_category = pd.Series(
            other_category.loc[keep].to_numpy(dtype=object), index=good.index, dtype=object
        )
    return _Checked(good, _rejected_rows(source, rejects), notes, repaired, other_category)


def _target_layer(name: str) -> model.Layer:
    try:
        spec = model.layer(name)
    except KeyError as exc:
        raise ImportFileError(exc.args[0]) from None
    if spec.geometry is None:
        raise ImportFileError(f"layer {name} has no geometry and cannot be imported from a file.")
    return spec


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise ImportFileError(f"{path} does not exist or is not a file.")
    suffix = path.suffix.lower()
    if suffix not in SPATIAL_SUFFIXES + TABLE_SUFFIXES:
        known = ", ".join(SPATIAL_SUFFIXES + TABLE_SUFFIXES)
        raise ImportFileError(f"cannot import {path.name}: unknown file type; use one of {known}.")
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError(f"{path.name} is empty (0 bytes).")
    if size > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            f"{path.name} is {_human_size(size)}, more than the {_human_size(MAX_UPLOAD_BYTES)} "
            "an import may be; split it into smaller files."
        )


def _human_size(size: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return (
                f"{size / scale:.0f} {unit}" if size % scale == 0 else f"{size / scale:.1f} {unit}"
            )
    return f"{size} bytes"


def _nones(index: pd.Index) -> pd.Series:
    return pd.Series([None] * len(index), index=index, dtype=object)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# --- reading each format ---------------------------------------------------------------


def _read_any(path: Path, spec: model.Layer, system: str | None) -> _Source:
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        return _read_vector(path, path.name, "GeoJSON")
    if suffix == ".gpkg":
        return _read_geopackage(path, spec)
    if suffix == ".zip":
        return _read_zipped_shapefile(path, spec, system)
    if suffix == ".csv":
        return _read_csv(path)
    return _read_xlsx(path, spec)


def _read_vector(source: Path, name: str, kind: str, **kwargs) -> _Source:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pyogrio.read_dataframe(source, **kwargs)
    except Exception as exc:  # GDAL reports problems through many exception classes
        raise ImportFileError(f"cannot read {name} as {kind}: {_one_line(exc)}") from None
    if not isinstance(frame, gpd.GeoDataFrame):
        table = _clean_table(pd.DataFrame(frame), first_row=1)
        return _Source(table, _nones(table.index), None, False)
    table = _clean_table(pd.DataFrame(frame.drop(columns=frame.geometry.name)), first_row=1)
    geometry = pd.Series(frame.geometry.to_numpy(), index=table.index, dtype=object)
    return _Source(table, geometry, frame.crs, tabular=False)


def _read_geopackage(path: Path, spec: model.Layer) -> _Source:
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # not a GeoPackage at all
        raise ImportFileError(f"cannot read {path.name} as GeoPackage: {_one_line(exc)}") from None
    if not layers:
        raise ImportFileError(f"{path.name} holds no layers.")
    chosen = spec.name if spec.name in layers else layers[0]
    return _read_vector(path, path.name, "GeoPackage", layer=chosen)


def _read_zipped_shapefile(path: Path, spec: model.Layer, system: str | None) -> _Source:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(f"cannot read {path.name} as a zip file: {_one_line(exc)}") from None
    with archive, tempfile.TemporaryDirectory(prefix="gridmap-import-") as workdir:
        check_zip(archive, path.name)
        shp = _choose_shapefile(archive, spec, path.name)
        parts = _shapefile_parts(archive, shp)
        if ".prj" not in parts and system is None:
            raise ImportFileError(
                f"the Shapefile in {path.name} has no .prj file, so its coordinate system is "
                "unknown; give it with --crs (e.g. --crs 4326)"
            )
        for suffix, member in parts.items():
            with archive.open(member) as src, open(Path(workdir) / f"layer{suffix}", "wb") as dst:
                shutil.copyfileobj(src, dst)  # zipfile stops at the declared size
        source = _read_vector(Path(workdir) / "layer.shp", path.name, "a Shapefile")
    names = {short: full for full, short in SHAPEFILE_FIELDS.items()}
    renames = {
        c: names[c] for c in source.table.columns if c in names and names[c] not in source.table
    }
    source.table = source.table.rename(columns=renames)
    return source


def check_zip(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a zip whose paths escape its folder or that would unpack to too much.

    Raises
    ------
    ImportFileError
        For a member path that is absolute or contains "..", for more than
        :data:`MAX_UNZIPPED_BYTES` unpacked, or for a compression ratio above
        :data:`MAX_ZIP_RATIO` (a zip bomb).
    """
    infos = archive.infolist()
    for info in infos:
        if _escapes_folder(info.filename):
            raise ImportFileError(
                f"{name} contains {info.filename!r}, a path that escapes its folder; "
                "refusing the file."
            )
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if unpacked > MAX_UNZIPPED_BYTES:
        raise ImportFileError(
            f"{name} would unpack to {_human_size(unpacked)}, more than "
            f"{_human_size(MAX_UNZIPPED_BYTES)}; refusing it."
        )
    if unpacked > ZIP_RATIO_MIN_BYTES and unpacked > MAX_ZIP_RATIO * max(packed, 1):
        ratio = unpacked / max(packed, 1)
        raise ImportFileError(
            f"{name} is compressed {ratio:.0f}× (more than {MAX_ZIP_RATIO}×), "
            "which looks like a zip bomb; refusing it."
        )


def _escapes_folder(member: str) -> bool:
    text = member.replace("\\", "/")
    return text.startswith("/") or bool(re.match(r"^[A-Za-z]:", text)) or ".." in text.split("/")


def _choose_shapefile(archive: zipfile.ZipFile, spec: model.Layer, name: str) -> str:
    shapefiles = [
        n
        for n in archive.namelist()
        if n.lower().endswith(".shp") and not n.startswith("__MACOSX/")
    ]
    if not shapefiles:
        raise ImportFileError(f"{name} holds no Shapefile (.shp).")
    for member in shapefiles:
        if PurePosixPath(member).stem.lower() == spec.name:
            return member
    return shapefiles[0]


def _shapefile_parts(archive: zipfile.ZipFile, shp: str) -> dict[str, str]:
    """The members beside ``shp`` with the same stem, by lower-case suffix."""
    stem = shp[:-4].lower()
    parts = {}
    for member in archive.namelist():
        suffix = PurePosixPath(member).suffix.lower()
        if member[: -len(suffix) or None].lower() == stem and suffix in SHAPEFILE_PARTS:
            parts[suffix] = member
    return parts


def _read_csv(path: Path) -> _Source:
    # Blank lines are read as empty rows (dropped later) so that every row keeps its
    # spreadsheet number; blank lines above the header are skipped and counted.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            above = _blank_lines_above_header(path, encoding)
            table = pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                skiprows=above,
                encoding=encoding,
            )
            break
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            raise ImportFileError(f"{path.name} is empty: it has no header and no rows.") from None
        except (pd.errors.ParserError, ValueError) as exc:
            raise ImportFileError(f"cannot read {path.name} as CSV: {_one_line(exc)}") from None
    else:
        raise ImportFileError(f"cannot read {path.name}: it is neither UTF-8 nor GB18030 text.")
    table = _clean_table(table.astype(object), first_row=above + 2)  # below the header
    table = table.apply(lambda column: map_objects(column, _unguard_formula))
    return _Source(table, None, None, tabular=True)


def _blank_lines_above_header(path: Path, encoding: str) -> int:
    count = 0
    with open(path, encoding=encoding, newline="") as text:
        for line in text:
            if line.strip():
                break
            count += 1
    return count


def _unguard_formula(value: object) -> object:
    """Undo the quote our CSV export puts before text that Excel would run as a formula."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        return value[1:]
    return value


def _read_xlsx(path: Path, spec: model.Layer) -> _Source:
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip(archive, path.name)  # an .xlsx is a zip, and may be a bomb
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception as exc:  # zipfile and openpyxl raise many kinds
        raise ImportFileError(f"cannot read {path.name} as Excel: {_one_line(exc)}") from None
    try:
        sheet = book[spec.name] if spec.name in book.sheetnames else book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    # The header is the first row holding anything; rows keep their sheet numbers.
    header_at = next(
        (i for i, row in enumerate(rows) if any(_blank(v) is not None for v in row)), None
    )
    if header_at is None:
        raise ImportFileError(f"{path.name} is empty: its first sheet has no header and no rows.")
    header = [f"column{i + 1}" if v is None else str(v) for i, v in enumerate(rows[header_at])]
    width = len(header)
    body = [list(row[:width]) + [None] * (width - len(row)) for row in rows[header_at + 1 :]]
    table = pd.DataFrame(body, columns=header, dtype=object)
    return _Source(_clean_table(table, first_row=header_at + 2), None, None, tabular=True)


def _blank(value: object) -> object:
    """A cell's value with text stripped; None for a blank or missing cell."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if value is None or (not isinstance(value, list | dict) and pd.isna(value)):
        return None
    return value


def _clean_table(table: pd.DataFrame, first_row: int) -> pd.DataFrame:
    """Strip text, turn blanks and NaN into None, and number rows from ``first_row``."""
    table = table.reset_index(drop=True)
    table.index = pd.RangeIndex(first_row, first_row + len(table))
    table.columns = [str(c).strip() for c in table.columns]

    out = pd.DataFrame(index=table.index)
    for column in table.columns:
        series = table[column]
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            out[column] = series  # keep typed timestamps (GeoPackage, GeoJSON) as they are
        else:
            out[column] = map_objects(series, _blank)
    return out


def _drop_blank_rows(source: _Source) -> _Source:
    blank = source.table.isna().all(axis=1)
    if source.geometry is not None:
        blank &= source.geometry.isna()
    if blank.any():
        source.table = source.table.loc[~blank]
        if source.geometry is not None:
            source.geometry = source.geometry.loc[~blank]
    return source


# --- columns ---------------------------------------------------------------------------


def _apply_mapping(
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


def _first_named(columns: pd.Index, names: tuple[str, ...]) -> str | None:
    lowered = {str(c).strip().lower(): c for c in reversed(list(columns))}
    for name in names:
        if name in lowered:
            return lowered[name]
    return None


def _require_key_columns(table: pd.DataFrame, spec: model.Layer, name: str) -> None:
    for column in spec.required:
        if column not in table.columns:
            columns = ", ".join(map(str, table.columns))
            raise ImportFileError(
                f"{name} has no {column} column ({spec.name} need one); its columns are: "
                f"{columns}. Name it with --map {column}=COLUMN."
            )


def _column_notes(table: pd.DataFrame, spec: model.Layer) -> list[str]:
    used = set(spec.columns) | set(COORDINATE_FIELDS)
    used |= {c for c in table.columns if str(c).lower() in LON_NAMES + LAT_NAMES + WKT_NAMES}
    ignored = [str(c) for c in table.columns if c not in used]
    if not ignored:
        return []
    shown = ", ".join(ignored[:8]) + (", …" if len(ignored) > 8 else "")
    return [f"ignored columns that are not fields of {spec.name}: {shown}"]


def _drop_report_ids(table: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
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


# --- geometry --------------------------------------------------------------------------


def _table_geometry(
    table, spec, system, extent, rejects, notes, name
) -> tuple[pd.Series, pd.Series | None]:
    """Geometries of a CSV or Excel table: points from lon/lat columns or WKT text.

    Also returns, for points, the coordinates as the file writes them (for reasons).
    """
    lon_column = _first_named(table.columns, LON_NAMES)
    lat_column = _first_named(table.columns, LAT_NAMES)
    wkt_column = _first_named(table.columns, WKT_NAMES)
    has_points = lon_column is not None and lat_column is not None
    if has_points and (spec.geometry == "Point" or wkt_column is None):
        geometry = _points(table, lon_column, lat_column, system, extent, rejects, notes)
        quotes = pd.Series(
            [
                f"{lon_column} {lon}, {lat_column} {lat}"
                for lon, lat in zip(table[lon_column], table[lat_column], strict=True)
            ],
            index=table.index,
            dtype=object,
        )
        return geometry, quotes
    if wkt_column is not None:
        return _geometries_from_wkt(table[wkt_column], wkt_column, rejects), None
    raise ImportFileError(
        f"{name} has no coordinates: expected lon and lat columns (or 经度 and 纬度) or a WKT "
        "column; name them with --map lon=COLUMN lat=COLUMN."
    )


def _points(table, lon_column, lat_column, system, extent, rejects, notes) -> pd.Series:
    lon_text, lat_text = table[lon_column], table[lat_column]
    lon = pd.to_numeric(lon_text, errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(lat_text, errors="coerce").to_numpy(dtype=float)
    missing = lon_text.isna() | lat_text.isna()
    rejects.add_where(missing, "no coordinates")
    for column, text, values in ((lon_column, lon_text, lon), (lat_column, lat_text, lat)):
        for label in text.index[text.notna().to_numpy() & np.isnan(values)]:
            rejects.add([label], f"{column}: {text[label]!r} is not a number")
    swap = _swapped(lon, lat, extent, system)
    if swap.any():
        lon, lat = np.where(swap, lat, lon), np.where(swap, lon, lat)
        count = int(swap.sum())
        notes.append(
            f"{count} {'row' if count == 1 else 'rows'} had latitude and longitude swapped; "
            f"corrected (rows {_some(table.index[swap])})"
        )
    ok = np.isfinite(lon) & np.isfinite(lat)
    geometry = np.full(len(table), None, dtype=object)
    geometry[ok] = shapely.points(lon[ok], lat[ok])
    return pd.Series(geometry, index=table.index, dtype=object)


def _swapped(lon: np.ndarray, lat: np.ndarray, extent, system: str) -> np.ndarray:
    """Rows whose longitude and latitude are the wrong way round.

    A row is swapped when its point, as written, lies outside the community (with a
    margin) or outside the longitude/latitude range, and the swapped point lies
    inside it. Each row is judged alone, so the right rows of a mixed file stay.
    """
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any() or not _is_degrees(system):
        return np.zeros(len(lon), dtype=bool)
    with np.errstate(invalid="ignore"):
        swap = ok & ~_in_range(lon, lat) & _in_range(lat, lon)
        if extent is not None:
            swap |= ok & ~_inside(lon, lat, extent) & _inside(lat, lon, extent)
    return swap


def _in_range(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (np.abs(lon) <= 180) & (np.abs(lat) <= 90)


def _inside(x: np.ndarray, y: np.ndarray, extent) -> np.ndarray:
    minx, miny, maxx, maxy = extent
    m = _SWAP_MARGIN_DEG
    return (x >= minx - m) & (x <= maxx + m) & (y >= miny - m) & (y <= maxy + m)


def _some(numbers) -> str:
    """The first ten of ``numbers``, comma-separated, with "…" when there are more."""
    numbers = [str(int(n)) for n in numbers]
    return ", ".join(numbers[:10]) + (", …" if len(numbers) > 10 else "")


def _is_degrees(system: str) -> bool:
    if system in ("wgs84", "gcj02", "bd09"):
        return True
    return pyproj.CRS.from_user_input(system).is_geographic


def _geometries_from_wkt(text: pd.Series, column: str, rejects: _Rejects) -> pd.Series:
    values = map_objects(text, _as_text).to_numpy(dtype=object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        geometry = shapely.from_wkt(values, on_invalid="ignore")
    geometry = pd.Series(geometry, index=text.index, dtype=object)
    rejects.add_where(text.isna(), "no geometry")
    rejects.add_where(text.notna() & geometry.isna(), f"{column}: not valid WKT")
    return geometry


def _file_system(crs) -> str:
    """The system of a spatial file's coordinates: its own CRS, else WGS 84."""
    if crs is None:
        return "wgs84"
    crs = pyproj.CRS.from_user_input(crs)
    epsg = crs.to_epsg()
    if epsg == 4326:
        return "wgs84"
    return f"EPSG:{epsg}" if epsg else crs.to_wkt()


def _to_wgs84(geometry: pd.Series, system: str) -> pd.Series:
    values = shapely.force_2d(geometry.to_numpy(dtype=object))
    if system != "wgs84":
        convert = to_wgs84_transform(system)

        def transform(xy: np.ndarray) -> np.ndarray:
            x, y = convert(xy[:, 0], xy[:, 1])
            return np.column_stack([x, y])

        with np.errstate(all="ignore"):
            values = shapely.transform(values, transform)
    return pd.Series(values, index=geometry.index, dtype=object)


def _check_range(
    geometry: pd.Series,
    source: pd.Series,
    quotes: pd.Series | None,
    system: str,
    rejects: _Rejects,
    name: str,
) -> None:
    """Reject coordinates outside lon/lat range; refuse the file when most are.

    ``geometry`` is in WGS 84, ``source`` the same rows as the file gives them;
    ``quotes`` (for CSV and Excel points) the coordinates as written in the file. A
    reason quotes the file's own values.
    """
    values = geometry.to_numpy(dtype=object)
    present = ~shapely.is_missing(values) & ~shapely.is_empty(values)
    if not present.any():
        return
    minx, miny, maxx, maxy = shapely.bounds(values[present]).T
    with np.errstate(invalid="ignore"):
        bad = ~(
            (np.abs(minx) <= 180)
            & (np.abs(maxx) <= 180)
            & (np.abs(miny) <= 90)
            & (np.abs(maxy) <= 90)
        )
    if not bad.any():
        return
    if bad.sum() * 2 > present.sum():
        x, y = minx[bad][0], miny[bad][0]
        if system == "wgs84":
            raise ImportFileError(
                f"coordinates look projected in {name} (e.g. {x:.1f}, {y:.1f}), not longitude "
                "and latitude in degrees; give --crs with their EPSG code (e.g. --crs 32650)."
            )
        raise ImportFileError(
            f"coordinates in {name} fall outside longitude/latitude range after converting "
            f"from {system} (e.g. {x:.1f}, {y:.1f}); check --crs."
        )
    labels = geometry.index[present][bad]
    if quotes is not None:
        for label in labels:
            rejects.add([label], f"coordinates out of range ({quotes[label]})")
        return
    raw = shapely.bounds(source.loc[labels].to_numpy(dtype=object))
    for label, (x, y) in zip(labels, raw[:, :2], strict=True):
        if system == "wgs84":
            rejects.add([label], f"coordinates out of range (lon {x:.10g}, lat {y:.10g})")
        else:
            rejects.add(
                [label],
                f"coordinates out of range after converting from {system} "
                f"(x {x:.10g}, y {y:.10g} in the file)",
            )


def _check_geometries(
    geometry: pd.Series, spec: model.Layer, rejects: _Rejects, notes: list[str]
) -> tuple[pd.Series, int]:
    """Reject missing and wrongly typed geometries; repair invalid polygons."""
    values = geometry.to_numpy(dtype=object).copy()
    types = shapely.get_type_id(values)
    missing = (types < 0) | shapely.is_empty(values)
    allowed = _allowed_types(spec)
    rejected_before = rejects.mask(geometry.index)
    for i in np.flatnonzero(missing & ~rejected_before):
        rejects.add([geometry.index[i]], "no geometry")
    for i in np.flatnonzero(~missing & ~np.isin(types, allowed)):
        kind = shapely.get_type_id(values[i])
        rejects.add(
            [geometry.index[i]],
            f"wrong geometry type: {_type_name(kind)} ({spec.name} need {_wanted(spec)})",
        )
    polygonal = ~missing & np.isin(types, (_POLYGON, _MULTIPOLYGON))
    repaired_rows = []
    for i in np.flatnonzero(polygonal & ~shapely.is_valid(values)):
        reason = shapely.is_valid_reason(values[i])
        fixed = _polygonal_part(shapely.make_valid(values[i]))
        if fixed is not None and spec.geometry == "Polygon":
            fixed = _largest_polygon(fixed)
        if fixed is None:
            rejects.add([geometry.index[i]], f"invalid polygon that cannot be repaired ({reason})")
            continue
        values[i] = fixed
        repaired_rows.append(geometry.index[i])
    if repaired_rows:
        notes.append(
            f"repaired {len(repaired_rows)} invalid or self-intersecting polygon(s) "
            f"({rejects.unit}s {_some(repaired_rows)})"
        )
    values = _fit_polygon_type(values, spec, rejects, geometry.index)
    return pd.Series(values, index=geometry.index, dtype=object), len(repaired_rows)


def _allowed_types(spec: model.Layer) -> tuple[int, ...]:
    if spec.geometry == "Point":
        return (_POINT,)
    if spec.geometry in ("Polygon", "MultiPolygon"):
        return (_POLYGON, _MULTIPOLYGON)
    return (_POINT, _POLYGON, _MULTIPOLYGON)


def _wanted(spec: model.Layer) -> str:
    return {"Point": "points", "Polygon": "polygons", "MultiPolygon": "polygons"}.get(
        spec.geometry, "points or polygons"
    )


def _type_name(type_id: int) -> str:
    names = [
        "Point",
        "LineString",
        "LinearRing",
        "Polygon",
        "MultiPoint",
        "MultiLineString",
        "MultiPolygon",
        "GeometryCollection",
    ]
    return names[type_id] if 0 <= type_id < len(names) else "unknown"


def _polygonal_part(geometry) -> shapely.Geometry | None:
    """The polygons of a repaired geometry, dissolved; None when there are none."""
    parts = shapely.get_parts(shapely.get_parts(geometry))
    parts = [p for p in parts if shapely.get_type_id(p) == _POLYGON and p.area > 0]
    if not parts:
        return None
    return shapely.union_all(parts)


def _largest_polygon(geometry) -> shapely.Geometry:
    """The largest part: a repaired building footprint must stay one polygon."""
    parts = shapely.get_parts(geometry)
    return parts[int(np.argmax(shapely.area(parts)))]


def _fit_polygon_type(
    values: np.ndarray, spec: model.Layer, rejects: _Rejects, index
) -> np.ndarray:
    """Buildings need one Polygon; grids and communities are MultiPolygons."""
    values, several_parts = model.fit_polygon_type(spec, values)
    for i in several_parts:
        parts = shapely.get_num_geometries(values[i])
        rejects.add(
            [index[i]], f"a MultiPolygon of {parts} parts; {spec.name} need one polygon each"
        )
    return values


# --- attributes ------------------------------------------------------------------------


def _check_attributes(
    table: pd.DataFrame, spec: model.Layer, rejects: _Rejects, tz: str
) -> pd.DataFrame:
    """The model's columns parsed to their kinds; unparseable values reject their row."""
    out = pd.DataFrame(index=table.index)
    for column, kind in spec.columns.items():
        if column not in table.columns:
            continue
        values = table[column]
        parsed, problems = _parse_column(values, kind, tz)
        for bad, what in problems:
            for label in values.index[bad.to_numpy(dtype=bool)]:
                rejects.add([label], f"{column}: {values[label]!r} is not {what}")
        out[column] = parsed
    for column in spec.required:
        rejects.add_where(table[column].isna(), f"missing {column}")
    return out


def _parse_column(
    values: pd.Series, kind: str, tz: str
) -> tuple[pd.Series, list[tuple[pd.Series, str]]]:
    """Parse one column: its values and [(mask of bad cells, what they should be)]."""
    present = values.notna()
    if kind in (model.INT, model.FLOAT):
        numbers = pd.to_numeric(map_objects(values, _number_text), errors="coerce").astype(float)
        problems = [(present & numbers.isna(), "a number")]
        if kind == model.INT:
            problems.append((present & numbers.notna() & (numbers % 1 != 0), "a whole number"))
        return numbers, problems
    if kind == model.BOOL:
        flags = map_objects(values, _as_bool)
        return flags, [(present & flags.isna(), "yes or no")]
    if kind == model.TIME:
        times, bad = parse_times(values, tz)
        return times, [(bad, "a date and time")]
    return map_objects(values, _as_text), []


def _as_text(value: object) -> str | None:
    """Text of a cell; a whole float (a code read as 12.0) loses its ".0"."""
    if is_missing(value):
        return None
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _number_text(value: object) -> object:
    if isinstance(value, str):
        return value.replace(",", "").replace("，", "")
    if isinstance(value, bool):
        return None  # True is not a count of floors
    return value


def _as_bool(value: object) -> bool | None:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if value is None:
        return None
    if isinstance(value, int | float | np.number):
        return {1: True, 0: False}.get(value)
    text = str(value).strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


def parse_times(values: pd.Series, tz: str = DEFAULT_TZ) -> tuple[pd.Series, pd.Series]:
    """Parse timestamps to UTC; naive ones are taken in ``tz``.

    Parameters
    ----------
    values
        Text ("2024-05-01 08:30", "2024-05-01T08:30:00+08:00", "2024年5月1日 8:30"),
        datetimes, or a datetime column.
    tz
        The zone of times written without one.

    Returns
    -------
    times, bad
        Time-zone aware (UTC) timestamps, NaT where missing or unparseable; and a
        mask of the cells that held something that is not a date and time.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert("UTC"), pd.Series(False, index=values.index)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        local = values.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
        return local.dt.tz_convert("UTC"), pd.Series(False, index=values.index)
    cache: dict[object, pd.Timestamp | None] = {}
    parsed = []
    for value in values:
        if value is None:
            parsed.append(pd.NaT)
            continue
        key = value if isinstance(value, str) else repr(value)
        if key not in cache:
            cache[key] = _parse_time(value, tz)
        parsed.append(cache[key])
    bad = pd.Series([p is None for p in parsed], index=values.index)
    times = pd.to_datetime(
        pd.Series([pd.NaT if p is None else p for p in parsed], index=values.index, dtype=object),
        utc=True,
    )
    return times, bad


def _parse_time(value: object, tz: str) -> pd.Timestamp | None:
    if isinstance(value, bool | int | float | np.number):
        return None  # a bare number is not a time we can trust
    if isinstance(value, str):
        value = re.sub(r"(\d)\s*[年月]\s*", r"\1-", value)
        value = re.sub(r"(\d)\s*日\s*", r"\1 ", value).strip()
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        return None
    if stamp is pd.NaT:
        return None
    if stamp.tzinfo is None:
        try:
            stamp = stamp.tz_localize(tz)
        except (ValueError, OverflowError):
            return None
    return stamp.tz_convert("UTC")


def _check_communities(
    attributes: pd.DataFrame,
    known: list[str] | None,
    default: str | None,
    rejects: _Rejects,
) -> None:
    """Reject rows naming a community the store does not hold; fill the others' gaps."""
    if "community_id" not in attributes:
        attributes["community_id"] = _nones(attributes.index)
    given = attributes["community_id"]
    if known is not None:
        unknown = given.notna() & ~given.isin(known)
        for label in given.index[unknown.to_numpy(dtype=bool)]:
            rejects.add(
                [label],
                f"community_id {given[label]!r} is not in the store (known: {_listed(known)})",
            )
    if default is not None:
        attributes["community_id"] = given.where(given.notna(), default).astype(object)


def _listed(names: list[str]) -> str:
    return ", ".join(map(str, names)) if names else "none"


def _complete_reports(
    reports: pd.DataFrame, rejects: _Rejects, notes: list[str], categories: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.Series]:
    """Category codes, status, due time and rating of imported reports.

    Also returns the source's category words of the rows stored as "other" (None
    for the other rows), for the note about them.
    """
    table = load_categories() if categories is None else categories
    reports = reports.copy()
    other_category = _match_categories(reports, table)
    _check_status(reports, rejects)
    sla_days = reports["category"].map(table["sla_days"]).fillna(table.at[FALLBACK, "sla_days"])
    default_due = reports["created_at"] + pd.to_timedelta(sla_days.astype(float), unit="D")
    if "due_at" in reports:
        reports["due_at"] = reports["due_at"].fillna(default_due)
    else:
        reports["due_at"] = default_due
    if "rating" in reports:
        out_of_scale = reports["rating"].notna() & ~reports["rating"].between(1, 5)
        for label in reports.index[out_of_scale.to_numpy(dtype=bool)]:
            rejects.add([label], f"rating: {reports.at[label, 'rating']:g} is not between 1 and 5")
    if "external_id" not in reports or reports["external_id"].isna().all():
        notes.append(
            "these reports have no external_id, so importing the file again would add them "
            "again; name the source's id with --map external_id=COLUMN"
        )
    return reports, other_category


def _match_categories(reports: pd.DataFrame, table: pd.DataFrame) -> pd.Series:
    """Category codes for the source's words; words not in the table become "other".

    Returns the words of the rows made "other" (None for the other rows).
    """
    text = reports["category"] if "category" in reports else _nones(reports.index)
    codes = {value: match_category(value, table) for value in text.dropna().unique()}
    matched = map_objects(text, lambda v: None if is_missing(v) else codes.get(v))
    unmatched = text.notna() & matched.isna()
    if "category_text" not in reports:
        reports["category_text"] = None
    reports["category_text"] = reports["category_text"].astype(object)
    reports.loc[unmatched, "category_text"] = text[unmatched]
    reports["category"] = matched.where(matched.notna(), FALLBACK).astype(object)
    return text.where(unmatched, None).astype(object)


def _other_category_notes(checked: _Checked, kept: pd.Series | None = None) -> list[str]:
    """The note on reports stored as "other", counting only the rows ``kept``.

    Rejected rows are already gone from ``checked``; ``kept`` leaves out the rows the
    store skips as already present (default: every good row).
    """
    words = checked.other_category
    if words is None:
        return []
    if kept is not None:
        words = words[kept.to_numpy(dtype=bool)]
    words = words.dropna()
    if words.empty:
        return []
    examples = ", ".join(repr(v) for v in words.unique()[:5])
    return [
        f"{len(words)} report(s) had a category not in the table ({examples}); "
        f"stored as {FALLBACK} with the original words in category_text"
    ]


def _status_codes() -> dict[str, str]:
    """Status code by the words a file may use: codes, English and Chinese names, Open311."""
    codes = {_status_key(word): code for word, code in _STATUS_SYNONYMS.items()}
    for code in model.STATUSES:
        for word in (code, *STATUS_NAMES.get(code, ())):
            codes[_status_key(word)] = code
    return codes


def _status_key(word: object) -> str:
    """A status as compared: trimmed, lower case, spaces and hyphens as "_"."""
    return re.sub(r"[\s\-_]+", "_", str(word).strip().lower())


def _check_status(reports: pd.DataFrame, rejects: _Rejects) -> None:
    """Status codes for the file's words (none means submitted); others reject the row."""
    given = reports["status"] if "status" in reports else _nones(reports.index)
    codes = _status_codes()
    status = map_objects(
        given, lambda v: "submitted" if is_missing(v) else codes.get(_status_key(v))
    )
    unknown = status.isna()
    if unknown.any():
        names = [STATUS_NAMES[c][1] for c in model.STATUSES if c in STATUS_NAMES]
        accepted = (
            f"{', '.join(model.STATUSES)}; also {', '.join(_STATUS_SYNONYMS)} (Open311), "
            f"the names with spaces (in progress) and the Chinese names {', '.join(names)}"
        )
        for label in reports.index[unknown.to_numpy(dtype=bool)]:
            rejects.add([label], f"status: {given[label]!r} is not one of {accepted}")
    reports["status"] = status


def _reject_duplicate_keys(attributes: pd.DataFrame, spec: model.Layer, rejects: _Rejects) -> None:
    """A key given twice in one file: keep the first row, reject the others.

    The key of reports is their external_id (the store numbers report_id itself).
    """
    key = "external_id" if spec.name == "reports" else spec.key
    if key not in attributes:
        return
    keys = attributes[key]
    community = attributes.get("community_id", _nones(attributes.index))
    pairs = pd.DataFrame({"community": community.fillna(""), "key": keys})
    candidates = keys.notna() & ~pd.Series(rejects.mask(attributes.index), index=attributes.index)
    pairs = pairs[candidates]
    first_row = {}
    for label, pair in zip(pairs.index, pairs.itertuples(index=False, name=None), strict=True):
        if pair in first_row:
            rejects.add(
                [label],
                f"duplicate {key} {pair[1]!r} (first on {rejects.unit} {first_row[pair]})",
            )
        else:
            first_row[pair] = int(label)


# --- results ---------------------------------------------------------------------------


def _rejected_rows(source: _Source, rejects: _Rejects) -> pd.DataFrame:
    """The rejected rows: their number (``row`` or ``feature``), reason and columns."""
    labels = sorted(rejects.reasons)
    frame = pd.DataFrame(
        {
            source.unit: labels,
            "reason": ["; ".join(rejects.reasons[label]) for label in labels],
        }
    )
    original = source.table.loc[labels].reset_index(drop=True)
    if source.geometry is not None:
        geometry = source.geometry.loc[labels].to_numpy(dtype=object)
        original["geometry"] = shapely.to_wkt(geometry, rounding_precision=9)
    return pd.concat([frame, original], axis=1)


def _community_extent(store: Store, community_id: str | None):
    """The WGS 84 bounds of the community (or all communities), or None."""
    for layer in ("community", "grids"):
        frame = store.read(layer, community_id)
        if len(frame) and frame.geometry.notna().any():
            bounds = tuple(float(v) for v in frame.total_bounds)
            if all(np.isfinite(bounds)):
                return bounds
    return None


def _require_community(
    good: gpd.GeoDataFrame, layer: str, known: list[str] | None, path: Path
) -> None:
    """Refuse rows left without a community: the store holds none or several."""
    if layer == "community" or not good["community_id"].isna().any():
        return
    held = "no community yet" if not known else f"{len(known)} communities"
    raise ImportFileError(
        f"{path.name} has no community_id and the store holds {held}; "
        "say which community it belongs to with --community."
    )


def _stored_already(store: Store, checked: _Checked) -> pd.Series:
    """Good reports whose (community_id, external_id) the store holds: it skips them."""
    good = checked.good
    named = good["external_id"].notna() & good["community_id"].notna()
    stored: set[tuple[str, str]] = set()
    for community_id in good.loc[named, "community_id"].unique():
        frame = store.read("reports", community_id)
        stored.update(zip(frame["community_id"], frame["external_id"], strict=True))
    pairs = zip(good["community_id"], good["external_id"], strict=True)
    return pd.Series([pair in stored for pair in pairs], index=good.index)


def _write(store: Store, layer: str, good: gpd.GeoDataFrame) -> InsertSummary:
    if good.empty:
        return InsertSummary(inserted=0, skipped=0)
    if layer == "reports":
        return store.add_reports(good)
    return store.upsert(layer, good)


def _write_rejects(path: Path, rejected: pd.DataFrame) -> Path | None:
    target = rejects_path_for(path)
    if rejected.empty:
        target.unlink(missing_ok=True)
        return None
    rejected.to_csv(target, index=False, encoding="utf-8-sig")
    return target
