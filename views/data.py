"""Data page: an office brings its own files in and takes layers out.

Import: choose the layer, upload a file, confirm the columns, the community and the
coordinate system the page guessed (:mod:`geo.io.detect`), look at the preview, then
import. Export: any layer in every format. The uploaded file is kept in a temporary
folder under its own name, and its path in ``st.session_state["data_file"]``; every
step after the upload works from that path.
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
import tempfile
from pathlib import Path

import folium
import numpy as np
import shapely
import streamlit as st
from streamlit_folium import st_folium

from geo import access, maps, model, ui
from geo.errors import GridmapError
from geo.exporting import export_layer
from geo.i18n import PAGE, messages_in, t, t_or
from geo.io import detect, import_file, read_source

IMPORT_LAYERS = [name for name in model.LAYERS if name != "report_events"]
UPLOAD_TYPES = ["geojson", "json", "gpkg", "zip", "kml", "csv", "xlsx"]
CRS_CHOICES = ("wgs84", "gcj02", "bd09", "epsg")
# Text keys by value, spelled out so that tests/test_i18n.py sees every one.
CRS_LABELS = {
    "wgs84": "data.crs.wgs84",
    "gcj02": "data.crs.gcj02",
    "bd09": "data.crs.bd09",
    "epsg": "data.crs.epsg",
}
CRS_BASES = {
    "file": "data.crs_basis.file",
    "degrees": "data.crs_basis.degrees",
    "metres": "data.crs_basis.metres",
    "metres_unchecked": "data.crs_basis.metres_unchecked",
    "unknown": "data.crs_basis.unknown",
}
FORMAT_LABELS = {
    "geojson": "data.format.geojson",
    "gpkg": "data.format.gpkg",
    "shp": "data.format.shp",
    "csv": "data.format.csv",
    "xlsx": "data.format.xlsx",
}
EXPORT_FORMATS = {
    "geojson": ".geojson",
    "gpkg": ".gpkg",
    "shp": ".zip",
    "csv": ".csv",
    "xlsx": ".xlsx",
}
MIME_TYPES = {
    ".geojson": "application/geo+json",
    ".gpkg": "application/geopackage+sqlite3",
    ".zip": "application/zip",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_PREVIEW_FEATURES = 2000  # drawn on the preview map; the counts cover every row
PREVIEW_COLOUR = "#e6550d"
MAX_STATUS_WORDS = 20

lang = ui.lang()
store = ui.store()
settings = ui.settings()


def layer_name(name: str) -> str:
    return t_or("data.layer." + name, name, lang)


def field_label(name: str, required: bool) -> str:
    label = f"{t_or('data.field.' + name, name, lang)} · {name}"
    return label + " *" if required else label


# --- the upload ------------------------------------------------------------------------


def keep_upload(uploaded) -> None:
    """Save a new upload under its own name in a temporary folder, once per upload.

    The path goes to ``st.session_state["data_file"]``; reruns with the same upload
    (same ``file_id``) do nothing. Removing the upload forgets the file.
    """
    previous = st.session_state.get("data_upload_id")
    if uploaded is None:
        if previous is not None:  # the person removed the file they had uploaded
            _forget_upload()
        return
    if previous == uploaded.file_id:
        return
    _forget_upload()
    folder = Path(tempfile.mkdtemp(prefix="gridmap-upload-"))
    path = folder / (Path(uploaded.name).name or "upload")
    path.write_bytes(uploaded.getbuffer())
    st.session_state["data_upload_id"] = uploaded.file_id
    st.session_state["data_file"] = str(path)


def _forget_upload() -> None:
    path = st.session_state.pop("data_file", None)
    if path and st.session_state.pop("data_upload_id", None) is not None:
        shutil.rmtree(Path(path).parent, ignore_errors=True)  # only folders made here


def inspection_of(path: Path, layer: str) -> detect.FileInspection:
    """The file's inspection, read once per file and layer (kept in the session)."""
    key = (str(path), layer, path.stat().st_mtime_ns)
    cached = st.session_state.get("data_inspection")
    if cached is None or cached[0] != key:
        try:
            cached = (key, detect.inspect_file(path, layer))
        except GridmapError as exc:
            cached = (key, exc)
        st.session_state["data_inspection"] = cached
    if isinstance(cached[1], GridmapError):
        raise cached[1]
    return cached[1]


# --- choices ---------------------------------------------------------------------------


def choose_mapping(inspection: detect.FileInspection, token: str) -> dict[str, str]:
    """One select per field, the guess pre-selected; returns ``{field: column}``."""
    spec = model.layer(inspection.layer)
    guess = detect.guess_mapping(
        inspection.columns, inspection.layer, inspection.tabular, inspection.empty_columns
    )
    options = ["", *inspection.columns]
    st.subheader(t("data.columns", lang))
    st.caption(t("data.columns_help", lang))
    names = detect.fields(inspection.layer, inspection.tabular)
    coordinates = [n for n in names if n in ("lon", "lat", "geometry")]
    main = [n for n in names if n not in coordinates and (n in guess or n in spec.required)]
    other = [n for n in names if n not in coordinates and n not in main]
    chosen: dict[str, str] = {}

    def selects(group: list[str], per_row: int = 3) -> None:
        for start in range(0, len(group), per_row):
            cells = st.columns(per_row)
            for cell, name in zip(cells, group[start : start + per_row], strict=False):
                column = cell.selectbox(
                    field_label(name, name in spec.required),
                    options,
                    index=options.index(guess[name]) if name in guess else 0,
                    format_func=lambda c: c or t("data.no_column", lang),
                    key=f"data_field_{token}_{name}",
                )
                if column:
                    chosen[name] = column

    if coordinates:
        st.markdown(f"**{t('data.coordinates', lang)}**")
        selects(coordinates)
    selects(main)
    if other:
        with st.expander(t("data.more_fields", lang, n=len(other))):
            selects(other)
    unused = [c for c in inspection.columns if c not in chosen.values()]
    if unused:
        st.caption(t("data.unused_columns", lang, columns=", ".join(map(ui.plain, unused))))
    return chosen


def choose_community(layer: str, token: str) -> tuple[str | None, bool]:
    """The community of rows that name none; False when there is none to choose."""
    if layer == "community":
        typed = st.text_input(
            t("data.new_community_id", lang),
            key=f"data_new_community_{token}",
            help=t("data.new_community_help", lang),
        )
        return (typed.strip() or None), True
    ids = store.community_ids()
    if not ids:
        st.warning(t("data.no_community", lang))
        return None, False
    chosen = st.selectbox(
        t("data.community", lang),
        ids,
        key="data_community",
        help=t("data.community_help", lang),
    )
    return chosen, True


def choose_crs(
    inspection: detect.FileInspection, mapping: dict[str, str], extent, token: str
) -> str | None:
    """The coordinate system, the guess pre-selected; None (file's own) or a --crs value.

    Returns "" while an EPSG code is still to be typed.
    """
    guess = detect.guess_crs(inspection, mapping, extent)
    choices = (["file"] if inspection.file_crs else []) + list(CRS_CHOICES)
    if guess.basis == "file":
        default = "file"
    elif guess.crs in CRS_CHOICES:
        default = guess.crs
    else:
        default = "epsg"
    # The guess depends on the coordinate columns: choosing others guesses again.
    key = f"{token}_{mapping.get('lon')}_{mapping.get('lat')}_{mapping.get('geometry')}"
    left, right = st.columns([2, 1])
    choice = left.selectbox(
        t("data.crs", lang),
        choices,
        index=choices.index(default),
        format_func=lambda c: (
            t("data.crs.file", lang, name=inspection.file_crs_name or inspection.file_crs)
            if c == "file"
            else t(CRS_LABELS[c], lang)
        ),
        key=f"data_crs_{key}",
    )
    basis = t(CRS_BASES[guess.basis], lang, crs=guess.crs or "")
    if guess.basis == "unknown":
        st.warning(basis)
    else:
        st.caption(basis)
    if choice == "file":
        return None
    if choice != "epsg":
        return choice
    code = right.text_input(
        t("data.epsg", lang),
        value=(guess.crs or "").removeprefix("EPSG:") if guess.basis != "file" else "",
        key=f"data_epsg_{key}",
        help=t("data.epsg_help", lang),
    )
    return code.strip()


def choose_statuses(inspection: detect.FileInspection, column: str, token: str) -> dict:
    """A status of ours for each status word the importer does not know."""
    words = detect.unknown_statuses(inspection.table[column])
    if not words:
        return {}
    st.subheader(t("data.statuses", lang))
    st.caption(t("data.statuses_help", lang))
    options = ["", *model.STATUSES]
    chosen = {}
    cells = st.columns(4)
    for i, word in enumerate(words[:MAX_STATUS_WORDS]):
        guess = detect.guess_status(word)
        status = cells[i % 4].selectbox(
            t("data.status_word", lang, word=ui.plain(word)),
            options,
            index=options.index(guess) if guess else 0,
            format_func=lambda s: t(f"status.{s}", lang) if s else t("data.status_unmapped", lang),
            key=f"data_status_{token}_{hashlib.sha1(word.encode()).hexdigest()[:10]}",
        )
        if status:
            chosen[word] = status
    if len(words) > MAX_STATUS_WORDS:
        st.caption(t("data.statuses_more", lang, n=len(words) - MAX_STATUS_WORDS))
    return chosen


# --- preview ---------------------------------------------------------------------------


def preview_of(path: Path, layer: str, options: dict):
    """read_source's (good, rejected, notes), computed once per set of choices."""
    key = json.dumps(
        [str(path), path.stat().st_mtime_ns, layer, {k: v for k, v in options.items()}],
        sort_keys=True,
        default=str,
    )
    cached = st.session_state.get("data_preview")
    if cached is None or cached[0] != key:
        try:
            with messages_in(lang, PAGE):
                result = read_source(path, layer, categories=ui.categories(), **options)
        except GridmapError as exc:
            result = exc
        cached = (key, result)
        st.session_state["data_preview"] = cached
    if isinstance(cached[1], GridmapError):
        raise cached[1]
    return cached[1]


def _features(frame, label_column: str | None, limit: int) -> dict:
    """GeoJSON of the first ``limit`` rows, coordinates rounded, labels HTML-escaped."""
    frame = frame.iloc[:limit]
    geoms = shapely.set_precision(
        np.asarray(frame.geometry.values, dtype=object), 10**-maps.COORD_DECIMALS
    )
    labels = frame[label_column] if label_column in frame else [None] * len(frame)
    features = []
    for geom, label in zip(geoms, labels, strict=True):
        if geom is None or geom.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(shapely.to_geojson(geom)),
                "properties": {"label": "" if model.is_missing(label) else html.escape(str(label))},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def preview_map(good, layer: str, stored: dict | None, basemap: str) -> folium.Map:
    """The rows to import over the stored community boundary and grid outlines."""
    # The view holds the rows and the community, so rows far off (a wrong CRS) show so.
    frames = [good] + ([stored["community"], stored["grids"]] if stored is not None else [])
    bounds = np.array([f.total_bounds for f in frames if len(f) and f.geometry.notna().any()])
    if len(bounds):
        minx, miny = np.nanmin(bounds[:, :2], axis=0)
        maxx, maxy = np.nanmax(bounds[:, 2:], axis=0)
    else:
        minx, miny, maxx, maxy = (-180.0, -85.0, 180.0, 85.0)
    fmap = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=16,
        tiles=None,
        control_scale=True,
        maxZoom=19,  # Leaflet needs a zoom limit when there is no tile layer
    )
    if basemap == "osm":
        folium.TileLayer("OpenStreetMap", name=t("map.basemap.osm", lang), control=False).add_to(
            fmap
        )
    if stored is not None:
        folium.GeoJson(
            _features(stored["community"], None, len(stored["community"])),
            name=t("map.layer.boundary", lang),
            style_function=lambda _: {
                "color": "#333333",
                "weight": 2,
                "dashArray": "6 4",
                "fill": False,
            },
            interactive=False,
        ).add_to(fmap)
        folium.GeoJson(
            _features(stored["grids"], None, len(stored["grids"])),
            name=t("map.layer.grids", lang),
            style_function=lambda _: {"color": maps.GRID_EDGE, "weight": 1, "fill": False},
            interactive=False,
        ).add_to(fmap)
    key = model.layer(layer).key if layer != "reports" else "external_id"
    features = _features(good, key, MAX_PREVIEW_FEATURES)
    if features["features"]:  # folium's tooltip wants at least one feature
        folium.GeoJson(
            features,
            name=t("data.preview_layer", lang),
            marker=folium.CircleMarker(
                radius=5, color=PREVIEW_COLOUR, weight=1, fill=True, fill_opacity=0.8
            ),
            style_function=lambda _: {"color": PREVIEW_COLOUR, "weight": 2, "fillOpacity": 0.25},
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(fmap)
    if len(bounds):
        fmap.fit_bounds([[miny, minx], [maxy, maxx]], padding=(20, 20))
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


def show_preview(good, rejected, notes, inspection, stored, basemap, zone: str) -> None:
    st.subheader(t("data.preview", lang))
    a, b, c = st.columns(3)
    a.metric(t("data.metric.rows", lang), inspection.n_rows)
    b.metric(t("data.metric.good", lang), len(good))
    c.metric(t("data.metric.rejected", lang), len(rejected))
    st.markdown(t("data.preview_counts", lang, good=len(good), rejected=len(rejected)))
    if notes:
        st.markdown(f"**{t('data.notes', lang)}**")
        st.markdown("\n".join(f"- {ui.plain(note)}" for note in notes))
    st_folium(
        preview_map(good, inspection.layer, stored, basemap),
        key="data_preview_map",
        height=460,
        use_container_width=True,
        returned_objects=[],
    )
    if len(good) > MAX_PREVIEW_FEATURES:
        st.caption(t("data.preview_shown", lang, shown=MAX_PREVIEW_FEATURES, total=len(good)))
    st.markdown(f"**{t('data.good_rows', lang)}**")
    table = good.drop(columns="geometry").head(20)
    # Only the fields the file fills (a report has twenty), times in the community's zone.
    table = table.loc[:, table.notna().any()]
    for column in table.select_dtypes("datetimetz").columns:
        table[column] = table[column].dt.tz_convert(zone)
    st.dataframe(table, width="stretch")
    if len(rejected):
        with st.expander(t("data.rejected_rows", lang), expanded=len(good) == 0):
            st.dataframe(rejected.head(200), hide_index=True, width="stretch")


# --- import ----------------------------------------------------------------------------


def run_import(path: Path, layer: str, options: dict, replace: bool, token: str) -> None:
    bar = st.progress(0.0, text=t("data.importing", lang))

    def progress(fraction: float, stage: str) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=ui.plain(stage))

    try:
        with messages_in(lang, PAGE):
            result = import_file(
                store,
                layer,
                path,
                categories=ui.categories(),
                replace=replace,
                progress=progress,
                **options,
            )
    except GridmapError as exc:
        bar.empty()
        st.error(exc.message(lang, PAGE))
        return
    bar.empty()
    st.session_state["data_result"] = (token, result)
    st.cache_data.clear()  # every page reads the store through a short-lived cache


def show_result(result) -> None:
    lines = [
        t(
            "data.imported",
            lang,
            imported=result.imported,
            layer=layer_name(result.layer),
            skipped=result.skipped,
            rejected=result.rejected,
            repaired=result.repaired,
        )
    ]
    if result.replaced:
        lines.append(t("data.replaced", lang, n=result.replaced))
    if result.reassigned is not None:
        r = result.reassigned
        lines.append(
            t(
                "data.reassigned",
                lang,
                to_grid=r.to_grid,
                unassigned=r.unassigned,
                to_building=r.to_building,
            )
        )
    st.success("  \n".join(lines))
    if result.notes:
        st.markdown("\n".join(f"- {ui.plain(note)}" for note in result.notes))
    rejects = result.rejects_path
    if rejects is not None and Path(rejects).is_file():
        st.download_button(
            t("data.download_rejects", lang),
            data=Path(rejects).read_bytes(),
            file_name=Path(rejects).name,
            mime="text/csv",
            key="data_rejects_download",
        )


def import_section(basemap: str) -> None:
    user = ui.user()
    allowed = [
        n for n in IMPORT_LAYERS if access.refusal(access.require_layer_edit, user, n) is None
    ]
    if not allowed:  # the store would refuse every import: say so instead of offering one
        st.info(t("data.import_not_for_role", lang, role=t(f"role.{user.role}", lang)))
        return
    layer = st.selectbox(t("data.layer", lang), allowed, format_func=layer_name, key="data_layer")
    keep_upload(
        st.file_uploader(
            t("data.upload", lang),
            type=UPLOAD_TYPES,
            help=t("data.upload_help", lang),
            key="data_upload",
        )
    )
    if not st.session_state.get("data_file"):
        st.info(t("data.choose_file", lang))
        return
    path = Path(st.session_state["data_file"])
    token = hashlib.sha1(f"{path}|{layer}".encode()).hexdigest()[:10]
    try:
        inspection = inspection_of(path, layer)
    except (GridmapError, OSError) as exc:
        st.error(exc.message(lang, PAGE) if isinstance(exc, GridmapError) else ui.plain(exc))
        return
    st.markdown(
        t(
            "data.file_summary",
            lang,
            name=ui.plain(path.name),
            rows=inspection.n_rows,
            columns=len(inspection.columns),
        )
    )
    with st.expander(t("data.sample", lang)):
        st.dataframe(inspection.sample, width="stretch")

    mapping = choose_mapping(inspection, token)
    community_id, possible = choose_community(layer, token)
    if not possible:
        return
    stored = None
    if layer != "community" or community_id in store.community_ids():
        stored = ui.layers(community_id)
    extent, zone = None, settings.tz
    if stored is not None and len(stored["community"]):
        extent = tuple(float(v) for v in stored["community"].total_bounds)
        own_zone = stored["community"].iloc[0].get("tz")
        zone = settings.tz if model.is_missing(own_zone) or not own_zone else str(own_zone)
    crs = choose_crs(inspection, mapping, extent, token)
    status_map = {}
    if layer == "reports" and mapping.get("status"):
        status_map = choose_statuses(inspection, mapping["status"], token)

    spec = model.layer(layer)
    missing = [
        n for n in spec.required if n not in mapping and not (n == "community_id" and community_id)
    ]
    if missing:
        st.warning(t("data.missing_required", lang, fields=", ".join(missing)))
        return
    if inspection.tabular and not (
        ("lon" in mapping and "lat" in mapping) or "geometry" in mapping
    ):
        st.info(t("data.need_coordinates", lang))
        return
    if crs == "":
        st.info(t("data.need_epsg", lang))
        return

    options = {
        "crs": crs,
        "mapping": mapping,
        "community_id": community_id,
        "tz": zone,  # for times written without a zone
        "status_map": status_map,
    }
    try:
        good, rejected, notes = preview_of(path, layer, options | {"community_extent": extent})
    except GridmapError as exc:
        st.error(exc.message(lang, PAGE))
        return
    show_preview(good, rejected, notes, inspection, stored, basemap, zone)

    replace = False
    if layer != "reports":
        replace = st.checkbox(
            t("data.replace", lang), key=f"data_replace_{token}", help=t("data.replace_help", lang)
        )
    if st.button(t("data.import", lang), type="primary", key="data_import"):
        run_import(path, layer, options, replace, token)
    result = st.session_state.get("data_result")
    if result is not None and result[0] == token:
        show_result(result[1])


# --- export ----------------------------------------------------------------------------


def export_section() -> None:
    layer = st.selectbox(
        t("data.layer", lang), list(model.LAYERS), format_func=layer_name, key="data_export_layer"
    )
    formats = list(EXPORT_FORMATS)
    if model.layer(layer).geometry is None:
        formats = ["csv", "xlsx"]
    left, middle = st.columns(2)
    fmt = left.selectbox(
        t("data.format", lang),
        formats,
        format_func=lambda f: t(FORMAT_LABELS[f], lang),
        key=f"data_export_format_{len(formats)}",
    )
    ids = store.community_ids()
    community_id = middle.selectbox(
        t("data.export_community", lang),
        ["", *ids],
        format_func=lambda c: c or t("data.all_communities", lang),
        key="data_export_community",
    )
    include_private = ui.user().role in access.PRIVATE_EXPORTERS and st.checkbox(
        t("data.include_private", lang),
        value=False,
        key="data_export_private",
        help=t("data.include_private_help", lang),
    )
    wanted = (layer, fmt, community_id, include_private)
    if st.button(t("data.build_export", lang), key="data_export_build"):
        suffix = EXPORT_FORMATS[fmt]
        name = f"{layer}-{community_id}{suffix}" if community_id else f"{layer}{suffix}"
        with tempfile.TemporaryDirectory(prefix="gridmap-export-") as folder:
            target = Path(folder) / name
            try:
                with messages_in(lang, PAGE):
                    n = export_layer(
                        store,
                        layer,
                        target,
                        community_id=community_id or None,
                        include_private=include_private,
                        tz=settings.tz,
                    )
            except GridmapError as exc:
                st.error(exc.message(lang, PAGE))
                return
            st.session_state["data_export"] = (wanted, name, target.read_bytes(), n)
    built = st.session_state.get("data_export")
    if built is not None and built[0] == wanted:
        _, name, data, n = built
        st.caption(t("data.export_ready", lang, n=n, layer=layer_name(layer)))
        st.download_button(
            t("data.download", lang, name=name),
            data=data,
            file_name=name,
            mime=MIME_TYPES[EXPORT_FORMATS[fmt]],
            key="data_export_download",
        )


# --- the page --------------------------------------------------------------------------

st.title(t("data.title", lang))
basemap = st.sidebar.selectbox(
    t("map.basemap", lang),
    maps.BASEMAPS,
    index=maps.BASEMAPS.index(ui.query_choice("basemap", list(maps.BASEMAPS), "osm")),
    format_func=lambda b: t(f"map.basemap.{b}", lang),
    key="data_basemap",
)
st.query_params["basemap"] = basemap
import_tab, export_tab = st.tabs([t("data.tab.import", lang), t("data.tab.export", lang)])
with import_tab:
    import_section(basemap)
with export_tab:
    export_section()
