"""The weekly brief: the Overview's tables as a workbook (and as CSV files in a zip).

Four tables, each a sheet: the headline figures, the grid table, the categories and
the overdue list, headed in the reader's language. Times are the community's local
time without a zone (Excel has none); the CSV files carry the same values.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from geo.categories import category_name
from geo.exporting import formulas_as_text, guard_formulas
from geo.i18n import t
from geo.overview import Filters, Tiles
from geo.privacy import map_objects, mask_phones_in_text


@dataclass
class BriefTables:
    """The brief's four tables, with headers in one language, in sheet order."""

    tiles: pd.DataFrame
    grids: pd.DataFrame
    categories: pd.DataFrame
    overdue: pd.DataFrame

    def sheets(self, lang: str) -> dict[str, pd.DataFrame]:
        return {
            t("overview.sheet.tiles", lang): self.tiles,
            t("overview.sheet.grids", lang): self.grids,
            t("overview.sheet.categories", lang): self.categories,
            t("overview.sheet.overdue", lang): self.overdue,
        }


def brief_tables(
    community: str,
    filters: Filters,
    tiles: Tiles,
    league: pd.DataFrame,
    categories: pd.DataFrame,
    overdue: pd.DataFrame,
    category_table: pd.DataFrame,
    tz: str,
    lang: str,
) -> BriefTables:
    """The brief's tables from the Overview's figures (:mod:`geo.overview`)."""
    summary = pd.DataFrame(
        [
            (t("overview.sheet.tiles", lang), community),
            (t("overview.period", lang), f"{filters.start} – {filters.end}"),
            (t("overview.tile.open", lang), tiles.open),
            (t("overview.tile.overdue", lang), tiles.overdue),
            (t("overview.tile.new", lang), tiles.new_this_week),
            (t("overview.brief.new_last_week", lang), tiles.new_last_week),
            (t("overview.brief.created", lang), tiles.created),
            (t("overview.tile.closed", lang), tiles.closed),
            (t("overview.tile.median", lang), _rounded(tiles.median_days_to_close, 1)),
            (t("overview.tile.rating", lang), _rounded(tiles.average_rating, 2)),
            (t("overview.tile.unassigned", lang), tiles.unassigned),
        ],
        columns=[t("overview.brief.figure", lang), t("overview.brief.value", lang)],
    )
    grids = pd.DataFrame(
        {
            t("overview.col.grid", lang): league.index,
            t("overview.col.name", lang): league["name"].to_numpy(),
            t("overview.col.worker", lang): league["worker_name"].to_numpy(),
            t("overview.col.households", lang): league["households"].to_numpy(),
            t("overview.col.open", lang): league["open"].to_numpy(),
            t("overview.col.overdue", lang): league["overdue"].to_numpy(),
            t("overview.col.per100", lang): league["open_per_100_households"].to_numpy(),
            t("overview.col.new", lang): league["new"].to_numpy(),
            t("overview.col.closed", lang): league["closed"].to_numpy(),
            t("overview.col.median_days", lang): league["median_days"].to_numpy(),
            t("overview.col.rating", lang): league["rating"].to_numpy(),
        }
    )
    by_category = pd.DataFrame(
        {
            t("overview.col.category", lang): [
                category_name(c, lang, category_table) for c in categories.index
            ],
            t("overview.col.reports", lang): categories["reports"].to_numpy(),
            t("overview.col.open", lang): categories["open"].to_numpy(),
            t("overview.col.overdue", lang): categories["overdue"].to_numpy(),
        }
    )
    late = pd.DataFrame(
        {
            t("overview.col.report", lang): overdue["report_id"].astype("Int64").to_numpy(),
            t("overview.col.category", lang): [
                category_name(c, lang, category_table) for c in overdue["category"]
            ],
            t("overview.col.grid", lang): overdue["grid_id"].to_numpy(),
            t("overview.col.building", lang): overdue["building_id"].to_numpy(),
            t("overview.col.created", lang): _local(overdue["created_at"], tz),
            t("overview.col.due", lang): _local(overdue["due_at"], tz),
            t("overview.col.days_overdue", lang): overdue["days_overdue"].to_numpy(),
            t("overview.col.status", lang): [t(f"status.{s}", lang) for s in overdue["status"]],
            # a resident may have written a phone number into the description
            t("overview.col.description", lang): map_objects(
                overdue["description"], mask_phones_in_text
            ).to_numpy(),
        }
    )
    return BriefTables(summary, grids, by_category, late)


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _local(times: pd.Series, tz: str) -> list[datetime | None]:
    local = times.dt.tz_convert(tz).dt.tz_localize(None)
    return [None if pd.isna(v) else v.to_pydatetime() for v in local]


def brief_xlsx(tables: BriefTables, lang: str) -> bytes:
    """The brief as an .xlsx workbook, one sheet a table; no cell is a formula."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in tables.sheets(lang).items():
            table.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            formulas_as_text(sheet)  # a name or description may start with "="
            for column in sheet.columns:
                width = max(len(str(c.value or "")) for c in column[:200])
                sheet.column_dimensions[column[0].column_letter].width = min(12 + width, 60)
    return buffer.getvalue()


def brief_csv_zip(tables: BriefTables, lang: str) -> bytes:
    """The brief's tables as CSV files (UTF-8 with BOM, as Excel opens them) in a zip;
    text that Excel would run as a formula is quoted (:func:`geo.exporting.guard_formulas`)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (name, table) in enumerate(tables.sheets(lang).items(), start=1):
            text = guard_formulas(table).to_csv(index=False)
            archive.writestr(f"{number}-{name}.csv", "\ufeff" + text)
    return buffer.getvalue()
