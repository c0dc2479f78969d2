"""Reading each file format into a table of attributes and a column of geometries.

GeoJSON, GeoPackage, zipped Shapefile, KML, CSV and Excel. Rows keep the number a
person finds them by: the spreadsheet row of a CSV or Excel file (the header is
row 1), the 1-based feature of a spatial file.
"""

from __future__ import annotations

import json
import math
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
import pyogrio.raw
import shapely
import shapely.errors

from geo import model
from geo.errors import ImportFileError
from geo.exporting import SHAPEFILE_FIELDS
from geo.i18n import msg
from geo.io.values import nones
from geo.privacy import map_objects

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_ZIP_RATIO = 100
# Below this many unpacked bytes a high compression ratio is harmless (a Shapefile's
# .dbf of mostly blank text compresses very well), so the ratio is not checked.
ZIP_RATIO_MIN_BYTES = 10 * 1024 * 1024

# What one import may hold: rows (CSV, Excel) or features (spatial files), all their
# vertices, and the vertices of one shape. Beyond these the checks, the store and the
# maps would take minutes and gigabytes; a real community's files are far below.
MAX_FEATURES = 1_000_000
MAX_VERTICES = 10_000_000
MAX_FEATURE_VERTICES = 100_000

SPATIAL_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip", ".kml")
TABLE_SUFFIXES = (".csv", ".xlsx")
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


@dataclass
class Source:
    """A file as read: its attribute table and, for spatial files, its geometries.

    Both are indexed by the number a person uses to find the row again: the
    spreadsheet row of a CSV or Excel file, the 1-based feature of a spatial file.
    """

    table: pd.DataFrame
    geometry: pd.Series | None  # shapely objects indexed like table; None for CSV/Excel
    crs: object | None  # the file's own CRS, if it declares one
    tabular: bool
    excel: bool = False  # numbers in time columns are then Excel serial dates
    notes: list[str] = field(default_factory=list)  # what reading changed, for the user
    # Rows whose geometry the file gives but that could not be read, with the reason.
    unreadable: dict[int, str] = field(default_factory=dict)

    @property
    def unit(self) -> str:
        """What the numbers count: "row" (CSV, Excel) or "feature" (spatial files)."""
        return "row" if self.tabular else "feature"


def check_file(path: Path) -> None:
    """Refuse a path that is missing, of an unknown type, empty or too large."""
    if not path.is_file():
        raise ImportFileError("io.no_file", path=path)
    suffix = path.suffix.lower()
    if suffix not in SPATIAL_SUFFIXES + TABLE_SUFFIXES:
        known = ", ".join(SPATIAL_SUFFIXES + TABLE_SUFFIXES)
        raise ImportFileError("io.unknown_type", name=path.name, known=known)
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError("io.empty_bytes", name=path.name)
    if size > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            "io.too_large",
            name=path.name,
            size=_human_size(size),
            limit=_human_size(MAX_UPLOAD_BYTES),
        )


def check_features(source: Source, name: str) -> None:
    """Refuse a file of more than :data:`MAX_FEATURES` rows or features."""
    if len(source.table) > MAX_FEATURES:
        raise ImportFileError(
            "io.too_many_features",
            name=name,
            n=f"{len(source.table):,}",
            unit=msg(f"io.unit.{source.unit}s"),
            limit=f"{MAX_FEATURES:,}",
        )


def check_vertices(geometry: pd.Series, rejects, name: str) -> None:
    """Reject shapes of more than :data:`MAX_FEATURE_VERTICES` vertices; refuse a file
    whose other shapes have more than :data:`MAX_VERTICES` in all.

    ``rejects`` is the import's :class:`geo.io.rejects.Rejects`.
    """
    counts = shapely.get_num_coordinates(geometry.to_numpy(dtype=object))
    too_many = counts > MAX_FEATURE_VERTICES
    for label, n in zip(geometry.index[too_many], counts[too_many], strict=True):
        rejects.add(
            [label],
            msg("io.reason.too_many_vertices", n=f"{n:,}", limit=f"{MAX_FEATURE_VERTICES:,}"),
        )
    total = int(counts[~too_many].sum())
    if total > MAX_VERTICES:
        raise ImportFileError(
            "io.too_many_vertices", name=name, n=f"{total:,}", limit=f"{MAX_VERTICES:,}"
        )


def _human_size(size: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return (
                f"{size / scale:.0f} {unit}" if size % scale == 0 else f"{size / scale:.1f} {unit}"
            )
    return f"{size} bytes"


def _unreadable(name: str, kind: str, exc: BaseException) -> ImportFileError:
    return ImportFileError("io.unreadable", name=name, kind=kind, reason=_one_line(exc))


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# --- reading each format ---------------------------------------------------------------


def read_any(path: Path, spec: model.Layer, system: str | None) -> Source:
    """Read ``path`` by its suffix (see :func:`check_file` for the checks before).

    ``spec`` chooses the layer or sheet of a file holding several (the one named like
    the layer, else the first); ``system`` is the CRS given by the user, which a
    Shapefile without .prj needs.
    """
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        return _read_geojson(path)
    if suffix == ".gpkg":
        return _read_geopackage(path, spec)
    if suffix == ".zip":
        return _read_zipped_shapefile(path, spec, system)
    if suffix == ".kml":
        return _read_kml(path)
    if suffix == ".csv":
        return _read_csv(path)
    return _read_xlsx(path, spec)


def _read_vector(source: Path, name: str, kind: str, **kwargs) -> Source:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pyogrio.read_dataframe(source, **kwargs)
    except shapely.errors.GEOSException:
        # A geometry GEOS cannot even build (an unclosed ring, too few points): read
        # the features again and mend or drop each one alone, not the whole file.
        return _read_vector_mending(source, name, kind, **kwargs)
    except Exception as exc:  # GDAL reports problems through many exception classes
        raise _unreadable(name, kind, exc) from None
    if not isinstance(frame, gpd.GeoDataFrame):
        table = _clean_table(pd.DataFrame(frame), first_row=1)
        return Source(table, nones(table.index), None, False)
    table = _clean_table(pd.DataFrame(frame.drop(columns=frame.geometry.name)), first_row=1)
    geometry = pd.Series(frame.geometry.to_numpy(), index=table.index, dtype=object)
    return Source(table, geometry, frame.crs, tabular=False)


def _read_vector_mending(source: Path, name: str, kind: str, **kwargs) -> Source:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            table = pyogrio.read_dataframe(source, read_geometry=False, **kwargs)
            meta, _, wkb, _ = pyogrio.raw.read(source, columns=[], **kwargs)
    except Exception as exc:  # GDAL reports problems through many exception classes
        raise _unreadable(name, kind, exc) from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        as_given = shapely.from_wkb(wkb, on_invalid="ignore")
        mended = shapely.from_wkb(wkb, on_invalid="fix")
    table = _clean_table(pd.DataFrame(table), first_row=1)
    geometry = pd.Series(mended, index=table.index, dtype=object)
    changed = table.index[shapely.is_missing(as_given) & ~shapely.is_missing(mended)]
    source_ = Source(table, geometry, meta.get("crs"), tabular=False)
    given = np.array([b is not None for b in wkb], dtype=bool)
    for label in table.index[given & shapely.is_missing(mended)]:
        source_.unreadable[int(label)] = msg("io.reason.malformed_geometry")
    if len(changed):
        rows = ", ".join(map(str, changed[:10])) + (", …" if len(changed) > 10 else "")
        source_.notes.append(msg("io.note.mended", n=len(changed), rows=rows))
    return source_


# --- GeoJSON: what GDAL cannot read, said in the file's own terms -------------------------

GEOJSON_TYPES = {"FeatureCollection", "Feature"}
GEOJSON_GEOMETRY_TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}


def _read_geojson(path: Path) -> Source:
    """A GeoJSON file; when GDAL fails on it, or on some features' geometries, the
    JSON is read here to say what is wrong (GDAL's own words are about drivers)."""
    try:
        source = _read_vector(path, path.name, "GeoJSON")
    except ImportFileError as exc:
        raise (_geojson_problem(path) or exc) from None
    features = _geojson_features(path)
    if features is not None:
        _put_back_skipped_features(source, features)
        if source.geometry is not None and source.geometry.isna().any():
            _explain_missing_geometries(source, features)
    return source


def _load_json(path: Path) -> object:
    with open(path, encoding="utf-8-sig") as text:
        return json.load(text)


def _geojson_problem(path: Path) -> ImportFileError | None:
    """Why ``path`` is no GeoJSON GDAL could read, or None when that is not clear."""
    try:
        document = _load_json(path)
    except json.JSONDecodeError as exc:
        # Cut short: the JSON breaks off near the end of a file that does not end
        # as a JSON object does.
        text = exc.doc.rstrip()
        cut_short = not text.endswith("}") and exc.pos >= 0.9 * len(text)
        key = "io.geojson_cut_short" if cut_short else "io.geojson_not_json"
        return ImportFileError(
            key, name=path.name, reason=exc.msg, line=exc.lineno, column=exc.colno
        )
    except (OSError, UnicodeDecodeError, RecursionError, ValueError):
        return None
    if not isinstance(document, dict):
        return ImportFileError("io.geojson_not_object", name=path.name)
    kind = document.get("type")
    if kind not in GEOJSON_TYPES | GEOJSON_GEOMETRY_TYPES:
        found = json.dumps(kind, ensure_ascii=False)[:80] if "type" in document else msg("none")
        return ImportFileError("io.geojson_type", name=path.name, found=found)
    if kind == "FeatureCollection" and not isinstance(document.get("features"), list):
        return ImportFileError("io.geojson_no_features", name=path.name)
    return None


def _geojson_features(path: Path) -> list | None:
    """The file's "features" as JSON (a lone Feature as a list of one), else None."""
    try:
        document = _load_json(path)
    except (OSError, UnicodeDecodeError, RecursionError, ValueError):
        return None
    if not isinstance(document, dict):
        return None
    if document.get("type") == "FeatureCollection":
        features = document.get("features")
        return features if isinstance(features, list) else None
    return [document] if document.get("type") == "Feature" else None


def _is_feature(item: object) -> bool:
    return isinstance(item, dict) and item.get("type") == "Feature"


def _put_back_skipped_features(source: Source, features: list) -> None:
    """GDAL skips, without a word, the members of "features" that are not Features
    (no ``"type": "Feature"``, or not an object at all), and numbers the rest as if
    they were not there. Number the rows by their place in the file again and put
    each skipped member back as a row that cannot be read, to be rejected with why."""
    kept = [number for number, item in enumerate(features, 1) if _is_feature(item)]
    if len(kept) == len(features) or len(kept) != len(source.table):
        return
    source.table.index = pd.Index(kept)
    if source.geometry is not None:
        source.geometry.index = source.table.index
    skipped = [number for number, item in enumerate(features, 1) if not _is_feature(item)]
    properties = [
        item.get("properties") if isinstance(item, dict) else None
        for item in (features[number - 1] for number in skipped)
    ]
    rows = pd.DataFrame(
        [p if isinstance(p, dict) else {} for p in properties], index=skipped, dtype=object
    )
    rows = rows.reindex(columns=source.table.columns).map(_blank)
    source.table = pd.concat([source.table.astype(object), rows]).sort_index()
    if source.geometry is not None:
        source.geometry = pd.concat([source.geometry, nones(rows.index)]).sort_index()
    for number in skipped:
        shown = json.dumps(features[number - 1], ensure_ascii=False)
        shown = shown if len(shown) <= 80 else shown[:79] + "…"
        source.unreadable[number] = msg("io.reason.not_a_feature", value=shown)


def _explain_missing_geometries(source: Source, features: list) -> None:
    """Mark the features whose geometry the file gives but GDAL could not read."""
    if len(features) != len(source.table):
        return  # the rows could not be matched to the features
    for label, feature in zip(source.table.index, features, strict=True):
        given = feature.get("geometry") if _is_feature(feature) else None
        if given is not None and source.geometry[label] is None:
            source.unreadable[int(label)] = _geometry_problem(given)


def _geometry_problem(geometry: object) -> str:
    """Why a GeoJSON geometry cannot be read, in a few words."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in GEOJSON_GEOMETRY_TYPES:
        shown = json.dumps(kind, ensure_ascii=False)[:80]
        return msg("io.reason.geometry_type_unknown", value=shown)
    leaves, stack = [], [geometry.get("coordinates")]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif item is not None:
            leaves.append(item)
    for value in leaves:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return msg("io.reason.text_coordinates", value=repr(value)[:80])
    if not all(math.isfinite(v) for v in leaves):
        return msg("io.reason.not_finite")
    return msg("io.reason.malformed_geometry")


def _read_geopackage(path: Path, spec: model.Layer) -> Source:
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # not a GeoPackage at all
        raise _unreadable(path.name, "GeoPackage", exc) from None
    if not layers:
        raise ImportFileError("io.no_layers", name=path.name)
    chosen = spec.name if spec.name in layers else layers[0]
    return _read_vector(path, path.name, "GeoPackage", layer=chosen)


def _read_zipped_shapefile(path: Path, spec: model.Layer, system: str | None) -> Source:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _unreadable(path.name, "zip", exc) from None
    with archive, tempfile.TemporaryDirectory(prefix="gridmap-import-") as workdir:
        check_zip(archive, path.name)
        shp = _choose_shapefile(archive, spec, path.name)
        parts = _shapefile_parts(archive, shp)
        if ".prj" not in parts and system is None:
            raise ImportFileError("io.shapefile_no_prj", name=path.name)
        for suffix, member in parts.items():
            with archive.open(member) as src, open(Path(workdir) / f"layer{suffix}", "wb") as dst:
                shutil.copyfileobj(src, dst)  # zipfile stops at the declared size
        source = _read_vector(Path(workdir) / "layer.shp", path.name, "Shapefile")
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
            raise ImportFileError("io.zip_escapes", name=name, member=info.filename)
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if unpacked > MAX_UNZIPPED_BYTES:
        raise ImportFileError(
            "io.zip_too_large",
            name=name,
            size=_human_size(unpacked),
            limit=_human_size(MAX_UNZIPPED_BYTES),
        )
    if unpacked > ZIP_RATIO_MIN_BYTES and unpacked > MAX_ZIP_RATIO * max(packed, 1):
        ratio = unpacked / max(packed, 1)
        raise ImportFileError("io.zip_bomb", name=name, ratio=f"{ratio:.0f}", limit=MAX_ZIP_RATIO)


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
        raise ImportFileError("io.no_shapefile", name=name)
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


def _read_csv(path: Path) -> Source:
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
            raise ImportFileError("io.csv_empty", name=path.name) from None
        except (pd.errors.ParserError, ValueError) as exc:
            raise _unreadable(path.name, "CSV", exc) from None
    else:
        raise ImportFileError("io.csv_encoding", name=path.name)
    table = _clean_table(table.astype(object), first_row=above + 2)  # below the header
    table = table.apply(lambda column: map_objects(column, _unguard_formula))
    return Source(table, None, None, tabular=True)


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


def _read_xlsx(path: Path, spec: model.Layer) -> Source:
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip(archive, path.name)  # an .xlsx is a zip, and may be a bomb
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception as exc:  # zipfile and openpyxl raise many kinds
        raise _unreadable(path.name, "Excel", exc) from None
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
        raise ImportFileError("io.sheet_empty", name=path.name)
    header = [f"column{i + 1}" if v is None else str(v) for i, v in enumerate(rows[header_at])]
    width = len(header)
    body = [list(row[:width]) + [None] * (width - len(row)) for row in rows[header_at + 1 :]]
    table = pd.DataFrame(body, columns=header, dtype=object)
    table = _clean_table(table, first_row=header_at + 2)
    return Source(table, None, None, tabular=True, excel=True)


def _read_kml(path: Path) -> Source:
    """Every placemark of a KML file, folder after folder (GDAL reads folders as layers)."""
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # not KML at all
        raise _unreadable(path.name, "KML", exc) from None
    parts = [_read_vector(path, path.name, "KML", layer=layer) for layer in layers]
    parts = [p for p in parts if len(p.table)]
    if not parts:
        raise ImportFileError("io.no_layers", name=path.name)
    table = pd.concat([p.table for p in parts], ignore_index=True)
    geometry = pd.concat([p.geometry for p in parts], ignore_index=True)
    table.index = geometry.index = pd.RangeIndex(1, len(table) + 1)
    # KML names its fields Name and Description; match them to our lower-case fields.
    table.columns = [c.lower() if c in ("Name", "Description") else c for c in table.columns]
    return Source(table, geometry, parts[0].crs, tabular=False)


def _blank(value: object) -> object:
    """A cell's value with text stripped; None for a blank or missing cell.

    Arrays and nested objects (GeoJSON properties such as ``"center": [117.2, 39.1]``)
    become their JSON text, so a column of them can still be mapped to a text field.
    """
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, list | tuple | dict | np.ndarray):
        return _json_text(value)
    if value is None or pd.isna(value):
        return None
    return value


def _json_text(value: object) -> str | None:
    """JSON of an array or object, None when it is empty."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if len(value) == 0:
        return None
    return json.dumps(value, ensure_ascii=False, default=str)


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


def drop_blank_rows(source: Source) -> Source:
    """The source without rows that hold nothing at all (no cell, no geometry), except
    rows that could not be read: those are rejected with the reason."""
    blank = source.table.isna().all(axis=1)
    if source.geometry is not None:
        blank &= source.geometry.isna()
    blank &= ~source.table.index.isin(list(source.unreadable))
    if blank.any():
        source.table = source.table.loc[~blank]
        if source.geometry is not None:
            source.geometry = source.geometry.loc[~blank]
    return source
