"""The grid editor's maps: the draft with its problems and the draw tools, versions, proposals.

The draft's grids are put in the draw plugin's own layer (``folium.plugins.Draw``
with a ``feature_group``), each with its ``grid_id``, so the edit tool moves their
vertices and the delete tool removes them; streamlit-folium then returns every shape
of that layer (``all_drawings``) for :func:`geo.grids.edit.apply_drawings`. Problems
found by :mod:`geo.grids.validate` are drawn over them. Text from the data is
HTML-escaped before it reaches a tooltip or a label; scripts and styles are served
by the app (:mod:`geo.offline`).
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from folium import plugins
from folium.template import Template

from geo import maps, model, offline
from geo.grids.validate import ERROR, Validation
from geo.i18n import t

offline.use_local_assets()

EDGE = "#1f3b73"
SELECTED = "#d62728"
FILL_LOW, FILL_OK, FILL_HIGH = "#fdd49e", "#c6dbef", "#d4b9da"
PROBLEM = {"error": "#e31a1c", "warning": "#ff7f00"}
CHANGE_COLOURS = {
    "added": "#33a02c",
    "reshaped": "#ff7f00",
    "details": "#1f78b4",
    "same": "#c6dbef",
    "removed": "#e31a1c",
}
_LABEL_CSS = (
    "<style>.gridmap-label{font:12px/1.2 sans-serif;color:#10284f;text-align:center;"
    "text-shadow:0 0 3px #fff,0 0 3px #fff;pointer-events:none;white-space:nowrap}</style>"
)


class EditableGrids(MacroElement):
    """Grids added one layer each to a feature group (the draw plugin's), keeping their
    ``grid_id`` in the layer's GeoJSON, with a style and an escaped tooltip each."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
    L.geoJSON({{ this.data|tojson }}, {
        style: function (f) { return f.properties.style; }
    }).eachLayer(function (layer) {
        var p = layer.feature.properties;
        layer.bindTooltip(p.tip, {sticky: true});
        layer.feature.properties = {grid_id: p.grid_id};
        {{ this._parent.get_name() }}.addLayer(layer);
    });
})();
{% endmacro %}
"""
    )

    def __init__(self, data: dict):
        super().__init__()
        self._name = "EditableGrids"
        self.data = data


def _map(community: gpd.GeoDataFrame, grids: gpd.GeoDataFrame, lang, basemap, height):
    fmap = maps.base_map(community, lang, basemap, height, zoomSnap=0.25, zoomDelta=0.5)
    frame = community if len(community) else grids
    if len(frame):
        minx, miny, maxx, maxy = frame.total_bounds
        fmap.fit_bounds([[miny, minx], [maxy, maxx]], padding=(10, 10))
    if len(community):
        maps.add_boundary(fmap, community, lang)
    return fmap


def _fill(households: int, validation: Validation) -> str:
    if households < validation.rules.min_households:
        return FILL_LOW
    return FILL_HIGH if households > validation.rules.max_households else FILL_OK


def _labels(fmap, grids: gpd.GeoDataFrame, texts: list[str], name: str) -> None:
    group = folium.FeatureGroup(name=name, show=True)
    for text, point in zip(texts, grids.geometry.representative_point(), strict=True):
        if point is None or point.is_empty:
            continue
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(
                html=f'<div class="gridmap-label">{text}</div>',
                icon_size=(90, 30),
                icon_anchor=(45, 15),
                class_name="gridmap-label-icon",
            ),
            interactive=False,
        ).add_to(group)
    group.add_to(fmap)
    fmap.get_root().header.add_child(folium.Element(_LABEL_CSS))


def _usable(grids: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    geoms = grids.geometry
    return grids[(geoms.notna() & ~geoms.is_empty).to_numpy()]


def editor_map(
    community: gpd.GeoDataFrame,
    draft: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    validation: Validation,
    lang: str,
    basemap: str = "none",
    selected: str | None = None,
    height: int = 620,
) -> folium.Map:
    """The draft with its problems, and the draw tools (polygon, rectangle, line, edit, delete).

    Parameters
    ----------
    community, buildings
        The community's boundary and footprints.
    draft
        The grids being edited.
    validation
        :func:`geo.grids.validate.validate_grids` of the draft.
    selected
        A grid to outline.
    """
    fmap = _map(community, draft, lang, basemap, height)
    maps.add_buildings(fmap, model.conform("buildings", buildings), lang)
    grids = _usable(model.conform("grids", draft.reset_index(drop=True)))
    codes = [str(c) for c in grids["grid_id"]]
    households = [int(validation.households.get(c, 0)) for c in codes]
    errors = {g for i in validation.errors for g in i.grids}
    props = {
        "grid_id": codes,
        "tip": [
            f"<b>{maps.escape(c)}</b> {maps.escape(n)}<br>"
            f"{html.escape(t('tip.households', lang))}: {h}<br>"
            f"{html.escape(t('tip.worker', lang))}: {maps.escape(w)}"
            for c, n, h, w in zip(
                codes, grids["name"], households, grids["worker_name"], strict=True
            )
        ],
        "style": [
            {
                "color": SELECTED if c == selected else PROBLEM[ERROR] if c in errors else EDGE,
                "weight": 4 if c == selected else 2,
                "fillColor": _fill(h, validation),
                "fillOpacity": 0.45,
            }
            for c, h in zip(codes, households, strict=True)
        ],
    }
    editable = folium.FeatureGroup(name=t("grids.map.layer.grids", lang), show=True)
    # leaflet-draw edits the corners of a Polygon, not of a MultiPolygon: one-part grids
    # go as Polygons (a grid of several parts can be deleted or split, not reshaped).
    single = grids.set_geometry(
        [
            g.geoms[0] if g.geom_type == "MultiPolygon" and len(g.geoms) == 1 else g
            for g in grids.geometry
        ]
    )
    EditableGrids(maps.feature_collection(single, props)).add_to(editable)
    editable.add_to(fmap)
    _problems(fmap, validation, lang)
    _labels(
        fmap,
        grids,
        [f"<b>{maps.escape(c)}</b><br>{h}" for c, h in zip(codes, households, strict=True)],
        t("grids.map.layer.labels", lang),
    )
    plugins.Draw(
        export=False,
        feature_group=editable,
        position="topleft",
        show_geometry_on_click=False,
        draw_options={
            "polygon": {"allowIntersection": False, "showArea": False},
            "rectangle": {"showArea": False},
            "polyline": {"shapeOptions": {"color": SELECTED}},
            "circle": False,
            "circlemarker": False,
            "marker": False,
        },
        edit_options={"edit": True, "remove": True},
    ).add_to(fmap)
    rules = validation.rules
    maps.Legend(
        [
            (FILL_LOW, t("grids.legend.low", lang, min=rules.min_households)),
            (
                FILL_OK,
                t("grids.legend.ok", lang, min=rules.min_households, max=rules.max_households),
            ),
            (FILL_HIGH, t("grids.legend.high", lang, max=rules.max_households)),
            (PROBLEM[ERROR], t("grids.legend.error", lang)),
            (PROBLEM["warning"], t("grids.legend.warning", lang)),
        ]
    ).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


def _problems(fmap, validation: Validation, lang: str) -> None:
    """Overlaps, gaps, slivers, cut buildings and the like, each with its message."""
    group = folium.FeatureGroup(name=t("grids.map.layer.problems", lang), show=True)
    shaped = [i for i in validation.issues if i.shape is not None]
    if shaped:
        frame = gpd.GeoDataFrame(geometry=[i.shape for i in shaped], crs="EPSG:4326")
        props = {
            "message": [html.escape(i.message(lang, validation.rules)) for i in shaped],
            "colour": [PROBLEM[i.severity] for i in shaped],
        }
        folium.GeoJson(
            maps.feature_collection(frame, props),
            style_function=lambda f: {
                "color": f["properties"]["colour"],
                "weight": 3,
                "fillColor": f["properties"]["colour"],
                "fillOpacity": 0.55,
            },
            tooltip=folium.GeoJsonTooltip(fields=["message"], labels=False),
        ).add_to(group)
    for issue in validation.issues:
        if issue.shape is None and issue.where is not None:
            folium.CircleMarker(
                [issue.where[1], issue.where[0]],
                radius=8,
                color=PROBLEM[issue.severity],
                weight=3,
                fill=True,
                tooltip=html.escape(issue.message(lang, validation.rules)),
            ).add_to(group)
    group.add_to(fmap)


def grids_map(
    community: gpd.GeoDataFrame,
    grids: gpd.GeoDataFrame,
    lang: str,
    basemap: str = "none",
    colours: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    removed: gpd.GeoDataFrame | None = None,
    legend: list[tuple[str, str]] | None = None,
    height: int = 520,
) -> folium.Map:
    """A read-only map of a set of grids: a version, a comparison, a proposal.

    Parameters
    ----------
    colours
        Fill colour per grid code (default a light blue).
    labels
        Label per grid code (escaped here; default the code).
    removed
        Grids drawn as dashed red outlines (those a later version no longer has).
    legend
        (colour, label) pairs.
    """
    fmap = _map(community, grids, lang, basemap, height)
    grids = _usable(model.conform("grids", grids.reset_index(drop=True)))
    codes = [str(c) for c in grids["grid_id"]]
    colours = colours or {}
    props = {
        "grid": [maps.escape(c) for c in codes],
        "name": [maps.escape(v) for v in grids["name"]],
        "worker": [maps.escape(v) for v in grids["worker_name"]],
        "fill": [colours.get(c, FILL_OK) for c in codes],
    }
    folium.GeoJson(
        maps.feature_collection(grids, props),
        name=t("grids.map.layer.grids", lang),
        style_function=lambda f: {
            "color": EDGE,
            "weight": 1.5,
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.55,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["grid", "name", "worker"],
            aliases=[t("tip.grid", lang), "", t("tip.worker", lang)],
        ),
    ).add_to(fmap)
    if removed is not None and len(removed):
        folium.GeoJson(
            maps.feature_collection(_usable(removed), {}),
            name=t("grids.change.removed", lang),
            style_function=lambda _: {
                "color": CHANGE_COLOURS["removed"],
                "weight": 2,
                "dashArray": "6 4",
                "fill": False,
            },
            interactive=False,
        ).add_to(fmap)
    shown = labels or {}
    _labels(
        fmap,
        grids,
        [shown.get(c) or f"<b>{maps.escape(c)}</b>" for c in codes],
        t("grids.map.layer.labels", lang),
    )
    if legend:
        maps.Legend(legend).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


def label_with(codes: pd.Index | list, values: pd.Series) -> dict[str, str]:
    """Labels "code / value" (escaped) for :func:`grids_map`."""
    return {str(c): f"<b>{maps.escape(c)}</b><br>{maps.escape(values.get(c, ''))}" for c in codes}
