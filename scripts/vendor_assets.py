"""Copy the browser assets our maps need from node_modules into static/vendor.

folium and streamlit-folium load Leaflet, jQuery, Bootstrap, Font Awesome and the
plugins from public CDNs, which government intranets cannot reach. This script
copies the pinned npm packages (package.json / package-lock.json) and the heatmap
script that ships inside the installed folium wheel into ``static/vendor/``, which
Streamlit serves at ``/app/static/vendor/`` when ``server.enableStaticServing`` is
on. :mod:`geo.offline` points folium at those copies.

Every file is a real copy (Streamlit's static server does not follow symlinks out of
``static/``). The tree is built in a temporary folder and swapped in whole, so running
the script again gives the same tree and leaves no stale file behind.

Not vendored on purpose:

- Bootstrap 3 glyphicons (folium's ``glyphicons_css``): no maintained npm package
  fits, and our markers use Font Awesome (``folium.Icon(prefix="fa")``), never the
  glyphicon default.
- folium's ``leaflet.awesome.rotate.min.css``: only needed for ``Icon(angle=...)``,
  which we do not use; it is not published on npm.

Usage (from the project root, after ``npm ci``)::

    .venv/bin/python scripts/vendor_assets.py
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# npm package -> (folder under static/vendor, files or globs inside the package).
# Keep the package's own layout so that relative url(...) references in its CSS
# (images/, ../webfonts/) still resolve.
NPM_ASSETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "leaflet": ("leaflet", ("dist/leaflet.js", "dist/leaflet.css", "dist/images/*.png", "LICENSE")),
    "jquery": ("jquery", ("dist/jquery.min.js", "LICENSE.txt")),
    "bootstrap": (
        "bootstrap",
        ("dist/js/bootstrap.bundle.min.js", "dist/css/bootstrap.min.css", "LICENSE"),
    ),
    "@fortawesome/fontawesome-free": (
        "fontawesome-free",
        ("css/all.min.css", "webfonts/*.woff2", "webfonts/*.ttf", "LICENSE.txt"),
    ),
    "leaflet.awesome-markers": (
        "leaflet.awesome-markers",
        (
            "dist/leaflet.awesome-markers.js",
            "dist/leaflet.awesome-markers.css",
            "dist/images/*.png",
            "LICENSE",
        ),
    ),
    "leaflet.markercluster": (
        "leaflet.markercluster",
        (
            "dist/leaflet.markercluster.js",
            "dist/MarkerCluster.css",
            "dist/MarkerCluster.Default.css",
            "MIT-LICENCE.txt",
        ),
    ),
    "leaflet.fullscreen": (
        "leaflet.fullscreen",
        ("Control.FullScreen.js", "Control.FullScreen.css", "icon-fullscreen.svg", "LICENSE"),
    ),
    # folium.plugins.Draw (candidate sites on the Buildings page; the grid editor too).
    # The package ships no licence file (MIT, stated in its README).
    "leaflet-draw": (
        "leaflet-draw",
        ("dist/leaflet.draw.js", "dist/leaflet.draw.css", "dist/images/spritesheet*"),
    ),
}

# folium.plugins.HeatMap loads folium's own patched Leaflet.heat build (weights fix),
# which the folium wheel ships; the npm leaflet.heat 0.2.0 lacks that patch.
FOLIUM_ASSETS: tuple[tuple[str, str], ...] = (
    ("templates/leaflet_heat.min.js", "folium/leaflet_heat.min.js"),
)

# Files of our own, written next to the vendored ones.
# Leaflet guesses the folder of its default marker images from leaflet.css, but
# streamlit-folium adds the stylesheets only after running the scripts, and Leaflet's
# fallback guess then drops "images/": every default marker (FastMarkerCluster's
# markers once zoomed in) would be a broken image. Loaded right after leaflet.js.
OWN_ASSETS: dict[str, str] = {
    "gridmap/leaflet-icon-path.js": """\
/* Community Grid Map (scripts/vendor_assets.py): where Leaflet's marker images are. */
(function () {
  var script = document.currentScript;
  if (window.L && script && script.src) {
    L.Icon.Default.imagePath = new URL("../leaflet/dist/images/", script.src).href;
  }
})();
""",
}

MANIFEST_NAME = "MANIFEST.json"


class VendorError(RuntimeError):
    """The assets cannot be vendored; the message says what to do."""


def _pinned_versions(root: Path) -> dict[str, str]:
    package_json = root / "package.json"
    if not package_json.is_file():
        raise VendorError(f"{package_json} is missing")
    return json.loads(package_json.read_text(encoding="utf-8"))["dependencies"]


def _check_node_modules(root: Path) -> Path:
    node_modules = root / "node_modules"
    if not node_modules.is_dir():
        raise VendorError(
            f"{node_modules} does not exist: run `npm ci` in {root} first "
            "(it installs the pinned packages from package-lock.json)"
        )
    pinned = _pinned_versions(root)
    for package in NPM_ASSETS:
        manifest = node_modules / package / "package.json"
        if not manifest.is_file():
            raise VendorError(f"npm package {package} is not in {node_modules}: run `npm ci`")
        installed = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        if package in pinned and installed != pinned[package]:
            raise VendorError(
                f"{package} {installed} is installed but package.json pins {pinned[package]}: "
                "run `npm ci`"
            )
    return node_modules


def _folium_dir() -> Path:
    spec = importlib.util.find_spec("folium")
    if spec is None or not spec.submodule_search_locations:
        raise VendorError("folium is not installed in this Python: use the project's .venv")
    return Path(next(iter(spec.submodule_search_locations)))


def _copy(src: Path, dest: Path, files: dict[str, dict[str, object]], vendor: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest, follow_symlinks=True)  # a real file, never a link
    data = dest.read_bytes()
    files[dest.relative_to(vendor).as_posix()] = {
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def build(root: Path, out: Path) -> dict[str, object]:
    """Copy every asset into ``out`` (a fresh folder) and return the manifest."""
    node_modules = _check_node_modules(root)
    files: dict[str, dict[str, object]] = {}
    packages: dict[str, str] = {}
    for package, (folder, patterns) in NPM_ASSETS.items():
        package_dir = node_modules / package
        packages[package] = json.loads((package_dir / "package.json").read_text("utf-8"))["version"]
        for pattern in patterns:
            matches = sorted(p for p in package_dir.glob(pattern) if p.is_file())
            if not matches:
                raise VendorError(
                    f"{package}: nothing matches {pattern!r}; the package layout changed, "
                    "update NPM_ASSETS in scripts/vendor_assets.py"
                )
            for src in matches:
                _copy(src, out / folder / src.relative_to(package_dir), files, out)

    folium_dir = _folium_dir()
    import folium  # only for its version in the manifest

    packages["folium (PyPI)"] = folium.__version__
    for source, target in FOLIUM_ASSETS:
        src = folium_dir / source
        if not src.is_file():
            raise VendorError(
                f"{src} is missing from the installed folium {folium.__version__}: "
                "update FOLIUM_ASSETS in scripts/vendor_assets.py"
            )
        _copy(src, out / target, files, out)

    for target, text in OWN_ASSETS.items():
        dest = out / target
        dest.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        dest.write_bytes(data)
        files[target] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}

    manifest = {"packages": packages, "files": dict(sorted(files.items()))}
    (out / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def vendor(root: Path = ROOT) -> Path:
    """Rebuild ``root/static/vendor`` from node_modules; return its path."""
    static = root / "static"
    target = static / "vendor"
    static.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".vendor-", dir=static))
    staging.chmod(0o755)  # mkdtemp makes it private; the web server may run as another user
    try:
        build(root, staging)
        old = None
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.exists():
            old = static / f"{staging.name}-old"
            target.rename(old)
        staging.rename(target)
        if old is not None:
            shutil.rmtree(old)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="project root (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    try:
        target = vendor(args.root.resolve())
    except VendorError as exc:
        print(f"vendor_assets: {exc}", file=sys.stderr)
        return 1
    manifest = json.loads((target / MANIFEST_NAME).read_text(encoding="utf-8"))
    print(f"vendor_assets: {len(manifest['files'])} files in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
