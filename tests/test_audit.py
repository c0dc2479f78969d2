"""The append-only audit log (geo/store/audit.py), on both stores.

Who, when, what, before and after of every change to grids, buildings, reports and
users; bulk loads as one row per table; changes made outside the app (QGIS editing
the same tables) logged without an actor; the log itself cannot be changed.
"""

from __future__ import annotations

import sqlite3

import pandas as pd
import psycopg
import pytest

from geo import access, users
from geo.access import User
from geo.store import audit, gpkg_blob
from geo.store.guarded import GuardedStore
from tests.test_store_contract import every_layer, reports

PLANNER = User("qian", "planner")
WORKER = User("wang", "grid_worker", full_name="王秀梅")


@pytest.fixture
def loaded(store):
    store.load_community(every_layer())
    return store


def _sql(store, statement: str) -> None:
    """Run SQL on the store's tables as another program would (QGIS, psql, sqlite3)."""
    if store.embedded:
        with sqlite3.connect(store.path) as conn:
            gpkg_blob.register_functions(conn)  # the R-tree triggers' functions, as in QGIS
            conn.execute(statement)
        return
    with psycopg.connect(store._conninfo, autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{store.schema}", public')
        conn.execute(statement)


def test_a_bulk_load_is_one_row_per_table_with_the_numbers(loaded):
    log = loaded.audit_log()
    assert set(log["action"]) == {"bulk"}
    counts = {row.entity: row.after["inserted"] for row in log.itertuples()}
    assert counts == {
        "community": 1,
        "grids": 9,
        "buildings": 3,
        "chargers": 2,
        "drying_areas": 2,
        "reports": 6,
    }
    assert log["community_id"].eq("c1").all()
    assert log["actor"].isna().all()  # no person acting: a program, not the app


def test_a_change_records_who_when_and_only_the_columns_that_changed(loaded):
    before = pd.Timestamp.now(tz="UTC") - pd.Timedelta(seconds=5)
    GuardedStore(loaded, WORKER).update_report(
        1, {"status": "accepted"}, event={"actor": "王秀梅", "note": "收到"}
    )
    row = loaded.audit_log().iloc[0]
    assert (row.actor, row.entity, row.entity_id, row.action) == ("wang", "reports", "1", "update")
    assert row.before == {"status": "submitted"} and row.after == {"status": "accepted"}
    assert row.changed == "status" and row.community_id == "c1"
    assert before <= row["at"] <= pd.Timestamp.now(tz="UTC") + pd.Timedelta(seconds=5)


def test_replacing_a_row_is_one_update_and_a_geometry_change_shows_both_shapes(loaded):
    grid = loaded.read("grids").iloc[[0]]
    moved = grid.assign(geometry=grid.geometry.translate(0.001, 0), name="一网格")
    GuardedStore(loaded, PLANNER).upsert("grids", moved)
    log = loaded.audit_log()
    mine = log[log["actor"] == "qian"]
    grid_rows = mine[mine["entity"] == "grids"]
    assert len(grid_rows) == 1
    row = grid_rows.iloc[0]
    assert row.action == "update" and set(row.changed.split(", ")) == {"name", "geometry"}
    assert row.before["geometry"].startswith("MULTIPOLYGON") and row.after["name"] == "一网格"
    assert row.before["geometry"] != row.after["geometry"]


def test_rewriting_a_row_unchanged_logs_nothing(loaded):
    GuardedStore(loaded, PLANNER).upsert("grids", loaded.read("grids").iloc[[2]])
    assert (loaded.audit_log()["actor"] == "qian").sum() == 0


def test_inserts_and_deletes_carry_the_whole_row(loaded):
    with access.acting_as(User("root", "admin")):
        report_id = loaded.add_report(reports(1, prefix="N"))
    row = loaded.audit_log().iloc[0]
    assert (row.action, row.entity_id, row.actor) == ("insert", str(report_id), "root")
    assert row.after["external_id"] == "N0" and row.after["geometry"].startswith("POINT")
    _sql(loaded, f"DELETE FROM reports WHERE report_id = {report_id}")
    row = loaded.audit_log().iloc[0]
    assert (row.action, row.entity_id) == ("delete", str(report_id))
    assert row.before["external_id"] == "N0" and row.after is None


def test_a_change_made_outside_the_app_is_logged_without_an_actor(loaded):
    _sql(loaded, "UPDATE buildings SET floors = 12 WHERE building_id = 'B1'")
    row = loaded.audit_log().iloc[0]
    assert (row.entity, row.entity_id, row.action) == ("buildings", "B1", "update")
    assert pd.isna(row.actor) and row.after == {"floors": 12}


def test_the_log_refuses_to_be_changed_or_emptied(loaded):
    n = len(loaded.audit_raw())
    for statement in ("UPDATE audit_log SET actor = 'someone'", "DELETE FROM audit_log"):
        with pytest.raises((sqlite3.DatabaseError, psycopg.Error), match="append-only"):
            _sql(loaded, statement)
    if not loaded.embedded:
        with pytest.raises(psycopg.Error, match="append-only"):
            _sql(loaded, "TRUNCATE audit_log")
    assert len(loaded.audit_raw()) == n


def test_user_changes_are_logged_without_the_password_hash(loaded):
    admin = GuardedStore(loaded, User("root", "admin"))
    users.add_user(admin, "zhao", "secretary", "a long password", full_name="赵书记")
    users.set_password(admin, "zhao", "another long password")
    users.set_disabled(admin, "zhao")
    log = loaded.audit_log()
    mine = log[log["entity"] == "users"]
    assert list(mine["action"]) == ["update", "update", "insert"]
    assert mine.iloc[2].after["full_name"] == "赵书记"
    assert mine.iloc[1].changed == "password_changed_at"  # the hash changed, unseen
    assert mine.iloc[0].after == {"disabled": True} or mine.iloc[0].after == {"disabled": 1}
    hashes = loaded.users()["password_hash"].iloc[0]
    assert hashes not in loaded.audit_raw().astype(str).to_string()
    assert "password_hash" not in loaded.audit_raw().astype(str).to_string()


def test_the_filters_and_the_export_of_the_page(loaded):
    GuardedStore(loaded, WORKER).update_report(1, {"status": "accepted"})
    GuardedStore(loaded, PLANNER).upsert("grids", loaded.read("grids").iloc[[0]].assign(name="X"))
    log = loaded.audit_log()
    assert list(audit.filtered(log, entities=["grids"], actors=["qian"])["entity_id"]) == ["G1"]
    assert list(audit.filtered(log, text="accepted")["entity_id"]) == ["1"]
    later = pd.Timestamp.now(tz="UTC") + pd.Timedelta(hours=1)
    assert audit.filtered(log, since=later).empty
    flat = audit.table(log, "Asia/Shanghai")
    assert '"accepted"' in flat.loc[flat["entity_id"] == "1", "after"].iloc[0]
    assert audit.csv_bytes(flat).startswith("\ufeff".encode())
    assert audit.xlsx_bytes(flat)[:2] == b"PK"


def test_a_restore_is_one_row_per_table_and_leaves_the_log_as_it_was(loaded, tmp_path):
    from geo.store.backup import backup_store, restore_store

    backup_store(loaded, tmp_path / "backup.gpkg")
    GuardedStore(loaded, WORKER).update_report(1, {"status": "accepted"})
    before = loaded.audit_raw()
    with access.acting_as(User("root", "admin")):
        restore_store(loaded, tmp_path / "backup.gpkg")
    assert loaded.report(1)["status"] == "submitted"  # restored
    after = loaded.audit_raw().sort_values("audit_id")
    kept = after.head(len(before)).reset_index(drop=True)
    assert kept["audit_id"].tolist() == sorted(before["audit_id"].tolist())  # nothing lost
    added = audit.changes(after.tail(len(after) - len(before)))
    assert set(added["action"]) == {"bulk"} and set(added["actor"]) == {"root"}
    reports = added[added["entity"] == "reports"].iloc[0].after
    assert reports == {"deleted": 6, "inserted": 6, "restore": "backup.gpkg"}


def test_the_triggers_follow_a_column_added_to_the_model(tmp_path, monkeypatch):
    from geo import model
    from geo.store.gpkg import GeoPackageStore

    path = tmp_path / "s.gpkg"
    GeoPackageStore(path).load_community(every_layer())
    grids = model.LAYERS["grids"]
    wider = model.Layer(grids.name, grids.key, grids.geometry, {**grids.columns, "phone2": "str"})
    monkeypatch.setitem(model.LAYERS, "grids", wider)  # a later version adds a column
    store = GeoPackageStore(path)
    with access.acting_as(PLANNER):
        store.upsert("grids", store.read("grids").iloc[[0]].assign(phone2="022-1234"))
    row = store.audit_log().iloc[0]
    assert row.entity == "grids" and row.after == {"phone2": "022-1234"}
