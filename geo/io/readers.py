"""Reading each file format into a table of attributes and a column of geometries.

GeoJSON, GeoPackage, zipped Shapefile, KML, CSV and Excel. Rows keep the number a
person finds them by: the spreadsheet row of a CSV or Excel file (the header is
row 1), the 1-based feature of a spatial file.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio

from geo import model
from geo.errors import ImportFileError
from geo.exporting import SHAPEFILE_FIELDS
from geo.io.values import nones
from geo.privacy import map_objects

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_ZIP_RATIO = 100
# Below this many unpacked bytes a high compression ratio is harmless (a Shapefile's
# .dbf of mostly blank text compresses very well), so the ratio is not checked.
ZIP_RATIO_MIN_BYTES = 10 * 1024 * 1024

SPATIAL_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip")
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

    @property
    def unit(self) -> str:
        """What the numbers count: "row" (CSV, Excel) or "feature" (spatial files)."""
        return "row" if self.tabular else "feature"


def check_file(path: Path) -> None:
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


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# --- reading each format ---------------------------------------------------------------


def read_any(path: Path, spec: model.Layer, system: str | None) -> Source:
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


def _read_vector(source: Path, name: str, kind: str, **kwargs) -> Source:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pyogrio.read_dataframe(source, **kwargs)
    except Exception as exc:  # GDAL reports problems through many exception classes
        raise ImportFileError(f"cannot read {name} as {kind}: {_one_line(exc)}") from None
    if not isinstance(frame, gpd.GeoDataFrame):
        table = _clean_table(pd.DataFrame(frame), first_row=1)
        return Source(table, nones(table.index), None, False)
    table = _clean_table(pd.DataFrame(frame.drop(columns=frame.geometry.name)), first_row=1)
    geometry = pd.Series(frame.geometry.to_numpy(), index=table.index, dtype=object)
    return Source(table, geometry, frame.crs, tabular=False)


def _read_geopackage(path: Path, spec: model.Layer) -> Source:
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # not a GeoPackage at all
        raise ImportFileError(f"cannot read {path.name} as GeoPackage: {_one_line(exc)}") from None
    if not layers:
        raise ImportFileError(f"{path.name} holds no layers.")
    chosen = spec.name if spec.name in layers else layers[0]
    return _read_vector(path, path.name, "GeoPackage", layer=chosen)


def _read_zipped_shapefile(path: Path, spec: model.Layer, system: str | None) -> Source:
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
            raise ImportFileError(f"{path.name} is empty: it has no header and no rows.") from None
        except (pd.errors.ParserError, ValueError) as exc:
            raise ImportFileError(f"cannot read {path.name} as CSV: {_one_line(exc)}") from None
    else:
        raise ImportFileError(f"cannot read {path.name}: it is neither UTF-8 nor GB18030 text.")
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
    return Source(_clean_table(table, first_row=header_at + 2), None, None, tabular=True)


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


def drop_blank_rows(source: Source) -> Source:
    blank = source.table.isna().all(axis=1)
    if source.geometry is not None:
        blank &= source.geometry.isna()
    if blank.any():
        source.table = source.table.loc[~blank]
        if source.geometry is not None:
            source.geometry = source.geometry.loc[~blank]
    return source
