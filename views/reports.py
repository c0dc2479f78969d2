"""Reports page: take a report in, work the queue, move each report through its states."""

import streamlit as st

from geo import duplicates, maps, ui
from geo.errors import GridmapError
from geo.i18n import t
from geo.report_exchange import render_exchange
from geo.report_views import (
    Context,
    actor_labels,
    render_intake,
    render_queue,
    show_flash,
)
from geo.store.base import community_zones

VIEWS = ("intake", "queue", "files")

lang = ui.lang()
store = ui.store()
if store.is_empty():
    st.title(t("page.reports", lang))
    st.info(t("app.empty_store", lang, store=ui.store_label()))
    st.stop()


@st.cache_data(show_spinner=False, max_entries=8)
def fresh_reports(url: str, community_id: str, version: str, _store):
    """The community's reports, read again whenever the store's data version changes."""
    return _store.read("reports", community_id)


community_ids = store.community_ids()
community_id = ui.query_choice("community", community_ids, community_ids[0])
if len(community_ids) > 1:
    community_id = st.sidebar.selectbox(
        t("app.community", lang),
        community_ids,
        index=community_ids.index(community_id),
        key="community_choice",
        on_change=ui.follow_in_url,
        args=("community", "community_choice"),
    )
layers = ui.layers(community_id)
reports = fresh_reports(store.url, community_id, store.data_version(), store)

basemap = st.sidebar.selectbox(
    t("map.basemap", lang),
    maps.BASEMAPS,
    index=maps.BASEMAPS.index(ui.query_choice("basemap", list(maps.BASEMAPS), "osm")),
    format_func=lambda b: t(f"map.basemap.{b}", lang),
    key="reports_basemap",
)
st.query_params["basemap"] = basemap
labels = actor_labels(layers["grids"], reports, lang)
actor = st.sidebar.selectbox(
    t("reports.acting_as", lang),
    list(labels),
    format_func=labels.get,
    help=t("reports.acting_as_help", lang),
    key="reports_actor",
)
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

st.title(t("page.reports", lang))
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
    zone=community_zones(store, ui.settings().tz).get(community_id, ui.settings().tz),
    lang=lang,
    actor=actor,
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
