"""Open311 GeoReport v2: reports in and out as service requests in JSON.

Out (:func:`export_open311`): one JSON list of service requests with every field of
the GeoReport v2 ``GET service_requests`` response (:data:`FIELDS`): status open or
closed, our detailed state in status_notes (``in_progress: 处理中 in progress``),
timestamps in the community's zone with its offset (``+08:00`` in China), lat/long
in WGS 84, the description as plain text of at most 4,000 characters with mobile
numbers masked. What GeoReport has no field for (the channel, the rating, when it
was closed, the escalation level) goes in ``extended_attributes``, as the
specification's extensions do. Residents' names and phones are never written.

In (:func:`import_open311`): a list of service requests (or an object holding one
under ``service_requests``) becomes the rows of a table that goes through the same
import pipeline as a CSV file (:func:`geo.io.import_file`), so it gets the same
checks, assignment and deduplication by service_request_id: importing a file twice
adds nothing. A request without service_code, or without lat/long (an address alone
cannot be placed), is rejected with its reason; rejects are written to
``FILE.rejects.csv`` numbered by ``request`` (the first request is 1).
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from geo import model
from geo.categories import load_categories, match_category
from geo.errors import ImportFileError
from geo.exporting import DEFAULT_TZ, _write_in_place
from geo.i18n import STATUS_NAMES, msg
from geo.io.importer import ImportResult, import_file
from geo.io.readers import check_file
from geo.io.rejects import write_rejects
from geo.privacy import mask_private
from geo.store.base import Store, community_zones

# The fields of a service request in the GeoReport v2 GET service_requests response.
FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)
EXTENDED = "extended_attributes"
MAX_DESCRIPTION = 4000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOTES_STATE = re.compile(r"^\s*([a-z_]+)\s*(?::|$)")


# --- out ---------------------------------------------------------------------------------


def to_open311(
    reports: pd.DataFrame,
    events: pd.DataFrame,
    buildings: pd.DataFrame,
    zones: dict[str, str],
    categories: pd.DataFrame | None = None,
    default_tz: str = DEFAULT_TZ,
) -> list[dict]:
    """Reports as GeoReport v2 service requests.

    Parameters
    ----------
    reports
        Rows of the reports layer.
    events
        Their report_events rows (for updated_datetime: the last event's time).
    buildings
        The buildings layer (for address and address_id).
    zones
        community_id to time zone (:func:`geo.store.base.community_zones`).
    categories
        The category table (service_name is the category's English name).
    default_tz
        The zone of a community missing from ``zones``.

    Returns
    -------
    list of dict
        One request per report, in report_id order, with every field of
        :data:`FIELDS` (None where there is nothing to say) and ``extended_attributes``.
    """
    table = load_categories() if categories is None else categories
    reports = mask_private(reports)  # the one masking of DESIGN.md §6, as every export
    last_event = events.groupby("report_id")["at"].max() if len(events) else pd.Series()
    places = _building_places(buildings)
    ids = _request_ids(reports)
    requests = []
    for (_, row), request_id in zip(reports.iterrows(), ids, strict=True):
        zone = zones.get(row["community_id"], default_tz)
        updated = last_event.get(row["report_id"], row["created_at"])
        building = places.get((row["community_id"], row["building_id"]), (None, None))
        geometry = row.geometry
        present = geometry is not None and not geometry.is_empty
        status = row["status"]
        original = row["duplicate_of"]
        request = {
            "service_request_id": request_id,
            "status": "open" if status in model.OPEN_STATUSES else "closed",
            "status_notes": _status_notes(status, row["escalation_level"], original, ids, reports),
            "service_name": _text(table.at[row["category"], "name_en"])
            if row["category"] in table.index
            else _text(row["category_text"]) or _text(row["category"]),
            "service_code": _text(row["category"]),
            "description": plain_description(row["description"]),
            "agency_responsible": _text(row["assignee"]),
            "service_notice": None,
            "requested_datetime": local_time(row["created_at"], zone),
            "updated_datetime": local_time(updated, zone),
            "expected_datetime": local_time(row["due_at"], zone),
            "address": building[0],
            "address_id": _text(row["building_id"]),
            "zipcode": None,
            "lat": round(float(geometry.y), 7) if present else None,
            "long": round(float(geometry.x), 7) if present else None,
            "media_url": None,
            EXTENDED: {
                "source": _text(row["source"]),
                "grid_id": _text(row["grid_id"]),
                "escalation_level": _text(row["escalation_level"]),
                "closed_datetime": local_time(row["closed_at"], zone),
                "rating": None if model.is_missing(row["rating"]) else int(row["rating"]),
            },
        }
        requests.append(request)
    return requests


def export_open311(
    store: Store,
    path: str | Path,
    community_id: str | None = None,
    tz: str = DEFAULT_TZ,
    categories: pd.DataFrame | None = None,
) -> int:
    """Write the reports of ``store`` to ``path`` as an Open311 GeoReport v2 JSON list.

    Parameters
    ----------
    store
        The store to read.
    path
        The .json file to write (replaced when it exists; written whole or not at all).
    community_id
        Only this community (default: all).
    tz
        The zone of communities without one of their own (GRIDMAP_TZ).
    categories
        The category table.

    Returns
    -------
    int
        The number of requests written.
    """
    path = Path(path)
    reports = store.read("reports", community_id)
    events = store.read("report_events", community_id)
    buildings = store.read("buildings", community_id)
    requests = to_open311(reports, events, buildings, community_zones(store, tz), categories, tz)

    def write(target: Path) -> None:
        with open(target, "w", encoding="utf-8") as out:
            json.dump(requests, out, ensure_ascii=False, indent=1)
            out.write("\n")

    _write_in_place(path, write)
    return len(requests)


def local_time(value: object, zone: str) -> str | None:
    """A time as GeoReport writes it: ISO 8601 to the second, with the zone's offset."""
    if model.is_missing(value):
        return None
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return stamp.tz_convert(zone).floor("s").isoformat()


def plain_description(text: object) -> str | None:
    """The description as GeoReport wants it: plain text, at most 4,000 characters.

    Control characters go, and a longer text is cut with "…" as its last character.
    (Mobile numbers are masked before, with the rest of the row: :func:`to_open311`.)
    """
    if model.is_missing(text):
        return None
    clean = _CONTROL.sub("", str(text)).strip()
    if len(clean) > MAX_DESCRIPTION:
        clean = clean[: MAX_DESCRIPTION - 1] + "…"
    return clean


def _status_notes(status, level, original, ids: list[str], reports: pd.DataFrame) -> str | None:
    if model.is_missing(status):
        return None
    en, zh = STATUS_NAMES.get(status, (status, status))
    notes = f"{status}: {zh} {en}"
    if not model.is_missing(level) and level:
        notes += f"; escalation_level: {level}"
    if not model.is_missing(original):
        match = np.flatnonzero(reports["report_id"].to_numpy() == original)
        notes += f"; duplicate_of: {ids[match[0]] if len(match) else int(original)}"
    return notes


def _request_ids(reports: pd.DataFrame) -> list[str]:
    """service_request_id of each report: its external id, else ``GM-`` and its number."""
    return [
        str(ext) if not model.is_missing(ext) else f"GM-{int(rid):06d}"
        for ext, rid in zip(reports["external_id"], reports["report_id"], strict=True)
    ]


def _building_places(buildings: pd.DataFrame) -> dict:
    places = {}
    for cid, bid, name, address in buildings[
        ["community_id", "building_id", "name", "address"]
    ].itertuples(index=False):
        places[(cid, bid)] = (_text(address) or _text(name), bid)
    return places


def _text(value: object) -> str | None:
    if model.is_missing(value):
        return None
    text = str(value).strip()
    return text or None


# --- in ----------------------------------------------------------------------------------


def import_open311(
    store: Store,
    path: str | Path,
    community_id: str | None = None,
    tz: str = DEFAULT_TZ,
    categories: pd.DataFrame | None = None,
    progress=None,
) -> ImportResult:
    """Import an Open311 GeoReport v2 JSON file of service requests as reports.

    Parameters
    ----------
    store
        The store to write to.
    path
        A .json file: a list of service requests, or an object with the list under
        ``service_requests`` (or ``requests``), or one request.
    community_id, tz, categories, progress
        As for :func:`geo.io.import_file`.

    Returns
    -------
    ImportResult
        Counts and notes; ``rejects_path`` lists rejected requests by their number
        in the file (``request``, from 1) with service_request_id and reason.

    Raises
    ------
    ImportFileError
        For a file that is not JSON or holds no service requests; nothing is
        written then.
    """
    path = Path(path)
    requests = read_requests(path)
    table = load_categories() if categories is None else categories
    rows, rejected = [], []
    for number, request in enumerate(requests, start=1):
        reason = _request_problem(request)
        if reason is not None:
            rejected.append(_reject_row(number, request, reason))
        else:
            rows.append((number, _report_fields(request, table)))
    result = ImportResult("reports", 0, 0, 0, 0, None, [])
    if rows:
        with tempfile.TemporaryDirectory(prefix="gridmap-open311-") as folder:
            staged = Path(folder) / f"{path.stem}.csv"
            pd.DataFrame([fields for _, fields in rows]).to_csv(
                staged, index=False, encoding="utf-8"
            )
            result = import_file(
                store,
                "reports",
                staged,
                community_id=community_id,
                tz=tz,
                categories=table,
                progress=progress,
            )
            if result.rejects_path is not None:
                later = pd.read_csv(result.rejects_path, dtype=str, keep_default_na=False)
                for csv_row, reason in zip(later["row"], later["reason"], strict=True):
                    number = rows[int(csv_row) - 2][0]  # the header is CSV row 1
                    rejected.append(_reject_row(number, requests[number - 1], reason))
    rejects = pd.DataFrame(rejected, columns=["request", "service_request_id", "reason"])
    rejects = rejects.sort_values("request", kind="stable").reset_index(drop=True)
    rejects_path = write_rejects(path, rejects)
    return ImportResult(
        layer="reports",
        imported=result.imported,
        skipped=result.skipped,
        rejected=len(rejects),
        repaired=result.repaired,
        rejects_path=rejects_path,
        notes=result.notes,
    )


def read_requests(path: Path) -> list:
    """The service requests of an Open311 JSON file (each may be anything: checked later)."""
    check_file(path)
    try:
        with open(path, encoding="utf-8-sig") as source:
            data = json.load(source)
    except UnicodeDecodeError:
        raise ImportFileError("reports.open311.not_utf8", name=path.name) from None
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            "reports.open311.not_json", name=path.name, line=exc.lineno, reason=exc.msg
        ) from None
    if isinstance(data, dict):
        for key in ("service_requests", "requests", "service_request"):
            if isinstance(data.get(key), list):
                return data[key]
        if "service_code" in data or "service_request_id" in data:
            return [data]
    if isinstance(data, list):
        if not data:
            raise ImportFileError("io.no_rows", name=path.name)
        return data
    raise ImportFileError("reports.open311.not_requests", name=path.name)


def looks_like_open311(path: str | Path) -> bool:
    """True for a JSON file of service requests rather than GeoJSON (peeks at the file)."""
    try:
        with open(path, encoding="utf-8-sig") as source:
            data = json.load(source)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    if isinstance(data, dict):
        return data.get("type") is None and (
            isinstance(data.get("service_requests"), list)
            or "service_code" in data
            or "service_request_id" in data
        )
    return isinstance(data, list) and any(
        isinstance(item, dict) and ("service_code" in item or "service_request_id" in item)
        for item in data
    )


def _request_problem(request: object) -> str | None:
    """Why a request cannot be a report (translated), or None."""
    if not isinstance(request, dict):
        return msg("reports.open311.reason.not_object")
    if _text(request.get("service_code")) is None:
        return msg("reports.open311.reason.no_service_code")
    if _missing_number(request.get("lat")) or _missing_number(request.get("long")):
        return msg("reports.open311.reason.no_location")
    return None


def _missing_number(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _report_fields(request: dict, table: pd.DataFrame) -> dict:
    """A service request as the columns of a reports table the pipeline reads."""
    extended = request.get(EXTENDED) if isinstance(request.get(EXTENDED), dict) else {}
    code = _text(request.get("service_code"))
    category = code
    if match_category(code, table) is None:
        named = match_category(request.get("service_name"), table)
        category = named or code
    name = " ".join(
        part for part in (_text(request.get("first_name")), _text(request.get("last_name"))) if part
    )
    return {
        "external_id": _text(request.get("service_request_id")),
        "category": category,
        "description": _text(request.get("description")),
        "status": _detailed_status(request),
        "created_at": _text(request.get("requested_datetime")),
        "due_at": _text(request.get("expected_datetime")),
        "closed_at": _text(extended.get("closed_datetime")),
        "rating": _text(extended.get("rating")),
        "source": _text(extended.get("source")),
        "escalation_level": _text(extended.get("escalation_level")),
        "assignee": _text(request.get("agency_responsible")),
        "reporter_name": name or None,
        "reporter_phone": _text(request.get("phone")),
        "lon": _text(request.get("long")),
        "lat": _text(request.get("lat")),
    }


def _detailed_status(request: dict) -> str | None:
    """Our state from status_notes when it starts with one (as we export), else status."""
    notes = _text(request.get("status_notes"))
    if notes is not None:
        found = _NOTES_STATE.match(notes)
        if found and found.group(1) in model.STATUSES:
            return found.group(1)
    return _text(request.get("status"))


def _reject_row(number: int, request: object, reason: str) -> dict:
    request_id = request.get("service_request_id") if isinstance(request, dict) else None
    return {"request": number, "service_request_id": _text(request_id), "reason": reason}
