"""Importing files: every format, every bad input with its message, nothing lost."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import pytest
import shapely
from openpyxl import Workbook
from shapely.geometry import LineString, Point, Polygon, box

from geo import model
from geo.crs import wgs84_to_gcj02
from geo.errors import ImportFileError
from geo.io import import_file, read_source, readers
from geo.store.gpkg import GeoPackageStore

WEST, SOUTH, EAST, NORTH = 117.30, 39.08, 117.32, 39.10
MID_LON, MID_LAT = 117.31, 39.09
GEOD = pyproj.Geod(ellps="WGS84")


def community_layers() -> dict[str, gpd.GeoDataFrame]:
    """A 2×2 grid of squares near Tianjin and three buildings."""
    community = gpd.GeoDataFrame(
        {"community_id": ["c1"], "name": ["测试社区"]},
        geometry=[box(WEST, SOUTH, EAST, NORTH)],
        crs="EPSG:4326",
    )
    cells = [
        ("G1", box(WEST, SOUTH, MID_LON, MID_LAT)),
        ("G2", box(MID_LON, SOUTH, EAST, MID_LAT)),
        ("G3", box(WEST, MID_LAT, MID_LON, NORTH)),
        ("G4", box(MID_LON, MID_LAT, EAST, NORTH)),
    ]
    grids = gpd.GeoDataFrame(
        {"grid_id": [c[0] for c in cells], "community_id": "c1", "name": ["一", "二", "三", "四"]},
        geometry=[c[1] for c in cells],
        crs="EPSG:4326",
    )
    buildings = gpd.GeoDataFrame(
        {
            "building_id": ["B1", "B2", "B3"],
            "community_id": "c1",
            "name": ["1号楼", "2号楼", "3号楼"],
        },
        geometry=[
            box(117.302, 39.082, 117.304, 39.083),
            box(117.312, 39.092, 117.314, 39.093),
            box(117.316, 39.084, 117.318, 39.085),
        ],
        crs="EPSG:4326",
    )
    return {"community": community, "grids": grids, "buildings": buildings}


@pytest.fixture
def store(tmp_path) -> GeoPackageStore:
    s = GeoPackageStore(tmp_path / "s.gpkg")
    s.load_community(community_layers())
    return s


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


def read_rejects(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


REPORTS_CSV = """
external_id,category,created_at,lon,lat,description
R1,drainage,2024-05-01 08:00,117.305,39.085,下水道堵了
R2,排水,2024-05-02 09:30,117.315,39.085,
R3,燃气,2024-05-03 10:00,117.305,39.095,没有燃气
R4,waterlogging,2024-05-04T11:00:00+08:00,117.315,39.095,
"""


# --- reports -------------------------------------------------------------------------


def test_reports_csv_imported_assigned_and_timed(store, tmp_path):
    path = write_csv(tmp_path / "reports.csv", REPORTS_CSV)
    result = import_file(store, "reports", path)
    assert (result.imported, result.skipped, result.rejected) == (4, 0, 0)
    assert result.rejects_path is None
    assert not (tmp_path / "reports.csv.rejects.csv").exists()
    reports = store.read("reports").set_index("external_id")
    assert reports["grid_id"].to_dict() == {"R1": "G1", "R2": "G2", "R3": "G3", "R4": "G4"}
    assert reports.loc[["R1", "R2"], "category"].tolist() == ["drainage", "drainage"]
    assert reports.at["R3", "category"] == "gas"
    assert set(reports["status"]) == {"submitted"}
    # naive times are Asia/Shanghai; due_at defaults to created_at + the category's SLA
    assert reports.at["R1", "created_at"] == pd.Timestamp("2024-05-01 00:00", tz="UTC")
    assert reports.at["R1", "due_at"] == pd.Timestamp("2024-05-04 00:00", tz="UTC")
    assert reports.at["R4", "created_at"] == pd.Timestamp("2024-05-04 03:00", tz="UTC")


def test_same_reports_file_twice_adds_nothing(store, tmp_path):
    path = write_csv(tmp_path / "reports.csv", REPORTS_CSV)
    first = import_file(store, "reports", path)
    second = import_file(store, "reports", path)
    assert (first.imported, first.skipped) == (4, 0)
    assert (second.imported, second.skipped) == (0, 4)
    assert store.count("reports") == 4


def test_map_foreign_column_names(store, tmp_path):
    path = write_csv(
        tmp_path / "311.csv",
        """
srnumber,requesttype,createddate,latitude,longitude,status
1-001,Drainage,2024-05-01 08:00,39.085,117.305,accepted
1-002,Gas,2024-05-02 09:00,39.095,117.315,In Progress
""",
    )
    mapping = {"external_id": "srnumber", "category": "requesttype", "created_at": "createddate"}
    result = import_file(store, "reports", path, mapping=mapping)
    assert result.imported == 2 and result.rejected == 0
    reports = store.read("reports").set_index("external_id")
    assert reports["category"].to_dict() == {"1-001": "drainage", "1-002": "gas"}
    assert reports["status"].to_dict() == {"1-001": "accepted", "1-002": "in_progress"}
    assert reports["grid_id"].to_dict() == {"1-001": "G1", "1-002": "G4"}


def test_map_errors_are_one_line(store, tmp_path):
    path = write_csv(
        tmp_path / "311.csv", "srnumber,createddate,lat,lon\n1,2024-05-01,39.085,117.305"
    )
    with pytest.raises(ImportFileError, match="reports has no field 'colour'"):
        import_file(store, "reports", path, mapping={"colour": "srnumber"})
    with pytest.raises(ImportFileError, match="has no column 'caseid'; its columns are: srnumber"):
        import_file(store, "reports", path, mapping={"external_id": "caseid"})
    with pytest.raises(ImportFileError, match="has no created_at column"):
        import_file(store, "reports", path)
    assert store.count("reports") == 0


def test_unknown_category_stored_as_other_with_its_words(store, tmp_path):
    path = write_csv(
        tmp_path / "reports.csv",
        "external_id,category,created_at,lon,lat\n"
        "X1,楼顶太阳能漏水,2024-05-01 08:00,117.305,39.085",
    )
    result = import_file(store, "reports", path)
    report = store.read("reports").iloc[0]
    assert report["category"] == "other"
    assert report["category_text"] == "楼顶太阳能漏水"
    assert any("category not in the table" in note for note in result.notes)


def test_bad_report_rows_rejected_with_reasons(store, tmp_path):
    path = write_csv(
        tmp_path / "reports.csv",
        """
external_id,category,created_at,lon,lat,status
OK1,drainage,2024-05-01 08:00,117.305,39.085,
BAD1,drainage,next tuesday,117.305,39.085,
BAD2,drainage,,117.305,39.085,
BAD3,drainage,2024-05-01 08:00,117.305,39.085,lost
OK2,gas,2024年5月2日 9:00,117.315,39.095,closed
""",
    )
    result = import_file(store, "reports", path)
    assert (result.imported, result.rejected) == (2, 3)
    rejects = read_rejects(result.rejects_path)
    assert rejects["row"].tolist() == ["3", "4", "5"]  # spreadsheet rows: the header is row 1
    assert rejects["reason"][0] == "created_at: 'next tuesday' is not a date and time"
    assert rejects["reason"][1] == "missing created_at"
    assert rejects["reason"][2].startswith(
        "status: 'lost' is not a status we know; map it with --map-status lost=STATUS"
    )
    assert rejects["external_id"].tolist() == ["BAD1", "BAD2", "BAD3"]
    stored = store.read("reports").set_index("external_id")
    assert stored.at["OK2", "created_at"] == pd.Timestamp("2024-05-02 01:00", tz="UTC")


def test_row_without_coordinates_rejected(store, tmp_path):
    path = write_csv(
        tmp_path / "reports.csv",
        """
external_id,created_at,lon,lat
A,2024-05-01 08:00,117.305,39.085
B,2024-05-01 08:00,,
C,2024-05-01 08:00,117.315,north
""",
    )
    result = import_file(store, "reports", path)
    assert (result.imported, result.rejected) == (1, 2)
    rejects = read_rejects(tmp_path / "reports.csv.rejects.csv")
    assert rejects[["row", "reason"]].values.tolist() == [
        ["3", "no coordinates"],
        ["4", "lat: 'north' is not a number"],
    ]


def test_swapped_lat_lon_detected_and_corrected(store, tmp_path):
    # the columns say lon/lat, but hold latitude/longitude near Tianjin
    path = write_csv(
        tmp_path / "reports.csv",
        """
external_id,created_at,lon,lat
S1,2024-05-01 08:00,39.085,117.305
S2,2024-05-01 08:00,39.095,117.315
""",
    )
    result = import_file(store, "reports", path)
    assert result.imported == 2
    assert "2 rows had latitude and longitude swapped; corrected (rows 2, 3)" in result.notes
    reports = store.read("reports").set_index("external_id")
    assert reports.geometry["S1"].equals(Point(117.305, 39.085))
    assert reports["grid_id"].to_dict() == {"S1": "G1", "S2": "G4"}


def test_swapped_lat_lon_detected_without_an_extent(tmp_path):
    path = write_csv(
        tmp_path / "reports.csv", "external_id,created_at,lng,latitude\nS1,2024-05-01,39.09,117.3"
    )
    good, rejected, notes = read_source(path, "reports")
    assert rejected.empty
    assert (good.geometry[0].x, good.geometry[0].y) == (117.3, 39.09)
    assert "1 row had latitude and longitude swapped; corrected (rows 2)" in notes


def test_csv_saved_by_excel_in_gb18030(store, tmp_path):
    path = tmp_path / "reports.csv"
    text = "external_id,category,created_at,经度,纬度\nG1,积水,2024-05-01 08:00,117.305,39.085\n"
    path.write_bytes(text.encode("gb18030"))
    result = import_file(store, "reports", path)
    assert result.imported == 1
    assert store.read("reports")["category"][0] == "waterlogging"


def test_gcj02_input_lands_back_on_wgs84(store, tmp_path):
    lon, lat = 117.305, 39.085
    glon, glat = wgs84_to_gcj02(lon, lat)
    path = write_csv(
        tmp_path / "amap.csv",
        f"external_id,created_at,经度,纬度\nA1,2024-05-01 08:00,{float(glon)!r},{float(glat)!r}",
    )
    assert import_file(store, "reports", path, crs="gcj02").imported == 1
    point = store.read("reports").geometry[0]
    _, _, metres = GEOD.inv(lon, lat, point.x, point.y)
    assert metres < 0.5
    _, _, offset = GEOD.inv(lon, lat, float(glon), float(glat))
    assert offset > 100  # the test would mean nothing if GCJ-02 were WGS 84 here


def test_projected_coordinates_need_crs(store, tmp_path):
    to_utm = pyproj.Transformer.from_crs(4326, 32650, always_xy=True)
    x, y = to_utm.transform(117.305, 39.085)
    path = write_csv(tmp_path / "utm.csv", f"external_id,created_at,x,y\nU1,2024-05-01,{x},{y}")
    with pytest.raises(ImportFileError, match="coordinates look projected in utm.csv .*give --crs"):
        import_file(store, "reports", path)
    assert import_file(store, "reports", path, crs="EPSG:32650").imported == 1
    point = store.read("reports").geometry[0]
    assert point.x == pytest.approx(117.305, abs=1e-7) and point.y == pytest.approx(
        39.085, abs=1e-7
    )


def test_unknown_crs(store, tmp_path):
    path = write_csv(tmp_path / "reports.csv", REPORTS_CSV)
    with pytest.raises(ImportFileError, match="unknown --crs 'mars2000'"):
        import_file(store, "reports", path, crs="mars2000")
    with pytest.raises(ImportFileError, match="EPSG:999999 does not exist"):
        import_file(store, "reports", path, crs="EPSG:999999")


def test_xlsx_reports_with_chinese_headers_and_excel_dates(store, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "类别", "时间", "经度", "纬度", "电话"])
    sheet.append(
        [
            "X1",
            "积水",
            pd.Timestamp("2024-05-01 08:00").to_pydatetime(),
            117.305,
            39.085,
            13812341234,
        ]
    )
    sheet.append(["X2", "供暖", "2024-05-02 08:00", 117.315, 39.095, None])
    sheet.append([None] * 6)  # a blank row in the middle is not a reject
    sheet.append(["X3", "供暖", "2024-05-03 08:00", None, None, None])
    path = tmp_path / "reports.xlsx"
    book.save(path)
    mapping = {
        "external_id": "编号",
        "category": "类别",
        "created_at": "时间",
        "reporter_phone": "电话",
    }
    result = import_file(store, "reports", path, mapping=mapping)
    assert (result.imported, result.rejected) == (2, 1)
    assert read_rejects(result.rejects_path)[["row", "reason"]].values.tolist() == [
        ["5", "no coordinates"]  # sheet row 5: the blank row 4 is skipped but counted
    ]
    reports = store.read("reports").set_index("external_id")
    assert reports.at["X1", "created_at"] == pd.Timestamp("2024-05-01 00:00", tz="UTC")
    assert reports.at["X1", "category"] == "waterlogging"
    assert reports.at["X1", "reporter_phone"] == "13812341234"


# --- polygons and numbers ------------------------------------------------------------


def test_bow_tie_polygon_repaired_and_counted(store, tmp_path):
    bow_tie = Polygon([(117.300, 39.080), (117.302, 39.082), (117.302, 39.080), (117.300, 39.082)])
    assert not bow_tie.is_valid
    frame = gpd.GeoDataFrame(
        {"grid_id": ["G9", "G8"]},
        geometry=[bow_tie, box(117.31, 39.08, 117.32, 39.09)],
        crs="EPSG:4326",
    )
    path = tmp_path / "grids.geojson"
    frame.to_file(path, driver="GeoJSON")
    result = import_file(store, "grids", path)
    assert (result.imported, result.repaired, result.rejected) == (2, 1, 0)
    grid = store.read("grids").set_index("grid_id").geometry["G9"]
    assert grid.is_valid and grid.geom_type == "MultiPolygon" and len(grid.geoms) == 2
    assert grid.area == pytest.approx(2 * 0.5 * 0.002 * 0.001)
    assert any("repaired 1" in note for note in result.notes)


def test_bow_tie_building_keeps_its_largest_part(tmp_path):
    path = write_csv(
        tmp_path / "buildings.csv",
        'building_id,wkt\nB9,"POLYGON ((0 0, 2 2, 2 0, 0 1, 0 0))"',
    )
    good, rejected, _ = read_source(path, "buildings")
    assert rejected.empty and good.geometry[0].geom_type == "Polygon"


def square_wkt(lon: float, lat: float) -> str:
    """A quoted WKT square of 0.001° with its south-west corner at (lon, lat)."""
    return f'"{box(lon, lat, lon + 0.001, lat + 0.001).wkt}"'


def test_text_in_number_column_rejected_with_row_number(store, tmp_path):
    path = write_csv(
        tmp_path / "buildings.csv",
        f"""
building_id,name,floors,households,elevator,wkt
B1,1号楼,6,24,否,{square_wkt(117.302, 39.082)}
B2,2号楼,six,36,yes,{square_wkt(117.312, 39.092)}
B3,3号楼,5.5,,maybe,{square_wkt(117.316, 39.084)}
,4号楼,3,,,{square_wkt(117.306, 39.084)}
B5,5号楼,7,70,有,"LINESTRING (117.306 39.094, 117.307 39.095)"
B6,6号楼,7,70,有,not a shape
""",
    )
    result = import_file(store, "buildings", path)
    assert (result.imported, result.rejected) == (1, 5)
    rejects = read_rejects(tmp_path / "buildings.csv.rejects.csv")
    assert rejects["row"].tolist() == ["3", "4", "5", "6", "7"]
    assert rejects["reason"].tolist() == [
        "floors: 'six' is not a number",
        "floors: '5.5' is not a whole number; elevator: 'maybe' is not yes or no",
        "missing building_id",
        "wrong geometry type: LineString (buildings need polygons)",
        "wkt: not valid WKT",
    ]
    assert rejects.loc[0, "name"] == "2号楼"  # the source's own columns come along
    stored = store.read("buildings").set_index("building_id")
    assert stored.at["B1", "floors"] == 6 and not stored.at["B1", "elevator"]
    assert stored.at["B1", "name"] == "1号楼"
    assert len(stored) == 3  # B2 and B3 of the fixture were not touched


def test_duplicate_key_in_one_file_rejected(store, tmp_path):
    frame = gpd.GeoDataFrame(
        {"grid_id": ["G7", "G7"], "name": ["first", "second"]},
        geometry=[box(117.30, 39.08, 117.31, 39.09), box(117.31, 39.08, 117.32, 39.09)],
        crs="EPSG:4326",
    )
    path = tmp_path / "grids.geojson"
    frame.to_file(path, driver="GeoJSON")
    result = import_file(store, "grids", path)
    assert (result.imported, result.rejected) == (1, 1)
    rejects = read_rejects(result.rejects_path)
    assert list(rejects.columns[:2]) == ["feature", "reason"]  # spatial files count features
    assert rejects[["feature", "reason"]].values.tolist() == [
        ["2", "duplicate grid_id 'G7' (first on feature 1)"]
    ]
    assert rejects["geometry"][0].startswith("POLYGON")


def test_wrong_geometry_type_rejected(store, tmp_path):
    frame = gpd.GeoDataFrame(
        {"grid_id": ["G5", "G6"]},
        geometry=[
            LineString([(117.30, 39.08), (117.31, 39.09)]),
            box(117.30, 39.08, 117.31, 39.09),
        ],
        crs="EPSG:4326",
    )
    path = tmp_path / "grids.gpkg"
    frame.to_file(path, layer="grids", driver="GPKG")
    result = import_file(store, "grids", path)
    assert (result.imported, result.rejected) == (1, 1)
    assert read_rejects(result.rejects_path)["reason"][0] == (
        "wrong geometry type: LineString (grids need polygons)"
    )


# --- files that cannot be imported ---------------------------------------------------


def test_empty_files(store, tmp_path):
    zero = tmp_path / "reports.csv"
    zero.write_bytes(b"")
    with pytest.raises(ImportFileError, match=r"reports.csv is empty \(0 bytes\)"):
        import_file(store, "reports", zero)
    header_only = write_csv(tmp_path / "header.csv", "external_id,created_at,lon,lat")
    with pytest.raises(ImportFileError, match="header.csv has no data rows"):
        import_file(store, "reports", header_only)
    empty_geojson = tmp_path / "grids.geojson"
    empty_geojson.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    with pytest.raises(ImportFileError, match="has no data rows"):
        import_file(store, "grids", empty_geojson)
    assert store.count("reports") == 0


def test_unreadable_and_unknown_files(store, tmp_path):
    broken = tmp_path / "grids.geojson"
    broken.write_text("{ this is not json")
    with pytest.raises(ImportFileError, match="cannot read grids.geojson as GeoJSON"):
        import_file(store, "grids", broken)
    notes = tmp_path / "grids.txt"
    notes.write_text("hello")
    with pytest.raises(ImportFileError, match="unknown file type"):
        import_file(store, "grids", notes)
    with pytest.raises(ImportFileError, match="does not exist"):
        import_file(store, "grids", tmp_path / "missing.csv")
    fake_xlsx = tmp_path / "r.xlsx"
    fake_xlsx.write_text("not a workbook")
    with pytest.raises(ImportFileError, match="cannot read r.xlsx as Excel"):
        import_file(store, "reports", fake_xlsx)


def test_file_over_the_size_limit(store, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "reports.csv", REPORTS_CSV)
    monkeypatch.setattr(readers, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(ImportFileError, match="more than the 100 bytes an import may be"):
        import_file(store, "reports", path)


def shapefile_zip(tmp_path: Path, frame, name="grids", prj=True, extra=()) -> Path:
    folder = tmp_path / "shp"
    folder.mkdir()
    pyogrio.write_dataframe(frame, folder / f"{name}.shp")
    path = tmp_path / f"{name}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in sorted(folder.iterdir()):
            if part.suffix != ".prj" or prj:
                archive.write(part, arcname=f"data/{part.name}")
        for member, data in extra:
            archive.writestr(member, data)
    return path


def grids_frame() -> gpd.GeoDataFrame:
    grids = community_layers()["grids"].drop(columns="community_id")
    return grids.assign(name=["n1", "n2", "n3", "n4"])


def test_shapefile_zip_without_prj(store, tmp_path):
    path = shapefile_zip(tmp_path, grids_frame(), prj=False)
    with pytest.raises(ImportFileError) as raised:
        import_file(store, "grids", path)
    assert str(raised.value) == (
        "the Shapefile in grids.zip has no .prj file, so its coordinate system is unknown; "
        "give it with --crs (e.g. --crs 4326)"
    )
    result = import_file(store, "grids", path, crs="4326")
    assert (result.imported, result.replaced) == (4, 4)
    assert store.read("grids")["name"].tolist() == ["n1", "n2", "n3", "n4"]


def test_shapefile_zip_with_prj_in_a_projected_crs(store, tmp_path):
    path = shapefile_zip(tmp_path, grids_frame().to_crs(32650))
    result = import_file(store, "grids", path)
    assert result.imported == 4
    grid = store.read("grids").set_index("grid_id").geometry["G1"]
    expected = shapely.MultiPolygon([box(WEST, SOUTH, MID_LON, MID_LAT)])
    assert grid.normalize().equals_exact(expected.normalize(), tolerance=1e-7)


def test_zip_with_a_path_escaping_its_folder(store, tmp_path):
    path = shapefile_zip(tmp_path, grids_frame(), extra=[("../evil.shp", b"x")])
    with pytest.raises(ImportFileError, match="'../evil.shp', a path that escapes its folder"):
        import_file(store, "grids", path)
    absolute = tmp_path / "abs.zip"
    with zipfile.ZipFile(absolute, "w") as archive:
        archive.writestr("/etc/grids.shp", b"x")
    with pytest.raises(ImportFileError, match="escapes its folder"):
        import_file(store, "grids", absolute)


def test_zip_bomb_refused(store, tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("grids.shp", b"\0" * (readers.ZIP_RATIO_MIN_BYTES + 1))
    with pytest.raises(ImportFileError, match=r"compressed \d+× .*looks like a zip bomb"):
        import_file(store, "grids", bomb)
    big = shapefile_zip(tmp_path, grids_frame())
    monkeypatch.setattr(readers, "MAX_UNZIPPED_BYTES", 1000)
    with pytest.raises(ImportFileError, match="would unpack to .* more than 1000 bytes"):
        import_file(store, "grids", big)


def test_zip_without_a_shapefile(store, tmp_path):
    path = tmp_path / "grids.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    with pytest.raises(ImportFileError, match="holds no Shapefile"):
        import_file(store, "grids", path)


# --- communities, rejects file, one write ---------------------------------------------


def test_community_needed_when_the_store_holds_several(store, tmp_path):
    other = community_layers()
    for frame in other.values():
        frame["community_id"] = "c2"
    store.load_community({"community": other["community"]})
    path = write_csv(tmp_path / "reports.csv", REPORTS_CSV)
    with pytest.raises(ImportFileError, match="holds 2 communities; .*--community"):
        import_file(store, "reports", path)
    assert import_file(store, "reports", path, community_id="c2").imported == 4
    assert set(store.read("reports")["community_id"]) == {"c2"}


def test_stale_rejects_file_removed(store, tmp_path):
    path = write_csv(tmp_path / "reports.csv", REPORTS_CSV)
    stale = tmp_path / "reports.csv.rejects.csv"
    stale.write_text("row,reason\n1,old\n")
    result = import_file(store, "reports", path)
    assert result.rejects_path is None and not stale.exists()


def test_one_store_call_after_all_checks(store, tmp_path, monkeypatch):
    calls = []
    original = store.add_reports
    monkeypatch.setattr(
        store, "add_reports", lambda frame: calls.append(len(frame)) or original(frame)
    )
    text = REPORTS_CSV.strip() + "\nR5,drainage,never,117.305,39.085,\n"
    result = import_file(store, "reports", write_csv(tmp_path / "reports.csv", text))
    assert calls == [4] and result.rejected == 1


def test_read_source_returns_model_frames(tmp_path):
    path = write_csv(tmp_path / "reports.csv", REPORTS_CSV)
    good, rejected, notes = read_source(path, "reports")
    assert list(good.columns[:-1]) == list(model.layer("reports").columns)
    assert str(good.crs) == "EPSG:4326" and good["community_id"].isna().all()
    assert list(rejected.columns[:2]) == ["row", "reason"] and rejected.empty
    assert np.allclose(good.geometry.x, [117.305, 117.315, 117.305, 117.315])


# --- review findings: nothing lost, clear messages -------------------------------------


def test_duplicate_external_id_in_one_file_rejected(store, tmp_path):
    path = write_csv(
        tmp_path / "reports.csv",
        """
external_id,category,created_at,lon,lat,description
D-1,drainage,2024-05-01 08:00,117.305,39.085,first
D-2,gas,2024-05-01 09:00,117.315,39.095,
D-1,drainage,2024-05-02 08:00,117.305,39.085,second
D-1,gas,2024-05-03 08:00,117.315,39.085,third
""",
    )
    result = import_file(store, "reports", path)
    assert (result.imported, result.skipped, result.rejected) == (2, 0, 2)
    rejects = read_rejects(result.rejects_path)
    assert rejects[["row", "reason", "description"]].values.tolist() == [
        ["4", "duplicate external_id 'D-1' (first on row 2)", "second"],
        ["5", "duplicate external_id 'D-1' (first on row 2)", "third"],
    ]
    assert store.read("reports").set_index("external_id").at["D-1", "description"] == "first"


def test_unknown_community_refused_before_anything_is_written(store, tmp_path):
    path = write_csv(tmp_path / "reports.csv", REPORTS_CSV)
    with pytest.raises(ImportFileError) as raised:
        import_file(store, "reports", path, community_id="c9")
    assert str(raised.value) == (
        "community 'c9' is not in the store; known: c1 (import the community layer first)"
    )
    grids = tmp_path / "grids.geojson"
    grids_frame().to_file(grids, driver="GeoJSON")
    with pytest.raises(ImportFileError, match="community 'c9' is not in the store; known: c1"):
        import_file(store, "grids", grids, community_id="c9")
    assert store.count("reports") == 0 and store.count("grids") == 4


def test_unknown_community_in_an_empty_store(tmp_path):
    empty = GeoPackageStore(tmp_path / "empty.gpkg")
    path = write_csv(tmp_path / "reports.csv", REPORTS_CSV)
    with pytest.raises(ImportFileError, match=r"known: none \(import the community layer first\)"):
        import_file(empty, "reports", path, community_id="c1")


def test_new_community_may_be_imported_with_its_own_id(store, tmp_path):
    community = community_layers()["community"].assign(community_id="c2", name="新社区")
    path = tmp_path / "community.geojson"
    community.to_file(path, driver="GeoJSON")
    result = import_file(store, "community", path, community_id="c2")
    assert (result.imported, result.rejected) == (1, 0)
    assert store.community_ids() == ["c1", "c2"]


def test_rows_naming_an_unknown_community_rejected(store, tmp_path):
    path = write_csv(
        tmp_path / "reports.csv",
        """
external_id,community_id,created_at,lon,lat
K1,c1,2024-05-01 08:00,117.305,39.085
K2,c7,2024-05-01 08:00,117.305,39.085
K3,,2024-05-01 08:00,117.315,39.095
""",
    )
    result = import_file(store, "reports", path)
    assert (result.imported, result.rejected) == (2, 1)
    assert read_rejects(result.rejects_path)[["row", "reason"]].values.tolist() == [
        ["3", "community_id 'c7' is not in the store (known: c1)"]
    ]
    assert store.read("reports")["community_id"].tolist() == ["c1", "c1"]


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("open", "submitted"),
        ("Open", "submitted"),
        ("closed", "closed"),
        ("CLOSED", "closed"),
        ("已办结", "closed"),
        ("处理中", "in_progress"),
        ("In Progress", "in_progress"),
        ("in-progress", "in_progress"),
        ("已受理", "accepted"),
        ("", "submitted"),
    ],
)
def test_open311_and_chinese_statuses_mapped(tmp_path, given, code):
    path = write_csv(
        tmp_path / "311.csv",
        f"external_id,created_at,lon,lat,status\nS1,2024-05-01 08:00,117.305,39.085,{given}\n",
    )
    good, rejected, _ = read_source(path, "reports")
    assert rejected.empty
    assert good["status"].tolist() == [code]


def test_unknown_status_says_how_to_map_it(tmp_path):
    path = write_csv(
        tmp_path / "311.csv",
        "external_id,created_at,lon,lat,status\nS1,2024-05-01 08:00,117.305,39.085,Parked\n",
    )
    _, rejected, _ = read_source(path, "reports")
    reason = rejected["reason"][0]
    assert reason.startswith("status: 'Parked' is not a status we know")
    assert "--map-status Parked=STATUS" in reason and "in_progress" in reason


def test_csv_rows_numbered_as_in_a_spreadsheet_counting_blank_lines(tmp_path):
    path = tmp_path / "reports.csv"
    path.write_text(
        "external_id,created_at,lon,lat\n"  # line 1: the header
        "A,2024-05-01 08:00,117.305,39.085\n"  # line 2
        "\n"  # line 3: blank, skipped but counted
        "B,someday,117.305,39.085\n"  # line 4
        ",,,\n"  # line 5: empty cells only, skipped but counted
        "C,2024-05-01 08:00,,\n",  # line 6
        encoding="utf-8",
    )
    good, rejected, _ = read_source(path, "reports")
    assert good["external_id"].tolist() == ["A"]
    assert rejected[["row", "reason"]].values.tolist() == [
        [4, "created_at: 'someday' is not a date and time"],
        [6, "no coordinates"],
    ]


def test_xlsx_rows_keep_their_sheet_numbers_below_a_late_header(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append([None, None, None, None])  # row 1 blank: the header is on row 2
    sheet.append(["external_id", "created_at", "lon", "lat"])
    sheet.append(["X1", "2024-05-01 08:00", 117.305, 39.085])
    sheet.append(["X2", "not a time", 117.305, 39.085])
    path = tmp_path / "reports.xlsx"
    book.save(path)
    good, rejected, _ = read_source(path, "reports")
    assert good["external_id"].tolist() == ["X1"]
    assert rejected[["row", "reason"]].values.tolist() == [
        [4, "created_at: 'not a time' is not a date and time"]
    ]


def test_geojson_rejects_count_features_from_one(store, tmp_path):
    frame = gpd.GeoDataFrame(
        {"grid_id": ["G5", None, "G6"]},
        geometry=[
            box(117.30, 39.08, 117.31, 39.09),
            box(117.31, 39.08, 117.32, 39.09),
            LineString([(117.30, 39.08), (117.31, 39.09)]),
        ],
        crs="EPSG:4326",
    )
    path = tmp_path / "grids.geojson"
    frame.to_file(path, driver="GeoJSON")
    result = import_file(store, "grids", path)
    assert read_rejects(result.rejects_path)[["feature", "reason"]].values.tolist() == [
        ["2", "missing grid_id"],
        ["3", "wrong geometry type: LineString (grids need polygons)"],
    ]


def test_swapped_rows_corrected_one_by_one_in_a_mixed_file(store, tmp_path):
    path = write_csv(
        tmp_path / "reports.csv",
        """
external_id,created_at,lon,lat
OK1,2024-05-01 08:00,117.305,39.085
SW1,2024-05-01 08:00,39.085,117.305
OK2,2024-05-01 08:00,117.315,39.095
SW2,2024-05-01 08:00,39.095,117.315
SW3,2024-05-01 08:00,39.0950,117.3050
OK3,2024-05-01 08:00,117.3150,39.0850
OK4,2024-05-01 08:00,117.305,39.095
BAD,2024-05-01 08:00,117.3050,95.0
""",
    )
    result = import_file(store, "reports", path)
    assert (result.imported, result.rejected) == (7, 1)
    assert "3 rows had latitude and longitude swapped; corrected (rows 3, 5, 6)" in result.notes
    reports = store.read("reports").set_index("external_id")
    assert reports["grid_id"].to_dict() == {
        "OK1": "G1",
        "SW1": "G1",
        "OK2": "G4",
        "SW2": "G4",
        "SW3": "G3",
        "OK3": "G2",
        "OK4": "G3",
    }
    assert reports.geometry["OK1"].equals(Point(117.305, 39.085))  # the right rows stay
    rejects = read_rejects(result.rejects_path)
    # the reason quotes the file's own values, as written
    assert rejects[["row", "reason"]].values.tolist() == [
        ["9", "coordinates out of range (lon 117.3050, lat 95.0)"]
    ]


def test_swap_judged_against_the_community_extent(tmp_path):
    # in range both ways, but only the swapped point lies in the community
    extent = (10.0, 50.0, 10.2, 50.2)
    path = write_csv(
        tmp_path / "reports.csv",
        "external_id,created_at,lon,lat\n"
        "A,2024-05-01,10.1,50.1\n"
        "B,2024-05-01,50.1,10.1\n"
        "C,2024-05-01,60.0,20.0\n",
    )
    good, rejected, notes = read_source(path, "reports", community_extent=extent)
    assert rejected.empty
    assert [(p.x, p.y) for p in good.geometry] == [(10.1, 50.1), (10.1, 50.1), (60.0, 20.0)]
    assert "1 row had latitude and longitude swapped; corrected (rows 3)" in notes


def test_other_category_note_counts_only_kept_rows(store, tmp_path):
    first = write_csv(
        tmp_path / "first.csv",
        "external_id,category,created_at,lon,lat\nX1,楼顶漏水,2024-05-01 08:00,117.305,39.085",
    )
    assert import_file(store, "reports", first).imported == 1
    path = write_csv(
        tmp_path / "reports.csv",
        """
external_id,category,created_at,lon,lat
X1,楼顶漏水,2024-05-01 08:00,117.305,39.085
X2,窗户漏风,never,117.305,39.085
X3,阳台漏水,2024-05-02 08:00,117.315,39.095
X4,drainage,2024-05-02 08:00,117.315,39.095
""",
    )
    result = import_file(store, "reports", path)
    assert (result.imported, result.skipped, result.rejected) == (2, 1, 1)
    other = [n for n in result.notes if "category not in the table" in n]
    assert other == [
        "1 report(s) had a category not in the table ('阳台漏水'); "
        "stored as other with the original words in category_text"
    ]
    _, _, notes = read_source(path, "reports")  # without a store only the reject is left out
    assert any(n.startswith("2 report(s) had a category not in the table") for n in notes)


def test_text_report_ids_are_ignored_not_rejected(store, tmp_path):
    path = write_csv(
        tmp_path / "reports.csv",
        """
report_id,external_id,created_at,lon,lat
SR-001,E1,2024-05-01 08:00,117.305,39.085
SR-002,E2,2024-05-01 08:00,117.315,39.095
""",
    )
    result = import_file(store, "reports", path)
    assert (result.imported, result.rejected) == (2, 0)
    assert "ignored the report_id column: the store numbers reports itself" in result.notes
    assert sorted(store.read("reports")["report_id"].tolist()) == [1, 2]


def test_empty_report_id_column_dropped_without_a_note(tmp_path):
    path = write_csv(
        tmp_path / "reports.csv",
        "report_id,external_id,created_at,lon,lat\n,E1,2024-05-01 08:00,117.305,39.085",
    )
    good, rejected, notes = read_source(path, "reports")
    assert len(good) == 1 and rejected.empty
    assert not any("report_id" in n for n in notes)


def test_report_ids_without_external_id_suggest_mapping(tmp_path):
    path = write_csv(
        tmp_path / "reports.csv",
        "report_id,created_at,lon,lat\nSR-1,2024-05-01 08:00,117.305,39.085",
    )
    _, rejected, notes = read_source(path, "reports")
    assert rejected.empty
    assert any("--map external_id=report_id" in n for n in notes)


def test_blank_lines_above_the_csv_header_are_counted(tmp_path):
    path = tmp_path / "reports.csv"
    path.write_text(
        "\n\nexternal_id,created_at,lon,lat\nA,2024-05-01,117.3,39.09\nB,never,117.3,39.09\n",
        encoding="utf-8",
    )
    good, rejected, _ = read_source(path, "reports")
    assert good["external_id"].tolist() == ["A"]
    assert rejected["row"].tolist() == [5]
