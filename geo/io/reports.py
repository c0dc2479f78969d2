"""What import adds to reports: category codes, status codes, due times and ratings."""

from __future__ import annotations

import re

import pandas as pd

from geo import model
from geo.categories import FALLBACK, load_categories, match_category
from geo.i18n import STATUS_NAMES
from geo.io.rejects import Rejects
from geo.io.values import nones
from geo.model import is_missing
from geo.privacy import map_objects

# Open311 GeoReport v2 knows only open and closed; an open request is a new one to us.
_STATUS_SYNONYMS = {"open": "submitted"}


def complete_reports(
    reports: pd.DataFrame, rejects: Rejects, notes: list[str], categories: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.Series]:
    """Category codes, status, due time and rating of imported reports.

    Also returns the source's category words of the rows stored as "other" (None
    for the other rows), for the note about them.
    """
    table = load_categories() if categories is None else categories
    reports = reports.copy()
    other_category = _match_categories(reports, table)
    _check_status(reports, rejects)
    sla_days = reports["category"].map(table["sla_days"]).fillna(table.at[FALLBACK, "sla_days"])
    default_due = reports["created_at"] + pd.to_timedelta(sla_days.astype(float), unit="D")
    if "due_at" in reports:
        reports["due_at"] = reports["due_at"].fillna(default_due)
    else:
        reports["due_at"] = default_due
    if "rating" in reports:
        out_of_scale = reports["rating"].notna() & ~reports["rating"].between(1, 5)
        for label in reports.index[out_of_scale.to_numpy(dtype=bool)]:
            rejects.add([label], f"rating: {reports.at[label, 'rating']:g} is not between 1 and 5")
    if "external_id" not in reports or reports["external_id"].isna().all():
        notes.append(
            "these reports have no external_id, so importing the file again would add them "
            "again; name the source's id with --map external_id=COLUMN"
        )
    return reports, other_category


def _match_categories(reports: pd.DataFrame, table: pd.DataFrame) -> pd.Series:
    """Category codes for the source's words; words not in the table become "other".

    Returns the words of the rows made "other" (None for the other rows).
    """
    text = reports["category"] if "category" in reports else nones(reports.index)
    codes = {value: match_category(value, table) for value in text.dropna().unique()}
    matched = map_objects(text, lambda v: None if is_missing(v) else codes.get(v))
    unmatched = text.notna() & matched.isna()
    if "category_text" not in reports:
        reports["category_text"] = None
    reports["category_text"] = reports["category_text"].astype(object)
    reports.loc[unmatched, "category_text"] = text[unmatched]
    reports["category"] = matched.where(matched.notna(), FALLBACK).astype(object)
    return text.where(unmatched, None).astype(object)


def _status_codes() -> dict[str, str]:
    """Status code by the words a file may use: codes, English and Chinese names, Open311."""
    codes = {_status_key(word): code for word, code in _STATUS_SYNONYMS.items()}
    for code in model.STATUSES:
        for word in (code, *STATUS_NAMES.get(code, ())):
            codes[_status_key(word)] = code
    return codes


def _status_key(word: object) -> str:
    """A status as compared: trimmed, lower case, spaces and hyphens as "_"."""
    return re.sub(r"[\s\-_]+", "_", str(word).strip().lower())


def _check_status(reports: pd.DataFrame, rejects: Rejects) -> None:
    """Status codes for the file's words (none means submitted); others reject the row."""
    given = reports["status"] if "status" in reports else nones(reports.index)
    codes = _status_codes()
    status = map_objects(
        given, lambda v: "submitted" if is_missing(v) else codes.get(_status_key(v))
    )
    unknown = status.isna()
    if unknown.any():
        names = [STATUS_NAMES[c][1] for c in model.STATUSES if c in STATUS_NAMES]
        accepted = (
            f"{', '.join(model.STATUSES)}; also {', '.join(_STATUS_SYNONYMS)} (Open311), "
            f"the names with spaces (in progress) and the Chinese names {', '.join(names)}"
        )
        for label in reports.index[unknown.to_numpy(dtype=bool)]:
            rejects.add([label], f"status: {given[label]!r} is not one of {accepted}")
    reports["status"] = status
