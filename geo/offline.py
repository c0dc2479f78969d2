"""Serve Leaflet, folium's plugins and their styles from the app itself, never a CDN.

folium names every script and stylesheet it needs in the ``default_js`` /
``default_css`` class attributes of its ``JSCSSMixin`` elements (``folium.Map``,
``MarkerCluster``, ``HeatMap``, ``Fullscreen``, ...), all pointing at public CDNs.
streamlit-folium collects those lists from the map and its children and loads them,
one after the other, in the component's iframe; one unreachable CDN (a government
intranet, an offline laptop) stops the map from being drawn at all.

:func:`use_local_assets` rewrites those class attributes once, at import of
:mod:`geo.maps`: every resource we vendor (``scripts/vendor_assets.py`` copies them
from ``node_modules`` into ``static/vendor``) points at the app's own static server,
and every other CDN link is removed, so a plugin we do not vendor fails alone
instead of blocking the whole map.

The URL is an absolute path, ``/app/static/vendor/<package>/...`` by default. The
component's iframe lives at ``/component/streamlit_folium.st_folium/index.html``, so a
relative URL would resolve under ``/component/``; the absolute path works on any
host and port. Behind a reverse proxy with Streamlit's ``server.baseUrlPath`` set,
the prefix follows it; ``GRIDMAP_ASSET_BASE_URL`` overrides everything.

Do not put branca colormaps (``branca.colormap.LinearColormap`` and friends) on a
map: streamlit-folium adds two d3 builds from public CDNs for any colormap it
finds, and no class attribute controls that. Draw legends as HTML instead.
:func:`asset_urls` reproduces what streamlit-folium will load and refuses a colormap,
so a test of the real map catches one.

With no basemap (``tiles=None``) give the map a zoom limit of its own,
``folium.Map(..., tiles=None, maxZoom=19)``: Leaflet.markercluster (``MarkerCluster``,
``FastMarkerCluster``) throws "Map has no maxZoom specified" on a map without tile
layers, and streamlit-folium then shows nothing at all.

Not vendored, on purpose (removed from the lists):

- ``glyphicons_css`` (Bootstrap 3 glyphicons from netdna): no maintained npm package
  fits. Use Font Awesome icons, ``folium.Icon(icon="home", prefix="fa")``; folium's
  default ``prefix="glyphicon"`` would draw a marker with an empty glyph.
- ``awesome_rotate_css`` (folium's ``leaflet.awesome.rotate`` stylesheet): only needed
  for ``folium.Icon(angle=...)``, and not published on npm.
"""

from __future__ import annotations

import mimetypes
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import branca.colormap
import folium
import folium.elements
import folium.plugins

DEFAULT_BASE_URL = "/app/static/vendor"
"""Where Streamlit serves ``static/vendor`` (``server.enableStaticServing = true``)."""

BASE_URL_ENV = "GRIDMAP_ASSET_BASE_URL"
"""Environment variable that overrides the asset URL prefix (e.g. a CDN of your own)."""

VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"
"""The folder scripts/vendor_assets.py fills and Streamlit serves."""


@dataclass(frozen=True)
class LocalAsset:
    """A folium resource we serve ourselves.

    ``token`` must occur in folium's (lower-cased) CDN URL as well as the resource
    name matching, so that an unrelated plugin reusing a name (``BoatMarker`` calls
    its script ``markerclusterjs``) is not handed the wrong file.
    """

    token: str
    path: str  # relative to static/vendor


# folium resource name -> the vendored file that replaces it.
LOCAL_ASSETS: dict[str, LocalAsset] = {
    # folium.Map
    "leaflet": LocalAsset("leaflet.js", "leaflet/dist/leaflet.js"),
    "jquery": LocalAsset("jquery", "jquery/dist/jquery.min.js"),
    "bootstrap": LocalAsset("bootstrap", "bootstrap/dist/js/bootstrap.bundle.min.js"),
    "awesome_markers": LocalAsset(
        "awesome-markers", "leaflet.awesome-markers/dist/leaflet.awesome-markers.js"
    ),
    "leaflet_css": LocalAsset("leaflet.css", "leaflet/dist/leaflet.css"),
    "bootstrap_css": LocalAsset("bootstrap", "bootstrap/dist/css/bootstrap.min.css"),
    "awesome_markers_font_css": LocalAsset("fontawesome", "fontawesome-free/css/all.min.css"),
    "awesome_markers_css": LocalAsset(
        "awesome-markers", "leaflet.awesome-markers/dist/leaflet.awesome-markers.css"
    ),
    # folium.plugins.MarkerCluster (and FastMarkerCluster, which inherits its lists)
    "markerclusterjs": LocalAsset(
        "leaflet.markercluster", "leaflet.markercluster/dist/leaflet.markercluster.js"
    ),
    "markerclustercss": LocalAsset(
        "markercluster.css", "leaflet.markercluster/dist/MarkerCluster.css"
    ),
    "markerclusterdefaultcss": LocalAsset(
        "markercluster.default.css", "leaflet.markercluster/dist/MarkerCluster.Default.css"
    ),
    # folium.plugins.HeatMap: folium's own patched Leaflet.heat, copied from the wheel
    "leaflet-heat.js": LocalAsset("leaflet_heat", "folium/leaflet_heat.min.js"),
    # folium.plugins.Fullscreen
    "Control.Fullscreen.js": LocalAsset("fullscreen", "leaflet.fullscreen/Control.FullScreen.js"),
    "Control.FullScreen.css": LocalAsset("fullscreen", "leaflet.fullscreen/Control.FullScreen.css"),
    # folium.plugins.Draw (folium names 1.0.2 on its CDN; npm's 1.0.4 is the same API)
    "leaflet_draw_js": LocalAsset("leaflet.draw.js", "leaflet-draw/dist/leaflet.draw.js"),
    "leaflet_draw_css": LocalAsset("leaflet.draw.css", "leaflet-draw/dist/leaflet.draw.css"),
}

# Our own scripts (written by scripts/vendor_assets.py), loaded right after a resource.
FOLLOWERS: dict[str, tuple[tuple[str, str], ...]] = {
    # Leaflet's guess of its marker-image folder fails in streamlit-folium's iframe,
    # which adds leaflet.css only after the scripts ran: set it explicitly.
    "leaflet": (("gridmap_leaflet_icon_path", "gridmap/leaflet-icon-path.js"),),
}

NOT_NEEDED: dict[str, str] = {
    "glyphicons_css": "Bootstrap 3 glyphicons: no npm package fits; use Icon(prefix='fa')",
    "awesome_rotate_css": "only for Icon(angle=...), which we do not use; not on npm",
}
"""Resources of the classes we use that we drop knowingly, with the reason."""

# Served with the right Content-Type even where /etc/mime.types is missing (Streamlit
# guesses it with the standard mimetypes module; Python 3.11 alone knows no fonts).
_MIME_TYPES = {
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".svg": "image/svg+xml",
    ".js": "text/javascript",
    ".css": "text/css",
}

_ORIGINALS: dict[tuple[type, str], list[tuple[str, str]]] = {}
_DROPPED: dict[str, list[tuple[str, str]]] = {}
_state: dict[str, str] = {}


def _subclasses(cls: type) -> Iterator[type]:
    seen: set[type] = set()
    stack = list(cls.__subclasses__())
    while stack:
        sub = stack.pop()
        if sub in seen:
            continue
        seen.add(sub)
        yield sub
        stack.extend(sub.__subclasses__())


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def resolve_base_url(base_url: str | None = None) -> str:
    """The URL prefix under which ``static/vendor`` is served.

    Parameters
    ----------
    base_url : str, optional
        Taken as given when set. Otherwise ``$GRIDMAP_ASSET_BASE_URL``, else
        ``/<server.baseUrlPath>/app/static/vendor`` when running inside Streamlit,
        else :data:`DEFAULT_BASE_URL`.

    Returns
    -------
    str
        The prefix without a trailing slash.
    """
    if base_url is None:
        base_url = os.environ.get(BASE_URL_ENV) or None
    if base_url is None:
        base_url = DEFAULT_BASE_URL
        if "streamlit" in sys.modules:  # only when Streamlit is already loaded
            try:
                from streamlit import config

                path = (config.get_option("server.baseUrlPath") or "").strip("/")
            except Exception:  # configuration not readable: keep the default
                path = ""
            if path:
                base_url = f"/{path}{DEFAULT_BASE_URL}"
    return base_url.rstrip("/")


def _rewrite(
    cls: type, attr: str, base_url: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    original = _ORIGINALS.setdefault((cls, attr), list(cls.__dict__[attr]))
    kept: list[tuple[str, str]] = []
    dropped: list[tuple[str, str]] = []
    for name, url in original:
        asset = LOCAL_ASSETS.get(name)
        if not _is_external(url):
            kept.append((name, url))  # already served by us (a class of our own)
        elif asset is not None and asset.token in url.lower():
            kept.append((name, f"{base_url}/{asset.path}"))
            kept.extend((extra, f"{base_url}/{path}") for extra, path in FOLLOWERS.get(name, ()))
        else:
            dropped.append((name, url))
    return kept, dropped


def use_local_assets(base_url: str | None = None) -> None:
    """Point every folium resource at ``static/vendor`` and drop the CDN links left.

    Walks every subclass of ``folium.elements.JSCSSMixin`` imported so far (this
    module imports ``folium.plugins``, so all of folium's) and replaces its own
    ``default_js`` / ``default_css`` lists. Idempotent: each call starts again from
    folium's original lists, so calling it twice, or again with another prefix, is
    safe. Classes imported after the call are not rewritten: call it again then.

    Parameters
    ----------
    base_url : str, optional
        URL prefix of the vendored files; see :func:`resolve_base_url`.
    """
    for ext, mime in _MIME_TYPES.items():
        mimetypes.add_type(mime, ext)
    base = resolve_base_url(base_url)
    _DROPPED.clear()
    for cls in _subclasses(folium.elements.JSCSSMixin):
        for attr in ("default_js", "default_css"):
            if attr not in cls.__dict__:
                continue  # inherits the (already rewritten) list of a parent
            kept, dropped = _rewrite(cls, attr, base)
            setattr(cls, attr, kept)
            if dropped:
                _DROPPED.setdefault(f"{cls.__module__}.{cls.__qualname__}", []).extend(dropped)
    _state["base_url"] = base


def current_base_url() -> str | None:
    """The prefix of the last :func:`use_local_assets` call, or None before any."""
    return _state.get("base_url")


def dropped_assets() -> dict[str, list[tuple[str, str]]]:
    """CDN resources removed by the last call, by class: ``{"pkg.Class": [(name, url)]}``.

    The classes we use lose only the :data:`NOT_NEEDED` names; every other class
    listed here is a folium plugin whose script we do not vendor, so it will not work.
    """
    return {key: list(value) for key, value in _DROPPED.items()}


def _walk(element: object) -> Iterator[object]:
    """The elements streamlit-folium inspects, in its order (see st_folium)."""
    if isinstance(element, branca.colormap.ColorMap):
        yield element
    if isinstance(element, folium.plugins.DualMap):
        yield from _walk(element.m1)
        yield from _walk(element.m2)
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


class ColormapOnMap(ValueError):
    """A branca colormap is on the map: streamlit-folium would load d3 from a public CDN."""


def asset_urls(fmap: folium.Map) -> tuple[list[str], list[str]]:
    """The scripts and stylesheets streamlit-folium's ``st_folium`` will load for a map.

    Parameters
    ----------
    fmap : folium.Map
        The map (its children are walked as streamlit-folium does).

    Returns
    -------
    tuple of (list of str, list of str)
        Script URLs and stylesheet URLs, de-duplicated in load order.

    Raises
    ------
    ColormapOnMap
        When the map holds a branca colormap, for which streamlit-folium adds d3 from
        public CDNs that offline deployments cannot reach; shade in Python instead.
    """
    js: list[str] = []
    css: list[str] = []
    for element in _walk(fmap):
        if isinstance(element, branca.colormap.ColorMap):
            raise ColormapOnMap(
                "a branca colormap is on the map; streamlit-folium would load d3 from a CDN"
            )
        css.extend(url for _, url in getattr(element, "default_css", []))
        js.extend(url for _, url in getattr(element, "default_js", []))
    return list(dict.fromkeys(js)), list(dict.fromkeys(css))


# folium.Map lists these for every map, for what only some maps draw: icon markers
# (folium.Icon: Leaflet.awesome-markers, styled with Font Awesome or Bootstrap's
# glyphicons) and folium's HTML popups, which build their content with jQuery. Each is
# needed when one of its signs occurs in the map's rendered code.
MAP_EXTRAS: dict[str, tuple[str, ...]] = {
    "jquery": ("$(", "jQuery"),
    "awesome_markers": ("AwesomeMarkers",),
    "awesome_markers_css": ("AwesomeMarkers",),
    "awesome_markers_font_css": ("AwesomeMarkers", "fa-"),
    "bootstrap": ("AwesomeMarkers", "glyphicon", "data-bs-", "btn"),
    "bootstrap_css": ("AwesomeMarkers", "glyphicon", "data-bs-", "btn"),
}


def used_assets(js: Iterable[str], css: Iterable[str], code: str) -> tuple[list[str], list[str]]:
    """The scripts and stylesheets a rendered map uses: ``MAP_EXTRAS`` it has no sign of left out.

    jQuery, Bootstrap and Font Awesome are about 250 KB of script and style that a
    browser parses and applies before the map shows (the Overview's map uses none).

    Parameters
    ----------
    js, css : iterable of str
        The map's script and stylesheet URLs (:func:`asset_urls`).
    code : str
        Everything the map renders to: its header, HTML and script.

    Returns
    -------
    tuple of (list of str, list of str)
        The URLs kept, in their order.
    """
    unused = {
        LOCAL_ASSETS[name].path
        for name, signs in MAP_EXTRAS.items()
        if not any(sign in code for sign in signs)
    }

    def keep(urls: Iterable[str]) -> list[str]:
        return [url for url in urls if not any(url.endswith("/" + path) for path in unused)]

    return keep(js), keep(css)


def served_by_app(base_url: str | None = None) -> bool:
    """Whether the vendored files are served by this app from :data:`VENDOR_DIR`.

    True for the default prefix and for it under Streamlit's ``server.baseUrlPath``
    (a path ending in ``/app/static/vendor``); False when ``GRIDMAP_ASSET_BASE_URL``
    points elsewhere (another host, or a path a reverse proxy serves), where the
    files on this machine are not the ones the browser gets.

    Parameters
    ----------
    base_url : str, optional
        The prefix to judge; by default the one in force (see :func:`vendored_path`).

    Returns
    -------
    bool
    """
    base = resolve_base_url(base_url if base_url is not None else current_base_url())
    return not _is_external(base) and base.endswith(DEFAULT_BASE_URL)


def missing_vendored_files(
    fmap: folium.Map | None = None,
    vendor_dir: Path | str | None = None,
    base_url: str | None = None,
) -> list[str]:
    """The vendored scripts and stylesheets a map needs that are not on disk.

    Without them streamlit-folium draws an empty white map and says nothing, so a
    page calls this first and tells the user to run ``make assets``.

    Parameters
    ----------
    fmap : folium.Map, optional
        The map about to be shown: the files checked are the ones its elements load
        (:func:`asset_urls`). By default every file of :data:`LOCAL_ASSETS` and
        :data:`FOLLOWERS`.
    vendor_dir : path, optional
        Where the files should be; default :data:`VENDOR_DIR` (read at call time).
    base_url : str, optional
        The asset URL prefix; by default the one in force. When it points elsewhere
        (:func:`served_by_app` is False) nothing is reported: those files cannot be
        checked from here.

    Returns
    -------
    list of str
        Paths relative to ``vendor_dir`` (``"leaflet/dist/leaflet.js"``), in load
        order; empty when nothing is missing.
    """
    base = resolve_base_url(base_url if base_url is not None else current_base_url())
    if not served_by_app(base):
        return []
    folder = Path(vendor_dir) if vendor_dir is not None else VENDOR_DIR
    if fmap is None:
        needed = [asset.path for asset in LOCAL_ASSETS.values()]
        needed += [path for followers in FOLLOWERS.values() for _, path in followers]
    else:
        js, css = asset_urls(fmap)
        prefix = base + "/"
        needed = [
            url[len(prefix) :].split("?", 1)[0].split("#", 1)[0]
            for url in js + css
            if url.startswith(prefix)
        ]
    needed = list(dict.fromkeys(needed))
    return [path for path in needed if not folder.joinpath(*path.split("/")).is_file()]


def vendored_path(url: str, base_url: str | None = None) -> Path | None:
    """The file under :data:`VENDOR_DIR` that ``url`` names, or None if not ours."""
    base = resolve_base_url(base_url if base_url is not None else current_base_url())
    if not url.startswith(base + "/"):
        return None
    relative = url[len(base) + 1 :].split("?", 1)[0].split("#", 1)[0]
    return VENDOR_DIR.joinpath(*relative.split("/"))


EXTERNAL_URL_RE = re.compile(
    r"""
    (?P<url>
        (?:https?:)//(?P<host>[^\s/"'<>()\\?#]+)[^\s"'<>()\\]*      # http(s)://host...
      | (?<=["'(=\s])//(?P<bare>(?:[\w{}-]+\.)+[a-z][\w-]*(?::\d+)?)(?:/[^\s"'<>()\\]*)?
    )                                                            # or //host.tld...
    """,
    re.IGNORECASE | re.VERBOSE,
)
"""http(s)://host and protocol-relative //host.tld URLs in HTML, CSS or JavaScript."""


def _host_allowed(host: str, allowed: Iterable[str]) -> bool:
    host = host.lower().rsplit("@", 1)[-1]
    if host.startswith("["):
        host = host.split("]", 1)[0] + "]"
    else:
        host = host.split(":", 1)[0]
    for name in allowed:
        name = name.lower()
        if host == name or host.endswith("." + name):
            return True
    return False


# The start of an <a href="...">: in HTML, or inside a JSON/JavaScript string where
# folium escapes "<" as \u003c and quotes as \" (a tile layer's attribution).
_ANCHOR_HREF_RE = re.compile(
    r"""(?:<|\\u003c|&lt;)a\s[^<>]*?\bhref\s*=\s*(?:\\?["']|&quot;|&\#34;)?$""",
    re.IGNORECASE,
)


def external_urls(
    html: str, allowed_hosts: Iterable[str] = (), *, include_links: bool = False
) -> list[str]:
    """Absolute and protocol-relative URLs in ``html`` whose host is not allowed.

    Parameters
    ----------
    html : str
        A rendered page (``fmap.get_root().render()``), or any text.
    allowed_hosts : iterable of str
        Hosts that may appear; a name also allows its subdomains, so
        ``"openstreetmap.org"`` allows ``tile.openstreetmap.org`` and the
        ``{s}.tile.openstreetmap.org`` of a tile template.
    include_links : bool, default False
        Also report the targets of ``<a href>`` hyperlinks (a tile layer's
        attribution links to its provider). They are only followed when clicked, so
        by default only what the page would load is reported.

    Returns
    -------
    list of str
        The offending URLs, de-duplicated, in order of appearance.
    """
    allowed = list(allowed_hosts)
    found: list[str] = []
    for match in EXTERNAL_URL_RE.finditer(html):
        host = match.group("host") or match.group("bare")
        if _host_allowed(host, allowed):
            continue
        if not include_links and _ANCHOR_HREF_RE.search(
            html, max(0, match.start() - 500), match.start()
        ):
            continue
        found.append(match.group("url"))
    return list(dict.fromkeys(found))
