"""Rejected rows: their reasons collected by row number, and the rejects file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

from geo.exporting import guard_formulas

if TYPE_CHECKING:
    from geo.io.readers import Source


class Rejects:
    """Reasons collected per row number; a row with any reason is rejected."""

    def __init__(self, unit: str = "row") -> None:
        self.unit = unit  # "row" or "feature", as the numbers are called
        self.reasons: dict[int, list[str]] = {}

    def add(self, labels, reason: str) -> None:
        for label in labels:
            self.reasons.setdefault(int(label), []).append(reason)

    def add_where(self, mask: pd.Series, reason: str) -> None:
        self.add(mask.index[mask.to_numpy(dtype=bool)], reason)

    def mask(self, index: pd.Index) -> np.ndarray:
        return np.isin(index.to_numpy(), list(self.reasons))

    def __len__(self) -> int:
        return len(self.reasons)


def rejects_path_for(path: str | Path) -> Path:
    """Where the rejected rows of ``path`` go: ``reports.csv`` → ``reports.csv.rejects.csv``."""
    path = Path(path)
    return path.with_name(path.name + ".rejects.csv")


def _some(numbers) -> str:
    """The first ten of ``numbers``, comma-separated, with "…" when there are more."""
    numbers = [str(int(n)) for n in numbers]
    return ", ".join(numbers[:10]) + (", …" if len(numbers) > 10 else "")


# --- results ---------------------------------------------------------------------------


def rejected_rows(source: Source, rejects: Rejects) -> pd.DataFrame:
    """The rejected rows: their number (``row`` or ``feature``), reason and columns."""
    labels = sorted(rejects.reasons)
    frame = pd.DataFrame(
        {
            source.unit: labels,
            "reason": ["; ".join(rejects.reasons[label]) for label in labels],
        }
    )
    original = source.table.loc[labels].reset_index(drop=True)
    if source.geometry is not None:
        geometry = source.geometry.loc[labels].to_numpy(dtype=object)
        original["geometry"] = shapely.to_wkt(geometry, rounding_precision=9)
    return pd.concat([frame, original], axis=1)


def write_rejects(path: Path, rejected: pd.DataFrame) -> Path | None:
    target = rejects_path_for(path)
    if rejected.empty:
        target.unlink(missing_ok=True)
        return None
    # The file is opened in Excel: text from the source that would run as a formula is
    # quoted, as exports quote it (and importing the file again takes the quote off).
    guard_formulas(rejected).to_csv(target, index=False, encoding="utf-8-sig")
    return target
