"""The renovation team's tables: the ranked list, the hotspots, the coverage; as .xlsx or .csv.

Headers and words are in the language asked for, numbers rounded as people read
them (scores to one decimal, distances to whole metres). The page offers the same
tables for download as the ``gridmap`` subcommands write.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from geo.categories import category_name
from geo.errors import GridmapError
from geo.exporting import formulas_as_text, guard_formulas
from geo.i18n import t
from geo.renovation import needs as needs_mod
from geo.renovation.hotspots import Hotspots
from geo.renovation.priority import PART_HELP_KEYS, PART_KEYS, PARTS

FORMATS = (".xlsx", ".csv")
KIND_KEYS = {"hot": "buildings.kind.hot", "cold": "buildings.kind.cold"}


def _metres(value: float) -> object:
    return int(round(value)) if np.isfinite(value) else None


def ranked_table(
    ranked: pd.DataFrame,
    facts: pd.DataFrame,
    needs: pd.DataFrame,
    lang: str,
    top: int | None = None,
) -> pd.DataFrame:
    """The ranked list as people read it: one row per building, best first.

    Parameters
    ----------
    ranked
        :func:`geo.renovation.priority.rank`.
    facts, needs
        What it was ranked from.
    lang
        The language of headers and words.
    top
        Only the first ``top`` rows (all when None).

    Returns
    -------
    pandas.DataFrame
        Rank, building, name, score, each part's contribution, needs (count and in
        plain words), facts and distances.
    """
    rows = ranked if top is None else ranked.head(top)
    f = facts.loc[rows.index]
    words = [
        "; ".join(needs_mod.needs_text(needs, b, lang)) for b in rows.index.astype(str).tolist()
    ]
    yes, no = t("yes", lang), t("no", lang)
    out = pd.DataFrame(
        {
            t("buildings.col.rank", lang): rows["rank"].to_numpy(),
            t("buildings.col.building", lang): rows.index.to_numpy(),
            t("buildings.col.name", lang): f["name"].to_numpy(),
            t("buildings.col.score", lang): rows["score"].round(1).to_numpy(),
        }
    )
    for part in PARTS:
        out[t("buildings.col.contrib", lang, part=t(PART_KEYS[part], lang))] = (
            rows[f"contrib_{part}"].round(1).to_numpy()
        )
    out[t("buildings.col.needs", lang)] = rows["needs"].to_numpy()
    out[t("buildings.col.reasons", lang)] = words
    out[t("buildings.col.year_built", lang)] = f["year_built"].to_numpy()
    out[t("buildings.col.floors", lang)] = f["floors"].to_numpy()
    out[t("buildings.col.households", lang)] = f["households"].to_numpy()
    out[t("buildings.col.elevator", lang)] = [
        "" if pd.isna(v) else (yes if bool(v) else no) for v in f["elevator"].astype(object)
    ]
    out[t("buildings.col.elderly", lang)] = (
        pd.to_numeric(f["elderly_share"], errors="coerce").mul(100).round(0).to_numpy()
    )
    out[t("buildings.col.reports", lang)] = f["reports_renovation"].to_numpy()
    out[t("buildings.col.charger_m", lang)] = [_metres(v) for v in f["charger_m"]]
    out[t("buildings.col.drying_m", lang)] = [_metres(v) for v in f["drying_m"]]
    return out


def weights_table(weights: dict[str, float], lang: str) -> pd.DataFrame:
    """The weights a ranking used, with what each part measures."""
    return pd.DataFrame(
        {
            t("buildings.col.part", lang): [t(PART_KEYS[p], lang) for p in PARTS],
            t("buildings.col.weight", lang): [weights[p] for p in PARTS],
            t("buildings.col.meaning", lang): [t(PART_HELP_KEYS[p], lang) for p in PARTS],
        }
    )


def hotspot_table(
    result: Hotspots, lang: str, categories: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The hotspot list: id, hot or cold, units, reports, z, dominant categories, buildings."""
    h = result.hotspots
    return pd.DataFrame(
        {
            t("buildings.col.hotspot", lang): h["hotspot"].to_numpy(),
            t("buildings.col.kind", lang): [t(KIND_KEYS[k], lang) for k in h["kind"]],
            t("buildings.col.units", lang): h["units"].to_numpy(),
            t("buildings.col.reports", lang): h["reports"].to_numpy(),
            t("buildings.col.z", lang): np.round(h["z"].to_numpy(dtype=float), 2),
            t("buildings.col.categories", lang): [
                ", ".join(f"{category_name(c, lang, categories)} {n}" for c, n in cats)
                for cats in h["categories"]
            ],
            t("buildings.col.buildings", lang): [", ".join(b) for b in h["buildings"]],
        }
    )


def coverage_export(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The coverage table as people read it: farthest first."""
    rows = table.sort_values(["distance_m", "building_id"], ascending=[False, True])
    yes, no = t("buildings.covered.yes", lang), t("buildings.covered.no", lang)
    return pd.DataFrame(
        {
            t("buildings.col.building", lang): rows["building_id"].to_numpy(),
            t("buildings.col.name", lang): rows["name"].to_numpy(),
            t("buildings.col.households", lang): rows["households"].to_numpy(),
            t("buildings.col.distance_m", lang): [_metres(v) for v in rows["distance_m"]],
            t("buildings.col.nearest", lang): rows["nearest"].to_numpy(),
            t("buildings.col.covered", lang): [yes if c else no for c in rows["covered"]],
        }
    )


def sites_export(sites: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Suggested sites: number, where (lon, lat), households added, buildings reached."""
    return pd.DataFrame(
        {
            t("buildings.col.site", lang): sites["site"].to_numpy(),
            t("buildings.col.lon", lang): np.round(sites.geometry.x.to_numpy(), 6),
            t("buildings.col.lat", lang): np.round(sites.geometry.y.to_numpy(), 6),
            t("buildings.col.adds", lang): sites["households"].to_numpy(),
            t("buildings.col.buildings", lang): [", ".join(b) for b in sites["buildings"]],
        }
    )


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook of the given sheets (name to table), as bytes."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
            formulas_as_text(writer.sheets[name[:31]])  # a building's name may start with "="
    return buffer.getvalue()


def write_tables(path: str | Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """Write the sheets to ``path``: every sheet in an .xlsx, the first one in a .csv.

    Raises
    ------
    GridmapError
        For another extension.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise GridmapError("buildings.bad_out", path=str(path), known=", ".join(FORMATS))
    if suffix == ".xlsx":
        path.write_bytes(xlsx_bytes(sheets))
    else:
        # With a byte-order mark, Excel opens the Chinese text right.
        first = next(iter(sheets.values()))
        guard_formulas(first).to_csv(path, index=False, encoding="utf-8-sig")
    return path
