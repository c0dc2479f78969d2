"""Storage: one interface (:class:`~geo.store.base.Store`), two backends.

``open_store(settings_or_url)`` picks the GeoPackage file or PostGIS from the URL.
"""

from __future__ import annotations

from geo.config import Settings, load_settings
from geo.store.base import AssignSummary, InsertSummary, Store


def open_store(target: Settings | str | None = None) -> Store:
    """Open the store named by ``target`` (a Settings, a path or a postgresql:// URL)."""
    settings = load_settings() if target is None else target
    url = settings.db if isinstance(settings, Settings) else str(settings)
    if url.startswith(("postgresql://", "postgres://")):
        from geo.store.postgis import PostGISStore

        return PostGISStore(url)
    from geo.store.gpkg import GeoPackageStore

    return GeoPackageStore(url)


__all__ = ["AssignSummary", "InsertSummary", "Store", "open_store"]
