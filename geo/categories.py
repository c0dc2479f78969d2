"""The report categories: a table of data, not code.

The built-in table ships as ``geo/data/categories.csv``; a deployment adds or
overrides rows with its own CSV (same columns) named by GRIDMAP_CATEGORIES.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from geo.errors import ConfigError

COLUMNS = ["code", "name_en", "name_zh", "sla_days", "renovation_class"]
RENOVATION_CLASSES = ("basic", "improvement", "enhancement")
FALLBACK = "other"


def _read(source) -> pd.DataFrame:
    frame = pd.read_csv(source, dtype={"code": str}, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ConfigError("config.categories_columns", source=str(source), missing=str(missing))
    return frame[COLUMNS]


@lru_cache(maxsize=4)
def load_categories(extra: Path | None = None) -> pd.DataFrame:
    """Return the category table indexed by code (built-in rows, then ``extra``)."""
    with resources.files("geo").joinpath("data/categories.csv").open(encoding="utf-8") as fh:
        table = _read(fh)
    if extra is not None:
        if not Path(extra).exists():
            raise ConfigError("config.categories_file_missing", path=str(extra))
        table = pd.concat([table, _read(extra)]).drop_duplicates("code", keep="last")
    sla = pd.to_numeric(table["sla_days"], errors="coerce")
    bad = table.loc[sla.isna() | (sla < 0), "code"].tolist()
    if bad:
        raise ConfigError("config.categories_sla", codes=str(bad))
    table["sla_days"] = sla.astype(int)
    return table.set_index("code")


def category_name(code: str, lang: str, table: pd.DataFrame | None = None) -> str:
    table = load_categories() if table is None else table
    if code not in table.index:
        return code
    return str(table.at[code, "name_zh" if lang == "zh" else "name_en"])


def match_category(text: object, table: pd.DataFrame | None = None) -> str | None:
    """Map free text (a code, an English or a Chinese name) to a code, or None."""
    table = load_categories() if table is None else table
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    value = str(text).strip()
    if not value:
        return None
    lowered = value.lower().replace(" ", "_")
    if lowered in table.index:
        return lowered
    for code, row in table.iterrows():
        names = {str(row["name_en"]).lower()} | set(str(row["name_zh"]).split("/"))
        if value.lower() in names or value in names:
            return str(code)
    return None
