"""Reports page: take a report in, work the queue, move each report through its states."""

import streamlit as st

from geo import duplicates, maps, ui
from geo.errors import GridmapError
from geo.i18n import t
from geo.report_exchange import render_exchange
from geo.report_views import (
    Context,
    render_intake,
    render_queue,
    show_flash,
)

VIEWS = ("intake", "queue", "files")

lang = ui.lang()
store = ui.require_data(t("page.reports", lang))


community_id = ui.community_choice()
layers = ui.layers(community_id)
reports = layers["reports"]  # read again whenever the store's data version changes

basemap = st.sidebar.selectbox(
    t("map.basemap", lang),
    maps.BASEMAPS,
    index=maps.BASEMAPS.index(ui.query_choice("basemap", list(maps.BASEMAPS), "osm")),
    format_func=lambda b: t(f"map.basemap.{b}", lang),
    key="reports_basemap",
)
st.query_params["basemap"] = basemap
try:
    rule = duplicates.rule_from_env()
except GridmapError as exc:
    st.sidebar.warning(ui.plain(exc.message(lang)))
    rule = duplicates.DuplicateRule()
with st.sidebar.expander(t("reports.dup.settings", lang)):
    rule = duplicates.DuplicateRule(
        st.number_input(
            t("reports.dup.radius", lang), 0.0, duplicates.MAX_RADIUS_M, rule.radius_m, 10.0
        ),
        int(st.number_input(t("reports.dup.days", lang), 0, duplicates.MAX_DAYS, rule.days, 1)),
    )

ui.page_heading(t("page.reports", lang), layers["community"].iloc[0])
# The URL is the source of truth (links and buttons set it); the switch follows.
st.session_state["reports_view"] = ui.query_choice("view", list(VIEWS), "intake")
view = st.segmented_control(
    t("reports.view", lang),
    VIEWS,
    format_func=lambda v: t(f"reports.view.{v}", lang),
    key="reports_view",
    label_visibility="collapsed",
    on_change=ui.follow_in_url,
    args=("view", "reports_view"),
)
view = view or "intake"
show_flash()

ctx = Context(
    store=store,
    community_id=community_id,
    layers=layers,
    reports=reports,
    categories=ui.categories(),
    zone=ui.community_zone(community_id),
    lang=lang,
    user=ui.user(),
    own_grids=ui.own_grids(community_id),
    basemap=basemap,
    rule=rule,
    now=ui.now(),
)
if view == "intake":
    render_intake(ctx)
elif view == "queue":
    render_queue(ctx)
else:
    render_exchange(ctx)
