"""gridmap rank-buildings, hotspots and coverage on the demo community."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from geo.cli import main
from geo.store.gpkg import GeoPackageStore


@pytest.fixture
def db(tmp_path, monkeypatch, demo_gpkg):
    path = tmp_path / "demo.gpkg"
    shutil.copy(demo_gpkg, path)
    monkeypatch.setenv("GRIDMAP_DB", str(path))
    monkeypatch.setenv("GRIDMAP_LANG", "en")
    return path


def test_rank_buildings_prints_the_top_with_reasons_and_writes_xlsx(db, tmp_path, capsys):
    out = tmp_path / "ranking.xlsx"
    assert main(["rank-buildings", "--top", "5", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    lines = [line for line in text.splitlines() if line[:1].isdigit()]
    assert [line.split(".")[0] for line in lines] == ["1", "2", "3", "4", "5"]
    assert " — " in text and "score" in text
    assert "Wrote 5 rows to" in text
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["priority", "weights"]
    ranking = sheets["priority"]
    assert list(ranking["Rank"]) == [1, 2, 3, 4, 5]
    points = ranking[[c for c in ranking.columns if c.endswith("(points)")]].sum(axis=1)
    assert (abs(points - ranking["Score"]) <= 0.5).all()  # each rounded to 0.1
    buildings = GeoPackageStore(db).read("buildings")
    assert set(ranking["Building"]) <= set(buildings["building_id"])


def test_rank_buildings_weights_and_chinese_csv(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GRIDMAP_LANG", "zh")
    out = tmp_path / "ranking.csv"
    weights = [f"--weight={p}=0" for p in ("reports", "needs", "age", "elderly", "charger")]
    assert main(["rank-buildings", *weights, "--weight", "drying=0", "--out", str(out)]) == 0
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert len(table) == 60
    # Only households count: the largest building comes first.
    assert table["户数"].iloc[0] == table["户数"].max()
    assert "已写入 60 行" in capsys.readouterr().out


def test_hotspots_lists_significant_spots(db, tmp_path, capsys):
    out = tmp_path / "hotspots.xlsx"
    assert main(["hotspots", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "hot and" in text and "false discovery rate 0.05" in text
    table = pd.read_excel(out)
    assert list(table.columns[:3]) == ["Hotspot", "Kind", "Cells or buildings"]
    assert len(table) >= 1 and table["Hotspot"].iloc[0] == "H1"
    assert main(["hotspots", "--unit", "building", "--category", "drainage", "--months", "12"]) == 0


def test_coverage_counts_and_suggests_sites(db, tmp_path, capsys):
    out = tmp_path / "coverage.xlsx"
    code = main(
        [
            "coverage",
            "--facility",
            "drying_areas",
            "--radius",
            "100",
            "--sites",
            "2",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "Drying areas:" in text and "beyond 100 m" in text
    assert text.count("site ") == 2
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["coverage", "suggested sites"]
    coverage = sheets["coverage"]
    assert len(coverage) == 60
    beyond = coverage[coverage["Covered"] == "no"]
    assert (beyond["Distance (m)"] > 99).all()
    assert f"{len(beyond)} of 60 buildings" in text
    assert len(sheets["suggested sites"]) == 2


def test_errors_are_one_line(db, tmp_path, capsys):
    assert main(["coverage", "--facility", "chargers", "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and ".xlsx" in err and len(err.strip().splitlines()) == 1
    assert main(["rank-buildings", "--weight", "age=-2"]) == 2
    assert "0 or more" in capsys.readouterr().err
    assert main(["rank-buildings", "--community", "nowhere"]) == 2
    assert "no community nowhere" in capsys.readouterr().err
