"""The Overview in a real browser: a filter changes the tiles and the map, a click the card.

Run alone with ``pytest -m browser``. Uses the served demo app of tests/test_browser.py.
"""

from __future__ import annotations

import pytest

from tests.browser_support import SCREENSHOTS, wait_until_idle

pytestmark = pytest.mark.browser

MAP = "iframe[title='geo.map_component.click_map']"  # geo/map_component.show_clickable
ROW_PX = 35  # Streamlit's dataframe: header and rows are 35 px high


def _tile(page, label: str) -> str:
    """The value shown under a tile's label (geo/tiles.py)."""
    tile = page.locator(".gm-tile", has=page.locator("dt", has_text=label)).first
    return tile.locator(".gm-value").inner_text()


def _map(page):
    handle = page.wait_for_selector(MAP, timeout=60_000)
    frame = handle.content_frame()
    frame.wait_for_selector(".gridmap-label", timeout=60_000)
    return frame


def _labels(frame) -> dict[str, str]:
    """Each grid's label on the map: grid code to the figure shown under it."""
    texts = frame.locator(".gridmap-label").evaluate_all(
        "labels => labels.map(l => [l.querySelector('b').innerText, l.lastChild.textContent])"
    )
    return dict(texts)


def test_a_status_filter_changes_tiles_map_and_link(served_app, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(f"{served_app}/?basemap=none", wait_until="domcontentloaded")
    frame = _map(page)
    shown = _labels(frame)
    assert len(shown) == 12 and set(shown.values()) != {"0"}  # open reports in some grids
    before = _tile(page, "Closed")
    assert int(before) > 0
    # The drawn map runs the page again, which brings the filters: type once it is done.
    wait_until_idle(page)
    # Count only reports rejected as invalid: closed ones drop out of every figure.
    box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").nth(1)
    box.click()
    page.keyboard.type("rejected")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_function(
        "() => document.querySelector('[data-tile=closed] .gm-value')?.innerText === '0'",
        timeout=30_000,
    )
    assert _tile(page, "Closed") == "0"
    assert _tile(page, "Open") == "0"
    assert "status=rejected" in page.url
    # The map is the new view's: no grid has an open rejected report.
    page.wait_for_function(
        f'() => {{ const f = document.querySelector("{MAP}"); if (!f) return false;'
        " const l = [...f.contentDocument.querySelectorAll('.gridmap-label')];"
        " return l.length === 12 && l.every(x => x.lastChild.textContent === '0'); }",
        timeout=30_000,
    )
    assert set(_labels(_map(page)).values()) == {"0"}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "overview_filtered.png"), full_page=True)
    page.close()


def test_clicking_a_grid_opens_its_detail_and_outlines_it(served_app, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(f"{served_app}/?basemap=none", wait_until="domcontentloaded")
    frame = _map(page)
    label = frame.locator(".gridmap-label", has_text="G07")
    box = label.bounding_box()
    # Labels let clicks through, so this click lands on grid G07's polygon.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] + 8)
    page.wait_for_function(
        "() => [...document.querySelectorAll('h3')].some(h => h.innerText.startsWith('Grid G07'))",
        timeout=30_000,
    )
    assert "focus=G07" in page.url
    # Outlined by the map itself; the map was not sent again.
    frame = _map(page)
    assert frame.locator("path[stroke='#d62728']").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "overview_grid.png"), full_page=True)
    page.close()


def test_the_grid_table_follows_the_map_and_a_row_opens_its_grid(served_app, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(f"{served_app}/?basemap=none", wait_until="domcontentloaded")
    _map(page)
    # Nothing to click: the drawn map asks for the rest of the page.
    table = page.locator("[data-testid='stDataFrame']").first
    table.wait_for(timeout=60_000)
    page.locator("[data-testid='stVegaLiteChart']").nth(1).wait_for(timeout=60_000)
    # The brief's two downloads come last; the browser may still be drawing them.
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stDownloadButton]').length === 2",
        timeout=60_000,
    )
    page.get_by_text("follow once the map is drawn").wait_for(state="detached", timeout=30_000)
    # The rows are the grids in order; the first column's box selects a row.
    table.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = table.bounding_box()
    row = 3  # G03
    page.mouse.click(box["x"] + 12, box["y"] + ROW_PX * row + ROW_PX / 2)
    page.wait_for_function(
        "() => [...document.querySelectorAll('h3')].some(h => h.innerText.startsWith('Grid G03'))",
        timeout=30_000,
    )
    assert "focus=G03" in page.url
    # The map is drawn again with the row's grid outlined (the map cannot know otherwise).
    page.wait_for_function(
        f'() => {{ const f = document.querySelector("{MAP}"); if (!f) return false;'
        " return f.contentDocument.querySelectorAll(\"path[stroke='#d62728']\").length === 1;"
        " }",
        timeout=30_000,
    )
    page.close()


def test_every_page_in_the_navigation_shows_an_icon(served_app, browser):
    """Icons come from the font Streamlit ships, so they show with no emoji font and no
    internet: drawn, an icon is one glyph wide; missing, its name would show as text."""
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(f"{served_app}/?basemap=none", wait_until="domcontentloaded")
    links = page.locator("[data-testid='stSidebarNav'] a")
    links.first.wait_for(timeout=60_000)
    page.evaluate("() => document.fonts.ready")
    icons = page.locator("[data-testid='stSidebarNav'] a [data-testid='stIconMaterial']")
    assert icons.count() == links.count() >= 6
    widths = icons.evaluate_all("icons => icons.map(i => i.getBoundingClientRect().width)")
    assert all(0 < width <= 32 for width in widths), widths
    page.close()
