"""The grid editor's maps (geo.grids.maps): draw tools served offline, grids editable with
their codes, problems drawn, text from the data escaped."""

from __future__ import annotations

import json
import re

import pytest
from shapely.geometry import box

from geo import map_component, offline
from geo.grids import maps as grid_maps
from geo.grids.validate import validate_grids
from tests.test_grid_validate import buildings_layer, community_layer, grids_layer


@pytest.fixture
def editor():
    grids = grids_layer({5: box(100, 100, 180, 200)})  # a gap east of G5
    grids.loc[0, "name"] = '<img src=x onerror="alert(1)">'
    grids.loc[1, "worker_name"] = "<script>alert(2)</script>"
    validation = validate_grids(grids, community_layer(), buildings_layer())
    fmap = grid_maps.editor_map(
        community_layer(), grids, buildings_layer(), validation, "en", "none", selected="G2"
    )
    return fmap, validation


def test_the_draw_tools_are_served_by_the_app(editor):
    fmap, _ = editor
    js, css = offline.asset_urls(fmap)
    assert any(url.endswith("leaflet-draw/dist/leaflet.draw.js") for url in js)
    assert any(url.endswith("leaflet-draw/dist/leaflet.draw.css") for url in css)
    for url in js + css:
        assert url.startswith(offline.DEFAULT_BASE_URL + "/"), url
    assert offline.missing_vendored_files(fmap) == []
    assert offline.external_urls(fmap.get_root().render()) == []


def test_the_grids_are_in_the_draw_layer_with_their_codes(editor):
    fmap, _ = editor
    prepared = map_component.prepare(fmap)
    script = prepared.script
    # streamlit-folium finds the draw layer as window.drawnItems: our grids' group.
    assert re.search(r"var drawnItems =\s+feature_group_", script)
    assert "layer.feature.properties = {grid_id: p.grid_id}" in script
    for code in ("G1", "G5", "G9"):
        assert f'"grid_id": "{code}"' in script
    assert '"circle": false' in script and '"polyline"' in script


def test_problems_are_drawn_and_text_from_the_data_is_escaped(editor):
    fmap, validation = editor
    html = fmap.get_root().render()
    assert [i.kind for i in validation.errors] == ["gap", "cut_building"]
    assert "A gap of 2,000 m" in html
    assert "<script>alert(2)" not in html and "\\u003cscript\\u003ealert(2)" not in html
    assert "<img src=x" not in html and "\\u003cimg src=x" not in html
    assert "\\u0026lt;script\\u0026gt;alert(2)" in html  # escaped, then JSON-encoded
    assert "#d62728" in html  # the selected grid's outline


def test_a_read_only_map_of_a_version_and_its_changes():
    older = grids_layer()
    newer = grids_layer({5: box(100, 100, 230, 200), 6: box(230, 100, 300, 200)})
    newer = newer[newer["grid_id"] != "G9"]
    fmap = grid_maps.grids_map(
        community_layer(),
        newer,
        "zh",
        colours={"G5": grid_maps.CHANGE_COLOURS["reshaped"]},
        removed=older[older["grid_id"] == "G9"],
        legend=[(grid_maps.CHANGE_COLOURS["reshaped"], "形状改变")],
    )
    html = fmap.get_root().render()
    assert grid_maps.CHANGE_COLOURS["removed"] in html
    assert json.dumps("形状改变")[1:-1] in html  # the legend, JSON-encoded
    assert offline.missing_vendored_files(fmap) == []
