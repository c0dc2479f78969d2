"""Proposals of balanced grids (geo.grids.propose, PySAL spopt), on the demo community.

A proposal must be contiguous (each grid one piece of ground), cover the community
(no gap, no overlap), cut no building, and be balanced: the largest grid has at
most 1.5 times the households of the smallest. It runs with no network at all.
"""

from __future__ import annotations

import socket

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import box

from geo.grids import GridEditError
from geo.grids.propose import Balance, is_contiguous, propose_grids, territories
from geo.grids.shapes import Metric, polygonal
from geo.grids.validate import validate_grids
from tests.test_grid_validate import community_layer, wgs


@pytest.fixture(scope="module")
def demo(demo_layers):
    return demo_layers


@pytest.fixture(scope="module")
def proposal(demo):
    return propose_grids(demo["community"], demo["buildings"], 8, seed=0, starts=3)


def _metric(frame, metric):
    return metric.to_metric(frame.geometry.values)


def test_a_proposal_is_contiguous_covers_the_community_and_cuts_no_building(demo, proposal):
    grids = proposal.grids
    assert list(grids["grid_id"]) == [f"P{k:02d}" for k in range(1, 9)]
    assert all(is_contiguous(g) for g in grids.geometry)
    metric = Metric.around(demo["community"].geometry.values)
    shapes = _metric(grids, metric)
    boundary = polygonal(shapely.union_all(_metric(demo["community"], metric)))
    cover = shapely.union_all(shapes)
    assert shapely.symmetric_difference(cover, boundary).area < 1.0  # m², of 292,900
    assert sum(s.area for s in shapes) == pytest.approx(boundary.area, abs=1.0)
    # Every building lies in one grid, whole.
    footprints = _metric(demo["buildings"], metric)
    for footprint in footprints:
        held = [shapely.intersection(footprint, s).area for s in shapes]
        assert max(held) == pytest.approx(footprint.area, rel=1e-6)
    result = validate_grids(grids, demo["community"], demo["buildings"])
    assert result.errors == []
    assert {i.kind for i in result.warnings} <= {"no_worker", "households_low", "households_high"}


def test_a_proposal_is_balanced(demo, proposal):
    households = proposal.households
    assert int(households.sum()) == int(demo["buildings"]["households"].sum())
    assert households.max() <= 1.5 * households.min()
    assert proposal.ratio == pytest.approx(households.max() / households.min())
    # The counts are those the checks see (buildings by representative point).
    result = validate_grids(proposal.grids, demo["community"], demo["buildings"])
    assert result.households.to_dict() == households.to_dict()
    assert result.buildings.to_dict() == proposal.buildings.to_dict()


def test_twelve_grids_for_the_demo_are_balanced_too(demo):
    twelve = propose_grids(demo["community"], demo["buildings"], 12, seed=0, starts=2)
    assert len(twelve.grids) == 12 and twelve.ratio <= 1.5
    assert all(is_contiguous(g) for g in twelve.grids.geometry)


def test_proposing_needs_no_network(demo, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("propose_grids tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    one = propose_grids(demo["community"], demo["buildings"], 3, seed=1, starts=1)
    assert len(one.grids) == 3


def test_territories_tile_the_community_and_hold_their_building_whole():
    metric = Metric.around(community_layer().geometry.values)
    boundary = metric.one_to_metric(community_layer().geometry.iloc[0])
    # Two touching buildings and one far away.
    footprints = np.asarray(
        [
            metric.one_to_metric(wgs(b))
            for b in (box(10, 10, 40, 20), box(40, 10, 60, 20), box(200, 200, 230, 230))
        ],
        dtype=object,
    )
    land = territories(boundary, footprints)
    assert sum(g.area for g in land) == pytest.approx(boundary.area, abs=0.1)
    for i, footprint in enumerate(footprints):
        assert shapely.intersection(land[i], footprint).area == pytest.approx(footprint.area)


def test_the_balance_objective_and_its_update_agree():
    attr = np.array([[100.0], [50.0], [80.0], [120.0]])
    labels = np.array([0, 0, 1, 1])
    objective = Balance(target=175.0)
    before = objective(labels, attr)
    moved = labels.copy()
    moved[1] = 1
    assert objective.update(1, 1, labels, attr) == pytest.approx(objective(moved, attr) - before)


def test_impossible_proposals_are_refused_with_a_reason(demo):
    with pytest.raises(GridEditError) as raised:
        propose_grids(demo["community"], demo["buildings"], 61)
    assert raised.value.key == "grids.propose.bad_n"
    assert "60 buildings" in raised.value.message("en")
    empty = gpd.GeoDataFrame({"households": []}, geometry=[], crs=4326)
    with pytest.raises(GridEditError) as raised:
        propose_grids(demo["community"], empty, 3)
    assert raised.value.key == "grids.propose.no_buildings"
