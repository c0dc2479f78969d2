"""Faults, on both backends: a killed import, and writers in several processes at once.

- ``gridmap import`` of a large reports file killed with SIGKILL while it is inside
  its write transaction (seen from outside: the GeoPackage's write lock held and its
  write-ahead log growing; PostGIS's backend running the insert into reports with the
  table's lock granted) leaves the store exactly as it was, and the store opens and
  takes the next import.
- Writers in separate processes (each with its own connections, as app servers and
  command runs are) lose no update: compare-and-set transitions of one report (one
  winner per state, every win with its event), changes of different columns of one
  report, reports added at once (all kept, numbers unique, one external_id stored
  once), and grid saves from the same base (one saved, the others told).

Threads in one process are covered by tests/test_store_contract.py (two writers on
one report, reports added while reassigning) and tests/test_grid_versions.py (two
saves at once); these add separate processes and the cases those leave out. That a
restore gives back exactly what was backed up is in tests/test_backup.py.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
import traceback
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo.store.gpkg import GeoPackageStore
from tests.conftest import _postgis_url_or_skip, scratch_database
from tests.test_backup import assert_frames_equal
from tests.test_store_contract import every_layer, reports

ROOT = Path(__file__).resolve().parents[1]
BIG_IMPORT_ROWS = 150_000
SIGNAL_TIMEOUT_S = 180
PROCESSES = 3


# --- a store each process can open -------------------------------------------------------------
def _open(spec: tuple):
    kind, where, schema = spec
    if kind == "gpkg":
        return GeoPackageStore(where)
    from geo.store.postgis import PostGISStore

    return PostGISStore(where, schema=schema)


@pytest.fixture(params=["gpkg", "postgis"])
def spec(request, tmp_path):
    """(backend, path or URL, schema) of an empty store; PostGIS in a schema of its own."""
    if request.param == "gpkg":
        yield ("gpkg", str(tmp_path / "faults.gpkg"), None)
        return
    spec = ("postgis", _postgis_url_or_skip(), f"t_{uuid.uuid4().hex[:10]}")
    store = _open(spec)
    try:
        yield spec
    finally:
        store.drop_schema()
        store.close()


# --- a large import killed halfway ---------------------------------------------------------------
@pytest.fixture(params=["gpkg", "postgis"])
def command_store(request, tmp_path):
    """(backend, GRIDMAP_DB) of a store the gridmap command opens: a file, or a database."""
    if request.param == "gpkg":
        yield ("gpkg", str(tmp_path / "store.gpkg"))
        return
    with scratch_database("gridmap_faults") as db_url:
        yield ("postgis", db_url)


def _reports_csv(path: Path, n: int, prefix: str) -> Path:
    """``n`` reports inside the 3×3 grid of every_layer, with external ids ``prefix``0…"""
    rng = np.random.default_rng(len(prefix) + n)
    pd.DataFrame(
        {
            "external_id": [f"{prefix}{i}" for i in range(n)],
            "lon": rng.uniform(0.05, 2.95, n).round(6),
            "lat": rng.uniform(0.05, 2.95, n).round(6),
            "created_at": "2026-07-01 10:00",
            "category": "drainage",
            "description": "下水道堵了",
        }
    ).to_csv(path, index=False)
    return path


def _gridmap(db: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "GRIDMAP_DB": db, "GRIDMAP_LANG": "en"}
    return subprocess.Popen(
        [sys.executable, "-m", "geo.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _gpkg_writing(path: Path, wal_before: int) -> bool:
    """True when another connection holds the write lock and the log has grown by 1 MB."""
    wal = Path(f"{path}-wal")
    if not wal.exists() or wal.stat().st_size < wal_before + 1_000_000:
        return False
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        return "locked" in str(exc)
    else:
        conn.execute("ROLLBACK")  # nobody held it: not (or no longer) inside the import
        return False
    finally:
        conn.close()


_INSERTING = """
SELECT a.pid
  FROM pg_stat_activity AS a
 WHERE a.datname = current_database()
   AND a.application_name = 'gridmap'
   AND a.state = 'active'
   AND a.query LIKE '%%INSERT INTO reports (%%'
   AND EXISTS (SELECT 1 FROM pg_locks AS l
                WHERE l.pid = a.pid AND l.granted
                  AND l.relation = 'public.reports'::regclass
                  AND l.mode = 'ShareRowExclusiveLock')
"""


def _wait_until(check, process: subprocess.Popen, what: str):
    deadline = time.monotonic() + SIGNAL_TIMEOUT_S
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"the import ended before {what} was seen: {out!r} {err!r}")
        time.sleep(0.01)
    process.kill()
    pytest.fail(f"{what} not seen within {SIGNAL_TIMEOUT_S} s")


def _content(store) -> dict:
    return {name: store.read(name) for name in ("reports", "report_events", "grids")}


def _gpkg_internals(path: str) -> dict:
    with sqlite3.connect(path) as conn:
        got = {
            "integrity": conn.execute("PRAGMA integrity_check").fetchall(),
            "schema": conn.execute(
                "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
            ).fetchall(),
            "feature_count": conn.execute(
                "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'reports'"
            ).fetchone(),
            "rtree": conn.execute("SELECT count(*) FROM rtree_reports_geom").fetchone(),
        }
    conn.close()
    return got


def test_an_import_killed_inside_its_transaction_leaves_the_store_as_it_was(
    command_store, tmp_path
):
    kind, db = command_store
    store = _open((kind, db, None))
    store.load_community(every_layer("c1"))
    store.update_report(1, {"status": "accepted"}, event={"actor": "甲"})
    before = _content(store)
    internals = _gpkg_internals(db) if kind == "gpkg" else None
    big = _reports_csv(tmp_path / "big.csv", BIG_IMPORT_ROWS, "big-")

    wal_before = Path(f"{db}-wal").stat().st_size if Path(f"{db}-wal").exists() else 0
    process = _gridmap(db, "import", "reports", str(big), "--community", "c1")
    if kind == "gpkg":
        _wait_until(lambda: _gpkg_writing(Path(db), wal_before), process, "the import writing")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    else:
        import psycopg

        with psycopg.connect(db, autocommit=True) as watcher:
            pid = _wait_until(
                lambda: watcher.execute(_INSERTING).fetchone(), process, "the insert"
            )[0]
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            # The server notices its client gone and rolls the transaction back.
            deadline = time.monotonic() + 60
            while watcher.execute(
                "SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)
            ).fetchone():
                assert time.monotonic() < deadline, "the killed import's backend lingers"
                time.sleep(0.05)
    assert process.returncode == -signal.SIGKILL

    store = _open((kind, db, None))  # opens again (the GeoPackage recovers its log)
    after = _content(store)
    for name, frame in before.items():
        assert_frames_equal(after[name], frame, name)
    if kind == "gpkg":
        assert _gpkg_internals(db) == internals  # triggers, index and counts as they were

    small = _reports_csv(tmp_path / "small.csv", 200, "small-")
    process = _gridmap(db, "import", "reports", str(small), "--community", "c1")
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert b"imported 200" in out
    stored = store.read("reports")
    assert len(stored) == len(before["reports"]) + 200
    assert stored["report_id"].is_unique and stored["grid_id"].notna().all()


# --- writers in several processes ---------------------------------------------------------------
def _run_processes(target, spec: tuple, n: int, *args) -> list:
    """Run ``target(spec, i, barrier, *args)`` in ``n`` fresh processes; their results."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(n)
    results = ctx.Queue()
    processes = [
        ctx.Process(target=_child, args=(target, spec, i, barrier, results, *args))
        for i in range(n)
    ]
    for p in processes:
        p.start()
    got = [results.get(timeout=300) for _ in processes]
    for p in processes:
        p.join(timeout=60)
    failures = [r[1] for r in got if r[0] == "error"]
    assert not failures, "\n".join(failures)
    return sorted((r[1] for r in got), key=lambda r: r[0])


def _child(target, spec, i, barrier, results, *args) -> None:
    try:
        results.put(("ok", target(spec, i, barrier, *args)))
    except BaseException:
        results.put(("error", traceback.format_exc()))


STEPS = [
    ("submitted", "accepted"),
    ("accepted", "dispatched"),
    ("dispatched", "in_progress"),
    ("in_progress", "resolved"),
]


def _transition(spec, i, barrier, report_id) -> tuple:
    from geo.store.base import ReportConflict

    store = _open(spec)
    outcome = []
    for frm, to in STEPS:
        barrier.wait(timeout=120)
        try:
            store.update_report(
                report_id,
                {"status": to},
                expected={"status": frm},
                event={"actor": f"p{i}", "note": f"{frm}->{to}"},
            )
            outcome.append("won")
        except ReportConflict:
            outcome.append("conflict")
    return (i, outcome)


def test_compare_and_set_transitions_from_several_processes_one_wins_each(spec):
    store = _open(spec)
    store.load_community(every_layer("c1"))
    report_id = 1
    before = len(store.report_history(report_id))
    got = _run_processes(_transition, spec, PROCESSES, report_id)
    winners = []
    for step in range(len(STEPS)):
        outcomes = [outcome[step] for _, outcome in got]
        assert sorted(outcomes) == ["conflict"] * (PROCESSES - 1) + ["won"], (step, got)
        winners.append(next(f"p{i}" for i, outcome in got if outcome[step] == "won"))
    assert store.read("reports").set_index("report_id").loc[report_id, "status"] == "resolved"
    events = store.report_history(report_id).iloc[before:]
    assert events[["from_status", "to_status"]].values.tolist() == [list(s) for s in STEPS]
    assert events["actor"].tolist() == winners
    assert events["event_id"].is_unique


COLUMNS = ("assignee", "escalation_level", "category_text")
ROUNDS = 8


def _own_column(spec, i, barrier, report_id) -> tuple:
    store = _open(spec)
    column = COLUMNS[i]
    barrier.wait(timeout=120)
    for r in range(ROUNDS):
        store.update_report(report_id, {column: f"{column}-{r}"}, event={"actor": f"p{i}"})
    return (i, column)


def test_processes_changing_different_columns_of_one_report_keep_every_change(spec):
    store = _open(spec)
    store.load_community(every_layer("c1"))
    report_id = 2
    before = len(store.read("report_events"))
    _run_processes(_own_column, spec, len(COLUMNS), report_id)
    row = store.read("reports").set_index("report_id").loc[report_id]
    for column in COLUMNS:
        assert row[column] == f"{column}-{ROUNDS - 1}"
    events = store.read("report_events")
    assert len(events) == before + len(COLUMNS) * ROUNDS and events["event_id"].is_unique
    mine = events[events["report_id"] == report_id]
    assert sorted(mine["actor"].value_counts().tolist()) == [ROUNDS] * len(COLUMNS)


def _adder(spec, i, barrier) -> tuple:
    store = _open(spec)
    barrier.wait(timeout=120)
    ids = []
    for batch in range(3):
        frame = reports(9, prefix=f"p{i}-b{batch}-")
        store.add_reports(frame)
        one = reports(1, prefix=f"p{i}-single{batch}-")
        ids.append(store.add_report(one))
    shared = reports(1, prefix="shared-")  # every process sends the same report
    ids.append(store.add_report(shared))
    return (i, ids)


def test_reports_added_from_several_processes_are_all_kept_with_unique_numbers(spec):
    store = _open(spec)
    store.load_community(
        {"community": every_layer("c1")["community"], "grids": every_layer()["grids"]}
    )
    got = _run_processes(_adder, spec, PROCESSES)
    stored = store.read("reports")
    assert len(stored) == PROCESSES * 3 * (9 + 1) + 1
    assert stored["report_id"].is_unique and stored["external_id"].is_unique
    assert stored["grid_id"].notna().all()
    singles = [rid for _, ids in got for rid in ids[:3]]
    assert len(set(singles)) == len(singles) and set(singles) <= set(stored["report_id"])
    shared = [ids[3] for _, ids in got]
    assert sum(rid is not None for rid in shared) == 1  # stored once; the others were told
    assert (stored["external_id"] == "shared-0").sum() == 1


def _saver(spec, i, barrier, base) -> tuple:
    from geo.store.base import GridVersionConflict

    store = _open(spec)
    grids = store.read("grids", "c1")
    draft = grids[grids["grid_id"] != f"G{i + 1}"]
    barrier.wait(timeout=120)
    try:
        saved = store.save_grids("c1", draft, base, f"p{i}", None)
        return (i, "saved", saved.version)
    except GridVersionConflict:
        return (i, "refused", None)


def test_grid_saves_from_the_same_base_in_several_processes_one_wins(spec):
    from geo.grids.versions import current_base

    store = _open(spec)
    store.load_community(every_layer("c1"))
    grids = store.read("grids", "c1")
    base = current_base(store, "c1", grids)
    got = _run_processes(_saver, spec, PROCESSES, base)
    assert sorted(r[1] for r in got) == ["refused"] * (PROCESSES - 1) + ["saved"]
    winner, _, version = next(r for r in got if r[1] == "saved")
    versions = store.grid_versions("c1")
    assert versions["version"].max() == version
    assert versions["kind"].tolist().count("saved") == 1
    assert versions.iloc[-1]["actor"] == f"p{winner}"
    now = store.read("grids", "c1")
    assert sorted(now["grid_id"]) == sorted(g for g in grids["grid_id"] if g != f"G{winner + 1}")
