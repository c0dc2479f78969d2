"""PostGIS only: migrations, typed tables, faults with clear messages, the pool, and
assignment in SQL giving exactly the answers of geo.assign (DESIGN.md §3, §4).

Needs the server of tests/conftest.py (``postgres_url``: skipped without one, failed
with GRIDMAP_REQUIRE_POSTGIS=1). Each test works in a schema of its own.
"""

from __future__ import annotations

import uuid

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pyproj
import pytest
import shapely
from shapely.geometry import MultiPolygon, Point, box

from geo import model
from geo.assign import assign_reports
from geo.errors import StoreError
from geo.store.gpkg import GeoPackageStore
from geo.store.postgis import PostGISStore, applied_migrations, get_pool, migrate

pytestmark = pytest.mark.postgis

MIGRATIONS = [
    "0001_layers",
    "0002_assignment",
    "0003_community_zone_status_text",
    "0004_data_version",
    "0005_report_photos_grid_by_hand",
    "0006_grid_versions",
    "0007_users_audit",
]
DOWN_URL = "postgresql://postgres@127.0.0.1:1/test"  # nothing listens on port 1


def _schema() -> str:
    return f"t_{uuid.uuid4().hex[:10]}"


@pytest.fixture
def pg_store(postgres_url):
    store = PostGISStore(postgres_url, schema=_schema())
    try:
        yield store
    finally:
        store.drop_schema()
        store.close()


@pytest.fixture
def admin(postgres_url):
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        yield conn


def _one_line(message: str) -> bool:
    return "\n" not in message and "Traceback" not in message


# --- migrations and the typed schema --------------------------------------------------
def test_migrate_creates_the_schema_once_and_records_it(postgres_url, admin):
    schema = _schema()
    try:
        assert migrate(postgres_url, schema) == MIGRATIONS
        assert migrate(postgres_url, schema) == []
        assert applied_migrations(postgres_url, schema) == MIGRATIONS
        recorded = admin.execute(
            f'SELECT version, name, length(checksum) FROM "{schema}".gridmap_migrations '
            "ORDER BY version"
        ).fetchall()
        assert recorded == [(i + 1, name, 64) for i, name in enumerate(MIGRATIONS)]
        # A store on the migrated schema applies nothing more.
        PostGISStore(postgres_url, schema=schema).close()
        assert applied_migrations(postgres_url, schema) == MIGRATIONS
    finally:
        admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def test_tables_are_typed_keyed_and_indexed_as_the_model_says(pg_store, admin):
    schema = pg_store.schema
    geometry = dict(
        (row[0], (row[1], row[2]))
        for row in admin.execute(
            "SELECT f_table_name, type, srid FROM geometry_columns "
            "WHERE f_table_schema = %s AND f_geometry_column = 'geom'",
            [schema],
        )
    )
    sql_kinds = {
        "text": model.STR,
        "integer": model.INT,
        "bigint": model.INT,
        "double precision": model.FLOAT,
        "boolean": model.BOOL,
        "timestamp with time zone": model.TIME,
    }
    for name, spec in model.LAYERS.items():
        columns = dict(
            admin.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = %s AND table_name = %s",
                [schema, name],
            ).fetchall()
        )
        for column, kind in spec.columns.items():
            assert sql_kinds[columns.pop(column)] == kind, (name, column)
        if spec.geometry is None:
            assert columns == {} and name not in geometry
        else:
            assert columns == {"geom": "USER-DEFINED"}
            assert geometry[name] == (spec.geometry.upper(), 4326)
            indexes = admin.execute(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = %s AND tablename = %s",
                [schema, name],
            ).fetchall()
            assert any("USING gist (geom)" in row[0] for row in indexes), name
        key = admin.execute(
            "SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_constraint c "
            "CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum "
            "WHERE c.contype = 'p' AND c.conrelid = %s::regclass",
            [f'"{schema}".{name}'],
        ).fetchone()[0]
        if spec.columns[spec.key] == model.INT:
            assert key == [spec.key]
        elif name == "community":
            assert key == ["community_id"]
        else:
            assert key == ["community_id", spec.key]


def test_a_failed_migration_leaves_the_schema_at_the_last_good_version(
    postgres_url, admin, tmp_path
):
    schema = _schema()
    (tmp_path / "0001_first.sql").write_text("CREATE TABLE first_table (id integer);")
    (tmp_path / "0002_broken.sql").write_text(
        "CREATE TABLE half_done (id integer);\nINSERT INTO half_done VALUES (1);\nSELECT 1 / 0;\n"
    )
    (tmp_path / "0003_later.sql").write_text("CREATE TABLE later (id integer);")
    (tmp_path / "notes.txt").write_text("not a migration")
    try:
        with pytest.raises(StoreError) as caught:
            migrate(postgres_url, schema, directory=tmp_path)
        message = str(caught.value)
        assert "0002_broken" in message and "0001_first" in message
        assert "division by zero" in message and _one_line(message)
        tables = {
            row[0]
            for row in admin.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                [schema],
            )
        }
        assert tables == {"gridmap_migrations", "first_table"}
        assert applied_migrations(postgres_url, schema) == ["0001_first"]
        # Fixed, it goes on from there.
        (tmp_path / "0002_broken.sql").write_text("CREATE TABLE half_done (id integer);")
        assert migrate(postgres_url, schema, directory=tmp_path) == ["0002_broken", "0003_later"]
        # A program that does not know a recorded migration refuses to touch the schema.
        (tmp_path / "0003_later.sql").unlink()
        with pytest.raises(StoreError, match="0003_later"):
            migrate(postgres_url, schema, directory=tmp_path)
    finally:
        admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


# --- faults ----------------------------------------------------------------------------------
def test_a_server_that_does_not_answer_is_named_in_one_line():
    for attempt in (lambda: PostGISStore(DOWN_URL), lambda: migrate(DOWN_URL)):
        with pytest.raises(StoreError) as caught:
            attempt()
        message = str(caught.value)
        assert "127.0.0.1:1" in message and "test" in message
        assert "refused" in message.lower()
        assert _one_line(message)
        assert caught.value.__cause__ is None  # nothing to print below it


def test_the_cli_says_the_server_is_down_without_a_traceback(monkeypatch, capsys):
    from geo.cli import main

    monkeypatch.setenv("GRIDMAP_DB", DOWN_URL)
    assert main(["db", "migrate"]) == 2
    err = capsys.readouterr().err.strip()
    assert "127.0.0.1:1" in err and _one_line(err)


def test_a_malformed_url_is_a_clear_message():
    with pytest.raises(StoreError, match="not a valid PostgreSQL URL"):
        PostGISStore("postgresql://postgres@127.0.0.1:5432/test?sslmode=maybe&=")
    with pytest.raises(StoreError) as caught:
        PostGISStore("postgresql://postgres@127.0.0.1:notaport/test")
    assert _one_line(str(caught.value)) and "notaport" in str(caught.value)


def test_a_database_without_postgis_says_how_to_add_it(postgres_url, admin):
    name = f"gridmap_noext_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = postgres_url.rsplit("/", 1)[0] + "/" + name
        with pytest.raises(StoreError) as caught:
            PostGISStore(url)
        message = str(caught.value)
        assert "CREATE EXTENSION postgis" in message and "superuser" in message
        assert name in message and _one_line(message)
        with pytest.raises(StoreError, match="CREATE EXTENSION postgis"):
            migrate(url)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_rows_without_a_community_are_refused_whole(pg_store, grid3x3):
    orphan = grid3x3.assign(community_id=None)
    with pytest.raises(StoreError, match="community_id"):
        pg_store.upsert("grids", orphan)
    assert pg_store.count("grids") == 0


def test_one_pool_per_process_shared_by_stores(pg_store, postgres_url):
    other = PostGISStore(postgres_url, schema=pg_store.schema)
    assert other._pool is pg_store._pool is get_pool(postgres_url)
    other.close()
    assert pg_store.count("grids") == 0  # closing a store leaves the pool to the others


def test_rows_added_outside_the_store_do_not_collide_with_its_numbers(pg_store, admin):
    pg_store.add_reports(_reports([Point(0.5, 0.5)] * 3))
    admin.execute(
        f'INSERT INTO "{pg_store.schema}".reports (community_id, geom) '
        "VALUES ('c1', ST_SetSRID(ST_MakePoint(0.5, 0.5), 4326))"
    )
    assert pg_store.read("reports")["report_id"].tolist() == [1, 2, 3, 4]


# --- assignment: the same answer everywhere -------------------------------------------------
_TO_UTM = pyproj.Transformer.from_crs(4326, 32650, always_xy=True)
_TO_WGS84 = pyproj.Transformer.from_crs(32650, 4326, always_xy=True)
X0, Y0 = (round(v) for v in _TO_UTM.transform(117.31, 39.09))
LON0, LAT0 = 117.3, 39.08
D = 2.0**-10  # grid cells of about 85 m x 110 m, their corners exact in binary


def _metres(geom):
    """A geometry drawn in metres east/north of (X0, Y0) in EPSG:32650, in WGS 84."""
    return shapely.transform(
        shapely.transform(geom, lambda c: c + [X0, Y0]),
        lambda c: np.column_stack(_TO_WGS84.transform(c[:, 0], c[:, 1])),
    )


def _cell(i: float, j: float, w: float = 1, h: float = 1):
    return box(LON0 + i * D, LAT0 + j * D, LON0 + (i + w) * D, LAT0 + (j + h) * D)


def _at(i: float, j: float) -> Point:
    return Point(LON0 + i * D, LAT0 + j * D)


def _edge_grids() -> gpd.GeoDataFrame:
    holed = MultiPolygon([_cell(4, 0, 3, 3).difference(_cell(5, 1))])
    items = [
        ("G9", _cell(0, 0)),
        ("G10", _cell(1, 0)),  # "G10" < "G9" in code-point order
        ("a1", _cell(0, 1)),
        ("B1", _cell(1, 1)),  # "B1" < "a1": upper case first, as COLLATE "C"
        ("网格2", _cell(2, 0, 1, 2)),  # a Chinese code sorts after every ASCII one
        ("Z1", _cell(2, 2)),
        ("Z0", _cell(2.5, 2.5)),  # overlaps Z1
        ("H1", holed),
    ]
    frame = gpd.GeoDataFrame(
        {"grid_id": [k for k, _ in items], "community_id": "c1"},
        geometry=[g for _, g in items],
        crs=4326,
    )
    # The same ground in another community must never be chosen for c1's reports.
    other = gpd.GeoDataFrame(
        {"grid_id": ["A0"], "community_id": ["c2"]}, geometry=[_cell(-1, -1, 9, 9)], crs=4326
    )
    return pd.concat([frame, other], ignore_index=True)


def _edge_buildings() -> gpd.GeoDataFrame:
    items = [
        ("B9", box(0, 0, 20, 10)),
        ("B10", box(0, 0, 20, 10)),  # the same footprint: every tie goes to B10
        ("B2", box(100, 0, 120, 10)),
        ("C2", box(200, 0, 220, 10)),
        ("C1", box(210, 0, 230, 10)),  # overlaps C2
        ("D9", box(300, 0, 310, 10)),
        ("D1", box(315, 0, 325, 10)),
        ("E2", box(400, 0, 410, 10)),
        ("E1", box(420, 0, 430, 10)),  # E1 and E2 are 5 m either side of (415, 5)
    ]
    return gpd.GeoDataFrame(
        {"building_id": [k for k, _ in items], "community_id": "c1"},
        geometry=[_metres(g) for _, g in items],
        crs=4326,
    )


# point, grid expected, building expected
EDGE_CASES = [
    (_at(0.5, 0.5), "G9", None),
    (_at(1, 0.5), "G10", None),  # the edge G9 | G10
    (_at(1, 1.5), "B1", None),  # the edge a1 | B1
    (_at(1, 1), "B1", None),  # the corner of G9, G10, a1 and B1
    (_at(2, 0.5), "G10", None),  # the edge G10 | 网格2
    (_at(2.5, 1), "网格2", None),  # inside 网格2 only
    (_at(0, 0.5), "G9", None),  # the outer edge
    (_at(0, 0), "G9", None),  # the outer corner
    (_at(2.75, 2.75), "Z0", None),  # inside both overlapping grids
    (_at(2.25, 2.25), "Z1", None),
    (_at(5.5, 1.5), None, None),  # in the hole of H1
    (_at(5, 1.5), "H1", None),  # on the hole's edge: covered
    (_at(-0.5, 0.5), None, None),  # outside every grid of c1 (inside c2's)
    (_at(30, 30), None, None),
    (Point(), None, None),  # an empty point
    (_metres(Point(10, 5)), None, "B10"),  # inside two identical footprints
    (_metres(Point(10, -10)), None, "B10"),  # 10 m from both
    (_metres(Point(110, 15)), None, "B2"),  # 5 m north of B2
    (_metres(Point(60, 5)), None, None),  # 40 m from B10 and from B2
    (_metres(Point(149, 5)), None, "B2"),  # 29 m east of B2
    (_metres(Point(151, 5)), None, None),  # 31 m east of B2
    (_metres(Point(215, 5)), None, "C1"),  # inside C1 and C2
    (_metres(Point(205, 5)), None, "C2"),
    (_metres(Point(305, 5)), None, "D9"),  # inside D9, 10 m from D1: covering wins
    (_metres(Point(313, 5)), None, "D1"),  # 3 m from D9, 2 m from D1: the nearer
    (_metres(Point(415, 5)), None, "E1"),  # equally near E1 and E2
    (_metres(Point(20, 10)), None, "B10"),  # on the corner of B9 and B10
]


def _reports(points, cid="c1") -> gpd.GeoDataFrame:
    n = len(points)
    return gpd.GeoDataFrame(
        {
            "community_id": [cid] * n,
            "external_id": [f"e{i}" for i in range(n)],
            "status": ["submitted"] * n,
            "created_at": ["2026-07-01T08:00:00+08:00"] * n,
        },
        geometry=list(points),
        crs=4326,
    )


def _answers(frame: pd.DataFrame) -> list[tuple]:
    frame = frame.sort_values("external_id", key=lambda s: s.str[1:].astype(int))
    return [
        (None if pd.isna(g) else g, None if pd.isna(b) else b)
        for g, b in zip(frame["grid_id"], frame["building_id"], strict=True)
    ]


def test_hand_drawn_edge_cases_give_the_same_answer_in_python_gpkg_and_postgis(
    pg_store, postgres_url, admin, tmp_path
):
    grids, buildings = _edge_grids(), _edge_buildings()
    points = [p for p, _, _ in EDGE_CASES]
    expected = [(g, b) for _, g, b in EDGE_CASES]
    layers = {"grids": grids, "buildings": buildings}
    c1 = grids["community_id"] == "c1"

    python = assign_reports(_reports(points), grids[c1], buildings)
    assert _answers(python) == expected

    gpkg = GeoPackageStore(tmp_path / "edge.gpkg")
    gpkg.load_community(layers)
    gpkg.add_reports(_reports(points))
    assert _answers(gpkg.read("reports")) == expected

    # PostGIS, set-wise on intake, then again by reassign().
    pg_store.load_community(layers)
    pg_store.add_reports(_reports(points))
    assert _answers(pg_store.read("reports")) == expected
    admin.execute(f"UPDATE \"{pg_store.schema}\".reports SET grid_id = NULL, building_id = 'x'")
    summary = pg_store.reassign()
    assert _answers(pg_store.read("reports")) == expected
    assert summary.reports == len(points)
    assert summary.to_grid == sum(g is not None for g, _ in expected)
    assert summary.to_building == sum(b is not None for _, b in expected)

    # One row at a time, as QGIS inserts it: the trigger applies the same rule.
    admin.execute(f'DELETE FROM "{pg_store.schema}".reports')
    for i, point in enumerate(points):
        admin.execute(
            f'INSERT INTO "{pg_store.schema}".reports (community_id, external_id, geom) '
            "VALUES ('c1', %s, ST_GeomFromWKB(%s, 4326))",
            [f"e{i}", shapely.to_wkb(point)],
        )
    assert _answers(pg_store.read("reports")) == expected
    # Moving a report in QGIS assigns it again.
    admin.execute(
        f'UPDATE "{pg_store.schema}".reports SET geom = ST_GeomFromWKB(%s, 4326) '
        "WHERE external_id = 'e0'",
        [shapely.to_wkb(_metres(Point(110, 15)))],
    )
    moved = pg_store.read("reports").set_index("external_id").loc["e0"]
    assert (moved["grid_id"], moved["building_id"]) == (None, "B2")


def test_the_building_radius_is_configurable_in_sql_too(pg_store):
    pg_store.load_community({"buildings": _edge_buildings()})
    pg_store.radius_m = 10.0
    pg_store.add_reports(_reports([_metres(Point(110, 15)), _metres(Point(110, 22))]))
    assert pg_store.read("reports")["building_id"].tolist() == ["B2", None]
    pg_store.radius_m = 0.0
    pg_store.reassign()
    assert pg_store.read("reports")["building_id"].tolist() == [None, None]


def test_the_demo_community_gets_the_same_answers_in_both_backends(pg_store, tmp_path):
    demo = pytest.importorskip("geo.demo")
    layers = demo.build_demo(n_reports=3000, seed=11, now=pd.Timestamp("2026-11-25T12:00:00+08:00"))
    gpkg = GeoPackageStore(tmp_path / "demo.gpkg")
    gpkg.load_community(layers)
    pg_store.load_community(layers)
    a = gpkg.read("reports").set_index("report_id")
    b = pg_store.read("reports").set_index("report_id")
    assert a.index.tolist() == b.index.tolist()
    assert len(a) == len(model.conform("reports", layers["reports"]))
    for column in ("grid_id", "building_id"):
        assert a[column].tolist() == b[column].tolist(), column
    # ...which are the answers of geo.assign (the demo carries them already).
    given = model.conform("reports", layers["reports"]).set_index("report_id")
    assert given["grid_id"].tolist() == b["grid_id"].tolist()
    assert given["building_id"].tolist() == b["building_id"].tolist()
    assert b["grid_id"].notna().mean() > 0.9 and b["building_id"].notna().any()
    # Every other layer comes back the same from both.
    for name in ("community", "grids", "buildings", "chargers", "drying_areas", "report_events"):
        left, right = gpkg.read(name), pg_store.read(name)
        assert left.drop(columns="geometry", errors="ignore").equals(
            right.drop(columns="geometry", errors="ignore")
        ), name
        if "geometry" in left:
            assert shapely.equals_exact(
                np.asarray(left.geometry.values), np.asarray(right.geometry.values), 0
            ).all(), name


def test_a_password_in_the_url_is_never_shown(postgres_url):
    from geo.store.postgis import redact_url

    assert redact_url("postgresql://u:s3cret@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert "s3cret" not in redact_url("postgresql://u@h/db?password=s3cret&sslmode=require")
    assert "s3cret" not in redact_url("host=h password=s3cret dbname=db")
    with pytest.raises(StoreError) as caught:
        PostGISStore("postgresql://postgres:s3cret@127.0.0.1:1/test")
    assert "s3cret" not in str(caught.value)
    # Trust authentication ignores the password, so this store opens.
    with_password = postgres_url.replace("postgresql://postgres@", "postgresql://postgres:s3cret@")
    if with_password != postgres_url:
        store = PostGISStore(with_password, schema=_schema())
        try:
            assert "s3cret" not in store.url and "***" in store.url
        finally:
            store.drop_schema()
            store.close()
