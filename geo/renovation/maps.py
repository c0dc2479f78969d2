"""The Buildings page's folium maps: priority, hotspots, and facility coverage.

Each map starts from the community's outline (no basemap, or OpenStreetMap) and
draws the buildings shaded by what the view is about, with a legend drawn as HTML
(a branca colormap would pull d3 from a CDN, see :mod:`geo.offline`). Everything
from the data is HTML-escaped before it reaches a tooltip. Reports go to the
heatmap as binned cells (:func:`geo.maps.report_cells`), never one feature each.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium import plugins

from geo import maps as community_maps
from geo import offline
from geo.i18n import t
from geo.maps import escape, feature_collection
from geo.renovation import coverage

offline.use_local_assets()  # plugins.Draw included: it is imported with folium.plugins

# Light to dark: lowest to highest priority (fifths of the ranking).
PRIORITY_COLOURS = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#e6550d", "#a63603")
HOT, COLD = "#d7301f", "#2b8cbe"
COVERED, UNCOVERED = "#74c476", "#fd8d3c"
SITE_COLOUR = "#6a3d9a"
SELECTED_EDGE = "#1f5fd6"
BUILDING_EDGE = "#5b3a1e"


def base_map(layers: dict, basemap: str, lang: str, height: int = 600) -> folium.Map:
    """A map fitted to the community with its dashed outline, and no tiles unless OSM."""
    community = layers["community"]
    # zoomSnap: fit the community snugly rather than to the next whole zoom.
    fmap = community_maps.base_map(community, lang, basemap, height, fit=True, zoomSnap=0.25)
    community_maps.add_boundary(fmap, community, lang)
    return fmap


def _finish(fmap: folium.Map) -> folium.Map:
    plugins.Fullscreen().add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


def _add_facilities(
    fmap, layers: dict, lang: str, show: bool = True, which=("chargers", "drying_areas")
) -> None:
    if "chargers" in which:
        _add_chargers(fmap, layers["chargers"], lang, show)
    if "drying_areas" in which:
        _add_drying(fmap, layers["drying_areas"], lang, show)


def _add_chargers(fmap, chargers: gpd.GeoDataFrame, lang: str, show: bool) -> None:
    group = folium.FeatureGroup(name=t("map.layer.chargers", lang), show=show)
    props = {
        "id": [escape(v) for v in chargers["charger_id"]],
        "kind": [escape(v) for v in chargers["kind"]],
        "status": [escape(v) for v in chargers["status"]],
        "colour": [community_maps.CHARGER_COLOURS.get(k, "#555555") for k in chargers["kind"]],
    }
    folium.GeoJson(
        feature_collection(chargers, props),
        marker=folium.CircleMarker(radius=6, weight=2, fill=True, fill_opacity=0.9),
        style_function=lambda f: {"color": "#ffffff", "fillColor": f["properties"]["colour"]},
        tooltip=folium.GeoJsonTooltip(
            fields=["id", "kind", "status"],
            aliases=[t("tip.charger", lang), t("tip.kind", lang), t("tip.status", lang)],
        ),
    ).add_to(group)
    group.add_to(fmap)


def _add_drying(fmap, areas: gpd.GeoDataFrame, lang: str, show: bool) -> None:
    group = folium.FeatureGroup(name=t("map.layer.drying", lang), show=show)
    folium.GeoJson(
        feature_collection(areas, {"name": [escape(v) for v in areas["name"]]}),
        marker=folium.CircleMarker(radius=7, color="#e6a700", fill=True),
        style_function=lambda _: {
            "color": "#e6a700",
            "weight": 2,
            "fillColor": "#ffe066",
            "fillOpacity": 0.8,
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=[t("tip.drying", lang)]),
    ).add_to(group)
    group.add_to(fmap)


def _add_selected(fmap, buildings: gpd.GeoDataFrame, selected: str | None) -> None:
    chosen = buildings[buildings["building_id"].astype(str) == str(selected)] if selected else None
    if chosen is None or chosen.empty:
        return
    folium.GeoJson(
        feature_collection(chosen, {}),
        control=False,
        interactive=False,
        style_function=lambda _: {"color": SELECTED_EDGE, "weight": 4, "fill": False},
    ).add_to(fmap)


def priority_map(
    layers: dict,
    ranked: pd.DataFrame,
    classes: pd.Series,
    lang: str,
    basemap: str = "none",
    selected: str | None = None,
    height: int = 600,
) -> folium.Map:
    """Buildings coloured by their place in the priority ranking; click one for its card.

    Parameters
    ----------
    layers
        The community's layers.
    ranked
        :func:`geo.renovation.priority.rank`, indexed by building_id.
    classes
        :func:`geo.renovation.priority.score_classes` of its ranks.
    lang, basemap
        Language, and ``"osm"`` or ``"none"``.
    selected
        The building to outline.
    """
    fmap = base_map(layers, basemap, lang, height)
    buildings = layers["buildings"]
    ids = buildings["building_id"].astype(str).tolist()
    rows = ranked.reindex(ids)
    cls = classes.reindex(ids).fillna(0).astype(int)
    props = {
        "building": [escape(b) for b in ids],
        "name": [escape(v) for v in buildings["name"]],
        "rank": [int(v) if not pd.isna(v) else "" for v in rows["rank"]],
        "score": [f"{v:.1f}" if not pd.isna(v) else "" for v in rows["score"]],
        "needs": [int(v) if not pd.isna(v) else 0 for v in rows["needs"]],
        "fill": [PRIORITY_COLOURS[c] for c in cls],
    }
    folium.GeoJson(
        feature_collection(buildings, props),
        name=t("map.layer.buildings", lang),
        style_function=lambda f: {
            "color": BUILDING_EDGE,
            "weight": 1,
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.9,
        },
        highlight_function=lambda _: {"weight": 3},
        tooltip=folium.GeoJsonTooltip(
            fields=["building", "name", "rank", "score", "needs"],
            aliases=[
                t("tip.building", lang),
                "",
                t("buildings.col.rank", lang),
                t("buildings.col.score", lang),
                t("buildings.col.needs", lang),
            ],
        ),
    ).add_to(fmap)
    _add_facilities(fmap, layers, lang, show=False)
    _add_selected(fmap, buildings, selected)
    labels = [t("buildings.legend.band", lang, a=20 * i, b=20 * (i + 1)) for i in range(5)]
    community_maps.Legend(
        title=t("buildings.legend.priority", lang),
        entries=list(zip(PRIORITY_COLOURS[::-1], labels, strict=True)),
    ).add_to(fmap)
    return _finish(fmap)


def hotspot_map(
    layers: dict,
    result,
    reports: pd.DataFrame,
    lang: str,
    basemap: str = "none",
    height: int = 600,
) -> folium.Map:
    """The heatmap of ``reports`` with the significant hot and cold units on top.

    Parameters
    ----------
    layers
        The community's layers.
    result
        :class:`geo.renovation.hotspots.Hotspots` of the same reports.
    reports
        The reports of the chosen period and categories.
    """
    fmap = base_map(layers, basemap, lang, height)
    buildings = layers["buildings"]
    folium.GeoJson(
        feature_collection(buildings, {"name": [escape(v) for v in buildings["name"]]}),
        name=t("map.layer.buildings", lang),
        style_function=lambda _: {
            "color": BUILDING_EDGE,
            "weight": 1,
            "fillColor": "#e8e0d8",
            "fillOpacity": 0.6,
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=[t("tip.building", lang)]),
    ).add_to(fmap)
    cells = community_maps.report_cells(reports) if len(reports) else []
    if cells:
        counts = [c[2] for c in cells]
        plugins.HeatMap(
            cells,
            name=t("map.layer.heatmap", lang),
            radius=14,
            blur=18,
            min_opacity=0.3,
            max=float(np.quantile(counts, 0.95)),
        ).add_to(fmap)
    units = result.units[result.units["significant"]]
    if len(units):
        props = {
            "hotspot": [escape(v) for v in units["hotspot"]],
            "kind": [
                t("buildings.kind.hot" if k == "hot" else "buildings.kind.cold", lang)
                for k in units["kind"]
            ],
            "reports": [int(v) for v in units["reports"]],
            "z": [f"{v:.2f}" for v in units["z"]],
            "p": [f"{v:.4f}" for v in units["p"]],
            "fill": [HOT if k == "hot" else COLD for k in units["kind"]],
        }
        folium.GeoJson(
            feature_collection(units, props),
            name=t("buildings.layer.hotspots", lang),
            style_function=lambda f: {
                "color": f["properties"]["fill"],
                "weight": 2,
                "fillColor": f["properties"]["fill"],
                "fillOpacity": 0.35,
            },
            tooltip=folium.GeoJsonTooltip(
                fields=["hotspot", "kind", "reports", "z", "p"],
                aliases=[
                    t("buildings.col.hotspot", lang),
                    t("buildings.col.kind", lang),
                    t("buildings.col.reports", lang),
                    "z",
                    "p",
                ],
            ),
        ).add_to(fmap)
    community_maps.Legend(
        title=t("buildings.legend.hotspots", lang),
        entries=[(HOT, t("buildings.kind.hot", lang)), (COLD, t("buildings.kind.cold", lang))],
    ).add_to(fmap)
    return _finish(fmap)


def coverage_map(
    layers: dict,
    table: pd.DataFrame,
    facility: str,
    facilities: gpd.GeoDataFrame,
    radius_m: float,
    lang: str,
    basemap: str = "none",
    sites: gpd.GeoDataFrame | None = None,
    candidates: gpd.GeoSeries | None = None,
    draw: bool = True,
    height: int = 600,
) -> folium.Map:
    """Buildings covered or not by the facilities, their reach, and suggested sites.

    Parameters
    ----------
    layers
        The community's layers.
    table
        :func:`geo.renovation.coverage.coverage_table` of the buildings.
    facility
        ``"chargers"`` or ``"drying_areas"``: the layer drawn.
    facilities
        The facilities counted, the only ones drawn; the ground within ``radius_m`` metres
        of them is shaded.
    sites
        Suggested new sites (:func:`geo.renovation.coverage.suggest_sites`).
    candidates
        Candidate sites, shown as small grey dots.
    draw
        Offer the draw tool (markers only) for candidate sites of one's own.
    """
    fmap = base_map(layers, basemap, lang, height)
    buildings = layers["buildings"]
    rows = table.reindex(buildings.index)
    props = {
        "building": [escape(v) for v in buildings["building_id"]],
        "name": [escape(v) for v in buildings["name"]],
        "households": [int(v) for v in rows["households"]],
        "distance": [
            f"{v:.0f} m" if np.isfinite(v) else t("none", lang) for v in rows["distance_m"]
        ],
        "fill": [COVERED if c else UNCOVERED for c in rows["covered"]],
    }
    folium.GeoJson(
        feature_collection(buildings, props),
        name=t("map.layer.buildings", lang),
        style_function=lambda f: {
            "color": BUILDING_EDGE,
            "weight": 1,
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.85,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["building", "name", "households", "distance"],
            aliases=[
                t("tip.building", lang),
                "",
                t("tip.households", lang),
                t("buildings.col.distance_m", lang),
            ],
        ),
    ).add_to(fmap)
    if len(facilities):
        # The exact reach: everything within the radius of a facility, buffered in metres.
        epsg = coverage.metric_epsg(layers)
        area = shapely.union_all(shapely.buffer(coverage.to_metric(facilities, epsg), radius_m))
        folium.GeoJson(
            feature_collection(gpd.GeoDataFrame(geometry=coverage.from_metric([area], epsg)), {}),
            name=t("buildings.layer.reach", lang, m=int(radius_m)),
            style_function=lambda _: {
                "color": "#555555",
                "weight": 1,
                "dashArray": "4 4",
                "fillColor": "#74c476",
                "fillOpacity": 0.08,
            },
            interactive=False,
        ).add_to(fmap)
    _add_facilities(fmap, {**layers, facility: facilities}, lang, which=(facility,))
    if candidates is not None and len(candidates):
        group = folium.FeatureGroup(name=t("buildings.layer.candidates", lang), show=True)
        for point in candidates:
            folium.CircleMarker(
                [point.y, point.x], radius=2, color="#777777", fill=True, weight=1
            ).add_to(group)
        group.add_to(fmap)
    if sites is not None and len(sites):
        group = folium.FeatureGroup(name=t("buildings.layer.sites", lang))
        for site, households, point in zip(
            sites["site"], sites["households"], sites.geometry, strict=True
        ):
            folium.Circle(
                [point.y, point.x],
                radius=float(radius_m),
                color=SITE_COLOUR,
                weight=2,
                fill=True,
                fill_opacity=0.08,
                interactive=False,
            ).add_to(group)
            folium.Marker(
                [point.y, point.x],
                icon=folium.DivIcon(
                    html=f'<div class="gridmap-site" style="background:{SITE_COLOUR};color:#fff;'
                    "border-radius:50%;width:24px;height:24px;line-height:24px;"
                    f'text-align:center;font:bold 12px sans-serif">{int(site)}</div>',
                    icon_size=(24, 24),
                    icon_anchor=(12, 12),
                ),
                tooltip=html.escape(
                    t("buildings.site_tip", lang, site=int(site), n=int(households))
                ),
            ).add_to(group)
        group.add_to(fmap)
    if draw:
        plugins.Draw(
            export=False,
            position="topleft",
            draw_options={
                "polyline": False,
                "polygon": False,
                "rectangle": False,
                "circle": False,
                "circlemarker": False,
                "marker": True,
            },
            edit_options={"edit": False, "remove": True},
        ).add_to(fmap)
    community_maps.Legend(
        title=t("buildings.legend.coverage", lang, m=int(radius_m)),
        entries=[
            (COVERED, t("buildings.legend.covered", lang)),
            (UNCOVERED, t("buildings.legend.uncovered", lang)),
            (SITE_COLOUR, t("buildings.legend.site", lang)),
        ],
    ).add_to(fmap)
    return _finish(fmap)
