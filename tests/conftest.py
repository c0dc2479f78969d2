"""Shared fixtures: hand-drawn geometry and a store of each backend.

The PostGIS backend runs when a server is reachable at GRIDMAP_TEST_POSTGRES_URL
(default postgresql://postgres@127.0.0.1:5432/test) and has the postgis extension
installed; the tests connect as a superuser and enable it in that database when it is
not yet. With GRIDMAP_REQUIRE_POSTGIS=1 (set by .ci/run) a missing server or extension
fails the run instead of skipping.
"""

from __future__ import annotations

import contextlib
import functools
import os
import uuid
from collections.abc import Iterator

import geopandas as gpd
import pytest
from shapely.geometry import box

POSTGRES_URL = os.environ.get(
    "GRIDMAP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGIS = os.environ.get("GRIDMAP_REQUIRE_POSTGIS") == "1"
REQUIRE_BROWSER = os.environ.get("GRIDMAP_REQUIRE_BROWSER") == "1"


def unavailable(reason: str, required: bool) -> None:
    """Skip the test, or fail it when the environment says the facility is mandatory."""
    if required:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def grid3x3() -> gpd.GeoDataFrame:
    """Nine unit squares, G1 bottom-left to G9 top-right, in degrees near the origin."""
    cells = []
    for row in range(3):
        for col in range(3):
            cells.append(
                {
                    "grid_id": f"G{row * 3 + col + 1}",
                    "community_id": "c1",
                    "geometry": box(col, row, col + 1, row + 1),
                }
            )
    return gpd.GeoDataFrame(cells, crs="EPSG:4326")


def _available_extensions(conn) -> set[str]:
    """The extensions the server could enable (installed in the system, enabled or not)."""
    return {name for (name,) in conn.execute("SELECT name FROM pg_available_extensions")}


def _enabled_extensions(conn) -> set[str]:
    """The extensions enabled in the connected database."""
    return {name for (name,) in conn.execute("SELECT extname FROM pg_extension")}


def _enable_postgis(conn) -> str | None:
    """Enable postgis in the connected database (autocommit); why it cannot be, or None.

    The tests connect as a superuser, so a server with PostGIS installed needs no
    set-up by hand: the test database gets the extension here.
    """
    if "postgis" not in _available_extensions(conn):
        major = int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000
        return (
            f"the postgis extension is not installed on this PostgreSQL {major} server "
            f"(Debian: apt-get install postgresql-{major}-postgis-3)"
        )
    try:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    except Exception as exc:
        # Another test run may have created it at the same moment: only its absence counts.
        if "postgis" not in _enabled_extensions(conn):
            return f"cannot enable postgis: {exc}"
    return None


@functools.cache
def _postgis_problem(url: str) -> str | None:
    """Why the PostGIS tests cannot run against ``url``, or None; checked once a session."""
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3, autocommit=True) as conn:
            problem = _enable_postgis(conn)
    except Exception as exc:  # any failure to reach the server
        return f"PostgreSQL not reachable at {url}: {exc}"
    return None if problem is None else f"{url}: {problem}"


def _postgis_url_or_skip() -> str:
    """The test server's URL, its database ready with postgis; else skip (or fail)."""
    problem = _postgis_problem(POSTGRES_URL)
    if problem is not None:
        unavailable(problem, REQUIRE_POSTGIS)
    return POSTGRES_URL


@pytest.fixture
def postgres_url() -> str:
    return _postgis_url_or_skip()


@pytest.fixture(params=["gpkg", "postgis"])
def store(request, tmp_path):
    """An empty store of each backend (PostGIS in a schema of its own, dropped after)."""
    if request.param == "gpkg":
        from geo.store.gpkg import GeoPackageStore

        s = GeoPackageStore(tmp_path / "test.gpkg")
        yield s
        s.close()
        return
    url = _postgis_url_or_skip()
    from geo.store.postgis import PostGISStore

    schema = f"t_{uuid.uuid4().hex[:10]}"
    s = PostGISStore(url, schema=schema)
    try:
        yield s
    finally:
        s.drop_schema()
        s.close()


@pytest.fixture(scope="session")
def demo_layers():
    """A small demo community (1,500 reports), built once for the whole run."""
    from geo.demo import build_demo

    return build_demo(n_reports=1500, seed=7)


@pytest.fixture(scope="session")
def demo_gpkg(tmp_path_factory, demo_layers):
    """A GeoPackage store holding the small demo community."""
    from geo.store.gpkg import GeoPackageStore

    path = tmp_path_factory.mktemp("demo") / "demo.gpkg"
    GeoPackageStore(path).load_community(demo_layers)
    return path


@contextlib.contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """The URL of a PostGIS database of its own, named ``prefix_<random>``; dropped after.

    Commands and fresh servers use a database's default schema, so a test of them
    gets a whole database rather than a schema of the shared one.
    """
    import psycopg

    url = _postgis_url_or_skip()
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    db_url = url.rsplit("/", 1)[0] + "/" + name
    try:
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        yield db_url
    finally:
        from geo.store.postgis import close_pools

        close_pools()
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def demo_postgis_url(demo_layers):
    """A PostGIS database of its own holding the same demo community; dropped after."""
    with scratch_database("gridmap_demo") as db_url:
        from geo.store.postgis import PostGISStore
        from geo.users import add_user
        from tests.app_support import DEMO_ADMIN, DEMO_ADMIN_PASSWORD

        store = PostGISStore(db_url)
        store.load_community(demo_layers)
        add_user(store, DEMO_ADMIN, "admin", DEMO_ADMIN_PASSWORD)  # PostGIS asks for sign-in
        store.close()
        yield db_url


# --- the browser tests' shared pieces (tests/browser_support.py serves the app) -------


@pytest.fixture(scope="session")
def chromium() -> str:
    from tests.browser_support import chromium_path

    return chromium_path()


@pytest.fixture(scope="session")
def browser(chromium):
    """One headless Chromium for the whole run (Playwright, the system binary)."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM_ARGS

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def served_app(demo_gpkg):
    """The app served on the demo store, for tests that only read."""
    from tests.browser_support import serve_app

    with serve_app(demo_gpkg) as url:
        yield url
