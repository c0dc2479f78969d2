"""What only a browser shows: the app served by Streamlit, the Leaflet map drawn in
the system Chromium, with nothing fetched from outside this machine.

Run alone with ``pytest -m browser``. With GRIDMAP_REQUIRE_BROWSER=1 (set by
.ci/run) a missing Chromium fails instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import REQUIRE_BROWSER, unavailable

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(os.environ.get("GRIDMAP_SCREENSHOTS", ROOT / "build" / "screenshots"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chromium() -> str:
    path = os.environ.get("GRIDMAP_CHROMIUM") or shutil.which("chromium")
    if not path:
        unavailable("Chromium is not installed (apt-get install chromium)", REQUIRE_BROWSER)
    return path


@pytest.fixture(scope="module")
def served_app(demo_gpkg):
    port = _free_port()
    env = dict(os.environ, GRIDMAP_DB=str(demo_gpkg), GRIDMAP_LANG="en")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(
            "streamlit did not start: " + proc.stdout.read().decode(errors="replace")[-2000:]
        )
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _map_frame(page):
    handle = page.wait_for_selector("iframe[title='streamlit_folium.st_folium']", timeout=60_000)
    frame = handle.content_frame()
    frame.wait_for_selector(".leaflet-container", timeout=60_000)
    return frame


def test_map_shows_twelve_grids_with_nothing_from_outside(served_app, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or ""))
    page.goto(f"{served_app}/?basemap=none", wait_until="domcontentloaded")
    frame = _map_frame(page)
    frame.wait_for_function("typeof L !== 'undefined'")
    grid_paths = frame.locator("path[stroke='#1f3b73']")
    grid_paths.first.wait_for(timeout=30_000)
    assert grid_paths.count() == 12
    assert frame.locator(".gridmap-label").count() == 12
    # Heatmap canvas and the layer switcher are there.
    assert frame.locator("canvas.leaflet-heatmap-layer").count() == 1
    assert frame.locator(".leaflet-control-layers").count() == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "map.png"))
    assert hosts <= {"127.0.0.1", "localhost", ""}, hosts
    page.close()


def test_clicking_a_grid_opens_its_card(served_app, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{served_app}/?basemap=none", wait_until="domcontentloaded")
    frame = _map_frame(page)
    label = frame.locator(".gridmap-label", has_text="G07")
    label.wait_for(timeout=30_000)
    box = label.bounding_box()
    # Labels let clicks through, so this click lands on grid G07's polygon.
    frame.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] + 8)
    page.wait_for_function(
        "() => [...document.querySelectorAll('h3')].some(h => h.innerText.startsWith('Grid G07'))",
        timeout=30_000,
    )
    assert "grid=G07" in page.url
    # The map is drawn again with G07 outlined as selected.
    frame = _map_frame(page)
    frame.locator("path[stroke='#d62728']").wait_for(timeout=30_000)
    assert frame.locator("path[stroke='#d62728']").count() == 1
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "grid_card.png"))
    page.close()
