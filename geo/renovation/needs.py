"""Each building's facts, and the renovation needs derived from them with their reasons.

The facts of a building are its attributes (year built, floors, households,
elevator, share of elderly residents), its renovation items (:mod:`items`), the
reports linked to it in the last twelve months by the item their category feeds
(:data:`ITEM_CATEGORIES`), and the distance in metres to the nearest e-bike
charger and drying area (:mod:`coverage`).

A need is an item that is not planned or under way and has evidence behind it:
enough reports, an age past the item's service life with reports to match, a
walk-up with elderly residents, a charger or drying area too far away; or an item
marked needed. An item marked done that keeps being reported is a need to recheck.
Every need carries its reasons as translation keys with values, so a card or a
spreadsheet says them in plain words, in either language:
"Drainage — 7 reports in 12 months, built 1987, no renovation on record".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from geo.i18n import t
from geo.renovation import coverage
from geo.renovation.items import HANDLED_STATUSES, ITEMS, items_frame

# The report categories (geo/data/categories.csv) whose reports are evidence for an item.
ITEM_CATEGORIES: dict[str, tuple[str, ...]] = {
    "drains": ("drainage", "waterlogging"),
    "water_pipes": ("water_supply",),
    "gas": ("gas",),
    "roof": ("roof_wall_leak",),
    "stairwell_lighting": ("stairwell_lighting",),
    "drying_racks": ("drying",),
    "ebike_chargers": ("charging",),
    "elevator_retrofit": ("elevator",),
}
# Years after which the original works are due, for the items that wear out.
SERVICE_LIFE_YEARS = {
    "drains": 25,
    "water_pipes": 25,
    "gas": 25,
    "roof": 20,
    "stairwell_lighting": 20,
}
# Reports that do not count as evidence: not valid, or the same problem twice.
NOT_EVIDENCE = ("rejected", "duplicate")

ITEM_KEYS = {
    "drains": "buildings.item.drains",
    "water_pipes": "buildings.item.water_pipes",
    "gas": "buildings.item.gas",
    "roof": "buildings.item.roof",
    "stairwell_lighting": "buildings.item.stairwell_lighting",
    "drying_racks": "buildings.item.drying_racks",
    "ebike_chargers": "buildings.item.ebike_chargers",
    "elevator_retrofit": "buildings.item.elevator_retrofit",
}
STATUS_KEYS = {
    "needed": "buildings.status.needed",
    "planned": "buildings.status.planned",
    "in_progress": "buildings.status.in_progress",
    "done": "buildings.status.done",
}

Reason = tuple[str, dict]


@dataclass(frozen=True)
class NeedRules:
    """The thresholds behind the needs; each is shown on the page next to its effect.

    Attributes
    ----------
    months
        The window of reports counted, back from now.
    min_reports
        Reports in the window that make an item a need on their own.
    walkup_floors
        A building without an elevator of this many floors or more is a walk-up.
    elderly_share
        Share of elderly residents that makes a walk-up need an elevator.
    charger_radius_m, drying_radius_m
        How far a charger or a drying area serves.
    charger_kinds
        The charger kinds that count for the charger-access item.
    """

    months: int = 12
    min_reports: int = 3
    walkup_floors: int = 4
    elderly_share: float = 0.2
    charger_radius_m: float = coverage.DEFAULT_RADIUS_M["chargers"]
    drying_radius_m: float = coverage.DEFAULT_RADIUS_M["drying_areas"]
    charger_kinds: tuple[str, ...] = field(default=("ebike",))


def item_name(code: str, lang: str) -> str:
    """The item's name in ``lang`` (the code itself when unknown)."""
    return t(ITEM_KEYS[code], lang) if code in ITEM_KEYS else code


def status_name(code: object, lang: str) -> str:
    """The status's name in ``lang``; empty for no status."""
    if not isinstance(code, str) or not code:
        return ""
    return t(STATUS_KEYS[code], lang) if code in STATUS_KEYS else code


def window_start(now: datetime, months: int) -> pd.Timestamp:
    """The start of the last ``months`` months before ``now`` (UTC)."""
    stamp = pd.Timestamp(now)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp - pd.DateOffset(months=months)


def evidence_reports(reports: pd.DataFrame, now: datetime, months: int) -> pd.DataFrame:
    """Reports linked to a building, in the window, that count as evidence."""
    start = window_start(now, months)
    keep = (
        reports["building_id"].notna()
        & (reports["created_at"] >= start)
        & ~reports["status"].isin(NOT_EVIDENCE)
    )
    return reports[keep]


def report_counts(reports: pd.DataFrame, building_ids, now: datetime, months: int) -> pd.DataFrame:
    """Reports per building and item in the window, plus all renovation ones and all.

    Returns
    -------
    pandas.DataFrame
        Indexed by building_id (every one of ``building_ids``), columns
        ``reports_<item>`` for each item, ``reports_renovation`` (all items) and
        ``reports_all`` (every category), as ints.
    """
    recent = evidence_reports(reports, now, months)
    index = pd.Index([str(b) for b in building_ids], name="building_id")
    out = pd.DataFrame(index=index)
    item_of = {cat: item for item, cats in ITEM_CATEGORIES.items() for cat in cats}
    items = recent["category"].map(item_of)
    ids = recent["building_id"].astype(str)
    for item in ITEMS:
        counts = ids[items == item].value_counts()
        out[f"reports_{item}"] = counts.reindex(index).fillna(0).astype(int)
    out["reports_renovation"] = out[[f"reports_{i}" for i in ITEMS]].sum(axis=1)
    out["reports_all"] = ids.value_counts().reindex(index).fillna(0).astype(int)
    return out


def building_facts(
    layers: dict[str, pd.DataFrame],
    now: datetime,
    rules: NeedRules | None = None,
    epsg: int | None = None,
) -> pd.DataFrame:
    """One row per building: attributes, item statuses and years, report counts, distances.

    Parameters
    ----------
    layers
        The community's layers (buildings, reports, chargers, drying_areas, community).
    now
        The moment the twelve months run back from.
    rules
        Thresholds (:class:`NeedRules`); the defaults when None.
    epsg
        The metric CRS; by default the community's UTM zone.

    Returns
    -------
    pandas.DataFrame
        Indexed by building_id, in the buildings' order: name, address, year_built,
        floors, units, households, elevator, elderly_share, age, ``status_<item>``,
        ``year_<item>``, the :func:`report_counts` columns, charger_m, drying_m
        (metres to the nearest, inf when there is none).
    """
    rules = rules or NeedRules()
    buildings = layers["buildings"]
    epsg = epsg or coverage.metric_epsg(layers)
    ids = buildings["building_id"].astype(str)
    facts = pd.DataFrame(
        {
            "name": buildings["name"].to_numpy(),
            "address": buildings["address"].to_numpy(),
            "year_built": buildings["year_built"].to_numpy(),
            "floors": buildings["floors"].to_numpy(),
            "units": buildings["units"].to_numpy(),
            "households": buildings["households"].fillna(0).astype(int).to_numpy(),
            "elevator": buildings["elevator"].to_numpy(),
            "elderly_share": buildings["elderly_share"].to_numpy(),
        },
        index=pd.Index(ids.to_numpy(), name="building_id"),
    )
    year = pd.Timestamp(now).year
    facts["age"] = (year - pd.to_numeric(facts["year_built"], errors="coerce")).astype("Float64")
    long = items_frame(buildings)
    long["building_id"] = long["building_id"].astype(str)
    for item in ITEMS:
        rows = long[long["item"] == item].set_index("building_id")
        facts[f"status_{item}"] = rows["status"].reindex(facts.index).astype(object)
        facts[f"year_{item}"] = rows["year"].reindex(facts.index).astype("Int64")
    facts = facts.join(report_counts(layers["reports"], facts.index, now, rules.months))
    chargers = coverage.facilities_of(layers, "chargers", kinds=rules.charger_kinds)
    drying = coverage.facilities_of(layers, "drying_areas")
    facts["charger_m"] = coverage.nearest_distances(buildings, chargers, epsg, True)[0]
    facts["drying_m"] = coverage.nearest_distances(buildings, drying, epsg, True)[0]
    return facts


def _status_reason(status: object) -> Reason:
    if status == "needed":
        return ("buildings.reason.marked_needed", {})
    if status == "done":
        return ("buildings.reason.marked_done", {})
    return ("buildings.reason.no_record", {})


def _reports_reason(n: int, rules: NeedRules) -> Reason:
    if n == 1:
        return ("buildings.reason.report_one", {"months": rules.months})
    return ("buildings.reason.reports", {"n": int(n), "months": rules.months})


def _far_reason(key: str, none_key: str, metres: float, radius: float) -> Reason:
    if not np.isfinite(metres):
        return (none_key, {})
    return (key, {"m": int(round(metres)), "radius": int(round(radius))})


def _is_true(value: object) -> bool:
    return isinstance(value, bool | np.bool_) and bool(value)


def _item_need(row: pd.Series, item: str, rules: NeedRules) -> tuple[str, list[Reason]] | None:
    """(kind, reasons) when ``item`` is a need of the building in ``row``, else None."""
    status = row[f"status_{item}"]
    status = status if isinstance(status, str) else None
    if status in HANDLED_STATUSES:
        return None
    n = int(row[f"reports_{item}"])
    many = n >= rules.min_reports
    if status == "done":
        if not many:
            return None
        return "recheck", [_reports_reason(n, rules), _status_reason(status)]
    evidence: list[Reason] = [_reports_reason(n, rules)] if n else []
    strong = many
    if item in SERVICE_LIFE_YEARS:
        age = row["age"]
        if not pd.isna(age) and age >= SERVICE_LIFE_YEARS[item]:
            evidence.append(("buildings.reason.built", {"year": int(row["year_built"])}))
            strong = strong or n >= 1
    elif item == "drying_racks":
        if row["drying_m"] > rules.drying_radius_m:
            evidence.append(
                _far_reason(
                    "buildings.reason.far_drying",
                    "buildings.reason.no_drying",
                    row["drying_m"],
                    rules.drying_radius_m,
                )
            )
            strong = True
    elif item == "ebike_chargers":
        if row["charger_m"] > rules.charger_radius_m:
            evidence.append(
                _far_reason(
                    "buildings.reason.far_charger",
                    "buildings.reason.no_charger",
                    row["charger_m"],
                    rules.charger_radius_m,
                )
            )
            strong = True
    elif item == "elevator_retrofit":
        if _is_true(row["elevator"]):
            return None if status != "needed" else ("marked", [_status_reason(status)])
        floors = row["floors"]
        if pd.isna(floors) or floors < rules.walkup_floors:
            strong = False
        else:
            evidence.insert(0, ("buildings.reason.walkup", {"floors": int(floors)}))
            share = row["elderly_share"]
            if not pd.isna(share) and share >= rules.elderly_share:
                evidence.append(("buildings.reason.elderly", {"pct": int(round(share * 100))}))
                strong = True
            strong = strong or n >= 1
    if status == "needed":
        return "marked", [*evidence, _status_reason(status)]
    if not strong:
        return None
    return "evidence", [*evidence, _status_reason(status)]


def derive_needs(facts: pd.DataFrame, rules: NeedRules | None = None) -> pd.DataFrame:
    """The needs of every building, with their reasons.

    Parameters
    ----------
    facts
        :func:`building_facts`.
    rules
        The thresholds; the defaults when None.

    Returns
    -------
    pandas.DataFrame
        One row per need, buildings in the order of ``facts`` and items in
        :data:`~geo.renovation.items.ITEMS` order: building_id, item, kind
        (``marked``: marked needed; ``evidence``: derived; ``recheck``: done but still
        reported), reasons (a list of (translation key, values)).
    """
    rules = rules or NeedRules()
    rows = []
    for building_id, row in facts.iterrows():
        for item in ITEMS:
            found = _item_need(row, item, rules)
            if found is not None:
                rows.append((building_id, item, found[0], found[1]))
    return pd.DataFrame(rows, columns=["building_id", "item", "kind", "reasons"])


def reasons_text(reasons: list[Reason], lang: str) -> str:
    """The reasons joined in plain words: "7 reports in 12 months, built 1987"."""
    return t("buildings.reason.separator", lang).join(
        t(key, lang, **values) for key, values in reasons
    )


def need_text(item: str, reasons: list[Reason], lang: str) -> str:
    """One need in plain words: "Drainage — 7 reports in 12 months, built 1987, ..."."""
    return t(
        "buildings.need", lang, item=item_name(item, lang), reasons=reasons_text(reasons, lang)
    )


def needs_text(needs: pd.DataFrame, building_id: str, lang: str) -> list[str]:
    """The needs of one building in plain words, in item order."""
    mine = needs[needs["building_id"] == building_id]
    return [need_text(i, r, lang) for i, r in zip(mine["item"], mine["reasons"], strict=True)]
