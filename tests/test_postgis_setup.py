"""The PostGIS tests prepare their database themselves, or say why they cannot run.

tests/conftest.py enables the postgis extension in the test database when the server
has it installed, and skips (fails with GRIDMAP_REQUIRE_POSTGIS=1) with the reason
when it has not. The decision is checked here on a stand-in connection, so no test
has to take the extension away from the shared test database.
"""

from __future__ import annotations

import uuid

import pytest

from tests import conftest

CREATE = "CREATE EXTENSION IF NOT EXISTS postgis"


class _Result:
    def __init__(self, rows: list[tuple]) -> None:
        self.rows = rows

    def __iter__(self):
        return iter(self.rows)

    def fetchone(self) -> tuple:
        return self.rows[0]


class _FakeConnection:
    """Answers the few statements the set-up sends, and records them."""

    def __init__(self, enabled=(), create_error: Exception | None = None) -> None:
        self.enabled = set(enabled)
        self.create_error = create_error
        self.executed: list[str] = []

    def execute(self, statement: str) -> _Result:
        self.executed.append(statement)
        if statement == CREATE:
            if self.create_error is not None:
                raise self.create_error
            self.enabled.add("postgis")
            return _Result([])
        if statement == "SHOW server_version_num":
            return _Result([("150013",)])
        if statement == "SELECT extname FROM pg_extension":
            return _Result([(name,) for name in sorted(self.enabled)])
        raise AssertionError(f"unexpected statement: {statement}")


def _available(monkeypatch, *names: str) -> None:
    monkeypatch.setattr(conftest, "_available_extensions", lambda conn: set(names))


def test_an_installed_extension_is_enabled(monkeypatch):
    _available(monkeypatch, "plpgsql", "postgis")
    conn = _FakeConnection()
    assert conftest._enable_postgis(conn) is None
    assert CREATE in conn.executed
    assert "postgis" in conn.enabled


def test_a_missing_extension_is_a_reason_naming_the_package(monkeypatch):
    _available(monkeypatch, "plpgsql")
    conn = _FakeConnection()
    reason = conftest._enable_postgis(conn)
    assert "postgis extension is not installed" in reason
    assert "postgresql-15-postgis-3" in reason
    assert CREATE not in conn.executed  # nothing is attempted that cannot work


def test_a_create_that_fails_is_the_reason(monkeypatch):
    _available(monkeypatch, "postgis")
    conn = _FakeConnection(create_error=RuntimeError("permission denied to create extension"))
    assert "permission denied" in conftest._enable_postgis(conn)


def test_a_create_that_another_run_won_is_no_problem(monkeypatch):
    _available(monkeypatch, "postgis")
    conn = _FakeConnection(enabled={"postgis"}, create_error=RuntimeError("duplicate key"))
    assert conftest._enable_postgis(conn) is None


@pytest.mark.parametrize("required", [False, True])
def test_a_problem_skips_or_fails_as_the_environment_says(monkeypatch, required):
    monkeypatch.setattr(conftest, "_postgis_problem", lambda url: "no postgis here")
    monkeypatch.setattr(conftest, "REQUIRE_POSTGIS", required)
    outcome = pytest.fail.Exception if required else pytest.skip.Exception
    with pytest.raises(outcome, match="no postgis here"):
        conftest._postgis_url_or_skip()


def test_no_problem_gives_the_url(monkeypatch):
    monkeypatch.setattr(conftest, "_postgis_problem", lambda url: None)
    assert conftest._postgis_url_or_skip() == conftest.POSTGRES_URL


@pytest.mark.postgis
def test_the_test_database_has_postgis_enabled(postgres_url):
    import psycopg

    with psycopg.connect(postgres_url) as conn:
        assert "postgis" in conftest._enabled_extensions(conn)


@pytest.mark.postgis
def test_a_fresh_database_gets_postgis_from_the_set_up(postgres_url):
    """The real statements, on a database of its own (the shared one keeps its extension)."""
    import psycopg

    name = f"gridmap_setup_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = postgres_url.rsplit("/", 1)[0] + "/" + name
        with psycopg.connect(url, autocommit=True) as conn:
            assert "postgis" in conftest._available_extensions(conn)
            assert "postgis" not in conftest._enabled_extensions(conn)
            assert conftest._enable_postgis(conn) is None
            assert "postgis" in conftest._enabled_extensions(conn)
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
