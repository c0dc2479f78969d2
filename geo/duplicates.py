"""Possible duplicates of a new report: open reports of its category, near it, recent.

Before a report is saved, the open reports of the same category within
``radius_m`` metres (measured in the local UTM zone) created in the last ``days``
days are offered, nearest first, so that one click links the new report to the
one it repeats instead of opening a second case. Both limits are configurable:
GRIDMAP_DUPLICATE_RADIUS_M (default 50) and GRIDMAP_DUPLICATE_DAYS (default 14).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import local_utm_epsg
from geo.errors import ConfigError
from geo.model import OPEN_STATUSES, WGS84

DEFAULT_RADIUS_M = 50.0
DEFAULT_DAYS = 14
MAX_RADIUS_M = 5000.0
MAX_DAYS = 365


@dataclass(frozen=True)
class DuplicateRule:
    """How near and how recent an open report must be to count as a possible duplicate."""

    radius_m: float = DEFAULT_RADIUS_M
    days: int = DEFAULT_DAYS


def rule_from_env(env: Mapping[str, str] | None = None) -> DuplicateRule:
    """The rule configured by GRIDMAP_DUPLICATE_RADIUS_M and GRIDMAP_DUPLICATE_DAYS.

    Parameters
    ----------
    env
        The environment (default: the process's).

    Returns
    -------
    DuplicateRule

    Raises
    ------
    ConfigError
        For a value that is not a number in range.
    """
    env = os.environ if env is None else env
    radius_text = env.get("GRIDMAP_DUPLICATE_RADIUS_M", "").strip() or str(DEFAULT_RADIUS_M)
    days_text = env.get("GRIDMAP_DUPLICATE_DAYS", "").strip() or str(DEFAULT_DAYS)
    try:
        radius = float(radius_text)
    except ValueError:
        radius = -1.0
    if not 0 <= radius <= MAX_RADIUS_M:
        raise ConfigError(
            "reports.config.radius", value=repr(radius_text), limit=f"{MAX_RADIUS_M:g}"
        )
    try:
        days = int(days_text)
    except ValueError:
        days = -1
    if not 0 <= days <= MAX_DAYS:
        raise ConfigError("reports.config.days", value=repr(days_text), limit=MAX_DAYS)
    return DuplicateRule(radius, days)


def candidates(
    reports: gpd.GeoDataFrame,
    point,
    category: str,
    when,
    rule: DuplicateRule = DuplicateRule(),  # noqa: B008 - frozen, so safe as a default
    exclude: int | None = None,
) -> pd.DataFrame:
    """The open reports a new report at ``point`` may repeat, nearest first.

    Parameters
    ----------
    reports
        The community's reports (the reports layer).
    point
        Where the new report is (a shapely Point in WGS 84).
    category
        Its category code: only reports of the same category count.
    when
        When it is made (zone-aware): reports created from ``rule.days`` days before
        up to this moment count.
    rule
        The radius in metres and the number of days.
    exclude
        A report_id never to offer (the new report itself, once saved).

    Returns
    -------
    pandas.DataFrame
        The matching reports' rows with a ``distance_m`` column, nearest first (then
        newest first), indexed as in ``reports``.
    """
    if reports.empty or point is None or point.is_empty:
        return _empty(reports)
    moment = pd.Timestamp(when)
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment.tz_convert("UTC")
    since = moment - pd.Timedelta(days=rule.days)
    geoms = np.asarray(reports.geometry.values, dtype=object)
    placed = ~shapely.is_missing(geoms)
    placed[placed] = ~shapely.is_empty(geoms[placed])
    keep = placed & (
        reports["status"].isin(OPEN_STATUSES)
        & (reports["category"] == category)
        & reports["created_at"].between(since, moment)
    ).fillna(False).to_numpy(dtype=bool)
    if exclude is not None:
        keep = keep & (reports["report_id"] != exclude).fillna(True).to_numpy(dtype=bool)
    near = reports[keep]
    if near.empty:
        return _empty(reports)
    epsg = local_utm_epsg(point.x, point.y)
    projected = near.geometry.to_crs(epsg)
    origin = gpd.GeoSeries([point], crs=WGS84).to_crs(epsg).iloc[0]
    distance = shapely.distance(np.asarray(projected.values, dtype=object), origin)
    found = near.assign(distance_m=distance)
    found = found[found["distance_m"] <= rule.radius_m]
    return found.sort_values(["distance_m", "created_at"], ascending=[True, False], kind="stable")


def _empty(reports: pd.DataFrame) -> pd.DataFrame:
    return reports.iloc[:0].assign(distance_m=pd.Series([], dtype=float))
