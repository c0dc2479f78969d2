"""The two small maps of the Reports page: placing a new report, and showing one.

Both draw the grids (code and worker as labels) and the buildings, with no report
layer of their own; text from the data is HTML-escaped before it reaches a tooltip
or a label. Scripts come from the app itself (:mod:`geo.offline`, set up by
:mod:`geo.maps`), so the maps work with no internet and "no basemap".
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from geo import maps
from geo.i18n import t

GRID_EDGE = "#1f3b73"
PLACED = "#d62728"
REPORT = "#e6550d"
OTHER = "#6b6b6b"


def _add_grids(fmap, grids: gpd.GeoDataFrame, lang: str, selected: str | None = None) -> None:
    ids = [maps.escape(g) for g in grids["grid_id"]]
    workers = [maps.escape(w) for w in grids["worker_name"]]
    folium.GeoJson(
        maps.feature_collection(grids, {"grid_id": ids, "worker": workers}),
        name=t("map.layer.grids", lang),
        style_function=lambda f: {
            "color": PLACED if f["properties"]["grid_id"] == maps.escape(selected) else GRID_EDGE,
            "weight": 3 if f["properties"]["grid_id"] == maps.escape(selected) else 1.5,
            "fillColor": "#d4e2f4",
            "fillOpacity": 0.25,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["grid_id", "worker"], aliases=[t("tip.grid", lang), t("tip.worker", lang)]
        ),
    ).add_to(fmap)
    for gid, worker, point in zip(ids, workers, grids.geometry.representative_point(), strict=True):
        label = f"<b>{gid}</b><br>{worker}" if worker else f"<b>{gid}</b>"
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(
                html=f'<div class="gridmap-label">{label}</div>',
                icon_size=(90, 30),
                icon_anchor=(45, 15),
                class_name="gridmap-label-icon",
            ),
            interactive=False,
        ).add_to(fmap)
    fmap.get_root().header.add_child(
        folium.Element(
            "<style>.gridmap-label{font:12px/1.2 sans-serif;color:#10284f;text-align:center;"
            "text-shadow:0 0 3px #fff,0 0 3px #fff;pointer-events:none;white-space:nowrap}</style>"
        )
    )


def _add_buildings(fmap, buildings: gpd.GeoDataFrame, lang: str) -> None:
    folium.GeoJson(
        maps.feature_collection(buildings, {"name": [maps.escape(v) for v in buildings["name"]]}),
        name=t("map.layer.buildings", lang),
        style_function=lambda _: {
            "color": "#7f5539",
            "weight": 1,
            "fillColor": "#ddb892",
            "fillOpacity": 0.7,
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=[t("tip.building", lang)]),
    ).add_to(fmap)


def intake_map(
    layers: dict[str, pd.DataFrame], basemap: str = "osm", lang: str = "en", height: int = 480
) -> folium.Map:
    """The map a report is placed on by clicking: grids with their workers, buildings.

    Parameters
    ----------
    layers
        The community's layers (community, grids, buildings).
    basemap
        "osm", or "none" for no tiles (offline).
    lang
        'en' or 'zh'.
    height
        In pixels.

    Returns
    -------
    folium.Map
        Fitted to the community; the marker of the place chosen is added by the page
        (:func:`placed_marker`), so the map keeps its zoom when it moves.
    """
    bounds = layers["community"].total_bounds
    fmap = maps.base_map(bounds, lang, basemap, height, zoom=17, fit=True)
    _add_buildings(fmap, layers["buildings"], lang)
    _add_grids(fmap, layers["grids"], lang)
    return fmap


def placed_marker(lon: float, lat: float, lang: str) -> folium.FeatureGroup:
    """The marker of the place chosen for a new report, as a group st_folium adds."""
    group = folium.FeatureGroup(name=t("reports.map.placed", lang))
    folium.CircleMarker(
        [lat, lon],
        radius=9,
        color="#ffffff",
        weight=2,
        fill=True,
        fill_color=PLACED,
        fill_opacity=0.95,
        tooltip=t("reports.map.placed", lang),
    ).add_to(group)
    return group


def report_map(
    layers: dict[str, pd.DataFrame],
    report: dict,
    others: pd.DataFrame | None = None,
    basemap: str = "osm",
    lang: str = "en",
    height: int = 360,
) -> folium.Map:
    """One report on the map, its grid outlined, nearby reports of ``others`` in grey.

    Parameters
    ----------
    layers
        The community's layers (grids, buildings, community).
    report
        The report (column name to value; ``geometry`` a point).
    others
        Reports to show around it (the possible duplicates, say), with point geometries.
    """
    point = report.get("geometry")
    if point is None or point.is_empty:
        bounds = layers["community"].total_bounds
    else:
        pad = 0.0012  # about a hundred metres around the report
        bounds = (point.x - pad, point.y - pad, point.x + pad, point.y + pad)
    fmap = maps.base_map(bounds, lang, basemap, height, zoom=17, fit=True)
    _add_buildings(fmap, layers["buildings"], lang)
    _add_grids(fmap, layers["grids"], lang, selected=report.get("grid_id"))
    if others is not None:
        for _, row in others.iterrows():
            geom = row.geometry
            if geom is None or geom.is_empty:
                continue
            folium.CircleMarker(
                [geom.y, geom.x],
                radius=6,
                color="#ffffff",
                weight=1,
                fill=True,
                fill_color=OTHER,
                fill_opacity=0.9,
                tooltip=f"#{int(row['report_id'])}",
            ).add_to(fmap)
    if point is not None and not point.is_empty:
        label = f"#{maps.escape(report.get('report_id'))}"
        folium.CircleMarker(
            [point.y, point.x],
            radius=9,
            color="#ffffff",
            weight=2,
            fill=True,
            fill_color=REPORT,
            fill_opacity=0.95,
            tooltip=label,
        ).add_to(fmap)
    return fmap
