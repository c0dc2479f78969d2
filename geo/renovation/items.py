"""A building's renovation items: their status and planned year, kept as JSON.

The buildings layer has a text column ``renovation`` (:mod:`geo.model`). Two forms
are read; the second is the one written:

- the first form, one status per item: ``{"drains": "needed", "roof": "done"}``;
- status and planned year per item:
  ``{"drains": {"status": "planned", "year": 2026}, "roof": {"status": "done"}}``.

Items are known by a code (:data:`ITEMS`); a few other spellings are read as the
same item (:data:`ITEM_ALIASES`). Items this module does not know are kept as they
were whenever a building is saved, so nothing another tool wrote is lost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from geo import model
from geo.errors import GridmapError

# The renovation items of DESIGN.md §2, in the order a card lists them.
ITEMS = (
    "drains",
    "water_pipes",
    "gas",
    "roof",
    "stairwell_lighting",
    "drying_racks",
    "ebike_chargers",
    "elevator_retrofit",
)
ITEM_STATUSES = ("needed", "planned", "in_progress", "done")
# An item in one of these is being taken care of: it is not a new need.
HANDLED_STATUSES = ("planned", "in_progress")

ITEM_ALIASES = {
    "drainage": "drains",
    "drain": "drains",
    "water_pipe": "water_pipes",
    "water_supply": "water_pipes",
    "pipes": "water_pipes",
    "roof_walls": "roof",
    "roof_wall": "roof",
    "roof_and_walls": "roof",
    "walls": "roof",
    "stairwell": "stairwell_lighting",
    "drying": "drying_racks",
    "chargers": "ebike_chargers",
    "charger_access": "ebike_chargers",
    "charging": "ebike_chargers",
    "elevator": "elevator_retrofit",
    "elevators": "elevator_retrofit",
}
STATUS_ALIASES = {
    "in progress": "in_progress",
    "in-progress": "in_progress",
    "ongoing": "in_progress",
    "todo": "needed",
    "need": "needed",
    "completed": "done",
    "finished": "done",
    "待改造": "needed",
    "需改造": "needed",
    "计划": "planned",
    "已计划": "planned",
    "施工中": "in_progress",
    "改造中": "in_progress",
    "已完成": "done",
    "完成": "done",
}
YEAR_RANGE = (1900, 2100)


@dataclass(frozen=True)
class ItemState:
    """One renovation item of one building.

    Attributes
    ----------
    status
        One of :data:`ITEM_STATUSES`, or None when nothing is recorded.
    year
        The planned (or, when done, the completion) year, or None.
    """

    status: str | None = None
    year: int | None = None

    @property
    def is_empty(self) -> bool:
        return self.status is None and self.year is None


def item_code(name: object) -> str | None:
    """The item code of ``name`` (a code or an alias), or None when unknown."""
    text = str(name).strip().lower().replace(" ", "_").replace("-", "_")
    text = ITEM_ALIASES.get(text, text)
    return text if text in ITEMS else None


def status_code(value: object) -> str | None:
    """The status code of ``value`` (a code, an English or Chinese word), or None."""
    if model.is_missing(value):
        return None
    text = str(value).strip().lower()
    text = STATUS_ALIASES.get(text, text).replace(" ", "_")
    return text if text in ITEM_STATUSES else None


def year_value(value: object) -> int | None:
    """A plausible year as int (1900–2100), else None."""
    if model.is_missing(value) or isinstance(value, bool):
        return None
    try:
        year = int(float(str(value).strip()))
    except ValueError:
        return None
    return year if YEAR_RANGE[0] <= year <= YEAR_RANGE[1] else None


def _load(text: object) -> dict:
    if model.is_missing(text) or not str(text).strip():
        return {}
    try:
        data = json.loads(str(text))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def read_items(text: object) -> dict[str, ItemState]:
    """The known items recorded in a ``renovation`` value.

    Parameters
    ----------
    text
        The JSON text, in either form (see the module doc); None, empty text or text
        that is not a JSON object reads as no items.

    Returns
    -------
    dict
        Item code to :class:`ItemState`, for the items recorded, in :data:`ITEMS`
        order. An unknown status reads as None.
    """
    found: dict[str, ItemState] = {}
    for name, value in _load(text).items():
        code = item_code(name)
        if code is None:
            continue
        if isinstance(value, dict):
            state = ItemState(status_code(value.get("status")), year_value(value.get("year")))
        else:
            state = ItemState(status_code(value))
        if not state.is_empty or code not in found:
            found[code] = state
    return {code: found[code] for code in ITEMS if code in found}


def write_items(items: dict[str, ItemState], previous: object = None) -> str:
    """The ``renovation`` JSON for ``items``, keeping what ``previous`` held beyond them.

    Parameters
    ----------
    items
        Item code to :class:`ItemState`; every known item not named, or named with
        an empty state, is left out (nothing recorded).
    previous
        The value being replaced: its entries that are not known items (another
        tool's) are kept as they were.

    Returns
    -------
    str
        JSON in the second form, known items first in :data:`ITEMS` order.
    """
    unknown = [name for name in items if name not in ITEMS]
    if unknown:
        raise ValueError(f"unknown renovation items: {', '.join(map(str, unknown))}")
    out: dict[str, object] = {}
    for code in ITEMS:
        state = items.get(code)
        if state is None or state.is_empty:
            continue
        entry: dict[str, object] = {}
        if state.status is not None:
            if state.status not in ITEM_STATUSES:
                raise ValueError(f"unknown renovation status {state.status!r}")
            entry["status"] = state.status
        if state.year is not None:
            entry["year"] = int(state.year)
        out[code] = entry
    for name, value in _load(previous).items():
        if item_code(name) is None:
            out[name] = value
    return json.dumps(out, ensure_ascii=False)


def items_frame(buildings: pd.DataFrame) -> pd.DataFrame:
    """Every building's items, one row per building and known item.

    Parameters
    ----------
    buildings
        The buildings layer (``building_id``, ``renovation``).

    Returns
    -------
    pandas.DataFrame
        Columns building_id, item, status, year; an item with nothing recorded has
        status and year missing.
    """
    rows = []
    for building_id, text in zip(buildings["building_id"], buildings["renovation"], strict=True):
        recorded = read_items(text)
        for code in ITEMS:
            state = recorded.get(code, ItemState())
            rows.append((building_id, code, state.status, state.year))
    frame = pd.DataFrame(rows, columns=["building_id", "item", "status", "year"])
    frame["status"] = frame["status"].astype(object)
    frame["year"] = pd.array(frame["year"], dtype="Int64")
    return frame


def status_table(buildings: pd.DataFrame) -> pd.DataFrame:
    """Each building's item statuses as columns: index building_id, one column per item."""
    long = items_frame(buildings)
    wide = long.pivot(index="building_id", columns="item", values="status")
    return wide.reindex(columns=list(ITEMS)).astype(object)


def save_items(
    store,
    community_id: str,
    building_id: str,
    items: dict[str, ItemState],
    expected: object = None,
    check: bool = True,
) -> str:
    """Write one building's items to the store (``store.upsert("buildings", ...)``).

    Parameters
    ----------
    store
        A :class:`geo.store.Store`.
    community_id, building_id
        The building.
    items
        The building's known items as they should be now (see :func:`write_items`).
    expected
        The ``renovation`` value the editor started from. When ``check`` is set and
        the stored items differ from it (someone saved in between), nothing is
        written and a :class:`~geo.errors.GridmapError` says so.
    check
        Whether to compare with ``expected``.

    Returns
    -------
    str
        The JSON written.

    Raises
    ------
    GridmapError
        No such building, or it was changed meanwhile.
    """
    buildings = store.read("buildings", community_id)
    row = buildings[buildings["building_id"].astype(str) == str(building_id)]
    if row.empty:
        raise GridmapError("buildings.not_found", building=building_id)
    current = row["renovation"].iloc[0]
    if check and _load(current) != _load(expected):
        raise GridmapError("buildings.edit_conflict", building=building_id)
    text = write_items(items, current)
    changed = row.copy()
    changed["renovation"] = text
    store.upsert("buildings", changed)
    return text
