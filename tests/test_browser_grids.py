"""The Grids page in the system Chromium: a grid drawn with the Draw tool (leaflet-draw,
served by the app) becomes a grid of the draft, and the checks answer at once; with
nothing fetched from outside this machine.

The app is served on a copy of the demo store. Run alone with ``pytest -m browser``.
"""

from __future__ import annotations

import shutil
from urllib.parse import urlparse

import pytest

from tests.browser_support import SCREENSHOTS, map_frame, serve_app, wait_until_idle

pytestmark = pytest.mark.browser
GRIDS_URL_PATH = "grids"  # the page's url_path in app.py


@pytest.fixture(scope="module")
def served(demo_gpkg, tmp_path_factory):
    path = tmp_path_factory.mktemp("grids") / "demo.gpkg"
    shutil.copy(demo_gpkg, path)
    with serve_app(path) as url:
        yield url


def _body(page) -> str:
    return page.inner_text("body")


def test_drawing_a_grid_makes_the_checks_answer(served, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 1400})
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or ""))
    # The entry page first: it registers the app's navigation with the server.
    page.goto(f"{served}/?basemap=none", wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=60_000)
    page.goto(f"{served}/{GRIDS_URL_PATH}?basemap=none", wait_until="domcontentloaded")
    frame = map_frame(page)
    frame.wait_for_selector(".leaflet-draw-draw-polygon", timeout=60_000)
    page.wait_for_function("() => document.body.innerText.includes('No problems')", timeout=60_000)
    wait_until_idle(page)  # the map stays put once the page has stopped running
    frame = map_frame(page)
    label = frame.locator(".gridmap-label", has_text="G07")
    label.wait_for(timeout=30_000)
    box = label.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    # Draw a polygon over part of G07 with the Draw tool, closing it on its first corner.
    frame.locator(".leaflet-draw-draw-polygon").click()
    corners = [(x - 40, y - 30), (x + 40, y - 30), (x + 40, y + 30), (x - 40, y + 30)]
    for corner in [*corners, corners[0]]:
        page.mouse.click(*corner)
        page.wait_for_timeout(300)

    page.wait_for_function(
        "() => document.body.innerText.includes('Applied from the map. Added: G13')",
        timeout=90_000,
    )
    page.wait_for_function(
        "() => document.body.innerText.includes('Grid G13 has no grid worker.')",
        timeout=30_000,
    )
    text = _body(page)
    assert "No problems" not in text
    assert "13 grids, unsaved changes" in text
    assert "Open reports moving" in text
    frame = map_frame(page)
    frame.locator(".gridmap-label", has_text="G13").wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "grids_drawn.png"))

    # Undo: the draft is the saved grids again, and the checks say so.
    page.get_by_role("button", name="Undo").click()
    page.wait_for_function("() => document.body.innerText.includes('No problems')", timeout=60_000)
    assert "12 grids, no unsaved changes" in _body(page)
    assert hosts <= {"127.0.0.1", "localhost", ""}, hosts
    page.close()
