"""The Buildings page's maps: served offline (the Draw plugin too), text escaped."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from folium import plugins

from geo import offline
from geo.renovation import coverage, hotspots, needs, priority
from geo.renovation import maps as renovation_maps

NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def layers(demo_layers):
    buildings = demo_layers["buildings"].copy()
    buildings.loc[buildings.index[0], "name"] = "<script>alert(1)</script>楼"
    return dict(demo_layers, buildings=buildings)


@pytest.fixture(scope="module")
def maps(layers):
    facts = needs.building_facts(layers, NOW)
    ranked = priority.rank(facts, needs.derive_needs(facts))
    classes = priority.score_classes(ranked["rank"])
    result = hotspots.find_hotspots(layers["reports"], layers)
    epsg = coverage.metric_epsg(layers)
    drying = coverage.facilities_of(layers, "drying_areas")
    table = coverage.coverage_table(layers["buildings"], drying, 100, epsg)
    candidates = coverage.candidate_sites(layers["community"], layers["buildings"], epsg)
    sites = coverage.suggest_sites(layers["buildings"], table, candidates, 100, 2, epsg)
    return {
        "priority": renovation_maps.priority_map(layers, ranked, classes, "en", "none", "B07"),
        "hotspots": renovation_maps.hotspot_map(layers, result, layers["reports"], "zh", "none"),
        "coverage": renovation_maps.coverage_map(
            layers, table, "drying_areas", drying, 100, "en", "none", sites, candidates[:5]
        ),
    }


@pytest.mark.parametrize("name", ["priority", "hotspots", "coverage"])
def test_maps_load_nothing_from_outside(maps, name):
    fmap = maps[name]
    html = fmap.get_root().render()
    assert offline.external_urls(html) == []
    js, css = offline.asset_urls(fmap)  # also refuses a colormap
    for url in js + css:
        assert url.startswith(offline.DEFAULT_BASE_URL + "/"), url


def test_the_draw_plugin_is_served_from_the_vendored_npm_package(maps):
    js, css = offline.asset_urls(maps["coverage"])
    assert f"{offline.DEFAULT_BASE_URL}/leaflet-draw/dist/leaflet.draw.js" in js
    assert f"{offline.DEFAULT_BASE_URL}/leaflet-draw/dist/leaflet.draw.css" in css
    assert "plugins.Draw" not in " ".join(offline.dropped_assets())
    names = {name for name, _ in plugins.Draw.default_js + plugins.Draw.default_css}
    assert names <= set(offline.LOCAL_ASSETS)


def test_the_draw_files_are_on_disk_when_the_assets_are_built(maps):
    if not (offline.VENDOR_DIR / "leaflet").is_dir():
        pytest.skip("static/vendor is not built (make assets)")
    assert offline.missing_vendored_files(maps["coverage"]) == []


def test_names_from_the_data_are_escaped(maps):
    html = maps["priority"].get_root().render()
    assert "<script>alert(1)" not in html
    assert "\\u0026lt;script\\u0026gt;alert(1)" in html  # escaped, then JSON-encoded


def test_priority_map_outlines_the_selected_building_and_has_a_legend(maps):
    html = maps["priority"].get_root().render()
    assert renovation_maps.SELECTED_EDGE in html
    assert 'create("div", "gridmap-legend")' in html and "top 0" in html
