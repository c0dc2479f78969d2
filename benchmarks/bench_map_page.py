"""Map page budget (DESIGN.md §7): with 100,000 reports, the map and the grid table are
built server-side in under a second and the page sent to the browser is under 3 MB.

Prints our figures next to the obvious alternative: every report as a GeoJSON feature.

    .venv/bin/python benchmarks/bench_map_page.py [--reports 100000]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime

import folium

from geo import grid_stats, maps
from geo.assign import assign_reports
from geo.demo import build_demo

BUDGET_S = 1.0
BUDGET_BYTES = 3 * 1024 * 1024


def best_of(n, fn):
    best, result = float("inf"), None
    for _ in range(n):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def ours(layers, now):
    reports = layers["reports"]
    summary = grid_stats.grid_summary(layers["grids"], layers["buildings"], reports, now)
    fmap = maps.build_map(layers, summary, reports, basemap="none")
    return fmap.get_root().render()


def naive(layers):
    reports = layers["reports"]
    fmap = folium.Map(tiles=None)
    columns = ["report_id", "category", "status", "created_at", "description", "geometry"]
    folium.GeoJson(reports[columns].assign(created_at=reports["created_at"].astype(str))).add_to(
        fmap
    )
    return fmap.get_root().render()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    args = parser.parse_args()
    now = datetime.now(UTC)
    layers = build_demo(n_reports=args.reports, seed=11, now=now)
    layers["reports"] = assign_reports(layers["reports"], layers["grids"], layers["buildings"])

    ours_s, page = best_of(3, lambda: ours(layers, now))
    naive_s, naive_page = best_of(1, lambda: naive(layers))
    ours_mb, naive_mb = len(page.encode()) / 2**20, len(naive_page.encode()) / 2**20
    print(f"reports: {args.reports:,}")
    print(f"map page, ours : {ours_s:6.3f} s to build, {ours_mb:6.2f} MB sent (best of 3)")
    print(f"naive GeoJSON  : {naive_s:6.3f} s to build, {naive_mb:6.2f} MB sent")
    print(f"ratio naive/ours: {naive_s / ours_s:.1f}x time, {naive_mb / ours_mb:.1f}x bytes")
    ok = ours_s < BUDGET_S and len(page.encode()) < BUDGET_BYTES
    print(f"budget (< {BUDGET_S:.0f} s, < 3 MB): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
