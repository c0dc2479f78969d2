"""Reports in and out: Open311 GeoReport v2 JSON, and the secretary's sheet.

The export is checked field by field against the GeoReport v2 ``service_requests``
field list; a round trip through a second store gives the same requests back;
importing a file twice adds nothing; bad requests are rejected with their number
and reason. Both stores are exercised.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo import cli, model
from geo.errors import ExportError, ImportFileError
from geo.exporting import SHEET_COLUMNS, export_report_sheet, report_sheet
from geo.io.open311 import (
    FIELDS,
    export_open311,
    import_open311,
    looks_like_open311,
    plain_description,
    to_open311,
)
from geo.store.gpkg import GeoPackageStore

# GeoReport v2, GET service_requests: the fields of each request, as the spec lists them.
GEOREPORT_V2_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
LOCAL = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")
NOW = pd.Timestamp("2026-07-10T12:00:00+08:00")


def base_layers() -> dict:
    community = gpd.GeoDataFrame(
        {"community_id": ["c1"], "name": ["测试社区"], "tz": ["Asia/Shanghai"]},
        geometry=[box(117.30, 39.08, 117.32, 39.10)],
        crs=4326,
    )
    grids = gpd.GeoDataFrame(
        {
            "grid_id": ["G1", "G2"],
            "community_id": ["c1", "c1"],
            "worker_name": ["王秀梅", "李建军"],
        },
        geometry=[box(117.30, 39.08, 117.31, 39.10), box(117.31, 39.08, 117.32, 39.10)],
        crs=4326,
    )
    buildings = gpd.GeoDataFrame(
        {
            "building_id": ["B1"],
            "community_id": ["c1"],
            "name": ["3号楼"],
            "address": ["示范路12号"],
        },
        geometry=[box(117.3040, 39.0890, 117.3060, 39.0910)],
        crs=4326,
    )
    return {"community": community, "grids": grids, "buildings": buildings}


def report_rows() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "report_id": [1, 2, 3],
            "community_id": ["c1"] * 3,
            "external_id": ["SR-1", None, "SR-3"],
            "category": ["drainage", "gas", "noise_dispute"],
            "description": ["下水道堵了，请联系13812345678\x07", "燃气味道", "楼上装修"],
            "source": ["wechat", "hotline", "patrol"],
            "reporter_name": ["张三", "李四", None],
            "reporter_phone": ["13812345678", "13900001111", None],
            "created_at": [
                "2026-07-01T08:30:00+08:00",
                "2026-07-02T09:00:00+08:00",
                "2026-07-03T10:00:00+08:00",
            ],
            "status": ["closed", "escalated", "duplicate"],
            "assignee": ["王秀梅", "李建军", None],
            "due_at": [
                "2026-07-04T08:30:00+08:00",
                "2026-07-03T09:00:00+08:00",
                "2026-07-08T10:00:00+08:00",
            ],
            "closed_at": ["2026-07-03T17:00:00+08:00", None, "2026-07-03T11:00:00+08:00"],
            "rating": [5, None, None],
            "escalation_level": [None, "community", None],
            "duplicate_of": [None, None, 1],
        },
        geometry=[Point(117.305, 39.090), Point(117.315, 39.095), Point(117.3051, 39.0901)],
        crs=4326,
    )


def events() -> pd.DataFrame:
    rows = [
        (1, "2026-07-01T08:30:00", None, "submitted"),
        (1, "2026-07-01T09:00:00", "submitted", "accepted"),
        (1, "2026-07-01T09:10:00", "accepted", "dispatched"),
        (1, "2026-07-02T10:00:00", "dispatched", "in_progress"),
        (1, "2026-07-03T15:00:00", "in_progress", "resolved"),
        (1, "2026-07-03T17:00:00", "resolved", "closed"),
        (2, "2026-07-02T09:00:00", None, "submitted"),
        (2, "2026-07-02T09:30:00", "submitted", "accepted"),
        (2, "2026-07-02T09:40:00", "accepted", "dispatched"),
        (2, "2026-07-03T08:00:00", "dispatched", "escalated"),
    ]
    return pd.DataFrame(
        {
            "event_id": range(1, len(rows) + 1),
            "community_id": "c1",
            "report_id": [r[0] for r in rows],
            "at": [f"{r[1]}+08:00" for r in rows],
            "from_status": [r[2] for r in rows],
            "to_status": [r[3] for r in rows],
            "actor": "x",
        }
    )


@pytest.fixture
def loaded(store):
    store.load_community({**base_layers(), "reports": report_rows(), "report_events": events()})
    return store


def fresh_store(tmp_path: Path) -> GeoPackageStore:
    other = GeoPackageStore(tmp_path / "other.gpkg")
    other.load_community(base_layers())
    return other


# --- out ---------------------------------------------------------------------------------------
def test_every_request_carries_the_georeport_v2_fields_and_nothing_private(loaded, tmp_path):
    path = tmp_path / "requests.json"
    assert export_open311(loaded, path) == 3
    requests = json.loads(path.read_text(encoding="utf-8"))
    assert list(FIELDS) == GEOREPORT_V2_FIELDS
    for request in requests:
        assert list(request) == [*GEOREPORT_V2_FIELDS, "extended_attributes"]
    text = path.read_text(encoding="utf-8")
    assert "张三" not in text and "13812345678" not in text and "13900001111" not in text
    first, second, third = requests
    assert first == {
        "service_request_id": "SR-1",
        "status": "closed",
        "status_notes": "closed: 已办结 closed",
        "service_name": "Drainage",
        "service_code": "drainage",
        "description": "下水道堵了，请联系138****5678",
        "agency_responsible": "王秀梅",
        "service_notice": None,
        "requested_datetime": "2026-07-01T08:30:00+08:00",
        "updated_datetime": "2026-07-03T17:00:00+08:00",
        "expected_datetime": "2026-07-04T08:30:00+08:00",
        "address": "示范路12号",
        "address_id": "B1",
        "zipcode": None,
        "lat": 39.09,
        "long": 117.305,
        "media_url": None,
        "extended_attributes": {
            "source": "wechat",
            "grid_id": "G1",
            "escalation_level": None,
            "closed_datetime": "2026-07-03T17:00:00+08:00",
            "rating": 5,
        },
    }
    assert second["service_request_id"] == "GM-000002"  # no external id: our own number
    assert (second["status"], second["status_notes"]) == (
        "open",
        "escalated: 已上报 escalated; escalation_level: community",
    )
    assert second["updated_datetime"] == "2026-07-03T08:00:00+08:00"
    assert third["status"] == "closed"
    assert third["status_notes"] == "duplicate: 重复 duplicate; duplicate_of: SR-1"
    assert third["updated_datetime"] == third["requested_datetime"]  # no events
    for request in requests:
        for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
            assert LOCAL.match(request[name]), (name, request[name])
        assert isinstance(request["lat"], float) and isinstance(request["long"], float)


def test_times_carry_each_communitys_own_offset():
    reports = model.conform(
        "reports",
        report_rows().iloc[[0]].assign(created_at="2026-07-01T00:30:00Z", due_at=None),
    )
    empty_events = pd.DataFrame({"report_id": [], "at": []})
    buildings = base_layers()["buildings"]
    shanghai = to_open311(reports, empty_events, buildings, {"c1": "Asia/Shanghai"})[0]
    urumqi = to_open311(reports, empty_events, buildings, {"c1": "Asia/Urumqi"})[0]
    assert shanghai["requested_datetime"] == "2026-07-01T08:30:00+08:00"
    assert urumqi["requested_datetime"] == "2026-07-01T06:30:00+06:00"
    assert shanghai["expected_datetime"] is None


def test_descriptions_are_plain_text_of_at_most_4000_characters():
    long = "漏水" * 2500 + "13812345678"
    cut = plain_description(long)
    assert len(cut) == 4000 and cut.endswith("…")
    assert plain_description("a\x00b\x1bc\n第二行\t") == "abc\n第二行"
    assert plain_description(None) is None
    written = "请回电13812345678 " + long
    reports = model.conform("reports", report_rows().iloc[[0]].assign(description=written))
    empty_events = pd.DataFrame({"report_id": [], "at": []})
    request = to_open311(reports, empty_events, base_layers()["buildings"], {})[0]
    assert len(request["description"]) == 4000
    assert request["description"].startswith("请回电138****5678 漏水")


# --- in ------------------------------------------------------------------------------------------
def test_a_round_trip_gives_the_same_requests_back(loaded, tmp_path):
    path = tmp_path / "out.json"
    export_open311(loaded, path)
    other = fresh_store(tmp_path)
    result = import_open311(other, path)
    assert (result.imported, result.skipped, result.rejected) == (3, 0, 0)
    again = tmp_path / "again.json"
    export_open311(other, again)
    before = json.loads(path.read_text(encoding="utf-8"))
    after = json.loads(again.read_text(encoding="utf-8"))
    assert len(before) == len(after)
    for one, two in zip(before, after, strict=True):
        for field in GEOREPORT_V2_FIELDS:
            if field == "updated_datetime":  # the event log does not travel; nothing after
                assert two[field] == two["requested_datetime"]
                continue
            if field == "status_notes" and "duplicate_of" in one[field]:
                assert two[field] == "duplicate: 重复 duplicate"  # the link is our own number
                continue
            assert two[field] == one[field], field
        assert two["extended_attributes"] == one["extended_attributes"]
    stored = other.read("reports").set_index("external_id")
    assert stored.loc["SR-1", "status"] == "closed" and stored.loc["SR-1", "rating"] == 5
    assert stored.loc["GM-000002", "escalation_level"] == "community"
    assert stored.loc["SR-1", "grid_id"] == "G1" and stored.loc["SR-1", "building_id"] == "B1"


def test_importing_the_same_file_twice_adds_nothing(loaded, tmp_path):
    path = tmp_path / "out.json"
    export_open311(loaded, path)
    other = fresh_store(tmp_path)
    import_open311(other, path)
    second = import_open311(other, path)
    assert (second.imported, second.skipped, second.rejected) == (0, 3, 0)
    assert other.count("reports") == 3


def write(tmp_path: Path, data, name="requests.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


GOOD = {
    "service_request_id": "A-1",
    "status": "open",
    "service_code": "drainage",
    "description": "井盖松动",
    "requested_datetime": "2026-07-05T10:00:00+08:00",
    "lat": 39.09,
    "long": 117.305,
}


def test_bad_requests_are_rejected_with_their_number_and_reason(tmp_path):
    store = fresh_store(tmp_path)
    requests = [
        GOOD,
        {**GOOD, "service_request_id": "A-2", "service_code": " "},
        {**GOOD, "service_request_id": "A-3", "lat": None, "address_string": "示范路12号"},
        "not a request",
        {**GOOD, "service_request_id": "A-5", "requested_datetime": None},
        {**GOOD, "service_request_id": "A-6", "long": "east"},
        {**GOOD, "service_request_id": "A-7", "status": "closed", "first_name": "张",
         "last_name": "三", "phone": "13812345678"},
    ]  # fmt: skip
    path = write(tmp_path, requests)
    result = import_open311(store, path)
    assert (result.imported, result.rejected) == (2, 5)
    rejects = pd.read_csv(result.rejects_path, dtype=str, keep_default_na=False)
    assert rejects["request"].tolist() == ["2", "3", "4", "5", "6"]
    assert rejects["service_request_id"].tolist() == ["A-2", "A-3", "", "A-5", "A-6"]
    reasons = rejects["reason"].tolist()
    assert reasons[0] == "no service_code"
    assert reasons[1].startswith("no location")
    assert reasons[2].startswith("not a service request")
    assert "created_at" in reasons[3]
    assert reasons[4]  # the pipeline's own reason for a longitude that is not a number
    stored = store.read("reports").set_index("external_id")
    assert stored.loc["A-1", "status"] == "submitted" and stored.loc["A-1", "status_text"] == "open"
    assert stored.loc["A-7", "status"] == "closed"
    assert stored.loc["A-7", "reporter_name"] == "张 三"
    assert stored.loc["A-7", "reporter_phone"] == "13812345678"


def test_unknown_service_codes_keep_their_words_and_service_names_are_understood(tmp_path):
    store = fresh_store(tmp_path)
    path = write(
        tmp_path,
        {
            "service_requests": [
                {**GOOD, "service_code": "pothole"},
                {**GOOD, "service_request_id": "A-2", "service_code": "X9", "service_name": "燃气"},
            ]
        },
    )
    result = import_open311(store, path)
    assert result.imported == 2
    stored = store.read("reports").set_index("external_id")
    assert stored.loc["A-1", "category"] == "other"
    assert stored.loc["A-1", "category_text"] == "pothole"
    assert stored.loc["A-2", "category"] == "gas"


def test_files_that_hold_no_requests_are_refused_with_a_message(tmp_path):
    store = fresh_store(tmp_path)
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    with pytest.raises(ImportFileError, match="not JSON"):
        import_open311(store, broken)
    with pytest.raises(ImportFileError, match="no Open311 service requests"):
        import_open311(store, write(tmp_path, {"type": "FeatureCollection", "features": []}))
    with pytest.raises(ImportFileError, match="no data rows"):
        import_open311(store, write(tmp_path, []))
    assert store.count("reports") == 0
    single = import_open311(store, write(tmp_path, GOOD, "one.json"))
    assert single.imported == 1


def test_open311_is_told_from_geojson(tmp_path):
    assert looks_like_open311(write(tmp_path, [GOOD]))
    assert looks_like_open311(write(tmp_path, {"service_requests": [GOOD]}))
    assert not looks_like_open311(write(tmp_path, {"type": "FeatureCollection", "features": []}))
    broken = tmp_path / "x.json"
    broken.write_text("nope", encoding="utf-8")
    assert not looks_like_open311(broken)


# --- the command line ----------------------------------------------------------------------------
def test_the_command_line_imports_and_exports_open311(loaded, tmp_path, monkeypatch, capsys):
    if not isinstance(loaded, GeoPackageStore):
        pytest.skip("the command runs against a GeoPackage here; both stores are covered above")
    monkeypatch.setenv("GRIDMAP_DB", str(loaded.path))
    monkeypatch.setenv("GRIDMAP_LANG", "en")
    out = tmp_path / "cli.json"
    assert cli.main(["export", "reports", str(out), "--format", "open311"]) == 0
    assert "Wrote 3 rows of reports" in capsys.readouterr().out
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 3
    other = fresh_store(tmp_path)
    monkeypatch.setenv("GRIDMAP_DB", str(other.path))
    assert cli.main(["import", "reports", str(out), "--format", "open311"]) == 0
    assert "imported 3, skipped 0 already present, rejected 0" in capsys.readouterr().out
    assert cli.main(["import", "reports", str(out), "--format", "open311"]) == 0
    assert "imported 0, skipped 3 already present" in capsys.readouterr().out
    assert cli.main(["import", "grids", str(out), "--format", "open311"]) == 2
    assert "--format open311 is for the reports layer only" in capsys.readouterr().err
    sheet = tmp_path / "week.xlsx"
    assert cli.main(["export", "reports", str(sheet), "--format", "sheet"]) == 0
    assert openpyxl.load_workbook(sheet).active.max_row == 4


# --- the secretary's sheet -----------------------------------------------------------------------
def test_the_sheet_has_the_secretarys_columns_and_figures(loaded):
    reports = loaded.read("reports")
    sheet = report_sheet(
        reports,
        loaded.read("report_events"),
        loaded.read("buildings"),
        {"c1": "Asia/Shanghai"},
        "en",
        NOW,
    )
    assert list(sheet.columns) == [c.replace("_", " ") for c in SHEET_COLUMNS]
    first, second, third = (sheet.iloc[i].to_dict() for i in range(3))
    assert first["id"] == 1 and first["category"] == "Drainage"
    assert first["description"] == "下水道堵了，请联系138****5678\x07"
    assert (first["grid"], first["building"]) == ("G1", "3号楼")
    assert first["created"] == pd.Timestamp("2026-07-01 08:30")
    assert first["accepted"] == pd.Timestamp("2026-07-01 09:00")
    assert first["dispatched"] == pd.Timestamp("2026-07-01 09:10")
    assert first["resolved"] == pd.Timestamp("2026-07-03 15:00")
    assert first["closed"] == pd.Timestamp("2026-07-03 17:00")
    assert (first["status"], first["days open"], first["overdue"], first["rating"]) == (
        "closed",
        2.4,
        "no",
        5,
    )
    assert second["status"] == "escalated" and second["overdue"] == "yes"  # open, past due
    assert second["days open"] == 8.1 and pd.isna(second["resolved"])
    assert third["overdue"] == "no" and third["days open"] == 0.0  # a duplicate is never late
    chinese = report_sheet(
        reports, loaded.read("report_events"), loaded.read("buildings"), {}, "zh", NOW
    )
    assert list(chinese.columns)[:3] == ["编号", "类别", "描述"]
    assert chinese.iloc[0]["状态"] == "已办结" and chinese.iloc[1]["是否超期"] == "是"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_sheet_is_written_as_csv_and_excel(loaded, tmp_path, suffix):
    path = tmp_path / f"week{suffix}"
    assert export_report_sheet(loaded, path, "c1", "zh", now=NOW) == 3
    if suffix == ".csv":
        table = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
        assert table["上报时间"].tolist()[0] == "2026-07-01 08:30"
        assert "13812345678" not in path.read_text(encoding="utf-8-sig")
    else:
        rows = list(openpyxl.load_workbook(path).active.values)
        assert rows[0][0] == "编号" and len(rows) == 4
        assert rows[1][5] == pd.Timestamp("2026-07-01 08:30").to_pydatetime()
    with pytest.raises(ExportError):
        export_report_sheet(loaded, tmp_path / "week.geojson")
