"""Files as offices and open-data portals really write them, each made in the test.

A boundary with nothing but a name, GeoJSON properties holding arrays and objects,
311 exports with their own status words, GBK and BOM CSVs, Excel serial dates,
comma decimals, KML placemarks, communities in different time zones, and messages
in Chinese. Every file imports, or rejects a row with its reason; none raises.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import hypothesis.strategies as st
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import Workbook
from shapely.geometry import box

from geo.cli import main
from geo.errors import ImportFileError
from geo.i18n import messages_in
from geo.io import import_file, read_source
from geo.io.reports import unknown_statuses
from geo.store.gpkg import GeoPackageStore
from tests.test_import import community_layers, read_rejects, write_csv

BOUNDARY = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            # as a public district boundary file writes it: arrays and nested objects
            "properties": {
                "name": "新立街道示范社区",
                "center": [117.31, 39.09],
                "acroutes": [100000, 120000],
                "parent": {"adcode": 120000},
            },
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[117.30, 39.08], [117.32, 39.08], [117.32, 39.10], [117.30, 39.10]]
                ],
            },
        }
    ],
}


@pytest.fixture
def store(tmp_path) -> GeoPackageStore:
    s = GeoPackageStore(tmp_path / "s.gpkg")
    s.load_community(community_layers())
    return s


@pytest.fixture
def cli_db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "cli.gpkg"
    monkeypatch.setenv("GRIDMAP_DB", str(path))
    monkeypatch.setenv("GRIDMAP_LANG", "en")
    return path


def _boundary(tmp_path: Path) -> Path:
    path = tmp_path / "boundary.geojson"
    path.write_text(json.dumps(BOUNDARY, ensure_ascii=False), encoding="utf-8")
    return path


# --- a community from a bare boundary ----------------------------------------------------


def test_bare_boundary_imports_with_the_community_given(cli_db, tmp_path, capsys):
    path = _boundary(tmp_path)
    assert main(["import", "community", str(path), "--community", "xl-01"]) == 0
    out = capsys.readouterr().out
    assert "community: imported 1" in out and "center, acroutes, parent" in out
    community = GeoPackageStore(cli_db).read("community")
    assert community["community_id"].tolist() == ["xl-01"]
    assert community["name"].tolist() == ["新立街道示范社区"]
    assert community.geometry.iloc[0].equals(box(117.30, 39.08, 117.32, 39.10))


def test_bare_boundary_without_a_community_says_how_to_give_one(cli_db, tmp_path, capsys):
    assert main(["import", "community", str(_boundary(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert "has no community_id column" in err and "--community ID" in err


def test_one_column_feeds_two_fields(cli_db, tmp_path):
    path = _boundary(tmp_path)
    args = ["--map", "community_id=name", "--map", "code=name"]
    assert main(["import", "community", str(path), *args]) == 0
    row = GeoPackageStore(cli_db).read("community").iloc[0]
    assert row["community_id"] == row["name"] == row["code"] == "新立街道示范社区"


def test_array_and_object_properties_become_json_text(store, tmp_path):
    path = tmp_path / "grids.geojson"
    feature = {
        "type": "Feature",
        "properties": {
            "grid_id": "G9",
            "name": ["东", "片"],
            "worker_name": {"name": "王芳"},
            "tags": [],
        },
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[117.3, 39.08], [117.31, 39.08], [117.31, 39.09], [117.3, 39.08]]],
        },
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    result = import_file(store, "grids", path)
    assert (result.imported, result.rejected) == (1, 0)
    grid = store.read("grids").set_index("grid_id").loc["G9"]
    assert json.loads(grid["name"]) == ["东", "片"]
    assert json.loads(grid["worker_name"]) == {"name": "王芳"}


# --- statuses from other systems ---------------------------------------------------------

STATUS_CSV = """
service_request_id,requested_datetime,lon,lat,status,service_name
S1,2024-05-01 08:00,117.305,39.085,Cancelled,Street Light Out
S2,2024-05-01 09:00,117.305,39.085,Closed,Pothole
S3,2024-05-01 10:00,117.305,39.085,Pending,Graffiti
S4,2024-05-01 11:00,117.305,39.085,On Hold,Graffiti
S5,2024-05-01 12:00,117.305,39.085,已撤销,Graffiti
"""
STATUS_MAP = ["--map", "external_id=service_request_id", "--map", "created_at=requested_datetime"]


def test_common_status_words_are_understood_and_kept(store, tmp_path):
    path = write_csv(tmp_path / "311.csv", STATUS_CSV)
    mapping = {"external_id": "service_request_id", "created_at": "requested_datetime"}
    result = import_file(store, "reports", path, mapping=mapping)
    assert (result.imported, result.rejected) == (4, 1)
    reports = store.read("reports").set_index("external_id")
    assert reports["status"].to_dict() == {
        "S1": "rejected",
        "S2": "closed",
        "S3": "submitted",
        "S5": "rejected",
    }
    # our own names need no keeping; other systems' words are kept as written
    assert reports["status_text"].to_dict() == {
        "S1": "Cancelled",
        "S2": None,
        "S3": "Pending",
        "S5": "已撤销",
    }
    rejects = read_rejects(result.rejects_path)
    assert rejects["row"].tolist() == ["5"]
    assert "--map-status On Hold=STATUS" in rejects["reason"][0]
    assert any("Cancelled → rejected" in note for note in result.notes)


def test_map_status_takes_in_the_rest(cli_db, tmp_path, capsys):
    assert main(["demo", "--reports", "0"]) == 0
    path = write_csv(tmp_path / "311.csv", STATUS_CSV)
    status = ["--map-status", "On Hold=in_progress", "--map-status", "Cancelled=duplicate"]
    assert main(["import", "reports", str(path), *STATUS_MAP, *status]) == 0
    out = capsys.readouterr().out
    assert "imported 5" in out and "rejected 0" in out
    reports = GeoPackageStore(cli_db).read("reports").set_index("external_id")
    assert reports.at["S4", "status"] == "in_progress"
    assert reports.at["S4", "status_text"] == "On Hold"
    assert reports.at["S1", "status"] == "duplicate"  # the user's word wins over ours


def test_map_status_to_something_that_is_no_status_is_refused(cli_db, tmp_path, capsys):
    assert main(["demo", "--reports", "0"]) == 0
    path = write_csv(tmp_path / "311.csv", STATUS_CSV)
    assert main(["import", "reports", str(path), *STATUS_MAP, "--map-status", "X=gone"]) == 2
    assert "'gone' is not a status" in capsys.readouterr().err


def test_unknown_statuses_listed_for_the_page():
    words = pd.Series(["Cancelled", "On Hold", "closed", None, "On Hold", "已办结"])
    assert unknown_statuses(words) == ["On Hold"]
    assert unknown_statuses(words, {"On Hold": "in_progress"}) == []


# --- encodings, Excel, decimals, KML -----------------------------------------------------

CHINESE_CSV = "编号,类别,时间,经度,纬度,描述\nA1,排水,2024-05-01 08:00,117.305,39.085,下水道堵了\n"
CHINESE_MAP = {
    "external_id": "编号",
    "category": "类别",
    "created_at": "时间",
    "description": "描述",
}


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_chinese_csv_in_every_encoding_excel_writes(store, tmp_path, encoding):
    path = tmp_path / "reports.csv"
    path.write_bytes(CHINESE_CSV.encode(encoding))
    result = import_file(store, "reports", path, mapping=CHINESE_MAP)
    assert (result.imported, result.rejected) == (1, 0)
    report = store.read("reports").iloc[0]
    assert (report["category"], report["description"]) == ("drainage", "下水道堵了")


def test_excel_serial_dates(store, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["external_id", "created_at", "lon", "lat"])
    sheet.append(["X1", 45413.5, 117.305, 39.085])  # 2024-05-01 12:00, a cell without format
    sheet.append(["X2", "2024-05-02 08:00", 117.305, 39.085])
    sheet.append(["X3", -3, 117.305, 39.085])
    path = tmp_path / "reports.xlsx"
    book.save(path)
    result = import_file(store, "reports", path)
    assert (result.imported, result.rejected) == (2, 1)
    created = store.read("reports").set_index("external_id")["created_at"]
    assert created["X1"] == pd.Timestamp("2024-05-01 12:00", tz="Asia/Shanghai")
    assert created["X2"] == pd.Timestamp("2024-05-02 08:00", tz="Asia/Shanghai")
    assert read_rejects(result.rejects_path)["reason"][0] == (
        "created_at: -3 is not a date and time"
    )


def test_a_number_in_a_csv_time_column_is_not_a_date(tmp_path):
    path = write_csv(
        tmp_path / "r.csv", "external_id,created_at,lon,lat\nN1,45413.5,117.305,39.085"
    )
    _, rejected, _ = read_source(path, "reports")
    assert rejected["reason"].tolist() == ["created_at: '45413.5' is not a date and time"]


def test_comma_decimal_coordinates_read_or_rejected_with_a_reason(tmp_path):
    text = (
        "external_id;created_at;lon;lat\n"
        'C1;2024-05-01 08:00;"117,305";"39,085"\n'
        'C2;2024-05-01 08:00;"117,30,5";"39,085"\n'
    )
    path = tmp_path / "comma.csv"
    path.write_text(text.replace(";", ","), encoding="utf-8")
    good, rejected, _ = read_source(path, "reports")
    assert good["external_id"].tolist() == ["C1"]
    assert (good.geometry.x[0], good.geometry.y[0]) == (117.305, 39.085)
    assert rejected["reason"][0].startswith("lon: '117,30,5' is not a number (a comma is read")


def test_kml_placemarks_import(store, tmp_path):
    kml = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Folder><name>chargers</name>
<Placemark><name>C-1</name><ExtendedData><Data name="charger_id"><value>C-1</value></Data>
<Data name="kind"><value>ebike</value></Data></ExtendedData>
<Point><coordinates>117.305,39.085,0</coordinates></Point></Placemark>
<Placemark><name>C-2</name><ExtendedData><Data name="charger_id"><value>C-2</value></Data>
</ExtendedData><Point><coordinates>117.315,39.095</coordinates></Point></Placemark>
</Folder></Document></kml>"""
    path = tmp_path / "chargers.kml"
    path.write_text(kml, encoding="utf-8")
    result = import_file(store, "chargers", path)
    assert (result.imported, result.rejected) == (2, 0)
    chargers = store.read("chargers").set_index("charger_id")
    assert chargers.at["C-1", "kind"] == "ebike"
    assert chargers.loc["C-2"].geometry.coords[0] == (117.315, 39.095)


# --- time zones ----------------------------------------------------------------------------


def test_naive_times_are_read_in_each_communitys_own_zone(tmp_path):
    store = GeoPackageStore(tmp_path / "street.gpkg")
    layers = community_layers()
    far_west = layers["community"].assign(community_id="c2", name="西部社区", tz="Asia/Urumqi")
    store.load_community({"community": pd.concat([layers["community"], far_west])})
    path = write_csv(
        tmp_path / "r.csv",
        "community_id,external_id,created_at,lon,lat\n"
        "c1,E1,2024-05-01 08:00,117.305,39.085\n"
        "c2,W1,2024-05-01 08:00,117.305,39.085\n"
        "c2,W2,2024-05-01T08:00:00+08:00,117.305,39.085\n",
    )
    result = import_file(store, "reports", path, tz="Asia/Shanghai")
    assert result.imported == 3
    created = store.read("reports").set_index("external_id")["created_at"]
    assert created["E1"] == pd.Timestamp("2024-05-01 00:00", tz="UTC")
    assert created["W1"] == pd.Timestamp("2024-05-01 02:00", tz="UTC")  # UTC+6
    assert created["W2"] == pd.Timestamp("2024-05-01 00:00", tz="UTC")  # its own offset wins


def test_a_community_with_an_unknown_zone_is_rejected(tmp_path):
    path = tmp_path / "c.geojson"
    boundary = json.loads(json.dumps(BOUNDARY))
    boundary["features"][0]["properties"].update(community_id="c9", tz="Mars/Olympus")
    path.write_text(json.dumps(boundary, ensure_ascii=False), encoding="utf-8")
    _, rejected, _ = read_source(path, "community")
    assert rejected["reason"].tolist() == [
        "tz: 'Mars/Olympus' is not a time zone (e.g. Asia/Shanghai)"
    ]


# --- in Chinese ------------------------------------------------------------------------------


def test_reasons_and_notes_in_chinese(store, tmp_path):
    path = write_csv(tmp_path / "311.csv", STATUS_CSV)
    mapping = {"external_id": "service_request_id", "created_at": "requested_datetime"}
    with messages_in("zh"):
        result = import_file(store, "reports", path, mapping=mapping)
    reason = read_rejects(result.rejects_path)["reason"][0]
    assert reason.startswith("status：无法识别状态 'On Hold'")
    assert any("status_text" in note and "件诉求" in note for note in result.notes)


def test_cli_speaks_chinese(cli_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GRIDMAP_LANG", "zh")
    assert main(["import", "community", str(_boundary(tmp_path))]) == 2
    assert capsys.readouterr().err.startswith("错误：boundary.geojson 缺少 community_id 列")
    assert main(["import", "community", str(_boundary(tmp_path)), "--community", "c1"]) == 0
    assert "已忽略不属于 community 字段的列" in capsys.readouterr().out


def test_an_import_error_keeps_both_languages(tmp_path):
    with pytest.raises(ImportFileError) as raised:
        read_source(tmp_path / "none.csv", "reports")
    assert raised.value.message("en").endswith("does not exist or is not a file.")
    assert raised.value.message("zh").endswith("不存在或不是文件。")


# --- any mapping: imported or rejected with a reason, never a traceback -----------------

MESSY_CSV = """
编号,类别,时间,经度,纬度,状态,户数,备注
A1,排水,2024-05-01 08:00,117.305,39.085,Cancelled,12,
A2,,2024-13-01,117,5,open,x,"[1, 2]"
A3,燃气,yesterday,,39.09,已办结,3.5,note
,其他,2024-05-02,39.085,117.305,,,
"""
FIELDS = [
    "external_id",
    "category",
    "created_at",
    "description",
    "status",
    "rating",
    "source",
    "reporter_phone",
    "due_at",
    "lon",
    "lat",
    "grid_id",
    "building_id",
    "duplicate_of",
]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.dictionaries(
        st.sampled_from(FIELDS),
        st.sampled_from(["编号", "类别", "时间", "经度", "纬度", "状态", "户数", "备注"]),
        max_size=6,
    )
)
def test_any_mapping_imports_or_rejects_every_row_with_a_reason(tmp_path, mapping):
    path = write_csv(tmp_path / "messy.csv", MESSY_CSV)
    try:
        good, rejected, _ = read_source(path, "reports", mapping=mapping)
    except ImportFileError as exc:  # the file as a whole cannot be read this way: say why
        assert exc.message("en") and exc.message("zh")
        return
    assert len(good) + len(rejected) == 4
    assert rejected["reason"].str.len().gt(0).all()
    assert rejected["row"].is_unique and set(rejected["row"]) <= {2, 3, 4, 5}


def test_a_zip_without_shapefile_and_a_broken_xlsx_are_refused_with_a_reason(tmp_path):
    empty_zip = tmp_path / "grids.zip"
    with zipfile.ZipFile(empty_zip, "w") as archive:
        archive.writestr("readme.txt", "no shapes here")
    with pytest.raises(ImportFileError, match="holds no Shapefile"):
        read_source(empty_zip, "grids")
    broken = tmp_path / "reports.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ImportFileError, match="cannot read reports.xlsx as Excel"):
        read_source(broken, "reports")


def test_an_unclosed_ring_is_mended_and_said(tmp_path):
    good, rejected, notes = read_source(_boundary(tmp_path), "community", community_id="c1")
    assert rejected.empty and good.geometry.iloc[0].is_valid
    assert any("mended (features 1)" in note for note in notes)
