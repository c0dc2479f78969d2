"""Guessing what a file holds: which column feeds which field, and its coordinate system."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyproj
import pytest
from shapely.geometry import Point, box

from geo import model
from geo.errors import ImportFileError
from geo.io.detect import (
    SYNONYMS,
    fields,
    guess_crs,
    guess_mapping,
    guess_status,
    inspect_file,
    unknown_statuses,
)

# A community near Tianjin, about 600 m across.
EXTENT = (117.300, 39.080, 117.310, 39.090)
LON, LAT = 117.305, 39.085


def _to(epsg: int, lon: float, lat: float) -> tuple[float, float]:
    return pyproj.Transformer.from_crs(4326, epsg, always_xy=True).transform(lon, lat)


# --- mapping ---------------------------------------------------------------------------


def test_english_names_in_any_case_and_spelling():
    columns = ["Grid Code", "NAME", "Worker", "Phone", "remarks"]
    assert guess_mapping(columns, "grids", tabular=False) == {
        "grid_id": "Grid Code",
        "name": "NAME",
        "worker_name": "Worker",
        "worker_phone": "Phone",
    }


def test_chinese_names():
    columns = ["楼号", "名称", "户数", "层数", "电梯", "地址", "备注"]
    assert guess_mapping(columns, "buildings", tabular=False) == {
        "building_id": "楼号",
        "name": "名称",
        "households": "户数",
        "floors": "层数",
        "elevator": "电梯",
        "address": "地址",
    }


def test_chinese_reports_with_coordinates():
    columns = ["编号", "类别", "描述", "状态", "创建时间", "经度", "纬度", "网格编号"]
    assert guess_mapping(columns, "reports") == {
        "external_id": "编号",
        "category": "类别",
        "description": "描述",
        "status": "状态",
        "created_at": "创建时间",
        "lon": "经度",
        "lat": "纬度",
        "grid_id": "网格编号",
    }


def test_open311_names():
    columns = [
        "service_request_id",
        "status",
        "service_name",
        "service_code",
        "description",
        "requested_datetime",
        "address",
        "lat",
        "long",
    ]
    guess = guess_mapping(columns, "reports")
    assert guess == {
        "external_id": "service_request_id",
        "status": "status",
        "category": "service_name",
        "description": "description",
        "created_at": "requested_datetime",
        "lat": "lat",
        "lon": "long",
    }


def test_exact_names_win_and_a_column_is_guessed_for_one_field_only():
    # "type" is a synonym of category, but the file also has a column called category.
    guess = guess_mapping(["type", "category", "id", "created_at", "x", "y"], "reports")
    assert guess["category"] == "category"
    assert guess["external_id"] == "id"
    assert (guess["lon"], guess["lat"]) == ("x", "y")
    assert len(set(guess.values())) == len(guess)


def test_generic_id_goes_to_the_key_of_the_layer():
    assert guess_mapping(["id", "运营商"], "chargers", tabular=False) == {
        "charger_id": "id",
        "operator": "运营商",
    }
    assert guess_mapping(["编号", "容量"], "drying_areas", tabular=False) == {
        "area_id": "编号",
        "capacity": "容量",
    }


def test_a_boundary_with_only_a_name():
    assert guess_mapping(["name"], "community", tabular=False) == {"name": "name"}


def test_fields_of_a_layer():
    assert fields("grids", tabular=False) == list(model.layer("grids").columns)
    report_fields = fields("reports", tabular=True)
    assert report_fields[:3] == ["lon", "lat", "geometry"]
    assert "report_id" not in report_fields  # the store numbers reports itself
    # Every synonym list names a real field.
    every = {c for spec in model.LAYERS.values() for c in spec.columns} | {"lon", "lat"}
    assert set(SYNONYMS) <= every | {"geometry"}


# --- CRS -------------------------------------------------------------------------------


def _write_csv(path: Path, xs, ys, names=("lon", "lat")) -> Path:
    pd.DataFrame(
        {
            "编号": [f"R{i}" for i in range(len(xs))],
            names[0]: xs,
            names[1]: ys,
            "创建时间": "2024-05-01",
        }
    ).to_csv(path, index=False)
    return path


def test_crs_from_a_prj_in_a_zipped_shapefile(tmp_path):
    x, y = _to(32650, LON, LAT)
    frame = gpd.GeoDataFrame({"grid_id": ["G1"]}, geometry=[box(x, y, x + 100, y + 100)])
    frame = frame.set_crs(32650)
    folder = tmp_path / "shp"
    folder.mkdir()
    frame.to_file(folder / "grids.shp")
    archive = tmp_path / "grids.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in folder.iterdir():
            z.write(part, part.name)
    inspection = inspect_file(archive, "grids")
    assert inspection.file_crs == "EPSG:32650"
    assert "UTM zone 50N" in inspection.file_crs_name
    guess = guess_crs(inspection, community_extent=EXTENT)
    assert (guess.crs, guess.basis) == ("EPSG:32650", "file")


def test_a_shapefile_without_prj_is_read_and_its_metres_recognised(tmp_path):
    x, y = _to(4548, LON, LAT)  # CGCS2000 3-degree Gauss-Kruger CM 117E
    frame = gpd.GeoDataFrame({"grid_id": ["G1"]}, geometry=[box(x, y, x + 100, y + 100)])
    frame.set_crs(4548).to_file(tmp_path / "grids.shp")
    archive = tmp_path / "grids.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for suffix in (".shp", ".shx", ".dbf"):
            z.write(tmp_path / f"grids{suffix}", f"grids{suffix}")
    inspection = inspect_file(archive, "grids")
    assert inspection.file_crs is None
    assert guess_crs(inspection, community_extent=EXTENT).crs == "EPSG:4548"
    # The UTM zone would put these numbers far away, so it is not guessed.
    assert guess_crs(inspection, community_extent=EXTENT).basis == "metres"


def test_wgs84_numbers(tmp_path):
    path = _write_csv(tmp_path / "reports.csv", [117.301, 117.302], [39.081, 39.082])
    guess = guess_crs(inspect_file(path, "reports"))
    assert (guess.crs, guess.basis) == ("wgs84", "degrees")


def test_projected_metres_give_the_utm_zone_of_the_community(tmp_path):
    points = [_to(32650, LON + d, LAT + d) for d in (0.0, 0.001, 0.002)]
    path = _write_csv(tmp_path / "reports.csv", *zip(*points, strict=True))
    inspection = inspect_file(path, "reports")
    guess = guess_crs(inspection, community_extent=EXTENT)
    assert (guess.crs, guess.basis) == ("EPSG:32650", "metres")
    # Without a community to check against, metres say nothing: ask.
    assert guess_crs(inspection).crs is None
    assert guess_crs(inspection).basis == "unknown"


def test_gauss_kruger_with_zone_number_needs_no_community(tmp_path):
    x, y = _to(4527, LON, LAT)  # CGCS2000 3-degree Gauss-Kruger zone 39: x = 39 5xx xxx
    assert 39_000_000 < x < 40_000_000
    path = _write_csv(tmp_path / "reports.csv", [x], [y])
    guess = guess_crs(inspect_file(path, "reports"))
    assert (guess.crs, guess.basis) == ("EPSG:4527", "metres")


def test_metres_that_land_nowhere_near_are_an_unchecked_utm_guess(tmp_path):
    path = _write_csv(tmp_path / "reports.csv", [123_456.0], [234_567.0])
    guess = guess_crs(inspect_file(path, "reports"), community_extent=EXTENT)
    assert (guess.crs, guess.basis) == ("EPSG:32650", "metres_unchecked")


def test_crs_follows_the_chosen_coordinate_columns(tmp_path):
    path = _write_csv(tmp_path / "r.csv", [117.301], [39.081], names=("东经", "北纬"))
    inspection = inspect_file(path, "reports")
    assert guess_crs(inspection).basis == "unknown"  # no coordinate column known by name
    guess = guess_crs(inspection, {"lon": "东经", "lat": "北纬"})
    assert guess.crs == "wgs84"


def test_wkt_column(tmp_path):
    path = tmp_path / "grids.csv"
    pd.DataFrame({"grid_id": ["G1"], "wkt": [box(117.30, 39.08, 117.31, 39.09).wkt]}).to_csv(
        path, index=False
    )
    assert guess_crs(inspect_file(path, "grids")).crs == "wgs84"


# --- inspection ------------------------------------------------------------------------


def test_inspect_a_csv(tmp_path):
    path = tmp_path / "reports.csv"
    rows = [
        f"R{i},排水,{117.30 + i / 1000},{39.08 + i / 1000},2024-05-0{i % 9 + 1}" for i in range(15)
    ]
    path.write_text("编号,类别,经度,纬度,创建时间\n" + "\n".join(rows) + "\n\n", encoding="utf-8")
    inspection = inspect_file(path, "reports")
    assert inspection.columns == ["编号", "类别", "经度", "纬度", "创建时间"]
    assert inspection.n_rows == 15  # the blank line is not a row
    assert inspection.tabular and inspection.file_crs is None and inspection.bounds is None
    assert len(inspection.sample) == 10
    assert inspection.sample.index[0] == 2  # the spreadsheet row: the header is row 1
    assert inspection.sample.iloc[0]["编号"] == "R0"


def test_inspect_a_geojson(tmp_path):
    path = tmp_path / "chargers.geojson"
    gpd.GeoDataFrame(
        {"id": ["C1", "C2"], "type": ["ebike", "ev"]},
        geometry=[Point(117.301, 39.081), Point(117.302, 39.082)],
        crs=4326,
    ).to_file(path)
    inspection = inspect_file(path, "chargers")
    assert not inspection.tabular
    assert inspection.n_rows == 2
    assert inspection.file_crs == "wgs84"
    assert inspection.bounds == pytest.approx((117.301, 39.081, 117.302, 39.082))
    assert guess_mapping(inspection.columns, "chargers", tabular=False) == {
        "charger_id": "id",
        "kind": "type",
    }


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>C1</name><description>ebike</description>
<Point><coordinates>117.301,39.081</coordinates></Point></Placemark>
<Placemark><name>C2</name><description>ev</description>
<Point><coordinates>117.302,39.082</coordinates></Point></Placemark>
</Document></kml>
"""


def test_inspect_a_kml(tmp_path):
    path = tmp_path / "chargers.kml"
    path.write_text(KML, encoding="utf-8")
    inspection = inspect_file(path, "chargers")
    assert inspection.n_rows == 2
    assert {"name", "description"} <= set(inspection.columns)
    assert guess_crs(inspection).crs == "wgs84"
    # The KML's empty id column is passed over; the placemark name is the key.
    guess = guess_mapping(inspection.columns, "chargers", False, inspection.empty_columns)
    assert guess["charger_id"] == "name"


@pytest.mark.parametrize(
    ("name", "content"),
    [("empty.csv", b""), ("notes.txt", b"hello"), ("broken.geojson", b"{not json")],
)
def test_unreadable_files_raise_a_clear_error(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        inspect_file(path, "reports")
    assert name in str(caught.value)


# --- status words ----------------------------------------------------------------------


def test_unknown_status_words_and_their_guesses():
    values = pd.Series(
        ["open", "Closed", "已办结", "Cancelled", "Pending", None, "Working", "已签收", "??"]
    )
    # Codes, names and the importer's synonyms (Cancelled, Pending) are known.
    assert unknown_statuses(values) == ["??", "Working", "已签收"]
    assert guess_status("Working") == "in_progress"
    assert guess_status("已签收") == "accepted"
    assert guess_status("驳回") == "rejected"
    assert guess_status("??") is None
