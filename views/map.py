"""Map page: the community's layers, grid shading, and the card of the selected grid."""

import streamlit as st
from shapely.geometry import Point

from geo import grid_stats, map_component, maps, offline, ui
from geo.assign import assign_grids
from geo.categories import category_name
from geo.i18n import t

lang = ui.lang()
store = ui.require_data(t("app.title", lang))
community_id = ui.community_choice()
data = ui.layers(community_id)
community = data["community"].iloc[0]
ui.page_heading(t("app.title", lang), community)

# --- filters (sidebar, mirrored in the URL so a view can be shared) -----------------
basemap = st.sidebar.selectbox(
    t("map.basemap", lang),
    maps.BASEMAPS,
    index=maps.BASEMAPS.index(ui.query_choice("basemap", list(maps.BASEMAPS), "osm")),
    format_func=lambda b: t(f"map.basemap.{b}", lang),
)
scope = st.sidebar.radio(
    t("map.reports_scope", lang),
    ["open", "all"],
    index=["open", "all"].index(ui.query_choice("scope", ["open", "all"], "all")),
    format_func=lambda s: t(f"map.scope.{s}", lang),
    horizontal=True,
)
categories = ui.categories()
chosen_categories = st.sidebar.multiselect(
    t("map.categories", lang),
    list(categories.index),
    default=[c for c in st.query_params.get_all("cat") if c in categories.index],
    format_func=lambda c: category_name(c, lang, categories),
    placeholder=t("map.categories.all", lang),
)
st.query_params.update({"basemap": basemap, "scope": scope})
st.query_params["cat"] = chosen_categories

# The category filter applies to every figure on the page; the scope only to the map.
reports = data["reports"]
if chosen_categories:
    reports = reports[reports["category"].isin(chosen_categories)]
now = ui.now()
summary = grid_stats.grid_summary(data["grids"], data["buildings"], reports, now)
shown = reports[grid_stats.open_mask(reports)] if scope == "open" else reports

st.markdown(t("map.summary", lang, **grid_stats.community_totals(summary, reports, now)))
if chosen_categories:
    st.caption(t("map.filtered", lang, n=len(chosen_categories)))

grid_ids = list(summary.index)
selected = ui.query_choice("grid", grid_ids, "")
# The map is drawn with the grid selected when the page runs as a whole (a link, a
# filter); a click then outlines its grid in the browser (maps.OutlineGridOnClick) and
# reruns only the fragment below, so the map is not built or sent again for a click.
st.session_state["map_outlined"] = selected
version = ui.data_version()


@st.cache_resource(show_spinner=False, max_entries=16)
def _map(cid: str, version: str, look: tuple, outlined: str, _summary, _shown):
    """The prepared map and the vendored files it lacks, for what it shows."""
    language, base, _scope, _categories = look
    fmap = maps.build_map(
        ui.layers(cid),
        _summary,
        _shown,
        language,
        base,
        selected_grid=outlined or None,
        outline_on_click=True,
    )
    return map_component.prepare(fmap), offline.missing_vendored_files(fmap)


def _chosen_in_list() -> None:
    """The list's grid is drawn selected, on a map drawn afresh."""
    ui.follow_in_url("grid", "grid_choice")
    st.session_state["map_outlined"] = st.session_state.get("grid_choice") or ""
    map_component.draw_afresh("community_map")


@st.fragment
def map_and_card() -> None:
    selected = ui.query_choice("grid", grid_ids, "")
    look = (lang, basemap, scope, tuple(chosen_categories))
    prepared, missing = _map(
        community_id, version, look, st.session_state["map_outlined"], summary, shown
    )
    ui.show_missing_map_files(missing, lang)
    map_column, card_column = st.columns([3, 2])
    with map_column:
        clicked = map_component.show_clickable(prepared, key="community_map", height=640)
        st.caption(t("map.shown_reports", lang, n=len(shown)) + " · " + t("map.fill_legend", lang))
    click = ui.new_click(clicked, "last_map_click")
    if click:
        hit = assign_grids([Point(click["lng"], click["lat"])], data["grids"])[0]
        if hit and hit != selected:
            st.query_params["grid"] = selected = hit

    with card_column:
        # The URL is the source of truth (map clicks and shared links set it); the list follows.
        st.session_state["grid_choice"] = selected
        st.selectbox(
            t("map.choose_grid", lang),
            [""] + grid_ids,
            format_func=lambda g: g or t("map.no_grid", lang),
            help=t("map.click_hint", lang),
            key="grid_choice",
            on_change=_chosen_in_list,
        )
        if not selected:
            st.info(t("map.click_hint", lang))
        else:
            ui.grid_card(summary.loc[selected], selected, reports, categories, now, lang)


map_and_card()
