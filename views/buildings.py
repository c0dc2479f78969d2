"""Buildings page: renovation priority and building cards, hotspots, facility coverage."""

import geopandas as gpd
import streamlit as st
from shapely.geometry import Point
from streamlit_folium import st_folium

from geo import maps, ui
from geo.assign import assign_buildings
from geo.categories import category_name
from geo.i18n import t
from geo.model import CHARGER_KINDS, WGS84
from geo.renovation import coverage, hotspots, needs, priority, tables, views
from geo.renovation import maps as renovation_maps

VIEWS = ("priority", "hotspots", "coverage")
VIEW_KEYS = {
    "priority": "buildings.view.priority",
    "hotspots": "buildings.view.hotspots",
    "coverage": "buildings.view.coverage",
}
FACILITY_KEYS = {"chargers": "map.layer.chargers", "drying_areas": "map.layer.drying"}
CLICK_RADIUS_M = 10.0  # a click this close to a building opens its card
MAP_HEIGHT = 600

lang = ui.lang()
store = ui.require_data(t("buildings.title", lang))

community_id = ui.community_choice()
data = ui.layers(community_id)
community = data["community"].iloc[0]
ui.page_heading(t("buildings.title", lang), community)
if data["buildings"].empty:
    st.info(t("buildings.no_buildings", lang))
    st.stop()
zone = community["tz"] if isinstance(community["tz"], str) and community["tz"] else None
tz = zone or ui.settings().tz
categories = ui.categories()
now = ui.now()
epsg = coverage.metric_epsg(data)

# --- sidebar: basemap and the thresholds behind the needs ------------------------------
basemap = st.sidebar.selectbox(
    t("map.basemap", lang),
    maps.BASEMAPS,
    index=maps.BASEMAPS.index(ui.query_choice("basemap", list(maps.BASEMAPS), "osm")),
    format_func=lambda b: t(f"map.basemap.{b}", lang),
)
with st.sidebar.expander(t("buildings.rules", lang)):
    rules = needs.NeedRules(
        min_reports=int(
            st.number_input(
                t("buildings.rules.min_reports", lang, months=needs.NeedRules.months),
                min_value=1,
                max_value=50,
                value=needs.NeedRules.min_reports,
                key="rule_min_reports",
            )
        ),
        charger_radius_m=float(
            st.number_input(
                t("buildings.rules.charger_radius", lang),
                min_value=10,
                max_value=2000,
                value=int(needs.NeedRules.charger_radius_m),
                step=10,
                key="rule_charger_radius",
            )
        ),
        drying_radius_m=float(
            st.number_input(
                t("buildings.rules.drying_radius", lang),
                min_value=10,
                max_value=2000,
                value=int(needs.NeedRules.drying_radius_m),
                step=10,
                key="rule_drying_radius",
            )
        ),
    )
    st.caption(t("buildings.rules.help", lang))

view = st.radio(
    t("buildings.view", lang),
    VIEWS,
    index=VIEWS.index(ui.query_choice("view", list(VIEWS), "priority")),
    format_func=lambda v: t(VIEW_KEYS[v], lang),
    horizontal=True,
    label_visibility="collapsed",
)
st.query_params.update({"basemap": basemap, "view": view})


def weight_controls() -> dict[str, float]:
    """The weights of the score, changeable on the page (kept for the session)."""
    for part in priority.PARTS:
        st.session_state.setdefault(f"weight_{part}", priority.DEFAULT_WEIGHTS[part])

    def reset() -> None:
        for part in priority.PARTS:
            st.session_state[f"weight_{part}"] = priority.DEFAULT_WEIGHTS[part]

    with st.expander(t("buildings.weights", lang)):
        st.caption(t("buildings.weights.help", lang))
        columns = st.columns(4)
        for i, part in enumerate(priority.PARTS):
            columns[i % 4].number_input(
                t(priority.PART_KEYS[part], lang),
                min_value=0.0,
                max_value=10.0,
                step=0.5,
                key=f"weight_{part}",
                help=t(priority.PART_HELP_KEYS[part], lang),
            )
        st.button(t("buildings.weights.reset", lang), on_click=reset)
    return {part: float(st.session_state[f"weight_{part}"]) for part in priority.PARTS}


def after_save() -> None:
    st.cache_data.clear()  # the layers are cached: read the saved building back


def priority_view() -> None:
    facts = needs.building_facts(data, now, rules, epsg)
    found = needs.derive_needs(facts, rules)
    weights = weight_controls()
    ranked = priority.rank(facts, found, weights, rules)
    classes = priority.score_classes(ranked["rank"])
    buildings = data["buildings"]
    ids = sorted(buildings["building_id"].astype(str))
    selected = ui.query_choice("building", ids, "")
    fmap = renovation_maps.priority_map(
        data, ranked, classes, lang, basemap, selected or None, MAP_HEIGHT
    )
    ui.show_missing_assets(fmap, lang)
    saved = st.session_state.pop("buildings_saved", None)
    if saved:
        st.success(t("buildings.card.saved", lang, building=ui.plain(saved)))
    map_column, card_column = st.columns([3, 2])
    with map_column:
        clicked = st_folium(
            fmap,
            key="buildings_map",
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=["last_clicked"],
        )
        st.caption(t("buildings.map_caption", lang))
    click = ui.new_click(clicked, "last_building_click")
    if click:
        hit = assign_buildings(
            [Point(click["lng"], click["lat"])], buildings, radius_m=CLICK_RADIUS_M
        )[0]
        if hit and hit != selected:
            st.query_params["building"] = hit
            st.rerun()
    with card_column:
        st.session_state["building_choice"] = selected
        st.selectbox(
            t("buildings.choose", lang),
            [""] + ids,
            format_func=lambda b: b or t("map.no_grid", lang),
            help=t("buildings.click_hint", lang),
            key="building_choice",
            on_change=ui.follow_in_url,
            args=("building", "building_choice"),
        )
        if not selected:
            st.info(t("buildings.click_hint", lang))
        else:
            row = buildings[buildings["building_id"].astype(str) == selected].iloc[0]
            views.building_card(
                row,
                facts.loc[selected],
                ranked.loc[selected],
                found,
                data["reports"],
                categories,
                tz,
                lang,
            )
            views.items_editor(store, community_id, row, lang, on_saved=after_save)

    st.subheader(t("buildings.ranking", lang))
    table = tables.ranked_table(ranked, facts, found, lang)
    st.dataframe(table, hide_index=True, width="stretch", height=420)
    st.download_button(
        t("buildings.download_xlsx", lang),
        tables.xlsx_bytes(
            {
                t("buildings.sheet.ranking", lang): table,
                t("buildings.sheet.weights", lang): tables.weights_table(weights, lang),
            }
        ),
        file_name=f"{community_id}-buildings-priority.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="download_ranking",
    )


def hotspots_view() -> None:
    reports = data["reports"]
    a, b, c = st.columns([1, 2, 2])
    step = a.radio(
        t("buildings.hot.step", lang),
        hotspots.STEPS,
        index=hotspots.STEPS.index(ui.query_choice("step", list(hotspots.STEPS), "month")),
        format_func=lambda s: t(
            "buildings.hot.by_month" if s == "month" else "buildings.hot.by_week", lang
        ),
        horizontal=True,
    )
    chosen = c.multiselect(
        t("map.categories", lang),
        list(categories.index),
        default=[x for x in st.query_params.get_all("cat") if x in categories.index],
        format_func=lambda x: category_name(x, lang, categories),
        placeholder=t("map.categories.all", lang),
    )
    if chosen:
        reports = reports[reports["category"].isin(chosen)]
    labels = hotspots.period_labels(reports["created_at"], step, tz)
    options = ["all", *sorted(labels.dropna().unique())]
    period = b.select_slider(
        t("buildings.hot.period", lang),
        options,
        value=ui.query_choice("period", options, "all"),
        format_func=lambda p: t("buildings.hot.all_periods", lang) if p == "all" else p,
    )
    shown = reports if period == "all" else reports[labels == period]
    a, b, c = st.columns(3)
    unit = a.radio(
        t("buildings.hot.unit", lang),
        hotspots.UNITS,
        index=hotspots.UNITS.index(ui.query_choice("unit", list(hotspots.UNITS), "h3")),
        format_func=lambda u: t(
            "buildings.hot.unit_h3" if u == "h3" else "buildings.hot.unit_building", lang
        ),
        horizontal=True,
    )
    resolution = b.select_slider(
        t("buildings.hot.resolution", lang),
        hotspots.RESOLUTIONS,
        value=hotspots.DEFAULT_RESOLUTION,
        disabled=unit != "h3",
        help=t("buildings.hot.resolution_help", lang),
    )
    alpha = c.select_slider(
        t("buildings.hot.alpha", lang),
        (0.01, 0.05, 0.1),
        value=hotspots.DEFAULT_ALPHA,
        help=t("buildings.hot.alpha_help", lang),
    )
    st.query_params.update({"step": step, "unit": unit, "period": period})
    st.query_params["cat"] = chosen
    result = hotspots.find_hotspots(shown, data, unit, int(resolution), float(alpha), epsg)
    fmap = renovation_maps.hotspot_map(data, result, shown, lang, basemap, MAP_HEIGHT)
    ui.show_missing_assets(fmap, lang)
    st_folium(
        fmap, key="hotspot_map", height=MAP_HEIGHT, use_container_width=True, returned_objects=[]
    )
    units = result.units
    st.caption(
        t(
            "buildings.hot.summary",
            lang,
            reports=len(shown),
            units=len(units),
            hot=int((units["kind"] == "hot").sum()),
            cold=int((units["kind"] == "cold").sum()),
            q=alpha,
            p=f"{result.threshold:.2g}",
        )
    )
    st.subheader(t("buildings.hot.list", lang))
    table = tables.hotspot_table(result, lang, categories)
    if table.empty:
        st.info(t("buildings.hot.none", lang))
        return
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(
        t("buildings.download_xlsx", lang),
        tables.xlsx_bytes({t("buildings.sheet.hotspots", lang): table}),
        file_name=f"{community_id}-hotspots.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="download_hotspots",
    )


def drawn_sites(key: str, drawings) -> list[tuple[float, float]]:
    """Points drawn on the map, kept for the session (lon, lat); reruns when new ones came."""
    kept = st.session_state.setdefault(key, [])
    added = False
    for feature in drawings or []:
        geometry = (feature or {}).get("geometry") or {}
        if geometry.get("type") != "Point":
            continue
        lon, lat = (round(float(v), 7) for v in geometry["coordinates"][:2])
        if (lon, lat) not in kept:
            kept.append((lon, lat))
            added = True
    if added:
        st.rerun()
    return kept


def coverage_view() -> None:
    a, b, c = st.columns([2, 2, 1])
    facility = a.radio(
        t("buildings.cov.facility", lang),
        coverage.FACILITIES,
        index=coverage.FACILITIES.index(
            ui.query_choice("facility", list(coverage.FACILITIES), "chargers")
        ),
        format_func=lambda f: t(FACILITY_KEYS[f], lang),
        horizontal=True,
    )
    st.query_params["facility"] = facility
    kinds = None
    working_only = True
    if facility == "chargers":
        kinds = b.multiselect(
            t("buildings.cov.kinds", lang),
            list(CHARGER_KINDS),
            default=["ebike"],
            format_func=lambda k: t(f"charger.{k}", lang),
        )
        working_only = not b.checkbox(t("buildings.cov.include_broken", lang), value=False)
    default_radius = rules.charger_radius_m if facility == "chargers" else rules.drying_radius_m
    radius = float(
        c.number_input(
            t("buildings.cov.radius", lang),
            min_value=10,
            max_value=2000,
            value=int(default_radius),
            step=10,
            key=f"radius_{facility}",
        )
    )
    facilities = coverage.facilities_of(data, facility, kinds or None, working_only)
    table = coverage.coverage_table(data["buildings"], facilities, radius, epsg)
    summary = coverage.summarise(table)
    a, b, c = st.columns(3)
    a.metric(t("buildings.cov.facilities", lang), len(facilities))
    b.metric(
        t("buildings.cov.uncovered_buildings", lang, m=int(radius)),
        f"{summary.uncovered_buildings} / {summary.buildings}",
    )
    c.metric(
        t("buildings.cov.uncovered_households", lang, m=int(radius)),
        f"{summary.uncovered_households:,} / {summary.households:,}",
    )

    st.markdown(f"**{t('buildings.cov.suggest', lang)}**")
    a, b, c = st.columns([1, 2, 1])
    k = int(a.number_input(t("buildings.cov.k", lang), 0, 10, 2, key=f"k_{facility}"))
    source = b.radio(
        t("buildings.cov.candidates", lang),
        ("generated", "drawn"),
        format_func=lambda s: t(
            "buildings.cov.generated" if s == "generated" else "buildings.cov.drawn", lang
        ),
        horizontal=True,
        key=f"source_{facility}",
    )
    drawn_key = f"drawn_sites_{facility}"
    drawn = st.session_state.setdefault(drawn_key, [])
    if c.button(t("buildings.cov.clear_drawn", lang), disabled=not drawn):
        st.session_state[drawn_key] = []
        drawn = []
    drawn_points = gpd.GeoSeries([Point(x, y) for x, y in drawn], crs=WGS84)
    if source == "drawn":
        candidates = drawn_points
        st.caption(t("buildings.cov.draw_hint", lang, n=len(drawn)))
    else:
        candidates = coverage.candidate_sites(data["community"], data["buildings"], epsg)
        st.caption(t("buildings.cov.generated_hint", lang, n=len(candidates)))
    sites = coverage.suggest_sites(data["buildings"], table, candidates, radius, k, epsg)
    fmap = renovation_maps.coverage_map(
        data,
        table,
        facility,
        facilities,
        radius,
        lang,
        basemap,
        sites=sites,
        candidates=drawn_points if len(drawn_points) else None,
        draw=True,
        height=MAP_HEIGHT,
    )
    ui.show_missing_assets(fmap, lang)
    out = st_folium(
        fmap,
        key=f"coverage_map_{facility}",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["all_drawings"],
    )
    drawn_sites(drawn_key, (out or {}).get("all_drawings"))
    if len(sites):
        added = int(sites["households"].sum())
        st.success(
            t(
                "buildings.cov.sites_add",
                lang,
                k=len(sites),
                n=added,
                left=summary.uncovered_households - added,
            )
        )
        st.dataframe(tables.sites_export(sites, lang), hide_index=True, width="stretch")
    elif k and summary.uncovered_households:
        st.info(t("buildings.cov.no_sites", lang))
    st.subheader(t("buildings.cov.table", lang))
    export = tables.coverage_export(table, lang)
    st.dataframe(export, hide_index=True, width="stretch", height=360)
    sheets = {t("buildings.sheet.coverage", lang): export}
    if len(sites):
        sheets[t("buildings.sheet.sites", lang)] = tables.sites_export(sites, lang)
    st.download_button(
        t("buildings.download_xlsx", lang),
        tables.xlsx_bytes(sheets),
        file_name=f"{community_id}-{facility}-coverage.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="download_coverage",
    )


{"priority": priority_view, "hotspots": hotspots_view, "coverage": coverage_view}[view]()
