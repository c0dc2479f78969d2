"""Editing a draft (geo.grids.edit): clean-up as you draw, split, merge, delete, drawings.

The hand-drawn layout of tests/test_grid_validate.py: nine 100 m grids in a 300 m
community. "Drawn by hand" means corners up to 0.6 m off where they should be.
"""

from __future__ import annotations

import json

import pytest
import shapely
from shapely.geometry import LineString, Polygon, box, mapping

from geo.grids import GridEditError, edit
from tests.test_grid_validate import (
    SIDE,
    buildings_layer,
    check,
    community_layer,
    grids_layer,
    local,
    wgs,
)


@pytest.fixture
def ctx():
    return edit.EditContext.of(community_layer(), snap_m=1.0, take=True)


def without_g5():
    grids = grids_layer()
    return edit.delete_grids(grids, ["G5"])


def area(draft, code) -> float:
    return local(draft.set_index("grid_id").geometry[code]).area


def test_a_shape_drawn_roughly_into_a_hole_is_snapped_with_no_gap_or_overlap(ctx):
    rough = Polygon([(100.6, 99.5), (199.4, 100.4), (200.5, 199.6), (99.6, 200.3)])
    draft, code = edit.add_grid(without_g5(), wgs(rough), ctx)
    assert code == "G10"
    result = check(draft)
    assert [i.kind for i in result.issues] == ["no_worker"]  # no gap, overlap or sliver
    assert area(draft, "G10") == pytest.approx(SIDE * SIDE, abs=0.5)
    for n in (2, 4, 6, 8):  # the neighbours keep their ground
        assert area(draft, f"G{n}") == pytest.approx(SIDE * SIDE, abs=0.5)


def test_without_snapping_the_same_drawing_leaves_slivers(ctx):
    rough = Polygon([(100.6, 99.5), (199.4, 100.4), (200.5, 199.6), (99.6, 200.3)])
    loose = edit.EditContext(ctx.metric, ctx.boundary, snap_m=0.0, take=True)
    draft, _ = edit.add_grid(without_g5(), wgs(rough), loose)
    assert {i.kind for i in check(draft).issues} >= {"sliver"}


def test_a_shape_is_clipped_to_the_community(ctx):
    beyond = box(2 * SIDE, 2 * SIDE, 3 * SIDE + 40, 3 * SIDE + 40)  # G9 and 40 m beyond
    draft = edit.delete_grids(grids_layer(), ["G9"])
    draft, code = edit.add_grid(draft, wgs(beyond), ctx)
    assert area(draft, code) == pytest.approx(SIDE * SIDE, abs=0.5)
    assert [i.kind for i in check(draft).issues] == ["no_worker"]


def test_a_shape_outside_the_community_is_refused(ctx):
    with pytest.raises(GridEditError) as raised:
        edit.add_grid(grids_layer(), wgs(box(400, 400, 450, 450)), ctx)
    assert raised.value.key == "grids.edit.outside"


def test_a_drawn_shape_takes_ground_from_the_grids_it_covers(ctx):
    # A new grid over the east half of G5 (x 150–200, its other edges drawn roughly
    # along G5's): G5 keeps the west half.
    draft, code = edit.add_grid(grids_layer(), wgs(box(150, 99.7, 200.3, 200.2)), ctx)
    assert area(draft, code) == pytest.approx(5000, abs=1)
    assert area(draft, "G5") == pytest.approx(5000, abs=1)
    assert {i.kind for i in check(draft).errors} <= {"cut_building"}  # B52 stands on the line
    assert check(draft).of_kind("overlap") == [] and check(draft).of_kind("gap") == []


def test_a_drawn_shape_can_leave_the_neighbours_alone():
    keep = edit.EditContext.of(community_layer(), snap_m=1.0, take=False)
    with pytest.raises(GridEditError) as raised:
        edit.add_grid(grids_layer(), wgs(box(150, 100, 200, 200)), keep)
    assert raised.value.key == "grids.edit.nothing_left"
    # Over G5's hole and half of G6: only the hole is taken.
    draft, code = edit.add_grid(without_g5(), wgs(box(100.3, 99.6, 250, 200.4)), keep)
    assert area(draft, code) == pytest.approx(SIDE * SIDE, abs=0.5)
    assert area(draft, "G6") == pytest.approx(SIDE * SIDE, abs=0.5)


def test_reshaping_a_grid_moves_the_shared_edge(ctx):
    # G5 pushed 30 m east (its top edge drawn 0.4 m short): G6 gives up the ground.
    draft = edit.reshape_grid(grids_layer(), "G5", wgs(box(100, 100, 230, 199.6)), ctx)
    assert area(draft, "G5") == pytest.approx(13000, abs=1)
    assert area(draft, "G6") == pytest.approx(7000, abs=1)
    assert check(draft).of_kind("overlap") == [] and check(draft).of_kind("gap") == []


def test_a_line_splits_the_grid_it_crosses(ctx):
    line = LineString([(100.8, 130), (199.2, 130)])  # drawn just short of both edges
    draft, new = edit.split_grids(grids_layer(), wgs(line), ctx)
    assert new == ["G10"]
    assert area(draft, "G5") == pytest.approx(7000, abs=1)  # the larger piece keeps the code
    assert area(draft, "G10") == pytest.approx(3000, abs=1)
    kept = draft.set_index("grid_id")
    assert kept.loc["G5", "worker_name"] == "员5" and kept.loc["G10", "worker_name"] is None
    result = check(draft)
    assert result.of_kind("overlap") == [] and result.of_kind("gap") == []


def test_a_line_across_two_grids_splits_both(ctx):
    line = LineString([(0.5, 50), (199.5, 50)])
    draft, new = edit.split_grids(grids_layer(), wgs(line), ctx)
    assert new == ["G10", "G11"] and len(draft) == 11


def test_a_line_that_splits_nothing_is_refused(ctx):
    with pytest.raises(GridEditError) as raised:
        edit.split_grids(grids_layer(), wgs(LineString([(120, 120), (140, 140)])), ctx)
    assert raised.value.key == "grids.edit.split_nothing"


def test_merging_grids_keeps_the_first_code_and_worker(ctx):
    draft, kept = edit.merge_grids(grids_layer(), ["G2", "G1"], ctx)
    assert kept == "G1" and len(draft) == 8
    merged = local(draft.set_index("grid_id").geometry["G1"])
    assert merged.area == pytest.approx(20000, abs=1)
    assert len(shapely.get_parts(merged)) == 1 and len(merged.geoms[0].interiors) == 0
    assert check(draft, buildings_layer()).households["G1"] == 800
    with pytest.raises(GridEditError):
        edit.merge_grids(grids_layer(), ["G1"], ctx)


def test_codes_follow_the_style_in_use():
    assert edit.next_code(["G01", "G02", "G12"]) == "G13"
    assert edit.next_code(["网格09", "网格10"]) == "网格11"
    assert edit.next_code([]) == "G01"
    assert edit.next_code(["A1", "G9", "G10"], like="A1") == "A2"


def test_attributes_change_and_a_taken_code_is_refused():
    draft = edit.set_attributes(
        grids_layer(), "G1", {"grid_id": "G01", "name": " 一网格 ", "worker_phone": ""}
    )
    row = draft.set_index("grid_id").loc["G01"]
    assert row["name"] == "一网格" and row["worker_phone"] is None
    with pytest.raises(GridEditError) as raised:
        edit.set_attributes(draft, "G2", {"grid_id": "G3"})
    assert raised.value.key == "grids.edit.code_taken"


def _features(draft, drop=(), moved=None):
    """What the map's draw layer returns: the draft's grids with their codes."""
    features = []
    for code, geom in zip(draft["grid_id"], draft.geometry, strict=True):
        if code in drop:
            continue
        shape = moved.get(code, geom) if moved else geom
        rounded = shapely.set_precision(shape, 1e-6)
        features.append(
            {"type": "Feature", "properties": {"grid_id": code}, "geometry": mapping(rounded)}
        )
    return json.loads(json.dumps(features))


def test_drawings_from_the_map_are_applied(ctx):
    draft = grids_layer()
    unchanged = edit.apply_drawings(draft, _features(draft), ctx)
    assert not unchanged.changed  # rounding by the map is not an edit
    features = _features(draft, drop={"G9"}, moved={"G5": wgs(box(100, 100, 230, 200))})
    features.append(
        {
            "type": "Feature",
            "properties": {},
            "geometry": mapping(wgs(box(200.5, 199.5, 299.6, 300.4))),
        }
    )
    features.append(
        {
            "type": "Feature",
            "properties": {},
            "geometry": mapping(wgs(LineString([(0, 50), (100, 50)]))),
        }
    )
    outcome = edit.apply_drawings(draft, features, ctx)
    assert outcome.deleted == ["G9"] and outcome.reshaped == ["G5"]
    assert outcome.added == ["G10"] and outcome.split == ["G11"]
    assert outcome.refused == []
    result = check(outcome.draft)
    assert result.of_kind("gap") == [] and result.of_kind("overlap") == []
    assert area(outcome.draft, "G10") == pytest.approx(SIDE * SIDE, abs=0.5)


def test_a_drawing_that_cannot_be_applied_is_refused_alone(ctx):
    draft = grids_layer()
    features = _features(draft)
    features.append(
        {"type": "Feature", "properties": {}, "geometry": mapping(wgs(box(500, 500, 600, 600)))}
    )
    features.append({"type": "Feature", "properties": {}, "geometry": None})
    outcome = edit.apply_drawings(draft, features, ctx)
    assert not outcome.changed
    assert [e.key for e in outcome.refused] == ["grids.edit.outside"]
    assert edit.apply_drawings(draft, None, ctx).draft.equals(draft)


def test_grids_from_a_file_are_added_or_replace_the_draft(tmp_path):
    incoming = grids_layer().iloc[[0, 1]].copy()
    incoming["grid_id"] = ["G1", "G20"]
    incoming["name"] = ["新一", "新二十"]
    path = tmp_path / "grids.geojson"
    incoming.to_file(path, driver="GeoJSON")
    read, rejected, _ = edit.read_grid_file(path, "c1")
    assert rejected == 0 and list(read["grid_id"]) == ["G1", "G20"]
    added = edit.combine(grids_layer(), read, replace=False)
    assert len(added) == 10
    assert added.set_index("grid_id").loc["G1", "name"] == "新一"
    assert len(edit.combine(grids_layer(), read, replace=True)) == 2
    empty = tmp_path / "none.geojson"
    empty.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(Exception) as raised:
        edit.read_grid_file(empty, "c1")
    assert getattr(raised.value, "key", "").startswith(("io.", "grids."))
