"""Facility coverage against brute-force distances in metres, and the covering model."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from geo import model
from geo.errors import GridmapError
from geo.renovation import coverage

EPSG = 32650
TO_UTM = pyproj.Transformer.from_crs(model.WGS84, EPSG, always_xy=True)
TO_WGS84 = pyproj.Transformer.from_crs(EPSG, model.WGS84, always_xy=True)
X0, Y0 = TO_UTM.transform(117.31, 39.09)


def _project(geom, transformer):
    return shapely.transform(
        geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def _wgs84(geom):
    return _project(geom, TO_WGS84)


def _buildings(rects, households) -> gpd.GeoDataFrame:
    """Buildings from (x, y, w, h) rectangles in metres around the origin."""
    return gpd.GeoDataFrame(
        {
            "building_id": [f"B{i + 1}" for i in range(len(rects))],
            "name": [f"{i + 1}号楼" for i in range(len(rects))],
            "households": households,
        },
        geometry=[_wgs84(box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h)) for x, y, w, h in rects],
        crs=model.WGS84,
    )


def _points(xy, key, **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {key: [f"F{i + 1}" for i in range(len(xy))], **columns},
        geometry=[_wgs84(Point(X0 + x, Y0 + y)) for x, y in xy],
        crs=model.WGS84,
    )


def _brute_force(buildings, facilities) -> np.ndarray:
    """Distance from each building's centroid to the nearest facility, one pair at a time."""
    out = []
    for footprint in buildings.geometry:
        middle = _project(footprint, TO_UTM).centroid
        out.append(
            min(
                (middle.distance(_project(f, TO_UTM)) for f in facilities.geometry),
                default=np.inf,
            )
        )
    return np.array(out)


rect = st.tuples(st.floats(-400, 400), st.floats(-400, 400), st.floats(5, 80), st.floats(5, 20))


@settings(max_examples=30, deadline=None)
@given(
    rects=st.lists(rect, min_size=1, max_size=12),
    spots=st.lists(st.tuples(st.floats(-450, 450), st.floats(-450, 450)), max_size=6),
    radius=st.floats(10, 300),
)
def test_distances_and_counts_match_brute_force_in_metres(rects, spots, radius):
    households = list(range(10, 10 * len(rects) + 1, 10))
    buildings = _buildings(rects, households)
    chargers = _points(spots, "charger_id")
    table = coverage.coverage_table(buildings, chargers, radius, EPSG)
    expected = _brute_force(buildings, chargers)
    np.testing.assert_allclose(table["distance_m"], expected, atol=1e-6)
    out = expected > radius
    summary = coverage.summarise(table)
    assert summary.uncovered_buildings == int(out.sum())
    assert summary.uncovered_households == int(np.array(households)[out].sum())
    assert summary.households == sum(households)


def test_drying_yards_count_from_their_nearest_edge():
    buildings = _buildings([(0, 0, 20, 10)], [30])  # centroid (10, 5)
    yard = gpd.GeoDataFrame(
        {"area_id": ["D1"]}, geometry=[_wgs84(box(X0 + 60, Y0, X0 + 72, Y0 + 5))], crs=model.WGS84
    )
    table = coverage.coverage_table(buildings, yard, 50.5, EPSG)
    assert table["distance_m"].iloc[0] == pytest.approx(50.0, abs=1e-6)
    assert bool(table["covered"].iloc[0]) and table["nearest"].iloc[0] == "D1"


def test_broken_chargers_and_other_kinds_are_left_out_unless_asked():
    chargers = _points(
        [(0, 0), (10, 0), (20, 0)],
        "charger_id",
        kind=["ebike", "ev", "ebike"],
        status=["working", "working", "broken"],
    )
    layers = {"chargers": chargers}
    assert list(coverage.facilities_of(layers, "chargers")["charger_id"]) == ["F1", "F2"]
    kept = coverage.facilities_of(layers, "chargers", kinds=["ebike"], working_only=False)
    assert list(kept["charger_id"]) == ["F1", "F3"]
    with pytest.raises(GridmapError):
        coverage.facilities_of(layers, "benches")


def test_no_facility_at_all_leaves_every_building_uncovered():
    buildings = _buildings([(0, 0, 10, 10), (50, 0, 10, 10)], [5, 7])
    table = coverage.coverage_table(buildings, _points([], "charger_id"), 150, EPSG)
    assert np.isinf(table["distance_m"]).all() and not table["covered"].any()
    assert coverage.summarise(table).uncovered_households == 12


def test_the_covering_model_picks_the_obviously_best_site():
    # Three groups of buildings far apart: 300, 40 and 20 households.
    rects = [(0, 0, 20, 10), (0, 30, 20, 10), (30, 0, 20, 10)]  # group A: 100 each
    rects += [(600, 0, 20, 10), (630, 0, 20, 10)]  # group B: 20 each
    rects += [(0, 600, 20, 10)]  # group C: 20
    households = [100, 100, 100, 20, 20, 20]
    buildings = _buildings(rects, households)
    table = coverage.coverage_table(buildings, _points([], "charger_id"), 100, EPSG)
    candidates = gpd.GeoSeries(
        [_wgs84(Point(X0 + x, Y0 + y)) for x, y in [(620, 20), (25, 25), (10, 620), (300, 300)]],
        crs=model.WGS84,
    )

    one = coverage.suggest_sites(buildings, table, candidates, 100, 1, EPSG)
    assert list(one["candidate"]) == [1]
    assert one.iloc[0]["households"] == 300
    assert one.iloc[0]["buildings"] == ["B1", "B2", "B3"] or set(one.iloc[0]["buildings"]) == {
        "B1",
        "B2",
        "B3",
    }

    two = coverage.suggest_sites(buildings, table, candidates, 100, 2, EPSG)
    assert list(two["candidate"]) == [1, 0]  # then group B (40) before group C (20)
    assert list(two["households"]) == [300, 40] and list(two["site"]) == [1, 2]

    many = coverage.suggest_sites(buildings, table, candidates, 100, 10, EPSG)
    assert int(many["households"].sum()) == sum(households)  # site (300, 300) reaches nobody
    assert 3 not in set(many["candidate"])


def test_covered_buildings_are_not_demand_and_nothing_to_cover_gives_no_site():
    buildings = _buildings([(0, 0, 20, 10), (500, 0, 20, 10)], [50, 60])
    chargers = _points([(10, 5)], "charger_id")
    table = coverage.coverage_table(buildings, chargers, 100, EPSG)
    candidates = gpd.GeoSeries([_wgs84(Point(X0 + 20, Y0)), _wgs84(Point(X0 + 505, Y0))])
    sites = coverage.suggest_sites(buildings, table, candidates, 100, 1, EPSG)
    assert list(sites["candidate"]) == [1] and list(sites["households"]) == [60]
    covered = coverage.coverage_table(buildings, chargers, 1000, EPSG)
    assert coverage.suggest_sites(buildings, covered, candidates, 100, 2, EPSG).empty
    assert coverage.suggest_sites(buildings, table, candidates[:0], 100, 2, EPSG).empty
    with pytest.raises(GridmapError):
        coverage.suggest_sites(buildings, table, candidates, 100, -1, EPSG)


def test_generated_candidates_stand_on_open_ground_inside_the_community():
    buildings = _buildings([(0, 0, 60, 12), (0, 40, 60, 12)], [40, 40])
    community = gpd.GeoDataFrame(
        {"community_id": ["c1"]},
        geometry=[_wgs84(box(X0 - 30, Y0 - 30, X0 + 90, Y0 + 80))],
        crs=model.WGS84,
    )
    sites = coverage.candidate_sites(community, buildings, EPSG, spacing_m=10, clearance_m=3)
    assert len(sites) > 20
    metric = sites.to_crs(EPSG)
    footprints = buildings.to_crs(EPSG).geometry
    assert all(footprints.distance(p).min() >= 3 - 1e-6 for p in metric)
    outline = community.to_crs(EPSG).geometry.iloc[0]
    assert all(outline.buffer(-3 + 1e-6).contains(p) for p in metric)
    few = coverage.candidate_sites(community, buildings, EPSG, spacing_m=1, max_sites=50)
    assert 0 < len(few) <= 50


def test_a_negative_radius_is_refused():
    buildings = _buildings([(0, 0, 20, 10)], [5])
    with pytest.raises(GridmapError):
        coverage.coverage_table(buildings, _points([], "charger_id"), -1, EPSG)


def test_metric_crs_is_the_utm_zone_of_the_community(demo_layers):
    assert coverage.metric_epsg(demo_layers) == 32650
    assert coverage.metric_epsg({"buildings": demo_layers["buildings"]}) == 32650
    with pytest.raises(GridmapError):
        coverage.metric_epsg({"buildings": demo_layers["buildings"].iloc[:0]})


def test_demo_coverage_counts_match_brute_force(demo_layers):
    buildings = demo_layers["buildings"]
    for facility, radius in (("chargers", 150.0), ("drying_areas", 100.0)):
        facilities = coverage.facilities_of(demo_layers, facility)
        table = coverage.coverage_table(buildings, facilities, radius, 32650)
        expected = _brute_force(buildings, facilities)
        np.testing.assert_allclose(table["distance_m"], expected, atol=1e-6)
        households = buildings["households"].to_numpy()
        assert coverage.summarise(table).uncovered_households == int(
            households[expected > radius].sum()
        )
    assert isinstance(table, pd.DataFrame)
