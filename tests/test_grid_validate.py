"""The grid checks (geo.grids.validate), each rule on a small case drawn by hand in metres.

The layout: a community of 300 m × 300 m near Tianjin, cut into nine grids of 100 m
× 100 m (G1 bottom-left to G9 top-right), each with two buildings of 200 households
side by side. Shapes are written in local metres and moved to WGS 84 through the
UTM zone, so the areas the checks report can be compared with what was drawn.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely
from shapely.geometry import Polygon, box

from geo.grids import edit
from geo.grids.shapes import Metric
from geo.grids.validate import ERROR, WARNING, Rules, validate_grids

ORIGIN = pyproj.Transformer.from_crs(4326, 32650, always_xy=True).transform(117.31, 39.09)
METRIC = Metric(32650)
SIDE = 100.0


def wgs(geom):
    """A shape written in local metres, in WGS 84."""
    moved = shapely.transform(geom, lambda xy: xy + np.array(ORIGIN))
    return METRIC.one_to_wgs84(moved)


def local(geom):
    """A WGS 84 shape in local metres."""
    return shapely.transform(METRIC.one_to_metric(geom), lambda xy: xy - np.array(ORIGIN))


def community_layer() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"community_id": ["c1"], "name": ["手绘社区"]},
        geometry=[wgs(box(0, 0, 3 * SIDE, 3 * SIDE))],
        crs=4326,
    )


def cell(n: int):
    row, col = divmod(n - 1, 3)
    return box(col * SIDE, row * SIDE, (col + 1) * SIDE, (row + 1) * SIDE)


def grids_layer(shapes: dict | None = None, workers: dict | None = None) -> gpd.GeoDataFrame:
    """The nine grids, with shapes (local metres) and workers replaced where given."""
    shapes = {n: cell(n) for n in range(1, 10)} | (shapes or {})
    workers = workers or {}
    return gpd.GeoDataFrame(
        {
            "grid_id": [f"G{n}" for n in shapes],
            "community_id": "c1",
            "name": [f"第{n}网格" for n in shapes],
            "worker_name": [workers.get(n, f"员{n}") for n in shapes],
        },
        geometry=[wgs(g) for g in shapes.values()],
        crs=4326,
    )


def buildings_layer(extra: list | None = None, households: dict | None = None):
    """Two buildings of 200 households in each grid, 30 m × 12 m, and any extra ones."""
    rows = []
    for n in range(1, 10):
        row, col = divmod(n - 1, 3)
        for k, dx in enumerate((10, 55)):
            x, y = col * SIDE + dx, row * SIDE + 40
            bid = f"B{n}{k + 1}"
            rows.append((bid, (households or {}).get(bid, 200), box(x, y, x + 30, y + 12)))
    rows += extra or []
    return gpd.GeoDataFrame(
        {
            "building_id": [r[0] for r in rows],
            "community_id": "c1",
            "households": [r[1] for r in rows],
        },
        geometry=[wgs(r[2]) for r in rows],
        crs=4326,
    )


def check(grids=None, buildings=None, rules=None):
    return validate_grids(
        grids if grids is not None else grids_layer(),
        community_layer(),
        buildings if buildings is not None else buildings_layer(),
        rules or Rules(),
    )


def kinds(result) -> list[str]:
    return [i.kind for i in result.issues]


# --- the rules, one by one ------------------------------------------------------------------
def test_the_grids_as_drawn_have_no_problem():
    result = check()
    assert result.issues == []
    assert result.households.to_dict() == {f"G{n}": 400 for n in range(1, 10)}
    assert result.buildings.to_dict() == {f"G{n}": 2 for n in range(1, 10)}


def test_an_overlap_is_an_error_with_its_area_in_square_metres():
    # G2 reaches 5 m into G1.
    result = check(grids_layer({2: box(SIDE - 5, 0, 2 * SIDE, SIDE)}))
    overlaps = result.of_kind("overlap")
    assert len(overlaps) == 1 and overlaps[0].severity == ERROR
    assert overlaps[0].grids == ("G1", "G2")
    assert overlaps[0].area_m2 == pytest.approx(500, abs=0.5)
    assert overlaps[0].shape is not None  # the piece to highlight
    assert local(overlaps[0].shape).area == pytest.approx(500, abs=0.5)
    assert "G1, G2 overlap by 500 m²" in overlaps[0].message("en")
    assert "重叠 500 平方米" in overlaps[0].message("zh")


def test_a_gap_is_an_error_with_its_area_and_the_buildings_in_it():
    # G5 stops 20 m short of G6, and the building B52 (x 155–185) is left in the gap.
    result = check(grids_layer({5: box(SIDE, SIDE, 2 * SIDE - 20, 2 * SIDE)}))
    gaps = result.of_kind("gap")
    assert len(gaps) == 1 and gaps[0].severity == ERROR
    assert gaps[0].area_m2 == pytest.approx(2000, abs=1)
    assert gaps[0].buildings == ("B52",)
    assert gaps[0].households == 200
    assert "B52" in gaps[0].message("en") and "2,000 m²" in gaps[0].message("en")
    # G5's new edge runs through B52 too (the building stays in G5 by its
    # representative point, so the households do not change).
    assert kinds(result) == ["gap", "cut_building"]
    assert result.of_kind("cut_building")[0].grids == ("G5",)
    assert result.households["G5"] == 400


def test_a_thin_gap_is_a_sliver_warning_not_a_gap():
    result = check(grids_layer({5: box(SIDE, SIDE, 2 * SIDE - 0.5, 2 * SIDE)}))
    assert kinds(result) == ["sliver"]
    sliver = result.issues[0]
    assert sliver.severity == WARNING
    assert sliver.area_m2 == pytest.approx(50, abs=0.1)
    assert sliver.width_m == pytest.approx(0.5, abs=0.01)  # 2A/P of a 0.5 m × 100 m strip


def test_a_thin_part_of_a_grid_is_a_sliver():
    strip = box(2 * SIDE, 2 * SIDE - 0.4, 3 * SIDE, 2 * SIDE)  # a strip of G6 poking into G9
    g9 = box(2 * SIDE, 2 * SIDE, 3 * SIDE, 3 * SIDE)
    g6 = shapely.union(cell(6), strip)
    result = check(grids_layer({6: g6, 9: g9}))
    assert result.issues == []  # the strip is inside G6's own cell: nothing wrong
    far = box(0, 3 * SIDE - 0.5, 20, 3 * SIDE)  # a detached strip of G6 inside G7
    result = check(grids_layer({6: shapely.union(cell(6), far)}))
    slivers = [i for i in result.issues if i.kind == "sliver"]
    assert [i.grids for i in slivers] == [("G6",)]
    assert "Grid G6 has a sliver of 10.0 m²" in slivers[0].message("en")
    assert [i.grids for i in result.of_kind("overlap")] == [("G6", "G7")]


def test_a_boundary_through_a_building_names_the_building():
    straddling = ("B99", 50, box(SIDE - 10, 80, SIDE + 10, 90))
    result = check(buildings=buildings_layer([straddling]))
    cuts = result.of_kind("cut_building")
    assert len(cuts) == 1 and cuts[0].severity == ERROR
    assert cuts[0].buildings == ("B99",) and cuts[0].grids == ("G1", "G2")
    assert cuts[0].message("en") == (
        "Building B99 (50 households) is cut by the boundary of grids G1, G2."
    )


def test_a_building_barely_touched_by_a_neighbour_is_not_cut():
    # 0.2 m² of B99 lies in G2: less than the 1 m² a cut needs.
    nearly = ("B99", 50, box(SIDE - 20, 80, SIDE + 0.02, 90))
    result = check(buildings=buildings_layer([nearly]))
    assert result.of_kind("cut_building") == []


def test_an_invalid_shape_says_where_and_repair_makes_it_valid():
    bow_tie = Polygon(
        [(2 * SIDE, 2 * SIDE), (3 * SIDE, 3 * SIDE), (3 * SIDE, 2 * SIDE), (2 * SIDE, 3 * SIDE)]
    )
    grids = grids_layer({9: bow_tie})
    result = check(grids)
    invalid = result.of_kind("invalid")
    assert len(invalid) == 1 and invalid[0].grids == ("G9",)
    assert "Self-intersection" in invalid[0].detail
    lon, lat = invalid[0].where
    assert local(shapely.Point(lon, lat)).distance(shapely.Point(250, 250)) < 0.5
    repaired = edit.repair_grids(grids, ["G9"])
    assert repaired.geometry.is_valid.all()
    assert check(repaired).of_kind("invalid") == []


def test_households_outside_the_band_are_warnings():
    counts = {"B11": 50, "B12": 50, "B91": 400}  # G1 has 100, G9 600
    result = check(buildings=buildings_layer(households=counts))
    assert [(i.kind, i.grids, i.households) for i in result.issues] == [
        ("households_low", ("G1",), 100),
        ("households_high", ("G9",), 600),
    ]
    assert all(i.severity == WARNING for i in result.issues)
    wide = check(buildings=buildings_layer(households=counts), rules=Rules(50, 700))
    assert wide.issues == []


def test_a_grid_without_a_worker_is_a_warning():
    result = check(grids_layer(workers={4: None, 7: "  "}))
    assert [(i.kind, i.grids) for i in result.issues] == [
        ("no_worker", ("G4",)),
        ("no_worker", ("G7",)),
    ]


def test_a_grid_reaching_beyond_the_community_is_a_warning():
    result = check(grids_layer({3: box(2 * SIDE, -5, 3 * SIDE + 5, SIDE)}))
    outside = result.of_kind("outside")
    assert [i.grids for i in outside] == [("G3",)]
    assert outside[0].area_m2 == pytest.approx(5 * 105 + 5 * 100, abs=1)


def test_codes_missing_or_used_twice_are_errors():
    grids = grids_layer()
    grids.loc[0, "grid_id"] = None
    grids.loc[1, "grid_id"] = "G3"
    result = check(grids)
    assert ("no_code", ("#1",)) in [(i.kind, i.grids) for i in result.errors]
    assert ("duplicate_code", ("G3",)) in [(i.kind, i.grids) for i in result.errors]


def test_errors_come_first_and_every_issue_is_json():
    grids = grids_layer({5: box(SIDE, SIDE, 2 * SIDE - 20, 2 * SIDE)}, workers={1: None})
    result = check(grids)
    severities = [i.severity for i in result.issues]
    assert severities == sorted(severities, key=lambda s: s != ERROR)
    payload = result.as_json()
    assert payload["errors"] == len(result.errors) and payload["warnings"] == len(result.warnings)
    assert {"kind", "severity", "grids", "area_m2", "buildings", "where"} <= set(
        payload["issues"][0]
    )
    table = result.table("zh")
    assert list(table.columns) == ["级别", "类型", "网格", "面积（平方米）", "问题说明"]
