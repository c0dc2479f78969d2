"""The Grids page under Streamlit's AppTest, on the demo community.

Reading runs on both stores; edits and saves run on a copy of the demo GeoPackage
(each test its own), and the expected figures come from the functions behind the
page, fed straight from the store.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.grids import edit
from geo.grids.preview import preview_change
from geo.grids.validate import validate_grids
from geo.grids.versions import current_base
from geo.store.gpkg import GeoPackageStore
from geo.store.grid_versions import grids_fingerprint
from tests.app_support import app_test

APP = str(Path(__file__).resolve().parents[1] / "app.py")
GRIDS_PAGE = "views/grids.py"  # the page's file, named here once


def _open(db: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("GRIDMAP_DB", db)
    monkeypatch.setenv("GRIDMAP_LANG", "en")
    st.cache_resource.clear()
    st.cache_data.clear()
    at = app_test(APP, 180)
    at.switch_page(GRIDS_PAGE)
    return at


@pytest.fixture(params=["gpkg", "postgis"])
def reading(request, demo_gpkg, monkeypatch):
    db = str(demo_gpkg) if request.param == "gpkg" else request.getfixturevalue("demo_postgis_url")
    yield _open(db, monkeypatch)
    st.cache_resource.clear()


@pytest.fixture
def copy(demo_gpkg, tmp_path):
    path = tmp_path / "demo.gpkg"
    shutil.copy(demo_gpkg, path)
    return path


@pytest.fixture
def app(copy, monkeypatch):
    yield _open(str(copy), monkeypatch)
    st.cache_resource.clear()


def _texts(at, *kinds) -> list[str]:
    return [str(e.value) for kind in kinds for e in getattr(at, kind)]


def _metric(at, label) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_the_page_shows_the_grids_and_their_checks(reading):
    at = reading
    at.run()
    assert not at.exception
    assert at.title[0].value.startswith("Grids · ")
    assert _metric(at, "Errors") == "0" and _metric(at, "Warnings") == "0"
    assert any("No problems" in s for s in _texts(at, "success"))
    assert any(
        "based on version 1: 12 grids, no unsaved changes" in c for c in _texts(at, "caption")
    )
    assert _metric(at, "Open reports moving") == "0"
    assert any(b.label == "Save as a new version" for b in at.button)
    assert "Saving now makes version 2." in _texts(at, "caption")


def test_deleting_a_grid_shows_the_gap_and_the_preview(app, copy):
    at = app
    at.run()
    at.multiselect(key="grids_several").set_value(["G05"]).run()
    at.button(key="grids_delete").click().run()
    assert not at.exception
    assert "Deleted G05." in _texts(at, "success")
    store = GeoPackageStore(copy)
    cid = store.community_ids()[0]
    layers = {n: store.read(n, cid) for n in ("community", "grids", "buildings", "reports")}
    draft = edit.delete_grids(layers["grids"], ["G05"])
    expected = validate_grids(draft, layers["community"], layers["buildings"])
    assert _metric(at, "Errors") == str(len(expected.errors)) == "1"
    gap = expected.errors[0]
    assert gap.message("en") in _texts(at, "error")
    preview = preview_change(layers["grids"], draft, layers["buildings"], layers["reports"])
    assert _metric(at, "Open reports moving") == str(preview.open_moved)
    assert _metric(at, "Open reports in no grid") == str(preview.unassigned_after)
    table = at.dataframe[-2].value if len(preview.moves) else at.dataframe[-1].value
    assert "G05" in set(table.iloc[:, 0])
    # Undo brings the grid back; the store was never touched.
    at.button(key="grids_undo").click().run()
    assert _metric(at, "Errors") == "0"
    assert len(store.read("grids", cid)) == 12 and store.grid_versions(cid).empty


def test_a_grids_code_name_and_worker_are_edited(app):
    at = app
    at.run()
    at.selectbox(key="grids_selected").set_value("G01").run()
    next(t for t in at.text_input if t.label == "Grid worker").set_value("新网格员")
    next(t for t in at.text_input if t.label == "Code").set_value("G01A")
    _button(at, "Apply").click().run()
    assert not at.exception
    assert "Grid G01A changed." in _texts(at, "success")
    assert any("unsaved changes" in c for c in _texts(at, "caption"))
    draft = at.session_state["grids_draft"].grids.set_index("grid_id")
    assert draft.loc["G01A", "worker_name"] == "新网格员" and "G01" not in draft.index


def test_saving_is_for_planners_and_makes_a_version_listed_in_history(app, copy):
    at = app
    at.run()
    at.multiselect(key="grids_several").set_value(["G11", "G12"]).run()
    at.button(key="grids_merge").click().run()
    assert "Merged G11, G12 into G11." in _texts(at, "success")
    at.text_input(key="grids_note").set_value("合并两个小网格")
    at.selectbox(key="demo_role").select("secretary").run()
    assert "Save as a new version" not in [b.label for b in at.button]
    refused = " ".join(_texts(at, "info"))
    assert "only planners and administrators change grids" in refused
    assert "community secretary" in refused
    assert GeoPackageStore(copy).grid_versions(GeoPackageStore(copy).community_ids()[0]).empty
    at.selectbox(key="demo_role").select("planner").run()  # the draft is kept
    at.text_input(key="grids_note").set_value("合并两个小网格")
    _button(at, "Save as a new version").click().run()
    assert not at.exception
    success = " ".join(_texts(at, "success"))
    assert "Saved as version 2." in success and "closed reports keep their grid" in success
    assert any("recorded first as version 1" in i for i in _texts(at, "info"))
    store = GeoPackageStore(copy)
    cid = store.community_ids()[0]
    versions = store.grid_versions(cid)
    assert list(versions["version"]) == [1, 2] and versions["actor"].iloc[-1] == "demo-planner"
    assert len(store.read("grids", cid)) == 11
    assert any(
        "based on version 2: 11 grids, no unsaved changes" in c for c in _texts(at, "caption")
    )
    at.query_params["view"] = "history"
    at.run()
    assert not at.exception
    listed = at.dataframe[0].value
    assert list(listed["Version"]) == [1, 2]
    assert (
        list(listed["By"]) == ["—", "demo-planner"] and listed["Note"].iloc[-1] == "合并两个小网格"
    )


def test_a_stale_save_is_refused_on_the_page_and_the_draft_is_kept(app, copy):
    at = app
    at.run()
    at.multiselect(key="grids_several").set_value(["G01"]).run()
    at.button(key="grids_delete").click().run()
    # Meanwhile another planner saves version 2.
    other = GeoPackageStore(copy)
    cid = other.community_ids()[0]
    grids = other.read("grids", cid)
    other.save_grids(
        cid, edit.delete_grids(grids, ["G12"]), current_base(other, cid, grids), "甲", None
    )
    at.checkbox(key="grids_anyway").check()
    _button(at, "Save as a new version").click().run()
    assert not at.exception
    errors = " ".join(_texts(at, "error"))
    assert (
        "Not saved: version 2" in errors and "甲" in errors and "Nothing was overwritten" in errors
    )
    now = other.read("grids", cid)
    assert "G01" in set(now["grid_id"]) and "G12" not in set(now["grid_id"])
    at.run()
    assert any("saving this draft will be refused" in w for w in _texts(at, "warning"))
    assert any("unsaved changes" in c for c in _texts(at, "caption"))
    at.button(key="grids_discard").click().run()
    assert any("based on version 2: 11 grids" in c for c in _texts(at, "caption"))


def test_a_proposal_is_shown_and_becomes_the_draft(app):
    at = app
    at.query_params["view"] = "propose"
    at.run()
    at.number_input(key="grids_n").set_value(6)
    at.button(key="grids_propose").click().run()
    assert not at.exception
    assert _metric(at, "Proposed grids") == "6"
    assert float(_metric(at, "Largest ÷ smallest")) <= 1.5
    assert any("0 errors" in c for c in _texts(at, "caption"))
    at.button(key="grids_accept").click().run()
    assert not at.exception
    assert any("The 6 proposed grids are the draft now" in s for s in _texts(at, "success"))
    assert any("Draft from a proposal" in c and "6 grids" in c for c in _texts(at, "caption"))


def test_a_version_is_shown_compared_and_restored(app, copy):
    store = GeoPackageStore(copy)
    cid = store.community_ids()[0]
    grids = store.read("grids", cid)
    store.save_grids(
        cid, edit.delete_grids(grids, ["G03"]), current_base(store, cid, grids), "甲", "删 G03"
    )
    at = app
    at.query_params["view"] = "history"
    at.run()
    assert not at.exception
    at.selectbox(key="grids_show").set_value(2)
    at.selectbox(key="grids_vs").set_value(1).run()
    assert any("1 grids differ." in c for c in _texts(at, "caption"))
    changes = at.dataframe[1].value
    assert list(changes.iloc[:, 0]) == ["G03"] and list(changes.iloc[:, 1]) == ["removed"]
    at.selectbox(key="grids_show").set_value(1).run()
    _button(at, "Restore version 1 as the draft").click().run()
    assert not at.exception
    assert any("Version 1 is the draft now" in s for s in _texts(at, "success"))
    state = at.session_state["grids_draft"]
    assert grids_fingerprint(state.grids) == grids_fingerprint(grids)
    assert state.base.version == 2  # saving it makes version 3, nothing rewritten
