"""``gridmap validate-grids`` and ``gridmap propose-grids``."""

from __future__ import annotations

import json
import shutil

import pyogrio
import pytest

from geo.cli import main
from geo.grid_stats import buildings_by_grid
from geo.grids import edit
from geo.store.gpkg import GeoPackageStore


@pytest.fixture
def demo_copy(demo_gpkg, tmp_path, monkeypatch):
    path = tmp_path / "demo.gpkg"
    shutil.copy(demo_gpkg, path)
    monkeypatch.setenv("GRIDMAP_DB", str(path))
    monkeypatch.setenv("GRIDMAP_LANG", "en")
    return path


def test_the_demo_grids_pass(demo_copy, capsys):
    assert main(["validate-grids"]) == 0
    out = capsys.readouterr().out
    assert "12 grids, 0 errors, 0 warnings." in out
    assert "Households per grid: G01 385, G02 378" in out


def test_broken_grids_exit_non_zero_with_the_same_report_as_json(demo_copy, capsys):
    store = GeoPackageStore(demo_copy)
    cid = store.community_ids()[0]
    grids = store.read("grids", cid)
    buildings = store.read("buildings", cid)
    in_g05 = sorted(buildings["building_id"][buildings_by_grid(buildings, grids) == "G05"])
    store.load_community({"grids": edit.delete_grids(grids, ["G05"])})
    assert main(["validate-grids"]) == 1
    out = capsys.readouterr().out
    assert " E A gap of " in out and "belongs to no grid" in out
    assert main(["validate-grids", "--json", "--min-households", "0"]) == 1
    report = json.loads(capsys.readouterr().out)[cid]
    assert report["errors"] == 1 and report["rules"]["min_households"] == 0
    gap = report["issues"][0]
    assert gap["kind"] == "gap" and gap["severity"] == "error"
    assert gap["area_m2"] > 10_000 and gap["buildings"] == in_g05
    assert main(["validate-grids", "--community", "nowhere"]) == 2
    assert "no community nowhere" in capsys.readouterr().err


def test_a_proposal_is_printed_and_written(demo_copy, tmp_path, capsys):
    out = tmp_path / "proposal.geojson"
    assert main(["propose-grids", "6", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "6 grids proposed for" in printed and f"Written to {out}." in printed
    written = pyogrio.read_dataframe(out)
    assert list(written["grid_id"]) == [f"P{k:02d}" for k in range(1, 7)]
    assert int(written["households"].sum()) == 4500
    assert main(["propose-grids", "6", "--out", str(tmp_path / "p.kml")]) == 2
    assert "use .geojson or .gpkg" in capsys.readouterr().err
