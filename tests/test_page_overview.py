"""The Overview page under Streamlit's AppTest, on the demo community in both stores.

The clock is fixed (``geo.ui.now``), so every tile can be compared with
:func:`geo.overview.tiles` on the stored reports; the filters go in and out through
the query string as a shared link would carry them.

On a page's first run what lies below the map waits for the browser to draw the map
(AppTest has no browser): :func:`_open` runs the page twice, as the map's report does.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import overview, ui
from geo.model import OPEN_STATUSES
from geo.store.gpkg import GeoPackageStore
from tests.app_support import app_test

APP = str(Path(__file__).resolve().parents[1] / "app.py")
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
TODAY = date(2026, 11, 20)  # in Asia/Shanghai at NOW
TZ = "Asia/Shanghai"


def _fresh(monkeypatch, db: str, lang: str = "en") -> AppTest:
    monkeypatch.setenv("GRIDMAP_DB", db)
    monkeypatch.setenv("GRIDMAP_LANG", lang)
    monkeypatch.setattr(ui, "now", lambda: NOW)
    st.cache_resource.clear()
    st.cache_data.clear()
    return app_test(APP, 90)


@pytest.fixture(params=["gpkg", "postgis"])
def app(request, demo_gpkg, monkeypatch):
    db = str(demo_gpkg) if request.param == "gpkg" else request.getfixturevalue("demo_postgis_url")
    yield _fresh(monkeypatch, db)
    st.cache_resource.clear()


def _open(at: AppTest) -> AppTest:
    """The page as a browser shows it: the first run, then the one the drawn map asks for."""
    at.run()
    return at.run()


def _metrics(at: AppTest) -> dict[str, str]:
    """The tiles' labels and values, read from the page's HTML (geo/tiles.py)."""
    row = next(h.value for h in at.html if 'class="gm-tiles"' in h.value)
    pairs = re.findall(
        r'<dt>([^<]+)(?:<span[^>]*>\?</span>)?</dt><dd class="gm-value">([^<]+)</dd>', row
    )
    return {html.unescape(label): html.unescape(value) for label, value in pairs}


def _expected(reports, filters) -> dict[str, str]:
    tiles = overview.tiles(reports, filters, NOW, TZ)
    return {
        "Open": str(tiles.open),
        "New this week": str(tiles.new_this_week),
        "Overdue": str(tiles.overdue),
        "Closed": str(tiles.closed),
        "Median days to close": f"{tiles.median_days_to_close:.1f}",
        "Average rating": f"{tiles.average_rating:.2f}",
        "Unassigned": str(tiles.unassigned),
    }


def test_overview_is_the_first_page_and_its_tiles_are_right(app, demo_gpkg):
    app.run()
    assert not app.exception
    assert app.title[0].value.startswith("Overview · ")
    reports = GeoPackageStore(demo_gpkg).read("reports")
    assert _metrics(app) == _expected(reports, overview.Filters.default(TODAY))
    # the default view is the last 90 days, and the URL says so
    assert app.query_params["from"] == str(TODAY - timedelta(days=89))
    assert app.query_params["to"] == str(TODAY)


def test_a_shared_link_opens_the_same_view(app, demo_gpkg):
    filters = overview.Filters(
        date(2026, 6, 1), date(2026, 9, 30), categories=("drainage", "waterlogging")
    )
    for name, value in filters.to_query().items():
        if value:
            app.query_params[name] = value
    app.run()
    assert not app.exception
    reports = GeoPackageStore(demo_gpkg).read("reports")
    assert _metrics(app) == _expected(reports, filters)  # at once, before the filters show
    app.run()
    assert _metrics(app) == _expected(reports, filters)
    assert app.multiselect(key="ov_cat").value == ["drainage", "waterlogging"]
    assert app.date_input(key="ov_period").value == (date(2026, 6, 1), date(2026, 9, 30))
    # the query string after the run is the link to send: it opens the same view again
    link = {k: app.query_params[k] for k in ("from", "to", "cat")}
    again = app_test(APP, 90)
    for name, value in link.items():
        again.query_params[name] = value
    again.run()
    assert _metrics(again) == _metrics(app)


def test_changing_a_filter_changes_the_tiles_and_the_url(app, demo_gpkg):
    _open(app)
    app.multiselect(key="ov_source").set_value(["hotline"]).run()
    assert not app.exception
    assert app.query_params["source"] in ("hotline", ["hotline"])
    reports = GeoPackageStore(demo_gpkg).read("reports")
    filters = overview.Filters(TODAY - timedelta(days=89), TODAY, sources=("hotline",))
    assert _metrics(app) == _expected(reports, filters)
    app.button(key="ov_reset").click().run()
    assert "source" not in app.query_params
    assert _metrics(app) == _expected(reports, overview.Filters.default(TODAY))


def test_grid_detail_from_the_link(app, demo_gpkg):
    app.query_params["focus"] = "G04"
    app.run()
    assert not app.exception
    headers = [s.value for s in app.subheader]
    assert any(h.startswith("Grid G04") for h in headers)
    assert "Grid worker" in "\n".join(m.value for m in app.markdown)
    # Its figures, against the stored buildings inside the grid, a pandas count of its open
    # reports and the grid table's row.
    app.run()
    row = app.dataframe[0].value.set_index("grid").loc["G04"]
    reports = GeoPackageStore(demo_gpkg).read("reports")
    open_here = reports[reports["status"].isin(OPEN_STATUSES) & (reports["grid_id"] == "G04")]
    line = next(m.value for m in app.markdown if m.value.startswith("Households"))
    shown = {name.strip(" ·"): int(n) for name, n in re.findall(r"([^*]+?) \*\*(\d+)\*\*", line)}
    store = GeoPackageStore(demo_gpkg)
    grid = store.read("grids").set_index("grid_id").loc["G04", "geometry"]
    buildings = store.read("buildings")
    inside = buildings.geometry.representative_point().within(grid)
    assert shown == {
        "Households": int(buildings.loc[inside, "households"].sum()),
        "Buildings": int(inside.sum()),
        "Open": len(open_here),
        "Overdue": row["overdue"],
    }
    # The open reports waiting longest, oldest first, with their days open to one decimal.
    oldest = app.table[-1].value
    expected = open_here.sort_values("created_at").head(len(oldest))
    assert list(oldest["Report"].astype(int)) == list(expected["report_id"])
    days = (NOW - pd.to_datetime(expected["created_at"], utc=True)).dt.total_seconds() / 86400
    assert list(oldest["Days open"]) == [f"{d:.1f}" for d in days]
    assert set(oldest["Overdue"]) <= {"yes", ""}


def test_chinese_overview(demo_gpkg, monkeypatch):
    at = _fresh(monkeypatch, str(demo_gpkg), lang="zh")
    at.run()
    assert not at.exception
    assert at.title[0].value.startswith("总览 · ")
    assert {"未办结", "本周新增", "超期", "已办结", "平均满意度"} <= set(_metrics(at))


def test_a_street_of_two_communities_compares_them(demo_layers, tmp_path, monkeypatch):
    path = tmp_path / "street.gpkg"
    store = GeoPackageStore(path)
    store.load_community(demo_layers)
    second = {}
    for name, frame in demo_layers.items():
        copy = frame.copy()
        copy["community_id"] = "second"
        if name == "community":
            copy["name"] = "第二社区"
        second[name] = copy
    store.load_community(second)
    at = _open(_fresh(monkeypatch, str(path)))
    assert not at.exception
    assert "Communities of the street" in [s.value for s in at.subheader]
    street = at.dataframe[-1].value
    assert list(street["Community"]) == sorted(
        ["second", demo_layers["community"].iloc[0]["community_id"]]
    )
    assert street["Open"].iloc[0] == street["Open"].iloc[1]  # the same reports in both


def test_the_language_switch_and_a_link_agree(demo_gpkg, monkeypatch):
    at = _fresh(monkeypatch, str(demo_gpkg))
    at.run()
    at.radio(key="lang_choice").set_value("zh").run()
    assert at.title[0].value.startswith("总览") and at.query_params["lang"] == "zh"
    # A link in English opened in this Chinese session is shown in English.
    at.query_params["lang"] = "en"
    at.run()
    assert at.title[0].value.startswith("Overview")
    assert at.radio(key="lang_choice").value == "en"


def test_the_grid_table_charts_and_brief_follow_the_map(app, demo_gpkg):
    app.run()
    assert not app.exception
    # First run: the tiles and the map, and a line saying what follows; the filters are
    # the link's, and the sidebar shows them with the rest.
    assert len(_metrics(app)) == 7
    assert not app.dataframe and not app.get("download_button")
    assert not app.multiselect and not app.date_input
    assert any("once the map is drawn" in c.value for c in app.caption)
    app.run()  # the run the map's report asks for
    assert not app.exception
    assert not any("once the map is drawn" in c.value for c in app.caption)
    assert len(app.multiselect) == 4 and app.date_input(key="ov_period")
    table = app.dataframe[0].value.set_index("grid")
    reports = GeoPackageStore(demo_gpkg).read("reports")
    open_reports = reports[reports["status"].isin(OPEN_STATUSES)]
    per_grid = open_reports.groupby("grid_id").size()
    assert len(table) == 12
    assert table["open"].to_dict() == {g: int(per_grid.get(g, 0)) for g in table.index}
    assert table["open"].sum() == int(open_reports["grid_id"].notna().sum())
    assert len(app.get("vega_lite_chart")) == 2  # by week and status, by category
    # The default period ends today, a Friday: its last week is drawn narrower, and said so.
    assert any(c.value.startswith("Narrower, lighter bars") for c in app.caption)
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Download the brief (.xlsx)", "The same tables as CSV (.zip)"]
    # Later runs (a filter, another grid) show everything at once.
    app.multiselect(key="ov_source").set_value(["hotline"]).run()
    assert app.dataframe and len(app.get("download_button")) == 2
