"""The layers of DESIGN.md §3: their names, columns, keys and geometry types.

Both stores build their schema from :data:`LAYERS`, so a column added here exists
in the GeoPackage file and in PostGIS alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

WGS84 = "EPSG:4326"

# Column kinds, mapped to pandas dtypes here and to SQL types in the stores.
STR, INT, FLOAT, BOOL, TIME = "str", "int", "float", "bool", "datetime"


@dataclass(frozen=True)
class Layer:
    """One table of the model."""

    name: str
    key: str
    geometry: str | None  # OGC geometry type, or None for a plain table
    columns: dict[str, str]
    required: tuple[str, ...] = ()


LAYERS: dict[str, Layer] = {
    layer.name: layer
    for layer in [
        Layer(
            "community",
            "community_id",
            "MultiPolygon",
            # tz: the community's IANA time zone (empty: GRIDMAP_TZ), for local times.
            {"community_id": STR, "name": STR, "code": STR, "street": STR, "tz": STR},
            required=("community_id", "name"),
        ),
        Layer(
            "grids",
            "grid_id",
            "MultiPolygon",
            {
                "grid_id": STR,
                "community_id": STR,
                "name": STR,
                "worker_name": STR,
                "worker_phone": STR,
                "version": INT,
            },
            required=("grid_id",),
        ),
        Layer(
            "buildings",
            "building_id",
            "Polygon",
            {
                "building_id": STR,
                "community_id": STR,
                "name": STR,
                "address": STR,
                "year_built": INT,
                "floors": INT,
                "units": INT,
                "households": INT,
                "elevator": BOOL,
                "elderly_share": FLOAT,
                "renovation": STR,  # JSON: {"item": "status", ...}
            },
            required=("building_id",),
        ),
        Layer(
            "chargers",
            "charger_id",
            "Point",
            {
                "charger_id": STR,
                "community_id": STR,
                "kind": STR,  # ebike, ev, wheelchair
                "ports": INT,
                "operator": STR,
                "status": STR,
            },
            required=("charger_id",),
        ),
        Layer(
            "drying_areas",
            "area_id",
            "Geometry",  # a polygon or a point
            {"area_id": STR, "community_id": STR, "name": STR, "capacity": INT},
            required=("area_id",),
        ),
        Layer(
            "reports",
            "report_id",
            "Point",
            {
                "report_id": INT,
                "community_id": STR,
                "external_id": STR,
                "category": STR,
                "category_text": STR,  # the source's own words when mapped to "other"
                "description": STR,
                "source": STR,
                "reporter_name": STR,
                "reporter_phone": STR,
                "created_at": TIME,
                "status": STR,
                "status_text": STR,  # the source's own word when it was not a status code
                "grid_id": STR,
                "building_id": STR,
                "assignee": STR,
                "due_at": TIME,
                "closed_at": TIME,
                "rating": INT,
                "escalation_level": STR,
                "duplicate_of": INT,
                # True when a person chose the grid (a report outside every grid):
                # reassignment then keeps grid_id and recomputes only building_id.
                "grid_by_hand": BOOL,
            },
            required=("created_at",),
        ),
        Layer(
            "report_events",
            "event_id",
            None,
            {
                "event_id": INT,
                "community_id": STR,
                "report_id": INT,
                "at": TIME,
                "actor": STR,
                "from_status": STR,
                "to_status": STR,
                "note": STR,
            },
        ),
    ]
}

# The lifecycle of DESIGN.md §3.
STATUSES = (
    "submitted",
    "accepted",
    "dispatched",
    "in_progress",
    "resolved",
    "closed",
    "rejected",
    "duplicate",
    "escalated",
    "reopened",
)
OPEN_STATUSES = ("submitted", "accepted", "dispatched", "in_progress", "escalated", "reopened")
DONE_STATUSES = ("resolved", "closed", "rejected", "duplicate")

CHARGER_KINDS = ("ebike", "ev", "wheelchair")
REPORT_SOURCES = ("wechat", "miniprogram", "hotline", "walk_in", "patrol")


def layer(name: str) -> Layer:
    """Return the :class:`Layer` called ``name`` or raise a clear KeyError."""
    try:
        return LAYERS[name]
    except KeyError:
        known = ", ".join(LAYERS)
        raise KeyError(f"unknown layer {name!r}; the layers are: {known}") from None


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with exactly the layer's columns, in order, with their dtypes.

    Missing columns are added empty; unknown columns are dropped.
    """
    spec = layer(name)
    out = pd.DataFrame(index=frame.index)
    for column, kind in spec.columns.items():
        values = frame[column] if column in frame else pd.Series(None, index=frame.index)
        out[column] = _as_kind(values, kind)
    if spec.geometry is None:
        return out
    geometry = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else frame["geometry"]
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geometry, index=frame.index), crs=WGS84)


def empty(name: str) -> pd.DataFrame:
    """An empty frame with the layer's columns."""
    spec = layer(name)
    frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in spec.columns})
    if spec.geometry is not None:
        frame = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=WGS84), crs=WGS84)
    return conform(name, frame)


def fit_polygon_type(spec: Layer, geoms) -> tuple[np.ndarray, np.ndarray]:
    """Shape polygons to the layer's geometry type; what cannot be shaped is pointed out.

    MultiPolygon layers get single Polygons wrapped; Polygon layers get one-part
    MultiPolygons unwrapped. Returns the shaped geometries (a copy) and the positions
    of MultiPolygons of several parts on a Polygon layer, which the caller refuses.
    """
    geoms = np.array(geoms, dtype=object)
    present = ~shapely.is_missing(geoms)
    types = np.full(len(geoms), -1)
    types[present] = shapely.get_type_id(geoms[present])
    if spec.geometry == "MultiPolygon":
        single = types == shapely.GeometryType.POLYGON
        if single.any():
            geoms[single] = shapely.multipolygons(geoms[single][:, None].tolist())
    elif spec.geometry == "Polygon":
        multi = np.flatnonzero(types == shapely.GeometryType.MULTIPOLYGON)
        parts = shapely.get_num_geometries(geoms[multi])
        one = multi[parts == 1]
        geoms[one] = shapely.get_geometry(geoms[one], 0)
        return geoms, multi[parts > 1]
    return geoms, np.array([], dtype=int)


def _as_kind(values: pd.Series, kind: str) -> pd.Series:
    if kind == STR:
        # Built as an object column: pandas 3 would infer a string dtype that turns None to NaN.
        texts = values.astype(object).to_numpy(copy=True)
        missing = pd.isna(texts)
        present = texts[~missing]
        if pd.api.types.infer_dtype(present, skipna=True) not in ("string", "empty"):
            texts[~missing] = [str(v) for v in present]  # numbers and the like, as text
        texts[missing] = None
        return pd.Series(texts, index=values.index, dtype=object)
    if kind == INT:
        return pd.to_numeric(values, errors="coerce").astype("Int64")
    if kind == FLOAT:
        return pd.to_numeric(values, errors="coerce").astype("Float64")
    if kind == BOOL:
        return values.astype("boolean")
    if kind == TIME:
        return pd.to_datetime(values, utc=True, format="ISO8601")
    raise ValueError(f"unknown column kind {kind!r}")


def is_missing(value: object) -> bool:
    """True for a cell that holds no value: None, NaN, ``pd.NA`` or NaT.

    Parameters
    ----------
    value
        One cell of a frame, of any type.

    Returns
    -------
    bool
        False for every real value, including empty text, 0 and False.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    return False
