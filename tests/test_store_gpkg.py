"""The embedded GeoPackage store: a file GDAL/QGIS opens, indexed, transactional."""

import sqlite3

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point, box

from geo import model
from geo.errors import StoreError
from geo.store.gpkg import GeoPackageStore


def _community(cid="c1"):
    return gpd.GeoDataFrame(
        {"community_id": [cid], "name": ["测试社区"]}, geometry=[box(0, 0, 3, 3)], crs=4326
    )


def _reports(n, cid="c1"):
    return gpd.GeoDataFrame(
        {
            "community_id": [cid] * n,
            "external_id": [f"R{i}" for i in range(n)],
            "category": ["drainage"] * n,
            "status": ["submitted"] * n,
            "created_at": pd.Timestamp("2026-07-01T10:00:00+08:00"),
        },
        geometry=[Point(0.5 + (i % 3), 0.5) for i in range(n)],
        crs=4326,
    )


def test_gdal_reads_every_layer_with_its_geometry_type(tmp_path, grid3x3):
    path = tmp_path / "s.gpkg"
    store = GeoPackageStore(path)
    store.load_community({"community": _community(), "grids": grid3x3, "reports": _reports(5)})
    layers = dict(pyogrio.list_layers(path))
    assert layers["grids"] == "MultiPolygon"
    assert layers["reports"] == "Point"
    assert layers["buildings"] == "Polygon"
    assert layers["report_events"] is None
    grids = pyogrio.read_dataframe(path, layer="grids")
    assert sorted(grids["grid_id"]) == sorted(grid3x3["grid_id"])
    assert grids.crs.to_epsg() == 4326
    info = pyogrio.read_info(path, layer="reports")
    assert info["features"] == 5
    # GDAL finds the rows through the spatial index too.
    hits = pyogrio.read_dataframe(path, layer="reports", bbox=(0, 0, 1, 1))
    assert len(hits) == 2  # R0 and R3 at (0.5, 0.5)


def test_spatial_index_and_wal(tmp_path, grid3x3):
    path = tmp_path / "s.gpkg"
    GeoPackageStore(path).load_community({"community": _community(), "grids": grid3x3})
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute('SELECT count(*) FROM "rtree_grids_geom"').fetchone()[0] == 9
        ext = conn.execute(
            "SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'"
        ).fetchone()[0]
        assert ext == len([layer for layer in model.LAYERS.values() if layer.geometry])
        extent = conn.execute(
            "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'grids'"
        ).fetchone()
        assert extent == pytest.approx((0, 0, 3, 3))


def test_a_failed_write_leaves_nothing_behind(tmp_path, grid3x3, monkeypatch):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.load_community({"community": _community(), "grids": grid3x3, "reports": _reports(4)})
    real_insert = GeoPackageStore._insert

    def failing_insert(self, conn, layer, frame):
        written = real_insert(self, conn, layer, frame)
        if layer == "reports":
            raise RuntimeError("disk pulled out")
        return written

    monkeypatch.setattr(GeoPackageStore, "_insert", failing_insert)
    bigger = gpd.GeoDataFrame(pd.concat([grid3x3, grid3x3.assign(grid_id="X")]), crs=4326)
    with pytest.raises(RuntimeError):
        store.load_community({"community": _community(), "grids": bigger, "reports": _reports(9)})
    monkeypatch.undo()
    assert store.count("grids") == 9
    assert store.count("reports") == 4


def test_reports_are_assigned_on_load_and_intake(tmp_path, grid3x3):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.load_community({"community": _community(), "grids": grid3x3})
    added = store.add_reports(_reports(3))
    assert (added.inserted, added.skipped) == (3, 0)
    stored = store.read("reports")
    assert list(stored["grid_id"]) == ["G1", "G2", "G3"]
    again = store.add_reports(_reports(3))
    assert (again.inserted, again.skipped) == (0, 3)


def test_not_a_geopackage_is_a_clear_error(tmp_path):
    path = tmp_path / "x.gpkg"
    path.write_text("hello")
    with pytest.raises(StoreError, match="not a GeoPackage"):
        GeoPackageStore(path)


def test_bulk_inserts_keep_the_index_the_count_and_the_triggers(tmp_path, grid3x3):
    path = tmp_path / "s.gpkg"
    store = GeoPackageStore(path)
    store.load_community({"community": _community(), "grids": grid3x3, "reports": _reports(900)})
    # 900 rows take the bulk path; GDAL's view of the file must be as if row by row.
    assert pyogrio.read_info(path, layer="reports")["features"] == 900
    assert len(pyogrio.read_dataframe(path, layer="reports", bbox=(0, 0, 1, 1))) == 300
    with sqlite3.connect(path) as conn:
        triggers = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
    assert "rtree_reports_geom_insert" in triggers
    assert "trigger_insert_feature_count_reports" in triggers
    # A small insert afterwards goes through the triggers again.
    store.add_reports(_reports(3).assign(external_id=["x1", "x2", "x3"]))
    assert pyogrio.read_info(path, layer="reports")["features"] == 903
    assert len(pyogrio.read_dataframe(path, layer="reports", bbox=(0, 0, 1, 1))) == 301


def test_open_store_takes_the_configured_building_radius(tmp_path):
    from geo.config import Settings
    from geo.store import open_store

    store = open_store(Settings(db=str(tmp_path / "r.gpkg"), building_radius_m=50))
    assert isinstance(store, GeoPackageStore)
    assert store.radius_m == 50


def test_a_file_made_before_a_column_existed_gains_it_on_open(tmp_path):
    path = tmp_path / "old.gpkg"
    GeoPackageStore(path).load_community({"community": _community()})
    with sqlite3.connect(path) as conn:  # as a file written by an earlier version
        for (trigger,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_%'"
        ).fetchall():
            conn.execute(f'DROP TRIGGER "{trigger}"')  # the audit log came later too
        conn.execute('ALTER TABLE community DROP COLUMN "tz"')
        conn.execute('ALTER TABLE reports DROP COLUMN "status_text"')
    store = GeoPackageStore(path)
    community = store.read("community")
    assert community["name"].tolist() == ["测试社区"] and community["tz"].isna().all()
    store.add_reports(_reports(2).assign(status_text="Pending"))
    assert store.read("reports")["status_text"].tolist() == ["Pending", "Pending"]
    assert "tz" in pyogrio.read_info(path, layer="community")["fields"]
