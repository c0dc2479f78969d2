"""What only a browser shows: the app served by Streamlit, the Leaflet map drawn in
the system Chromium, with nothing fetched from outside this machine.

Run alone with ``pytest -m browser``. With GRIDMAP_REQUIRE_BROWSER=1 (set by
.ci/run) a missing Chromium fails instead of skipping.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser_support import SCREENSHOTS, map_frame

pytestmark = pytest.mark.browser


def test_map_shows_twelve_grids_with_nothing_from_outside(served_app, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or ""))
    page.goto(f"{served_app}/map?basemap=none", wait_until="domcontentloaded")
    frame = map_frame(page)
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
    received: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: received.append(len(f))))
    page.goto(f"{served_app}/map?basemap=none", wait_until="domcontentloaded")
    frame = map_frame(page)
    label = frame.locator(".gridmap-label", has_text="G07")
    label.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)  # the map's first report has run the page again
    box = label.bounding_box()
    received.clear()
    # Labels let clicks through, so this click lands on grid G07's polygon.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] + 8)
    page.wait_for_function(
        "() => [...document.querySelectorAll('h3')].some(h => h.innerText.startsWith('Grid G07'))",
        timeout=30_000,
    )
    assert "grid=G07" in page.url
    # Outlined by the map itself: the card came, the map (300 KB here) was not sent again.
    frame = map_frame(page)
    frame.locator("path[stroke='#d62728']").wait_for(timeout=30_000)
    assert frame.locator("path[stroke='#d62728']").count() == 1
    page.wait_for_timeout(800)
    assert sum(received) < 50_000, sum(received)
    # Hovering the grid highlights it; leaving it keeps the outline.
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] + 8)
    page.mouse.move(5, 5)
    assert frame.locator("path[stroke='#d62728']").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "grid_card.png"))
    page.close()


def test_a_direct_link_on_a_fresh_server_gets_the_whole_app(demo_gpkg, browser):
    # Streamlit serves a folder named pages/ on its own until app.py has run once; the
    # views live in views/, so even the very first visit to /data runs inside app.py.
    from tests.browser_support import serve_app

    with serve_app(demo_gpkg) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{url}/data", wait_until="domcontentloaded")
        page.get_by_role("radiogroup", name="Language").wait_for(timeout=60_000)
        links = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
        assert [link.split()[-1] for link in links][:3] == ["Overview", "Map", "Reports"]
        page.get_by_text("Data: import and export").wait_for(timeout=60_000)
        page.close()
