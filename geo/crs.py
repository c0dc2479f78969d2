"""Coordinate reference systems: the local metric CRS and China's offset systems.

Areas and distances are computed in the UTM zone of the data, never in degrees.
GCJ-02 (used by AMap, Tencent) and BD-09 (Baidu) are not EPSG systems: they are
WGS 84 with a published non-linear offset, so they are converted here, vectorised.
"""

from __future__ import annotations

import numpy as np
import pyproj
from pyproj.exceptions import CRSError

from geo.errors import ImportFileError

OFFSET_SYSTEMS = ("gcj02", "bd09")
_WGS84_ALIASES = {"wgs84", "wgs-84", "wgs_84", "epsg:4326", "4326"}

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 offset.
_A = 6378245.0
_EE = 0.00669342162296594323
_BD_PI = np.pi * 3000.0 / 180.0


def local_utm_epsg(lon: float, lat: float) -> int:
    """EPSG code of the WGS 84 UTM zone containing (lon, lat), e.g. 32650 for Tianjin."""
    zone = int((lon + 180) // 6) + 1
    return (32600 if lat >= 0 else 32700) + min(max(zone, 1), 60)


def parse_crs(text: str | None) -> str:
    """Normalise a --crs value: 'wgs84', 'gcj02', 'bd09' or 'EPSG:n'.

    Raises ImportFileError with a one-line message for anything unknown.
    """
    if text is None:
        return "wgs84"
    value = str(text).strip().lower()
    if value in _WGS84_ALIASES:
        return "wgs84"
    if value in {"gcj02", "gcj-02", "gcj"}:
        return "gcj02"
    if value in {"bd09", "bd-09", "bd"}:
        return "bd09"
    code = value.removeprefix("epsg:")
    if code.isdigit():
        try:
            pyproj.CRS.from_epsg(int(code))
        except CRSError:
            raise ImportFileError("crs.unknown_epsg", value=repr(text), code=code) from None
        return f"EPSG:{code}"
    raise ImportFileError("crs.unknown", value=repr(text))


def _out_of_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _gcj_offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = lon - 105.0, lat - 35.0
    dlat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    )
    rad = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad) * np.pi)
    inside = ~_out_of_china(lon, lat)
    return np.where(inside, dlon, 0.0), np.where(inside, dlat, 0.0)


def wgs84_to_gcj02(lon, lat):
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    dlon, dlat = _gcj_offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon, lat, iterations: int = 6):
    """Invert the GCJ-02 offset by fixed-point iteration (error well under 1 cm)."""
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    wlon, wlat = lon.copy(), lat.copy()
    for _ in range(iterations):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        wlon, wlat = wlon - (glon - lon), wlat - (glat - lat)
    return wlon, wlat


def gcj02_to_bd09(lon, lat):
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _BD_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _BD_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lon, lat):
    x, y = np.asarray(lon, float) - 0.0065, np.asarray(lat, float) - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _BD_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _BD_PI)
    return z * np.cos(theta), z * np.sin(theta)


def bd09_to_wgs84(lon, lat):
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def wgs84_to_bd09(lon, lat):
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def to_wgs84_transform(system: str):
    """A function (lon, lat) -> (lon, lat) taking ``system`` coordinates to WGS 84."""
    if system == "wgs84":
        return lambda x, y: (np.asarray(x, float), np.asarray(y, float))
    if system == "gcj02":
        return gcj02_to_wgs84
    if system == "bd09":
        return bd09_to_wgs84
    transformer = pyproj.Transformer.from_crs(system, "EPSG:4326", always_xy=True)
    return lambda x, y: transformer.transform(np.asarray(x, float), np.asarray(y, float))
