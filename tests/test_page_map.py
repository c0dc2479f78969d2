"""The Map page under Streamlit's AppTest, on the demo community in both stores.

The same demo community is loaded into a GeoPackage file and into PostGIS; every
test runs on each, and the expected figures come from the stored layers directly.
"""

from datetime import UTC, datetime
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import offline
from geo.i18n import t
from geo.model import OPEN_STATUSES
from geo.store.gpkg import GeoPackageStore
from geo.ui import plain
from tests.app_support import app_test

APP = str(Path(__file__).resolve().parents[1] / "app.py")
MAP_PAGE = "views/map.py"


@pytest.fixture(params=["gpkg", "postgis"])
def app(request, demo_gpkg, monkeypatch):
    db = str(demo_gpkg) if request.param == "gpkg" else request.getfixturevalue("demo_postgis_url")
    monkeypatch.setenv("GRIDMAP_DB", db)
    monkeypatch.setenv("GRIDMAP_LANG", "en")
    st.cache_resource.clear()
    st.cache_data.clear()
    at = app_test(APP, 60)
    at.switch_page(MAP_PAGE)  # the Overview is the first page
    yield at
    st.cache_resource.clear()
    st.cache_data.clear()


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += (
        [t.value for t in at.title] + [s.value for s in at.subheader] + [i.value for i in at.info]
    )
    return "\n".join(str(p) for p in parts)


def test_map_page_shows_the_community(app, demo_gpkg):
    app.run()
    assert not app.exception
    store = GeoPackageStore(demo_gpkg)
    name = store.read("community").iloc[0]["name"]
    assert app.title[0].value == f"Community Grid Map · {plain(name)}"
    text = _text(app)
    assert "12 grids · 60 buildings" in text
    open_count = int(store.read("reports")["status"].isin(OPEN_STATUSES).sum())
    assert f"{open_count} open reports" in text
    assert t("app.synthetic_badge", "en") in [c.value for c in app.caption]


def _brute_force_card(store, grid_id):
    """The card's figures computed the slow, obvious way from the stored layers."""
    grid = store.read("grids").set_index("grid_id").geometry[grid_id]
    buildings = store.read("buildings")
    inside = [grid.covers(b.representative_point()) for b in buildings.geometry]
    reports = store.read("reports")
    open_here = reports[(reports["grid_id"] == grid_id) & reports["status"].isin(OPEN_STATUSES)]
    overdue = open_here[open_here["due_at"] < datetime.now(UTC)]
    return {
        "Households": int(buildings.loc[inside, "households"].sum()),
        "Buildings": int(sum(inside)),
        "Open reports": len(open_here),
        "Overdue": len(overdue),
    }


def test_grid_card_from_the_query_string(app, demo_gpkg):
    app.query_params["grid"] = "G02"
    app.run()
    assert not app.exception
    assert app.subheader[0].value.startswith("Grid G02")
    metrics = {m.label: int(m.value) for m in app.metric}
    assert metrics == _brute_force_card(GeoPackageStore(demo_gpkg), "G02")


def test_category_filter_applies_to_the_card(app, demo_gpkg):
    store = GeoPackageStore(demo_gpkg)
    reports = store.read("reports")
    open_reports = reports[reports["status"].isin(OPEN_STATUSES)]
    grid_id, category = open_reports.groupby(["grid_id", "category"]).size().idxmax()
    app.query_params["grid"] = grid_id
    app.query_params["cat"] = category
    app.run()
    assert not app.exception
    metrics = {m.label: int(m.value) for m in app.metric}
    expected = ((open_reports["grid_id"] == grid_id) & (open_reports["category"] == category)).sum()
    assert metrics["Open reports"] == expected
    assert any("chosen categories" in c.value for c in app.caption)


def test_choosing_a_grid_in_the_selectbox_opens_its_card(app):
    app.run()
    app.selectbox(key="grid_choice").select("G05").run()
    assert not app.exception
    assert app.subheader[0].value.startswith("Grid G05")
    assert app.query_params["grid"] == ["G05"] or app.query_params["grid"] == "G05"


def test_chinese_interface(app):
    app.query_params["lang"] = "zh"
    app.query_params["grid"] = "G01"
    app.run()
    assert not app.exception
    assert "社区网格地图" in app.title[0].value
    assert app.subheader[0].value.startswith("网格 G01")
    assert t("app.synthetic_badge", "zh") in [c.value for c in app.caption]
    assert "个网格" in _text(app)


def test_empty_store_says_how_to_load(tmp_path, monkeypatch):
    monkeypatch.setenv("GRIDMAP_DB", str(tmp_path / "empty.gpkg"))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = app_test(APP, 30)
    at.switch_page(MAP_PAGE)
    at.run()
    assert not at.exception
    assert "gridmap demo" in at.info[0].value
    st.cache_resource.clear()


def test_unusable_store_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    bad = tmp_path / "notes.gpkg"
    bad.write_text("this is not a GeoPackage")
    monkeypatch.setenv("GRIDMAP_DB", str(bad))
    st.cache_resource.clear()
    at = app_test(APP, 30)
    at.switch_page(MAP_PAGE)
    at.run()
    assert not at.exception
    assert "not a GeoPackage" in at.error[0].value
    st.cache_resource.clear()


def _gpkg_app(demo_gpkg, monkeypatch, lang: str = "en") -> AppTest:
    monkeypatch.setenv("GRIDMAP_DB", str(demo_gpkg))
    monkeypatch.setenv("GRIDMAP_LANG", lang)
    st.cache_resource.clear()
    st.cache_data.clear()
    at = app_test(APP, 60)
    at.switch_page(MAP_PAGE)
    return at


def test_without_built_assets_the_page_says_to_run_make_assets(demo_gpkg, tmp_path, monkeypatch):
    monkeypatch.setattr(offline, "VENDOR_DIR", tmp_path)  # an empty static/vendor
    at = _gpkg_app(demo_gpkg, monkeypatch).run()
    assert not at.exception
    (error,) = at.error
    assert "`make assets`" in error.value
    assert str(tmp_path) in error.value
    assert "`leaflet/dist/leaflet.js`" in error.value
    assert at.title[0].value.startswith("Community Grid Map")  # the rest of the page is there


def test_the_missing_assets_message_in_chinese(demo_gpkg, tmp_path, monkeypatch):
    monkeypatch.setattr(offline, "VENDOR_DIR", tmp_path)
    at = _gpkg_app(demo_gpkg, monkeypatch, lang="zh").run()
    assert not at.exception
    (error,) = at.error
    assert "make assets" in error.value and "地图无法显示" in error.value


def test_with_every_asset_in_place_there_is_no_error(demo_gpkg, tmp_path, monkeypatch):
    for path in offline.missing_vendored_files(vendor_dir=tmp_path):
        target = tmp_path.joinpath(*path.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("/* stand-in */", "utf-8")
    monkeypatch.setattr(offline, "VENDOR_DIR", tmp_path)
    at = _gpkg_app(demo_gpkg, monkeypatch).run()
    assert not at.exception
    assert not at.error
