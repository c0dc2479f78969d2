"""Showing a folium map in Streamlit with the map rendered once, not on every rerun.

``streamlit_folium.st_folium`` renders the folium map to HTML and JavaScript on every
call: half a second for the Overview's map with 100,000 reports behind it, paid on
every click. :func:`prepare` does that rendering once (the page caches its result
with the map); :func:`show` hands the prepared strings to streamlit-folium's own
component. The arguments are exactly those ``st_folium`` passes
(tests/test_map_component.py checks it against the installed streamlit-folium), so
the browser side, the returned clicks and the component's identity are the same.
Identical arguments on a rerun make Streamlit send a short reference instead of
the map, and the browser keeps the map it has drawn.

:func:`show_clickable` draws the same prepared map with a frontend of our own
(``geo/click_map_frontend``: one small script, no framework) for maps that only
need to know where they were clicked, such as the Overview's. It loads Leaflet and
the plugins in parallel instead of one after the other, leaving out what folium lists
for every map but this one does not use (``offline.used_assets``); it sends a click
at once, where streamlit-folium waits 250 ms for more events before it sends
anything; and it says when the map has been drawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import folium
import streamlit as st
import streamlit.components.v1 as components
import streamlit_folium
from streamlit_folium import _get_header, _get_html, _get_map_string, generate_js_hash

from geo.offline import asset_urls, used_assets

_CLICK_MAP = components.declare_component(
    "click_map", path=str(Path(__file__).resolve().parent / "click_map_frontend")
)


@dataclass(frozen=True)
class PreparedMap:
    """A folium map rendered to what streamlit-folium's component takes."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    bounds: dict
    zoom: object
    # What show_clickable loads: the links above less what this map does not use.
    used_js_links: tuple[str, ...]
    used_css_links: tuple[str, ...]


def prepare(fmap: folium.Map) -> PreparedMap:
    """Render ``fmap`` once (it is changed by rendering: use a map built for this)."""
    fmap.get_root().render()
    fmap.render()
    html = _get_html(fmap)
    header = _get_header(fmap)
    script = _get_map_string(fmap)
    js, css = asset_urls(fmap)
    used_js, used_css = used_assets(js, css, header + html + script)
    (south, west), (north, east) = fmap.get_bounds()
    return PreparedMap(
        script=script,
        header=header,
        html=html,
        map_id=streamlit_folium.get_full_id(fmap),
        css_links=tuple(css),
        js_links=tuple(js),
        bounds={
            "_southWest": {"lat": south, "lng": west},
            "_northEast": {"lat": north, "lng": east},
        },
        zoom=fmap.options.get("zoom"),
        used_js_links=tuple(used_js),
        used_css_links=tuple(used_css),
    )


def show(
    prepared: PreparedMap,
    key: str,
    height: int,
    returned_objects: Iterable[str] = ("last_clicked",),
) -> dict | None:
    """Draw a prepared map at the container's width; returns what ``st_folium`` returns."""
    returned = list(returned_objects)
    defaults = {name: None for name in returned}
    if "bounds" in defaults:
        defaults["bounds"] = prepared.bounds
    if "zoom" in defaults:
        defaults["zoom"] = prepared.zoom
    return streamlit_folium._component_func(
        script=prepared.script,
        header=prepared.header,
        html=prepared.html,
        id=prepared.map_id,
        key=generate_js_hash(prepared.script, key, False),
        height=height,
        width=None,
        returned_objects=returned,
        default=defaults,
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(prepared.css_links),
        js_links=list(prepared.js_links),
        on_change=None,
        wrap_longitude=False,
    )


def show_clickable(prepared: PreparedMap, key: str, height: int) -> dict | None:
    """Draw a prepared map that reports where it was clicked, as soon as it is.

    Returns None until the browser has drawn the map (or failed to load its scripts),
    then ``{"drawn": True, "last_clicked": None}``; after a click, ``last_clicked`` is
    ``{"lat": ..., "lng": ...}`` of the latest one (what ``st_folium`` returns under
    that name). The first report reruns the page (or its fragment), which can show
    then what it held back so as not to delay the map.
    """
    return _CLICK_MAP(
        script=prepared.script,
        header=prepared.header,
        html=prepared.html,
        css_links=list(prepared.used_css_links),
        js_links=list(prepared.used_js_links),
        height=height,
        key=f"{key}.{st.session_state.get(_generation(key), 0)}",
        default=None,
    )


def draw_afresh(key: str) -> None:
    """Have the next :func:`show_clickable` under ``key`` draw its map anew.

    A map that outlines clicks in the browser keeps that outline across reruns while
    its arguments stay the same; a selection made elsewhere (a list, a table row)
    must replace the map even when the prepared map is the one already shown, so
    the component gets a new key.
    """
    st.session_state[_generation(key)] = st.session_state.get(_generation(key), 0) + 1


def _generation(key: str) -> str:
    return f"{key}.generation"
