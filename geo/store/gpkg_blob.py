"""GeoPackage geometry blobs (OGC 12-128r18 §2.1.3): a small header, then ISO WKB.

Encoding and decoding are done here so the store can write through SQLite
transactions of its own; the file stays a standard GeoPackage that GDAL and QGIS
read. The ``st_*`` functions back the R-tree triggers GDAL puts on every table.
"""

from __future__ import annotations

import struct

import numpy as np
import shapely

_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_EMPTY_FLAG = 0x10


def encode(geoms, srs_id: int = 4326) -> list[bytes | None]:
    """GeoPackage blobs for an array of shapely geometries (None stays None)."""
    geoms = np.asarray(geoms, dtype=object)
    missing = shapely.is_missing(geoms)
    empty = np.zeros(len(geoms), dtype=bool)
    empty[~missing] = shapely.is_empty(geoms[~missing])
    wkb = shapely.to_wkb(geoms, byte_order=1, flavor="iso", output_dimension=2)
    bounds = shapely.bounds(geoms)
    points = shapely.get_type_id(geoms) == 0
    out: list[bytes | None] = []
    for i in range(len(geoms)):
        if missing[i]:
            out.append(None)
            continue
        if empty[i]:
            out.append(struct.pack("<2sBBi", b"GP", 0, 0x01 | _EMPTY_FLAG, srs_id) + wkb[i])
        elif points[i]:
            out.append(struct.pack("<2sBBi", b"GP", 0, 0x01, srs_id) + wkb[i])
        else:
            minx, miny, maxx, maxy = bounds[i]
            header = struct.pack(
                "<2sBBi4d", b"GP", 0, 0x01 | (1 << 1), srs_id, minx, maxx, miny, maxy
            )
            out.append(header + wkb[i])
    return out


def _wkb_offset(blob: bytes) -> int:
    flags = blob[3]
    return 8 + _ENVELOPE_BYTES.get((flags >> 1) & 0x07, 0)


def decode(blobs) -> np.ndarray:
    """Shapely geometries from GeoPackage blobs (None for NULL)."""
    wkb = [None if b is None else bytes(b)[_wkb_offset(b) :] for b in blobs]
    return shapely.from_wkb(np.asarray(wkb, dtype=object))


def st_isempty(blob):
    if blob is None:
        return None
    return 1 if blob[3] & _EMPTY_FLAG else 0


def _bounds(blob) -> tuple[float, float, float, float] | None:
    if blob is None or blob[3] & _EMPTY_FLAG:
        return None
    flags = blob[3]
    if (flags >> 1) & 0x07:
        minx, maxx, miny, maxy = struct.unpack_from("<4d" if flags & 1 else ">4d", blob, 8)
        return minx, miny, maxx, maxy
    offset = _wkb_offset(blob)
    order = "<" if blob[offset] == 1 else ">"
    if struct.unpack_from(order + "I", blob, offset + 1)[0] == 1:  # a 2D point: read it directly
        x, y = struct.unpack_from(order + "2d", blob, offset + 5)
        return x, y, x, y
    geom = shapely.from_wkb(bytes(blob)[offset:])
    return tuple(shapely.bounds(geom))


def register_functions(connection) -> None:
    """Make the SQL functions that GDAL's R-tree triggers call available to sqlite3."""
    connection.create_function("ST_IsEmpty", 1, st_isempty, deterministic=True)
    for name, index in (("ST_MinX", 0), ("ST_MinY", 1), ("ST_MaxX", 2), ("ST_MaxY", 3)):
        connection.create_function(
            name,
            1,
            lambda blob, i=index: None if (b := _bounds(blob)) is None else b[i],
            deterministic=True,
        )
