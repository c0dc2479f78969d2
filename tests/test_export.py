"""Exporting layers: every format round-trips through the importer; private fields masked."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import Point, box

from geo import exporting, model
from geo.config import Settings
from geo.errors import ExportError, GridmapError
from geo.exporting import SHAPEFILE_FIELDS, export_layer, shapefile_field_names
from geo.io import import_file
from geo.io import values as io_values
from geo.privacy import map_objects, mask_name, mask_phone, mask_phones_in_text, mask_private
from geo.store.gpkg import GeoPackageStore

FORMATS = [".geojson", ".gpkg", ".zip", ".csv", ".xlsx"]
WEST, SOUTH, EAST, NORTH = 117.30, 39.08, 117.32, 39.10
MID_LON, MID_LAT = 117.31, 39.09


def community_layers(with_reports: bool = True) -> dict[str, gpd.GeoDataFrame]:
    """A 2×2 grid of squares near Tianjin, three buildings and four reports."""
    layers = {
        "community": gpd.GeoDataFrame(
            {"community_id": ["c1"], "name": ["测试社区"]},
            geometry=[box(WEST, SOUTH, EAST, NORTH)],
            crs="EPSG:4326",
        ),
        "grids": gpd.GeoDataFrame(
            {
                "grid_id": ["G1", "G2", "G3", "G4"],
                "community_id": "c1",
                "name": ["第一网格", "第二网格", "第三网格", "第四网格"],
                "worker_name": ["王五", None, None, None],
                "version": [1, 1, 2, 1],
            },
            geometry=[
                box(WEST, SOUTH, MID_LON, MID_LAT),
                box(MID_LON, SOUTH, EAST, MID_LAT),
                box(WEST, MID_LAT, MID_LON, NORTH),
                box(MID_LON, MID_LAT, EAST, NORTH).difference(box(117.318, 39.098, 117.32, 39.1)),
            ],
            crs="EPSG:4326",
        ),
        "buildings": gpd.GeoDataFrame(
            {"building_id": ["B1", "B2", "B3"], "community_id": "c1", "floors": [6, 7, None]},
            geometry=[
                box(117.302, 39.082, 117.304, 39.083),
                box(117.312, 39.092, 117.314, 39.093),
                box(117.316, 39.084, 117.318, 39.085),
            ],
            crs="EPSG:4326",
        ),
    }
    if with_reports:
        layers["reports"] = gpd.GeoDataFrame(
            {
                "community_id": "c1",
                "external_id": ["W1", "W2", "W3", "W4"],
                "category": ["drainage", "other", "gas", "charging"],
                "category_text": [None, "楼顶太阳能漏水", None, None],
                "description": [
                    "下水道堵了，请回电13812345678",
                    '=HYPERLINK("http://x")',
                    None,
                    "飞线充电 联系 +86 139-0000-1111 或 022-12345678",
                ],
                "reporter_name": ["张三", "李四", None, "欧阳娜娜"],
                "reporter_phone": ["13812341234", "+86 139-0000-5678", None, "13900001111"],
                "created_at": pd.to_datetime(
                    [
                        "2024-05-01T08:00:00+08:00",
                        "2024-05-02T09:30:15+08:00",
                        "2024-05-03T23:59:00+08:00",
                        "2024-05-04T00:00:00+08:00",
                    ],
                    utc=True,
                ),
                "due_at": pd.to_datetime(
                    ["2024-05-04", "2024-05-09", "2024-05-04", "2024-05-09"], utc=True
                ),
                "status": ["submitted", "closed", "in_progress", "escalated"],
                "rating": [None, 5, None, None],
            },
            geometry=[
                Point(117.3051234567, 39.0851234567),
                Point(117.315, 39.085),
                Point(117.305, 39.095),
                Point(117.315, 39.095),
            ],
            crs="EPSG:4326",
        )
    return layers


@pytest.fixture
def store(tmp_path) -> GeoPackageStore:
    s = GeoPackageStore(tmp_path / "source.gpkg")
    s.load_community(community_layers())
    return s


def same_geometry(a, b, tolerance=1e-7) -> bool:
    return shapely.normalize(a).equals_exact(shapely.normalize(b), tolerance=tolerance)


# --- round trips -----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", FORMATS)
def test_grids_round_trip(store, tmp_path, suffix):
    path = tmp_path / f"grids{suffix}"
    assert export_layer(store, "grids", path) == 4
    target = GeoPackageStore(tmp_path / "target.gpkg")
    target.load_community({"community": community_layers()["community"]})
    result = import_file(target, "grids", path)
    assert (result.imported, result.rejected, result.repaired) == (4, 0, 0), result.notes
    before = store.read("grids").set_index("grid_id")
    after = target.read("grids").set_index("grid_id")
    assert list(after.index) == list(before.index)
    for grid_id in before.index:
        assert same_geometry(after.geometry[grid_id], before.geometry[grid_id]), grid_id
    assert after["name"].tolist() == before["name"].tolist()
    assert after["version"].tolist() == before["version"].tolist()
    assert after.at["G1", "worker_name"] == "王五"


@pytest.mark.parametrize("suffix", FORMATS)
def test_reports_round_trip(store, tmp_path, suffix):
    path = tmp_path / f"reports{suffix}"
    assert export_layer(store, "reports", path) == 4
    target = GeoPackageStore(tmp_path / "target.gpkg")
    target.load_community(community_layers(with_reports=False))
    result = import_file(target, "reports", path)
    assert (result.imported, result.rejected) == (4, 0), result.notes
    before = store.read("reports").set_index("external_id")
    after = target.read("reports").set_index("external_id")
    assert sorted(after.index) == sorted(before.index)
    after = after.loc[before.index]
    for ext in before.index:
        assert same_geometry(after.geometry[ext], before.geometry[ext]), ext
    for column in ["category", "category_text", "status", "grid_id", "created_at", "due_at"]:
        assert after[column].tolist() == before[column].tolist(), column
    assert after.at["W2", "description"] == '=HYPERLINK("http://x")'
    assert after.at["W2", "rating"] == 5
    again = import_file(target, "reports", path)
    assert (again.imported, again.skipped) == (0, 4)


def test_export_one_community(store, tmp_path):
    other = community_layers()
    for frame in other.values():
        frame["community_id"] = "c2"
    store.load_community({"community": other["community"], "grids": other["grids"].iloc[:1]})
    assert export_layer(store, "grids", tmp_path / "c2.csv", community_id="c2") == 1
    assert export_layer(store, "grids", tmp_path / "all.csv") == 5


# --- formats ---------------------------------------------------------------------------


def test_geojson_is_rfc7946(store, tmp_path):
    path = tmp_path / "reports.geojson"
    export_layer(store, "reports", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "crs" not in data
    first = data["features"][0]
    lon, lat = first["geometry"]["coordinates"]
    assert lon == pytest.approx(117.3051235, abs=1e-7) and lat == pytest.approx(
        39.0851235, abs=1e-7
    )
    assert first["properties"]["created_at"] == "2024-05-01T08:00:00+08:00"


def test_shapefile_zip_has_prj_and_short_stable_names(store, tmp_path):
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    export_layer(store, "reports", first)
    export_layer(store, "reports", second)
    with zipfile.ZipFile(first) as archive:
        names = sorted(archive.namelist())
    assert names == [f"reports.{ext}" for ext in ("cpg", "dbf", "prj", "shp", "shx")]
    fields = pyogrio.read_info(f"/vsizip/{first}/reports.shp")["fields"].tolist()
    assert fields == pyogrio.read_info(f"/vsizip/{second}/reports.shp")["fields"].tolist()
    assert all(len(name) <= 10 for name in fields)
    assert {"ext_id", "rep_phone", "cat_text", "created_at"} <= set(fields)
    frame = pyogrio.read_dataframe(f"/vsizip/{first}/reports.shp")
    assert frame.loc[frame["ext_id"] == "W1", "created_at"].item() == "2024-05-01T08:00:00+08:00"


def test_shapefile_field_names_are_short_unique_and_fixed():
    names = shapefile_field_names(["community_id", "grid_id", "averylongname1", "averylongname2"])
    assert names == {
        "community_id": "comm_id",
        "grid_id": "grid_id",
        "averylongname1": "averylongn",
        "averylongname2": "averylon_1",
    }
    assert all(len(short) <= 10 for short in SHAPEFILE_FIELDS.values())
    assert len(set(SHAPEFILE_FIELDS.values())) == len(SHAPEFILE_FIELDS)


def test_csv_has_bom_lon_lat_and_wkt(store, tmp_path):
    reports, grids = tmp_path / "reports.csv", tmp_path / "grids.csv"
    export_layer(store, "reports", reports)
    export_layer(store, "grids", grids)
    assert reports.read_bytes().startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(reports, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(table.columns[-2:]) == ["lon", "lat"]
    w2 = table.set_index("external_id").loc["W2"]
    assert w2["description"] == '\'=HYPERLINK("http://x")'  # not a formula in Excel
    assert w2["created_at"] == "2024-05-02T09:30:15+08:00"
    grid_table = pd.read_csv(grids, encoding="utf-8-sig")
    assert grid_table["wkt"][0].startswith("MULTIPOLYGON")
    assert grid_table["name"][0] == "第一网格"


def test_xlsx_has_local_naive_times_and_no_formulas(store, tmp_path):
    path = tmp_path / "reports.xlsx"
    export_layer(store, "reports", path)
    sheet = openpyxl.load_workbook(path)["reports"]
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[3], strict=True)}
    assert row["external_id"].value == "W2"
    assert row["created_at"].value == datetime(2024, 5, 2, 9, 30, 15)
    assert row["description"].data_type == "s"
    assert row["description"].value == '=HYPERLINK("http://x")'
    assert header[-2:] == ["lon", "lat"]


def test_unknown_extension_and_impossible_exports(store, tmp_path):
    with pytest.raises(ExportError, match="cannot export to grids.kml: use .geojson"):
        export_layer(store, "grids", tmp_path / "grids.kml")
    assert issubclass(ExportError, GridmapError)
    with pytest.raises(ExportError, match="report_events has no geometry"):
        export_layer(store, "report_events", tmp_path / "events.geojson")
    with pytest.raises(ExportError, match="unknown layer 'roads'"):
        export_layer(store, "roads", tmp_path / "roads.csv")
    with pytest.raises(ExportError, match="is the store itself"):
        export_layer(store, "grids", tmp_path / "source.gpkg")
    assert store.count("grids") == 4


def test_mixed_drying_areas_fit_geopackage_but_not_shapefile(store, tmp_path):
    areas = gpd.GeoDataFrame(
        {"area_id": ["D1", "D2"], "community_id": "c1"},
        geometry=[Point(117.301, 39.081), box(117.305, 39.085, 117.306, 39.086)],
        crs="EPSG:4326",
    )
    store.upsert("drying_areas", areas)
    with pytest.raises(ExportError, match="mixes points and polygons"):
        export_layer(store, "drying_areas", tmp_path / "areas.zip")
    assert not (tmp_path / "areas.zip").exists()
    assert export_layer(store, "drying_areas", tmp_path / "areas.gpkg") == 2
    assert export_layer(store, "drying_areas", tmp_path / "areas.csv") == 2


# --- privacy ---------------------------------------------------------------------------


def test_exports_mask_residents_unless_asked(store, tmp_path):
    masked, private = tmp_path / "masked.csv", tmp_path / "private.csv"
    export_layer(store, "reports", masked)
    export_layer(store, "reports", private, include_private=True)
    shown = pd.read_csv(masked, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert shown["reporter_name"].tolist() == ["张*", "李*", "", "欧***"]
    assert shown["reporter_phone"].tolist() == ["138****1234", "139****5678", "", "139****1111"]
    kept = pd.read_csv(private, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert kept["reporter_name"][0] == "张三" and kept["reporter_phone"][0] == "13812341234"
    assert "13812341234" not in masked.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812341234", "138****1234"),
        ("138 1234 1234", "138****1234"),
        ("+86 138-1234-1234", "138****1234"),
        ("022-12345678", "022****5678"),
        ("12345", "****45"),
        ("110", "****"),
        ("unknown", "****"),
        ("", ""),
        (None, None),
        (13812341234, "138****1234"),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("欧阳娜娜", "欧***"),
        ("王", "*"),
        (" 李四 ", "李*"),
        ("John Smith", "J*** S****"),
        ("", ""),
        (None, None),
        (float("nan"), None),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_mask_private_leaves_other_columns():
    frame = pd.DataFrame(
        {"reporter_name": ["张三", None], "reporter_phone": ["13812341234", None], "x": [1, 2]}
    )
    out = mask_private(frame)
    assert out["reporter_name"].tolist() == ["张*", None]
    assert out["reporter_phone"].tolist() == ["138****1234", None]
    assert out["x"].tolist() == [1, 2]
    assert frame["reporter_name"][0] == "张三"  # the input is not changed


def test_exports_mask_mobile_numbers_inside_descriptions(store, tmp_path):
    masked, private = tmp_path / "masked.csv", tmp_path / "private.csv"
    export_layer(store, "reports", masked)
    export_layer(store, "reports", private, include_private=True)
    shown = pd.read_csv(masked, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert shown["description"].tolist() == [
        "下水道堵了，请回电138****5678",
        '\'=HYPERLINK("http://x")',
        "",
        "飞线充电 联系 +86 139****1111 或 022-12345678",  # a landline is not a mobile
    ]
    text = masked.read_text(encoding="utf-8-sig")
    assert "13812345678" not in text and "0000-1111" not in text
    kept = pd.read_csv(private, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert kept["description"][0] == "下水道堵了，请回电13812345678"


class EventsStore:
    """Just enough of a store to export report_events: export_layer only reads."""

    path = None

    def read(self, layer, community_id=None):
        if layer == "community":  # no community: every time in the default zone
            return model.empty("community")
        events = pd.DataFrame(
            {
                "event_id": [1, 2],
                "community_id": "c1",
                "report_id": [1, 1],
                "at": pd.to_datetime(["2024-05-01T09:00:00+08:00"] * 2, utc=True),
                "actor": ["王五", "王五"],
                "from_status": ["submitted", "accepted"],
                "to_status": ["accepted", "dispatched"],
                "note": ["居民电话15912345678，下午在家", None],
            }
        )
        return model.conform(layer, events)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_event_notes_masked_in_exports(tmp_path, suffix):
    masked, private = tmp_path / f"masked{suffix}", tmp_path / f"private{suffix}"
    assert export_layer(EventsStore(), "report_events", masked) == 2
    export_layer(EventsStore(), "report_events", private, include_private=True)
    if suffix == ".csv":
        notes = pd.read_csv(masked, encoding="utf-8-sig")["note"].tolist()
        kept = pd.read_csv(private, encoding="utf-8-sig")["note"][0]
    else:
        notes = pd.read_excel(masked)["note"].tolist()
        kept = pd.read_excel(private)["note"][0]
    assert notes[0] == "居民电话159****5678，下午在家" and pd.isna(notes[1])
    assert kept == "居民电话15912345678，下午在家"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("请联系13812345678", "请联系138****5678"),
        ("电话：138 1234 5678。", "电话：138****5678。"),
        ("138-1234-5678 或 13912345678", "138****5678 或 139****5678"),
        ("+8613812345678", "+86138****5678"),
        ("tel 008613812345678", "tel 0086138****5678"),
        ("工单号 212345678901 不是手机", "工单号 212345678901 不是手机"),
        ("138123456789 has twelve digits", "138123456789 has twelve digits"),
        ("12812345678 is no mobile", "12812345678 is no mobile"),
        ("座机 022-12345678", "座机 022-12345678"),
        ("", ""),
        (None, None),
        (float("nan"), None),
    ],
)
def test_mask_phones_in_text(text, masked):
    assert mask_phones_in_text(text) == masked


def test_mask_private_masks_free_text_and_leaves_the_input():
    frame = pd.DataFrame({"description": ["找13812345678", None], "note": ["13912345678", "ok"]})
    out = mask_private(frame)
    assert out["description"].tolist() == ["找138****5678", None]
    assert out["note"].tolist() == ["139****5678", "ok"]
    assert frame["description"][0] == "找13812345678"


def test_export_to_a_missing_folder_refused(store, tmp_path):
    target = tmp_path / "no" / "such" / "grids.csv"
    with pytest.raises(ExportError) as raised:
        export_layer(store, "grids", target)
    assert str(raised.value) == f"folder {target.parent} does not exist; create it first."
    assert not (tmp_path / "no").exists()


def test_one_object_helper_and_one_default_zone():
    values = pd.Series(["a", None], index=[5, 7], dtype=object)
    out = map_objects(values, lambda v: None if v is None else v.upper())
    assert out.dtype == object and out.tolist() == ["A", None] and list(out.index) == [5, 7]
    assert io_values.DEFAULT_TZ is exporting.DEFAULT_TZ
    assert exporting.DEFAULT_TZ == Settings().tz == "Asia/Shanghai"


@pytest.mark.parametrize(
    ("value", "missing"),
    [
        (None, True),
        (float("nan"), True),
        (np.float32("nan"), True),
        (pd.NA, True),
        (pd.NaT, True),
        (np.datetime64("NaT"), True),
        ("", False),
        (0, False),
        (False, False),
        ("nan", False),
        (pd.Timestamp("2024-05-01"), False),
    ],
)
def test_is_missing(value, missing):
    assert model.is_missing(value) is missing


# --- each community's own time zone ------------------------------------------------------


def zoned_store(tmp_path) -> GeoPackageStore:
    """Three communities: in Shanghai (+08:00), in Urumqi (+06:00), and one with no zone.

    Each has one report made at the same instant, 2024-05-01 00:00 UTC, due a day later.
    """
    store = GeoPackageStore(tmp_path / "zones.gpkg")
    ids = ["east", "west", "plain"]
    community = gpd.GeoDataFrame(
        {"community_id": ids, "name": ["东社区", "西社区", "无时区社区"]},
        geometry=[box(i, 0, i + 1, 1) for i in range(3)],
        crs="EPSG:4326",
    )
    community["tz"] = ["Asia/Shanghai", " Asia/Urumqi ", ""]  # trimmed; blank is empty
    reports = gpd.GeoDataFrame(
        {
            "community_id": ids,
            "external_id": ["E1", "W1", "P1"],
            "category": "other",
            "status": "submitted",
            "created_at": pd.to_datetime(["2024-05-01T00:00:00Z"] * 3, utc=True),
            "due_at": pd.to_datetime(["2024-05-02T00:00:00Z", None, None], utc=True),
        },
        geometry=[Point(i + 0.5, 0.5) for i in range(3)],
        crs="EPSG:4326",
    )
    store.load_community({"community": community, "reports": reports})
    return store


ZONED_ISO = {  # the instant 2024-05-01T00:00Z in each community, default Europe/London
    "E1": "2024-05-01T08:00:00+08:00",
    "W1": "2024-05-01T06:00:00+06:00",
    "P1": "2024-05-01T01:00:00+01:00",
}


def test_community_zones_give_each_community_its_own_or_the_default(tmp_path):
    from geo.store.base import community_zones

    store = zoned_store(tmp_path)
    assert store.read("community").set_index("community_id")["tz"].to_dict() == {
        "east": "Asia/Shanghai",
        "west": "Asia/Urumqi",
        "plain": None,
    }
    assert community_zones(store, default="Europe/London") == {
        "east": "Asia/Shanghai",
        "west": "Asia/Urumqi",
        "plain": "Europe/London",
    }
    assert community_zones(store)["plain"] == exporting.DEFAULT_TZ


@pytest.mark.parametrize("suffix", [".csv", ".zip"])
def test_text_exports_show_each_row_in_its_communitys_zone(tmp_path, suffix):
    store = zoned_store(tmp_path)
    path = tmp_path / f"reports{suffix}"
    assert export_layer(store, "reports", path, tz="Europe/London") == 3
    if suffix == ".csv":
        table = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        created, due, key = "created_at", "due_at", "external_id"
    else:
        table = pyogrio.read_dataframe(f"/vsizip/{path}/reports.shp")
        created, due, key = "created_at", "due_at", "ext_id"
    rows = table.set_index(key)
    assert rows[created].to_dict() == ZONED_ISO
    assert rows.at["E1", due] == "2024-05-02T08:00:00+08:00"
    assert model.is_missing(rows.at["W1", due]) or rows.at["W1", due] == ""  # stays missing


def test_excel_shows_each_rows_local_time_of_its_community(tmp_path):
    store = zoned_store(tmp_path)
    path = tmp_path / "reports.xlsx"
    export_layer(store, "reports", path, tz="Europe/London")
    sheet = openpyxl.load_workbook(path)["reports"]
    header = [cell.value for cell in sheet[1]]
    rows = {
        row[header.index("external_id")]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert {ext: row["created_at"] for ext, row in rows.items()} == {
        "E1": datetime(2024, 5, 1, 8, 0),
        "W1": datetime(2024, 5, 1, 6, 0),
        "P1": datetime(2024, 5, 1, 1, 0),
    }
    assert rows["E1"]["due_at"] == datetime(2024, 5, 2, 8, 0)
    assert rows["W1"]["due_at"] is None


# GDAL reads a GeoPackage time with an offset fine, but notes that the standard wants UTC.
@pytest.mark.filterwarnings("ignore:Non-conformant content:RuntimeWarning")
@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_vector_exports_keep_each_rows_offset(tmp_path, suffix):
    store = zoned_store(tmp_path)
    path = tmp_path / f"reports{suffix}"
    export_layer(store, "reports", path, tz="Europe/London")
    if suffix == ".geojson":
        data = json.loads(path.read_text(encoding="utf-8"))
        created = {
            f["properties"]["external_id"]: f["properties"]["created_at"] for f in data["features"]
        }
    else:
        import sqlite3

        with sqlite3.connect(path) as conn:
            created = dict(conn.execute("SELECT external_id, created_at FROM reports"))
    assert created == ZONED_ISO
    # Read back, every row is still the same instant.
    frame = pyogrio.read_dataframe(path)
    instants = {pd.Timestamp(t).tz_convert("UTC") for t in frame["created_at"]}
    assert instants == {pd.Timestamp("2024-05-01T00:00:00Z")}


def test_one_community_export_uses_that_communitys_zone(tmp_path):
    store = zoned_store(tmp_path)
    path = tmp_path / "west.csv"
    assert export_layer(store, "reports", path, community_id="west") == 1
    table = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert table["created_at"].tolist() == [ZONED_ISO["W1"]]


def test_a_zone_edited_outside_the_program_falls_back_to_the_default(tmp_path):
    import sqlite3

    store = zoned_store(tmp_path)
    from geo.store import gpkg_blob

    with sqlite3.connect(store.path) as conn:  # as QGIS might: no check on the way in
        gpkg_blob.register_functions(conn)  # GDAL's triggers call them
        conn.execute("UPDATE community SET tz = 'Mars/Olympus' WHERE community_id = 'west'")
    path = tmp_path / "reports.csv"
    export_layer(store, "reports", path, tz="Asia/Shanghai")
    table = pd.read_csv(path, encoding="utf-8-sig", dtype=str).set_index("external_id")
    assert table.at["W1", "created_at"] == "2024-05-01T08:00:00+08:00"
    assert table.at["P1", "created_at"] == "2024-05-01T08:00:00+08:00"


def test_an_unknown_community_zone_is_refused(tmp_path):
    from geo.errors import StoreError

    store = zoned_store(tmp_path)
    bad = store.read("community", "west").assign(tz="Asia/Atlantis")
    with pytest.raises(StoreError, match="'Asia/Atlantis' is not known"):
        store.upsert("community", bad)
    assert store.read("community", "west")["tz"].tolist() == ["Asia/Urumqi"]
