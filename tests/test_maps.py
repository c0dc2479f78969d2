"""The folium map built from the demo community: content, escaping, no outside hosts."""

from collections import defaultdict

import folium
import pandas as pd
import pytest
from jinja2.utils import htmlsafe_json_dumps
from shapely.geometry import shape

from geo import grid_stats, maps, offline
from geo.demo import build_demo

NOW = "2026-11-01T09:00:00+08:00"


@pytest.fixture(scope="module")
def demo():
    import pandas as pd

    return build_demo(n_reports=1500, seed=7, now=pd.Timestamp(NOW).to_pydatetime())


def _render(demo, **kwargs):
    from geo.assign import assign_reports

    reports = assign_reports(demo["reports"], demo["grids"], demo["buildings"])
    summary = grid_stats.grid_summary(demo["grids"], demo["buildings"], reports, NOW)
    fmap = maps.build_map(demo, summary, reports, **kwargs)
    return fmap, fmap.get_root().render()


def test_map_holds_every_grid_and_the_reports(demo):
    _, page = _render(demo, basemap="none")
    for grid_id in demo["grids"]["grid_id"]:
        assert f'"grid_id": "{grid_id}"' in page
    assert "L.heatLayer" in page or "heatLayer" in page
    assert "markerClusterGroup" in page or "MarkerCluster" in page


def test_no_basemap_means_no_outside_host(demo):
    _, page = _render(demo, basemap="none")
    assert offline.external_urls(page, allowed_hosts=set()) == []


def test_osm_basemap_only_reaches_the_tile_host(demo):
    _, page = _render(demo, basemap="osm")
    assert maps.OSM_TILES_HOST in page
    assert offline.external_urls(page, allowed_hosts={maps.OSM_TILES_HOST}) == []


def test_text_from_people_is_escaped(demo):
    layers = dict(demo)
    grids = demo["grids"].copy()
    grids.loc[grids.index[0], "worker_name"] = "<script>alert('x')</script>"
    layers["grids"] = grids
    _, page = _render(layers, basemap="none")
    assert "<script>alert('x')</script>" not in page
    # Not even in the JSON-encoded form the page's script would turn back into markup.
    assert htmlsafe_json_dumps("<script>alert('x')</script>")[1:-1] not in page
    assert htmlsafe_json_dumps("&lt;script&gt;")[1:-1] in page


def test_selected_grid_is_outlined_on_top_and_zoomed_to(demo):
    fmap, _ = _render(demo, basemap="none", selected_grid="G03")
    children = list(fmap._children.values())
    outlines = [
        c
        for c in children
        if isinstance(c, folium.GeoJson)
        and c.style_function({"properties": defaultdict(str)}).get("color") == maps.SELECTED_EDGE
    ]
    assert len(outlines) == 1
    # Drawn after every other layer but the controls, so no neighbour's edge covers it.
    assert children.index(outlines[0]) > max(
        i for i, c in enumerate(children) if isinstance(c, folium.GeoJson) and c is not outlines[0]
    )
    (feature,) = outlines[0].data["features"]
    g03 = demo["grids"].set_index("grid_id").geometry["G03"]
    # Coordinates are rounded to 1e-6 degrees (about 0.1 m) for the page.
    assert shape(feature["geometry"]).symmetric_difference(g03).area < 1e-3 * g03.area
    (fit,) = [c for c in children if isinstance(c, folium.FitBounds)]
    minx, miny, maxx, maxy = g03.bounds
    (south, west), (north, east) = fit.bounds
    assert (west, south, east, north) == pytest.approx((minx, miny, maxx, maxy))


def test_labels_show_code_and_worker(demo):
    _, page = _render(demo, basemap="none", lang="zh")
    first = demo["grids"].iloc[0]
    label = f"<b>{first['grid_id']}</b><br>{first['worker_name']}"
    assert htmlsafe_json_dumps(label)[1:-1] in page
    assert htmlsafe_json_dumps("网格")[1:-1] in page  # the layer name, in Chinese


def test_every_script_and_style_of_the_map_is_served_by_the_app(demo):
    # What streamlit-folium loads for our map: local files only (and no colormap).
    fmap, _ = _render(demo, basemap="osm")
    js, css = offline.asset_urls(fmap)
    assert js and css
    assert all(offline.vendored_path(url) is not None for url in js + css), js + css


def test_a_hairline_spike_does_not_stop_a_layer_from_being_drawn():
    import geopandas as gpd
    from shapely.geometry import Polygon

    from geo.maps import feature_collection

    # An uploaded grid with a zero-width spike: rounding it to 0.1 m folds the spike.
    spiky = Polygon([(0, 0), (1, 0), (1, 1), (0.5, 1), (0.5, 1.5), (0.5 + 1e-10, 1), (0, 1)])
    frame = gpd.GeoDataFrame({"grid_id": ["G1"]}, geometry=[spiky], crs=4326)
    collection = feature_collection(frame, {"grid_id": ["G1"]})
    assert [f["properties"]["grid_id"] for f in collection["features"]] == ["G1"]


def test_count_classes_have_whole_breaks_and_fractions_keep_one_decimal():
    counts = pd.Series([0, 1, 2, 2, 3, 3, 4, 7, 9, 12], dtype=float)
    breaks = maps.shade_breaks(counts, whole=True)
    assert breaks == [float(int(b)) for b in breaks] and breaks == sorted(set(breaks))
    # Every count falls in the class whose range the legend writes for it.
    for value in counts:
        colour = maps.shade(value, breaks)
        edges = [0.0, *breaks]
        i = maps.SHADES.index(colour)
        assert edges[i] <= value and (i == len(edges) - 1 or value <= edges[i + 1] - 1)
    rates = pd.Series([0.0, 0.4, 1.25, 2.5, 3.3])
    assert all(round(b, 1) == b for b in maps.shade_breaks(rates))


def test_a_click_outline_takes_the_drawn_selection_away(demo):
    fmap, page = _render(demo, basemap="none", selected_grid="G02", outline_on_click=True)
    outlines = [c for c in fmap._children.values() if isinstance(c, maps.OutlineGridOnClick)]
    assert len(outlines) == 1
    outline = outlines[0]
    # The click handler names the grids layer and the server-drawn selection it removes.
    assert f"var grids = {outline.grids.get_name()};" in page
    assert f"{fmap.get_name()}.removeLayer({outline.selection.get_name()});" in page
    assert maps.SELECTED_EDGE in page and "mouseout" in page
    _, plain = _render(demo, basemap="none", outline_on_click=True)
    assert "removeLayer" not in plain  # nothing drawn selected, nothing to take away
    _, without = _render(demo, basemap="none", selected_grid="G02")
    assert "gridmapSelectedGrid" not in without
