"""The store interface both backends implement (DESIGN.md §4).

Frames going in and out follow :mod:`geo.model`: the layer's columns with their
dtypes, geometries in WGS 84, timestamps time-zone aware (UTC).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import pandas as pd

from geo.assign import DEFAULT_RADIUS_M


@dataclass(frozen=True)
class InsertSummary:
    """What an insert did: rows added, rows skipped as already present, rows replaced."""

    inserted: int
    skipped: int
    replaced: int = 0


@dataclass(frozen=True)
class AssignSummary:
    """What an assignment run did."""

    reports: int
    to_grid: int
    unassigned: int
    to_building: int


class Store(ABC):
    """A community's layers, in a GeoPackage file or in PostGIS."""

    url: str
    radius_m: float = DEFAULT_RADIUS_M

    # --- life cycle -----------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @abstractmethod
    def close(self) -> None: ...

    # --- reading --------------------------------------------------------------------
    @abstractmethod
    def read(self, layer: str, community_id: str | None = None) -> pd.DataFrame:
        """All rows of ``layer`` (of one community if given), conformed to the model."""

    @abstractmethod
    def count(self, layer: str, community_id: str | None = None) -> int: ...

    def is_empty(self) -> bool:
        """True when no community has been loaded."""
        return self.count("community") == 0

    def community_ids(self) -> list[str]:
        return sorted(self.read("community")["community_id"].dropna().astype(str))

    # --- writing --------------------------------------------------------------------
    @abstractmethod
    def load_community(self, layers: dict[str, pd.DataFrame]) -> None:
        """Write a whole community (every layer given) in one transaction.

        Rows with the same community_id already in the store are replaced.
        """

    @abstractmethod
    def upsert(self, layer: str, frame: pd.DataFrame) -> InsertSummary:
        """Insert rows, replacing any with the same (community_id, key), in one transaction.

        Not for reports: use :meth:`add_reports`.
        """

    @abstractmethod
    def add_reports(self, reports: pd.DataFrame) -> InsertSummary:
        """Add reports in one transaction, assigning report_id, grid_id and building_id.

        A report whose (community_id, external_id) is already stored is skipped, so the
        same file imported twice adds nothing the second time.
        """

    @abstractmethod
    def reassign(self, community_id: str | None = None, open_only: bool = False) -> AssignSummary:
        """Recompute grid_id and building_id of stored reports by the rule of DESIGN.md §3."""
