"""Gi* hot and cold spots: a planted cluster is found, uniform noise gives nothing (seeded)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from scipy.stats import norm
from shapely.geometry import box

from geo import model
from geo.errors import GridmapError
from geo.renovation import hotspots

EPSG = 32650  # Tianjin's UTM zone: the fixtures are laid out in metres there
CENTRE = gpd.GeoSeries(shapely.points([(117.31, 39.09)]), crs=model.WGS84).to_crs(EPSG)[0]
CX, CY = CENTRE.x, CENTRE.y


def _wgs84(geoms) -> np.ndarray:
    return gpd.GeoSeries(geoms, crs=EPSG).to_crs(model.WGS84).values


def _site(xy: np.ndarray, categories=None, building_ids=None):
    """A 600 m square community, one building at (100, -80), and reports at ``xy``."""
    n = len(xy)
    community = gpd.GeoDataFrame(
        {"community_id": ["c1"]},
        geometry=_wgs84([box(CX - 300, CY - 300, CX + 300, CY + 300)]),
        crs=model.WGS84,
    )
    buildings = gpd.GeoDataFrame(
        {"building_id": ["B1"]},
        geometry=_wgs84([box(CX + 90, CY - 90, CX + 110, CY - 70)]),
        crs=model.WGS84,
    )
    reports = gpd.GeoDataFrame(
        {
            "category": categories if categories is not None else ["drainage"] * n,
            "building_id": building_ids if building_ids is not None else [None] * n,
        },
        geometry=_wgs84(shapely.points(xy + (CX, CY))),
        crs=model.WGS84,
    )
    return {"community": community, "buildings": buildings}, reports


def _uniform(rng, n=1500) -> np.ndarray:
    return rng.uniform(-300, 300, (n, 2))


def test_a_planted_cluster_is_the_one_hotspot_found():
    rng = np.random.default_rng(11)
    noise = _uniform(rng)
    cluster = rng.normal(0, 15, (150, 2)) + (100, -80)
    categories = ["sanitation"] * len(noise) + ["drainage"] * len(cluster)
    layers, reports = _site(np.vstack([noise, cluster]), categories)

    result = hotspots.find_hotspots(reports, layers, unit="h3", resolution=11, alpha=0.05)

    found = result.units[result.units["significant"]]
    assert len(found) >= 3
    assert set(found["kind"]) == {"hot"}
    # Every significant cell lies at the cluster (cells are ~25 m across).
    centres = shapely.centroid(gpd.GeoSeries(found.geometry.values, crs=model.WGS84).to_crs(EPSG))
    assert shapely.distance(centres, shapely.Point(CX + 100, CY - 80)).max() < 80
    assert (found["p"] < result.threshold).all() and 0 < result.threshold <= 0.05
    # One hotspot, listing its dominant category and the building inside it.
    assert list(result.hotspots["hotspot"]) == ["H1"]
    hotspot = result.hotspots.iloc[0]
    assert hotspot["kind"] == "hot" and hotspot["units"] == len(found)
    assert hotspot["categories"][0][0] == "drainage"
    assert hotspot["buildings"] == ["B1"]
    assert set(found["hotspot"]) == {"H1"}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_uniform_noise_has_no_hotspot(seed):
    layers, reports = _site(_uniform(np.random.default_rng(seed)))
    result = hotspots.find_hotspots(reports, layers, unit="h3", resolution=11, alpha=0.05)
    assert len(result.units) > 100
    assert not result.units["significant"].any()
    assert result.hotspots.empty


def _lattice(counts: np.ndarray):
    """Buildings on a 7 x 7 lattice 40 m apart, each with ``counts[i]`` linked reports."""
    side = int(np.sqrt(len(counts)))
    xs, ys = np.meshgrid(np.arange(side) * 40.0, np.arange(side) * 40.0)
    xs, ys = xs.ravel() + CX, ys.ravel() + CY
    ids = [f"B{i:02d}" for i in range(len(xs))]
    footprints = shapely.box(xs - 10, ys - 5, xs + 10, ys + 5)
    buildings = gpd.GeoDataFrame({"building_id": ids}, geometry=_wgs84(footprints), crs=model.WGS84)
    community = gpd.GeoDataFrame(
        {"community_id": ["c1"]},
        geometry=_wgs84([box(xs.min() - 30, ys.min() - 30, xs.max() + 30, ys.max() + 30)]),
        crs=model.WGS84,
    )
    owner = np.repeat(np.arange(len(ids)), counts)
    reports = gpd.GeoDataFrame(
        {"category": ["water_supply"] * len(owner), "building_id": [ids[i] for i in owner]},
        geometry=_wgs84(shapely.points(xs[owner], ys[owner])),
        crs=model.WGS84,
    )
    return {"community": community, "buildings": buildings}, reports, ids


def test_per_building_finds_a_block_of_buildings_with_many_reports():
    rng = np.random.default_rng(5)
    counts = rng.poisson(5, 49)
    block = [i * 7 + j for i in (2, 3, 4) for j in (2, 3, 4)]
    counts[block] = rng.poisson(25, len(block))
    layers, reports, ids = _lattice(counts)

    result = hotspots.find_hotspots(reports, layers, unit="building", epsg=EPSG)

    hot = set(result.units.loc[result.units["kind"] == "hot", "unit"])
    assert hot and hot <= {ids[i] for i in block}
    assert ids[3 * 7 + 3] in hot  # the middle of the block
    assert not (result.units["kind"] == "cold").any()
    assert set(result.hotspots.iloc[0]["buildings"]) == hot


def test_per_building_uniform_counts_give_nothing():
    counts = np.random.default_rng(8).poisson(8, 49)
    layers, reports, _ = _lattice(counts)
    result = hotspots.find_hotspots(reports, layers, unit="building", epsg=EPSG)
    assert not result.units["significant"].any()


def test_no_reports_or_all_equal_tests_nothing():
    layers, reports = _site(np.empty((0, 2)))
    result = hotspots.find_hotspots(reports, layers)
    assert not result.units["significant"].any() and result.threshold == 0


def test_gi_star_statistic_matches_the_textbook_formula():
    """Gi* z of the middle of a 3-unit line: (sum - mean * n_w) / (s * sqrt(...))."""
    y = np.array([1.0, 5.0, 9.0, 2.0, 3.0])
    ids = list("abcde")
    neighbours = {"a": ["b"], "b": ["a", "c"], "c": ["b", "d"], "d": ["c", "e"], "e": ["d"]}
    z, p, _, _ = hotspots.gi_star(y, neighbours, ids, 0.05)
    n, mean = len(y), y.mean()
    s = np.sqrt((y**2).mean() - mean**2)
    w = 3  # b, c, d: c and its two neighbours
    expected = (y[1:4].sum() - mean * w) / (s * np.sqrt((n * w - w**2) / (n - 1)))
    assert z[2] == pytest.approx(expected)
    assert p[2] == pytest.approx(2 * norm.sf(abs(expected)))


def test_period_labels_by_month_and_iso_week_in_the_local_zone():
    times = pd.Series(pd.to_datetime(["2025-12-31T17:00:00Z", "2025-07-01T00:00:00Z"], utc=True))
    assert list(hotspots.period_labels(times, "month", "Asia/Shanghai")) == ["2026-01", "2025-07"]
    # 1 January 2026 (local) is a Thursday of ISO week 1 of 2026.
    assert list(hotspots.period_labels(times, "week", "Asia/Shanghai")) == ["2026-W01", "2025-W27"]


@pytest.mark.parametrize(
    "kwargs",
    [{"unit": "grid"}, {"alpha": 0}, {"alpha": 1.5}, {"resolution": 7}],
)
def test_bad_choices_are_refused_with_a_message(kwargs):
    layers, reports = _site(_uniform(np.random.default_rng(0), 10))
    with pytest.raises(GridmapError):
        hotspots.find_hotspots(reports, layers, **kwargs)
    with pytest.raises(GridmapError):
        hotspots.period_labels(reports.assign(t=pd.Timestamp.now("UTC"))["t"], "day", "UTC")
