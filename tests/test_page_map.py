"""The Map page under Streamlit's AppTest, on the demo community."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.model import OPEN_STATUSES
from geo.store.gpkg import GeoPackageStore

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture
def app(demo_gpkg, monkeypatch):
    monkeypatch.setenv("GRIDMAP_DB", str(demo_gpkg))
    monkeypatch.setenv("GRIDMAP_LANG", "en")
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
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
    assert name in app.title[0].value
    text = _text(app)
    assert "12 grids" in text
    open_count = int(store.read("reports")["status"].isin(OPEN_STATUSES).sum())
    assert f"{open_count} open reports" in text
    assert "synthetic" in text.lower()


def test_grid_card_from_the_query_string(app, demo_gpkg):
    app.query_params["grid"] = "G02"
    app.run()
    assert not app.exception
    assert app.subheader[0].value.startswith("Grid G02")
    metrics = {m.label: m.value for m in app.metric}
    from geo import grid_stats

    store = GeoPackageStore(demo_gpkg)
    summary = grid_stats.grid_summary(
        store.read("grids"), store.read("buildings"), store.read("reports"), datetime.now(UTC)
    )
    assert int(metrics["Households"]) == summary.loc["G02", "households"]
    assert int(metrics["Buildings"]) == summary.loc["G02", "buildings"]
    assert int(metrics["Open reports"]) == summary.loc["G02", "open"]


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
    assert "个网格" in _text(app)


def test_empty_store_says_how_to_load(tmp_path, monkeypatch):
    monkeypatch.setenv("GRIDMAP_DB", str(tmp_path / "empty.gpkg"))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "gridmap demo" in at.info[0].value
    st.cache_resource.clear()


def test_unusable_store_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    bad = tmp_path / "notes.gpkg"
    bad.write_text("this is not a GeoPackage")
    monkeypatch.setenv("GRIDMAP_DB", str(bad))
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "not a GeoPackage" in at.error[0].value
    st.cache_resource.clear()
