"""What is in a file before it is imported: its columns, the fields they feed, its CRS.

The Data page shows these guesses for a person to confirm or change; nothing here
writes anything. :func:`inspect_file` reads a file once; :func:`guess_mapping`
matches its columns to a layer's fields by name and by the synonyms offices use in
English and Chinese (and Open311); :func:`guess_crs` names the coordinate system,
from the file itself or from the size of its numbers; :func:`unknown_statuses` and
:func:`guess_status` help map status words the importer does not know.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import shapely

from geo import model
from geo.crs import local_utm_epsg
from geo.io import reports
from geo.io.columns import COORDINATE_FIELDS, LAT_NAMES, LON_NAMES, WKT_NAMES, first_named
from geo.io.geometry import file_system
from geo.io.readers import check_file, drop_blank_rows, read_any

SAMPLE_ROWS = 10
_CRS_SAMPLE = 2000  # coordinates looked at when guessing a CRS from the numbers
_MARGIN_DEG = 0.005  # about 500 m around the community: converted points "on" it
_NEAR_DEG = 0.05  # about 5 km: converted points "near" it, when none is on it

# Column names as compared: lower case, without spaces, "_", "-", "." and brackets.
_PUNCTUATION = re.compile(r"[\s_\-./()（）:：]+")


def _norm(name: object) -> str:
    return _PUNCTUATION.sub("", str(name).strip().lower())


# Other names of each field, most likely first. The importer already takes a column
# named exactly as the field (in any case), so these are only the other words.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "community_id": ("comm_id", "community", "社区编号", "社区id", "社区代码", "社区"),
    "name": ("名称", "名字", "title", "label", "社区名称", "网格名称", "楼栋名称", "楼名"),
    "code": ("代码", "编码", "社区编码", "行政区划代码", "区划代码"),
    "street": ("街道", "所属街道", "街道办", "subdistrict", "township", "乡镇街道"),
    "tz": ("time zone", "timezone", "时区"),
    "grid_id": (
        "grid code",
        "grid_code",
        "grid no",
        "grid",
        "网格编号",
        "网格号",
        "网格代码",
        "网格编码",
        "网格id",
        "所属网格",
        "网格",
    ),
    "worker_name": ("worker", "grid worker", "wkr_name", "网格员", "网格员姓名", "负责人"),
    "worker_phone": (
        "wkr_phone",
        "phone",
        "tel",
        "telephone",
        "mobile",
        "网格员电话",
        "联系电话",
        "电话",
        "手机",
        "手机号",
    ),
    "building_id": (
        "bldg_id",
        "building",
        "building no",
        "楼号",
        "楼栋号",
        "楼栋编号",
        "楼栋id",
        "楼栋",
        "楼",
    ),
    "address": ("addr", "地址", "详细地址", "门牌", "门牌地址"),
    "year_built": ("year", "built", "建成年份", "建成年代", "建设年代", "竣工年份", "建成时间"),
    "floors": ("storeys", "stories", "levels", "层数", "楼层数", "楼层", "地上层数"),
    "units": ("entrances", "单元数", "单元"),
    "households": ("hh", "dwellings", "户数", "住户数", "总户数", "居民户数"),
    "elevator": ("lift", "has_elevator", "电梯", "有无电梯", "是否有电梯"),
    "elderly_share": ("elder_shr", "elderly", "老年人占比", "老龄化率", "老人比例", "老年人比例"),
    "renovation": ("改造", "改造项目", "改造内容"),
    "charger_id": ("charger", "充电桩编号", "充电设施编号", "设施编号"),
    "kind": ("type", "类型", "种类", "类别"),
    "ports": ("接口数", "端口数", "充电口", "充电口数", "插座数"),
    "operator": ("运营商", "运营单位", "运营方"),
    "status": ("state", "状态", "办理状态", "处理状态", "工单状态"),
    "area_id": ("area", "晾晒区编号", "晾晒点编号"),
    "capacity": ("容量", "可晾晒数", "晾晒位"),
    "external_id": (
        "ext_id",
        "service_request_id",
        "request_id",
        "srnumber",
        "case_id",
        "ticket",
        "工单号",
        "工单编号",
        "诉求编号",
        "来源编号",  # how the Data page names the field
        "source_id",
        "id",
        "编号",
        "report_id",
    ),
    "category": (
        "service_name",
        "requesttype",
        "request type",
        "type",
        "service_code",
        "类别",
        "类型",
        "诉求类别",
        "问题类型",
        "问题类别",
        "分类",
    ),
    "category_text": ("cat_text",),
    "description": (
        "descr",
        "details",
        "detail",
        "desc",
        "content",
        "描述",
        "内容",
        "诉求内容",
        "问题描述",
        "详情",
    ),
    "source": ("channel", "来源", "渠道", "诉求来源", "反映渠道"),
    "reporter_name": ("rep_name", "reporter", "反映人", "报告人", "诉求人", "联系人", "姓名"),
    "reporter_phone": (
        "rep_phone",
        "phone",
        "tel",
        "telephone",
        "mobile",
        "联系电话",
        "电话",
        "手机",
        "手机号",
    ),
    "created_at": (
        "created",
        "requested_datetime",
        "createddate",
        "created_date",
        "datetime",
        "date",
        "time",
        "创建时间",
        "上报时间",
        "反映时间",
        "提交时间",
        "时间",
        "日期",
    ),
    "assignee": ("assigned_to", "handler", "处理人", "责任人", "承办人"),
    "due_at": ("due", "expected_datetime", "deadline", "期限", "截止时间", "办结期限"),
    "closed_at": ("closed", "closed_date", "closeddate", "办结时间", "关闭时间", "完成时间"),
    "rating": ("satisfaction", "score", "评价", "满意度", "评分"),
    "escalation_level": ("esc_level", "上报层级"),
    "duplicate_of": ("dup_of", "重复"),
    "lon": tuple(n for n in LON_NAMES if n != "lon"),
    "lat": tuple(n for n in LAT_NAMES if n != "lat"),
    "geometry": (*(n for n in WKT_NAMES if n != "geometry"), "the_geom", "shape", "几何"),
}
# Generic ids go to the key of a layer that has no better column for it; a name
# last (a KML placemark's name is often all there is to tell features apart).
_KEY_SYNONYMS = ("id", "编号", "code", "fid", "objectid", "name", "名称")

# Status words offices use that the importer does not take by itself (it knows
# geo.io.reports.STATUS_SYNONYMS): a guess only, pre-selected for a person to confirm.
_STATUS_GUESSES = {
    "submitted": ("unprocessed", "未处理", "新建", "待办"),
    "accepted": ("accepted_pending", "已接收", "已签收", "已受理待派"),
    "dispatched": ("dispatched_to_team", "已转派", "已交办", "已派发"),
    "in_progress": ("working", "ongoing", "underway", "进行中", "处置中"),
    "resolved": ("complete", "finished", "已解决待评价", "已办理"),
    "closed": ("archived", "已归档", "结案", "已办结归档"),
    "rejected": ("declined", "refused", "无效", "不受理", "驳回"),
    "duplicate": ("dup", "重复件", "重复工单"),
    "escalated": ("referred", "transferred", "转办", "上报", "已上报上级"),
}


@dataclass
class FileInspection:
    """A file as the importer will see it, read once.

    Attributes
    ----------
    path, layer
        The file and the layer it is meant for.
    columns
        The file's attribute columns, in order (Shapefile short names made long).
    empty_columns
        The columns without a single value (KML files carry several).
    n_rows
        Data rows (blank rows not counted).
    sample
        The first :data:`SAMPLE_ROWS` rows, indexed by row (CSV, Excel) or feature
        (spatial files) number.
    tabular
        True for CSV and Excel, whose coordinates are in columns.
    file_crs
        The file's own coordinate system as the importer names it ("wgs84",
        "EPSG:n" or WKT), None when it declares none.
    file_crs_name
        The name of ``file_crs`` for people ("WGS 84 / UTM zone 50N").
    bounds
        ``(minx, miny, maxx, maxy)`` of a spatial file's geometries, in its own
        coordinates; None for CSV and Excel.
    table
        Every row's attributes (for coordinates and status words).
    geometry
        A spatial file's geometries, indexed like ``table``; None for CSV and Excel.
    """

    path: Path
    layer: str
    columns: list[str]
    empty_columns: list[str]
    n_rows: int
    sample: pd.DataFrame
    tabular: bool
    file_crs: str | None
    file_crs_name: str | None
    bounds: tuple[float, float, float, float] | None
    table: pd.DataFrame = field(repr=False)
    geometry: pd.Series | None = field(default=None, repr=False)


@dataclass(frozen=True)
class CrsGuess:
    """A guessed coordinate system and what it rests on.

    ``crs`` is "wgs84", "EPSG:n" or the file's own WKT; None when the numbers do
    not tell (ask the person). ``basis`` is "file" (the file declares it),
    "degrees" (the numbers are longitudes and latitudes), "metres" (projected
    numbers that land on the community, or carry a Gauss-Krüger zone number),
    "metres_unchecked" (projected numbers; the community's UTM zone, which could
    not be checked) or "unknown".
    """

    crs: str | None
    basis: str


def fields(layer: str, tabular: bool) -> list[str]:
    """The fields a column of a file can feed: the layer's columns, and coordinates.

    Parameters
    ----------
    layer
        A layer of :mod:`geo.model`.
    tabular
        True for CSV and Excel, whose points come from lon/lat columns or WKT.

    Returns
    -------
    list of str
        "lon", "lat" and "geometry" first for tabular files, then the model's columns
        (without report_id: the store numbers reports itself).
    """
    spec = model.layer(layer)
    names = [c for c in spec.columns if not (layer == "reports" and c == "report_id")]
    return [*COORDINATE_FIELDS, *names] if tabular else names


def inspect_file(path: str | Path, layer: str) -> FileInspection:
    """Read ``path`` as the importer would and describe it.

    Parameters
    ----------
    path
        A .geojson/.json, .gpkg, .zip (zipped Shapefile), .kml, .csv or .xlsx file;
        its suffix decides the reader.
    layer
        The layer the file is meant for (picks the GeoPackage layer or Excel sheet
        of that name when there is one).

    Returns
    -------
    FileInspection

    Raises
    ------
    ImportFileError
        When the file cannot be read at all (unknown type, empty, too big, broken).
    """
    path = Path(path)
    spec = model.layer(layer)
    check_file(path)
    # "wgs84" only lets a Shapefile without .prj be read; its CRS is then asked for.
    source = drop_blank_rows(read_any(path, spec, "wgs84"))
    table = source.table
    crs = file_crs_name = bounds = None
    if not source.tabular:
        if source.crs is not None:
            crs = file_system(source.crs)
            file_crs_name = pyproj.CRS.from_user_input(source.crs).name
        values = source.geometry.to_numpy(dtype=object)
        present = values[~shapely.is_missing(values) & ~shapely.is_empty(values)]
        if len(present):
            bounds = tuple(float(v) for v in shapely.total_bounds(present))
    return FileInspection(
        path=path,
        layer=layer,
        columns=[str(c) for c in table.columns],
        empty_columns=[str(c) for c in table.columns if table[c].isna().all()],
        n_rows=len(table),
        sample=table.head(SAMPLE_ROWS),
        tabular=source.tabular,
        file_crs=crs,
        file_crs_name=file_crs_name,
        bounds=bounds,
        table=table,
        geometry=source.geometry,
    )


def guess_mapping(
    columns: list[str], layer: str, tabular: bool = True, empty: Iterable[str] = ()
) -> dict[str, str]:
    """Guess which column feeds each field of ``layer``.

    Parameters
    ----------
    columns
        The file's column names.
    layer
        The target layer.
    tabular
        Whether lon, lat and geometry are fields too (CSV and Excel).
    empty
        Columns without values: never guessed.

    Returns
    -------
    dict
        ``{field: column}`` for the fields a column was found for. The same name
        first, then the same name in another case or spelling ("Grid ID"), then the
        synonyms of :data:`SYNONYMS` (English, Chinese, Open311); a column feeds at
        most one guessed field.
    """
    wanted = fields(layer, tabular)
    spec = model.layer(layer)
    by_norm: dict[str, str] = {}
    for column in columns:
        by_norm.setdefault(_norm(column), column)
    guess: dict[str, str] = {}
    used: set[str] = set(empty)

    def take(name: str, column: str | None) -> None:
        if column is not None and column not in used and name not in guess:
            guess[name] = column
            used.add(column)

    for name in wanted:  # the importer takes these by itself
        take(name, name if name in columns else None)
    for name in wanted:
        take(name, by_norm.get(_norm(name)))
    for name in wanted:
        synonyms = SYNONYMS.get(name, ())
        if name == spec.key:
            synonyms = (*synonyms, *_KEY_SYNONYMS)
        for synonym in synonyms:
            column = by_norm.get(_norm(synonym))
            if column is not None and column not in used:
                take(name, column)
                break
    return guess


def guess_crs(
    inspection: FileInspection,
    mapping: dict[str, str] | None = None,
    community_extent: tuple[float, float, float, float] | None = None,
) -> CrsGuess:
    """Guess the coordinate system of a file.

    Parameters
    ----------
    inspection
        From :func:`inspect_file`.
    mapping
        ``{field: column}`` as chosen; its lon, lat or geometry column gives a CSV's
        coordinates (default: the columns the importer finds by name).
    community_extent
        ``(minx, miny, maxx, maxy)`` of the community in WGS 84, to pick and check a
        projected system for numbers in metres.

    Returns
    -------
    CrsGuess
        The file's own CRS when it declares one; WGS 84 for numbers within
        longitude/latitude range; for metres, the system (the community's UTM zone,
        or China's CGCS2000 3-degree Gauss-Krüger zone) that puts them on the
        community; else ``crs=None``.
    """
    if inspection.file_crs is not None:
        return CrsGuess(inspection.file_crs, "file")
    xs, ys = _coordinates(inspection, mapping or {})
    if not len(xs):
        return CrsGuess(None, "unknown")
    if np.all(np.abs(xs) <= 180) and np.all(np.abs(ys) <= 90):
        return CrsGuess("wgs84", "degrees")
    x, y = float(np.median(xs)), float(np.median(ys))
    fitting = _best_fit(_metric_candidates(x, community_extent), xs, ys, community_extent)
    if fitting is not None:
        return CrsGuess(f"EPSG:{fitting}", "metres")
    zone = _gauss_kruger_zone(x)
    if zone is not None and community_extent is None:
        return CrsGuess(f"EPSG:{4488 + zone}", "metres")  # the zone number says it all
    if community_extent is not None and _looks_utm(x, y):
        lon, lat = _centre(community_extent)
        return CrsGuess(f"EPSG:{local_utm_epsg(lon, lat)}", "metres_unchecked")
    return CrsGuess(None, "unknown")


def _coordinates(inspection: FileInspection, mapping: dict[str, str]):
    """Up to :data:`_CRS_SAMPLE` x and y values of the file, as numbers."""
    if not inspection.tabular:
        geometry = inspection.geometry
        if geometry is None or inspection.bounds is None:
            return np.array([]), np.array([])
        values = geometry.to_numpy(dtype=object)[:_CRS_SAMPLE]
        values = values[~shapely.is_missing(values)]
        coords = shapely.get_coordinates(values)
        return coords[:, 0], coords[:, 1]
    table = inspection.table.head(_CRS_SAMPLE)
    lon = mapping.get("lon") or first_named(table.columns, LON_NAMES)
    lat = mapping.get("lat") or first_named(table.columns, LAT_NAMES)
    if lon in table and lat in table:
        xs = pd.to_numeric(table[lon], errors="coerce").to_numpy(dtype=float)
        ys = pd.to_numeric(table[lat], errors="coerce").to_numpy(dtype=float)
        ok = np.isfinite(xs) & np.isfinite(ys)
        return xs[ok], ys[ok]
    wkt = mapping.get("geometry") or first_named(table.columns, WKT_NAMES)
    if wkt in table:
        texts = [v for v in table[wkt] if isinstance(v, str)]
        geoms = shapely.from_wkt(np.array(texts, dtype=object), on_invalid="ignore")
        coords = shapely.get_coordinates(geoms)
        return coords[:, 0], coords[:, 1]
    return np.array([]), np.array([])


def _centre(extent) -> tuple[float, float]:
    minx, miny, maxx, maxy = extent
    return (minx + maxx) / 2, (miny + maxy) / 2


def _gauss_kruger_zone(x: float) -> int | None:
    """The zone of a CGCS2000 3-degree Gauss-Krüger easting written with its zone
    number in front (39 500 000 for zone 39), else None."""
    zone = int(x // 1_000_000)
    return zone if 25 <= zone <= 45 and 100_000 < x % 1_000_000 < 900_000 else None


def _looks_utm(x: float, y: float) -> bool:
    return 100_000 <= x <= 900_000 and 0 <= y <= 10_000_000


def _metric_candidates(x: float, extent) -> list[int]:
    """Projected systems worth trying, most likely first."""
    candidates = []
    zone = _gauss_kruger_zone(x)
    if zone is not None:
        candidates.append(4488 + zone)  # CGCS2000 / 3-degree Gauss-Kruger zone N
    if extent is not None:
        lon, lat = _centre(extent)
        candidates.append(local_utm_epsg(lon, lat))
        meridian = 3 * round(lon / 3)
        if 75 <= meridian <= 135:
            candidates.append(4534 + (meridian - 75) // 3)  # CGCS2000 / 3-degree GK CM
    return candidates


def _best_fit(candidates: list[int], xs, ys, extent) -> int | None:
    """The candidate that puts most points on the community, else one that puts
    their middle within about 5 km of it; None when none does.

    Systems such as UTM 50N and CGCS2000 Gauss-Krüger CM 117E differ by a kilometre
    or two only, so the points themselves decide, with a margin of about 500 m.
    """
    if extent is None or not candidates:
        return None
    minx, miny, maxx, maxy = extent
    best, best_share = None, 0.0
    for epsg in candidates:
        transformer = pyproj.Transformer.from_crs(epsg, 4326, always_xy=True)
        lon, lat = transformer.transform(xs, ys)
        inside = (
            (lon >= minx - _MARGIN_DEG)
            & (lon <= maxx + _MARGIN_DEG)
            & (lat >= miny - _MARGIN_DEG)
            & (lat <= maxy + _MARGIN_DEG)
        )
        share = float(np.mean(inside))
        if share > best_share:
            best, best_share = epsg, share
    if best is not None:
        return best
    for epsg in candidates:
        transformer = pyproj.Transformer.from_crs(epsg, 4326, always_xy=True)
        lon, lat = transformer.transform(float(np.median(xs)), float(np.median(ys)))
        if (
            minx - _NEAR_DEG <= lon <= maxx + _NEAR_DEG
            and miny - _NEAR_DEG <= lat <= maxy + _NEAR_DEG
        ):
            return epsg
    return None


def unknown_statuses(values: pd.Series) -> list[str]:
    """The distinct status words of ``values`` that the importer does not know.

    Parameters
    ----------
    values
        The column that feeds the status field.

    Returns
    -------
    list of str
        The words as the file writes them, sorted; rows with them are rejected
        unless a ``status_map`` names their status.
    """
    return [w for w in reports.unknown_statuses(values) if w.strip()]


def guess_status(word: str) -> str | None:
    """A likely status code for a status word the importer does not know, or None."""
    key = reports.status_key(word)
    for code, words in _STATUS_GUESSES.items():
        if key in {reports.status_key(w) for w in words}:
            return code
    return None
