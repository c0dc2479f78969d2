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


def is_known_zone(name: object) -> bool:
    """True when ``name`` is an IANA time zone this system knows (e.g. Asia/Urumqi).

    The one test for GRIDMAP_TZ and for a community's own ``tz``, so both accept
    the same names.
    """
    if not isinstance(name, str) or not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read :class:`Settings` from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    lang = env.get("GRIDMAP_LANG", "en").strip().lower() or "en"
    if lang.startswith("zh"):
        lang = "zh"
    if lang not in LANGUAGES:
        raise ConfigError("config.bad_lang", value=repr(lang), languages=str(LANGUAGES))
    tz = env.get("GRIDMAP_TZ", "Asia/Shanghai").strip() or "Asia/Shanghai"
    if not is_known_zone(tz):
        raise ConfigError("config.bad_tz", value=repr(tz))
    radius_text = env.get("GRIDMAP_BUILDING_RADIUS_M", "30")
    try:
        radius = float(radius_text)
    except ValueError as exc:
        raise ConfigError("config.bad_radius", value=repr(radius_text)) from exc
    if radius < 0:
        raise ConfigError("config.negative_radius")
    categories = env.get("GRIDMAP_CATEGORIES")
    return Settings(
        db=env.get("GRIDMAP_DB", DEFAULT_DB).strip() or DEFAULT_DB,
        lang=lang,
        tz=tz,
        building_radius_m=radius,
        categories_file=Path(categories) if categories else None,
    )
