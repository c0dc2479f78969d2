"""The planner's grid editor (DESIGN.md §2, §3, §6): draw, check, preview, version, propose.

- :mod:`geo.grids.shapes`: metres in the local UTM zone, polygon parts, widths;
- :mod:`geo.grids.validate`: what is wrong with a set of grids, and where;
- :mod:`geo.grids.edit`: clip, snap, add, reshape, split, merge, delete, drawings;
- :mod:`geo.grids.preview`: households, buildings and open reports before and after;
- :mod:`geo.grids.versions`: the version a planner starts from, changes between two,
  statistics by current or historical grid;
- :mod:`geo.grids.propose`: balanced grids from buildings (PySAL spopt);
- :mod:`geo.grids.maps`, :mod:`geo.grids.views`: the page's map and panels;
- :mod:`geo.grids.commands`: ``gridmap validate-grids`` and ``gridmap propose-grids``.

Everything but the maps and views runs without Streamlit. Geometries come and go in
WGS 84; every length and area is computed in metres in the community's UTM zone.
"""

from geo.errors import GridmapError


class GridEditError(GridmapError):
    """An edit, a file or a proposal that cannot be done, with the reason for a person."""


__all__ = ["GridEditError"]
