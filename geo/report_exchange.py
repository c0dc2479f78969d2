"""The Reports page's files: reports in (CSV, Excel, GeoJSON, Open311 JSON) and out.

In: the upload goes through the import pipeline (:func:`geo.io.import_file`), an
Open311 JSON file through :func:`geo.io.open311.import_open311`, which feeds the
same pipeline; the summary, notes and rejected rows are shown, and the rejects
file can be downloaded. Out: Open311 GeoReport v2 JSON, and the secretary's sheet
as CSV or Excel (:func:`geo.exporting.export_report_sheet`).
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from geo import ui
from geo.errors import GridmapError
from geo.exporting import export_report_sheet
from geo.i18n import QUICK_IMPORT, messages_in, t
from geo.io import import_file
from geo.io.detect import guess_mapping, inspect_file
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


@dataclass(frozen=True)
class ImportOutcome:
    """What an import of a file of reports came to, as the page shows it."""

    ok: bool
    summary: str  # the counts, or what went wrong and what to do
    notes: list[str] = field(default_factory=list)
    rejects: bytes | None = None  # the rejected rows and why, as CSV

    def rejected_rows(self) -> pd.DataFrame:
        """The rejects file as a table: row, reason, then the row's own columns."""
        if not self.rejects:
            return pd.DataFrame(columns=["row", "reason"])
        return pd.read_csv(
            io.BytesIO(self.rejects), dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )


def import_reports(
    store, community_id: str, tz: str, categories, name: str, content: bytes, lang: str
) -> ImportOutcome:
    """Import the file ``name`` (its bytes ``content``) into the community's reports.

    The file is taken as it is, its columns by their usual names (类别, 创建时间,
    经度…: the Data page's first guess, :func:`geo.io.detect.guess_mapping`). The
    messages that say how to put a problem right point to the Data page, whose controls
    choose columns, statuses and coordinate systems (:data:`geo.i18n.QUICK_IMPORT`).
    """
    renamed: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="gridmap-reports-") as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(content)
        try:
            with messages_in(lang, QUICK_IMPORT):
                if path.suffix.lower() == ".json" and looks_like_open311(path):
                    result = import_open311(store, path, community_id, tz, categories)
                else:
                    inspection = inspect_file(path, "reports")
                    guess = guess_mapping(
                        inspection.columns,
                        "reports",
                        inspection.tabular,
                        inspection.empty_columns,
                    )
                    renamed = {name: column for name, column in guess.items() if name != column}
                    result = import_file(
                        store,
                        "reports",
                        path,
                        mapping=renamed or None,
                        community_id=community_id,
                        tz=tz,
                        categories=categories,
                    )
        except GridmapError as exc:
            return ImportOutcome(False, exc.message(lang, QUICK_IMPORT))
        rejects = result.rejects_path.read_bytes() if result.rejects_path else None
    summary = t(
        "reports.files.imported",
        lang,
        imported=result.imported,
        skipped=result.skipped,
        rejected=result.rejected,
    )
    notes = list(result.notes)
    if renamed:  # say which column became which field, as the Data page shows it
        pairs = ", ".join(f"{column} → {name}" for name, column in renamed.items())
        notes.insert(0, t("reports.files.columns", lang, pairs=pairs))
    return ImportOutcome(True, summary, notes, rejects)


def _import(ctx: Context, upload) -> None:
    with st.spinner(t("reports.files.importing", ctx.lang)):
        outcome = import_reports(
            ctx.store,
            ctx.community_id,
            ui.settings().tz,
            ctx.categories,
            upload.name,
            upload.getvalue(),
            ctx.lang,
        )
    st.session_state["exchange_result"] = (outcome, upload.name)
    if outcome.ok:
        st.session_state.pop("exchange_files", None)


def _show_import_result(lang: str) -> None:
    found = st.session_state.get("exchange_result")
    if not found:
        return
    outcome, name = found
    if not outcome.ok:
        st.error(ui.plain(outcome.summary))
        return
    st.success(outcome.summary)
    for note in outcome.notes:
        st.caption(ui.plain(note))
    if outcome.rejects:
        with st.expander(t("data.rejected_rows", lang)):
            st.dataframe(outcome.rejected_rows().head(200), hide_index=True, width="stretch")
        st.download_button(
            t("reports.files.rejects", lang),
            outcome.rejects,
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
