"""The Data page under Streamlit's AppTest: guesses, preview, import and export.

AppTest cannot drive ``st.file_uploader``, so each test writes a file and puts its
path where the page keeps an upload (``st.session_state["data_file"]``). Every test
works on a GeoPackage store of its own, made from the demo community.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyproj
import pytest
import streamlit as st
from shapely.geometry import LineString, box
from streamlit.testing.v1 import AppTest

from geo.i18n import t
from geo.store.gpkg import GeoPackageStore
from tests.app_support import app_test

APP = str(Path(__file__).resolve().parents[1] / "app.py")
# Points inside the demo community (117.3068–117.3133 E, 39.0876–39.0924 N).
INSIDE = [(117.3080 + i * 0.0008, 39.0885 + i * 0.0005) for i in range(5)]


@pytest.fixture
def store_path(tmp_path, demo_layers) -> Path:
    path = tmp_path / "store.gpkg"
    GeoPackageStore(path).load_community(demo_layers)
    return path


@pytest.fixture
def open_page(store_path, monkeypatch):
    """Open the Data page on the test's store, with ``file`` as the upload."""
    monkeypatch.setenv("GRIDMAP_DB", str(store_path))
    monkeypatch.setenv("GRIDMAP_LANG", "en")
    st.cache_resource.clear()
    st.cache_data.clear()

    def opener(file: Path | None, layer: str = "reports", lang: str = "en") -> AppTest:
        at = app_test(APP, 60)
        if lang != "en":
            at.query_params["lang"] = lang
        at.run()
        at.switch_page("views/data.py")
        at.session_state["data_layer"] = layer
        if file is not None:
            at.session_state["data_file"] = str(file)
        return at.run()

    yield opener
    st.cache_resource.clear()
    st.cache_data.clear()


def field_select(at: AppTest, name: str):
    """The select of one field (its key is data_field_<token>_<field>)."""
    found = [
        s
        for s in at.selectbox
        if s.key and s.key.startswith("data_field_") and s.key.split("_", 3)[3] == name
    ]
    assert len(found) == 1, name
    return found[0]


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [s.value for s in at.success] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [e.value for e in at.error]
    return "\n".join(str(p) for p in parts)


def reports_csv(folder: Path) -> Path:
    """Five good reports and one without coordinates; one status word is not ours."""
    rows = [
        {
            "编号": f"IMP-{i}",
            "类别": "排水",
            "描述": f"下水道堵塞 {i}",
            "状态": {0: "已签收", 2: "Pending"}.get(i, "已受理"),
            "创建时间": f"2025-03-0{i + 1} 09:30",
            "经度": lon,
            "纬度": lat,
        }
        for i, (lon, lat) in enumerate(INSIDE)
    ]
    rows.append({**rows[1], "编号": "IMP-bad", "经度": "abc"})
    path = folder / "reports.csv"
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8")
    return path


def test_guesses_preview_and_import_of_reports(open_page, store_path, tmp_path):
    before = GeoPackageStore(store_path).count("reports")
    at = open_page(reports_csv(tmp_path))
    assert not at.exception
    assert "**reports\\.csv** · rows: 6 · columns: 7" in texts(at)
    # The columns are guessed from their Chinese names.
    guessed = {
        "external_id": "编号",
        "category": "类别",
        "description": "描述",
        "status": "状态",
        "created_at": "创建时间",
        "lon": "经度",
        "lat": "纬度",
    }
    for name, column in guessed.items():
        assert field_select(at, name).value == column, name
    assert field_select(at, "reporter_phone").value == ""
    crs = next(s for s in at.selectbox if s.key.startswith("data_crs_"))
    assert crs.value == "wgs84"
    # "已签收" (signed for) is no status word the importer knows: a select offers a guess.
    # "Pending" is one it knows.
    statuses = [s for s in at.selectbox if s.key.startswith("data_status_")]
    assert [s.label for s in statuses] == ["“已签收” means"]
    assert statuses[0].value == "accepted"
    assert "To import: **5** · rejected: **1**" in texts(at)
    assert [m.value for m in at.metric] == ["6", "5", "1"]

    at.button(key="data_import").click().run()
    assert not at.exception
    assert GeoPackageStore(store_path).count("reports") == before + 5
    assert at.success[0].value.startswith("Imported into Reports: 5 ·")
    assert "rejected: 1 ·" in at.success[0].value
    assert at.download_button[0].label == t("data.download_rejects", "en")
    stored = GeoPackageStore(store_path).read("reports")
    mine = stored[stored["external_id"].astype(str).str.startswith("IMP-")]
    assert sorted(mine["external_id"]) == [f"IMP-{i}" for i in range(5)]
    assert mine.set_index("external_id").at["IMP-0", "status"] == "accepted"
    assert mine.set_index("external_id").at["IMP-2", "status"] == "submitted"
    assert (mine["category"] == "drainage").all()
    assert mine["grid_id"].notna().all()  # assigned to the demo's grids on import


def test_changing_a_guess_changes_the_preview(open_page, tmp_path):
    at = open_page(reports_csv(tmp_path))
    # Leave the unknown word unmapped: its row is rejected.
    status = next(s for s in at.selectbox if s.key.startswith("data_status_"))
    status.set_value("").run()
    assert "To import: **4** · rejected: **2**" in texts(at)
    # Take the description from another column: the preview follows.
    field_select(at, "description").set_value("类别").run()
    assert not at.exception
    assert "To import: **4**" in texts(at)


def test_odd_coordinate_names_are_chosen_by_hand(open_page, tmp_path):
    path = tmp_path / "odd.csv"
    frame = pd.DataFrame(
        {
            "service_request_id": ["A1", "A2"],
            "requested_datetime": ["2025-03-01T08:00:00+08:00", "2025-03-02T08:00:00+08:00"],
            "东经": [p[0] for p in INSIDE[:2]],
            "北纬": [p[1] for p in INSIDE[:2]],
        }
    )
    frame.to_csv(path, index=False)
    at = open_page(path)
    assert field_select(at, "lon").value == ""
    assert t("data.need_coordinates", "en") in texts(at)
    field_select(at, "lon").set_value("东经").run()
    field_select(at, "lat").set_value("北纬").run()
    assert not at.exception
    assert "To import: **2** · rejected: **0**" in texts(at)


def test_projected_metres_get_the_communitys_utm_zone(open_page, tmp_path):
    to_utm = pyproj.Transformer.from_crs(4326, 32650, always_xy=True)
    xs, ys = to_utm.transform([p[0] for p in INSIDE], [p[1] for p in INSIDE])
    path = tmp_path / "metres.csv"
    pd.DataFrame(
        {"id": [f"M{i}" for i in range(5)], "x": xs, "y": ys, "created": "2025-03-01"}
    ).to_csv(path, index=False)
    at = open_page(path)
    crs = next(s for s in at.selectbox if s.key.startswith("data_crs_"))
    assert crs.value == "epsg"
    epsg = next(i for i in at.text_input if i.key.startswith("data_epsg_"))
    assert epsg.value == "32650"
    assert "To import: **5** · rejected: **0**" in texts(at)
    # A code that is no coordinate system is refused with a message.
    epsg.set_value("999999").run()
    assert not at.exception
    assert "999999" in at.error[0].value
    # Taken for degrees, the metres are refused, and the advice names this page's choice
    # (the command line's names its --crs option).
    crs.set_value("wgs84").run()
    assert not at.exception
    assert "look projected" in at.error[0].value
    assert "“Coordinate system”" in at.error[0].value and "--crs" not in at.error[0].value


def test_a_boundary_with_only_a_name_and_a_typed_community_id(open_page, store_path, tmp_path):
    path = tmp_path / "boundary.geojson"
    gpd.GeoDataFrame(
        {"name": ["新立社区"]}, geometry=[box(117.32, 39.09, 117.33, 39.10)], crs=4326
    ).to_file(path)
    at = open_page(path, layer="community")
    assert field_select(at, "name").value == "name"
    assert t("data.missing_required", "en", fields="community_id") in texts(at)
    typed = next(i for i in at.text_input if i.key.startswith("data_new_community_"))
    typed.set_value("tj-xinli").run()
    assert not at.exception
    assert "To import: **1** · rejected: **0**" in texts(at)
    at.button(key="data_import").click().run()
    assert not at.exception
    assert "tj-xinli" in GeoPackageStore(store_path).community_ids()


def test_a_bad_file_shows_a_message_not_a_traceback(open_page, tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text("{not json", encoding="utf-8")
    at = open_page(path)
    assert not at.exception
    assert len(at.error) == 1
    assert "broken.geojson" in at.error[0].value


def test_an_import_refused_as_a_whole_shows_its_message(open_page, store_path, tmp_path):
    # A grid file with a bad row cannot replace the whole layer: nothing is written.
    path = tmp_path / "grids.geojson"
    gpd.GeoDataFrame(
        {"网格编号": ["N1", "N2"]},
        geometry=[
            box(117.307, 39.088, 117.309, 39.090),
            LineString([(117.31, 39.09), (117.311, 39.091)]),
        ],
        crs=4326,
    ).to_file(path)
    at = open_page(path, layer="grids")
    assert field_select(at, "grid_id").value == "网格编号"
    assert "To import: **1** · rejected: **1**" in texts(at)
    replace = next(c for c in at.checkbox if c.key.startswith("data_replace_"))
    replace.check().run()
    at.button(key="data_import").click().run()
    assert not at.exception
    assert len(at.error) == 1
    assert sorted(GeoPackageStore(store_path).read("grids")["grid_id"])[0] == "G01"
    assert "N1" not in set(GeoPackageStore(store_path).read("grids")["grid_id"])


def test_export_a_layer(open_page):
    at = open_page(None)
    at.selectbox(key="data_export_layer").set_value("grids").run()
    fmt = next(s for s in at.selectbox if s.key.startswith("data_export_format_"))
    assert fmt.options == [
        "GeoJSON",
        "GeoPackage (QGIS)",
        "Shapefile (zipped)",
        "CSV",
        "Excel (xlsx)",
    ]
    assert at.checkbox(key="data_export_private").value is False
    at.button(key="data_export_build").click().run()
    assert not at.exception
    assert "Grids: 12 rows, ready to download." in texts(at)
    assert at.download_button[0].label == "Download grids.geojson"


def test_report_history_exports_to_tables_only(open_page):
    at = open_page(None)
    at.selectbox(key="data_export_layer").set_value("report_events").run()
    fmt = next(s for s in at.selectbox if s.key.startswith("data_export_format_"))
    assert fmt.options == ["CSV", "Excel (xlsx)"]


def test_chinese_labels(open_page, tmp_path):
    at = open_page(reports_csv(tmp_path), lang="zh")
    assert not at.exception
    assert at.title[0].value == "数据：导入与导出"
    assert at.selectbox(key="data_layer").label == "图层"
    assert at.selectbox(key="data_layer").value == "reports"
    assert field_select(at, "external_id").label == "来源编号 · external_id"
    assert "可导入：**5** 行 · 被拒绝：**1** 行" in texts(at)
    assert [tab.label for tab in at.tabs] == ["导入文件", "导出图层"]


def test_without_a_file_the_page_asks_for_one(open_page):
    at = open_page(None)
    assert not at.exception
    assert t("data.choose_file", "en") in [i.value for i in at.info]


def test_every_row_rejected_shows_why(open_page, tmp_path):
    path = tmp_path / "late.csv"
    pd.DataFrame({"id": ["L1", "L2"], "lon": [117.31, 117.31], "lat": [39.09, 39.09]}).assign(
        created="not a date"
    ).to_csv(path, index=False)
    at = open_page(path)
    assert not at.exception
    assert "To import: **0** · rejected: **2**" in texts(at)
    assert at.expander[-1].label == t("data.rejected_rows", "en")
    reasons = at.dataframe[-1].value["reason"]
    assert all("created_at" in reason for reason in reasons)


def test_an_empty_store_takes_its_first_community(tmp_path, monkeypatch):
    store_path = tmp_path / "empty.gpkg"
    GeoPackageStore(store_path)
    monkeypatch.setenv("GRIDMAP_DB", str(store_path))
    monkeypatch.setenv("GRIDMAP_LANG", "en")
    st.cache_resource.clear()
    st.cache_data.clear()
    boundary = tmp_path / "community.geojson"
    gpd.GeoDataFrame(
        {"社区编号": ["tj-first"], "社区名称": ["第一社区"], "街道": ["新立街道"]},
        geometry=[box(117.32, 39.09, 117.33, 39.10)],
        crs=4326,
    ).to_file(boundary)
    at = app_test(APP, 60).run()
    at.switch_page("views/data.py")
    at.session_state["data_file"] = str(boundary)
    at.run()
    assert not at.exception
    assert field_select(at, "community_id").value == "社区编号"
    assert field_select(at, "name").value == "社区名称"
    assert field_select(at, "street").value == "街道"
    # Other layers wait for a community.
    at.selectbox(key="data_layer").set_value("grids").run()
    assert t("data.no_community", "en") in texts(at)
    at.selectbox(key="data_layer").set_value("community").run()
    at.button(key="data_import").click().run()
    assert not at.exception
    assert GeoPackageStore(store_path).community_ids() == ["tj-first"]
    assert at.success[0].value.startswith("Imported into Community boundary: 1 ·")
    st.cache_resource.clear()
    st.cache_data.clear()


def test_each_role_imports_only_the_layers_it_changes(open_page):
    at = open_page(None, layer="grids")
    at.selectbox(key="demo_role").select("planner").run()
    assert not at.exception
    assert at.selectbox(key="data_layer").options == ["Grids"]
    at.selectbox(key="demo_role").select("renovation").run()
    assert at.selectbox(key="data_layer").options == ["Buildings", "Chargers", "Drying areas"]
    at.selectbox(key="demo_role").select("secretary").run()
    assert not [s for s in at.selectbox if s.key == "data_layer"]
    assert any("which a community secretary does not do" in i.value for i in at.info)
    # A secretary exports residents' details; a planner is not offered the choice.
    assert [c for c in at.checkbox if c.key == "data_export_private"]
    at.selectbox(key="demo_role").select("planner").run()
    assert not [c for c in at.checkbox if c.key == "data_export_private"]
