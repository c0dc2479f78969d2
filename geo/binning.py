"""Square binning of report points in metres, so maps send cells, not every report.

A community's reports pile up at the same doorways; binning them into cells a few
metres wide keeps the heatmap and the clusters the same to the eye while the page
carries one entry per occupied cell instead of one per report.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.crs import local_utm_epsg

DEFAULT_CELL_M = 4.0


def bin_points(points, cell_m: float = DEFAULT_CELL_M) -> pd.DataFrame:
    """Count WGS 84 points per square cell of ``cell_m`` metres in the local UTM zone.

    Parameters
    ----------
    points : GeoSeries or array of shapely Points in WGS 84 (missing and empty are skipped).
    cell_m : cell width in metres.

    Returns
    -------
    DataFrame with columns lat, lon (the mean position of the cell's points) and count,
    one row per occupied cell, largest count first.
    """
    geoms = np.asarray(getattr(points, "values", points), dtype=object)
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    if len(geoms) == 0:
        return pd.DataFrame({"lat": [], "lon": [], "count": []})
    lon, lat = shapely.get_x(geoms), shapely.get_y(geoms)
    zone = local_utm_epsg(float(np.median(lon)), float(np.median(lat)))
    x, y = pyproj.Transformer.from_crs(4326, zone, always_xy=True).transform(lon, lat)
    cells = pd.DataFrame(
        {
            "cx": np.floor(np.asarray(x) / cell_m).astype(np.int64),
            "cy": np.floor(np.asarray(y) / cell_m).astype(np.int64),
            "lat": lat,
            "lon": lon,
        }
    )
    # The mean position keeps a lone report where it is instead of at a cell corner.
    binned = cells.groupby(["cx", "cy"], sort=False).agg(
        lat=("lat", "mean"), lon=("lon", "mean"), count=("lat", "size")
    )
    return binned.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)
