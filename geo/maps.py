"""Folium maps of a community: grids, buildings, chargers, drying areas, reports.

Everything a resident or a planner wrote is HTML-escaped before it becomes a
tooltip or a label. Reports are never drawn one GeoJSON feature each: they go to
the browser as a compact coordinate list for the heatmap and the clusters.
Scripts and stylesheets are served by the app itself (see :mod:`geo.offline`).
"""

from __future__ import annotations

import html
import json

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from folium import plugins
from folium.template import Template

from geo import offline
from geo.binning import DEFAULT_CELL_M, bin_points
from geo.i18n import t, t_or

offline.use_local_assets()

BASEMAPS = ("osm", "none")
OSM_TILES_HOST = "tile.openstreetmap.org"
# Sequential blues for grid shading, light to dark (no branca colormap: it pulls d3
# from a CDN inside streamlit-folium).
SHADES = ("#f1f5fb", "#d4e2f4", "#a9c6e8", "#76a3d6", "#4a7fc0", "#2c5d9e")
GRID_EDGE = "#1f3b73"
SELECTED_EDGE = "#d62728"
CHARGER_COLOURS = {"ebike": "#2ca02c", "ev": "#1f77b4", "wheelchair": "#9467bd"}
COORD_DECIMALS = 6  # about 0.1 m: finer only makes the page heavier


def escape(value: object) -> str:
    """HTML-escaped text of a value from the data; empty for a missing value."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value))


def feature_collection(frame: gpd.GeoDataFrame, properties: dict[str, list]) -> dict:
    """A small GeoJSON FeatureCollection: rounded coordinates, escaped text properties."""
    # Pointwise: round each coordinate only; rebuilding topology can fail on hairline
    # spikes of imported polygons, and the browser needs no valid topology to draw.
    geoms = shapely.set_precision(
        np.asarray(frame.geometry.values, dtype=object), 10**-COORD_DECIMALS, mode="pointwise"
    )
    features = []
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(shapely.to_geojson(geom)),
                "properties": {name: values[i] for name, values in properties.items()},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def shade(value: float, breaks: list[float]) -> str:
    """The fill colour of ``value`` among the class ``breaks`` (:func:`shade_breaks`)."""
    return SHADES[int(np.searchsorted(breaks, value, side="right"))]


def shade_breaks(values: pd.Series, whole: bool = False) -> list[float]:
    """Quantile class breaks (at most len(SHADES) classes) for grid shading.

    With ``whole`` (counts), the breaks are whole numbers, so every class holds whole
    values (0–2, 3–4, 5+) and a legend never shows a class like 2–2.4.
    """
    positive = values[values > 0]
    if positive.empty:
        return []
    quantiles = np.quantile(positive, np.linspace(0, 1, len(SHADES))[1:-1])
    rounded = np.ceil(quantiles) if whole else np.round(quantiles, 1)
    return sorted(set(rounded.tolist()))


def report_cells(reports: pd.DataFrame, cell_m: float = DEFAULT_CELL_M) -> list[list[float]]:
    """[[lat, lon, count], ...]: reports binned into cells ``cell_m`` metres wide."""
    cells = bin_points(reports.geometry, cell_m)
    return [
        [round(lat, COORD_DECIMALS), round(lon, COORD_DECIMALS), int(n)]
        for lat, lon, n in cells[["lat", "lon", "count"]].itertuples(index=False)
    ]


class OutlineGridOnClick(MacroElement):
    """Outline, in the browser, the grid under a click anywhere on the map.

    The grid is found by the point, as the server finds it for the card (a click on
    a building or a report inside a grid selects that grid too), so the outline
    needs no round trip and the map is never sent again for a selection. A grid the
    server drew as selected (``selection``, a layer of the map) gives way at the first
    click.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
    var grids = {{ this.grids.get_name() }};
    function inRing(x, y, ring) {
        var inside = false;
        for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
            var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
            if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                inside = !inside;
            }
        }
        return inside;
    }
    function inPolygon(x, y, rings) {
        if (!inRing(x, y, rings[0])) { return false; }
        for (var k = 1; k < rings.length; k++) { if (inRing(x, y, rings[k])) { return false; } }
        return true;
    }
    function covers(geometry, x, y) {
        var polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
        return polygons.some(function (rings) { return inPolygon(x, y, rings); });
    }
    {{ this._parent.get_name() }}.on('click', function (e) {
        var hit = null;
        grids.eachLayer(function (layer) {
            var id = layer.feature.properties.grid_id;
            if (covers(layer.feature.geometry, e.latlng.lng, e.latlng.lat)
                    && (hit === null || id < hit.feature.properties.grid_id)) {
                hit = layer;
            }
        });
        {% if this.selection -%}
        {{ this._parent.get_name() }}.removeLayer({{ this.selection.get_name() }});
        {%- endif %}
        var previous = window.gridmapSelectedGrid;
        if (previous && previous !== hit) {
            previous.setStyle({color: '{{ this.edge }}', weight: 1.5});
        }
        if (hit) {
            hit.setStyle({color: '{{ this.selected }}', weight: 4});
            hit.bringToFront();
        }
        window.gridmapSelectedGrid = hit;
    });
    // A hover highlight resets a grid's style as the mouse leaves: keep the outline.
    grids.on('mouseout', function (e) {
        var layer = e.propagatedFrom || e.layer;
        if (layer && layer === window.gridmapSelectedGrid) {
            layer.setStyle({color: '{{ this.selected }}', weight: 4});
        }
    });
})();
{% endmacro %}
"""
    )

    def __init__(self, grids: folium.GeoJson, selection: folium.GeoJson | None = None) -> None:
        super().__init__()
        self._name = "OutlineGridOnClick"
        self.grids = grids
        self.selection = selection
        self.edge = GRID_EDGE
        self.selected = SELECTED_EDGE


def build_map(
    layers: dict[str, pd.DataFrame],
    summary: pd.DataFrame,
    reports: pd.DataFrame,
    lang: str = "en",
    basemap: str = "osm",
    selected_grid: str | None = None,
    height: int = 640,
    outline_on_click: bool = False,
) -> folium.Map:
    """The community map.

    Parameters
    ----------
    layers : the store's layers (community, grids, buildings, chargers, drying_areas).
    summary : :func:`geo.grid_stats.grid_summary` of the grids, indexed by grid_id.
    reports : the reports to draw (already filtered), with point geometries.
    lang : 'en' or 'zh'.
    basemap : 'osm' for OpenStreetMap tiles, 'none' for no basemap (offline).
    selected_grid : grid_id to outline as selected (and zoom to).
    outline_on_click : outline, in the browser, the grid a click lands in (and take the
        selected grid's outline away), so a page can show a selection without
        sending the map again.
    """
    community = layers["community"]
    fmap = base_map(community, lang, basemap, height)
    minx, miny, maxx, maxy = community.total_bounds
    grids = layers["grids"]
    chosen = grids[grids["grid_id"] == selected_grid] if selected_grid else grids.iloc[:0]
    # Zoom to the selected grid, as dashboards do with a selection; else the whole community.
    if not chosen.empty:
        minx, miny, maxx, maxy = chosen.total_bounds
    fmap.fit_bounds([[miny, minx], [maxy, maxx]], padding=(20, 20))

    add_boundary(fmap, community, lang)
    grid_layer = _add_grids(fmap, grids, summary, lang)
    add_buildings(fmap, layers["buildings"], lang)
    add_chargers(fmap, layers["chargers"], lang)
    add_drying_areas(fmap, layers["drying_areas"], lang)
    add_report_layers(fmap, reports, lang)
    selection = add_selection(fmap, chosen) if not chosen.empty else None
    if outline_on_click:
        OutlineGridOnClick(grid_layer, selection).add_to(fmap)
    plugins.Fullscreen().add_to(fmap)
    # Collapsed to a button (opens on hover or tap): open, it would hide grids and labels.
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


def base_map(
    area: gpd.GeoDataFrame | tuple[float, float, float, float],
    lang: str,
    basemap: str,
    height: int = 640,
    zoom: int = 16,
    fit: bool = False,
    **options: object,
) -> folium.Map:
    """An empty map centred on ``area``, with the chosen basemap (or none).

    Parameters
    ----------
    area
        A layer (its total bounds are used) or (minx, miny, maxx, maxy) in degrees.
    lang, basemap
        The interface language (the tile layer's name) and "osm" or "none".
    height
        In pixels.
    zoom
        The zoom to start at; with ``fit`` the map is fitted to ``area`` instead.
    options
        More Leaflet map options, e.g. ``zoomSnap=0.25`` for a snug fit.
    """
    bounds = area.total_bounds if isinstance(area, gpd.GeoDataFrame) else area
    minx, miny, maxx, maxy = bounds
    fmap = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        height=height,
        # With no tile layer Leaflet has no zoom limit and the cluster plugin refuses to run.
        maxZoom=19,
        **options,
    )
    if basemap == "osm":
        folium.TileLayer("OpenStreetMap", name=t("map.basemap.osm", lang), control=False).add_to(
            fmap
        )
    if fit:
        fmap.fit_bounds([[miny, minx], [maxy, maxx]], padding=(10, 10))
    return fmap


class Legend(MacroElement):
    """Coloured swatches and their labels (escaped) in a corner of the map.

    Parameters
    ----------
    entries
        (colour, label) pairs, top to bottom.
    title
        A heading above them, or None.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
    var legend = L.control({position: "bottomright"});
    legend.onAdd = function () {
        var div = L.DomUtil.create("div", "gridmap-legend");
        div.style.cssText = "background:rgba(255,255,255,.9);padding:6px 8px;"
            + "font:12px/1.4 sans-serif;border-radius:4px;box-shadow:0 0 4px #888";
        div.innerHTML = {{ this.html|tojson }};
        return div;
    };
    legend.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
"""
    )

    def __init__(self, entries: list[tuple[str, str]], title: str | None = None):
        super().__init__()
        self._name = "Legend"
        rows = "".join(
            f'<div><span style="display:inline-block;width:12px;height:12px;margin-right:4px;'
            f'vertical-align:middle;background:{colour};border:1px solid #555"></span>'
            f"{html.escape(label)}</div>"
            for colour, label in entries
        )
        heading = "" if title is None else f"<b>{html.escape(title)}</b>"
        self.html = heading + rows


def add_boundary(fmap: folium.Map, community: gpd.GeoDataFrame, lang: str) -> None:
    """The community boundary as a dashed outline that takes no clicks."""
    folium.GeoJson(
        feature_collection(community, {}),
        name=t("map.layer.boundary", lang),
        style_function=lambda _: {
            "color": "#333333",
            "weight": 2,
            "dashArray": "6 4",
            "fill": False,
        },
        interactive=False,
    ).add_to(fmap)


def _add_grids(fmap, grids, summary, lang) -> folium.GeoJson:
    group = folium.FeatureGroup(name=t("map.layer.grids", lang), show=True)
    ids = grids["grid_id"].astype(str).tolist()
    stats = summary.reindex(ids)
    breaks = shade_breaks(summary["open_per_100_households"])
    props = {
        "grid_id": [escape(g) for g in ids],
        "name": [escape(v) for v in grids["name"]],
        "worker": [escape(v) for v in grids["worker_name"]],
        "households": [int(v) for v in stats["households"].fillna(0)],
        "open": [int(v) for v in stats["open"].fillna(0)],
        "fill": [shade(v, breaks) for v in stats["open_per_100_households"].fillna(0)],
    }

    def style(feature):
        return {
            "color": GRID_EDGE,
            "weight": 1.5,
            "fillColor": feature["properties"]["fill"],
            "fillOpacity": 0.55,
        }

    layer = folium.GeoJson(
        feature_collection(grids, props),
        style_function=style,
        highlight_function=lambda _: {"weight": 3, "fillOpacity": 0.7},
        tooltip=folium.GeoJsonTooltip(
            fields=["grid_id", "name", "worker", "households", "open"],
            aliases=[
                t("tip.grid", lang),
                "",
                t("tip.worker", lang),
                t("tip.households", lang),
                t("tip.open_reports", lang),
            ],
        ),
    )
    layer.add_to(group)
    # Labels: grid code and worker.
    labels = [
        f"<b>{gid}</b><br>{worker}" if worker else f"<b>{gid}</b>"
        for gid, worker in zip(props["grid_id"], props["worker"], strict=True)
    ]
    add_grid_labels(group, grids, labels)
    group.add_to(fmap)
    fmap.get_root().header.add_child(folium.Element(f"<style>{LABEL_CSS}</style>"))
    return layer


# The grid labels' look; pointer-events: none lets a click through to the grid.
LABEL_CSS = (
    ".gridmap-label{font:12px/1.2 sans-serif;color:#10284f;text-align:center;"
    "text-shadow:0 0 3px #fff,0 0 3px #fff;pointer-events:none;white-space:nowrap}"
)


def add_grid_labels(group, grids: gpd.GeoDataFrame, labels: list[str]) -> None:
    """One label per grid (HTML, escaped by the caller), at a point inside the grid."""
    for label, point in zip(labels, grids.geometry.representative_point(), strict=True):
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(
                html=f'<div class="gridmap-label">{label}</div>',
                icon_size=(90, 30),
                icon_anchor=(45, 15),
                class_name="gridmap-label-icon",
            ),
            interactive=False,
        ).add_to(group)


def add_selection(fmap, chosen: gpd.GeoDataFrame) -> folium.GeoJson:
    """The selected grid's outline, drawn last so neighbours' edges do not cover it."""
    return folium.GeoJson(
        feature_collection(chosen, {}),
        control=False,
        interactive=False,
        style_function=lambda _: {"color": SELECTED_EDGE, "weight": 4, "fill": False},
    ).add_to(fmap)


def add_buildings(fmap, buildings, lang) -> None:
    """Building footprints with their facts in a tooltip."""
    yes, no = t("yes", lang), t("no", lang)
    props = {
        "name": [escape(v) for v in buildings["name"]],
        "floors": [escape(v) for v in buildings["floors"]],
        "households": [escape(v) for v in buildings["households"]],
        "year": [escape(v) for v in buildings["year_built"]],
        "elevator": [yes if v is True else no for v in buildings["elevator"].astype(object)],
    }
    folium.GeoJson(
        feature_collection(buildings, props),
        name=t("map.layer.buildings", lang),
        style_function=lambda _: {
            "color": "#7f5539",
            "weight": 1,
            "fillColor": "#ddb892",
            "fillOpacity": 0.8,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=list(props),
            aliases=[
                t("tip.building", lang),
                t("tip.floors", lang),
                t("tip.households", lang),
                t("tip.year", lang),
                t("tip.elevator", lang),
            ],
        ),
    ).add_to(fmap)


def add_chargers(fmap, chargers, lang) -> None:
    """Chargers as dots coloured by kind, with kind, ports and status in a tooltip."""
    kinds = chargers["kind"].astype(str).tolist()
    props = {
        "id": [escape(v) for v in chargers["charger_id"]],
        "kind": [escape(t_or(f"charger.{k}", k, lang)) for k in kinds],
        "ports": [escape(v) for v in chargers["ports"]],
        "status": [escape(t_or(f"charger.{s}", s, lang)) for s in chargers["status"].astype(str)],
        "colour": [CHARGER_COLOURS.get(k, "#555555") for k in kinds],
    }
    folium.GeoJson(
        feature_collection(chargers, props),
        name=t("map.layer.chargers", lang),
        marker=folium.CircleMarker(radius=6, weight=2, fill=True, fill_opacity=0.9),
        style_function=lambda f: {"color": "#ffffff", "fillColor": f["properties"]["colour"]},
        tooltip=folium.GeoJsonTooltip(
            fields=["id", "kind", "ports", "status"],
            aliases=[
                t("tip.charger", lang),
                t("tip.kind", lang),
                t("tip.ports", lang),
                t("tip.status", lang),
            ],
        ),
    ).add_to(fmap)


def add_drying_areas(fmap, areas, lang) -> None:
    """Drying areas (polygons or points) with name and capacity in a tooltip."""
    props = {
        "name": [escape(v) for v in areas["name"]],
        "capacity": [escape(v) for v in areas["capacity"]],
    }
    folium.GeoJson(
        feature_collection(areas, props),
        name=t("map.layer.drying", lang),
        marker=folium.CircleMarker(radius=7, color="#e6a700", fill=True),
        style_function=lambda _: {
            "color": "#e6a700",
            "weight": 2,
            "fillColor": "#ffe066",
            "fillOpacity": 0.7,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "capacity"], aliases=[t("tip.drying", lang), t("tip.capacity", lang)]
        ),
    ).add_to(fmap)


# Each cell becomes one marker carrying its report count; clusters add the counts up.
_CELL_MARKER_JS = """
function (row) {
    var n = row[2];
    var size = n < 10 ? 'small' : (n < 100 ? 'medium' : 'large');
    return L.marker(new L.LatLng(row[0], row[1]), {
        reports: n,
        icon: L.divIcon({
            html: '<div><span>' + n + '</span></div>',
            className: 'marker-cluster marker-cluster-' + size,
            iconSize: new L.Point(34, 34)
        })
    });
}
"""
_CLUSTER_ICON_JS = """
function (cluster) {
    var n = 0;
    cluster.getAllChildMarkers().forEach(function (m) { n += m.options.reports; });
    var size = n < 10 ? 'small' : (n < 100 ? 'medium' : 'large');
    return L.divIcon({
        html: '<div><span>' + n + '</span></div>',
        className: 'marker-cluster marker-cluster-' + size,
        iconSize: new L.Point(40, 40)
    });
}
"""


def add_report_layers(fmap, reports, lang) -> None:
    """Reports as a heatmap and as clusters (hidden at first), both from binned cells."""
    cells = report_cells(reports)
    counts = [c[2] for c in cells]
    plugins.HeatMap(
        cells,
        name=t("map.layer.heatmap", lang),
        radius=14,
        blur=18,
        min_opacity=0.3,
        show=True,
        # Full colour from a busy cell on, not from the single busiest one.
        max=float(np.quantile(counts, 0.95)) if counts else 1.0,
    ).add_to(fmap)
    # FastMarkerCluster ignores show=False, so it sits in a group that starts hidden.
    clusters = folium.FeatureGroup(name=t("map.layer.clusters", lang), show=False)
    plugins.FastMarkerCluster(
        cells, callback=_CELL_MARKER_JS, icon_create_function=_CLUSTER_ICON_JS, control=False
    ).add_to(clusters)
    clusters.add_to(fmap)
