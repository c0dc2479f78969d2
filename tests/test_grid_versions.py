"""Versions of grids in both stores: save, history, stale saves, failures, old statistics.

Every test runs on the GeoPackage store and on PostGIS (the ``store`` fixture), on
the hand-drawn layout of tests/test_grid_validate.py: nine 100 m grids.
"""

from __future__ import annotations

import threading

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.grids import edit
from geo.grids.versions import changes_between, current_base, reports_per_grid
from geo.store.base import GridBase, GridVersionConflict
from geo.store.grid_versions import grids_fingerprint
from tests.test_grid_validate import buildings_layer, community_layer, grids_layer, wgs


def _reports() -> gpd.GeoDataFrame:
    """Two reports in G5 (one open, one closed), one in G6 (open), one outside every grid."""
    places = [(150, 150), (160, 160), (250, 150), (350, 350)]
    return gpd.GeoDataFrame(
        {
            "community_id": "c1",
            "external_id": ["R1", "R2", "R3", "R4"],
            "category": "drainage",
            "created_at": pd.to_datetime(["2026-07-01T08:00Z"] * 4, utc=True),
            "status": ["in_progress", "closed", "submitted", "accepted"],
        },
        geometry=[wgs(Point(x, y)) for x, y in places],
        crs=4326,
    )


@pytest.fixture
def loaded(store):
    grids = grids_layer()
    grids["version"] = 1
    store.load_community(
        {
            "community": community_layer(),
            "grids": grids,
            "buildings": buildings_layer(),
            "reports": _reports(),
        }
    )
    return store


def _start(store):
    grids = store.read("grids", "c1")
    return grids, current_base(store, "c1", grids)


def _grid_of_reports(store) -> dict:
    reports = store.read("reports", "c1")
    return dict(zip(reports["external_id"], reports["grid_id"], strict=True))


def test_the_first_save_keeps_the_grids_found_then_the_new_version(loaded):
    store = loaded
    grids, base = _start(store)
    assert base == GridBase(1, grids_fingerprint(grids))
    ctx = edit.EditContext.of(community_layer())
    draft, kept = edit.merge_grids(grids, ["G5", "G6"], ctx)
    saved = store.save_grids("c1", draft, base, "王规划", "合并五、六网格")
    assert (saved.version, saved.kept) == (2, 1)
    assert saved.reassigned.reports == 3  # the open ones, the one outside included
    versions = store.grid_versions("c1")
    assert list(versions["version"]) == [1, 2]
    assert list(versions["kind"]) == ["found", "saved"]
    assert list(versions["actor"]) == [None, "王规划"]
    assert list(versions["note"]) == [None, "合并五、六网格"]
    assert list(versions["grids"]) == [9, 8]
    assert str(versions["saved_at"].dtype).endswith(", UTC]")
    assert (pd.Timestamp.now("UTC") - versions["saved_at"].iloc[-1]) < pd.Timedelta("10min")
    # Every version can be read back whole; the grids carry the current number.
    first = store.grid_version("c1", 1)
    assert grids_fingerprint(first) == grids_fingerprint(grids)
    assert set(first["version"]) == {1}
    now = store.read("grids", "c1")
    assert grids_fingerprint(store.grid_version("c1", 2)) == grids_fingerprint(now)
    assert set(now["version"]) == {2} and kept == "G5" and "G6" not in set(now["grid_id"])
    assert store.grid_version("c1", 7).empty
    # The next save starts from version 2 and records nothing extra.
    again = store.save_grids("c1", grids, current_base(store, "c1", now), "李", None)
    assert (again.version, again.kept) == (3, None)


def test_open_reports_move_and_closed_reports_keep_their_grid(loaded):
    store = loaded
    grids, base = _start(store)
    ctx = edit.EditContext.of(community_layer())
    draft, _ = edit.merge_grids(grids, ["G6", "G5"], ctx)  # G5 is first: it keeps its code
    draft = edit.set_attributes(draft, "G5", {"grid_id": "G56"})
    store.save_grids("c1", draft, base, "王", None)
    assert _grid_of_reports(store) == {"R1": "G56", "R2": "G5", "R3": "G56", "R4": None}
    # Statistics by the grid reports were handled in, or by the grids now.
    reports = store.read("reports", "c1")
    recorded = reports_per_grid(reports)
    assert recorded.loc["G5"].to_dict() == {"reports": 1, "open": 0, "done": 1}
    assert recorded.loc["G56"].to_dict() == {"reports": 2, "open": 2, "done": 0}
    current = reports_per_grid(reports, store.read("grids", "c1"))
    assert current.loc["G56"].to_dict() == {"reports": 3, "open": 2, "done": 1}
    assert "G5" not in current.index and current.loc[""].to_dict()["reports"] == 1


def test_a_stale_save_is_refused_and_overwrites_nothing(loaded):
    store = loaded
    grids, base = _start(store)  # two planners open the same version
    first = edit.delete_grids(grids, ["G1"])
    second = edit.delete_grids(grids, ["G9"])
    store.save_grids("c1", first, base, "甲", "删G1")
    with pytest.raises(GridVersionConflict) as raised:
        store.save_grids("c1", second, base, "乙", "删G9")
    error = raised.value
    assert error.key == "grids.store.stale"
    assert "version 2" in error.message("en") and "甲" in error.message("en")
    assert "第 2 版" in error.message("zh")
    now = store.read("grids", "c1")
    assert grids_fingerprint(now) == grids_fingerprint(first)
    assert list(store.grid_versions("c1")["version"]) == [1, 2]


def test_two_saves_at_once_one_wins_the_other_is_told(loaded):
    store = loaded
    grids, base = _start(store)
    outcomes: list = []

    def save(code):
        try:
            store.save_grids("c1", edit.delete_grids(grids, [code]), base, code, None)
            outcomes.append("saved")
        except GridVersionConflict:
            outcomes.append("refused")

    threads = [threading.Thread(target=save, args=(c,)) for c in ("G1", "G9")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert len(store.read("grids", "c1")) == 8
    assert list(store.grid_versions("c1")["version"]) == [1, 2]


def test_a_change_outside_the_editor_is_noticed_and_kept(loaded):
    store = loaded
    grids, base = _start(store)
    store.save_grids("c1", edit.delete_grids(grids, ["G1"]), base, "甲", None)
    grids, base = _start(store)
    renamed = grids.copy()
    renamed.loc[renamed["grid_id"] == "G2", "name"] = "在 QGIS 里改名"
    store.upsert("grids", renamed)  # an import or QGIS, not the editor
    with pytest.raises(GridVersionConflict) as raised:
        store.save_grids("c1", grids, base, "乙", None)
    assert raised.value.key == "grids.store.changed_outside"
    grids, base = _start(store)  # the planner reloads and saves again
    saved = store.save_grids("c1", edit.delete_grids(grids, ["G9"]), base, "乙", None)
    assert (saved.version, saved.kept) == (4, 3)
    versions = store.grid_versions("c1")
    assert list(versions["kind"]) == ["found", "saved", "outside", "saved"]
    outside = store.grid_version("c1", 3).set_index("grid_id")
    assert outside.loc["G2", "name"] == "在 QGIS 里改名"


def test_a_failure_in_the_middle_of_a_save_leaves_the_previous_version_whole(loaded, monkeypatch):
    store = loaded
    grids, base = _start(store)
    store.save_grids("c1", edit.delete_grids(grids, ["G1"]), base, "甲", None)
    grids, base = _start(store)
    before = {
        "grids": grids_fingerprint(grids),
        "versions": store.grid_versions("c1").drop(columns="saved_at").to_dict("list"),
        "history": grids_fingerprint(store.grid_version("c1", 2)),
        "reports": _grid_of_reports(store),
    }

    def fail(*args, **kwargs):  # the grids are replaced and recorded by now
        raise RuntimeError("power cut")

    monkeypatch.setattr(store, "_reassign", fail)
    with pytest.raises(RuntimeError):
        store.save_grids("c1", edit.delete_grids(grids, ["G5"]), base, "乙", None)
    monkeypatch.undo()
    now, again = _start(store)
    assert grids_fingerprint(now) == before["grids"]
    assert store.grid_versions("c1").drop(columns="saved_at").to_dict("list") == before["versions"]
    assert grids_fingerprint(store.grid_version("c1", 2)) == before["history"]
    assert store.grid_version("c1", 3).empty
    assert _grid_of_reports(store) == before["reports"]
    assert again == base  # the planner can simply save again
    assert store.save_grids("c1", edit.delete_grids(now, ["G5"]), again, "乙", None).version == 3


def test_saving_refuses_grids_without_a_code_or_with_a_code_twice(loaded):
    store = loaded
    grids, base = _start(store)
    twice = grids.copy()
    twice.loc[1, "grid_id"] = "G1"
    with pytest.raises(Exception) as raised:
        store.save_grids("c1", twice, base, "甲", None)
    assert raised.value.key == "grids.store.duplicate_id"
    assert store.grid_versions("c1").empty


def test_changes_between_two_versions(loaded):
    store = loaded
    grids, base = _start(store)
    ctx = edit.EditContext.of(community_layer())
    draft = edit.reshape_grid(grids, "G5", wgs(box(100, 100, 230, 200)), ctx)
    draft = edit.delete_grids(draft, ["G9"])
    draft = edit.set_attributes(draft, "G1", {"worker_name": "新员"})
    store.save_grids("c1", draft, base, "甲", None)
    changes = changes_between(store.grid_version("c1", 1), store.grid_version("c1", 2))
    kinds = changes["change"].to_dict()
    assert kinds["G9"] == "removed" and kinds["G1"] == "details" and kinds["G3"] == "same"
    assert kinds["G5"] == kinds["G6"] == "reshaped"
    assert changes.loc["G1", "fields"] == "worker_name"
    assert changes.loc["G5", "area_after"] == pytest.approx(13000, abs=1)
    assert changes.loc["G6", "moved"] == pytest.approx(3000, abs=1)
