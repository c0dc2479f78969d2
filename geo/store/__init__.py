"""Storage: one interface (:class:`~geo.store.base.Store`), two backends.

``open_store(settings_or_url)`` picks the GeoPackage file or PostGIS from the URL.
"""

from __future__ import annotations

from geo.assign import DEFAULT_RADIUS_M
from geo.config import Settings, load_settings
from geo.store.base import AssignSummary, InsertSummary, Store


def open_store(target: Settings | str | None = None) -> Store:
    """Open the store named by ``target`` (a Settings, a path or a postgresql:// URL).

    With Settings (the default: from the environment), the store also takes its
    building radius (GRIDMAP_BUILDING_RADIUS_M).
    """
    settings = load_settings() if target is None else target
    if isinstance(settings, Settings):
        url, radius_m = settings.db, settings.building_radius_m
    else:
        url, radius_m = str(settings), DEFAULT_RADIUS_M
    if url.startswith(("postgresql://", "postgres://")):
        from geo.store.postgis import PostGISStore

        return PostGISStore(url, radius_m=radius_m)
    from geo.store.gpkg import GeoPackageStore

    return GeoPackageStore(url, radius_m=radius_m)


__all__ = ["AssignSummary", "InsertSummary", "Store", "open_store"]
