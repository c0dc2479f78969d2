"""The Overview page's map: grids shaded by open work, the period's heatmap, overdue reports.

The map is built once per data version and set of filters and then reused as it is,
so its HTML does not change when the secretary clicks a grid: Streamlit sends an
unchanged element as a short reference, and the browser keeps the map it has drawn.
The clicked grid is outlined by the map itself (a click handler in the page), not by
rebuilding the map; a grid chosen in the table, or named in a link, is drawn outlined
on a map built for it.
"""

from __future__ import annotations

import hashlib

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from folium import plugins

from geo import maps
from geo.categories import category_name
from geo.i18n import t

METRICS = ("open", "open_per_100_households")
WHOLE_METRICS = ("open",)  # counts: whole-number classes in the legend
OVERDUE_COLOUR = "#c62828"
# The heat spots are HEAT_RADIUS_PX wide, about 30 m at the zoom the community fits:
# cells of 8 m look the same and, with 100,000 reports, make the map about 100 KB
# lighter to send and parse than the 4 m cells of the Map page.
HEAT_RADIUS_PX = 14
HEAT_CELL_M = 8.0


def build_overview_map(
    layers: dict[str, pd.DataFrame],
    league: pd.DataFrame,
    period_reports: pd.DataFrame,
    overdue_reports: pd.DataFrame,
    metric: str,
    lang: str,
    basemap: str = "osm",
    categories: pd.DataFrame | None = None,
    tz: str = "Asia/Shanghai",
    height: int = 560,
    selected_grid: str | None = None,
) -> folium.Map:
    """The overview map.

    Parameters
    ----------
    layers
        The community's layers (community, grids, buildings, chargers, drying_areas).
    league
        :func:`geo.overview.grid_league`, indexed by grid_id: the figures grids are
        shaded and labelled by.
    period_reports
        The reports of the period and filters, for the heatmap.
    overdue_reports
        The overdue reports, each drawn as a marker (they are few).
    metric
        "open" or "open_per_100_households": what the grid shading shows.
    selected_grid
        The grid drawn outlined (one chosen in the table or named in a link); a click
        on the map outlines its own grid in the browser instead.
    """
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}")
    community = layers["community"]
    fmap = maps.base_map(community, lang, basemap, height)
    minx, miny, maxx, maxy = community.total_bounds
    fmap.fit_bounds([[miny, minx], [maxy, maxx]], padding=(20, 20))
    maps.add_boundary(fmap, community, lang)
    grids = layers["grids"]
    grid_layer, breaks = _add_grids(fmap, grids, league, metric, lang)
    maps.add_buildings(fmap, layers["buildings"], lang)
    maps.add_chargers(fmap, layers["chargers"], lang)
    maps.add_drying_areas(fmap, layers["drying_areas"], lang)
    _add_heatmap(fmap, period_reports, lang)
    _add_overdue(fmap, overdue_reports, lang, categories, tz)
    _add_legend(fmap, breaks, metric, lang)
    chosen = grids[grids["grid_id"] == selected_grid] if selected_grid else grids.iloc[:0]
    selection = maps.add_selection(fmap, chosen) if not chosen.empty else None
    maps.OutlineGridOnClick(grid_layer, selection).add_to(fmap)
    plugins.Fullscreen().add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


def _add_grids(
    fmap, grids: gpd.GeoDataFrame, league, metric, lang
) -> tuple[folium.GeoJson, list[float]]:
    ids = grids["grid_id"].astype(str).tolist()
    stats = league.reindex(ids)
    values = stats[metric].fillna(0).astype(float)
    breaks = maps.shade_breaks(league[metric].astype(float), whole=metric in WHOLE_METRICS)
    props = {
        "grid_id": [maps.escape(g) for g in ids],
        "name": [maps.escape(v) for v in grids["name"]],
        "worker": [maps.escape(v) for v in grids["worker_name"]],
        "households": [int(v) for v in stats["households"].fillna(0)],
        "open": [int(v) for v in stats["open"].fillna(0)],
        "overdue": [int(v) for v in stats["overdue"].fillna(0)],
        "per100": [float(v) for v in stats["open_per_100_households"].fillna(0)],
        "fill": [maps.shade(v, breaks) for v in values],
    }
    group = folium.FeatureGroup(name=t("map.layer.grids", lang), show=True)
    layer = folium.GeoJson(
        maps.feature_collection(grids, props),
        style_function=lambda feature: {
            "color": maps.GRID_EDGE,
            "weight": 1.5,
            "fillColor": feature["properties"]["fill"],
            "fillOpacity": 0.55,
        },
        highlight_function=lambda _: {"fillOpacity": 0.75},
        tooltip=folium.GeoJsonTooltip(
            fields=["grid_id", "name", "worker", "households", "open", "overdue", "per100"],
            aliases=[
                t("tip.grid", lang),
                "",
                t("tip.worker", lang),
                t("tip.households", lang),
                t("tip.open_reports", lang),
                t("overview.tip.overdue", lang),
                t("overview.tip.per100", lang),
            ],
        ),
    ).add_to(group)
    labels = [
        f"<b>{gid}</b><br>{value:g}" for gid, value in zip(props["grid_id"], values, strict=True)
    ]
    maps.add_grid_labels(group, grids, labels)
    group.add_to(fmap)
    fmap.get_root().header.add_child(
        folium.Element(
            f"<style>{maps.LABEL_CSS}"
            # Bottom right, above the attribution: Leaflet's scale bar is bottom left.
            ".gridmap-legend{position:absolute;bottom:24px;right:10px;z-index:1000;"
            "background:rgba(255,255,255,.92);padding:6px 8px;border-radius:4px;"
            "font:12px/1.4 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)}"
            ".gridmap-legend i{display:inline-block;width:14px;height:12px;margin-right:4px;"
            "vertical-align:middle;border:1px solid #888}</style>"
        )
    )
    return layer, breaks


def _add_heatmap(fmap, reports: pd.DataFrame, lang: str) -> None:
    cells = maps.report_cells(reports, HEAT_CELL_M)
    if not cells:
        return
    counts = [c[2] for c in cells]
    plugins.HeatMap(
        cells,
        name=t("overview.layer.heatmap", lang),
        radius=HEAT_RADIUS_PX,
        blur=18,
        min_opacity=0.3,
        max=float(np.quantile(counts, 0.95)),
    ).add_to(fmap)


def _add_overdue(fmap, overdue: pd.DataFrame, lang, categories, tz: str) -> None:
    """Overdue reports as one GeoJSON layer of dots (one element, however many there are)."""
    points = overdue[~(overdue.geometry.isna() | overdue.geometry.is_empty)]
    if points.empty:
        return
    # The due time, not "days overdue": the map must not change as the clock moves.
    due = points["due_at"].dt.tz_convert(tz).dt.strftime("%Y-%m-%d %H:%M")
    tips = [
        maps.escape(category_name(code, lang, categories))
        + " · "
        + maps.escape(t("overview.tip.overdue_report", lang, id=int(rid), due=when))
        for code, rid, when in zip(points["category"], points["report_id"], due, strict=True)
    ]
    folium.GeoJson(
        maps.feature_collection(points, {"tip": tips}),
        name=t("overview.layer.overdue", lang),
        marker=folium.CircleMarker(radius=5, weight=1, fill=True, fill_opacity=0.95),
        style_function=lambda _: {"color": "#ffffff", "fillColor": OVERDUE_COLOUR},
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
    ).add_to(fmap)


def _add_legend(fmap, breaks: list[float], metric: str, lang: str) -> None:
    edges = [0.0, *breaks]
    rows = []
    for i, colour in enumerate(maps.SHADES[: len(edges)]):
        low = edges[i]
        if i == len(edges) - 1:
            label = f"{low:g}+"
        elif metric in WHOLE_METRICS:  # a class holds low up to the next edge, less one
            high = edges[i + 1] - 1
            label = f"{low:g}" if high == low else f"{low:g}–{high:g}"
        else:
            label = f"{low:g}–{edges[i + 1]:g}"
        rows.append(f'<div><i style="background:{colour}"></i>{label}</div>')
    html = (
        '<div class="gridmap-legend">'
        f"<b>{maps.escape(t(f'overview.metric.{metric}', lang))}</b>"
        + "".join(rows)
        + f'<div><i style="background:{OVERDUE_COLOUR};border-radius:50%"></i>'
        f"{maps.escape(t('overview.legend.overdue', lang))}</div>"
        f"<div>{maps.escape(t('overview.legend.heatmap', lang))}</div></div>"
    )
    fmap.get_root().html.add_child(folium.Element(html))


def signature(figures) -> str:
    """What the map shows of ``figures`` (:class:`geo.overview.Figures`), as a short key.

    Two sets of figures with the same signature draw the same map, so a page can keep
    its map while the clock moves on and rebuild it only when a figure on it changes.
    """
    league = figures.league[["open", "overdue", "open_per_100_households"]]
    overdue = figures.overdue["report_id"]
    parts = (
        pd.util.hash_pandas_object(league, index=True).to_numpy().tobytes()
        + pd.util.hash_pandas_object(overdue, index=False).to_numpy().tobytes()
        + str(len(figures.period_reports)).encode()
    )
    return hashlib.sha256(parts).hexdigest()[:16]
