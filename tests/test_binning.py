"""Binning reports into metre cells: nothing lost, cells as wide as asked."""

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from geo.binning import bin_points


def _points_in_metres(offsets_m, origin=(117.31, 39.09)):
    utm = gpd.GeoSeries([Point(500_000 + dx, 4_327_000 + dy) for dx, dy in offsets_m], crs=32650)
    return utm.to_crs(4326)


def test_counts_add_up_and_missing_points_are_skipped():
    rng = np.random.default_rng(1)
    points = _points_in_metres(rng.uniform(0, 200, size=(5000, 2)))
    with_gaps = list(points.values) + [None, Point()]
    cells = bin_points(with_gaps, cell_m=4)
    assert cells["count"].sum() == 5000
    assert len(cells) <= (200 / 4 + 1) ** 2
    assert list(cells["count"]) == sorted(cells["count"], reverse=True)


def test_points_a_metre_apart_share_a_cell_and_ten_metres_apart_do_not():
    points = _points_in_metres([(1.0, 1.0), (2.0, 1.5), (12.0, 1.0)])
    cells = bin_points(points, cell_m=4)
    assert sorted(cells["count"]) == [1, 2]
    lone = cells[cells["count"] == 1].iloc[0]
    assert lone["lon"] == pytest.approx(points.iloc[2].x)
    assert lone["lat"] == pytest.approx(points.iloc[2].y)


def test_no_points():
    assert bin_points([]).empty
