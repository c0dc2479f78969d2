"""Backups and restores (geo/store/backup.py, ``gridmap backup`` and ``gridmap restore``).

Every test runs on both backends: the demo community plus a report with events and a
photo and a saved version of the grids is backed up from the GeoPackage store and
from PostGIS, restored into the other backend and into the same one, and read back
through the store interface: every table equal to what was saved, column by column,
geometries exactly, keys kept; new rows after a restore get fresh keys. A file that
is no backup, a damaged one, one from a newer schema or a failure in the middle of a
restore is refused with a clear message and leaves the store as it was.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from geo import model
from geo.demo import DEMO_COMMUNITY_ID
from geo.errors import StoreError
from geo.grids.versions import current_base
from geo.store import backup
from geo.store.gpkg import GeoPackageStore
from tests.conftest import _postgis_url_or_skip, scratch_database
from tests.test_store_contract import TINY_JPEG, every_layer

CID = DEMO_COMMUNITY_ID
BACKENDS = ("gpkg", "postgis")


@pytest.fixture
def make_store(tmp_path):
    """Stores made on demand, by backend and name; PostGIS ones dropped after."""
    made = []

    def make(kind: str, name: str):
        if kind == "gpkg":
            return GeoPackageStore(tmp_path / f"{name}.gpkg")
        from geo.store.postgis import PostGISStore

        store = PostGISStore(_postgis_url_or_skip(), schema=f"t_{uuid.uuid4().hex[:10]}")
        made.append(store)
        return store

    yield make
    for store in made:
        store.drop_schema()
        store.close()


def fill(store, demo_layers) -> int:
    """The demo community, one more report with two events and a photo, a grid version.

    Returns the new report's id.
    """
    store.load_community(demo_layers)
    report = demo_layers["reports"].iloc[[0]].copy()
    report["report_id"] = None
    report["external_id"] = "backup-1"
    report["status"] = "submitted"
    report["description"] = '楼道灯坏了\t"引号" \\N 😀'
    report_id = store.add_report(report)
    store.update_report(
        report_id,
        {"status": "accepted", "assignee": "李建军"},
        expected={"status": "submitted"},
        event={"actor": "王秀梅", "note": "已受理", "at": "2026-07-01T11:00:00.123+08:00"},
    )
    # No time given: the store's clock, to the microsecond in PostGIS.
    store.update_report(report_id, {"status": "dispatched"}, event={"actor": "王秀梅"})
    store.add_photo(report_id, TINY_JPEG, "image/jpeg", "门口.jpg", 1, 1, "王秀梅")
    grids = store.read("grids", CID)
    changed = grids.copy()
    changed.loc[changed.index[0], "worker_name"] = "新网格员"
    store.save_grids(CID, changed, current_base(store, CID, grids), "王规划", "备份之前")
    return report_id


def snapshot(store) -> dict:
    """Everything the store interface gives back: layers, photos, versions of grids."""
    got = {name: store.read(name) for name in model.LAYERS}
    reports = got["reports"]["report_id"].tolist()
    got["photos"] = {r: store.photos(r) for r in reports if store.photos(r)}
    got["versions"] = {}
    for cid in store.community_ids():
        versions = store.grid_versions(cid)
        got["versions"][cid] = versions
        for version in versions["version"]:
            got[f"grids v{version} of {cid}"] = store.grid_version(cid, int(version))
    return got


def assert_frames_equal(actual: pd.DataFrame, expected: pd.DataFrame, what: str) -> None:
    """Same columns, dtypes and values; geometries exactly equal and of the same type."""
    plain = [c for c in expected.columns if c != "geometry"]
    pd.testing.assert_frame_equal(
        pd.DataFrame(actual[plain]).reset_index(drop=True),
        pd.DataFrame(expected[plain]).reset_index(drop=True),
        check_exact=True,
        obj=what,
    )
    if isinstance(expected, gpd.GeoDataFrame):
        got = np.asarray(actual.geometry.values, dtype=object)
        want = np.asarray(expected.geometry.values, dtype=object)
        assert shapely.is_missing(got).tolist() == shapely.is_missing(want).tolist(), what
        both = ~shapely.is_missing(want)
        assert shapely.equals_exact(got[both], want[both], tolerance=0).all(), what
        assert (shapely.get_type_id(got[both]) == shapely.get_type_id(want[both])).all(), what


def assert_same_content(actual: dict, expected: dict) -> None:
    assert set(actual) == set(expected)
    for name, want in expected.items():
        if name == "photos":
            assert actual["photos"] == want
        elif name == "versions":
            assert set(actual[name]) == set(want)
            for cid, frame in want.items():
                assert_frames_equal(actual[name][cid], frame, f"versions of {cid}")
        else:
            assert_frames_equal(actual[name], want, name)


# --- round trips -------------------------------------------------------------------------------
# Across backends; a restore into the same backend is the next test's.
@pytest.mark.parametrize(("source_kind", "target_kind"), [("gpkg", "postgis"), ("postgis", "gpkg")])
def test_a_restore_gives_back_exactly_what_was_saved(
    make_store, demo_layers, tmp_path, source_kind, target_kind
):
    source = make_store(source_kind, "source")
    report_id = fill(source, demo_layers)
    saved = snapshot(source)
    assert len(saved["photos"]) == 1 and len(saved["versions"][CID]) == 2
    summary = backup.backup_store(source, tmp_path / "backup.gpkg")
    assert summary.rows["reports"] == len(saved["reports"])
    assert summary.rows["report_photos"] == 1 and summary.rows["grid_history"] == 24

    # The target holds something else: a community of its own, which the restore replaces.
    target = make_store(target_kind, "target")
    target.load_community(every_layer("c9"))
    target.add_photo(1, TINY_JPEG, "image/jpeg")
    restored = backup.restore_store(target, tmp_path / "backup.gpkg")
    assert restored.rows == {t: n for t, n in summary.rows.items() if t != "audit_log"}

    assert_same_content(snapshot(target), saved)
    assert target.community_ids() == [CID]
    assert [p.photo_id for p in target.photos(report_id)] == [
        p.photo_id for p in saved["photos"][report_id]
    ]

    # New rows get fresh keys: after the restored ones, never colliding with them.
    top_report = int(saved["reports"]["report_id"].max())
    top_event = int(saved["report_events"]["event_id"].max())
    top_photo = max(p.photo_id for photos in saved["photos"].values() for p in photos)
    fresh = demo_layers["reports"].iloc[[1]].assign(report_id=None, external_id="after-1")
    assert target.add_report(fresh) == top_report + 1
    target.update_report(top_report + 1, {"status": "accepted"}, event={"actor": "新"})
    assert int(target.report_history(top_report + 1)["event_id"].iloc[0]) > top_event
    assert target.add_photo(top_report + 1, TINY_JPEG, "image/jpeg") > top_photo
    grids = target.read("grids", CID)
    again = target.save_grids(CID, grids, current_base(target, CID, grids), "李", None)
    assert again.version == 3


@pytest.mark.parametrize("kind", BACKENDS)
def test_restoring_into_the_same_store_undoes_every_change_since(
    make_store, demo_layers, tmp_path, kind
):
    store = make_store(kind, "store")
    report_id = fill(store, demo_layers)
    saved = snapshot(store)
    backup.backup_store(store, tmp_path / "backup.gpkg")

    store.add_reports(every_layer(CID)["reports"].assign(report_id=None))
    store.update_report(report_id, {"status": "closed", "rating": 5}, event={"actor": "甲"})
    store.add_photo(report_id, b"\x89PNG more", "image/png")
    grids = store.read("grids", CID)
    store.save_grids(CID, grids.iloc[1:], current_base(store, CID, grids), "乙", "删一个")
    store.upsert("chargers", every_layer(CID)["chargers"])
    assert store.count("reports") > len(saved["reports"])

    backup.restore_store(store, tmp_path / "backup.gpkg")
    assert_same_content(snapshot(store), saved)


@pytest.mark.parametrize("kind", BACKENDS)
def test_the_backup_is_a_geopackage_store_that_gdal_reads(make_store, demo_layers, tmp_path, kind):
    source = make_store(kind, "source")
    fill(source, demo_layers)
    saved = snapshot(source)
    path = tmp_path / "backup.gpkg"
    backup.backup_store(source, path)

    # One self-contained file, no write-ahead log beside it.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("backup")) == [
        "backup.gpkg"
    ]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    info = backup.read_backup_info(path)
    assert info.schema_version == backup.schema_version()
    assert info.source == kind
    assert info.rows["reports"] == len(saved["reports"])

    layers = dict(pyogrio.list_layers(path).tolist())
    for name, spec in model.LAYERS.items():
        want = spec.geometry.replace("Geometry", "Unknown") if spec.geometry else None
        assert layers[name] == want, name
    gdal_reports = pyogrio.read_dataframe(path, layer="reports")
    assert len(gdal_reports) == len(saved["reports"])

    copy = tmp_path / "opened.gpkg"
    copy.write_bytes(path.read_bytes())
    as_store = GeoPackageStore(copy)
    for name in model.LAYERS:
        assert_frames_equal(as_store.read(name), saved[name], name)


@pytest.mark.parametrize("source_kind", BACKENDS)
@pytest.mark.parametrize("target_kind", BACKENDS)
def test_users_are_restored_the_audit_log_is_copied_and_left_alone(
    make_store, tmp_path, monkeypatch, source_kind, target_kind
):
    """Tables beyond the model go by the constant; here two stand-ins for users and the log."""
    assert "users" in backup.TABLES and "audit_log" in backup.TABLES
    assert backup.KEPT_BY_RESTORE == {"audit_log"}
    monkeypatch.setattr(backup, "TABLES", (*backup.TABLES, "probe_users", "probe_log"))
    monkeypatch.setattr(backup, "KEPT_BY_RESTORE", frozenset({"audit_log", "probe_log"}))
    source = make_store(source_kind, "source")
    target = make_store(target_kind, "target")
    source.load_community(every_layer("c1"))
    _probe_tables(source, users=[("甲", '{"role": "admin"}'), ("乙", None)], log=["a", "b", "c"])
    _probe_tables(target, users=[("丙", '{"role": "planner"}')], log=["target's own"])

    summary = backup.backup_store(source, tmp_path / "backup.gpkg")
    assert summary.rows["probe_users"] == 2 and summary.rows["probe_log"] == 3
    restored = backup.restore_store(target, tmp_path / "backup.gpkg")
    assert "probe_log" in restored.left_alone and "probe_users" in restored.rows

    users = _probe_rows(target, "probe_users")
    assert users == _probe_rows(source, "probe_users")
    assert [u[0] for u in users] == [1, 2]
    assert [r[1] for r in _probe_rows(target, "probe_log")] == ["target's own"]
    with sqlite3.connect(tmp_path / "backup.gpkg") as conn:
        copied = conn.execute("SELECT what FROM probe_log ORDER BY audit_id").fetchall()
    conn.close()
    assert copied == [("a",), ("b",), ("c",)]
    # A user added after the restore gets a number after the restored ones.
    _probe_tables(target, users=[("丁", None)], log=[])
    assert [u[0] for u in _probe_rows(target, "probe_users")] == [1, 2, 3]


def test_a_table_the_source_lacks_is_skipped_and_left_alone(make_store, tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "TABLES", (*backup.TABLES, "probe_users"))
    source = make_store("gpkg", "source")
    source.load_community(every_layer("c1"))
    summary = backup.backup_store(source, tmp_path / "backup.gpkg")
    assert "probe_users" not in summary.rows
    target = make_store("gpkg", "target")
    _probe_tables(target, users=[("丙", None)], log=None)
    restored = backup.restore_store(target, tmp_path / "backup.gpkg")
    assert "probe_users" in restored.left_alone
    assert len(_probe_rows(target, "probe_users")) == 1


def _probe_tables(store, users, log) -> None:
    """Create (once) and fill two tables shaped like users and an audit log."""
    if isinstance(store, GeoPackageStore):
        with sqlite3.connect(store.path) as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS probe_users (user_id INTEGER PRIMARY KEY "
                "AUTOINCREMENT, name TEXT NOT NULL, roles TEXT, created_at DATETIME)"
            )
            conn.executemany(
                "INSERT INTO probe_users (name, roles, created_at) "
                "VALUES (?, ?, '2026-07-01T03:00:00.123456Z')",
                users,
            )
            if log is not None:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS probe_log (audit_id INTEGER PRIMARY KEY "
                    "AUTOINCREMENT, what TEXT)"
                )
                conn.executemany("INSERT INTO probe_log (what) VALUES (?)", [(w,) for w in log])
        conn.close()
        return
    with store._transaction() as conn:
        schema = conn.execute("SELECT current_schema()").fetchone()[0]
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {schema}.probe_users (user_id bigint GENERATED BY "
            "DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL, roles jsonb, "
            "created_at timestamptz)"
        )
        for name, roles in users:
            conn.execute(
                f"INSERT INTO {schema}.probe_users (name, roles, created_at) "
                "VALUES (%s, %s, '2026-07-01T03:00:00.123456Z')",
                (name, roles),
            )
        if log is not None:
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {schema}.probe_log (audit_id bigint GENERATED "
                "ALWAYS AS IDENTITY PRIMARY KEY, what text)"
            )
            for what in log:
                conn.execute(f"INSERT INTO {schema}.probe_log (what) VALUES (%s)", (what,))


def _probe_rows(store, table: str) -> list[tuple]:
    """Rows of a probe table, in key order, as comparable values (JSON parsed, times UTC)."""
    import json

    key = "user_id" if table == "probe_users" else "audit_id"
    columns = "user_id, name, roles, created_at" if table == "probe_users" else "audit_id, what"
    if isinstance(store, GeoPackageStore):
        with sqlite3.connect(store.path) as conn:
            rows = conn.execute(f"SELECT {columns} FROM {table} ORDER BY {key}").fetchall()
        conn.close()
    else:
        with store._transaction() as conn:
            schema = conn.execute("SELECT current_schema()").fetchone()[0]
            text = columns.replace("roles", "roles::text")
            rows = conn.execute(f"SELECT {text} FROM {schema}.{table} ORDER BY {key}").fetchall()
    if table != "probe_users":
        return [tuple(r) for r in rows]
    return [
        (int(i), n, None if r is None else json.loads(r), pd.Timestamp(at).tz_convert("UTC"))
        for i, n, r, at in rows
    ]


# --- refusals -------------------------------------------------------------------------------
@pytest.fixture
def good_backup(tmp_path) -> Path:
    source = GeoPackageStore(tmp_path / "source.gpkg")
    source.load_community(every_layer("c1"))
    source.add_photo(1, TINY_JPEG, "image/jpeg")
    path = tmp_path / "good.gpkg"
    backup.backup_store(source, path)
    return path


def _damaged(good: Path, tmp_path: Path) -> Path:
    """The backup with one page in the middle overwritten with zeros."""
    data = bytearray(good.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle : middle + page] = bytes(page)
    path = tmp_path / "damaged.gpkg"
    path.write_bytes(bytes(data))
    return path


def _newer(good: Path, tmp_path: Path) -> Path:
    path = tmp_path / "newer.gpkg"
    path.write_bytes(good.read_bytes())
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE gridmap_backup SET value = ? WHERE key = 'schema_version'",
            (str(backup.schema_version() + 1),),
        )
    conn.close()
    return path


def _plain_store(good: Path, tmp_path: Path) -> Path:
    path = tmp_path / "plain.gpkg"
    GeoPackageStore(path).load_community(every_layer("c1"))
    return path


def _text_file(good: Path, tmp_path: Path) -> Path:
    path = tmp_path / "notes.gpkg"
    path.write_text("community,reports\nc1,6\n", encoding="utf-8")
    return path


def _truncated(good: Path, tmp_path: Path) -> Path:
    path = tmp_path / "truncated.gpkg"
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.mark.parametrize(
    ("make_file", "key", "words"),
    [
        (_plain_store, "backup.not_backup", "is not a backup of Community Grid Map"),
        (_text_file, "backup.not_backup", "is not a backup of Community Grid Map"),
        (_damaged, "backup.corrupt", "is damaged"),
        (_truncated, "backup.corrupt", "is damaged"),
        (_newer, "backup.newer", "from a newer version"),
        (lambda good, tmp: tmp / "missing.gpkg", "backup.missing", "does not exist"),
    ],
    ids=["plain-store", "text-file", "damaged", "truncated", "newer-schema", "missing"],
)
@pytest.mark.parametrize("kind", BACKENDS)
def test_what_is_not_a_restorable_backup_is_refused_and_changes_nothing(
    make_store, good_backup, tmp_path, make_file, key, words, kind
):
    target = make_store(kind, "target")
    target.load_community(every_layer("c7"))
    before = snapshot(target)
    path = make_file(good_backup, tmp_path)
    with pytest.raises(StoreError) as raised:
        backup.restore_store(target, path)
    assert raised.value.key == key
    assert words in raised.value.message("en") and "nothing was restored" in str(raised.value)
    assert "未恢复任何内容" in raised.value.message("zh")
    assert_same_content(snapshot(target), before)


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_failure_in_the_middle_of_a_restore_leaves_the_store_as_it_was(
    make_store, good_backup, monkeypatch, kind
):
    target = make_store(kind, "target")
    target.load_community(every_layer("c7"))
    before = snapshot(target)
    writers = backup._PostgisTables if kind == "postgis" else backup._GeoPackageTables
    write = writers.write

    def failing(self, table, columns, chunks):
        if table == "report_events":  # after the layers before it were replaced
            raise StoreError("store.no_report", report_id=0)
        return write(self, table, columns, chunks)

    monkeypatch.setattr(writers, "write", failing)
    with pytest.raises(StoreError) as raised:
        backup.restore_store(target, good_backup)
    assert raised.value.key == "backup.restore_failed"
    assert "the store was left as it was" in str(raised.value)
    assert_same_content(snapshot(target), before)


def test_a_backup_never_overwrites_a_file_and_is_named_gpkg(good_backup, tmp_path):
    source = GeoPackageStore(tmp_path / "source.gpkg")
    before = good_backup.read_bytes()
    with pytest.raises(StoreError) as raised:
        backup.backup_store(source, good_backup)
    assert raised.value.key == "backup.exists"
    assert good_backup.read_bytes() == before
    with pytest.raises(StoreError) as raised:
        backup.backup_store(source, tmp_path / "backup.zip")
    assert raised.value.key == "backup.not_gpkg_name"
    assert not (tmp_path / "backup.zip").exists()


def test_a_target_without_a_table_of_the_backup_is_refused_before_anything_is_written(
    make_store, good_backup, monkeypatch
):
    target = make_store("gpkg", "target")
    target.load_community(every_layer("c7"))
    before = snapshot(target)
    with sqlite3.connect(target.path) as conn:
        conn.execute("ALTER TABLE chargers RENAME TO chargers_old")
    conn.close()
    with pytest.raises(StoreError) as raised:
        backup.restore_store(target, good_backup)
    assert raised.value.key == "backup.target_lacks_table"
    with sqlite3.connect(target.path) as conn:
        conn.execute("ALTER TABLE chargers_old RENAME TO chargers")
    conn.close()
    assert_same_content(snapshot(target), before)


# --- the commands end to end ---------------------------------------------------------------------
@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setenv("GRIDMAP_LANG", "en")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _use(monkeypatch, db) -> None:
    monkeypatch.setenv("GRIDMAP_DB", str(db))


def test_backup_and_restore_commands_on_a_geopackage(cli_env, monkeypatch, capsys):
    from geo.cli import main

    store_path = cli_env / "store.gpkg"
    _use(monkeypatch, store_path)
    assert main(["demo", "--reports", "300", "--seed", "3"]) == 0
    saved = snapshot(GeoPackageStore(store_path))
    capsys.readouterr()

    assert main(["backup", "backup.gpkg"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Backed up {store_path} to backup.gpkg:")
    assert "reports 300" in out

    assert main(["demo", "--reports", "120", "--seed", "9"]) == 0  # the content changes
    assert main(["restore", "backup.gpkg"]) == 0
    out = capsys.readouterr().out
    assert "Restored backup.gpkg into" in out and "reports 300" in out
    assert "Left as they were: audit_log" in out
    assert_same_content(snapshot(GeoPackageStore(store_path)), saved)

    # Refusals are one line on stderr, exit status 2, in the chosen language.
    assert main(["backup", "backup.gpkg"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "already exists" in err
    assert len(err.strip().splitlines()) == 1
    assert main(["restore", "store.gpkg"]) == 2
    assert "is not a backup of Community Grid Map" in capsys.readouterr().err
    monkeypatch.setenv("GRIDMAP_LANG", "zh")
    assert main(["restore", "nope.gpkg"]) == 2
    err = capsys.readouterr().err
    assert "不存在" in err and "Traceback" not in err


@pytest.fixture
def postgis_database():
    """A database of its own (the commands use its default schema); dropped after."""
    with scratch_database("gridmap_backup") as db_url:
        yield db_url


def test_backup_from_postgis_and_restore_into_a_geopackage_by_command(
    cli_env, postgis_database, monkeypatch, capsys
):
    from geo.cli import main
    from geo.store.postgis import PostGISStore

    _use(monkeypatch, postgis_database)
    assert main(["demo", "--reports", "200", "--seed", "4"]) == 0
    saved = snapshot(PostGISStore(postgis_database))
    assert main(["backup", "from-postgis.gpkg"]) == 0
    assert "reports 200" in capsys.readouterr().out

    _use(monkeypatch, cli_env / "fresh.gpkg")
    assert main(["restore", "from-postgis.gpkg"]) == 0
    assert_same_content(snapshot(GeoPackageStore(cli_env / "fresh.gpkg")), saved)

    # And back into PostGIS over changed content.
    _use(monkeypatch, postgis_database)
    assert main(["demo", "--reports", "50", "--seed", "5"]) == 0
    assert main(["restore", "from-postgis.gpkg"]) == 0
    assert_same_content(snapshot(PostGISStore(postgis_database)), saved)
