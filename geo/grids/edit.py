"""Editing a draft of grids: add, reshape, delete, split, merge, repair, rename, drawings.

A draft is a GeoDataFrame of the grids layer (WGS 84), the grids as the planner is
making them. Every function returns a new draft and leaves its argument alone.

Shapes drawn by hand are cleaned as they come in (:func:`fit_shape`), in metres:
made valid, clipped to the community, their vertices snapped to the neighbouring
grids and the community boundary within the tolerance (default 1 m), thin gaps left
between them and a neighbour filled, and crumbs dropped. By default a drawn shape
takes its ground from the neighbours it covers (they are cut back); with
``take=False`` it only fills ground no grid holds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops
from shapely.geometry import LineString, shape

from geo import model
from geo.grids import GridEditError
from geo.grids.shapes import (
    NOISE_M2,
    Metric,
    as_multipolygon,
    drop_crumbs,
    drop_small_holes,
    parts,
    polygonal,
    snap_vertices,
    tidy,
    width,
)

DEFAULT_SNAP_M = 1.0
UNCHANGED_M = 0.2  # a shape returned by the map within this of the draft is the same shape
_CODE = re.compile(r"^(.*?)(\d+)$")
EDITABLE = ("grid_id", "name", "worker_name", "worker_phone")


@dataclass(frozen=True)
class EditContext:
    """Where edits happen: the community (in metres), the tolerance, who wins."""

    metric: Metric
    boundary: object  # the community in metres (a polygon), or None
    snap_m: float = DEFAULT_SNAP_M
    take: bool = True

    @classmethod
    def of(
        cls, community: gpd.GeoDataFrame | None, snap_m: float = DEFAULT_SNAP_M, take: bool = True
    ) -> EditContext:
        """The context of a community's boundary (WGS 84 rows; None: no boundary)."""
        geoms = [] if community is None else list(community.geometry.values)
        metric = Metric.around(geoms)
        boundary = None
        if geoms:
            boundary = polygonal(shapely.union_all(metric.to_metric(geoms)))
            boundary = None if boundary.is_empty else boundary
        return cls(metric, boundary, max(float(snap_m), 0.0), bool(take))


@dataclass
class DrawOutcome:
    """What :func:`apply_drawings` did to the draft."""

    draft: gpd.GeoDataFrame
    added: list[str] = field(default_factory=list)
    reshaped: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    split: list[str] = field(default_factory=list)
    refused: list[GridEditError] = field(default_factory=list)  # edits that could not be made

    @property
    def changed(self) -> bool:
        return bool(self.added or self.reshaped or self.deleted or self.split)


# --- codes ------------------------------------------------------------------------------
def codes_of(draft: pd.DataFrame) -> list[str]:
    return [str(c) for c in draft["grid_id"] if not model.is_missing(c)]


def next_code(existing: Iterable[str], like: str | None = None) -> str:
    """A new grid code in the style of the others: G12 → G13, 网格09 → 网格10.

    Parameters
    ----------
    existing
        The codes in use.
    like
        A code whose prefix the new one should share (e.g. the grid being split).
    """
    existing = [str(c) for c in existing]
    numbered = [(m.group(1), m.group(2)) for c in existing if (m := _CODE.match(c))]
    if like is not None and (m := _CODE.match(str(like))):
        prefix = m.group(1)
    elif numbered:
        prefix = Counter(p for p, _ in numbered).most_common(1)[0][0]
    else:
        prefix = "G"
    same = [n for p, n in numbered if p == prefix]
    digits = max((len(n) for n in same), default=2)
    number = max((int(n) for n in same), default=0) + 1
    taken = set(existing)
    while f"{prefix}{number:0{digits}d}" in taken:
        number += 1
    return f"{prefix}{number:0{digits}d}"


# --- fitting a shape among its neighbours --------------------------------------------------
def fit_shape(shape_m, others: dict, ctx: EditContext) -> tuple[object, dict]:
    """Clean a drawn shape (in metres) among the other grids' shapes (in metres).

    Parameters
    ----------
    shape_m
        The shape as drawn, in metres.
    others
        ``{position: shape}`` of the other grids, in metres.
    ctx
        The community, the tolerance and whether the shape takes ground.

    Returns
    -------
    shape, changed
        The cleaned shape, and ``{position: shape}`` of the neighbours it cut back.

    Raises
    ------
    GridEditError
        When nothing of the shape is left (outside the community, or all taken).
    """
    tol = ctx.snap_m
    fitted = polygonal(shape_m)
    if fitted.is_empty:
        raise GridEditError("grids.edit.no_area")
    if ctx.boundary is not None:
        fitted = polygonal(shapely.intersection(fitted, ctx.boundary))
        if fitted.is_empty:
            raise GridEditError("grids.edit.outside")
    reach = fitted.buffer(max(3 * tol, 0.5))
    near = {k: g for k, g in others.items() if g is not None and g.intersects(reach)}
    if tol > 0:
        lines = [g.boundary for g in near.values()]
        if ctx.boundary is not None:
            lines.append(ctx.boundary.boundary)
        if lines:
            fitted = snap_vertices(fitted, shapely.union_all(lines), tol)
    changed: dict = {}
    if ctx.take:
        for k, g in near.items():
            if not g.intersects(fitted):
                continue
            snapped = snap_vertices(g, fitted.boundary, tol) if tol > 0 else g
            left = tidy(shapely.difference(snapped, fitted))
            changed[k] = drop_crumbs(left, tol * tol, tol / 2) if tol > 0 else left
        held = [changed.get(k, g) for k, g in near.items()]
    else:
        held = list(near.values())
        if held:
            fitted = tidy(shapely.difference(fitted, shapely.union_all(held)))
    if tol > 0:
        fitted = _fill_slivers(fitted, held, ctx)
        fitted = drop_small_holes(drop_crumbs(fitted, tol * tol, tol / 2), tol * tol)
    fitted = tidy(fitted)
    if fitted.is_empty:
        raise GridEditError("grids.edit.nothing_left")
    return fitted, changed


def _fill_slivers(fitted, held: list, ctx: EditContext):
    """Add to ``fitted`` the thin gaps (narrower than the tolerance) it leaves against
    a neighbour or the community boundary."""
    tol = ctx.snap_m
    occupied = shapely.union_all([g for g in held if not g.is_empty]) if held else None
    ring = fitted.buffer(tol, join_style="mitre")
    if ctx.boundary is not None:
        ring = shapely.intersection(ring, ctx.boundary)
    ring = shapely.difference(ring, fitted)
    if occupied is not None and not occupied.is_empty:
        ring = shapely.difference(ring, occupied)
    walls = [fitted.boundary]
    if occupied is not None and not occupied.is_empty:
        walls.append(occupied.boundary)
    if ctx.boundary is not None:
        walls.append(ctx.boundary.boundary)
    wall = shapely.union_all(walls).buffer(tol * 1e-3)
    filled = [fitted]
    for piece in parts(polygonal(ring)):
        edge = piece.boundary
        free = shapely.difference(edge, wall).length
        if piece.area >= NOISE_M2 and free <= 0.1 * edge.length and width(piece) < tol:
            filled.append(piece)
    return polygonal(shapely.union_all(filled)) if len(filled) > 1 else fitted


# --- edits of the draft ----------------------------------------------------------------
def _metric_shapes(draft: gpd.GeoDataFrame, ctx: EditContext) -> list:
    return list(ctx.metric.to_metric(draft.geometry.values))


def _with_shapes(draft: gpd.GeoDataFrame, changed: dict, ctx: EditContext) -> gpd.GeoDataFrame:
    """``draft`` with the shapes at the given positions replaced (metres → WGS 84)."""
    out = draft.copy()
    if changed:
        positions = list(changed)
        wgs = ctx.metric.to_wgs84([changed[p] for p in positions])
        geoms = np.asarray(out.geometry.values, dtype=object).copy()
        for p, g in zip(positions, wgs, strict=True):
            geoms[p] = as_multipolygon(g)
        out = out.set_geometry(gpd.GeoSeries(list(geoms), index=out.index, crs=model.WGS84))
    return out


def _position(draft: pd.DataFrame, code: str) -> int:
    matches = np.flatnonzero(draft["grid_id"].astype(object).to_numpy() == code)
    if not len(matches):
        raise GridEditError("grids.edit.no_grid", grid=code)
    return int(matches[0])


def add_grid(
    draft: gpd.GeoDataFrame, drawn, ctx: EditContext, code: str | None = None, **values
) -> tuple[gpd.GeoDataFrame, str]:
    """Add a grid drawn in WGS 84 (cleaned by :func:`fit_shape`); return the draft and its code."""
    draft = draft.reset_index(drop=True)
    shapes = _metric_shapes(draft, ctx)
    fitted, changed = fit_shape(ctx.metric.one_to_metric(drawn), dict(enumerate(shapes)), ctx)
    out = _with_shapes(draft, changed, ctx)
    code = code or next_code(codes_of(draft))
    row = {"grid_id": code, "community_id": _community_of(draft), **values}
    row["geometry"] = as_multipolygon(ctx.metric.one_to_wgs84(fitted))
    new = gpd.GeoDataFrame([row], geometry="geometry", crs=model.WGS84)
    return model.conform("grids", pd.concat([out, new], ignore_index=True)), code


def reshape_grid(draft: gpd.GeoDataFrame, code: str, drawn, ctx: EditContext) -> gpd.GeoDataFrame:
    """Give grid ``code`` a new shape drawn in WGS 84 (cleaned by :func:`fit_shape`)."""
    draft = draft.reset_index(drop=True)
    at = _position(draft, code)
    shapes = _metric_shapes(draft, ctx)
    others = {i: g for i, g in enumerate(shapes) if i != at}
    fitted, changed = fit_shape(ctx.metric.one_to_metric(drawn), others, ctx)
    changed[at] = fitted
    return model.conform("grids", _with_shapes(draft, changed, ctx))


def delete_grids(draft: gpd.GeoDataFrame, codes: Iterable[str]) -> gpd.GeoDataFrame:
    """The draft without the given grids."""
    codes = set(codes)
    keep = ~draft["grid_id"].astype(object).isin(codes)
    return model.conform("grids", draft[keep.to_numpy()].reset_index(drop=True))


def repair_grids(draft: gpd.GeoDataFrame, codes: Iterable[str] | None = None) -> gpd.GeoDataFrame:
    """Invalid shapes made valid (their polygons kept), for the given grids or all."""
    out = draft.reset_index(drop=True).copy()
    geoms = np.asarray(out.geometry.values, dtype=object).copy()
    wanted = None if codes is None else set(codes)
    for i, (code, geom) in enumerate(zip(out["grid_id"], geoms, strict=True)):
        if (wanted is None or code in wanted) and geom is not None and not geom.is_valid:
            geoms[i] = as_multipolygon(polygonal(geom))
    out = out.set_geometry(gpd.GeoSeries(list(geoms), index=out.index, crs=model.WGS84))
    return model.conform("grids", out)


def merge_grids(
    draft: gpd.GeoDataFrame, codes: list[str], ctx: EditContext
) -> tuple[gpd.GeoDataFrame, str]:
    """One grid of the given grids, with the code and worker of the first in the draft."""
    codes = [c for c in codes_of(draft) if c in set(codes)]
    if len(codes) < 2:
        raise GridEditError("grids.edit.merge_two")
    draft = draft.reset_index(drop=True)
    positions = [_position(draft, c) for c in codes]
    shapes = _metric_shapes(draft, ctx)
    merged = polygonal(shapely.union_all([polygonal(shapes[p]) for p in positions]))
    merged = drop_small_holes(merged, max(ctx.snap_m, 0.01) ** 2)
    out = _with_shapes(draft, {positions[0]: merged}, ctx)
    return delete_grids(out, codes[1:]), codes[0]


def split_grids(
    draft: gpd.GeoDataFrame,
    line,
    ctx: EditContext,
    codes: Iterable[str] | None = None,
    taken: Iterable[str] = (),
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Cut the grids a drawn line (WGS 84) crosses, or only ``codes``, along it.

    The line is extended a little at both ends, so one drawn just short of a
    boundary still crosses it. The largest piece keeps the grid's code, name and
    worker; every other piece becomes a new grid with a new code (not one of the
    draft's, nor of ``taken``).

    Returns
    -------
    draft, new codes

    Raises
    ------
    GridEditError
        When the line divides no grid.
    """
    draft = draft.reset_index(drop=True)
    cut = _extended(ctx.metric.one_to_metric(line), max(3 * ctx.snap_m, 2.0))
    shapes = _metric_shapes(draft, ctx)
    wanted = None if codes is None else set(codes)
    changed: dict = {}
    new_rows = []
    taken = [*codes_of(draft), *taken]
    for i, (code, geom) in enumerate(zip(draft["grid_id"], shapes, strict=True)):
        if (wanted is not None and code not in wanted) or geom is None or not geom.intersects(cut):
            continue
        pieces, kept = [], []
        for part in parts(polygonal(geom)):
            found = _pieces(shapely.ops.split(part, cut)) if part.intersects(cut) else []
            if len(found) > 1:
                pieces.extend(found)
            else:
                kept.append(part)
        if not pieces:
            continue
        pieces.sort(key=lambda p: -p.area)
        changed[i] = polygonal(shapely.union_all([pieces[0], *kept]))
        for piece in pieces[1:]:
            new_code = next_code(taken, like=code)
            taken.append(new_code)
            new_rows.append(
                {
                    "grid_id": new_code,
                    "community_id": draft["community_id"].iloc[i],
                    "geometry": piece,
                }
            )
    if not changed:
        raise GridEditError("grids.edit.split_nothing")
    out = _with_shapes(draft, changed, ctx)
    if new_rows:
        wgs = ctx.metric.to_wgs84([r["geometry"] for r in new_rows])
        for row, geom in zip(new_rows, wgs, strict=True):
            row["geometry"] = as_multipolygon(geom)
        extra = gpd.GeoDataFrame(new_rows, geometry="geometry", crs=model.WGS84)
        out = pd.concat([out, extra], ignore_index=True)
    return model.conform("grids", out), [r["grid_id"] for r in new_rows]


def _pieces(collection) -> list:
    """The polygons of a split, largest first, each on its own (not joined again)."""
    found = [p for p in shapely.get_parts(collection) if p.geom_type == "Polygon"]
    found = [tidy(p) for p in found if p.area >= NOISE_M2]
    return sorted([p for p in found if not p.is_empty], key=lambda p: -p.area)


def _extended(line, by: float) -> LineString:
    """``line`` (metres) with its first and last segments lengthened by ``by``."""
    coords = np.asarray(line.coords, dtype=float)
    if len(coords) < 2:
        raise GridEditError("grids.edit.split_nothing")

    def push(a, b):
        direction = b - a
        norm = float(np.hypot(*direction))
        return b if norm == 0 else b + direction / norm * by

    start = push(coords[1], coords[0])
    end = push(coords[-2], coords[-1])
    return LineString([start, *coords[1:-1], end])


def set_attributes(draft: gpd.GeoDataFrame, code: str, values: dict) -> gpd.GeoDataFrame:
    """Change a grid's code, name, worker or phone (blank text is stored as empty).

    Raises GridEditError for an empty code or a code another grid has.
    """
    draft = draft.reset_index(drop=True).copy()
    at = _position(draft, code)
    clean = {}
    for name, value in values.items():
        if name not in EDITABLE:
            raise ValueError(f"{name!r} is not an editable grid field")
        text = None if value is None else str(value).strip()
        clean[name] = text or None
    new_code = clean.get("grid_id", code)
    if not new_code:
        raise GridEditError("grids.edit.code_empty")
    if new_code != code and new_code in codes_of(draft):
        raise GridEditError("grids.edit.code_taken", grid=new_code)
    for name, value in clean.items():
        draft.loc[at, name] = value
    return model.conform("grids", draft)


def _community_of(draft: pd.DataFrame) -> str | None:
    values = draft["community_id"].dropna()
    return str(values.iloc[0]) if len(values) else None


# --- drawings from the map ---------------------------------------------------------------
def apply_drawings(
    draft: gpd.GeoDataFrame, features: list[dict] | None, ctx: EditContext
) -> DrawOutcome:
    """Apply what the planner did with the map's draw tools to the draft.

    ``features`` is everything the draw layer holds (streamlit-folium's
    ``all_drawings``): the draft's grids, put there with their ``grid_id`` so their
    vertices can be edited, and any shape drawn since. A grid that is missing was
    deleted; one whose shape moved by more than :data:`UNCHANGED_M` was reshaped; a
    polygon or rectangle without a code is a new grid; a line splits the grids it
    crosses. Edits that cannot be made are refused one by one (``refused``).
    """
    outcome = DrawOutcome(draft.reset_index(drop=True))
    if features is None:
        return outcome
    known = set(codes_of(draft))
    seen: set[str] = set()
    reshaped, polygons, lines = [], [], []
    for feature in features:
        geometry = (feature or {}).get("geometry")
        try:
            drawn = shape(geometry) if geometry else None
        except (ValueError, TypeError, AttributeError, KeyError):
            drawn = None
        code = ((feature or {}).get("properties") or {}).get("grid_id")
        if drawn is None or drawn.is_empty:
            continue
        if code in known:
            seen.add(code)
            reshaped.append((code, drawn))
        elif drawn.geom_type in ("Polygon", "MultiPolygon"):
            polygons.append(drawn)
        elif drawn.geom_type in ("LineString", "MultiLineString"):
            lines.append(drawn)
    # Compared with the draft the map showed, before any edit changes a neighbour.
    shown = outcome.draft
    reshaped = [
        (code, drawn)
        for code, drawn in reshaped
        if not _same_shape(shown.geometry.iloc[_position(shown, code)], drawn, ctx)
    ]
    outcome.deleted = sorted(known - seen)
    if outcome.deleted:
        outcome.draft = delete_grids(outcome.draft, outcome.deleted)
    for code, drawn in reshaped:
        _attempt(
            outcome, lambda d, c=code, g=drawn: (reshape_grid(d, c, g, ctx), [c]), outcome.reshaped
        )
    # New codes never reuse one the draft had (a deleted grid's code stays retired).
    for drawn in polygons:
        _attempt(
            outcome,
            lambda d, g=drawn: _added(add_grid(d, g, ctx, code=next_code([*known, *codes_of(d)]))),
            outcome.added,
        )
    for drawn in lines:
        for line in shapely.get_parts(drawn):
            _attempt(
                outcome,
                lambda d, g=line: _split(split_grids(d, g, ctx, taken=known)),
                outcome.split,
            )
    return outcome


def _added(result):
    draft, code = result
    return draft, [code]


def _split(result):
    draft, new_codes = result
    return draft, new_codes


def _attempt(outcome: DrawOutcome, edit, into: list) -> None:
    try:
        outcome.draft, codes = edit(outcome.draft)
    except GridEditError as exc:
        outcome.refused.append(exc)
        return
    into.extend(codes)


def _same_shape(old, new, ctx: EditContext) -> bool:
    if old is None or old.is_empty:
        return False
    a, b = ctx.metric.to_metric([old, new])
    return bool(shapely.hausdorff_distance(a, b) <= UNCHANGED_M)


# --- grids from a file ----------------------------------------------------------------------
def read_grid_file(
    path, community_id: str, crs: str | None = None
) -> tuple[gpd.GeoDataFrame, int, list[str]]:
    """Grids from a GeoJSON, GeoPackage or zipped Shapefile, checked as the Data page does.

    Returns the good rows (in ``community_id``), how many rows were rejected, and
    notes for the planner. Raises GridEditError when no grid could be read, and
    :class:`geo.errors.ImportFileError` when the file cannot be read at all.
    """
    from pathlib import Path

    from geo.io import read_source

    good, rejected, notes = read_source(path, "grids", crs=crs, community_id=community_id)
    if good.empty:
        raise GridEditError("grids.file.no_grids", name=Path(path).name, rejected=len(rejected))
    good = good.copy()
    good["community_id"] = community_id
    return model.conform("grids", good), len(rejected), notes


def combine(draft: gpd.GeoDataFrame, incoming: gpd.GeoDataFrame, replace: bool) -> gpd.GeoDataFrame:
    """The draft with grids from a file: all replaced, or added (same code: replaced)."""
    incoming = model.conform("grids", incoming).reset_index(drop=True)
    if replace:
        return incoming
    kept = delete_grids(draft, codes_of(incoming))
    return model.conform("grids", pd.concat([kept, incoming], ignore_index=True))
