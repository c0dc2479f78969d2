"""The gridmap command end to end on a GeoPackage store."""

import pytest

from geo.cli import main


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "cli.gpkg"
    monkeypatch.setenv("GRIDMAP_DB", str(path))
    monkeypatch.setenv("GRIDMAP_LANG", "en")
    return path


def test_demo_assign_export(db, tmp_path, capsys):
    assert main(["demo", "--reports", "800", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "12 grids" in out and "800 reports" in out

    assert main(["demo", "--if-empty"]) == 0
    assert "already holds a community" in capsys.readouterr().out

    assert main(["assign"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Assigned 800 reports:")

    target = tmp_path / "grids.geojson"
    assert main(["export", "grids", str(target)]) == 0
    assert target.exists()
    assert "Wrote 12 rows of grids" in capsys.readouterr().out


def test_errors_are_one_line_not_tracebacks(db, tmp_path, capsys):
    missing = tmp_path / "nope.csv"
    assert main(["import", "reports", str(missing), "--community", "c1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_bad_map_argument(db, tmp_path, capsys):
    source = tmp_path / "r.csv"
    source.write_text("lon,lat\n117.3,39.09\n")
    assert main(["import", "reports", str(source), "--map", "oops"]) == 2
    assert "FIELD=COLUMN" in capsys.readouterr().err


def test_migrate_on_a_geopackage_needs_nothing(db, capsys):
    assert main(["db", "migrate"]) == 0
    assert "needs no migration" in capsys.readouterr().out


def test_redrawn_grids_replace_the_old_ones(db, tmp_path, capsys):
    assert main(["demo", "--reports", "600", "--seed", "5"]) == 0
    exported = tmp_path / "grids.geojson"
    assert main(["export", "grids", str(exported)]) == 0
    # The planner renames every grid and imports the file again.
    text = exported.read_text(encoding="utf-8")
    renamed = tmp_path / "renamed.geojson"
    renamed.write_text(text.replace('"G', '"N'), encoding="utf-8")
    capsys.readouterr()

    assert main(["import", "grids", str(renamed)]) == 0
    out = capsys.readouterr().out
    assert "12 stored grids are not in the file and were kept" in out

    assert main(["import", "grids", str(renamed), "--replace"]) == 0
    out = capsys.readouterr().out
    assert "24 stored rows of grids were replaced." in out
    assert "Assigned" in out

    from geo.store.gpkg import GeoPackageStore

    store = GeoPackageStore(db)
    grids = store.read("grids")
    assert sorted(grids["grid_id"]) == [f"N{i:02d}" for i in range(1, 13)]
    reports = store.read("reports")
    open_reports = reports[reports["status"].isin(["submitted", "accepted", "dispatched"])]
    assert open_reports["grid_id"].dropna().str.startswith("N").all()


def test_replace_is_refused_for_reports(db, tmp_path, capsys):
    assert main(["demo", "--reports", "50"]) == 0
    source = tmp_path / "r.csv"
    source.write_text("lon,lat,created_at\n117.31,39.09,2026-01-01 10:00\n")
    assert main(["import", "reports", str(source), "--replace"]) == 2
    assert "not for reports" in capsys.readouterr().err
