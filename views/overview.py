"""Overview page: the community at a glance for the secretary, every morning."""

from datetime import date, datetime

import pandas as pd
import streamlit as st
from shapely.geometry import Point

from geo import brief, map_component, maps, overview, overview_charts, overview_map, ui
from geo.assign import assign_grids
from geo.categories import category_name
from geo.i18n import t
from geo.model import REPORT_SOURCES, STATUSES
from geo.overview_map import METRICS, build_overview_map
from geo.tiles import Tile, tiles_html

FILTER_PARAMS = ("from", "to", "cat", "status", "source", "grid")
WIDGETS = ("ov_period", "ov_cat", "ov_status", "ov_source", "ov_grid")

lang = ui.lang()
store = ui.require_data(t("app.title", lang))
community_id = ui.community_choice()
data = ui.layers(community_id)
community = data["community"].iloc[0]
tz = ui.community_zone(community_id)
now = ui.now().replace(second=0, microsecond=0)  # figures move on by the minute
today = pd.Timestamp(now).tz_convert(tz).date()
categories = ui.categories()
grid_ids = sorted(data["grids"]["grid_id"].astype(str))

ui.page_heading(t("page.overview", lang), community)


# --- filters: sidebar widgets, mirrored in the URL so the view can be sent as a link ----
def _reset() -> None:
    for key in WIDGETS:
        st.session_state.pop(key, None)
    for name in FILTER_PARAMS:
        if name in st.query_params:
            del st.query_params[name]


linked = overview.Filters.from_query(
    {name: st.query_params.get_all(name) for name in FILTER_PARAMS},
    today,
    categories=list(categories.index),
    grids=grid_ids,
)
for key, value in zip(
    WIDGETS,
    [
        (linked.start, linked.end),
        list(linked.categories),
        list(linked.statuses),
        list(linked.sources),
        list(linked.grids),
    ],
    strict=True,
):
    st.session_state.setdefault(key, value)

# The map comes first. Sent with the map on a page's first run, the grid table, the charts
# and the brief kept the browser from drawing it for about 0.4 s more, and the sidebar's
# filters for about 0.25 s (benchmarks/bench_overview_browser.py). So on that run they
# wait for the map component to say it has drawn the map, which asks for the next run;
# the filters meanwhile are the ones the link holds.
below_waits = ui.page_just_opened()


def _sidebar_filters() -> overview.Filters:
    st.sidebar.subheader(t("overview.filters", lang))
    period = st.sidebar.date_input(t("overview.period", lang), key="ov_period", max_value=today)
    every = t("overview.all", lang)

    def choose(label: str, options: list[str], key: str, name=str) -> tuple[str, ...]:
        # An empty choice means every value, as the placeholder says.
        chosen = st.sidebar.multiselect(
            t(label, lang), options, key=key, format_func=name, placeholder=every
        )
        return tuple(chosen)

    chosen_categories = choose(
        "overview.categories",
        list(categories.index),
        "ov_cat",
        lambda c: category_name(c, lang, categories),
    )
    chosen_statuses = choose(
        "overview.statuses", list(STATUSES), "ov_status", lambda s: t(f"status.{s}", lang)
    )
    chosen_sources = choose(
        "overview.sources", list(REPORT_SOURCES), "ov_source", lambda s: t(f"source.{s}", lang)
    )
    chosen_grids = choose("overview.grids", grid_ids, "ov_grid")
    st.sidebar.button(t("overview.reset", lang), key="ov_reset", on_click=_reset, width="stretch")
    st.sidebar.caption(t("overview.share", lang))
    start, end = (period[0], period[-1]) if len(period) else (linked.start, linked.end)
    return overview.Filters(
        start=start,
        end=end,
        categories=chosen_categories,
        statuses=chosen_statuses,
        sources=chosen_sources,
        grids=chosen_grids,
    )


filters = linked if below_waits else _sidebar_filters()
st.query_params.update(filters.to_query())
metric = ui.query_choice("metric", list(METRICS), "open")
basemap = ui.query_choice("basemap", list(maps.BASEMAPS), "osm")


# --- figures, cached by the store's data version and the filters -------------------------
@st.cache_resource(show_spinner=False, max_entries=16)
def _figures(cid: str, version: str, key: tuple, at: datetime, zone: str) -> overview.Figures:
    start, end, *rest = key
    chosen = overview.Filters(date.fromisoformat(start), date.fromisoformat(end), *rest)
    return overview.compute(ui.layers(cid), chosen, at, zone)


# Keyed by what the map shows, not by the clock: the map stays the same (and is not
# sent again) until a figure on it changes.
@st.cache_resource(show_spinner=False, max_entries=16)
def _map(
    cid: str, version: str, key: tuple, zone: str, look: tuple, shown: str, outlined, _figures
):
    shading, language, base = look
    fmap = build_overview_map(
        ui.layers(cid),
        _figures.league,
        _figures.period_reports,
        _figures.overdue,
        shading,
        language,
        base,
        categories=ui.categories(),
        tz=zone,
        selected_grid=outlined or None,
    )
    return map_component.prepare(fmap)


version = ui.data_version()
key = (
    filters.start.isoformat(),
    filters.end.isoformat(),
    filters.categories,
    filters.statuses,
    filters.sources,
    filters.grids,
)
figures = _figures(community_id, version, key, now, tz)
tiles = figures.tiles


# --- tiles ---------------------------------------------------------------------------
def _number(value: float | None, digits: int) -> str:
    return t("overview.none", lang) if value is None else f"{value:.{digits}f}"


st.html(
    tiles_html(
        [
            Tile("open", t("overview.tile.open", lang), str(tiles.open)),
            Tile(
                "new",
                t("overview.tile.new", lang),
                str(tiles.new_this_week),
                delta=t("overview.tile.vs_last_week", lang, change=tiles.new_change),
                change=tiles.new_change,
                up_is_good=False,
            ),
            Tile("overdue", t("overview.tile.overdue", lang), str(tiles.overdue)),
            Tile("closed", t("overview.tile.closed", lang), str(tiles.closed)),
            Tile(
                "median",
                t("overview.tile.median", lang),
                _number(tiles.median_days_to_close, 1),
            ),
            Tile(
                "rating",
                t("overview.tile.rating", lang),
                _number(tiles.average_rating, 2),
                help=t("overview.tile.rated", lang, n=tiles.rated),
            ),
            Tile("unassigned", t("overview.tile.unassigned", lang), str(tiles.unassigned)),
        ]
    )
)
st.caption(t("overview.tiles_help", lang, start=filters.start, end=filters.end))


# --- map and grid detail: a fragment, so a click on the map redraws only these ----------
def _select(grid_id: str | None) -> None:
    if grid_id:
        st.query_params["focus"] = grid_id
    elif "focus" in st.query_params:
        del st.query_params["focus"]


league = figures.league
# Once per full run: a click reruns only the fragment below, which keeps these values.
shown_on_map = overview_map.signature(figures)
# The map is drawn with the grid in focus when the page runs as a whole (a link, a row
# of the table); a click on the map then outlines its grid in the browser.
outlined = ui.query_choice("focus", list(league.index), "")


@st.fragment
def map_and_detail() -> None:
    map_column, detail_column = st.columns([3, 2])
    with map_column:
        shading = st.radio(
            t("overview.metric", lang),
            list(METRICS),
            index=list(METRICS).index(metric),
            format_func=lambda m: t(f"overview.metric.{m}", lang),
            horizontal=True,
            key="ov_metric",
        )
        st.query_params["metric"] = shading
        prepared = _map(
            community_id,
            version,
            key,
            tz,
            (shading, lang, basemap),
            shown_on_map,
            outlined,
            figures,
        )
        clicked = map_component.show_clickable(prepared, key="overview_map", height=560)
        st.caption(t("overview.map_hint", lang))
    if below_waits and (clicked or {}).get("drawn"):
        st.rerun(scope="app")
    click = ui.new_click(clicked, "ov_last_click")
    if click:
        _select(assign_grids([Point(click["lng"], click["lat"])], data["grids"])[0])

    with detail_column:
        selected = ui.query_choice("focus", list(league.index), "")
        if not selected:
            st.info(t("overview.detail.none", lang) + " " + t("overview.map_hint", lang))
            return
        ui.overview_grid_detail(
            league.loc[selected], selected, data["reports"], filters, now, tz, categories, lang
        )


map_and_detail()
if below_waits:
    st.caption(t("overview.below_follows", lang))
    st.stop()

# --- the grid table: a row opens its grid's detail above ---------------------------------
st.subheader(t("overview.league", lang))
table = pd.DataFrame(
    {
        "grid": league.index,
        "name": league["name"],
        "worker": league["worker_name"],
        "households": league["households"],
        "open": league["open"],
        "overdue": league["overdue"],
        "per100": league["open_per_100_households"],
        "new": league["new"],
        "closed": league["closed"],
        "median": league["median_days"],
        "rating": league["rating"],
        "trend": league["trend"],
    }
)


def _pick_row() -> None:
    # Before the rerun, so the detail above already shows the grid picked here.
    rows = st.session_state["ov_league"].selection.rows
    if rows:
        _select(str(table["grid"].iloc[rows[0]]))
        # Drawn afresh with that grid outlined, even when it is the grid drawn before
        # (a click may have outlined another since).
        map_component.draw_afresh("overview_map")


st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    on_select=_pick_row,
    selection_mode="single-row",
    key="ov_league",
    column_config={
        "grid": t("overview.col.grid", lang),
        "name": t("overview.col.name", lang),
        "worker": t("overview.col.worker", lang),
        "households": st.column_config.NumberColumn(t("overview.col.households", lang)),
        "open": st.column_config.NumberColumn(t("overview.col.open", lang)),
        "overdue": st.column_config.NumberColumn(t("overview.col.overdue", lang)),
        "per100": st.column_config.NumberColumn(t("overview.col.per100", lang), format="%.1f"),
        "new": st.column_config.NumberColumn(t("overview.col.new", lang)),
        "closed": st.column_config.NumberColumn(t("overview.col.closed", lang)),
        "median": st.column_config.NumberColumn(t("overview.col.median_days", lang), format="%.1f"),
        "rating": st.column_config.NumberColumn(t("overview.col.rating", lang), format="%.2f"),
        "trend": st.column_config.LineChartColumn(t("overview.col.trend", lang), y_min=0),
    },
)

# --- charts --------------------------------------------------------------------------
chart_left, chart_right = st.columns(2)
with chart_left:
    st.subheader(t("overview.chart.weekly", lang))
    if figures.weekly.empty:
        st.info(t("overview.chart.none", lang))
    else:
        st.altair_chart(
            overview_charts.weekly_chart(figures.weekly, (filters.start, filters.end), lang),
            width="stretch",
        )
        if (figures.weekly["days"] < 7).any():
            st.caption(t("overview.chart.partial", lang))
with chart_right:
    st.subheader(t("overview.chart.categories", lang))
    by_category = figures.categories[figures.categories["reports"] > 0]
    if by_category.empty:
        st.info(t("overview.chart.none", lang))
    else:
        st.altair_chart(
            overview_charts.category_chart(
                by_category, lambda c: category_name(c, lang, categories), lang
            ),
            width="stretch",
        )

# --- the street, when the store holds several communities ----------------------------
community_ids = sorted(ui.communities()["community_id"].dropna().astype(str))
if len(community_ids) > 1:
    st.subheader(t("overview.street", lang))
    st.dataframe(
        ui.street_view(community_ids, filters, now, lang),
        hide_index=True,
        width="stretch",
    )


# --- the weekly brief ----------------------------------------------------------------
@st.cache_resource(show_spinner=False, max_entries=8)
def _brief(cid: str, version: str, key: tuple, at: datetime, zone: str, language: str):
    figures = _figures(cid, version, key, at, zone)
    tables = brief.brief_tables(
        str(ui.layers(cid)["community"].iloc[0]["name"]),
        overview.Filters(date.fromisoformat(key[0]), date.fromisoformat(key[1]), *key[2:]),
        figures.tiles,
        figures.league,
        figures.categories,
        figures.overdue,
        ui.categories(),
        zone,
        language,
    )
    return brief.brief_xlsx(tables, language), brief.brief_csv_zip(tables, language)


st.subheader(t("overview.brief", lang))
xlsx, csv_zip = _brief(community_id, version, key, now, tz, lang)
stem = f"brief-{community_id}-{filters.start}-{filters.end}"
left, right = st.columns(2)
left.download_button(
    t("overview.brief.xlsx", lang),
    xlsx,
    file_name=f"{stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    width="stretch",
)
right.download_button(
    t("overview.brief.csv", lang),
    csv_zip,
    file_name=f"{stem}.zip",
    mime="application/zip",
    width="stretch",
)
