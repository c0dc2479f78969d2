"""Streamlit glue shared by app.py and the pages: settings, the store, language, data.

Kept to what needs Streamlit (caching, session and query-string state); the
figures themselves come from modules that run without it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from geo import grid_stats, offline, session
from geo.access import User
from geo.categories import category_name, load_categories
from geo.config import LANGUAGES, Settings, load_settings
from geo.errors import GridmapError
from geo.i18n import t
from geo.store import Store, open_store
from geo.store.guarded import GuardedStore

LAYER_NAMES = ("community", "grids", "buildings", "chargers", "drying_areas", "reports")


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    return load_settings()


@st.cache_resource(show_spinner=False)
def _store(cfg: Settings) -> Store:
    # One store (and for PostGIS one connection pool) per process and configuration.
    return open_store(cfg)


def raw_store() -> Store:
    """The configured store itself; on failure the page shows the reason and stops."""
    try:
        return _store(settings())
    except GridmapError as exc:
        st.error(t("app.store_error", lang(), error=plain(exc)))
        st.stop()


def user() -> User:
    """The person using the app in this session (signed in, or played in demo mode)."""
    return session.current_user() or session.gate(raw_store(), lang())


def store() -> GuardedStore:
    """The store as the person using the app may use it: their writes are checked."""
    return GuardedStore(raw_store(), user())


def own_grids(community_id: str) -> set[str]:
    """The grids of the grid worker using the app (empty for other roles)."""
    return user().own_grids(layers(community_id)["grids"])


# Shared, not copied (cache_resource): pickling 100,000 reports on every rerun would
# cost more than the page. Callers never change the frames in place.
@st.cache_resource(show_spinner=False, max_entries=8)
def _layers(cfg: Settings, community_id: str | None, version: str) -> dict:
    s = _store(cfg)
    return {name: s.read(name, community_id) for name in LAYER_NAMES}


@st.cache_resource(show_spinner=False, max_entries=4)
def _communities(cfg: Settings, version: str) -> pd.DataFrame:
    return _store(cfg).read("community")


def communities() -> pd.DataFrame:
    """Every community of the store (cached like :func:`layers`): choices, names, zones."""
    return _communities(settings(), data_version())


def data_version() -> str:
    """The store's data version: it changes whenever anyone writes to the store."""
    return store().data_version()


def layers(community_id: str | None) -> dict:
    """The community's layers, read again only when the store's data version changes."""
    return _layers(settings(), community_id, data_version())


def lang() -> str:
    """The interface language: the query string, then the session, then GRIDMAP_LANG."""
    chosen = st.query_params.get("lang") or st.session_state.get("lang") or settings().lang
    return chosen if chosen in LANGUAGES else "en"


def _language_chosen() -> None:
    choice = st.session_state["lang_choice"]
    st.session_state["lang"] = choice
    st.query_params["lang"] = choice


def language_switch() -> str:
    """The sidebar language switch; the choice is kept in the URL so links keep it.

    The switch shows the language in force (the URL's first), so a link with ``lang``
    opened in a session that chose another language is shown as the link says.
    """
    labels = {"en": "English", "zh": "中文"}
    current = lang()
    st.session_state["lang_choice"] = current
    st.sidebar.radio(
        t("app.language", current),
        LANGUAGES,
        format_func=labels.get,
        horizontal=True,
        key="lang_choice",
        on_change=_language_chosen,
    )
    return current


def note_page(name: str) -> None:
    """Remember which page this (full) run shows; app.py calls it before the page runs."""
    st.session_state["page_before"] = st.session_state.get("page_now")
    st.session_state["page_now"] = name


def page_just_opened() -> bool:
    """Whether this is the page's first run since another page (or a new browser tab).

    Its components are new in the browser then: a map still has to be drawn.
    """
    return st.session_state.get("page_before") != st.session_state.get("page_now")


def query_choice(name: str, options: list[str], default: str) -> str:
    """A choice read from the query string, falling back to ``default`` when invalid."""
    value = st.query_params.get(name, default)
    return value if value in options else default


def follow_in_url(param: str, widget_key: str) -> None:
    """Widget callback: put the widget's value in the query string (or drop it when empty)."""
    value = st.session_state.get(widget_key)
    if value:
        st.query_params[param] = value
    elif param in st.query_params:
        del st.query_params[param]


def require_data(title: str) -> Store:
    """The store; when it holds no community yet, the page says how to load one and stops."""
    s = store()
    if communities().empty:
        st.title(title)
        st.info(t("app.empty_store", lang(), store=store_label()))
        st.stop()
    return s


def community_choice() -> str:
    """The community the page shows: from the URL, with a sidebar choice when there are several."""
    ids = sorted(communities()["community_id"].dropna().astype(str))
    chosen = query_choice("community", ids, ids[0])
    if len(ids) > 1:
        chosen = st.sidebar.selectbox(
            t("app.community", lang()),
            ids,
            index=ids.index(chosen),
            key="community_choice",
            on_change=follow_in_url,
            args=("community", "community_choice"),
        )
    return chosen


def page_heading(title: str, community: pd.Series) -> None:
    """The page's title with the community's name, and the demo badge for synthetic data."""
    from geo.demo import is_synthetic

    st.title(f"{title} · {plain(community['name'])}")
    if is_synthetic(community["code"]):
        st.caption(t("app.synthetic_badge", lang()))


def community_zone(community_id: str) -> str:
    """The community's own time zone, else the deployment's (GRIDMAP_TZ)."""
    from geo.store.base import zones_of

    default = settings().tz
    return zones_of(communities(), default).get(community_id, default)


def store_label() -> str:
    """The store as shown to people: a path, or a URL without its password."""
    return store().url


def categories() -> pd.DataFrame:
    """The category table, with the deployment's own rows (GRIDMAP_CATEGORIES)."""
    return load_categories(settings().categories_file)


_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>~$"})


def plain(text: object) -> str:
    """Text from the data, escaped so Markdown shows it as written (no links, no markup)."""
    return "" if text is None or text is pd.NA else str(text).translate(_MARKDOWN_SPECIALS)


def grid_card(row: pd.Series, grid_id: str, reports, table, now, lang: str) -> None:
    """The card of one grid: worker, households, buildings, open work by category."""
    name = f" · {plain(row['name'])}" if row["name"] else ""
    st.subheader(t("card.title", lang, grid_id=plain(grid_id)) + name)
    none = t("none", lang)
    st.markdown(
        f"**{t('card.worker', lang)}:** {plain(row['worker_name']) or none}  \n"
        f"**{t('card.phone', lang)}:** {plain(row['worker_phone']) or none}"
    )
    a, b, c, d = st.columns(4)
    a.metric(t("card.households", lang), int(row["households"]))
    b.metric(t("card.buildings", lang), int(row["buildings"]))
    c.metric(t("card.open", lang), int(row["open"]))
    d.metric(t("card.overdue", lang), int(row["overdue"]))
    by_category = grid_stats.open_by_category(reports, grid_id, now)
    st.markdown(f"**{t('card.by_category', lang)}**")
    if by_category.empty:
        st.write(t("card.none_open", lang))
        return
    st.dataframe(
        pd.DataFrame(
            {
                t("card.category", lang): [
                    category_name(c, lang, table) for c in by_category.index
                ],
                t("card.open", lang): by_category["open"].to_numpy(),
                t("card.overdue", lang): by_category["overdue"].to_numpy(),
            }
        ),
        hide_index=True,
        width="stretch",
    )


def new_click(returned: dict | None, state_key: str) -> dict | None:
    """The map's last click ({"lat", "lng"}) when it is new since this session saw it.

    A map component returns its last click on every rerun; only a click not yet
    acted on (remembered under ``state_key``) should select something.
    """
    click = (returned or {}).get("last_clicked")
    if not click or click == st.session_state.get(state_key):
        return None
    st.session_state[state_key] = click
    return click


def now() -> datetime:
    return datetime.now(UTC)


def overview_grid_detail(
    row: pd.Series,
    grid_id: str,
    reports: pd.DataFrame,
    filters,
    now: datetime,
    tz: str,
    table: pd.DataFrame,
    lang: str,
) -> None:
    """The Overview's grid detail: worker, households, top categories, oldest open reports."""
    from geo import overview

    name = f" · {plain(row['name'])}" if row["name"] else ""
    st.subheader(t("overview.detail", lang, grid_id=plain(grid_id)) + name)
    none = t("none", lang)
    st.markdown(
        f"**{t('overview.detail.worker', lang)}:** {plain(row['worker_name']) or none}  \n"
        f"**{t('overview.detail.phone', lang)}:** {plain(row['worker_phone']) or none}"
    )
    # One line, not four st.metric tiles: the column is narrow, and each element more is
    # another render in the browser before a click's detail shows (about 0.07 s for the
    # four, benchmarks/bench_overview_browser.py).
    figures = [
        ("overview.col.households", "households"),
        ("overview.detail.buildings", "buildings"),
        ("overview.col.open", "open"),
        ("overview.col.overdue", "overdue"),
    ]
    st.markdown(" · ".join(f"{t(key, lang)} **{int(row[column])}**" for key, column in figures))
    top = overview.top_categories(reports, grid_id, filters, tz)
    # Static tables, not interactive grids: a handful of rows each, and drawn at once
    # when a click opens the detail.
    if len(top):
        st.markdown(f"**{t('overview.detail.top', lang)}**")
        st.table(
            pd.DataFrame(
                {
                    t("overview.col.category", lang): [
                        category_name(c, lang, table) for c in top.index
                    ],
                    t("overview.col.reports", lang): top.to_numpy(),
                }
            ),
            hide_index=True,
            border="horizontal",
        )
    st.markdown(f"**{t('overview.detail.oldest', lang)}**")
    oldest = overview.oldest_open(reports, filters, now, grid_id)
    if oldest.empty:
        st.write(t("overview.detail.no_open", lang))
        return
    st.table(
        pd.DataFrame(
            {
                t("overview.col.report", lang): oldest["report_id"].to_numpy(),
                t("overview.col.category", lang): [
                    category_name(c, lang, table) for c in oldest["category"]
                ],
                t("overview.col.created", lang): oldest["created_at"]
                .dt.tz_convert(tz)
                .dt.strftime("%Y-%m-%d %H:%M")
                .to_numpy(),
                t("overview.col.status", lang): [t(f"status.{s}", lang) for s in oldest["status"]],
                t("overview.col.days_open", lang): [f"{d:.1f}" for d in oldest["days_open"]],
                t("overview.col.overdue", lang): [
                    t("overview.detail.is_overdue", lang) if late else ""
                    for late in oldest["overdue"]
                ],
            }
        ),
        hide_index=True,
        border="horizontal",
    )


def street_view(community_ids: list[str], filters, now: datetime, lang: str) -> pd.DataFrame:
    """The street's communities side by side (the Overview with several communities)."""
    from geo import overview
    from geo.store.base import zones_of

    everything = layers(None)
    zones = zones_of(communities(), settings().tz)
    households = everything["buildings"].groupby("community_id")["households"].sum()
    names = everything["community"].set_index("community_id")["name"]
    reports = everything["reports"]
    items = [
        overview.CommunityFigures(
            community_id=cid,
            name=str(names.get(cid, cid)),
            households=int(households.get(cid, 0)),
            reports=reports[reports["community_id"] == cid],
            tz=zones.get(cid, settings().tz),
        )
        for cid in community_ids
    ]
    table = overview.street_table(items, filters, now).reset_index()
    return table.rename(
        columns={
            "community_id": t("overview.col.community", lang),
            "name": t("overview.col.name", lang),
            "households": t("overview.col.households", lang),
            "open": t("overview.col.open", lang),
            "overdue": t("overview.col.overdue", lang),
            "open_per_100_households": t("overview.col.per100", lang),
            "created": t("overview.col.created_period", lang),
            "closed": t("overview.col.closed", lang),
            "median_days_to_close": t("overview.tile.median", lang),
            "average_rating": t("overview.tile.rating", lang),
        }
    )


def show_missing_map_files(missing: list[str], lang: str) -> None:
    """Say which vendored map files are missing (the map would be blank and silent)."""
    if missing:
        files = ", ".join(f"`{path}`" for path in missing[:3])
        if len(missing) > 3:
            files += " " + t("map.assets_missing.more", lang, n=len(missing) - 3)
        st.error(
            t("map.assets_missing", lang, n=len(missing), folder=offline.VENDOR_DIR, files=files)
        )


def show_missing_assets(fmap, lang: str) -> None:
    """:func:`show_missing_map_files` for the files the map ``fmap`` loads."""
    show_missing_map_files(offline.missing_vendored_files(fmap), lang)
