"""Renovation planning: each building's items and needs, priority, hotspots, coverage.

For the renovation team (DESIGN.md §2): which buildings need new pipes, drains,
roofs, drying racks, chargers or elevators first, and why. Every distance and
area is computed in metres in the local UTM zone.

- :mod:`geo.renovation.items`: the renovation items of a building, their status and
  planned year, read from and written to the buildings' ``renovation`` JSON;
- :mod:`geo.renovation.coverage`: distances to chargers and drying areas, coverage,
  and suggested sites (maximal covering location, PySAL spopt);
- :mod:`geo.renovation.needs`: facts per building and the needs derived from them,
  with their reasons;
- :mod:`geo.renovation.priority`: the transparent weighted priority score;
- :mod:`geo.renovation.hotspots`: Getis-Ord Gi* hot and cold spots (PySAL esda) on
  H3 cells or per building, with a false discovery rate correction;
- :mod:`geo.renovation.tables`: the tables people export (.xlsx, .csv);
- :mod:`geo.renovation.maps`: the Buildings page's folium maps;
- :mod:`geo.renovation.views`: the Buildings page's Streamlit parts;
- :mod:`geo.renovation.commands`: ``gridmap rank-buildings``, ``hotspots``, ``coverage``.
"""
