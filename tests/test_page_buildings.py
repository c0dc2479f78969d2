"""The Buildings page under Streamlit's AppTest, on the demo community in both stores.

The expected figures come from the stored layers through the same functions the
CLI uses, or the obvious way (brute force) where that is short.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.renovation import coverage, needs, priority
from geo.renovation.items import read_items
from geo.store.gpkg import GeoPackageStore
from geo.ui import plain
from tests.app_support import app_test

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "views/buildings.py"


def _open(db: str, monkeypatch, lang: str = "en") -> AppTest:
    monkeypatch.setenv("GRIDMAP_DB", db)
    monkeypatch.setenv("GRIDMAP_LANG", lang)
    st.cache_resource.clear()
    st.cache_data.clear()
    at = app_test(APP, 120)
    at.switch_page(PAGE)
    return at


@pytest.fixture(params=["gpkg", "postgis"])
def app(request, demo_gpkg, monkeypatch):
    db = str(demo_gpkg) if request.param == "gpkg" else request.getfixturevalue("demo_postgis_url")
    yield _open(db, monkeypatch)
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def layers(demo_gpkg):
    store = GeoPackageStore(demo_gpkg)
    return {name: store.read(name) for name in ("community", "buildings", "chargers",
                                                 "drying_areas", "reports")}  # fmt: skip


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [s.value for s in at.subheader] + [i.value for i in at.info]
    parts += [s.value for s in at.success]
    return "\n".join(str(p) for p in parts)


def test_priority_view_ranks_every_building(app, layers):
    app.run()
    assert not app.exception
    assert app.title[0].value.startswith("Buildings and renovation · ")
    ranking = app.dataframe[0].value
    assert len(ranking) == len(layers["buildings"]) == 60
    assert list(ranking["Rank"]) == list(range(1, 61))
    assert ranking["Score"].is_monotonic_decreasing
    assert "Click a building on the map" in _texts(app)


def test_building_card_from_the_query_string(app, layers):
    app.query_params["building"] = "B07"
    app.run()
    assert not app.exception
    name = layers["buildings"].set_index("building_id").at["B07", "name"]
    assert app.subheader[0].value == f"Building B07 · {plain(name)}"
    facts = needs.building_facts(layers, datetime.now(UTC))
    found = needs.derive_needs(facts)
    ranked = priority.rank(facts, found)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Priority rank"] == str(ranked.at["B07", "rank"])
    assert metrics["Score"] == f"{ranked.at['B07', 'score']:.1f}"
    text = _texts(app)
    for words in needs.needs_text(found, "B07", "en"):
        assert plain(words) in text
    assert f"**Nearest drying area:** {facts.at['B07', 'drying_m']:,.0f} m" in text
    assert "Reports linked to this building" in text
    assert "Renovation items" in text


def test_weights_change_the_ranking(app, layers):
    app.run()
    for part in priority.PARTS:
        app.number_input(key=f"weight_{part}").set_value(1.0 if part == "households" else 0.0)
    app.run()
    assert not app.exception
    ranking = app.dataframe[0].value
    households = layers["buildings"]["households"].max()
    assert ranking["Households"].iloc[0] == households
    assert ranking["Score"].iloc[0] == 100.0


def test_hotspots_view_lists_the_hotspots(app):
    app.query_params["view"] = "hotspots"
    app.run()
    assert not app.exception
    table = app.dataframe[0].value
    assert table["Hotspot"].iloc[0] == "H1"
    assert "significant at a false discovery rate of 0.05" in _texts(app)
    step = next(r for r in app.radio if r.label == "Time step")
    step.set_value("week").run()
    assert not app.exception
    period = next(s for s in app.select_slider if s.label == "Period")
    assert period.options[0] == "all" and period.options[-1].startswith("20")
    period.set_value(period.options[-1]).run()
    assert not app.exception
    assert app.query_params["step"] == "week"
    assert app.query_params["period"] == period.options[-1]
    summary = next(c.value for c in app.caption if "false discovery rate" in c.value)
    week = int(summary.split(" reports")[0])
    assert 0 < week < 200  # one week of the demo's 6,000-in-two-years (1,500 here)


def test_coverage_view_counts_buildings_beyond_reach(app, layers):
    app.query_params["view"] = "coverage"
    app.query_params["facility"] = "drying_areas"
    app.run()
    assert not app.exception
    epsg = coverage.metric_epsg(layers)
    table = coverage.coverage_table(
        layers["buildings"], coverage.facilities_of(layers, "drying_areas"), 100, epsg
    )
    summary = coverage.summarise(table)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Buildings beyond 100 m"] == f"{summary.uncovered_buildings} / 60"
    assert metrics["Households beyond 100 m"] == (
        f"{summary.uncovered_households:,} / {summary.households:,}"
    )
    sites = app.dataframe[0].value
    assert len(sites) == 2 and sites["Households added"].is_monotonic_decreasing
    assert "Suggested sites: 2. Together they would cover" in _texts(app)


def test_saving_the_items_writes_the_building(demo_gpkg, tmp_path, monkeypatch):
    db = tmp_path / "demo.gpkg"
    shutil.copy(demo_gpkg, db)
    before = GeoPackageStore(db).read("buildings").set_index("building_id").at["B07", "renovation"]
    at = _open(str(db), monkeypatch)
    at.query_params["building"] = "B07"
    at.run()
    save = next(b for b in at.button if b.label == "Save the items")
    save.click().run()
    assert not at.exception
    assert "Renovation items of building B07 saved." in _texts(at)
    after = GeoPackageStore(db).read("buildings").set_index("building_id").at["B07", "renovation"]
    assert read_items(after) == read_items(before)  # nothing edited: the same items
    assert '"status"' in after  # now in the form with status and planned year
    st.cache_resource.clear()
    st.cache_data.clear()


def test_a_role_that_does_not_renovate_sees_the_items_without_a_save(demo_gpkg, monkeypatch):
    at = _open(str(demo_gpkg), monkeypatch)
    at.query_params["building"] = "B07"
    at.run()
    at.selectbox(key="demo_role").select("planner").run()
    assert not at.exception
    assert "Save the items" not in [b.label for b in at.button]
    assert "only the renovation team and administrators change buildings" in _texts(at)
    assert not [e for e in at.get("arrow_data_editor")]  # shown as a plain table
    st.cache_resource.clear()
    st.cache_data.clear()


def test_the_page_speaks_chinese(demo_gpkg, monkeypatch):
    at = _open(str(demo_gpkg), monkeypatch, "zh")
    at.query_params["building"] = "B01"
    at.run()
    assert not at.exception
    assert at.title[0].value.startswith("楼栋与改造")
    assert at.subheader[0].value.startswith("楼栋 B01")
    st.cache_resource.clear()
    st.cache_data.clear()
