"""Configuration read from the environment.

GRIDMAP_DB    GeoPackage path (default data/gridmap.gpkg) or a postgresql:// URL.
GRIDMAP_LANG  default interface language: en or zh (default en).
GRIDMAP_TZ    the community's time zone (default Asia/Shanghai).
GRIDMAP_BUILDING_RADIUS_M  how far a report may lie from a building and still be
              linked to it, in metres (default 30).
GRIDMAP_CATEGORIES  optional CSV with a deployment's own categories.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from geo.errors import ConfigError

LANGUAGES = ("en", "zh")
DEFAULT_DB = "data/gridmap.gpkg"


@dataclass(frozen=True)
class Settings:
    db: str = DEFAULT_DB
    lang: str = "en"
    tz: str = "Asia/Shanghai"
    building_radius_m: float = 30.0
    categories_file: Path | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def is_postgis(self) -> bool:
        return self.db.startswith(("postgresql://", "postgres://"))


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read :class:`Settings` from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    lang = env.get("GRIDMAP_LANG", "en").strip().lower() or "en"
    if lang.startswith("zh"):
        lang = "zh"
    if lang not in LANGUAGES:
        raise ConfigError(f"GRIDMAP_LANG={lang!r} is not supported; use one of {LANGUAGES}.")
    tz = env.get("GRIDMAP_TZ", "Asia/Shanghai").strip() or "Asia/Shanghai"
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"GRIDMAP_TZ={tz!r} is not a known time zone (e.g. Asia/Shanghai)."
        ) from exc
    radius_text = env.get("GRIDMAP_BUILDING_RADIUS_M", "30")
    try:
        radius = float(radius_text)
    except ValueError as exc:
        raise ConfigError(
            f"GRIDMAP_BUILDING_RADIUS_M={radius_text!r} is not a number of metres."
        ) from exc
    if radius < 0:
        raise ConfigError("GRIDMAP_BUILDING_RADIUS_M must not be negative.")
    categories = env.get("GRIDMAP_CATEGORIES")
    return Settings(
        db=env.get("GRIDMAP_DB", DEFAULT_DB).strip() or DEFAULT_DB,
        lang=lang,
        tz=tz,
        building_radius_m=radius,
        categories_file=Path(categories) if categories else None,
    )
