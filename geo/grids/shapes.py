"""Shapes in metres: the community's UTM zone, polygon parts, widths and clean-ups.

The editor and the checks take grids in WGS 84 and do all their geometry in the
local UTM zone (:func:`geo.crs.local_utm_epsg` of the community's centre), so that
a tolerance of 1 m is 1 m and an area is in m², never in degrees.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyproj
import shapely
from shapely.geometry import MultiPolygon, Polygon

from geo.crs import local_utm_epsg

NOISE_M2 = 0.01
"""Pieces smaller than this (10 cm × 10 cm) are rounding noise, not a gap or an overlap."""

NOISE_WIDTH_M = 1e-3
"""Pieces thinner than this (a millimetre) are rounding noise too, however long."""


@dataclass(frozen=True)
class Metric:
    """Transforms between WGS 84 and the UTM zone of one place."""

    epsg: int

    @classmethod
    def around(cls, geoms) -> Metric:
        """The UTM zone of the centre of ``geoms`` (WGS 84 shapely geometries)."""
        geoms = np.asarray(list(geoms), dtype=object)
        present = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
        if len(present) == 0:
            return cls(local_utm_epsg(0.0, 0.0))
        minx, miny, maxx, maxy = shapely.total_bounds(present)
        return cls(local_utm_epsg((minx + maxx) / 2, (miny + maxy) / 2))

    def _transform(self, geoms, forward: bool) -> np.ndarray:
        transformer = _transformer(self.epsg, forward)
        geoms = np.asarray(list(geoms) if not isinstance(geoms, np.ndarray) else geoms)
        geoms = geoms.astype(object)
        out = np.full(len(geoms), None, dtype=object)
        present = ~shapely.is_missing(geoms)
        if present.any():
            out[present] = shapely.transform(
                geoms[present],
                lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])),
            )
        return out

    def to_metric(self, geoms) -> np.ndarray:
        """WGS 84 geometries in metres (an object array; None stays None)."""
        return self._transform(geoms, True)

    def to_wgs84(self, geoms) -> np.ndarray:
        """Metric geometries back in WGS 84."""
        return self._transform(geoms, False)

    def one_to_metric(self, geom):
        return self.to_metric([geom])[0]

    def one_to_wgs84(self, geom):
        return self.to_wgs84([geom])[0]


_TRANSFORMERS: dict[tuple[int, bool], pyproj.Transformer] = {}


def _transformer(epsg: int, forward: bool) -> pyproj.Transformer:
    key = (epsg, forward)
    if key not in _TRANSFORMERS:
        source, target = (4326, epsg) if forward else (epsg, 4326)
        _TRANSFORMERS[key] = pyproj.Transformer.from_crs(source, target, always_xy=True)
    return _TRANSFORMERS[key]


def polygonal(geom) -> Polygon | MultiPolygon:
    """The polygons of any geometry (made valid first); an empty polygon when none."""
    if geom is None or shapely.is_empty(geom):
        return Polygon()
    if not shapely.is_valid(geom):
        geom = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    parts = [q for p in parts for q in shapely.get_parts(p)]
    if not parts:
        return Polygon()
    if len(parts) == 1:
        return parts[0]
    return shapely.union_all(parts)


def parts(geom) -> list[Polygon]:
    """The polygons of a (Multi)Polygon, largest first; none for an empty one."""
    if geom is None or shapely.is_empty(geom):
        return []
    found = [p for p in shapely.get_parts(geom) if not p.is_empty]
    return sorted(found, key=lambda p: -p.area)


def as_multipolygon(geom) -> MultiPolygon:
    """A MultiPolygon of the polygons of ``geom`` (the grids layer's type)."""
    return MultiPolygon(parts(polygonal(geom)))


def width(geom) -> float:
    """The mean width of a polygon in its units: twice its area over its perimeter.

    Exact for a long strip (a sliver), about a quarter of the side for a square.
    """
    length = float(shapely.length(geom))
    return 0.0 if length == 0 else 2.0 * float(shapely.area(geom)) / length


def drop_small_holes(geom, min_area: float):
    """``geom`` without interior rings smaller than ``min_area`` (hairline cracks)."""
    kept = []
    for part in parts(geom):
        holes = [r for r in part.interiors if Polygon(r).area >= min_area]
        kept.append(Polygon(part.exterior, holes))
    if not kept:
        return Polygon()
    return kept[0] if len(kept) == 1 else MultiPolygon(kept)


def drop_crumbs(geom, min_area: float, min_width: float):
    """``geom`` without parts smaller or thinner than given; the largest part is kept."""
    found = parts(geom)
    if len(found) <= 1:
        return geom
    kept = [found[0]] + [p for p in found[1:] if p.area >= min_area and width(p) >= min_width]
    return kept[0] if len(kept) == 1 else MultiPolygon(kept)


def snap_vertices(geom, reference, tolerance: float):
    """``geom`` with every vertex within ``tolerance`` of ``reference`` moved onto it.

    A vertex goes to the nearest vertex of ``reference`` when one is that close,
    else to the nearest point of its lines (GEOS's own snap only knows vertices).
    The result is made valid and its coordinates put on a micrometre grid, which
    removes the zero-width spikes snapping can leave.
    """
    if geom is None or geom.is_empty or reference is None or reference.is_empty:
        return geom
    corners = shapely.multipoints(shapely.get_coordinates(reference))

    def move(xy: np.ndarray) -> np.ndarray:
        points = shapely.points(xy)
        out = xy.copy()
        for target in (reference, corners):  # lines first, so corners win where both reach
            gap = shapely.distance(points, target)
            close = (gap > 0) & (gap <= tolerance)
            if close.any():
                ends = shapely.get_coordinates(shapely.shortest_line(points[close], target))
                out[close] = ends.reshape(-1, 2, 2)[:, 1]
        return out

    return tidy(shapely.transform(geom, move))


def tidy(geom, precision: float = 1e-6):
    """Polygons on a micrometre grid: valid, without zero-width spikes."""
    if geom is None or geom.is_empty:
        return Polygon()
    return polygonal(shapely.set_precision(polygonal(geom), precision))
