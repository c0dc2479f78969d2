"""Hostile input (DESIGN.md §6): markup, formulas, SQL, oversized and malformed files.

Every test here fails when the protection it is about is taken away. Cases covered
elsewhere are only pointed to, not repeated:

- tests/test_import.py: a file over MAX_UPLOAD_BYTES (test_file_over_the_size_limit),
  a zip member path that escapes its folder (test_zip_with_a_path_escaping_its_folder),
  a zip bomb by ratio and by unpacked size (test_zip_bomb_refused), text that is not
  JSON at all (test_unreadable_and_unknown_files), a line in a grids file
  (test_wrong_geometry_type_rejected).
- tests/test_export.py: "=" text in the layer exports (test_csv_has_bom_lon_lat_and_wkt,
  test_xlsx_has_local_naive_times_and_no_formulas).
- tests/test_maps.py, tests/test_grid_maps.py, tests/test_renovation_maps.py: one
  field each escaped in the community map, the grid editor and the Buildings maps.
- tests/test_store_contract.py: tabs, newlines, quotes and backslashes in report text
  (test_chinese_and_awkward_text_round_trips_exactly).

The browser's side (no planted script runs in the pages) is tests/test_browser_hostile.py.
"""

from __future__ import annotations

import html
import io
import json
import tempfile
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
from jinja2.utils import htmlsafe_json_dumps
from shapely.geometry import Point, Polygon, box

from geo import brief, grid_stats, maps, overview, overview_map, report_maps
from geo.categories import load_categories
from geo.cli import main
from geo.errors import ImportFileError
from geo.exporting import export_layer, export_report_sheet
from geo.grids import maps as grid_maps
from geo.grids.validate import validate_grids
from geo.i18n import messages_in
from geo.io import check_zip, import_file, read_source, readers
from geo.renovation import coverage, hotspots, needs, priority, tables
from geo.renovation import maps as renovation_maps
from geo.report_queue import QueueFilter, work_queue
from tests import test_store_contract as contract
from tests.test_import import community_layers, read_rejects, write_csv

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
TZ = "Asia/Shanghai"


# --- 1. markup from the data is text on every map -------------------------------------


def payload(field: str) -> str:
    """Markup that would run a script if a page took it for HTML; names its field."""
    return (
        f"<img src=x onerror=\"window.__pwned='{field}'\">"
        f"<script>window.__pwned='{field}'</script>{field}"
    )


def assert_only_as_text(page: str, field: str) -> None:
    """``field``'s payload is in ``page`` only escaped, never as markup a script could run.

    The escaped forms (as HTML text, and that text inside the page's JSON) are taken
    out; what is left must not hold the payload in any form: raw, JSON-encoded (which
    the map's script would turn back into markup) or escaped twice (shown garbled).
    """
    text = html.escape(payload(field))
    shown = [text, htmlsafe_json_dumps(text)[1:-1], json.dumps(text)[1:-1]]
    assert any(form in page for form in shown), f"{field} is not on the map at all"
    rest = page
    for form in shown:
        rest = rest.replace(form, "")
    marker = f"__pwned='{field}'"
    for form in (marker, html.escape(marker), htmlsafe_json_dumps(marker)[1:-1]):
        assert form not in rest, f"{field} reaches the page unescaped: {form}"
    assert f"__pwned=\\u0027{field}" not in rest, field


@pytest.fixture(scope="module")
def hostile_layers(demo_layers):
    """The demo community with markup in every text a person wrote or named."""
    layers = {name: frame.copy() for name, frame in demo_layers.items()}
    grids = layers["grids"]
    grids.loc[grids.index[0], "name"] = payload("grid_name")
    grids.loc[grids.index[0], "worker_name"] = payload("worker_name")
    grids.loc[grids.index[1], "grid_id"] = payload("grid_id")
    buildings = layers["buildings"]
    buildings.loc[buildings.index[0], "name"] = payload("building_name")
    layers["drying_areas"].loc[layers["drying_areas"].index[0], "name"] = payload("drying_name")
    chargers = layers["chargers"]
    chargers.loc[chargers.index[0], "kind"] = payload("charger_kind")
    chargers.loc[chargers.index[0], "status"] = payload("charger_status")
    reports = layers["reports"]
    first = reports.index[0]
    reports.loc[first, "description"] = payload("description")
    reports.loc[first, "reporter_name"] = payload("reporter_name")
    reports.loc[first, "category_text"] = payload("category_text")
    # The reports of the second grid follow it to its new code.
    old_code = demo_layers["grids"]["grid_id"].iloc[1]
    reports.loc[reports["grid_id"] == old_code, "grid_id"] = payload("grid_id")
    return layers


def test_the_community_map_shows_every_name_as_text(hostile_layers):
    reports = hostile_layers["reports"]
    summary = grid_stats.grid_summary(
        hostile_layers["grids"], hostile_layers["buildings"], reports, NOW
    )
    fmap = maps.build_map(hostile_layers, summary, reports, basemap="none")
    page = fmap.get_root().render()
    for field in (
        "grid_name",
        "worker_name",
        "grid_id",
        "building_name",
        "drying_name",
        "charger_kind",
        "charger_status",
    ):
        assert_only_as_text(page, field)


def test_the_overview_map_shows_every_name_as_text(hostile_layers):
    filters = overview.Filters.default(NOW.astimezone().date())
    figures = overview.compute(hostile_layers, filters, NOW, TZ)
    # An overdue report in a category a deployment named with markup.
    categories = load_categories().copy()
    code = figures.overdue["category"].iloc[0]
    categories.loc[code, ["name_en", "name_zh"]] = payload("category")
    fmap = overview_map.build_overview_map(
        hostile_layers,
        figures.league,
        figures.period_reports,
        figures.overdue,
        "open",
        "en",
        basemap="none",
        categories=categories,
    )
    page = fmap.get_root().render()
    for field in ("grid_name", "worker_name", "grid_id", "building_name", "category"):
        assert_only_as_text(page, field)


def test_the_reports_pages_maps_show_every_name_as_text(hostile_layers):
    intake = report_maps.intake_map(hostile_layers, basemap="none").get_root().render()
    for field in ("worker_name", "grid_id", "building_name"):
        assert_only_as_text(intake, field)
    reports = hostile_layers["reports"]
    report = reports.iloc[0].to_dict() | {"grid_id": payload("grid_id")}
    shown = report_maps.report_map(hostile_layers, report, reports.iloc[1:4], basemap="none")
    page = shown.get_root().render()
    for field in ("worker_name", "grid_id", "building_name"):
        assert_only_as_text(page, field)


def test_the_buildings_maps_show_every_name_as_text(hostile_layers):
    layers = hostile_layers
    facts = needs.building_facts(layers, NOW)
    ranked = priority.rank(facts, needs.derive_needs(facts))
    classes = priority.score_classes(ranked["rank"])
    result = hotspots.find_hotspots(layers["reports"], layers)
    epsg = coverage.metric_epsg(layers)
    chargers = coverage.facilities_of(layers, "chargers")
    table = coverage.coverage_table(layers["buildings"], chargers, 100, epsg)
    pages = {
        "priority": renovation_maps.priority_map(layers, ranked, classes, "en", "none"),
        "hotspots": renovation_maps.hotspot_map(layers, result, layers["reports"], "en"),
        "coverage": renovation_maps.coverage_map(
            layers, table, "chargers", chargers, 100, "en", "none", draw=False
        ),
    }
    for name, fmap in pages.items():
        page = fmap.get_root().render()
        assert_only_as_text(page, "building_name")
        if name == "coverage":
            assert_only_as_text(page, "charger_kind")
            assert_only_as_text(page, "charger_status")


def test_the_grid_maps_show_every_name_as_text(hostile_layers):
    community, grids = hostile_layers["community"], hostile_layers["grids"]
    codes = grids["grid_id"]
    labels = grid_maps.label_with(codes, pd.Series(payload("label"), index=codes))
    page = grid_maps.grids_map(community, grids, "en", labels=labels).get_root().render()
    for field in ("grid_name", "worker_name", "grid_id", "label"):
        assert_only_as_text(page, field)
    # The editor keeps each grid's code as data for the draw tool; the names are text.
    draft = grids.assign(grid_id=[f"G{i}" for i in range(len(grids))])
    validation = validate_grids(draft, community, hostile_layers["buildings"])
    editor = grid_maps.editor_map(community, draft, hostile_layers["buildings"], validation, "en")
    page = editor.get_root().render()
    for field in ("grid_name", "worker_name", "building_name"):
        assert_only_as_text(page, field)


# --- 1. and no cell of an export is a formula ----------------------------------------

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)"]


def _csv_cells(text: str) -> set[str]:
    frame = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), dtype=str, keep_default_na=False)
    return set(frame.to_numpy().ravel())


def _xlsx_cells(data: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def _assert_no_formula(cells: list, expected: list[str]) -> None:
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell is a formula"
    values = {c.value for c in cells}
    for text in expected:
        assert text in values, text  # as written, as text


def _assert_guarded(cells: set[str], expected: list[str]) -> None:
    for text in expected:
        assert "'" + text in cells, text
    assert not [c for c in cells if c[:1] in ("=", "+", "@")], "a cell Excel would run"


@pytest.fixture
def formula_store(tmp_path):
    """A store whose grid, building and report texts all start like formulas."""
    from geo.store.gpkg import GeoPackageStore

    layers = community_layers()
    layers["grids"]["name"] = FORMULAS
    layers["grids"]["worker_name"] = FORMULAS[::-1]
    layers["buildings"]["name"] = FORMULAS[:3]
    store = GeoPackageStore(tmp_path / "f.gpkg")
    store.load_community(layers)
    reports = gpd.GeoDataFrame(
        {
            "community_id": "c1",
            "external_id": [f"F{i}" for i in range(4)],
            "category": "drainage",
            "description": FORMULAS,
            "reporter_name": FORMULAS[::-1],
            "category_text": FORMULAS,
            "created_at": "2026-11-01T10:00:00+08:00",
            "status": "submitted",
        },
        geometry=[Point(117.305, 39.085)] * 4,
        crs=4326,
    )
    store.add_reports(reports)
    return store


@pytest.mark.parametrize("layer", ["grids", "buildings", "reports"])
def test_layer_exports_quote_every_kind_of_formula(formula_store, tmp_path, layer):
    csv, xlsx = tmp_path / f"{layer}.csv", tmp_path / f"{layer}.xlsx"
    export_layer(formula_store, layer, csv, include_private=True)
    export_layer(formula_store, layer, xlsx, include_private=True)
    expected = FORMULAS[:3] if layer == "buildings" else FORMULAS
    _assert_guarded(_csv_cells(csv.read_text(encoding="utf-8-sig")), expected)
    _assert_no_formula(_xlsx_cells(xlsx.read_bytes()), expected)


def test_the_report_sheet_has_no_formula(formula_store, tmp_path):
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"sheet{suffix}"
        export_report_sheet(formula_store, path, "c1", now=NOW)
        if suffix == ".csv":
            _assert_guarded(_csv_cells(path.read_text(encoding="utf-8-sig")), FORMULAS)
        else:
            _assert_no_formula(_xlsx_cells(path.read_bytes()), FORMULAS)


def test_the_weekly_brief_has_no_formula(demo_layers):
    layers = {name: frame.copy() for name, frame in demo_layers.items()}
    layers["grids"]["name"] = (FORMULAS * 10)[: len(layers["grids"])]
    layers["grids"]["worker_name"] = FORMULAS[0]
    filters = overview.Filters.default(NOW.astimezone().date())
    figures = overview.compute(layers, filters, NOW, TZ)
    overdue = figures.overdue.copy()
    overdue["description"] = (FORMULAS * len(overdue))[: len(overdue)]
    args = (figures.tiles, figures.league, figures.categories, overdue, load_categories(), TZ)
    tables_ = brief.brief_tables("=cmd()", filters, *args, "en")
    _assert_no_formula(_xlsx_cells(brief.brief_xlsx(tables_, "en")), FORMULAS + ["=cmd()"])
    with zipfile.ZipFile(io.BytesIO(brief.brief_csv_zip(tables_, "en"))) as archive:
        cells = set().union(*(_csv_cells(archive.read(n).decode()) for n in archive.namelist()))
    _assert_guarded(cells, FORMULAS + ["=cmd()"])


def test_the_renovation_tables_have_no_formula(tmp_path):
    sheet = pd.DataFrame({"building": ["B1", "B2", "B3", "B4"], "name": FORMULAS})
    _assert_no_formula(_xlsx_cells(tables.xlsx_bytes({"ranking": sheet})), FORMULAS)
    path = tables.write_tables(tmp_path / "ranking.csv", {"ranking": sheet})
    _assert_guarded(_csv_cells(path.read_text(encoding="utf-8-sig")), FORMULAS)


def test_the_rejects_file_quotes_formulas_and_imports_back_as_written(tmp_path):
    path = write_csv(
        tmp_path / "reports.csv",
        """
external_id,category,created_at,lon,lat,description
R1,drainage,2026-11-01 08:00,117.305,39.085,fine
R2,drainage,not a time,117.305,39.085,"=HYPERLINK(""http://x"",""y"")"
R3,drainage,not a time,117.305,39.085,@SUM(A1:A2)
""",
    )
    good, rejected, _ = read_source(path, "reports", community_id="c1")
    from geo.io.rejects import write_rejects

    written = write_rejects(path, rejected)
    cells = _csv_cells(written.read_text(encoding="utf-8-sig"))
    _assert_guarded(cells, ['=HYPERLINK("http://x","y")', "@SUM(A1:A2)"])
    # The quote is taken off when the fixed file comes back.
    fixed = pd.read_csv(written, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    fixed["created_at"] = "2026-11-01 08:00"
    fixed.drop(columns=["row", "reason"]).to_csv(tmp_path / "fixed.csv", index=False)
    again, _, _ = read_source(tmp_path / "fixed.csv", "reports", community_id="c1")
    assert again["description"].tolist() == ['=HYPERLINK("http://x","y")', "@SUM(A1:A2)"]


# --- 3. quotes and SQL in every text field and filter ----------------------------------

SQL = "'; DROP TABLE reports; --"
QUOTED = "he said \"no\" and it's O'Brien's \\ back\\slash \\N %s %(x)s {0} ? $1"
HOSTILE_ID = "c'1\"; DROP TABLE grids; --"
GRID_CODES = ["G'1", 'G"2', "G\\3", "G4; --", "G5' OR '1'='1", "G6", "G7", "G8", "G9"]


def _hostile_community() -> dict[str, pd.DataFrame]:
    grids = contract.grids(HOSTILE_ID, names={1: SQL, 2: QUOTED})
    grids["grid_id"] = GRID_CODES
    grids["worker_name"] = [QUOTED, SQL] + [None] * 7
    buildings = contract.buildings(HOSTILE_ID)
    buildings["name"] = [SQL, QUOTED, "\\"]
    return {"community": contract.community(HOSTILE_ID, name=SQL), "grids": grids}


def _hostile_reports() -> gpd.GeoDataFrame:
    frame = contract.reports(6, cid=HOSTILE_ID, prefix="R'")
    frame["description"] = [SQL, QUOTED, '"', "\\", "'", "%"]
    frame["reporter_name"] = [QUOTED, SQL, None, "O'Brien", '"x"', "\\"]
    frame["category_text"] = [SQL, QUOTED, "a'b", None, "\\N", "--"]
    return frame


def test_sql_and_quotes_round_trip_through_the_store(store):
    store.load_community(_hostile_community())
    store.add_reports(_hostile_reports())
    assert store.community_ids() == [HOSTILE_ID]
    assert store.read("community")["name"].tolist() == [SQL]
    grids = store.read("grids", HOSTILE_ID)
    assert grids["grid_id"].tolist() == sorted(GRID_CODES)
    assert set(grids["name"]) >= {SQL, QUOTED}
    got = store.read("reports", HOSTILE_ID).sort_values("external_id")
    want = _hostile_reports()
    assert got["external_id"].tolist() == want["external_id"].tolist()
    for column in ("description", "reporter_name", "category_text"):
        expected = [None if pd.isna(v) else v for v in want[column]]
        assert got[column].tolist() == expected, column
    # Assigned to the quoted grid codes like any other.
    assert got["grid_id"].tolist() == GRID_CODES[:6]
    # A quote in the community asked for finds nothing, and breaks nothing.
    for probe in ("' OR '1'='1", "c'1", HOSTILE_ID + "'", "%"):
        assert store.count("reports", probe) == 0
        assert store.read("reports", probe).empty
    # Writing an event: actor, note and assignee with quotes.
    report_id = int(got["report_id"].iloc[0])
    after = store.update_report(
        report_id,
        {"status": "accepted", "assignee": QUOTED},
        expected={"status": "submitted"},
        event={"actor": SQL, "note": QUOTED, "at": "2026-07-02T10:00:00+08:00"},
    )
    assert after["assignee"] == QUOTED
    history = store.report_history(report_id)
    assert history[["actor", "note"]].values.tolist() == [[SQL, QUOTED]]
    # Adding the same file again skips by the quoted external_id; nothing was dropped.
    assert store.add_reports(_hostile_reports()).skipped == 6
    assert store.count("reports") == 6 and store.count("grids") == 9


def test_filters_with_quotes_select_exactly_their_rows(store):
    store.load_community(_hostile_community())
    reports = _hostile_reports()
    reports["category"] = ["o'clock", 'say "x"', "drainage", "o'clock", "gas", "drainage"]
    reports["status"] = "accepted"
    reports["assignee"] = [QUOTED, SQL, QUOTED, None, None, None]
    store.add_reports(reports)
    stored = store.read("reports", HOSTILE_ID)
    today = date(2026, 7, 5)
    categories = ["o'clock", 'say "x"', "drainage", "gas"]
    # As a shared link gives them: repeated parameters, with a value that is no status.
    params = {
        "cat": ["o'clock"],
        "grid": ["G'1", "G4; --", "G5' OR '1'='1", "G'1' OR 1=1"],
        "status": ["accepted' OR '1'='1", "accepted"],
        "from": "2026-07-01'; --",
    }
    filters = overview.Filters.from_query(params, today, categories, GRID_CODES)
    assert filters.grids == ("G'1", "G4; --", "G5' OR '1'='1")
    assert filters.statuses == ("accepted",)
    assert filters.start == overview.Filters.default(today).start
    chosen = overview.select(stored, filters)
    assert sorted(chosen["external_id"]) == ["R'0", "R'3"]
    back = overview.Filters.from_query(filters.to_query(), today, categories, GRID_CODES)
    assert back == filters
    queue = work_queue(stored, QueueFilter(grid="G'1", statuses=("accepted",)), NOW)
    assert queue["external_id"].tolist() == ["R'0"]
    queue = work_queue(stored, QueueFilter(worker=QUOTED, statuses=()), NOW)
    assert sorted(queue["external_id"]) == ["R'0", "R'2"]
    queue = work_queue(stored, QueueFilter(categories=('say "x"',), statuses=()), NOW)
    assert queue["external_id"].tolist() == ["R'1"]
    queue = work_queue(stored, QueueFilter(grid="G5' OR '1'='1", statuses=()), NOW)
    assert queue["external_id"].tolist() == ["R'4"]


# --- 4. limits on bytes, features and vertices ---------------------------------------


def _square(x: float, y: float, size: float = 0.001) -> list:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def _feature(grid_id: str, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": {"grid_id": grid_id}, "geometry": geometry}


def _polygon(x: float = 117.301, y: float = 39.081) -> dict:
    return {"type": "Polygon", "coordinates": [_square(x, y)]}


def _geojson(path: Path, features: list, **extra) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features, **extra}))
    return path


@pytest.fixture
def store_c1(tmp_path):
    from geo.store.gpkg import GeoPackageStore

    s = GeoPackageStore(tmp_path / "s.gpkg")
    s.load_community(community_layers())
    return s


def test_a_file_over_the_byte_limit_is_refused_before_reading(store_c1, tmp_path, monkeypatch):
    # test_import.py refuses a CSV; a GeoJSON is refused before GDAL opens it, by the CLI too.
    path = _geojson(tmp_path / "grids.geojson", [_feature("G9", _polygon())])
    monkeypatch.setattr(readers, "MAX_UPLOAD_BYTES", 100)
    monkeypatch.setattr(readers, "_read_geojson", lambda _: pytest.fail("read anyway"))
    with pytest.raises(ImportFileError, match=r"grids.geojson is .*, more than the 100 bytes"):
        import_file(store_c1, "grids", path)


def test_too_many_features_are_refused_with_nothing_written(store_c1, tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FEATURES", 3)
    features = [_feature(f"G{i}", _polygon(117.301 + i * 0.002)) for i in range(5, 9)]
    path = _geojson(tmp_path / "grids.geojson", features)
    with pytest.raises(ImportFileError) as raised:
        import_file(store_c1, "grids", path)
    assert str(raised.value) == (
        "grids.geojson has 4 features, more than the 3 an import may hold; "
        "split it into smaller files."
    )
    with messages_in("zh"):
        assert "超过单次导入上限 3" in str(raised.value)
    rows = "\n".join(f"X{i},drainage,2026-11-01 08:00,117.305,39.085" for i in range(4))
    csv = write_csv(tmp_path / "reports.csv", "external_id,category,created_at,lon,lat\n" + rows)
    with pytest.raises(ImportFileError, match="reports.csv has 4 rows, more than the 3"):
        import_file(store_c1, "reports", csv)
    assert store_c1.count("grids") == 4 and store_c1.count("reports") == 0
    monkeypatch.setattr(readers, "MAX_FEATURES", 4)
    assert import_file(store_c1, "reports", csv).imported == 4


def test_a_polygon_with_too_many_vertices_is_rejected_the_rest_imported(
    store_c1, tmp_path, monkeypatch
):
    monkeypatch.setattr(readers, "MAX_FEATURE_VERTICES", 100)
    ring = [
        [117.305 + 0.001 * np.cos(a), 39.085 + 0.001 * np.sin(a)]
        for a in np.linspace(0, 2 * np.pi, 500)
    ]
    ring[-1] = ring[0]
    features = [
        _feature("G5", _polygon()),
        _feature("G6", {"type": "Polygon", "coordinates": [ring]}),
        _feature("G7", _polygon(117.311)),
    ]
    path = _geojson(tmp_path / "grids.geojson", features)
    result = import_file(store_c1, "grids", path)
    assert (result.imported, result.rejected) == (2, 1)
    rejects = read_rejects(result.rejects_path)
    assert rejects[["feature", "reason"]].values.tolist() == [
        ["2", "a shape of 500 vertices, more than the 100 one shape may have; simplify it"]
    ]
    assert rejects["geometry"][0].startswith("POLYGON")  # kept for whoever simplifies it
    assert {"G5", "G7"} <= set(store_c1.read("grids")["grid_id"])
    # All the shapes of one file together have a limit too.
    monkeypatch.setattr(readers, "MAX_VERTICES", 9)
    with pytest.raises(ImportFileError, match="has 10 vertices in all, more than the 9"):
        import_file(store_c1, "grids", path)


def test_limits_are_said_by_the_cli_without_a_traceback(tmp_path, capsys, monkeypatch):
    db = tmp_path / "cli.gpkg"
    from geo.store.gpkg import GeoPackageStore

    GeoPackageStore(db).load_community(community_layers())
    monkeypatch.setenv("GRIDMAP_DB", str(db))
    monkeypatch.setattr(readers, "MAX_FEATURES", 1)
    features = [_feature("G5", _polygon()), _feature("G6", _polygon(117.311))]
    path = _geojson(tmp_path / "grids.geojson", features)
    code = main(["import", "grids", str(path)])
    err = capsys.readouterr().err
    assert code != 0
    assert "grids.geojson has 2 features, more than the 1" in err
    assert "Traceback" not in err


# --- 5. zip bombs and paths that escape the folder ----------------------------------


def _watch_temp(monkeypatch, tmp_path) -> Path:
    """Temporary folders made from here on go under a folder of our own."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.parametrize(
    "member",
    ["../evil.shp", "../../evil.prj", "/tmp/evil.shp", "data/../../evil.dbf", "..\\evil.shp"]
    + ["C:/evil.shp", "C:\\evil.shp"],
)
def test_a_member_escaping_the_folder_is_refused_and_nothing_written(
    store_c1, tmp_path, monkeypatch, member
):
    temp = _watch_temp(monkeypatch, tmp_path)
    work = tmp_path / "work" / "deep"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    path = tmp_path / "grids.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("grids.shp", b"x")
        archive.writestr(member, b"evil")
    with pytest.raises(ImportFileError, match="a path that escapes its folder; refusing"):
        import_file(store_c1, "grids", path, crs="4326")
    assert list(temp.iterdir()) == []
    written = [p for p in tmp_path.rglob("evil*")]
    assert written == [] and not Path("/tmp/evil.shp").exists()


def test_a_zip_bomb_in_a_shapefile_or_a_workbook_is_refused_unread(store_c1, tmp_path, monkeypatch):
    temp = _watch_temp(monkeypatch, tmp_path)
    size = readers.ZIP_RATIO_MIN_BYTES + 1
    for name, member in (("grids.zip", "grids/grids.dbf"), ("reports.xlsx", "xl/sheet1.xml")):
        path = tmp_path / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            archive.writestr(member, b"\0" * size)
        assert path.stat().st_size < size / 100  # highly compressed
        layer = "grids" if name.endswith(".zip") else "reports"
        with pytest.raises(ImportFileError, match="looks like a zip bomb; refusing it"):
            import_file(store_c1, layer, path, crs="4326")
        with zipfile.ZipFile(path) as archive, pytest.raises(ImportFileError, match="zip bomb"):
            check_zip(archive, name)
    assert list(temp.iterdir()) == []
    assert store_c1.count("reports") == 0


def test_many_small_members_that_unpack_to_too_much_are_refused(store_c1, tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_UNZIPPED_BYTES", 50_000)
    path = tmp_path / "grids.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for i in range(20):
            archive.writestr(f"part{i}.txt", b"y" * 5_000)
    with pytest.raises(ImportFileError, match="would unpack to 97.7 KB, more than 48.8 KB"):
        import_file(store_c1, "grids", path, crs="4326")


# --- 6. malformed GeoJSON, impossible coordinates, mixed geometry types ---------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            json.dumps({"type": "FeatureCollection", "features": [_feature("G5", _polygon())]})[
                :120
            ],
            r"cannot read bad.geojson as GeoJSON: the JSON stops in the middle \(line 1, column "
            r"\d+\); the file was probably cut short.",
        ),
        (
            json.dumps({"type": "FeatureColection", "features": []}),
            'cannot read bad.geojson as GeoJSON: its "type" is "FeatureColection", where a '
            "FeatureCollection, a Feature or a geometry is expected.",
        ),
        (
            json.dumps({"features": []}),
            'its "type" is none, where a FeatureCollection',
        ),
        (
            json.dumps([_feature("G5", _polygon())]),
            'a GeoJSON file is one JSON object with a "type"',
        ),
        (
            json.dumps({"type": "FeatureCollection", "features": {"G5": 1}}),
            'it is a FeatureCollection without a "features" list',
        ),
        ('{"type": "FeatureCollection", "features": [}', r"it is not valid JSON \(Expecting"),
    ],
    ids=["truncated", "misspelt-type", "no-type", "array", "features-not-list", "syntax"],
)
def test_a_geojson_that_is_not_one_is_refused_with_what_is_wrong(store_c1, tmp_path, text, message):
    path = tmp_path / "bad.geojson"
    path.write_text(text)
    with pytest.raises(ImportFileError, match=message) as raised:
        import_file(store_c1, "grids", path)
    assert "DRIVER" not in str(raised.value) and "\n" not in str(raised.value)
    with messages_in("zh"):
        assert str(raised.value).startswith("无法按 GeoJSON 格式读取 bad.geojson")
    assert store_c1.count("grids") == 4


def test_bad_features_are_rejected_with_their_number_and_reason(store_c1, tmp_path):
    text_coordinates = {"type": "Polygon", "coordinates": [[["117.3", "39.08"]] * 4]}
    features = [
        _feature("G5", _polygon()),  # 1: good
        {"type": "Feature", "properties": {"grid_id": "G6"}},  # 2: no geometry member
        _feature("G7", None),  # 3: null geometry
        _feature("G8", text_coordinates),  # 4: coordinates written as text
        _feature("G9", {"type": "Blob", "coordinates": [117.3, 39.08]}),  # 5
        _feature("G10", {"type": "Polygon", "coordinates": [[[117.3]]]}),  # 6: too short
        _feature("G11", _polygon(1e308, 39.08)),  # 7: far beyond any longitude
        _feature("G12", _polygon(117.3, 91.0)),  # 8: latitude 91
        _feature("G13", {"type": "Point", "coordinates": [117.305, 39.085]}),  # 9: a point
        _feature("G14", _polygon(117.311)),  # 10: good
    ]
    path = _geojson(tmp_path / "grids.geojson", features)
    result = import_file(store_c1, "grids", path)
    assert (result.imported, result.rejected) == (2, 8)
    rejects = read_rejects(result.rejects_path)
    assert rejects[["feature", "reason"]].values.tolist() == [
        ["2", "no geometry"],
        ["3", "no geometry"],
        ["4", "coordinates that are not numbers (e.g. '117.3')"],
        ["5", 'geometry of unknown type "Blob"'],
        ["6", "geometry cannot be read (e.g. too few points, or a ring that does not close)"],
        ["7", "coordinates out of range (lon 1e+308, lat 39.08)"],
        ["8", "coordinates out of range (lon 117.3, lat 91)"],
        ["9", "wrong geometry type: Point (grids need polygons)"],
    ]
    assert rejects["grid_id"].tolist() == [f"G{i}" for i in range(6, 14)]
    assert {"G5", "G14"} <= set(store_c1.read("grids")["grid_id"])


def test_members_that_are_not_features_are_rejected_not_dropped(store_c1, tmp_path):
    # GDAL skips these without a word and numbers the rest as if they were not there.
    no_type = _feature("G6", _polygon(117.305))
    del no_type["type"]
    features = [
        _feature("G5", _polygon()),  # 1: good
        no_type,  # 2: a feature without "type": "Feature"
        _feature("G7", _polygon(117.311)),  # 3: good
        "junk",  # 4: not an object
        {"type": "Point", "coordinates": [117.305, 39.085]},  # 5: a bare geometry
        _feature("G8", None),  # 6: read, but no geometry
    ]
    path = _geojson(tmp_path / "grids.geojson", features)
    result = import_file(store_c1, "grids", path)
    assert (result.imported, result.rejected) == (2, 4)
    rejects = read_rejects(result.rejects_path)
    assert rejects["feature"].tolist() == ["2", "4", "5", "6"]
    not_a_feature = 'not a GeoJSON Feature (an object with "type": "Feature"): '
    assert rejects["reason"].tolist() == [
        not_a_feature + '{"properties": {"grid_id": "G6"}, "geometry": {"type": "Polygon", '
        '"coordinates"…',
        not_a_feature + '"junk"; missing grid_id',
        not_a_feature + '{"type": "Point", "coordinates": [117.305, 39.085]}; missing grid_id',
        "no geometry",
    ]
    assert rejects["grid_id"].tolist()[0] == "G6"  # what the member held is kept to fix
    assert {"G5", "G7"} <= set(store_c1.read("grids")["grid_id"])


def test_nan_and_infinity_coordinates_are_rejected_not_a_traceback(store_c1, tmp_path):
    # json writes NaN and Infinity as bare words, as some tools do; GDAL reads them.
    features = [
        _feature("G5", _polygon()),
        _feature("G6", _polygon(float("nan"))),
        _feature("G7", _polygon(float("inf"))),
        _feature("G8", _polygon(117.305, float("-inf"))),
        _feature("G9", _polygon(117.311)),
    ]
    path = _geojson(tmp_path / "grids.geojson", features)
    result = import_file(store_c1, "grids", path)
    assert (result.imported, result.rejected) == (2, 3)
    not_finite = "coordinates that are not finite numbers (NaN or Infinity)"
    assert read_rejects(result.rejects_path)[["feature", "reason"]].values.tolist() == [
        ["2", not_finite],
        ["3", not_finite],
        ["4", not_finite],
    ]
    with messages_in("zh"):
        _, rejected, _ = read_source(path, "grids", community_id="c1")
    assert rejected["reason"].tolist() == ["坐标不是有限的数值（NaN 或 Infinity）"] * 3


def test_impossible_numbers_in_csv_and_wkt_are_rejected_by_row(store_c1, tmp_path):
    path = write_csv(
        tmp_path / "reports.csv",
        """
external_id,category,created_at,lon,lat
R1,drainage,2026-11-01 08:00,117.305,39.085
R2,drainage,2026-11-01 08:00,Infinity,39.085
R3,drainage,2026-11-01 08:00,NaN,39.085
R4,drainage,2026-11-01 08:00,1e308,39.085
R5,drainage,2026-11-01 08:00,117.305,91
R6,drainage,2026-11-01 08:00,117.305,-1e999
R7,drainage,2026-11-01 08:00,117.315,39.095
R8,drainage,2026-11-01 08:00,117.315,39.095
R9,drainage,2026-11-01 08:00,117.315,39.095
R10,drainage,2026-11-01 08:00,117.315,39.095
""",
    )
    result = import_file(store_c1, "reports", path)
    assert (result.imported, result.rejected) == (5, 5)
    assert read_rejects(result.rejects_path)[["row", "reason"]].values.tolist() == [
        ["3", "lon: 'Infinity' is not a number"],
        ["4", "lon: 'NaN' is not a number"],
        ["5", "coordinates out of range (lon 1e308, lat 39.085)"],
        ["6", "coordinates out of range (lon 117.305, lat 91)"],
        ["7", "lat: '-1e999' is not a number"],
    ]
    wkt = write_csv(
        tmp_path / "grids.csv",
        """
grid_id,wkt
G5,"POLYGON((117.30 39.08, 117.301 39.08, 117.301 39.081, 117.30 39.08))"
G6,"POLYGON((inf 39.08, 117.301 39.08, 117.301 39.081, inf 39.08))"
G7,"POLYGON((117.31 39.08, 117.311 39.08, 117.311 39.081, 117.31 39.08))"
""",
    )
    good, rejected, _ = read_source(wkt, "grids", community_id="c1")
    assert good["grid_id"].tolist() == ["G5", "G7"]
    assert rejected[["row", "reason"]].values.tolist() == [
        [3, "coordinates that are not finite numbers (NaN or Infinity)"]
    ]


def test_points_among_grid_polygons_are_rejected_and_the_polygons_kept(store_c1, tmp_path):
    frame = gpd.GeoDataFrame(
        {"grid_id": ["G5", "G6", "G7", "G8"]},
        geometry=[
            box(117.300, 39.080, 117.301, 39.081),
            Point(117.305, 39.085),
            Polygon(_square(117.311, 39.081)),
            Point(117.306, 39.086).buffer(0.0005),
        ],
        crs=4326,
    )
    for driver, suffix in (("GeoJSON", ".geojson"), ("GPKG", ".gpkg")):
        path = tmp_path / f"grids{suffix}"
        frame.to_file(path, driver=driver, layer="grids")
        result = import_file(store_c1, "grids", path)
        assert (result.imported, result.rejected) == (3, 1), driver
        assert read_rejects(result.rejects_path)[["feature", "reason"]].values.tolist() == [
            ["2", "wrong geometry type: Point (grids need polygons)"]
        ]
        assert read_rejects(result.rejects_path)["geometry"][0] == "POINT (117.305 39.085)"
