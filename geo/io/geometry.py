"""Geometry of imported rows: points from coordinates or WKT, CRS, range and validity checks."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pyproj
import shapely

from geo import model
from geo.crs import to_wgs84_transform
from geo.errors import ImportFileError
from geo.i18n import msg
from geo.io.columns import LAT_NAMES, LON_NAMES, WKT_NAMES, first_named
from geo.io.rejects import Rejects
from geo.io.values import as_text
from geo.privacy import map_objects

_SWAP_MARGIN_DEG = 0.02  # about 2 km around the community when testing for swapped axes
_POINT, _POLYGON, _MULTIPOLYGON = 0, 3, 6
_DECIMAL_COMMA = re.compile(r"^[-+]?\d+,\d+$")

# --- geometry --------------------------------------------------------------------------


def table_geometry(
    table, spec, system, extent, rejects, notes, name
) -> tuple[pd.Series, pd.Series | None]:
    """Geometries of a CSV or Excel table: points from lon/lat columns or WKT text.

    Also returns, for points, the coordinates as the file writes them (for reasons).
    """
    lon_column = first_named(table.columns, LON_NAMES)
    lat_column = first_named(table.columns, LAT_NAMES)
    wkt_column = first_named(table.columns, WKT_NAMES)
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
    raise ImportFileError("io.no_coordinates", name=name)


def _points(table, lon_column, lat_column, system, extent, rejects, notes) -> pd.Series:
    lon_text, lat_text = table[lon_column], table[lat_column]
    lon = _coordinates(lon_text)
    lat = _coordinates(lat_text)
    missing = lon_text.isna() | lat_text.isna()
    rejects.add_where(missing, msg("io.reason.no_coordinates"))
    for column, text, values in ((lon_column, lon_text, lon), (lat_column, lat_text, lat)):
        # "Infinity" and "1e999" parse, but are no coordinate either.
        for label in text.index[text.notna().to_numpy() & ~np.isfinite(values)]:
            value = text[label]
            key = "io.reason.comma_number" if "," in str(value) else "io.reason.not_number"
            rejects.add([label], msg(key, column=column, value=repr(value)))
    swap = _swapped(lon, lat, extent, system)
    if swap.any():
        lon, lat = np.where(swap, lat, lon), np.where(swap, lon, lat)
        count = int(swap.sum())
        key = "io.note.swapped_one" if count == 1 else "io.note.swapped"
        notes.append(msg(key, count=count, rows=_some(table.index[swap])))
    ok = np.isfinite(lon) & np.isfinite(lat)
    geometry = np.full(len(table), None, dtype=object)
    geometry[ok] = shapely.points(lon[ok], lat[ok])
    return pd.Series(geometry, index=table.index, dtype=object)


def _coordinates(text: pd.Series) -> np.ndarray:
    """Numbers of a coordinate column; NaN where the cell is not a number.

    A comma is taken as the decimal mark when it is the only separator in the cell
    ("117,2153", as a German or Russian spreadsheet writes it). Commas used any other
    way ("117,215,3" or "4,332,123.5") are ambiguous and leave the cell unread, so
    its row is rejected with a reason.
    """
    as_text = map_objects(text, _decimal_comma)
    return pd.to_numeric(as_text, errors="coerce").to_numpy(dtype=float)


def _decimal_comma(value: object) -> object:
    if isinstance(value, str) and _DECIMAL_COMMA.match(value.strip()):
        return value.strip().replace(",", ".")
    return value


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


def _geometries_from_wkt(text: pd.Series, column: str, rejects: Rejects) -> pd.Series:
    values = map_objects(text, as_text).to_numpy(dtype=object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        geometry = shapely.from_wkt(values, on_invalid="ignore")
    geometry = pd.Series(geometry, index=text.index, dtype=object)
    rejects.add_where(text.isna(), msg("io.reason.no_geometry"))
    rejects.add_where(text.notna() & geometry.isna(), msg("io.reason.bad_wkt", column=column))
    return geometry


def file_system(crs) -> str:
    """The system of a spatial file's coordinates: its own CRS, else WGS 84."""
    if crs is None:
        return "wgs84"
    crs = pyproj.CRS.from_user_input(crs)
    epsg = crs.to_epsg()
    if epsg == 4326:
        return "wgs84"
    return f"EPSG:{epsg}" if epsg else crs.to_wkt()


def to_wgs84(geometry: pd.Series, system: str) -> pd.Series:
    values = shapely.force_2d(geometry.to_numpy(dtype=object))
    if system != "wgs84":
        convert = to_wgs84_transform(system)

        def transform(xy: np.ndarray) -> np.ndarray:
            x, y = convert(xy[:, 0], xy[:, 1])
            return np.column_stack([x, y])

        with np.errstate(all="ignore"):
            values = shapely.transform(values, transform)
    return pd.Series(values, index=geometry.index, dtype=object)


def check_range(
    geometry: pd.Series,
    source: pd.Series,
    quotes: pd.Series | None,
    system: str,
    rejects: Rejects,
    name: str,
) -> None:
    """Reject coordinates outside lon/lat range; refuse the file when most are.

    ``geometry`` is in WGS 84, ``source`` the same rows as the file gives them;
    ``quotes`` (for CSV and Excel points) the coordinates as written in the file. A
    reason quotes the file's own values.
    """
    values = geometry.to_numpy(dtype=object)
    present = ~shapely.is_missing(values) & ~shapely.is_empty(values)
    unreal = _not_finite(values)  # NaN or Infinity: no place at all, and GEOS fails on them
    for label in geometry.index[unreal]:
        rejects.add([label], msg("io.reason.not_finite"))
    present &= ~unreal
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
            raise ImportFileError("io.looks_projected", name=name, x=f"{x:.1f}", y=f"{y:.1f}")
        raise ImportFileError(
            "io.out_of_range_after", name=name, system=system, x=f"{x:.1f}", y=f"{y:.1f}"
        )
    labels = geometry.index[present][bad]
    if quotes is not None:
        for label in labels:
            rejects.add([label], msg("io.reason.out_of_range", where=quotes[label]))
        return
    raw = shapely.bounds(source.loc[labels].to_numpy(dtype=object))
    for label, (x, y) in zip(labels, raw[:, :2], strict=True):
        if system == "wgs84":
            where = f"lon {x:.10g}, lat {y:.10g}"
            rejects.add([label], msg("io.reason.out_of_range", where=where))
        else:
            where = f"x {x:.10g}, y {y:.10g}"
            rejects.add([label], msg("io.reason.out_of_range_after", system=system, where=where))


def _not_finite(values: np.ndarray) -> np.ndarray:
    """Which geometries have a coordinate that is NaN or infinite."""
    coords, which = shapely.get_coordinates(values, return_index=True)
    bad = np.zeros(len(values), dtype=bool)
    bad[which[~np.isfinite(coords).all(axis=1)]] = True
    return bad


def check_geometries(
    geometry: pd.Series, spec: model.Layer, rejects: Rejects, notes: list[str]
) -> tuple[pd.Series, int]:
    """Reject missing and wrongly typed geometries; repair invalid polygons."""
    values = geometry.to_numpy(dtype=object).copy()
    types = shapely.get_type_id(values)
    missing = (types < 0) | shapely.is_empty(values)
    allowed = _allowed_types(spec)
    rejected_before = rejects.mask(geometry.index)
    for i in np.flatnonzero(missing & ~rejected_before):
        rejects.add([geometry.index[i]], msg("io.reason.no_geometry"))
    for i in np.flatnonzero(~missing & ~np.isin(types, allowed)):
        kind = shapely.get_type_id(values[i])
        rejects.add(
            [geometry.index[i]],
            msg(
                "io.reason.wrong_type",
                kind=_type_name(kind),
                layer=spec.name,
                wanted=msg(f"io.wanted.{_wanted(spec)}"),
            ),
        )
    polygonal = ~missing & np.isin(types, (_POLYGON, _MULTIPOLYGON))
    repaired_rows = []
    # Rows rejected already (coordinates out of range or not finite) are not repaired:
    # their reason is said, and GEOS cannot work on infinite coordinates.
    for i in np.flatnonzero(polygonal & ~rejected_before & ~shapely.is_valid(values)):
        reason = shapely.is_valid_reason(values[i])
        fixed = _polygonal_part(shapely.make_valid(values[i]))
        if fixed is not None and spec.geometry == "Polygon":
            fixed = _largest_polygon(fixed)
        if fixed is None:
            rejects.add([geometry.index[i]], msg("io.reason.unrepairable", reason=reason))
            continue
        values[i] = fixed
        repaired_rows.append(geometry.index[i])
    if repaired_rows:
        notes.append(
            msg(
                "io.note.repaired",
                count=len(repaired_rows),
                unit=msg(f"io.unit.{rejects.unit}s"),
                rows=_some(repaired_rows),
            )
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
        spec.geometry, "points_or_polygons"
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


def _fit_polygon_type(values: np.ndarray, spec: model.Layer, rejects: Rejects, index) -> np.ndarray:
    """Buildings need one Polygon; grids and communities are MultiPolygons."""
    values, several_parts = model.fit_polygon_type(spec, values)
    for i in several_parts:
        parts = shapely.get_num_geometries(values[i])
        rejects.add([index[i]], msg("io.reason.several_parts", parts=parts, layer=spec.name))
    return values
