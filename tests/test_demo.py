"""The demo community: its geometry holds together and its reports look like real ones."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo import model
from geo.categories import load_categories
from geo.crs import local_utm_epsg
from geo.demo import DEMO_COMMUNITY_ID, DEMO_SEED, build_demo
from geo.store.gpkg import GeoPackageStore

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
UTM = local_utm_epsg(117.31, 39.09)
LAYER_ORDER = [
    "community",
    "grids",
    "buildings",
    "chargers",
    "drying_areas",
    "reports",
    "report_events",
]  # written out: the test pins the order the demo promises


@pytest.fixture(scope="module")
def demo() -> dict[str, pd.DataFrame]:
    return build_demo(now=NOW)


@pytest.fixture(scope="module")
def metric(demo) -> dict[str, gpd.GeoDataFrame]:
    """The spatial layers in metres (UTM zone 50N)."""
    return {
        name: frame.to_crs(UTM)
        for name, frame in demo.items()
        if isinstance(frame, gpd.GeoDataFrame)
    }


def _local_month(times: pd.Series) -> pd.Series:
    return times.dt.tz_convert("Asia/Shanghai").dt.month


# --- shape of the output ------------------------------------------------------------
def test_layers_in_order_and_conform_to_the_model(demo):
    assert list(demo) == LAYER_ORDER
    for name, frame in demo.items():
        spec = model.layer(name)
        assert list(frame.columns[: len(spec.columns)]) == list(spec.columns)
        assert (frame["community_id"] == DEMO_COMMUNITY_ID).all(), name
        assert frame[spec.key].is_unique, name
        if spec.geometry is not None:
            assert frame.crs.to_epsg() == 4326
            assert frame.geometry.is_valid.all(), name
            assert not frame.geometry.is_empty.any(), name
        pd.testing.assert_frame_equal(model.conform(name, frame), frame)


def test_community_is_synthetic_and_in_dongli(demo):
    community = demo["community"].iloc[0]
    assert "synthetic" in community["name"] and "synthetic" in community["street"]
    centre = demo["community"].geometry.iloc[0].centroid
    assert abs(centre.x - 117.31) < 0.01 and abs(centre.y - 39.09) < 0.01


# --- buildings ----------------------------------------------------------------------
def test_buildings_and_households(demo, metric):
    buildings = demo["buildings"]
    assert 55 <= len(buildings) <= 65
    assert 4300 <= buildings["households"].sum() <= 4700
    assert buildings["floors"].between(6, 18).all()
    assert buildings["year_built"].between(1985, 2015).all()
    assert buildings["units"].between(2, 6).all()
    assert buildings["elderly_share"].between(0.05, 0.45).all()
    assert buildings.loc[buildings["floors"] >= 10, "elevator"].all()
    assert buildings["name"].str.fullmatch(r"\d+号楼").all()
    for text in buildings["renovation"]:
        assert isinstance(json.loads(text), dict)
    # Older buildings house more elderly residents.
    old = buildings["year_built"] < 1999
    assert buildings.loc[old, "elderly_share"].mean() > buildings.loc[~old, "elderly_share"].mean()
    # South-facing slabs: long side east–west.
    bounds = metric["buildings"].geometry.bounds
    width, depth = bounds.maxx - bounds.minx, bounds.maxy - bounds.miny
    assert width.between(59, 81).all() and depth.between(11.5, 14.5).all()
    # Footprints do not overlap one another and stay inside the community.
    footprints = metric["buildings"].geometry.values
    assert shapely.union_all(footprints).area == pytest.approx(footprints.area.sum(), rel=1e-9)
    assert metric["community"].geometry.iloc[0].contains(shapely.union_all(footprints))


# --- grids ----------------------------------------------------------------------------
def test_grids_partition_the_community(demo, metric):
    grids = metric["grids"]
    assert len(grids) == 12
    assert list(demo["grids"]["grid_id"]) == [f"G{i:02d}" for i in range(1, 13)]
    community = metric["community"].geometry.iloc[0]
    union = shapely.union_all(grids.geometry.values)
    assert abs(union.area - community.area) / community.area < 1e-6  # no gap
    assert abs(grids.area.sum() - community.area) / community.area < 1e-6  # no overlap
    assert shapely.symmetric_difference(union, community).area / community.area < 1e-6
    assert demo["grids"]["worker_phone"].str.fullmatch(r"13\d{9}").all()
    assert (demo["grids"]["version"] == 1).all()


def test_no_building_is_cut_by_a_grid_boundary(metric):
    grids = metric["grids"].geometry.values
    for footprint in metric["buildings"].geometry:
        shares = shapely.area(shapely.intersection(grids, footprint)) / footprint.area
        assert shares.max() >= 0.9999
        assert np.sort(shares)[-2] == pytest.approx(0.0, abs=1e-9)


def test_grids_are_balanced_by_households(demo):
    grids, buildings = demo["grids"], demo["buildings"]
    centroids = buildings.to_crs(UTM).centroid.to_crs(4326)
    joined = gpd.sjoin(
        gpd.GeoDataFrame({"households": buildings["households"]}, geometry=centroids),
        grids[["grid_id", "geometry"]],
        predicate="within",
    )
    per_grid = joined.groupby("grid_id")["households"].sum()
    assert len(per_grid) == 12
    assert per_grid.between(300, 450).all(), per_grid.to_dict()


# --- chargers and drying areas --------------------------------------------------------
def test_chargers_and_drying_areas_are_in_open_space(demo, metric):
    community = metric["community"].geometry.iloc[0]
    footprints = shapely.union_all(metric["buildings"].geometry.values)
    for name in ("chargers", "drying_areas"):
        geoms = metric[name].geometry
        assert geoms.within(community).all(), name
        assert not geoms.intersects(footprints).any(), name
    chargers = demo["chargers"]
    assert 15 <= len(chargers) <= 25
    assert set(chargers["kind"]) <= set(model.CHARGER_KINDS)
    assert set(chargers["status"]) <= {"working", "broken"}
    assert len(demo["drying_areas"]) == 3
    grids = metric["grids"].geometry.values
    for yard in metric["drying_areas"].geometry:
        assert (shapely.area(shapely.intersection(grids, yard)) > 1e-6).sum() == 1


# --- reports: place -----------------------------------------------------------------
def test_reports_are_in_and_around_the_community(metric):
    community = metric["community"].geometry.iloc[0]
    points = metric["reports"].geometry
    assert (points.distance(community) <= 200).all()
    inside = points.within(community).mean()
    assert 0.98 <= inside < 1.0  # a few fall just outside and stay unassigned


def test_most_reports_are_at_buildings(metric):
    footprints = shapely.union_all(metric["buildings"].geometry.values)
    near = metric["reports"].geometry.distance(footprints) <= 5
    assert 0.5 < near.mean() < 0.95


def test_drainage_clusters_on_a_few_buildings(demo):
    drainage = demo["reports"].query("category == 'drainage'")
    top3 = drainage["building_id"].value_counts().head(3).sum()
    assert top3 / len(drainage) > 0.4


def test_charging_complaints_come_from_buildings_far_from_chargers(demo, metric):
    chargers = metric["chargers"]
    working = shapely.union_all(chargers.geometry[chargers["status"] == "working"].values)
    buildings = metric["buildings"].set_index("building_id")
    distance = buildings.geometry.distance(working)
    reports = demo["reports"].dropna(subset=["building_id"])
    charging = reports["category"] == "charging"
    far = distance[reports.loc[charging, "building_id"]].mean()
    usual = distance[reports.loc[~charging, "building_id"]].mean()
    assert far > 1.3 * usual


# --- reports: time ------------------------------------------------------------------
def test_reports_span_two_years_before_now(demo):
    created = demo["reports"]["created_at"]
    now = pd.Timestamp(NOW)
    assert created.max() < now
    assert created.min() >= now - pd.DateOffset(months=24)
    assert created.min() < now - pd.DateOffset(months=23)


def test_seasons(demo):
    reports = demo["reports"]
    month = _local_month(reports["created_at"])
    waterlogging = reports["category"] == "waterlogging"
    summer = waterlogging[month.isin([7, 8])].mean()
    january = waterlogging[month == 1].mean()
    assert summer > 5 * january
    heating_months = month[reports["category"] == "heating"]
    assert heating_months.isin([11, 12, 1, 2, 3]).mean() > 0.85


def test_all_categories_and_sources_are_used(demo):
    reports = demo["reports"]
    assert set(reports["category"]) == set(load_categories().index)
    assert set(reports["source"]) == set(model.REPORT_SOURCES)
    assert reports["external_id"].is_unique
    assert list(reports["report_id"]) == list(range(1, len(reports) + 1))


# --- reports: lifecycle -------------------------------------------------------------
def test_due_at_follows_the_category_sla(demo):
    reports = demo["reports"]
    sla = reports["category"].map(load_categories()["sla_days"])
    expected = reports["created_at"] + pd.to_timedelta(sla, unit="D")
    assert (reports["due_at"] == expected).all()


def test_closed_reports_are_rated_and_closed_after_created(demo):
    reports = demo["reports"]
    closed = reports[reports["status"] == "closed"]
    assert len(closed) > 0.7 * len(reports)
    assert closed["rating"].between(1, 5).all()
    assert (closed["closed_at"] >= closed["created_at"]).all()
    assert reports.loc[reports["status"] != "closed", "rating"].isna().all()
    # Most were closed within their SLA, some were late.
    late = (closed["closed_at"] > closed["due_at"]).mean()
    assert 0.02 < late < 0.3


def test_status_mix(demo):
    reports = demo["reports"]
    statuses = set(reports["status"])
    assert {"closed", "rejected", "duplicate"} <= statuses
    assert statuses & set(model.OPEN_STATUSES)
    assert statuses <= set(model.STATUSES)
    duplicates = reports[reports["status"] == "duplicate"]
    assert duplicates["duplicate_of"].notna().all()
    assert (duplicates["duplicate_of"] < duplicates["report_id"]).all()
    open_reports = reports[reports["status"].isin(model.OPEN_STATUSES)]
    assert open_reports["closed_at"].isna().all()
    # Old reports are done; open ones are recent.
    old = reports["created_at"] < pd.Timestamp(NOW) - pd.Timedelta(days=365)
    assert reports.loc[old, "status"].isin(model.DONE_STATUSES).mean() > 0.97


def test_some_open_reports_are_overdue(demo):
    reports = demo["reports"]
    overdue = reports["status"].isin(model.OPEN_STATUSES) & (reports["due_at"] < pd.Timestamp(NOW))
    assert overdue.sum() >= 1


def test_events_trace_every_report(demo):
    reports, events = demo["reports"], demo["report_events"]
    assert list(events["event_id"]) == list(range(1, len(events) + 1))
    assert set(events["report_id"]) == set(reports["report_id"])
    assert (events["at"] <= pd.Timestamp(NOW)).all()
    ordered = events.sort_values(["report_id", "at", "event_id"])
    last = ordered.groupby("report_id").tail(1).set_index("report_id")
    assert (last["to_status"] == reports.set_index("report_id")["status"]).all()
    first = ordered.groupby("report_id").head(1).set_index("report_id")
    assert (first["to_status"] == "submitted").all()
    assert (first["at"] == reports.set_index("report_id")["created_at"]).all()
    # Each event starts from where the previous one ended.
    previous = ordered.groupby("report_id")["to_status"].shift()
    follows = ordered["from_status"].isna() | (ordered["from_status"] == previous)
    assert follows.all()
    closed = reports.loc[reports["status"] == "closed", "report_id"]
    steps = events[events["report_id"].isin(closed)].groupby("report_id")["to_status"].agg(list)
    assert steps.map(
        lambda s: s[:4] == ["submitted", "accepted", "dispatched", "in_progress"]
    ).all()
    assert events["actor"].notna().all()


# --- determinism, size, store ---------------------------------------------------------
def test_same_seed_same_frames_and_other_seed_differs(demo):
    again = build_demo(now=NOW)
    for name in demo:
        pd.testing.assert_frame_equal(again[name], demo[name])
    other = build_demo(seed=DEMO_SEED + 1, now=NOW)
    assert not other["buildings"].geometry.geom_equals(demo["buildings"].geometry).all()
    assert not other["reports"]["created_at"].equals(demo["reports"]["created_at"])


def test_other_seeds_still_partition_and_balance():
    for seed in (1, 2, 3):
        layers = build_demo(n_reports=200, seed=seed, now=NOW)
        grids = layers["grids"].to_crs(UTM)
        community = layers["community"].to_crs(UTM).geometry.iloc[0]
        assert abs(grids.area.sum() - community.area) / community.area < 1e-6
        assert 4300 <= layers["buildings"]["households"].sum() <= 4700


def test_a_hundred_thousand_reports():
    layers = build_demo(n_reports=100_000, now=NOW)
    assert len(layers["reports"]) == 100_000
    assert layers["reports"]["report_id"].is_unique
    assert len(layers["report_events"]) > 300_000
    for name, frame in layers.items():
        assert list(frame.columns[: len(model.layer(name).columns)]) == list(
            model.layer(name).columns
        )


def test_loads_into_a_geopackage_store(tmp_path):
    layers = build_demo(n_reports=1500, now=NOW)  # the store writes row by row: keep it small
    store = GeoPackageStore(tmp_path / "d.gpkg")
    store.load_community(layers)
    for name, frame in layers.items():
        assert store.count(name, DEMO_COMMUNITY_ID) == len(frame), name
    reports = store.read("reports", DEMO_COMMUNITY_ID)
    assert reports["grid_id"].notna().mean() >= 0.98
    assert reports["building_id"].notna().mean() > 0.5
    # The store's own assignment agrees with the one the demo ships.
    shipped = layers["reports"].set_index("report_id")["grid_id"].fillna("")
    assert (reports.set_index("report_id")["grid_id"].fillna("") == shipped).all()
    events = store.read("report_events", DEMO_COMMUNITY_ID)
    assert set(events["report_id"]) == set(reports["report_id"])
    assert store.community_ids() == [DEMO_COMMUNITY_ID]
