"""Overview budget (issue 7) in the browser: what a person waits for, measured in Chromium.

For a demo store of each size (default 6,000 and 100,000 reports) the app is served on
this machine and the system Chromium, driven by Playwright, measures

- a warm load: the page opened again in the same browser, until the map is drawn, and
  on the Overview until the rest (grid table, charts, brief), which follows the map,
  is shown too;
- a click on a grid: until its detail is shown, and the bytes the server sent for it;

on the Overview and the Map page, and the same way on the obvious alternative
(benchmarks/folium_baseline_app.py: the community map through st_folium, built and
sent again with the selection for every click), served beside the app, so the
figures stand side by side. Budgets: map within 1 s of a warm load, a grid's detail
within 0.3 s of the click, without the map being sent again.

    .venv/bin/python benchmarks/bench_overview_browser.py [--reports 6000 100000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CLICK_MAP = "iframe[title='geo.map_component.click_map']"  # geo/map_component.py
FOLIUM_MAP = "iframe[title='streamlit_folium.st_folium']"  # the baseline's st_folium
BASELINE = "benchmarks/folium_baseline_app.py"
LOAD_BUDGET_S, CLICK_BUDGET_S = 1.0, 0.3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: Path, script: str = "app.py", **extra: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, GRIDMAP_DB=str(db), GRIDMAP_LANG="en", **extra)
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("streamlit did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=20)


def map_drawn(page, selector: str) -> bool:
    return page.evaluate(
        f"""() => {{
            const f = document.querySelector("{selector}");
            return !!(f && f.contentDocument &&
                      f.contentDocument.querySelectorAll('.gridmap-label').length === 12);
        }}"""
    )


def wait(predicate, timeout=90.0) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if predicate():
            return time.perf_counter() - start
        time.sleep(0.01)
    raise TimeoutError("the page did not get there")


# The Overview's last elements: its two brief downloads below the table and the charts.
OVERVIEW_COMPLETE = "() => document.querySelectorAll('[data-testid=stDownloadButton]').length === 2"


def measure(
    browser, url: str, heading: str, runs: int, selector: str, complete: str | None = None
) -> dict:
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    received: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: received.append(len(f))))
    page.goto(url)
    wait(lambda: map_drawn(page, selector))  # cold: the server builds and caches
    if complete:
        wait(lambda: page.evaluate(complete))
    page.wait_for_timeout(1000)
    loads, completes, load_bytes = [], [], 0
    for _ in range(runs):
        received.clear()
        start = time.perf_counter()
        page.goto(url)
        wait(lambda: map_drawn(page, selector))
        loads.append(time.perf_counter() - start)
        if complete:
            wait(lambda: page.evaluate(complete))
            completes.append(time.perf_counter() - start)
        page.wait_for_timeout(1000)  # let the page settle before the next load
        load_bytes = sum(received)
    frame = page.frame_locator(selector)
    clicks, click_bytes = [], []
    for grid in ("G03", "G07", "G10", "G05"):
        # From a freshly loaded page each time: the Map page zooms to what was chosen.
        page.goto(url)
        wait(lambda: map_drawn(page, selector))
        page.wait_for_timeout(1000)
        label = frame.locator(".gridmap-label", has_text=grid)
        box = label.bounding_box()
        received.clear()
        start = time.perf_counter()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] + 6)
        text = f"{heading} {grid}"
        wait(
            lambda t=text: page.evaluate(
                "t => [...document.querySelectorAll('h3')].some(h => h.innerText.startsWith(t))",
                t,
            )
        )
        clicks.append(time.perf_counter() - start)
        page.wait_for_timeout(800)  # let the rest of the update arrive before counting
        click_bytes.append(sum(received))
    page.close()
    return {
        "load": statistics.median(loads),
        "complete": statistics.median(completes) if completes else None,
        "load_kb": load_bytes / 1024,
        "click": statistics.median(clicks),
        "click_kb": statistics.median(click_bytes) / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, nargs="+", default=[6000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    chromium = os.environ.get("GRIDMAP_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        print("Chromium is not installed (apt-get install chromium)")
        return 2
    ok = True
    with tempfile.TemporaryDirectory() as workdir, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        for n in args.reports:
            db = Path(workdir) / f"demo-{n}.gpkg"
            subprocess.run(
                [sys.executable, "-m", "geo.cli", "demo", "--reports", str(n)],
                env=dict(os.environ, GRIDMAP_DB=str(db)),
                check=True,
                stdout=subprocess.DEVNULL,
            )
            proc, url = serve(db)
            try:
                ours = measure(
                    browser,
                    f"{url}/?basemap=none",
                    "Grid",
                    args.runs,
                    CLICK_MAP,
                    OVERVIEW_COMPLETE,
                )
                map_page = measure(browser, f"{url}/map?basemap=none", "Grid", args.runs, CLICK_MAP)
                # The baseline's folder has no static/: it takes the scripts from the app.
                assets = {
                    "GRIDMAP_ASSET_BASE_URL": f"{url}/app/static/vendor",
                    "STREAMLIT_SERVER_ENABLE_STATIC_SERVING": "false",
                }
                baseline, baseline_url = serve(db, BASELINE, **assets)
                try:
                    naive = measure(browser, baseline_url, "Grid", args.runs, FOLIUM_MAP)
                finally:
                    stop(baseline)
            finally:
                stop(proc)
            print(f"{n:,} reports")
            for name, m in (("overview", ours), ("map page", map_page), ("st_folium", naive)):
                rest = f", whole page {m['complete']:5.2f} s" if m["complete"] else ""
                print(
                    f"  {name:9s}: warm load {m['load']:5.2f} s to the map{rest} "
                    f"({m['load_kb']:7.1f} KB), "
                    f"grid click {m['click']:5.2f} s ({m['click_kb']:7.1f} KB)"
                )
            for name, m in (("overview", ours), ("map page", map_page)):
                print(
                    f"  ratio st_folium / {name}: load {naive['load'] / m['load']:.1f}x, "
                    f"click {naive['click'] / m['click']:.1f}x, "
                    f"click bytes {naive['click_kb'] / max(m['click_kb'], 0.1):.1f}x"
                )
            met = ours["load"] < LOAD_BUDGET_S and ours["click"] < CLICK_BUDGET_S
            ok &= met
            print(
                f"  budget (load < {LOAD_BUDGET_S} s, click < {CLICK_BUDGET_S} s): "
                f"{'met' if met else 'NOT met'}"
            )
        browser.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
