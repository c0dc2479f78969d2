"""Benchmark: assigning reports to grids in PostGIS, the store's SQL against the naive UPDATE.

DESIGN.md §7: 1,000,000 reports x 1,000 grids in seconds, not minutes, with exactly the
answer of geo.assign. The obvious way to do it in PostGIS is

    UPDATE reports r SET grid_id = g.grid_id FROM grids g WHERE ST_Contains(g.geom, r.geom)

which rewrites every matched row, misses points on a boundary (ST_Contains excludes it)
and picks an arbitrary grid where several match. The store (geo/store/postgis.py,
geo/queries/assign_*.sql) computes the rule set-wise, grid by grid through the GiST index,
keeps the lowest grid_id in code-point order, and writes only rows whose answer changed;
new reports are assigned in the INSERT that adds them, so they are written once.

Three timings, each next to the naive form in the same run on the same data:
  1. first assignment of 1,000,000 freshly loaded, unassigned reports (every row changes);
  2. re-assignment after a planner redraws a few grids (the store does this on every
     grid save): few rows change;
  3. import: adding 1,000,000 reports with their assignment, against loading them with
     COPY and then running the naive UPDATE.
The answers are checked against geo.assign in Python on every report; the number of
reports where the naive form differs from the rule is printed for information.

The data are those of benchmarks/bench_assign.py: a jittered lattice of grids near
Tianjin with shared vertices, points exactly on shared edges and vertices, some outside.

    .venv/bin/python benchmarks/bench_postgis_assign.py [--reports N] [--grids G] [--url URL]

Needs a PostgreSQL server with PostGIS (default GRIDMAP_TEST_POSTGRES_URL or
postgresql://postgres@127.0.0.1:5432/test); works in schemas of its own, dropped at the
end. Exits 1 when the store's answer differs from geo.assign's.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_assign import Mesh, make_grids, make_report_points  # noqa: E402

from geo import model  # noqa: E402
from geo.assign import assign_grids  # noqa: E402
from geo.store.postgis import PostGISStore  # noqa: E402

COMMUNITY = "bench"
NAIVE_SQL = (
    "UPDATE reports AS r SET grid_id = g.grid_id FROM grids AS g WHERE ST_Contains(g.geom, r.geom)"
)


def _reports_frame(points: gpd.GeoSeries) -> gpd.GeoDataFrame:
    n = len(points)
    return gpd.GeoDataFrame(
        {
            "report_id": np.arange(1, n + 1),
            "community_id": COMMUNITY,
            "external_id": [f"x{i}" for i in range(n)],
            "category": "drainage",
            "source": "wechat",
            "created_at": pd.Timestamp("2026-07-01T08:00:00+08:00"),
            "status": np.where(np.arange(n) % 10 < 7, "dispatched", "closed"),
        },
        geometry=points.values,
        crs=4326,
    )


def _connect(url: str, schema: str) -> psycopg.Connection:
    conn = psycopg.connect(url, autocommit=True)
    conn.execute("SELECT set_config('search_path', %s || ', public', false)", [schema])
    # Rows loaded here are not "inserted by someone else": the assignment trigger of the
    # store (for QGIS inserts) steps aside, as it does for the store's own bulk writes.
    conn.execute("SELECT set_config('gridmap.assigning', 'on', false)")
    return conn


def _copy_reports(conn: psycopg.Connection, frame: gpd.GeoDataFrame) -> None:
    """The obvious load: one binary COPY of the frame's rows into reports."""
    names = ["report_id", "community_id", "external_id", "category", "source", "created_at"]
    names += ["status"]
    columns = [frame[n].tolist() for n in names]
    columns[0] = [int(v) for v in columns[0]]
    columns[5] = [t.to_pydatetime() for t in frame["created_at"]]
    wkb = shapely.to_wkb(
        shapely.set_srid(np.asarray(frame.geometry.values), 4326), include_srid=True
    )
    with (
        conn.cursor() as cur,
        cur.copy(f"COPY reports ({', '.join(names)}, geom) FROM STDIN (FORMAT binary)") as copy,
    ):
        copy.set_types(["int8", "text", "text", "text", "text", "timestamptz", "text", "bytea"])
        for row in zip(*columns, wkb.tolist(), strict=True):
            copy.write_row(row)
    conn.execute(
        "SELECT setval(pg_get_serial_sequence('reports', 'report_id'), max(report_id)) FROM reports"
    )


def _prepare(conn: psycopg.Connection) -> None:
    for table in ("reports", "grids"):
        conn.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
    conn.execute("VACUUM ANALYZE reports")
    conn.execute("VACUUM ANALYZE grids")
    conn.execute("CHECKPOINT")


def _timed(label: str, action) -> float:
    start = time.perf_counter()
    action()
    took = time.perf_counter() - start
    print(f"  {label:<58} {took:8.2f} s", flush=True)
    return took


def _stored(conn: psycopg.Connection) -> np.ndarray:
    rows = conn.execute("SELECT grid_id FROM reports ORDER BY report_id").fetchall()
    return np.array([r[0] for r in rows], dtype=object)


def _mismatches(a: np.ndarray, b: np.ndarray) -> int:
    return int(sum(x != y for x, y in zip(a.tolist(), b.tolist(), strict=True)))


def _edit_grids(grids: gpd.GeoDataFrame, rng: np.random.Generator, k: int) -> gpd.GeoDataFrame:
    """A planner redraws k grids: each grows by a quarter around its centre (overlapping
    its neighbours, where the lowest grid_id now wins)."""
    pick = rng.choice(len(grids), size=k, replace=False)
    edited = grids.iloc[pick].copy()
    edited["geometry"] = [
        shapely.affinity.scale(g, 1.25, 1.25, origin="centroid") for g in edited.geometry
    ]
    return edited


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--grids", type=int, default=1_000)
    parser.add_argument("--edited", type=int, default=10, help="grids redrawn in timing 2")
    parser.add_argument(
        "--url",
        default=os.environ.get(
            "GRIDMAP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
        ),
    )
    args = parser.parse_args(argv)
    rng = np.random.default_rng(20261125)

    print(f"{args.reports:,} reports x {args.grids:,} grids, PostGIS at {args.url}", flush=True)
    mesh = Mesh(args.grids, rng)
    grids = make_grids(mesh, rng).assign(community_id=COMMUNITY)
    frame = _reports_frame(make_report_points(mesh, args.reports, rng))
    edited = _edit_grids(grids, rng, args.edited)
    grids_after = pd.concat([grids[~grids["grid_id"].isin(edited["grid_id"])], edited])

    start = time.perf_counter()
    rule = assign_grids(frame.geometry, grids)
    rule_after = assign_grids(frame.geometry, grids_after)
    print(f"  geo.assign in Python, both grid versions: {time.perf_counter() - start:.2f} s")

    run = uuid.uuid4().hex[:6]
    naive_schema, first_schema, import_schema = (
        f"bench_{k}_{run}" for k in ("naive", "first", "import")
    )
    stores = [PostGISStore(args.url, schema=s) for s in (naive_schema, first_schema, import_schema)]
    naive_store, first_store, import_store = stores
    failures = 0
    try:
        for store in stores:
            store.load_community({"grids": grids})
        naive = _connect(args.url, naive_schema)
        first = _connect(args.url, first_schema)

        print("\nloading (not part of any timing but the import's)", flush=True)
        copy_s = _timed(
            "COPY 1 into reports (GiST and btree indexes in place)",
            lambda: _copy_reports(naive, frame),
        )
        _timed(
            "the same rows into a second schema",
            lambda: first.execute(f"INSERT INTO reports SELECT * FROM {naive_schema}.reports"),
        )
        for conn in (naive, first):
            _prepare(conn)

        print("\n1. first assignment, every report unassigned", flush=True)
        naive_1 = _timed(
            "naive UPDATE ... FROM grids WHERE ST_Contains", lambda: naive.execute(NAIVE_SQL)
        )
        summary = None

        def ours_first():
            nonlocal summary
            summary = first_store.reassign()

        ours_1 = _timed("store.reassign(): set-wise ST_Covers, lowest grid_id", ours_first)
        print(f"  {'ratio naive / store':<58} {naive_1 / ours_1:8.1f} x")
        got = _stored(first)
        wrong = _mismatches(got, rule)
        failures += wrong
        print(f"  store's answer differs from geo.assign on {wrong:,} of {len(got):,} reports")
        print(
            f"  naive answer differs from the rule on {_mismatches(_stored(naive), rule):,} "
            "reports (boundary points missed, ties picked arbitrarily)"
        )
        print(f"  {summary}")

        for conn in (naive, first):  # what autovacuum does between two runs
            _prepare(conn)

        print(f"\n2. re-assignment after {args.edited} grids are redrawn", flush=True)
        for conn in (naive, first):
            with conn.cursor() as cur:
                cur.executemany(
                    "UPDATE grids SET geom = ST_Multi(ST_GeomFromWKB(%s, 4326)) "
                    "WHERE community_id = %s AND grid_id = %s",
                    [
                        (shapely.to_wkb(g), COMMUNITY, k)
                        for k, g in zip(edited["grid_id"], edited.geometry, strict=True)
                    ],
                )
            conn.execute("ANALYZE grids")
            conn.execute("CHECKPOINT")
        naive_2 = _timed(
            "naive UPDATE ... FROM grids WHERE ST_Contains", lambda: naive.execute(NAIVE_SQL)
        )
        ours_2 = _timed("store.reassign(): only changed rows are written", ours_first)
        print(f"  {'ratio naive / store':<58} {naive_2 / ours_2:8.1f} x")
        got = _stored(first)
        wrong = _mismatches(got, rule_after)
        failures += wrong
        print(f"  store's answer differs from geo.assign on {wrong:,} of {len(got):,} reports")
        differ = _mismatches(_stored(naive), rule_after)
        print(f"  naive answer differs from the rule on {differ:,} reports")
        print(f"  {summary}")
        # The store's open-only pass (what a grid save triggers) for the record.
        _timed(
            "store.reassign(open_only=True), nothing left to change",
            lambda: first_store.reassign(open_only=True),
        )

        print("\n3. import: add reports with their assignment", flush=True)
        naive_3 = copy_s + naive_1
        print(f"  {'naive: COPY (above) + naive UPDATE (timing 1)':<58} {naive_3:8.2f} s")
        ours_3 = _timed(
            "store.add_reports(): COPY to staging, assign, INSERT once",
            lambda: import_store.add_reports(frame),
        )
        print(f"  {'ratio naive / store':<58} {naive_3 / ours_3:8.1f} x")
        start = time.perf_counter()
        model.conform("reports", frame)
        conform_s = time.perf_counter() - start
        label = "  of which geo.model.conform() of the frame, in Python"
        print(f"  {label:<58} {conform_s:8.2f} s")
        with _connect(args.url, import_schema) as conn:
            got = _stored(conn)
        wrong = _mismatches(got, rule)
        failures += wrong
        print(f"  store's answer differs from geo.assign on {wrong:,} of {len(got):,} reports")
        naive.close()
        first.close()
    finally:
        for store in stores:
            store.drop_schema()
            store.close()
    if failures:
        print(f"\nFAILED: {failures:,} answers differ from geo.assign")
        return 1
    print("\nall answers equal geo.assign's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
