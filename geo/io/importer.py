"""Importing a file into a layer of the store: check every row, then write once.

DESIGN.md §6: nothing is lost. A bad row is rejected with its number and a short
reason, written to ``<file>.rejects.csv`` beside the input, and the good rows still
go in. A file that cannot be imported at all raises
:class:`~geo.errors.ImportFileError` with one clear line, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import model
from geo.categories import FALLBACK
from geo.config import is_known_zone
from geo.crs import parse_crs
from geo.errors import ImportFileError
from geo.exporting import DEFAULT_TZ
from geo.i18n import msg
from geo.io.columns import apply_mapping, column_notes, drop_report_ids, require_key_columns
from geo.io.geometry import check_geometries, check_range, file_system, table_geometry, to_wgs84
from geo.io.readers import (
    check_features,
    check_file,
    check_vertices,
    drop_blank_rows,
    read_any,
)
from geo.io.rejects import Rejects, rejected_rows, write_rejects
from geo.io.reports import complete_reports
from geo.io.values import as_text, check_attributes, nones
from geo.privacy import map_objects
from geo.store.base import AssignSummary, InsertSummary, Store, community_zones


@dataclass
class ImportResult:
    """What an import did.

    ``imported`` counts rows written (new or replacing a stored row with the same
    key; ``replaced`` says how many of them replaced one), ``skipped`` rows already
    present (reports with a stored external_id), ``rejected`` bad rows (listed in
    ``rejects_path``), ``repaired`` polygons fixed with ``shapely.make_valid``.
    ``reassigned`` is the reassignment of open reports after grids or buildings
    were replaced as a whole (``replace=True``).
    """

    layer: str
    imported: int
    skipped: int
    rejected: int
    repaired: int
    rejects_path: Path | None
    notes: list[str] = field(default_factory=list)
    replaced: int = 0
    reassigned: AssignSummary | None = None


@dataclass
class Checked:
    good: gpd.GeoDataFrame
    rejected: pd.DataFrame
    notes: list[str]
    repaired: int
    # The source's category words of good reports stored as "other"; None elsewhere.
    other_category: pd.Series | None = None


# --- public API ------------------------------------------------------------------------

Progress = Callable[[float, str], None]
"""Told how far an import is: the fraction done (0 to 1) and what it is doing."""


@dataclass(frozen=True)
class _Target:
    """What the store says about where the rows go."""

    known: list[str] | None = None  # the communities a row may name (None: any)
    default: str | None = None  # the community of rows that name none
    extent: tuple[float, float, float, float] | None = None  # for swapped lat/lon
    zones: dict[str, str] = field(default_factory=dict)  # community_id -> time zone


def read_source(
    path: str | Path,
    layer: str,
    crs: str | None = None,
    mapping: dict[str, str] | None = None,
    community_extent: tuple[float, float, float, float] | None = None,
    tz: str = DEFAULT_TZ,
    categories: pd.DataFrame | None = None,
    status_map: dict[str, str] | None = None,
    community_id: str | None = None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, list[str]]:
    """Read and check a file without writing anything (a preview).

    Parameters
    ----------
    path
        A .geojson/.json, .gpkg, .zip (zipped Shapefile), .kml, .csv or .xlsx file.
    layer
        The target layer of :mod:`geo.model` (e.g. "grids", "reports").
    crs
        The coordinate system of the source (see :func:`geo.crs.parse_crs`); None
        means the file's own CRS, or WGS 84 for CSV and Excel files.
    mapping
        ``{field: column}``: take the model field (or lon, lat, geometry) from the
        source column of another name. One column may feed several fields.
    community_extent
        ``(minx, miny, maxx, maxy)`` of the community in WGS 84, used to recognise
        swapped latitude and longitude columns.
    tz
        The zone of timestamps written without one.
    categories
        The category table (default: the built-in one).
    status_map
        ``{word: status}`` for report statuses the file writes in its own words
        (``{"Cancelled": "rejected"}``); common words are understood without it.
    community_id
        The community_id of rows that name none.

    Returns
    -------
    good, rejected, notes
        The good rows conformed to the model (community_id left empty where the file
        has none and ``community_id`` is not given); the rejected rows with columns
        ``row`` (the spreadsheet row of a CSV or Excel file, the header being row 1)
        or ``feature`` (the 1-based feature of a spatial file), then ``reason`` and
        the source's own columns; one-line notes for the user.

    Raises
    ------
    ImportFileError
        When the file cannot be imported at all.
    """
    target = _Target(default=community_id, extent=community_extent)
    checked = _read_checked(
        Path(path), layer, crs, mapping, tz, categories, status_map, target, _no_progress
    )
    return checked.good, checked.rejected, checked.notes + _other_category_notes(checked)


def import_file(
    store: Store,
    layer: str,
    path: str | Path,
    crs: str | None = None,
    mapping: dict[str, str] | None = None,
    community_id: str | None = None,
    tz: str = DEFAULT_TZ,
    categories: pd.DataFrame | None = None,
    replace: bool = False,
    status_map: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a file into ``layer`` of ``store``: check everything, then write once.

    Parameters
    ----------
    store
        The store to write to.
    layer, path, crs, mapping, categories, status_map
        As for :func:`read_source`.
    community_id
        The community of rows whose file has no community_id; default: the single
        community in the store. It must be in the store already (unless ``layer`` is
        "community", where it names a new community), and so must every
        community_id the file names: a row naming another community is rejected.
    tz
        The zone of timestamps written without one, for rows of a community that
        has no zone of its own (the community layer's ``tz``).
    replace
        Replace the community's whole layer with the file (for a redrawn set of grids,
        say) instead of adding rows and replacing those with the same key. Refused for
        reports, and for a file with rejected rows, since rows would be lost.
    progress
        Called as the import advances (see :data:`Progress`).

    Returns
    -------
    ImportResult
        Counts, notes and the path of the rejects file (None when nothing was
        rejected; a stale rejects file from an earlier run is removed).

    Raises
    ------
    ImportFileError
        When the file cannot be imported at all (also for a ``community_id`` that is
        not in the store); nothing is written then.
    """
    path = Path(path)
    report = progress or _no_progress
    _target_layer(layer)
    target = _target(store, layer, community_id, tz)
    checked = _read_checked(path, layer, crs, mapping, tz, categories, status_map, target, report)
    _require_community(checked.good, layer, target.known, path)
    report(0.7, msg("io.progress.writing", n=len(checked.good)))
    if replace:
        result = _replace_layer(store, layer, path, checked)
        report(1.0, msg("io.progress.done"))
        return result
    kept = None
    if checked.other_category is not None and checked.other_category.notna().any():
        kept = ~_stored_already(store, checked)  # before writing: the store skips these
    summary = _write(store, layer, checked.good)
    rejects_path = write_rejects(path, checked.rejected)
    notes = (
        checked.notes
        + _other_category_notes(checked, kept)
        + _kept_rows_note(store, layer, checked.good)
    )
    report(1.0, msg("io.progress.done"))
    return ImportResult(
        layer=layer,
        imported=summary.inserted + summary.replaced,
        skipped=summary.skipped,
        rejected=len(checked.rejected),
        repaired=checked.repaired,
        rejects_path=rejects_path,
        notes=notes,
        replaced=summary.replaced,
    )


def _no_progress(fraction: float, stage: str) -> None:
    """Progress nobody watches."""


def _target(store: Store, layer: str, community_id: str | None, tz: str) -> _Target:
    """The store's communities, the default one, its extent and every community's zone."""
    zones = community_zones(store, default=tz)
    if layer == "community":
        return _Target(default=community_id, zones=zones)
    known = store.community_ids()
    if community_id is not None and community_id not in known:
        raise ImportFileError("io.unknown_community", community=community_id, known=_listed(known))
    default = community_id
    if default is None and len(known) == 1:
        default = known[0]
    return _Target(known, default, _community_extent(store, community_id), zones)


def _replace_layer(store: Store, layer: str, path: Path, checked) -> ImportResult:
    """Swap the community's whole layer for the file's rows, then reassign open reports."""
    if layer == "reports":
        raise ImportFileError("io.replace_reports")
    rejects_path = write_rejects(path, checked.rejected)
    if rejects_path is not None:
        raise ImportFileError("io.replace_rejected", n=len(checked.rejected), path=rejects_path)
    good = checked.good
    if good.empty:
        raise ImportFileError("io.replace_empty", name=path.name, layer=layer)
    communities = sorted(set(good["community_id"].dropna().astype(str)))
    before = sum(store.count(layer, cid) for cid in communities)
    store.load_community({layer: good})
    reassigned = None
    if layer in ("grids", "buildings"):
        summaries = [store.reassign(cid, open_only=True) for cid in communities]
        reassigned = AssignSummary(
            *(sum(getattr(s, f) for s in summaries) for f in AssignSummary.__dataclass_fields__)
        )
    return ImportResult(
        layer=layer,
        imported=len(good),
        skipped=0,
        rejected=0,
        repaired=checked.repaired,
        rejects_path=None,
        notes=checked.notes,
        replaced=before,
        reassigned=reassigned,
    )


def _kept_rows_note(store: Store, layer: str, good: gpd.GeoDataFrame) -> list[str]:
    """Say so when stored grids or buildings that the file does not name stay as they were."""
    if layer not in ("grids", "buildings") or good.empty:
        return []
    key = model.layer(layer).key
    kept = 0
    for cid, rows in good.groupby(good["community_id"].astype(str)):
        kept += len(set(store.read(layer, cid)[key]) - set(rows[key].astype(str)))
    if not kept:
        return []
    return [msg("io.note.kept_rows", n=kept, layer=layer)]


# --- the pipeline ----------------------------------------------------------------------


def _read_checked(
    path: Path,
    layer: str,
    crs: str | None,
    mapping: dict[str, str] | None,
    tz: str,
    categories: pd.DataFrame | None,
    status_map: dict[str, str] | None,
    target: _Target,
    progress: Progress,
) -> Checked:
    """Read ``path`` and check every row against ``target``."""
    spec = _target_layer(layer)
    system = parse_crs(crs) if crs is not None else None
    progress(0.0, msg("io.progress.reading", name=path.name))
    check_file(path)
    source = read_any(path, spec, system)
    check_features(source, path.name)
    source = drop_blank_rows(source)
    if source.table.empty:
        raise ImportFileError("io.no_rows", name=path.name)
    progress(0.2, msg("io.progress.checking", n=len(source.table)))
    table = apply_mapping(source.table, spec, mapping, source.tabular, path.name)
    if spec.name == "community" and target.default is not None:
        table = _fill_community_id(table, target.default)
    require_key_columns(table, spec, path.name)
    rejects, notes = Rejects(source.unit), list(source.notes)
    if spec.name == "reports":
        table = drop_report_ids(table, notes)

    quotes = None
    if source.tabular:
        system = system or "wgs84"
        geometry, quotes = table_geometry(
            table, spec, system, target.extent, rejects, notes, path.name
        )
    else:
        system = system or file_system(source.crs)
        geometry = source.geometry
        for label, reason in source.unreadable.items():
            if label in table.index:
                rejects.add([label], reason)
    check_vertices(geometry, rejects, path.name)
    wgs84 = to_wgs84(geometry, system)
    check_range(wgs84, geometry, quotes, system, rejects, path.name)
    geometry, repaired = check_geometries(wgs84, spec, rejects, notes)
    progress(0.4, msg("io.progress.checking", n=len(table)))

    zones = _row_zones(table, spec, target, tz)
    attributes = check_attributes(table, spec, rejects, zones, excel=source.excel)
    if spec.name == "community":
        _check_zones(attributes, rejects)
    else:
        _check_communities(attributes, target.known, target.default, rejects)
    other_category = None
    if spec.name == "reports":
        attributes, other_category = complete_reports(
            attributes, rejects, notes, categories, status_map
        )
    _reject_duplicate_keys(attributes, spec, rejects)
    notes.extend(column_notes(table, spec))

    keep = ~rejects.mask(table.index)
    good = gpd.GeoDataFrame(
        attributes.loc[keep],
        geometry=gpd.GeoSeries(geometry.loc[keep].to_numpy(), index=table.index[keep]),
        crs=model.WGS84,
    )
    good = model.conform(spec.name, good)
    good.index = pd.RangeIndex(len(good))
    if other_category is not None:
        other_category = pd.Series(
            other_category.loc[keep].to_numpy(dtype=object), index=good.index, dtype=object
        )
    progress(0.6, msg("io.progress.checked", good=len(good), rejected=len(rejects)))
    return Checked(good, rejected_rows(source, rejects), notes, repaired, other_category)


def _fill_community_id(table: pd.DataFrame, community_id: str) -> pd.DataFrame:
    """A community file without ids (a bare boundary) takes the one given."""
    table = table.copy()
    if "community_id" not in table:
        table["community_id"] = community_id
    else:
        table["community_id"] = table["community_id"].where(
            table["community_id"].notna(), community_id
        )
    return table


def _row_zones(
    table: pd.DataFrame, spec: model.Layer, target: _Target, default: str
) -> str | pd.Series:
    """The zone of each row's naive times: its community's, else ``default``."""
    if spec.name == "community":
        if "tz" not in table:
            return default
        own = map_objects(table["tz"], as_text)
        return own.where(own.map(is_known_zone), default).astype(object)
    if not target.zones:
        return default
    given = (
        map_objects(table["community_id"], as_text)
        if "community_id" in table
        else nones(table.index)
    )
    community = given.where(given.notna(), target.default)
    return community.map(target.zones).where(lambda z: z.notna(), default).astype(object)


def _check_zones(attributes: pd.DataFrame, rejects: Rejects) -> None:
    """Reject a community whose time zone is not a zone name."""
    if "tz" not in attributes:
        return
    zones = attributes["tz"]
    for label in zones.index[(zones.notna() & ~zones.map(is_known_zone)).to_numpy(dtype=bool)]:
        rejects.add([label], msg("io.reason.bad_zone", value=repr(zones[label])))


def _target_layer(name: str) -> model.Layer:
    try:
        spec = model.layer(name)
    except KeyError:
        raise ImportFileError(
            "io.unknown_layer", layer=name, known=", ".join(model.LAYERS)
        ) from None
    if spec.geometry is None:
        raise ImportFileError("io.layer_without_geometry", layer=name)
    return spec


def _check_communities(
    attributes: pd.DataFrame,
    known: list[str] | None,
    default: str | None,
    rejects: Rejects,
) -> None:
    """Reject rows naming a community the store does not hold; fill the others' gaps."""
    if "community_id" not in attributes:
        attributes["community_id"] = nones(attributes.index)
    given = attributes["community_id"]
    if known is not None:
        unknown = given.notna() & ~given.isin(known)
        for label in given.index[unknown.to_numpy(dtype=bool)]:
            rejects.add(
                [label],
                msg("io.reason.unknown_community", value=repr(given[label]), known=_listed(known)),
            )
    if default is not None:
        attributes["community_id"] = given.where(given.notna(), default).astype(object)


def _listed(names: list[str]) -> str:
    return ", ".join(map(str, names)) if names else msg("none")


def _community_extent(store: Store, community_id: str | None):
    """The WGS 84 bounds of the community (or all communities), or None."""
    for layer in ("community", "grids"):
        frame = store.read(layer, community_id)
        if len(frame) and frame.geometry.notna().any():
            bounds = tuple(float(v) for v in frame.total_bounds)
            if all(np.isfinite(bounds)):
                return bounds
    return None


def _require_community(
    good: gpd.GeoDataFrame, layer: str, known: list[str] | None, path: Path
) -> None:
    """Refuse rows left without a community: the store holds none or several."""
    if layer == "community" or not good["community_id"].isna().any():
        return
    if not known:
        raise ImportFileError("io.no_community_yet", name=path.name)
    raise ImportFileError("io.which_community", name=path.name, n=len(known))


def _stored_already(store: Store, checked: Checked) -> pd.Series:
    """Good reports whose (community_id, external_id) the store holds: it skips them."""
    good = checked.good
    named = good["external_id"].notna() & good["community_id"].notna()
    stored: set[tuple[str, str]] = set()
    for community_id in good.loc[named, "community_id"].unique():
        frame = store.read("reports", community_id)
        stored.update(zip(frame["community_id"], frame["external_id"], strict=True))
    pairs = zip(good["community_id"], good["external_id"], strict=True)
    return pd.Series([pair in stored for pair in pairs], index=good.index)


def _write(store: Store, layer: str, good: gpd.GeoDataFrame) -> InsertSummary:
    if good.empty:
        return InsertSummary(inserted=0, skipped=0)
    if layer == "reports":
        return store.add_reports(good)
    return store.upsert(layer, good)


def _other_category_notes(checked: Checked, kept: pd.Series | None = None) -> list[str]:
    """The note on reports stored as "other", counting only the rows ``kept``.

    Rejected rows are already gone from ``checked``; ``kept`` leaves out the rows the
    store skips as already present (default: every good row).
    """
    words = checked.other_category
    if words is None:
        return []
    if kept is not None:
        words = words[kept.to_numpy(dtype=bool)]
    words = words.dropna()
    if words.empty:
        return []
    examples = ", ".join(repr(v) for v in words.unique()[:5])
    return [msg("io.note.other_category", n=len(words), examples=examples, fallback=FALLBACK)]


def _reject_duplicate_keys(attributes: pd.DataFrame, spec: model.Layer, rejects: Rejects) -> None:
    """A key given twice in one file: keep the first row, reject the others.

    The key of reports is their external_id (the store numbers report_id itself).
    """
    key = "external_id" if spec.name == "reports" else spec.key
    if key not in attributes:
        return
    keys = attributes[key]
    community = attributes.get("community_id", nones(attributes.index))
    pairs = pd.DataFrame({"community": community.fillna(""), "key": keys})
    candidates = keys.notna() & ~pd.Series(rejects.mask(attributes.index), index=attributes.index)
    pairs = pairs[candidates]
    first_row = {}
    for label, pair in zip(pairs.index, pairs.itertuples(index=False, name=None), strict=True):
        if pair in first_row:
            rejects.add(
                [label],
                msg(
                    "io.reason.duplicate_key",
                    key=key,
                    value=repr(pair[1]),
                    unit=msg(f"io.unit.{rejects.unit}"),
                    first=first_row[pair],
                ),
            )
        else:
            first_row[pair] = int(label)
