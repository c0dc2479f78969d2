"""Serving the app and finding Chromium for the browser tests (one place for all of them)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_BROWSER, unavailable

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = Path(os.environ.get("GRIDMAP_SCREENSHOTS", ROOT / "build" / "screenshots"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# st_folium's frame (Map, Reports, Buildings, Grids) or the Overview's own map
# (geo/map_component.py show_clickable).
MAP_IFRAME = (
    "iframe[title='streamlit_folium.st_folium'], iframe[title='geo.map_component.click_map']"
)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium_path() -> str:
    """The system Chromium (GRIDMAP_CHROMIUM, else the one on PATH); skip or fail without."""
    path = os.environ.get("GRIDMAP_CHROMIUM") or shutil.which("chromium")
    if not path:
        unavailable("Chromium is not installed (apt-get install chromium)", REQUIRE_BROWSER)
    return path


@contextlib.contextmanager
def serve_app(db: Path | str, lang: str = "en") -> Iterator[str]:
    """``streamlit run app.py`` on the store ``db``; yields its URL, stops it after."""
    port = free_port()
    env = dict(os.environ, GRIDMAP_DB=str(db), GRIDMAP_LANG=lang)
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
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
        output = proc.stdout.read().decode(errors="replace")[-2000:]
        pytest.fail("streamlit did not start: " + output)
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def map_frame(page, attempts: int = 10):
    """The Leaflet map's frame, once its container is there.

    A rerun may replace the map's iframe while we wait on it (the frame detaches);
    then the new one is looked up again.
    """
    from playwright.sync_api import Error

    for attempt in range(attempts):
        handle = page.wait_for_selector(MAP_IFRAME, timeout=60_000)
        frame = handle.content_frame()
        try:
            if frame is None:  # replaced between finding it and reading it
                raise Error("frame detached")
            frame.wait_for_selector(".leaflet-container", timeout=60_000)
            return frame
        except Error as exc:
            if "detached" not in str(exc) or attempt == attempts - 1:
                raise
            page.wait_for_timeout(300)
    raise AssertionError("unreachable")


def wait_until_idle(page) -> None:
    """Wait until the app has stopped running for 1.5 s (a map's first report, or a
    late rerun, makes it run again after the page looks drawn)."""
    quiet = 0
    for _ in range(120):
        page.wait_for_timeout(250)
        running = page.locator("[data-testid='stStatusWidget']").count() > 0
        quiet = 0 if running else quiet + 1
        if quiet >= 6:
            return
