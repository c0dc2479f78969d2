"""The what-if preview (geo.grids.preview) against a recomputation from scratch.

The brute force is the rule written out the slow, obvious way: every point tested
against every grid with ``covers`` (boundary included), the lowest code winning; a
report whose grid was chosen by hand keeps it; closed reports do not move.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from geo.grids import edit
from geo.grids.preview import COLUMNS, preview_change
from geo.model import OPEN_STATUSES, STATUSES, is_missing
from tests.test_grid_validate import (
    METRIC,
    ORIGIN,
    buildings_layer,
    community_layer,
    grids_layer,
    wgs,
)


def _grid_of(point, grids) -> str | None:
    hits = [
        str(code)
        for code, shape in zip(grids["grid_id"], grids.geometry, strict=True)
        if shape.covers(point)
    ]
    return min(hits) if hits else None


def _reports(grids, n=3000, seed=11) -> gpd.GeoDataFrame:
    """Random reports over the community and a little beyond, some on grid corners."""
    rng = np.random.default_rng(seed)
    local = rng.uniform(-20, 320, size=(n, 2))
    points = [wgs(Point(x, y)) for x, y in local]
    corners = [Point(c) for g in grids.geometry for c in g.exterior.coords[:4]]
    points += corners
    statuses = rng.choice(STATUSES, size=len(points))
    frame = gpd.GeoDataFrame(
        {"report_id": np.arange(1, len(points) + 1), "status": statuses},
        geometry=points,
        crs=4326,
    )
    # As stored: the grid each report got from the grids saved now.
    frame["grid_id"] = [_grid_of(p, grids) for p in frame.geometry]
    by_hand = rng.random(len(frame)) < 0.02
    frame["grid_by_hand"] = pd.array(np.where(by_hand, True, None), dtype="boolean")
    frame.loc[by_hand, "grid_id"] = "G7"  # chosen by a person
    return frame


@pytest.fixture
def draft():
    ctx = edit.EditContext.of(community_layer())
    grids = edit.reshape_grid(grids_layer(), "G5", wgs(box(100, 100, 240, 200)), ctx)
    grids = edit.delete_grids(grids, ["G9"])
    # G9's code stays retired, as on the page: the new piece of G1 is G10.
    line = wgs(LineString([(0.5, 30), (99.5, 30)]))
    grids, _ = edit.split_grids(grids, line, ctx, taken=["G9"])
    return grids


def _brute_force(before, after, buildings, reports) -> pd.DataFrame:
    rows: dict[str, dict] = {}

    def add(code, column, value=1):
        if not is_missing(code):
            rows.setdefault(code, dict.fromkeys(COLUMNS, 0))[column] += value

    for grids, when in ((before, "before"), (after, "after")):
        for code in grids["grid_id"]:
            add(str(code), f"households_{when}", 0)
        for point, households in zip(
            buildings.geometry.representative_point(), buildings["households"], strict=True
        ):
            code = _grid_of(point, grids)
            add(code, f"households_{when}", int(households))
            add(code, f"buildings_{when}")
    for _, report in reports.iterrows():
        if report["status"] not in OPEN_STATUSES:
            continue
        add(report["grid_id"], "open_before")
        after_code = _grid_of(report.geometry, after)
        if report["grid_by_hand"] is True and not is_missing(report["grid_id"]):
            after_code = report["grid_id"]
        add(after_code, "open_after")
    table = pd.DataFrame.from_dict(rows, orient="index")[list(COLUMNS)]
    return table.sort_index().rename_axis("grid_id")


def test_the_preview_equals_a_recomputation_from_scratch(draft):
    before = grids_layer()
    buildings = buildings_layer(households={"B52": 120, "B11": 77})
    reports = _reports(before)
    preview = preview_change(before, draft, buildings, reports)
    expected = _brute_force(before, draft, buildings, reports)
    pd.testing.assert_frame_equal(preview.table, expected, check_dtype=False)
    open_ = reports[reports["status"].isin(OPEN_STATUSES)]
    after = [
        r["grid_id"] if r["grid_by_hand"] is True else _grid_of(r.geometry, draft)
        for _, r in open_.iterrows()
    ]
    stored = [None if is_missing(g) else g for g in open_["grid_id"]]
    moved = sum(a != b for a, b in zip(stored, after, strict=True))
    assert preview.open_moved == moved == int(preview.moves["reports"].sum())
    assert preview.unassigned_before == stored.count(None)
    assert preview.unassigned_after == sum(a is None for a in after)
    # The grids that change are those whose figures differ.
    changed = set(preview.changed().index)
    assert {"G1", "G5", "G6", "G9", "G10"} <= changed
    assert "G3" not in changed


def test_no_change_previews_nothing_moving():
    before = grids_layer()
    reports = _reports(before, n=500)
    preview = preview_change(before, before.copy(), buildings_layer(), reports)
    assert preview.open_moved == 0 and preview.moves.empty
    assert preview.changed().empty
    assert (preview.table["households_before"] == 400).all()


def test_headers_follow_the_language(draft):
    preview = preview_change(grids_layer(), draft, buildings_layer(), _reports(grids_layer(), 50))
    shown = preview.display("zh", only_changed=True)
    assert list(shown.columns)[:3] == ["网格", "户数（前）", "户数（后）"]
    assert set(shown["网格"]) == set(preview.changed().index)


def test_origin_is_in_the_utm_zone_of_tianjin():
    assert METRIC.epsg == 32650 and 500_000 < ORIGIN[0] < 600_000
