"""The store contract (DESIGN.md §4): every test runs against both backends.

The ``store`` fixture (tests/conftest.py) is an empty GeoPackage store and an empty
PostGIS store in a schema of its own; a backend passes when it gives exactly what the
other gives: round trips of every layer with their dtypes, geometries, timestamps,
NULLs and Chinese text; replacement by community and by (community_id, key); report
numbering and external_id deduplication; assignment on intake and reassignment; and
updates of one report by several writers at once without losing any.
"""

from __future__ import annotations

import threading

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box

from geo import model
from geo.errors import StoreError
from geo.store.base import InsertSummary, ReportConflict

CST = "+08:00"
TRICKY_TEXT = '楼道灯坏了\t三单元\n"引号" \\反斜杠\\N 100% 😀 {x}'


# --- fixtures drawn by hand --------------------------------------------------------------
def community(cid="c1", name="测试社区 Test"):
    return gpd.GeoDataFrame(
        {"community_id": [cid], "name": [name], "code": [None], "street": ["东丽区"]},
        geometry=[box(0, 0, 3, 3)],
        crs=4326,
    )


def grids(cid="c1", names=None):
    cells = []
    for row in range(3):
        for col in range(3):
            n = row * 3 + col + 1
            cells.append(
                {
                    "grid_id": f"G{n}",
                    "community_id": cid,
                    "name": (names or {}).get(n, f"第{n}网格"),
                    "worker_name": "王秀梅" if n % 2 else None,
                    "worker_phone": "13800001234" if n % 2 else None,
                    "version": n if n != 5 else None,
                    # Polygons in, MultiPolygons back: the layer is typed MultiPolygon.
                    "geometry": box(col, row, col + 1, row + 1),
                }
            )
    return gpd.GeoDataFrame(cells, crs=4326)


def buildings(cid="c1"):
    return gpd.GeoDataFrame(
        {
            "building_id": ["B1", "B2", "B3"],
            "community_id": [cid] * 3,
            "name": ["1号楼", "2号楼", None],
            "address": ["示范路12号", None, "示范路16号"],
            "year_built": [1985, None, 2015],
            "floors": [6, 7, None],
            "units": [4, None, 2],
            "households": [48, 56, None],
            "elevator": [False, None, True],
            "elderly_share": [0.375, None, 0.1],
            "renovation": ['{"供水管道": "planned"}', None, "{}"],
        },
        geometry=[
            box(0.2, 0.2, 0.4, 0.4),
            Polygon([(1.2, 1.2), (1.8, 1.2), (1.5, 1.8)]),
            box(2.2, 2.2, 2.6, 2.4),
        ],
        crs=4326,
    )


def chargers(cid="c1"):
    return gpd.GeoDataFrame(
        {
            "charger_id": ["E1", "E2"],
            "community_id": [cid] * 2,
            "kind": ["ebike", "wheelchair"],
            "ports": [10, None],
            "operator": ["街道", None],
            "status": ["ok", "broken"],
        },
        geometry=[Point(0.1, 0.1), Point(2.9, 2.9)],
        crs=4326,
    )


def drying_areas(cid="c1"):
    return gpd.GeoDataFrame(
        {"area_id": ["D1", "D2"], "community_id": [cid] * 2, "name": ["晾晒区", None]},
        geometry=[box(0.5, 2.5, 0.7, 2.7), Point(1.5, 2.5)],
        crs=4326,
    )


def reports(n=6, cid="c1", prefix="R", ids=None):
    points = [Point(0.5 + (i % 3), 0.5 + (i // 3) % 3) for i in range(n)]
    return gpd.GeoDataFrame(
        {
            "report_id": ids if ids is not None else [None] * n,
            "community_id": [cid] * n,
            "external_id": [f"{prefix}{i}" for i in range(n)],
            "category": ["drainage", "gas"] * (n // 2) + ["drainage"] * (n % 2),
            "description": [f"下水道堵了 {i}" for i in range(n)],
            "source": ["wechat"] * n,
            "created_at": [f"2026-07-0{1 + i % 9}T10:00:00.250{CST}" for i in range(n)],
            "status": ["submitted"] * n,
            "rating": [None] * n,
        },
        geometry=points,
        crs=4326,
    )


def every_layer(cid="c1"):
    return {
        "community": community(cid),
        "grids": grids(cid),
        "buildings": buildings(cid),
        "chargers": chargers(cid),
        "drying_areas": drying_areas(cid),
        "reports": reports(cid=cid, ids=[1, 2, 3, 4, 5, 6]),
        "report_events": pd.DataFrame(
            {
                "event_id": [1, 2],
                "community_id": [cid, cid],
                "report_id": [1, 1],
                "at": [f"2026-07-01T11:00:00{CST}", f"2026-07-02T09:30:00.5{CST}"],
                "actor": ["王秀梅", None],
                "from_status": ["submitted", "accepted"],
                "to_status": ["accepted", "dispatched"],
                "note": ["已受理", None],
            }
        ),
    }


# --- comparing frames ----------------------------------------------------------------------
def assert_layer_equal(actual: pd.DataFrame, expected: pd.DataFrame, layer: str, skip=()):
    """Same rows, columns, dtypes, values, NULLs and geometries, compared by key."""
    spec = model.layer(layer)
    expected = model.conform(layer, expected).sort_values(spec.key).reset_index(drop=True)
    assert list(actual.columns[: len(spec.columns)]) == list(spec.columns)
    assert len(actual) == len(expected)
    for name, kind in spec.columns.items():
        if name in skip:
            continue
        got, want = actual[name], expected[name]
        if kind == model.TIME:
            assert str(got.dtype).endswith(", UTC]"), (name, got.dtype)
            assert got.dt.tz is not None
            assert got.isna().tolist() == want.isna().tolist(), name
            assert (got[want.notna()] == want[want.notna()]).all(), (name, got, want)
            continue
        assert got.dtype == want.dtype, (layer, name, got.dtype, want.dtype)
        assert [None if pd.isna(v) else v for v in got] == [
            None if pd.isna(v) else v for v in want
        ], (layer, name)
    if spec.geometry is not None:
        assert isinstance(actual, gpd.GeoDataFrame)
        assert actual.crs.to_epsg() == 4326
        want_geoms = np.asarray(expected.geometry.values, dtype=object)
        if spec.geometry == "MultiPolygon":
            single = shapely.get_type_id(want_geoms) == 3
            want_geoms[single] = [MultiPolygon([g]) for g in want_geoms[single]]
        got_geoms = np.asarray(actual.geometry.values, dtype=object)
        assert shapely.is_missing(got_geoms).tolist() == shapely.is_missing(want_geoms).tolist()
        both = ~shapely.is_missing(want_geoms)
        assert shapely.equals_exact(got_geoms[both], want_geoms[both], tolerance=0).all(), layer
        assert (shapely.get_type_id(got_geoms[both]) == shapely.get_type_id(want_geoms[both])).all()


# --- round trips --------------------------------------------------------------------------
def test_every_layer_round_trips_with_its_dtypes_and_geometries(store):
    layers = every_layer()
    store.load_community(layers)
    for name, frame in layers.items():
        actual = store.read(name)
        assert_layer_equal(actual, frame, name, skip=("grid_id", "building_id"))
    got = store.read("reports").set_index("report_id")
    assert got.loc[1, "grid_id"] == "G1" and got.loc[1, "building_id"] is None
    assert got.loc[5, "grid_id"] == "G5" and got.loc[5, "building_id"] == "B2"


def test_reading_one_community_and_counting(store):
    store.load_community(every_layer("c1"))
    store.load_community({"community": community("c2"), "grids": grids("c2")})
    assert store.count("grids") == 18
    assert store.count("grids", "c2") == 9
    assert store.count("reports", "c2") == 0
    assert store.count("report_events", "c1") == 2
    assert set(store.read("grids", "c2")["community_id"]) == {"c2"}
    assert store.read("reports", "nowhere").empty
    assert store.community_ids() == ["c1", "c2"]


def test_empty_store(store):
    assert store.is_empty()
    for name in model.LAYERS:
        frame = store.read(name)
        assert frame.empty
        assert list(frame.columns[: len(model.LAYERS[name].columns)]) == list(
            model.LAYERS[name].columns
        )
        assert store.count(name) == 0
    store.load_community({"community": community()})
    assert not store.is_empty()


def test_timestamps_come_back_time_zone_aware_in_utc(store):
    frame = reports(2)
    frame["created_at"] = ["2026-07-01T10:00:00.123+08:00", "2026-01-31T23:59:59Z"]
    frame["due_at"] = ["2026-07-04T10:00:00+08:00", None]
    store.load_community({"community": community(), "grids": grids(), "reports": frame})
    got = store.read("reports")
    assert str(got["created_at"].dt.tz) == "UTC"
    assert got["created_at"].tolist() == [
        pd.Timestamp("2026-07-01T02:00:00.123Z"),
        pd.Timestamp("2026-01-31T23:59:59Z"),
    ]
    assert got["due_at"].iloc[0] == pd.Timestamp("2026-07-04T02:00:00Z")
    assert pd.isna(got["due_at"].iloc[1]) and pd.isna(got["closed_at"]).all()


def test_nulls_round_trip_in_every_column(store):
    frame = gpd.GeoDataFrame(
        {name: [None] for name in model.LAYERS["reports"].columns} | {"community_id": ["c1"]},
        geometry=[None],
        crs=4326,
    )
    assert store.add_reports(frame) == InsertSummary(inserted=1, skipped=0)
    got = store.read("reports")
    assert got["report_id"].tolist() == [1]
    for name in model.LAYERS["reports"].columns:
        if name not in ("report_id", "community_id"):
            assert pd.isna(got[name].iloc[0]), name
    assert got.geometry.iloc[0] is None
    b = buildings()
    for name in ["name", "address", "year_built", "elevator", "elderly_share"]:
        b[name] = None
    store.upsert("buildings", b)
    got = store.read("buildings")
    assert got["name"].tolist() == [None] * 3
    assert got["elevator"].isna().all() and got["elderly_share"].isna().all()
    assert got["year_built"].dtype == "Int64" and got["year_built"].isna().all()


def test_chinese_and_awkward_text_round_trips_exactly(store):
    frame = reports(3)
    frame["description"] = [TRICKY_TEXT, "", "\\"]
    frame["reporter_name"] = ["张三", "  ", None]
    frame["category_text"] = ["屋面外墙渗漏\r\n", "a\tb", "\\N"]
    store.add_reports(frame)
    got = store.read("reports")
    assert got["description"].tolist() == [TRICKY_TEXT, "", "\\"]
    assert got["reporter_name"].tolist() == ["张三", "  ", None]
    assert got["category_text"].tolist() == ["屋面外墙渗漏\r\n", "a\tb", "\\N"]
    store.load_community({"community": community(name=TRICKY_TEXT)})
    assert store.read("community")["name"].tolist() == [TRICKY_TEXT]


def test_empty_geometries_round_trip(store):
    frame = reports(2)
    frame.loc[0, "geometry"] = Point()
    store.add_reports(frame)
    got = store.read("reports")
    assert got.geometry.iloc[0].is_empty and got.geometry.iloc[0].geom_type == "Point"
    assert got["grid_id"].iloc[0] is None and got["building_id"].iloc[0] is None


# --- replacing ------------------------------------------------------------------------------
def test_load_community_replaces_only_that_communitys_rows(store):
    store.load_community(every_layer("c1"))
    c2 = every_layer("c2")
    c2["reports"] = reports(cid="c2", prefix="S")
    c2["report_events"] = c2["report_events"].iloc[:0]
    store.load_community(c2)
    assert store.count("reports") == 12
    smaller = {
        "community": community("c1", name="新名字"),
        "grids": grids("c1").iloc[:4],
        "reports": reports(2, cid="c1", prefix="T"),
    }
    store.load_community(smaller)
    assert store.count("grids", "c1") == 4 and store.count("grids", "c2") == 9
    assert store.count("reports", "c1") == 2 and store.count("reports", "c2") == 6
    # Layers not given keep their rows.
    assert store.count("buildings", "c1") == 3 and store.count("report_events", "c1") == 2
    assert store.read("community", "c1")["name"].tolist() == ["新名字"]
    assert store.read("community", "c2")["name"].tolist() == ["测试社区 Test"]
    assert sorted(store.read("reports", "c1")["external_id"]) == ["T0", "T1"]


def test_load_community_keeps_given_report_ids_or_renumbers_and_events_follow(store):
    layers = every_layer("c1")
    store.load_community(layers)
    assert store.read("reports")["report_id"].tolist() == [1, 2, 3, 4, 5, 6]
    # c2 brings ids 1..6 again: they clash with c1's, so they are renumbered 7..12 and
    # its events follow their reports.
    c2 = every_layer("c2")
    c2["report_events"] = c2["report_events"].assign(event_id=[None, None], report_id=[2, 6])
    store.load_community(c2)
    got = store.read("reports", "c2")
    assert got["report_id"].tolist() == [7, 8, 9, 10, 11, 12]
    events = store.read("report_events", "c2")
    assert events["event_id"].tolist() == [3, 4]
    assert events["report_id"].tolist() == [8, 12]


def test_upsert_replaces_rows_with_the_same_community_and_key(store):
    store.load_community({"community": community("c1"), "grids": grids("c1")})
    store.load_community({"community": community("c2"), "grids": grids("c2")})
    changed = grids("c1", names={1: "改名的网格"}).iloc[[0]]
    new = grids("c1").iloc[[1]].assign(grid_id="G10", name="新网格")
    summary = store.upsert("grids", pd.concat([changed, new]))
    assert summary == InsertSummary(inserted=1, skipped=0, replaced=1)
    c1 = store.read("grids", "c1").set_index("grid_id")
    assert c1.loc["G1", "name"] == "改名的网格" and c1.loc["G10", "name"] == "新网格"
    assert len(c1) == 10
    assert store.read("grids", "c2").set_index("grid_id").loc["G1", "name"] == "第1网格"
    with pytest.raises(ValueError):
        store.upsert("reports", reports(1))


def test_upsert_of_events_replaces_by_event_id(store):
    store.load_community(every_layer())
    events = pd.DataFrame(
        {
            "event_id": [3, 1],
            "community_id": ["c1", "c1"],
            "report_id": [2, 1],
            "at": ["2026-07-03T08:00:00+08:00"] * 2,
            "to_status": ["accepted", "rejected"],
        }
    )
    summary = store.upsert("report_events", events)
    assert summary == InsertSummary(inserted=1, skipped=0, replaced=1)
    got = store.read("report_events").set_index("event_id")
    assert sorted(got.index) == [1, 2, 3]
    assert got.loc[1, "to_status"] == "rejected" and got.loc[3, "report_id"] == 2


# --- reports: intake, deduplication, assignment -----------------------------------------------
def test_add_reports_dedupes_external_id_and_assigns(store, grid3x3):
    store.load_community({"community": community(), "grids": grid3x3, "buildings": buildings()})
    batch = gpd.GeoDataFrame(
        {
            "community_id": ["c1"] * 6,
            "external_id": ["w-1", "w-2", "w-1", None, None, "w-3"],
            "created_at": [f"2026-07-01T08:00:00{CST}"] * 6,
            "status": ["submitted"] * 6,
        },
        geometry=[
            Point(1, 1),  # the corner of G1, G2, G4 and G5: the lowest, G1
            Point(1.5, 0),  # the outer edge of G2: covered, boundary included
            Point(0.5, 0.5),  # a duplicate of w-1 within the batch: skipped
            Point(5, 5),  # outside every grid: kept, unassigned
            Point(0.3, 0.3),  # inside B1
            Point(2, 1.5),  # the edge between G5 and G6
        ],
        crs=4326,
    )
    assert store.add_reports(batch) == InsertSummary(inserted=5, skipped=1)
    got = store.read("reports")
    assert got["report_id"].tolist() == [1, 2, 3, 4, 5]
    assert got["external_id"].tolist() == ["w-1", "w-2", None, None, "w-3"]
    assert got["grid_id"].tolist() == ["G1", "G2", None, "G1", "G5"]
    assert got["building_id"].tolist() == [None, None, None, "B1", None]
    # Again: every report with an external_id is already there; those without one
    # cannot be recognised and come in again.
    assert store.add_reports(batch) == InsertSummary(inserted=2, skipped=4)
    assert store.read("reports")["report_id"].tolist() == [1, 2, 3, 4, 5, 6, 7]
    # The same external_id in another community is another report.
    other = batch.iloc[[0]].assign(community_id="c2")
    assert store.add_reports(other) == InsertSummary(inserted=1, skipped=0)
    assert store.count("reports") == 8


def test_add_reports_keeps_usable_ids_and_numbers_the_rest(store):
    assert store.add_reports(reports(2, ids=[10, 20])).inserted == 2
    assert store.read("reports")["report_id"].tolist() == [10, 20]
    store.add_reports(reports(2, prefix="X", ids=[5, 30]))  # 5 is not above 20
    assert store.read("reports")["report_id"].tolist() == [10, 20, 21, 22]
    store.add_reports(reports(1, prefix="Y"))
    assert store.read("reports")["report_id"].max() == 23


def test_open_reports_follow_a_grid_change_closed_ones_wait(store, grid3x3):
    store.load_community({"community": community(), "grids": grid3x3})
    batch = reports(2)
    batch["geometry"] = [Point(0.5, 0.5), Point(0.6, 0.6)]
    batch["status"] = ["dispatched", "closed"]
    store.add_reports(batch)
    assert store.read("reports")["grid_id"].tolist() == ["G1", "G1"]
    # G1 shrinks; a new grid G0 takes its lower-left part.
    new = gpd.GeoDataFrame(
        {"grid_id": ["G1", "G0"], "community_id": ["c1", "c1"]},
        geometry=[box(0.7, 0, 1, 1), box(0, 0, 0.7, 1)],
        crs=4326,
    )
    store.upsert("grids", new)
    got = store.read("reports")
    assert got["grid_id"].tolist() == ["G0", "G1"]  # the closed report keeps its grid
    summary = store.reassign(open_only=True)
    assert (summary.reports, summary.to_grid, summary.unassigned) == (1, 1, 0)
    summary = store.reassign("c1")
    assert (summary.reports, summary.to_grid, summary.to_building) == (2, 2, 0)
    assert store.read("reports")["grid_id"].tolist() == ["G0", "G0"]
    assert store.reassign("elsewhere").reports == 0


def test_building_changes_reassign_open_reports(store, grid3x3):
    store.load_community({"community": community(), "grids": grid3x3})
    batch = reports(1)
    batch["geometry"] = [Point(0.3, 0.3)]
    store.add_reports(batch)
    assert store.read("reports")["building_id"].tolist() == [None]
    store.upsert("buildings", buildings())
    assert store.read("reports")["building_id"].tolist() == ["B1"]


# --- one report, several writers -----------------------------------------------------------
def test_update_report_changes_columns_checks_expected_and_appends_an_event(store, grid3x3):
    store.load_community({"community": community(), "grids": grid3x3})
    store.add_reports(reports(1))
    after = store.update_report(
        1,
        {"status": "accepted", "assignee": "李建军", "due_at": "2026-07-04T10:00:00+08:00"},
        expected={"status": "submitted"},
        event={"actor": "王秀梅", "note": "已受理", "at": "2026-07-01T11:00:00+08:00"},
    )
    assert after["status"] == "accepted" and after["assignee"] == "李建军"
    assert after["due_at"] == pd.Timestamp("2026-07-04T02:00:00Z")
    assert after["grid_id"] == "G1"
    events = store.read("report_events")
    assert events[["report_id", "from_status", "to_status", "actor", "note"]].values.tolist() == [
        [1, "submitted", "accepted", "王秀梅", "已受理"]
    ]
    assert events["at"].tolist() == [pd.Timestamp("2026-07-01T03:00:00Z")]
    with pytest.raises(ReportConflict, match="status"):
        store.update_report(1, {"status": "dispatched"}, expected={"status": "submitted"})
    assert store.read("reports")["status"].tolist() == ["accepted"]
    assert store.count("report_events") == 1
    with pytest.raises(ValueError):
        store.update_report(1, {"report_id": 5})
    with pytest.raises(ValueError):
        store.update_report(1, {"no_such_column": 5})
    from geo.errors import StoreError

    with pytest.raises(StoreError, match="999"):
        store.update_report(999, {"status": "accepted"})


def test_two_writers_on_one_report_lose_nothing(store, grid3x3):
    store.load_community({"community": community(), "grids": grid3x3})
    store.add_reports(reports(1))
    rounds = 12
    errors: list[BaseException] = []

    def writer(column: str, tag: str) -> None:
        try:
            for i in range(rounds):
                # A field of one's own, and an event each time.
                store.update_report(1, {column: f"{tag}{i}"}, event={"actor": tag, "note": str(i)})
                # A shared field, read-modify-write with compare-and-set: retry on conflict.
                while True:
                    now = store.read("reports")["description"].iloc[0]
                    try:
                        store.update_report(
                            1, {"description": f"{now}|{tag}{i}"}, expected={"description": now}
                        )
                        break
                    except ReportConflict:
                        continue
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [
        threading.Thread(target=writer, args=("assignee", "a")),
        threading.Thread(target=writer, args=("escalation_level", "b")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    got = store.read("reports").iloc[0]
    assert got["assignee"] == f"a{rounds - 1}"
    assert got["escalation_level"] == f"b{rounds - 1}"
    tokens = got["description"].split("|")[1:]
    assert sorted(tokens) == sorted(
        [f"a{i}" for i in range(rounds)] + [f"b{i}" for i in range(rounds)]
    )
    events = store.read("report_events")
    assert len(events) == 2 * rounds
    assert events["event_id"].is_unique


def test_rows_come_back_in_key_order_by_code_point(store):
    codes = ["G9", "网格1", "a1", "G10", "B1"]
    frame = gpd.GeoDataFrame(
        {"grid_id": codes, "community_id": "c1"},
        geometry=[box(i, 0, i + 1, 1) for i in range(len(codes))],
        crs=4326,
    )
    store.upsert("grids", frame)
    assert store.read("grids")["grid_id"].tolist() == ["B1", "G10", "G9", "a1", "网格1"]
    store.add_reports(reports(3, ids=[30, 4, 12]))
    assert store.read("reports")["report_id"].tolist() == [4, 12, 30]


def test_the_same_key_twice_in_one_upsert_keeps_the_last_row(store):
    store.load_community({"community": community("c1"), "grids": grids("c1")})
    twice = pd.concat([grids("c1").iloc[[0]], grids("c1", names={1: "后来的名字"}).iloc[[0]]])
    store.upsert("grids", twice)
    c1 = store.read("grids", "c1").set_index("grid_id")
    assert len(c1) == 9
    assert c1.loc["G1", "name"] == "后来的名字"


def test_replacing_only_the_grids_keeps_buildings_for_assignment(store):
    store.load_community(
        {"community": community("c1"), "grids": grids("c1"), "buildings": buildings("c1")}
    )
    store.add_reports(reports(6))
    linked = store.read("reports")["building_id"].notna().sum()
    assert linked > 0
    # A planner replaces the grids alone; the stored buildings stay and still count.
    store.load_community({"grids": grids("c1").assign(grid_id=lambda f: "N" + f["grid_id"])})
    store.reassign("c1", open_only=False)
    after = store.read("reports")
    assert after["grid_id"].dropna().str.startswith("NG").all()
    assert after["building_id"].notna().sum() == linked
    assert store.count("buildings", "c1") == len(buildings("c1"))


def test_reports_added_while_reassigning_keep_their_grid(store, grid3x3):
    store.load_community({"community": community(), "grids": grid3x3})
    rounds = 10
    errors: list[BaseException] = []

    def adder() -> None:
        try:
            for i in range(rounds):
                store.add_reports(reports(9, prefix=f"A{i}-"))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    def reassigner() -> None:
        try:
            for _ in range(rounds):
                store.reassign()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=adder), threading.Thread(target=reassigner)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    stored = store.read("reports")
    assert len(stored) == 9 * rounds
    # Every point lies inside a cell of the 3×3 grid, so none may end up unassigned.
    assert stored["grid_id"].notna().all(), stored[stored["grid_id"].isna()]


def test_buildings_take_one_polygon_each(store):
    one_part = buildings("c1").iloc[[0]].copy()
    one_part["geometry"] = [MultiPolygon([one_part.geometry.iloc[0]])]
    store.load_community({"community": community("c1"), "buildings": one_part})
    assert store.read("buildings").geometry.iloc[0].geom_type == "Polygon"
    two_parts = buildings("c1").iloc[[1]].copy()
    two_parts["geometry"] = [MultiPolygon([box(0, 0, 0.1, 0.1), box(1, 1, 1.1, 1.1)])]
    with pytest.raises(StoreError, match="several parts"):
        store.upsert("buildings", two_parts)
    assert store.count("buildings") == 1


# --- a community's own time zone -----------------------------------------------------------
def test_a_communitys_zone_round_trips_and_an_unknown_one_is_refused(store):
    from geo.store.base import community_zones

    east, west = community("east", "东社区"), community("west", "西社区")
    east["tz"], west["tz"] = "Asia/Shanghai", None
    store.load_community({"community": pd.concat([east, west], ignore_index=True)})
    assert community_zones(store, default="Europe/London") == {
        "east": "Asia/Shanghai",
        "west": "Europe/London",
    }
    west["tz"] = " Asia/Urumqi "  # trimmed on the way in
    assert store.upsert("community", west).replaced == 1
    assert community_zones(store)["west"] == "Asia/Urumqi"

    # Refused whole, by upsert and by load_community alike; the stored rows stay.
    west["tz"] = "Asia/Atlantis"
    with pytest.raises(StoreError, match="community west: time zone 'Asia/Atlantis' is not known"):
        store.upsert("community", west)
    with pytest.raises(StoreError, match="'Asia/Atlantis'"):
        store.load_community({"community": west, "grids": grids("west")})
    assert store.read("community").set_index("community_id")["tz"].to_dict() == {
        "east": "Asia/Shanghai",
        "west": "Asia/Urumqi",
    }
    assert store.count("grids", "west") == 0


def test_data_version_changes_with_every_write_and_only_then(store):
    before = store.data_version()
    assert store.data_version() == before  # reading changes nothing
    store.load_community(every_layer())
    after_load = store.data_version()
    assert after_load != before
    store.read("reports")
    store.count("grids")
    assert store.data_version() == after_load
    store.add_reports(reports(1, prefix="NEW"))
    after_add = store.data_version()
    assert after_add != after_load
    report_id = int(store.read("reports")["report_id"].iloc[0])
    store.update_report(report_id, {"status": "accepted"})
    assert store.data_version() != after_add


@pytest.mark.postgis
def test_data_version_sees_a_write_made_outside_the_store(store):
    if not hasattr(store, "schema"):
        pytest.skip("only PostGIS tables are edited live by others (QGIS)")
    import psycopg

    store.load_community(every_layer())
    before = store.data_version()
    # as QGIS would: a plain connection, its own search_path, an UPDATE of one grid
    with psycopg.connect(store._conninfo, autocommit=True) as conn:
        conn.execute(
            f'UPDATE "{store.schema}".grids SET name = %s WHERE grid_id = %s', ("改", "G1")
        )
    assert store.data_version() != before


# --- photos, one report's history, one report added, grids chosen by hand -----------------
TINY_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b"
    "0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e3334"
    "32ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708"
    "090a0bffda0008010100003f00d2cf20ffd9"
)


def test_photos_are_stored_per_report_as_given(store, grid3x3):
    store.load_community({"community": community(), "grids": grid3x3})
    store.add_reports(reports(2))
    first = store.add_photo(1, TINY_JPEG, "image/jpeg", "门口.jpg", 1, 1, "王秀梅")
    second = store.add_photo(1, b"\x89PNG second", "image/png")
    assert second > first
    photos = store.photos(1)
    assert [p.photo_id for p in photos] == [first, second]
    one = photos[0]
    assert (one.report_id, one.community_id, one.name) == (1, "c1", "门口.jpg")
    assert one.mime == "image/jpeg"
    assert (one.width, one.height, one.added_by, one.data) == (1, 1, "王秀梅", TINY_JPEG)
    assert one.added_at.tzinfo is not None
    assert abs(pd.Timestamp.now("UTC") - one.added_at) < pd.Timedelta(minutes=5)
    assert photos[1].name is None and photos[1].width is None
    assert store.photos(2) == []
    with pytest.raises(StoreError, match="999"):
        store.add_photo(999, TINY_JPEG, "image/jpeg")
    with pytest.raises(ValueError):
        store.add_photo(1, b"", "image/jpeg")
    with pytest.raises(ValueError):
        store.add_photo(1, TINY_JPEG, "text/html")


def test_reloading_a_communitys_reports_drops_their_photos(store, grid3x3):
    store.load_community({"community": community(), "grids": grid3x3})
    store.add_reports(reports(1))
    store.add_photo(1, TINY_JPEG, "image/jpeg")
    store.load_community({"grids": grid3x3})  # reports kept: photos kept
    assert len(store.photos(1)) == 1
    store.load_community({"reports": reports(1, ids=[1])})
    assert store.photos(1) == []  # report 1 is a new report now, not the photographed one


def test_one_reports_history_oldest_first(store, grid3x3):
    store.load_community({"community": community(), "grids": grid3x3})
    store.add_reports(reports(2))
    store.update_report(1, {"status": "accepted"}, event={"at": f"2026-07-02T10:00:00{CST}"})
    store.update_report(2, {"status": "rejected"}, event={"note": "另一件"})
    store.update_report(
        1,
        {},
        event={"at": f"2026-07-01T10:00:00{CST}", "from_status": None, "to_status": "submitted"},
    )
    history = store.report_history(1)
    assert list(history.columns) == list(model.layer("report_events").columns)
    assert history["to_status"].tolist() == ["submitted", "accepted"]
    assert str(history["at"].dtype).endswith(", UTC]")
    assert store.report_history(999).empty


def test_add_report_returns_the_new_number_or_none_when_stored(store, grid3x3):
    store.load_community({"community": community(), "grids": grid3x3})
    store.add_reports(reports(3))
    one = reports(1, prefix="ONE")
    one["geometry"] = [Point(2.5, 0.5)]
    assert store.add_report(one) == 4
    assert store.add_report(one) is None  # same external_id: nothing added
    got = store.read("reports").set_index("report_id")
    assert got.loc[4, "grid_id"] == "G3" and got.loc[4, "external_id"] == "ONE0"
    with pytest.raises(ValueError):
        store.add_report(reports(2, prefix="TWO"))


def test_a_grid_chosen_by_hand_is_kept_when_grids_change(store, grid3x3):
    store.load_community({"community": community(), "grids": grid3x3})
    batch = reports(2)
    batch["geometry"] = [Point(5, 5), Point(6, 6)]  # outside every grid
    store.add_reports(batch)
    store.update_report(1, {"grid_id": "G9", "grid_by_hand": True})
    store.upsert("grids", grid3x3.iloc[[0]])  # saving a grid reassigns open reports
    got = store.read("reports")
    assert got["grid_id"].tolist() == ["G9", None]
    assert got["grid_by_hand"].tolist() == [True, pd.NA]
    summary = store.reassign("c1")
    assert (summary.reports, summary.to_grid, summary.unassigned) == (2, 1, 1)
    assert store.read("reports")["grid_id"].tolist() == ["G9", None]
    # A report added with the flag set is assigned like any other.
    flagged = reports(1, prefix="F")
    flagged["grid_by_hand"] = [True]
    store.add_reports(flagged)
    assert store.read("reports").set_index("report_id").loc[3, "grid_by_hand"] is pd.NA


# --- versions of grids: save_grids, grid_versions, grid_version (geo/grids) -------------------
def test_grids_are_saved_as_versions_compare_and_set(store):
    from geo.store.base import GridBase, GridVersionConflict
    from geo.store.grid_versions import grids_fingerprint

    store.load_community({"community": community(), "grids": grids(), "reports": reports(6)})
    assert store.grid_versions("c1").empty and store.grid_version("c1", 1).empty
    stored = store.read("grids", "c1")
    base = GridBase(9, grids_fingerprint(stored))  # the highest version the grids carry
    draft = stored[stored["grid_id"] != "G5"]
    saved = store.save_grids("c1", draft, base, "王秀梅", "去掉 G5")
    assert (saved.version, saved.kept) == (10, 9)
    assert (saved.reassigned.reports, saved.reassigned.unassigned) == (6, 1)
    versions = store.grid_versions("c1")
    assert list(versions.columns) == [
        "community_id", "version", "saved_at", "actor", "note", "kind", "grids", "fingerprint"
    ]  # fmt: skip
    assert versions[["version", "kind", "actor", "note", "grids"]].values.tolist() == [
        [9, "found", None, None, 9],
        [10, "saved", "王秀梅", "去掉 G5", 8],
    ]
    kept = store.grid_version("c1", 9)
    assert list(kept.columns) == list(model.layer("grids").columns) + ["geometry"]
    assert grids_fingerprint(kept) == grids_fingerprint(stored)
    assert kept.set_index("grid_id").loc["G1", "name"] == "第1网格"
    assert set(store.read("grids", "c1")["version"]) == {10}
    with pytest.raises(GridVersionConflict):  # the same base again: stale
        store.save_grids("c1", stored, base, "李", None)
    assert len(store.read("grids", "c1")) == 8
