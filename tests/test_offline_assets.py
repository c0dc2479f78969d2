"""Maps load every script, stylesheet, image and font from the app, never a CDN.

The checks on static/vendor need `npm ci && python scripts/vendor_assets.py` first;
they skip when it has not been built, and fail instead with GRIDMAP_REQUIRE_ASSETS=1.
"""

from __future__ import annotations

import importlib.util
import json
import mimetypes
import os
import re
from pathlib import Path

import branca.colormap
import folium
import pytest
from folium import plugins

from geo import map_component, offline

ROOT = Path(__file__).resolve().parents[1]
REQUIRE_ASSETS = os.environ.get("GRIDMAP_REQUIRE_ASSETS") == "1"
CLASSES_WE_USE = (
    folium.Map,
    plugins.MarkerCluster,
    plugins.FastMarkerCluster,
    plugins.HeatMap,
    plugins.Fullscreen,
)
CSS_URL_RE = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""")


@pytest.fixture(autouse=True)
def local_assets():
    offline.use_local_assets()
    yield
    offline.use_local_assets()


@pytest.fixture
def vendor_dir() -> Path:
    if not (offline.VENDOR_DIR / "leaflet").is_dir():
        reason = (
            f"{offline.VENDOR_DIR} is not built: run `npm ci && "
            ".venv/bin/python scripts/vendor_assets.py`"
        )
        if REQUIRE_ASSETS:
            pytest.fail(reason)
        pytest.skip(reason)
    return offline.VENDOR_DIR


def _square(x: float, y: float, size: float = 0.001) -> list[list[float]]:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


@pytest.fixture
def full_map() -> folium.Map:
    """A map with every kind of element our pages use, and no basemap."""
    fmap = folium.Map(location=[39.1, 117.2], zoom_start=16, tiles=None)
    grids = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"grid_id": f"G{i}", "name": f"网格 {i}"},
                "geometry": {"type": "Polygon", "coordinates": [_square(117.2 + i * 0.001, 39.1)]},
            }
            for i in range(3)
        ],
    }
    folium.GeoJson(
        grids,
        name="grids",
        tooltip=folium.GeoJsonTooltip(fields=["grid_id", "name"]),
        popup=folium.GeoJsonPopup(fields=["name"]),
    ).add_to(fmap)
    points = [[39.1005 + i * 1e-4, 117.2005 + i * 1e-4] for i in range(20)]
    cluster = plugins.MarkerCluster(name="reports").add_to(fmap)
    folium.Marker(points[0], icon=folium.Icon(icon="house", prefix="fa")).add_to(cluster)
    plugins.FastMarkerCluster(points, name="fast").add_to(fmap)
    plugins.HeatMap([[lat, lon, 1.0] for lat, lon in points], name="heat").add_to(fmap)
    plugins.Fullscreen().add_to(fmap)
    folium.LayerControl().add_to(fmap)
    return fmap


def test_rendered_map_names_no_external_host(full_map):
    html = full_map.get_root().render()
    assert offline.external_urls(html) == []
    assert "/app/static/vendor/leaflet/dist/leaflet.js" in html


def test_streamlit_folium_loads_only_local_urls(full_map):
    js, css = offline.asset_urls(full_map)
    assert js and css
    for url in js + css:
        assert url.startswith(offline.DEFAULT_BASE_URL + "/"), url


def test_every_loaded_file_is_vendored(full_map, vendor_dir):
    js, css = offline.asset_urls(full_map)
    for url in js + css:
        path = offline.vendored_path(url)
        assert path is not None and path.is_file(), f"{url} -> {path} is missing"


def test_classes_we_use_lose_only_what_we_do_not_need():
    dropped = offline.dropped_assets()
    for cls in CLASSES_WE_USE:
        key = f"{cls.__module__}.{cls.__qualname__}"
        names = {name for name, _ in dropped.get(key, [])}
        assert names <= set(offline.NOT_NEEDED), f"{key} lost {names - set(offline.NOT_NEEDED)}"
        for _, url in cls.default_js + cls.default_css:
            assert not offline.external_urls(f'"{url}"'), url
    map_names = {name for name, _ in folium.Map.default_js + folium.Map.default_css}
    assert {"leaflet", "leaflet_css", "jquery", "bootstrap", "awesome_markers"} <= map_names


def test_no_folium_class_points_at_a_cdn():
    import folium.elements

    for cls in offline._subclasses(folium.elements.JSCSSMixin):
        for _, url in cls.default_js + cls.default_css:
            assert url.startswith(offline.DEFAULT_BASE_URL + "/"), (cls, url)


def test_idempotent_and_prefix_is_configurable(monkeypatch):
    offline.use_local_assets()
    first = list(folium.Map.default_js)
    offline.use_local_assets()
    assert folium.Map.default_js == first

    offline.use_local_assets("/gridmap/app/static/vendor/")
    assert folium.Map.default_js[0][1] == "/gridmap/app/static/vendor/leaflet/dist/leaflet.js"
    assert offline.current_base_url() == "/gridmap/app/static/vendor"

    monkeypatch.setenv(offline.BASE_URL_ENV, "/elsewhere")
    offline.use_local_assets()
    assert plugins.HeatMap.default_js == [
        ("leaflet-heat.js", "/elsewhere/folium/leaflet_heat.min.js")
    ]
    monkeypatch.delenv(offline.BASE_URL_ENV)
    offline.use_local_assets()
    assert folium.Map.default_js == first


def test_unrelated_plugin_reusing_a_name_is_not_given_our_file():
    # BoatMarker calls its own script "markerclusterjs".
    assert plugins.BoatMarker.default_js == []
    assert "markerclusterjs" in {
        name for name, _ in offline.dropped_assets()["folium.plugins.boat_marker.BoatMarker"]
    }


def test_colormap_is_refused_because_it_would_pull_d3_from_a_cdn():
    """Why maps must not carry branca colormaps: streamlit-folium adds d3 for them."""
    fmap = folium.Map(tiles=None)
    branca.colormap.LinearColormap(["#ffffff", "#000000"], vmin=0, vmax=1).add_to(fmap)
    with pytest.raises(offline.ColormapOnMap, match="d3"):
        offline.asset_urls(fmap)


def test_external_urls_finds_absolute_and_protocol_relative_urls():
    html = """
    <script src="https://cdn.example.org/npm/leaflet/dist/leaflet.js"></script>
    <link rel="stylesheet" href="//netdna.bootstrapcdn.com/x.css"/>
    <style>.a { background: url(//example.com/a.png) }</style>
    <script>
      // a comment, not a URL: see//below
      var t = L.tileLayer("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png");
      var local = "/app/static/vendor/leaflet/dist/leaflet.js";
      var own = "http://127.0.0.1:8501/app/static/x.js";
    </script>
    <a href="https://www.openstreetmap.org/copyright">OSM</a>
    """
    assert offline.external_urls(html, {"openstreetmap.org", "127.0.0.1"}) == [
        "https://cdn.example.org/npm/leaflet/dist/leaflet.js",
        "//netdna.bootstrapcdn.com/x.css",
        "//example.com/a.png",
    ]
    everything = offline.external_urls(html)
    assert "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png" in everything
    assert "http://127.0.0.1:8501/app/static/x.js" in everything
    assert "https://www.openstreetmap.org/copyright" not in everything  # a link, not a load
    assert "https://www.openstreetmap.org/copyright" in offline.external_urls(
        html, include_links=True
    )


def test_osm_tiles_and_their_attribution_link():
    page = folium.Map(tiles="OpenStreetMap").get_root().render()
    assert offline.external_urls(page, {"tile.openstreetmap.org"}) == []
    assert offline.external_urls(page, {"tile.openstreetmap.org"}, include_links=True) == [
        "https://www.openstreetmap.org/copyright"
    ]
    assert offline.external_urls(page) == ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"]


def test_files_the_stylesheets_reference_exist(vendor_dir):
    stylesheets = sorted(vendor_dir.rglob("*.css"))
    assert len(stylesheets) >= 7
    checked = 0
    for css in stylesheets:
        for _, ref in CSS_URL_RE.findall(css.read_text(encoding="utf-8")):
            if ref.startswith(("data:", "#")):  # inline images; leaflet's old-IE VML hook
                continue
            assert not re.match(r"(?i)([a-z]+:)?//", ref), f"{css}: external {ref}"
            target = (css.parent / ref.split("?", 1)[0].split("#", 1)[0]).resolve()
            assert target.is_relative_to(vendor_dir.resolve()), f"{css}: {ref} leaves vendor/"
            assert target.is_file(), f"{css.relative_to(vendor_dir)} needs missing {ref}"
            checked += 1
    assert checked >= 10  # leaflet images, font awesome webfonts, marker sprites


def test_vendored_files_are_real_copies_listed_in_the_manifest(vendor_dir):
    manifest = json.loads((vendor_dir / "MANIFEST.json").read_text(encoding="utf-8"))
    on_disk = set()
    for path in vendor_dir.rglob("*"):
        assert not path.is_symlink(), f"{path} is a symlink; Streamlit will not serve it"
        # MANIFEST.json and dotfiles such as the Makefile's .built stamp are not assets
        if path.is_file() and path.name != "MANIFEST.json" and not path.name.startswith("."):
            on_disk.add(path.relative_to(vendor_dir).as_posix())
    assert on_disk == set(manifest["files"])
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]
    for package, version in pinned.items():
        assert manifest["packages"][package] == version


def test_served_content_types_are_right():
    from streamlit.web.server.component_file_utils import guess_content_type

    assert guess_content_type("a/leaflet.js") in {"text/javascript", "application/javascript"}
    assert guess_content_type("a/leaflet.css") == "text/css"
    assert guess_content_type("a/fa-solid-900.woff2") == "font/woff2"
    assert guess_content_type("a/fa-solid-900.ttf") in {"font/ttf", "font/sfnt"}
    assert guess_content_type("a/icon-fullscreen.svg") == "image/svg+xml"
    assert mimetypes.guess_type("x.png")[0] == "image/png"


def _vendor_script():
    spec = importlib.util.spec_from_file_location(
        "vendor_assets", ROOT / "scripts" / "vendor_assets.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vendor_script_says_run_npm_ci_without_node_modules(tmp_path, capsys):
    script = _vendor_script()
    (tmp_path / "package.json").write_text((ROOT / "package.json").read_text("utf-8"), "utf-8")
    assert script.main(["--root", str(tmp_path)]) == 1
    assert "npm ci" in capsys.readouterr().err
    assert not (tmp_path / "static" / "vendor").exists()


def test_vendor_script_is_idempotent(tmp_path, vendor_dir):
    if not (ROOT / "node_modules").is_dir():
        pytest.skip("node_modules not installed")
    script = _vendor_script()
    (tmp_path / "package.json").write_text((ROOT / "package.json").read_text("utf-8"), "utf-8")
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    first = script.vendor(tmp_path)
    listing = sorted(p.relative_to(first).as_posix() for p in first.rglob("*"))
    (first / "stale.js").write_text("old", "utf-8")
    second = script.vendor(tmp_path)
    assert sorted(p.relative_to(second).as_posix() for p in second.rglob("*")) == listing
    assert not any(p.is_symlink() for p in second.rglob("*"))
    assert [p.name for p in (tmp_path / "static").iterdir()] == ["vendor"]


# --- what the Map page checks before drawing (offline.missing_vendored_files) ---------
def _fill(folder: Path, paths: list[str]) -> None:
    for path in paths:
        target = folder.joinpath(*path.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("/* stand-in */", "utf-8")


def test_missing_vendored_files_of_an_empty_folder_are_every_file_the_map_loads(full_map, tmp_path):
    missing = offline.missing_vendored_files(full_map, vendor_dir=tmp_path)
    js, css = offline.asset_urls(full_map)
    assert len(missing) == len(js + css)
    assert missing[0] == "leaflet/dist/leaflet.js"
    assert "leaflet.markercluster/dist/MarkerCluster.css" in missing
    assert "gridmap/leaflet-icon-path.js" in missing  # our own follower script too


def test_missing_vendored_files_names_only_what_is_missing(full_map, tmp_path):
    everything = offline.missing_vendored_files(full_map, vendor_dir=tmp_path)
    _fill(tmp_path, [p for p in everything if p != "folium/leaflet_heat.min.js"])
    assert offline.missing_vendored_files(full_map, vendor_dir=tmp_path) == [
        "folium/leaflet_heat.min.js"
    ]
    _fill(tmp_path, ["folium/leaflet_heat.min.js"])
    assert offline.missing_vendored_files(full_map, vendor_dir=tmp_path) == []


def test_missing_vendored_files_without_a_map_checks_every_vendored_file(tmp_path):
    missing = offline.missing_vendored_files(vendor_dir=tmp_path / "not-built")
    expected = {asset.path for asset in offline.LOCAL_ASSETS.values()}
    expected |= {path for pairs in offline.FOLLOWERS.values() for _, path in pairs}
    assert set(missing) == expected
    _fill(tmp_path, missing)
    assert offline.missing_vendored_files(vendor_dir=tmp_path) == []


def test_a_folder_where_a_file_is_expected_counts_as_missing(tmp_path):
    (tmp_path / "leaflet" / "dist" / "leaflet.js").mkdir(parents=True)
    assert "leaflet/dist/leaflet.js" in offline.missing_vendored_files(vendor_dir=tmp_path)


def test_assets_served_from_elsewhere_are_not_checked(full_map, tmp_path, monkeypatch):
    assert (
        offline.missing_vendored_files(
            full_map, vendor_dir=tmp_path, base_url="https://assets.example.org/gridmap"
        )
        == []
    )
    # The prefix in force: set by GRIDMAP_ASSET_BASE_URL when the assets are rewritten.
    monkeypatch.setenv(offline.BASE_URL_ENV, "/static-by-the-proxy")
    offline.use_local_assets()
    assert not offline.served_by_app()
    assert offline.missing_vendored_files(vendor_dir=tmp_path) == []
    # Streamlit's baseUrlPath in front of the app's own static folder: still ours.
    offline.use_local_assets("/gridmap/app/static/vendor")
    assert offline.served_by_app()
    assert offline.missing_vendored_files(vendor_dir=tmp_path)


def test_missing_vendored_files_reads_the_vendor_dir_at_call_time(tmp_path, monkeypatch):
    monkeypatch.setattr(offline, "VENDOR_DIR", tmp_path)
    assert "leaflet/dist/leaflet.js" in offline.missing_vendored_files()


def _rendered(fmap: folium.Map) -> tuple[list[str], list[str], str]:
    prepared = map_component.prepare(fmap)
    code = prepared.header + prepared.html + prepared.script
    return list(prepared.js_links), list(prepared.css_links), code


def _names(urls: list[str]) -> set[str]:
    return {
        name
        for name, asset in offline.LOCAL_ASSETS.items()
        if any(u.endswith(asset.path) for u in urls)
    }


def test_a_map_without_icons_or_popups_loads_no_jquery_bootstrap_or_font_awesome():
    fmap = folium.Map(location=[39.1, 117.2], zoom_start=16, tiles=None)
    folium.GeoJson(
        {"type": "Polygon", "coordinates": [_square(117.2, 39.1)]},
        tooltip="G01",
    ).add_to(fmap)
    folium.CircleMarker([39.1005, 117.2005], radius=5).add_to(fmap)
    folium.Marker([39.1005, 117.2005], icon=folium.DivIcon(html="<b>G01</b>")).add_to(fmap)
    plugins.HeatMap([[39.1005, 117.2005, 1.0]]).add_to(fmap)
    plugins.Fullscreen().add_to(fmap)
    js, css, code = _rendered(fmap)
    used_js, used_css = offline.used_assets(js, css, code)
    assert _names(js + css) - _names(used_js + used_css) == set(offline.MAP_EXTRAS)
    assert _names(used_js) >= {"leaflet", "leaflet-heat.js", "Control.Fullscreen.js"}
    assert [u for u in js if u in used_js] == used_js  # the order is kept


def test_icons_and_popups_keep_what_they_need(full_map):
    js, css, code = _rendered(full_map)  # an awesome-marker icon in Font Awesome
    used_js, used_css = offline.used_assets(js, css, code)
    assert _names(js + css) - _names(used_js + used_css) == {"jquery"}  # its popups need none
    fmap = folium.Map(tiles=None)
    folium.Marker([39.1, 117.2], popup=folium.Popup("<b>楼 3</b>")).add_to(fmap)
    used_js, _ = offline.used_assets(*_rendered(fmap))
    assert "jquery" in _names(used_js)  # folium builds an HTML popup's content with jQuery
