"""The Data page in a real browser: upload a CSV, map two columns, preview, import.

Run alone with ``pytest -m browser``. The app is served on a store of its own (a
copy of the demo community), since the test imports into it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from geo.store.gpkg import GeoPackageStore
from tests.browser_support import SCREENSHOTS, map_frame, serve_app

pytestmark = pytest.mark.browser
PREVIEW_COLOUR = "#e6550d"  # the preview markers of views/data.py
# Three points inside the demo community (117.3068–117.3133 E, 39.0876–39.0924 N).
POINTS = [(117.3085, 39.0890), (117.3100, 39.0900), (117.3115, 39.0910)]


@pytest.fixture(scope="module")
def data_store(tmp_path_factory, demo_layers):
    path = tmp_path_factory.mktemp("data-page") / "store.gpkg"
    GeoPackageStore(path).load_community(demo_layers)
    return path


@pytest.fixture(scope="module")
def served_data_app(data_store):
    with serve_app(data_store) as url:
        yield url


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the Streamlit select labelled ``label``."""
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_upload_map_preview_and_import_a_csv(served_data_app, browser, data_store, tmp_path):
    csv = tmp_path / "hotline.csv"
    pd.DataFrame(
        {
            "编号": ["HL-1", "HL-2", "HL-3"],
            "类别": ["排水", "供暖", "停车"],
            "创建时间": ["2025-03-01 08:00", "2025-03-02 09:30", "2025-03-03 10:45"],
            # Not names the page knows for coordinates: they are chosen by hand.
            "东经": [p[0] for p in POINTS],
            "北纬": [p[1] for p in POINTS],
        }
    ).to_csv(csv, index=False)
    before = GeoPackageStore(data_store).count("reports")

    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    # In from the first page, by the navigation, as a person would come.
    page.goto(f"{served_data_app}/", wait_until="domcontentloaded")
    page.get_by_role("radiogroup", name="Language").wait_for(timeout=60_000)  # app.py ran
    page.get_by_role("link", name="Data").click()
    page.get_by_text("Data: import and export").wait_for(timeout=60_000)
    assert "/data" in page.url
    choose(page, "Basemap", "No basemap (offline)")
    choose(page, "Layer", "Reports")
    page.locator("input[type='file']").set_input_files(str(csv))
    page.get_by_text("rows: 3 · columns: 5").wait_for(timeout=30_000)
    page.get_by_text("Choose the longitude and latitude columns").wait_for()

    choose(page, "Longitude · lon", "东经")
    page.wait_for_timeout(300)  # let the rerun of the first choice start
    choose(page, "Latitude · lat", "北纬")
    page.get_by_text("To import: 3 · rejected: 0").wait_for(timeout=30_000)

    frame = map_frame(page)
    markers = frame.locator(f"path[stroke='{PREVIEW_COLOUR}']")
    markers.first.wait_for(timeout=30_000)
    assert markers.count() == 3
    assert frame.locator("path[stroke='#1f3b73']").count() == 12  # the stored grids

    page.get_by_role("button", name="Import", exact=True).click()
    summary = page.get_by_text("Imported into Reports: 3 ·")
    summary.wait_for(timeout=60_000)
    assert GeoPackageStore(data_store).count("reports") == before + 3
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "data_import.png"), full_page=True)
    page.close()
