"""The Reports page's files: reports in (CSV, Excel, GeoJSON, Open311 JSON) and out.

In: the upload goes through the import pipeline (:func:`geo.io.import_file`), an
Open311 JSON file through :func:`geo.io.open311.import_open311`, which feeds the
same pipeline; the summary, notes and rejected rows are shown, and the rejects
file can be downloaded. Out: Open311 GeoReport v2 JSON, and the secretary's sheet
as CSV or Excel (:func:`geo.exporting.export_report_sheet`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from geo import ui
from geo.errors import GridmapError
from geo.exporting import export_report_sheet
from geo.i18n import messages_in, t
from geo.io import import_file
from geo.io.open311 import export_open311, import_open311, looks_like_open311
from geo.report_views import Context

UPLOAD_TYPES = ["json", "geojson", "csv", "xlsx"]
DOWNLOADS = {
    "open311": ("json", "application/json"),
    "sheet_csv": ("csv", "text/csv"),
    "sheet_xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def render_exchange(ctx: Context) -> None:
    """Import reports from a file; export them as Open311 JSON or the secretary's sheet."""
    lang = ctx.lang
    left, right = st.columns(2)
    with left:
        st.subheader(t("reports.files.import", lang))
        st.caption(t("reports.files.import_help", lang))
        upload = st.file_uploader(
            t("reports.files.file", lang), type=UPLOAD_TYPES, key="exchange_upload"
        )
        if upload is not None and st.button(t("reports.files.import_now", lang), type="primary"):
            _import(ctx, upload)
        _show_import_result(lang)
    with right:
        st.subheader(t("reports.files.export", lang))
        st.caption(t("reports.files.export_help", lang))
        if st.button(t("reports.files.prepare", lang), key="exchange_prepare"):
            _prepare(ctx)
        files = st.session_state.get("exchange_files") or {}
        for name, (suffix, mime) in DOWNLOADS.items():
            if name in files:
                st.download_button(
                    t(f"reports.files.{name}", lang),
                    files[name],
                    file_name=f"reports-{ctx.community_id}.{suffix}",
                    mime=mime,
                    key=f"exchange_download_{name}",
                )


def _import(ctx: Context, upload) -> None:
    lang = ctx.lang
    settings = ui.settings()
    with tempfile.TemporaryDirectory(prefix="gridmap-reports-") as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            with messages_in(lang), st.spinner(t("reports.files.importing", lang)):
                if path.suffix.lower() == ".json" and looks_like_open311(path):
                    result = import_open311(
                        ctx.store, path, ctx.community_id, settings.tz, ctx.categories
                    )
                else:
                    result = import_file(
                        ctx.store,
                        "reports",
                        path,
                        community_id=ctx.community_id,
                        tz=settings.tz,
                        categories=ctx.categories,
                    )
        except GridmapError as exc:
            st.session_state["exchange_result"] = ("error", exc.message(lang), [], None, None)
            return
        rejects = result.rejects_path.read_bytes() if result.rejects_path else None
    summary = t(
        "reports.files.imported",
        lang,
        imported=result.imported,
        skipped=result.skipped,
        rejected=result.rejected,
    )
    st.session_state["exchange_result"] = ("ok", summary, result.notes, rejects, upload.name)
    st.session_state.pop("exchange_files", None)


def _show_import_result(lang: str) -> None:
    found = st.session_state.get("exchange_result")
    if not found:
        return
    kind, summary, notes, rejects, name = found
    if kind == "error":
        st.error(ui.plain(summary))
        return
    st.success(summary)
    for note in notes:
        st.caption(ui.plain(note))
    if rejects:
        st.download_button(
            t("reports.files.rejects", lang),
            rejects,
            file_name=f"{name}.rejects.csv",
            mime="text/csv",
            key="exchange_rejects",
        )


def _prepare(ctx: Context) -> None:
    """Write every download once, into memory, for the buttons that follow."""
    lang, settings = ctx.lang, ui.settings()
    files: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="gridmap-export-") as folder:
        base = Path(folder)
        try:
            with messages_in(lang):
                export_open311(
                    ctx.store, base / "reports.json", ctx.community_id, settings.tz, ctx.categories
                )
                for name, suffix in (("sheet_csv", "csv"), ("sheet_xlsx", "xlsx")):
                    export_report_sheet(
                        ctx.store,
                        base / f"sheet.{suffix}",
                        ctx.community_id,
                        lang,
                        settings.tz,
                        ctx.now,
                        ctx.categories,
                    )
                    files[name] = (base / f"sheet.{suffix}").read_bytes()
        except GridmapError as exc:
            st.error(ui.plain(exc.message(lang)))
            return
        files["open311"] = (base / "reports.json").read_bytes()
    st.session_state["exchange_files"] = files
