"""Markup a resident or a planner typed never runs in the browser (DESIGN.md §6).

A store of its own holds the demo community with an ``<img onerror>`` and a
``<script>`` in grid G07's name and worker and in one of its reports' description and
reporter. The Overview (map tooltip, grid detail), the Map page (labels, tooltip) and
the Reports page (the report's detail and its map) are opened in Chromium; each must
show the text as written, and no planted script may have run in the page or in any
map frame. The server-side half (the maps' HTML) is tests/test_hostile_input.py.

Run alone with ``pytest -m browser``.
"""

from __future__ import annotations

import pytest

from geo.model import OPEN_STATUSES
from geo.store.gpkg import GeoPackageStore
from tests.browser_support import SCREENSHOTS, map_frame, serve_app

pytestmark = pytest.mark.browser

IMG = "<img src=x onerror=\"window.__pwned=1;document.title='pwned'\">"
SCRIPT = "<script>window.__pwned=2;document.title='pwned'</script>"
GRID_NAME = f"第7网格{IMG}{SCRIPT}"
WORKER = f"赵春燕{IMG}"
DESCRIPTION = f"楼道漏水{IMG}{SCRIPT}"
REPORTER = f"{IMG}许洋"


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory, demo_layers):
    layers = {name: frame.copy() for name, frame in demo_layers.items()}
    grids = layers["grids"]
    at = grids.index[grids["grid_id"] == "G07"][0]
    grids.loc[at, ["name", "worker_name"]] = [GRID_NAME, WORKER]
    reports = layers["reports"]
    mine = reports.index[(reports["grid_id"] == "G07") & reports["status"].isin(OPEN_STATUSES)]
    reports.loc[mine[0], ["description", "reporter_name"]] = [DESCRIPTION, REPORTER]
    path = tmp_path_factory.mktemp("hostile") / "store.gpkg"
    GeoPackageStore(path).load_community(layers)
    stored = GeoPackageStore(path).read("reports")
    report_id = int(stored.loc[stored["description"] == DESCRIPTION, "report_id"].iloc[0])
    return path, report_id


@pytest.fixture(scope="module")
def served_hostile_app(hostile_store):
    with serve_app(hostile_store[0]) as url:
        yield url


def _wait_for_text(page, text: str, timeout: int = 60_000) -> None:
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text, timeout=timeout)


def assert_nothing_ran(page) -> None:
    """No planted script ran, and no planted element exists, in the page or any frame."""
    assert page.title() != "pwned"
    for frame in page.frames:
        if frame.is_detached():
            continue
        state = frame.evaluate(
            "() => [typeof window.__pwned, document.title,"
            " document.querySelectorAll('img[onerror], img[src=x]').length]"
        )
        assert state == ["undefined", state[1], 0], (frame.url, state)
        assert state[1] != "pwned", frame.url


def _hover_grid(page, frame, code: str) -> str:
    """Hover the grid under its label; the text of the tooltip that opens."""
    label = frame.locator(".gridmap-label", has_text=code)
    label.wait_for(timeout=60_000)
    box = label.bounding_box()
    # Labels let the mouse through, so this lands on the grid's polygon.
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] + 8
    tooltip = frame.locator(".leaflet-tooltip", has_text=code)
    for step in range(20):  # until the map has its handlers and the mouse is seen moving
        page.mouse.move(x + step % 3, y + step % 2, steps=4)
        try:
            tooltip.wait_for(timeout=1_500)
            break
        except Exception:
            continue
    return tooltip.inner_text()


def test_the_overview_shows_planted_markup_as_text(served_hostile_app, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(f"{served_hostile_app}/?basemap=none&focus=G07", wait_until="domcontentloaded")
    _wait_for_text(page, f"Grid G07 · {GRID_NAME}")  # the grid's detail heading
    frame = map_frame(page)
    frame.wait_for_selector(".gridmap-label", timeout=60_000)
    tip = _hover_grid(page, frame, "G07")
    page.wait_for_timeout(500)  # an image error fires within moments
    assert_nothing_ran(page)
    assert GRID_NAME in tip and WORKER in tip
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "hostile_overview.png"))
    page.close()


def test_the_map_page_shows_planted_markup_as_text(served_hostile_app, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{served_hostile_app}/map?basemap=none", wait_until="domcontentloaded")
    frame = map_frame(page)
    label = frame.locator(".gridmap-label", has_text="G07")
    label.wait_for(timeout=60_000)
    tip = _hover_grid(page, frame, "G07")
    page.wait_for_timeout(500)
    assert_nothing_ran(page)
    assert label.inner_text().replace("\n", "") == f"G07{WORKER}"  # code, then worker
    assert GRID_NAME in tip and WORKER in tip
    page.close()


def test_the_reports_page_shows_planted_markup_as_text(served_hostile_app, hostile_store, browser):
    _, report_id = hostile_store
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    url = f"{served_hostile_app}/reports?view=queue&report={report_id}&basemap=none"
    page.goto(url, wait_until="domcontentloaded")
    _wait_for_text(page, DESCRIPTION)  # the report's detail, as written
    text = page.locator("body").inner_text()
    assert "许洋" in text or "许*" in text  # the reporter, whole or masked
    frame = map_frame(page)  # the report's map: its grid's worker as a label
    label = frame.locator(".gridmap-label", has_text="G07")
    label.wait_for(timeout=60_000)
    assert WORKER in label.inner_text()
    page.wait_for_timeout(500)
    assert_nothing_ran(page)
    page.screenshot(path=str(SCREENSHOTS / "hostile_report.png"), full_page=True)
    page.close()
