"""The Reports page in a real browser: place a report by clicking the map, submit it,
and find it in its grid's queue, ready for the grid worker's next step.

Run alone with ``pytest -m browser``. The app is served on a store of its own (a
copy of the demo community), since the test writes reports into it.
"""

from __future__ import annotations

import re

import pytest
from shapely.geometry import Point

from geo.assign import assign_grids
from geo.store.gpkg import GeoPackageStore
from tests.browser_support import SCREENSHOTS, map_frame, serve_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def reports_store(tmp_path_factory, demo_layers):
    path = tmp_path_factory.mktemp("reports-page") / "store.gpkg"
    GeoPackageStore(path).load_community(demo_layers)
    return path


@pytest.fixture(scope="module")
def served_reports_app(reports_store):
    with serve_app(reports_store) as url:
        yield url


def _wait_for_text(page, text: str, timeout: int = 30_000) -> None:
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text, timeout=timeout)


def test_a_report_placed_on_the_map_lands_in_its_grids_queue(
    served_reports_app, browser, reports_store
):
    store = GeoPackageStore(reports_store)
    before = store.count("reports")
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    # As a person does: open the app, then the Reports page from the navigation
    # (once the app's own navigation is drawn), then "no basemap" as offline.
    page.goto(f"{served_reports_app}/?basemap=none", wait_until="domcontentloaded")
    _wait_for_text(page, "Language")
    page.get_by_role("link", name="Reports").click()
    _wait_for_text(page, "Click the map to place the report.")
    _wait_for_text(page, "Language")
    page.get_by_label("Basemap").click()
    page.get_by_role("option", name="No basemap (offline)").click()
    page.wait_for_url(re.compile(r"basemap=none"), timeout=30_000)
    frame = map_frame(page)
    label = frame.locator(".gridmap-label", has_text="G07")
    label.wait_for(timeout=30_000)
    box = label.bounding_box()
    # Labels let clicks through, so this lands on the map inside grid G07.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] + 10)
    _wait_for_text(page, "grid worker")
    placed = page.locator("[data-testid='stMarkdownContainer']", has_text="Placed at").first
    assert "grid G07" in placed.inner_text()
    page.get_by_label("Category").click()
    page.get_by_role("option", name="Waterlogging").click()
    page.get_by_label("Description").fill("7号楼门口积水 <b>很深</b>")
    page.get_by_label("Reporter's phone").fill("13812345678")
    page.get_by_role("button", name="Submit report").click()
    _wait_for_text(page, "saved: grid G07")
    message = page.locator("[data-testid='stAlertContentSuccess']").inner_text()
    number = int(re.search(r"Report #(\d+) saved", message).group(1))
    assert store.count("reports") == before + 1
    saved = store.read("reports").set_index("report_id").loc[number]
    worker = store.read("grids").set_index("grid_id").loc["G07", "worker_name"]
    assert (saved["grid_id"], saved["status"], saved["assignee"]) == ("G07", "dispatched", worker)
    assert assign_grids([Point(saved.geometry.x, saved.geometry.y)], store.read("grids"))[0] == (
        "G07"
    )
    assert f"dispatched to {worker}" in message
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    map_frame(page)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "report_saved.png"))

    # The grid worker opens the queue of grid G07 and finds the report there.
    page.get_by_role("button", name="Queue").click()
    _wait_for_text(page, "soonest due first")
    page.get_by_label("Grid", exact=True).click()
    page.get_by_role("option", name="G07", exact=True).click()
    page.wait_for_url(re.compile(r"grid=G07"), timeout=30_000)
    page.get_by_label("Open report").click()
    option = page.get_by_role("option", name=f"#{number} · Waterlogging · dispatched")
    option.wait_for(timeout=30_000)
    others = page.get_by_role("option").all_inner_texts()
    for text in others[1:]:  # every report listed belongs to grid G07
        listed = int(text.split(" ")[0].lstrip("#"))
        assert store.read("reports").set_index("report_id").loc[listed, "grid_id"] == "G07"
    option.click()
    _wait_for_text(page, f"#{number} · Waterlogging · dispatched")
    _wait_for_text(page, "Start work")
    assert page.get_by_text("<b>很深</b>").count() >= 1  # shown as written, not as markup
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "report_in_queue.png"), full_page=True)
    page.close()
