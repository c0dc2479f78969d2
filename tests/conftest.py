"""Shared fixtures: hand-drawn geometry and a store of each backend.

The PostGIS backend runs when a server is reachable at GRIDMAP_TEST_POSTGRES_URL
(default postgresql://postgres@127.0.0.1:5432/test). With GRIDMAP_REQUIRE_POSTGIS=1
(set by .ci/run) a missing server fails the run instead of skipping.
"""

from __future__ import annotations

import os
import uuid

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


def _postgis_url_or_skip() -> str:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # any failure to reach the server
        unavailable(f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}", REQUIRE_POSTGIS)
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


@pytest.fixture(scope="session")
def demo_postgis_url(demo_layers):
    """A PostGIS database of its own holding the same demo community; dropped after."""
    import psycopg

    url = _postgis_url_or_skip()
    name = f"gridmap_demo_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    db_url = url.rsplit("/", 1)[0] + "/" + name
    try:
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        from geo.store.postgis import PostGISStore

        store = PostGISStore(db_url)
        store.load_community(demo_layers)
        store.close()
        yield db_url
    finally:
        from geo.store.postgis import close_pools

        close_pools()
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
