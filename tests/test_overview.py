"""The Overview's figures, checked against a plain computation on the demo community.

Each expected figure is worked out row by row in Python, in the community's local
time, without the module's helpers, for several sets of filters; the brief is read
back with openpyxl; the filters survive a round trip through the query string.
"""

from __future__ import annotations

import io
import statistics
import zipfile
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd
import pytest

from geo import brief, overview
from geo.categories import load_categories
from geo.model import OPEN_STATUSES

TZ = "Asia/Shanghai"
ZONE = ZoneInfo(TZ)
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)  # inside the small demo's two years
TODAY = NOW.astimezone(ZONE).date()

FILTER_SETS = {
    "default": overview.Filters.default(TODAY),
    "drainage and heating, a year": overview.Filters(
        TODAY - timedelta(days=364), TODAY, categories=("drainage", "heating")
    ),
    "hotline and patrol in three grids": overview.Filters(
        TODAY - timedelta(days=180),
        TODAY - timedelta(days=30),
        sources=("hotline", "patrol"),
        grids=("G01", "G05", "G09"),
    ),
    "closed only, one month": overview.Filters(
        TODAY - timedelta(days=29), TODAY, statuses=("closed",)
    ),
}


@pytest.fixture(scope="module")
def reports(demo_layers):
    return demo_layers["reports"]


def _rows(reports: pd.DataFrame, filters: overview.Filters) -> list[dict]:
    """The reports the filters choose, as plain dicts (any date)."""
    chosen = []
    for row in reports.drop(columns="geometry").to_dict("records"):
        if filters.categories and row["category"] not in filters.categories:
            continue
        if filters.statuses and row["status"] not in filters.statuses:
            continue
        if filters.sources and row["source"] not in filters.sources:
            continue
        if filters.grids and row["grid_id"] not in filters.grids:
            continue
        chosen.append(row)
    return chosen


def _day(stamp) -> date | None:
    return None if pd.isna(stamp) else stamp.to_pydatetime().astimezone(ZONE).date()


def _expected_tiles(rows: list[dict], filters: overview.Filters) -> dict:
    now = pd.Timestamp(NOW)
    open_rows = [r for r in rows if r["status"] in OPEN_STATUSES]
    in_period = [r for r in rows if filters.start <= _day(r["created_at"]) <= filters.end]
    this_week = [
        r for r in rows if filters.end - timedelta(days=6) <= _day(r["created_at"]) <= filters.end
    ]
    last_week = [
        r
        for r in rows
        if filters.end - timedelta(days=13) <= _day(r["created_at"]) <= filters.end - timedelta(7)
    ]
    closed = [
        r
        for r in rows
        if r["status"] in ("resolved", "closed")
        and _day(r["closed_at"]) is not None
        and filters.start <= _day(r["closed_at"]) <= filters.end
    ]
    days = [(r["closed_at"] - r["created_at"]).total_seconds() / 86400 for r in closed]
    ratings = [r["rating"] for r in closed if not pd.isna(r["rating"])]
    return {
        "open": len(open_rows),
        "overdue": sum(1 for r in open_rows if not pd.isna(r["due_at"]) and r["due_at"] < now),
        "new_this_week": len(this_week),
        "new_last_week": len(last_week),
        "closed": len(closed),
        "median_days_to_close": statistics.median(days) if days else None,
        "average_rating": statistics.fmean(ratings) if ratings else None,
        "rated": len(ratings),
        "unassigned": sum(1 for r in in_period if pd.isna(r["grid_id"])),
        "created": len(in_period),
    }


@pytest.mark.parametrize("name", list(FILTER_SETS))
def test_tiles_match_a_row_by_row_count(reports, name):
    filters = FILTER_SETS[name]
    got = overview.tiles(reports, filters, NOW, TZ)
    want = _expected_tiles(_rows(reports, filters), filters)
    for field, value in want.items():
        actual = getattr(got, field)
        if isinstance(value, float):
            assert actual == pytest.approx(value), field
        else:
            assert actual == value, field


def test_the_demo_has_something_in_every_tile(reports):
    tiles = overview.tiles(reports, FILTER_SETS["default"], NOW, TZ)
    assert tiles.closed > 100 and tiles.new_this_week > 0 and tiles.rated > 0
    assert tiles.median_days_to_close > 0 and 1 <= tiles.average_rating <= 5


@pytest.mark.parametrize("name", list(FILTER_SETS))
def test_grid_league_adds_up_to_the_tiles(demo_layers, reports, name):
    filters = FILTER_SETS[name]
    league = overview.grid_league(
        demo_layers["grids"], demo_layers["buildings"], reports, filters, NOW, TZ
    )
    rows = _rows(reports, filters)
    for grid_id, row in league.iterrows():
        mine = [r for r in rows if r["grid_id"] == grid_id]
        want = _expected_tiles(mine, filters)
        assert row["open"] == want["open"]
        assert row["overdue"] == want["overdue"]
        assert row["new"] == want["created"]
        assert row["closed"] == want["closed"]
        if want["median_days_to_close"] is not None:
            assert row["median_days"] == pytest.approx(want["median_days_to_close"], abs=0.05)
        # the trend's weeks hold exactly the reports created in those weeks
        monday = filters.end - timedelta(days=filters.end.weekday())
        first = monday - timedelta(weeks=overview.TREND_WEEKS - 1)
        in_trend = [r for r in mine if first <= _day(r["created_at"]) <= monday + timedelta(6)]
        assert sum(row["trend"]) == len(in_trend)
        assert len(row["trend"]) == overview.TREND_WEEKS
    if filters.grids:
        assert list(league.index) == sorted(filters.grids)
    else:
        assert league["households"].sum() == demo_layers["buildings"]["households"].sum()


def test_categories_and_weekly_counts_cover_the_period(reports):
    filters = FILTER_SETS["drainage and heating, a year"]
    rows = _rows(reports, filters)
    in_period = [r for r in rows if filters.start <= _day(r["created_at"]) <= filters.end]
    table = overview.by_category(reports, filters, NOW, TZ)
    assert set(table.index) == {"drainage", "heating"}
    for code in table.index:
        assert table.at[code, "reports"] == sum(1 for r in in_period if r["category"] == code)
    weekly = overview.weekly_by_status(reports, filters, TZ)
    assert weekly["reports"].sum() == len(in_period)
    assert (weekly["week"].dt.day_of_week == 0).all()
    # Each week's days in the period: seven, but fewer at its ends.
    for week, days in weekly.groupby("week")["days"].first().items():
        monday = week.date()
        inside = [monday + timedelta(days=d) for d in range(7)]
        assert days == sum(filters.start <= day <= filters.end for day in inside), monday
    assert weekly["days"].max() == 7


def test_overdue_list_and_oldest_open(reports):
    filters = FILTER_SETS["default"]
    late = overview.overdue_list(reports, filters, NOW)
    assert len(late) == overview.tiles(reports, filters, NOW, TZ).overdue
    assert late["due_at"].is_monotonic_increasing and (late["days_overdue"] > 0).all()
    oldest = overview.oldest_open(reports, filters, NOW, n=5)
    assert oldest["created_at"].is_monotonic_increasing
    assert set(oldest["status"]) <= set(OPEN_STATUSES)


def test_filters_round_trip_through_the_query_string():
    filters = overview.Filters(
        date(2026, 3, 1),
        date(2026, 5, 31),
        categories=("gas", "drainage"),
        statuses=("in_progress",),
        sources=("hotline",),
        grids=("G03",),
    )
    query = filters.to_query()
    back = overview.Filters.from_query(
        query, TODAY, categories=["gas", "drainage", "heating"], grids=["G03", "G04"]
    )
    assert back == filters


def test_a_bad_link_falls_back_to_the_default_view():
    params = {"from": "2026-13-01", "to": "yesterday", "cat": ["<script>"], "status": ["lost"]}
    assert overview.Filters.from_query(params, TODAY, ["gas"], ["G01"]) == (
        overview.Filters.default(TODAY)
    )
    backwards = {"from": "2026-05-01", "to": "2026-04-01"}
    assert overview.Filters.from_query(backwards, TODAY) == overview.Filters.default(TODAY)


def test_street_table_compares_communities(reports):
    half = reports.iloc[: len(reports) // 2]
    items = [
        overview.CommunityFigures("a", "A", 1000, half, TZ),
        overview.CommunityFigures("b", "B", 0, reports.iloc[len(reports) // 2 :], TZ),
    ]
    table = overview.street_table(items, FILTER_SETS["default"], NOW)
    assert list(table.index) == ["a", "b"]
    assert table.at["a", "open"] == overview.tiles(half, FILTER_SETS["default"], NOW, TZ).open
    assert table.at["a", "open_per_100_households"] == round(table.at["a", "open"] / 10, 1)
    assert pd.isna(table.at["b", "open_per_100_households"])


def test_weekly_brief_opens_in_excel_with_the_same_numbers(demo_layers, reports):
    filters = FILTER_SETS["default"]
    figures = overview.compute(demo_layers, filters, NOW, TZ)
    tables = brief.brief_tables(
        "示范社区",
        filters,
        figures.tiles,
        figures.league,
        figures.categories,
        figures.overdue,
        load_categories(),
        TZ,
        "en",
    )
    book = openpyxl.load_workbook(io.BytesIO(brief.brief_xlsx(tables, "en")))
    assert book.sheetnames == ["Summary", "Grids", "Categories", "Overdue"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Open"] == figures.tiles.open
    assert summary["Closed"] == figures.tiles.closed
    assert summary["Median days to close"] == round(figures.tiles.median_days_to_close, 1)
    grid_rows = list(book["Grids"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in grid_rows] == list(figures.league.index)
    assert sum(r[4] for r in grid_rows) == figures.league["open"].sum()
    overdue_rows = list(book["Overdue"].iter_rows(min_row=2, values_only=True))
    assert len(overdue_rows) == figures.tiles.overdue
    categories = list(book["Categories"].iter_rows(min_row=2, values_only=True))
    assert sum(r[1] for r in categories) == figures.tiles.created

    in_chinese = brief.brief_tables(
        "示范社区",
        filters,
        figures.tiles,
        figures.league,
        figures.categories,
        figures.overdue,
        load_categories(),
        TZ,
        "zh",
    )
    with zipfile.ZipFile(io.BytesIO(brief.brief_csv_zip(in_chinese, "zh"))) as archive:
        names = archive.namelist()
        assert names == ["1-概况.csv", "2-网格.csv", "3-类别.csv", "4-超期清单.csv"]
        grids_csv = pd.read_csv(archive.open(names[1]), encoding="utf-8-sig")
    assert grids_csv["未办结"].sum() == figures.league["open"].sum()


def test_brief_masks_phone_numbers_residents_wrote(demo_layers, reports):
    filters = FILTER_SETS["default"]
    figures = overview.compute(demo_layers, filters, NOW, TZ)
    overdue = figures.overdue.copy()
    overdue.loc[overdue.index[:1], "description"] = "漏水，请回电 13812345678"
    tables = brief.brief_tables(
        "x",
        filters,
        figures.tiles,
        figures.league,
        figures.categories,
        overdue,
        load_categories(),
        TZ,
        "en",
    )
    assert "138****5678" in tables.overdue["Description"].iloc[0]


def test_the_map_legend_counts_in_whole_numbers_and_rates_in_decimals(demo_layers):
    import re

    from geo.overview_map import build_overview_map

    figures = overview.compute(demo_layers, overview.Filters.default(TODAY), NOW, "Asia/Shanghai")
    for metric, pattern in (("open", r"^\d+(–\d+|\+)?$"), ("open_per_100_households", None)):
        fmap = build_overview_map(
            demo_layers,
            figures.league,
            figures.period_reports,
            figures.overdue,
            metric,
            "en",
            basemap="none",
        )
        page = fmap.get_root().render()
        legend = page.split('class="gridmap-legend">')[1].split("</div></div>")[0]
        labels = re.findall(r"</i>([^<]+)</div>", legend)[:-1]  # the last is the overdue dot
        assert len(labels) >= 2, labels
        if pattern:
            assert all(re.match(pattern, label) for label in labels), labels
        else:
            assert any("." in label for label in labels), labels


def test_a_grid_chosen_in_the_table_is_drawn_outlined_and_gives_way_to_a_click(demo_layers):
    from shapely.geometry import shape

    from geo import maps
    from geo.overview_map import build_overview_map

    figures = overview.compute(demo_layers, overview.Filters.default(TODAY), NOW, "Asia/Shanghai")
    args = (demo_layers, figures.league, figures.period_reports, figures.overdue, "open", "en")
    fmap = build_overview_map(*args, basemap="none", selected_grid="G04")
    page = fmap.get_root().render()
    outline = next(c for c in fmap._children.values() if isinstance(c, maps.OutlineGridOnClick))
    assert outline.selection is not None
    (drawn,) = outline.selection.data["features"]
    g04 = demo_layers["grids"].set_index("grid_id").geometry["G04"]
    assert shape(drawn["geometry"]).bounds == pytest.approx(g04.bounds, abs=1e-6)
    assert f"removeLayer({outline.selection.get_name()})" in page
    plain = build_overview_map(*args, basemap="none").get_root().render()
    assert "removeLayer" not in plain and maps.SELECTED_EDGE in plain  # the click outline
