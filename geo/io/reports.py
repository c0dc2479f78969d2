"""What import adds to reports: category codes, status codes, due times and ratings."""

from __future__ import annotations

import re

import pandas as pd

from geo import model
from geo.categories import FALLBACK, load_categories, match_category
from geo.errors import ImportFileError
from geo.i18n import STATUS_NAMES, msg
from geo.io.rejects import Rejects
from geo.io.values import nones
from geo.model import is_missing
from geo.privacy import map_objects

# Open311 GeoReport v2 knows only open and closed; an open request is a new one to us.
# Words other systems use for our statuses (Open311 GeoReport v2, common 311 exports,
# Chinese hotline systems), compared as :func:`_status_key` makes them. A report
# taken in under one of these keeps the word in status_text.
STATUS_SYNONYMS = {
    "open": "submitted",
    "new": "submitted",
    "pending": "submitted",
    "received": "submitted",
    "待受理": "submitted",
    "待处理": "submitted",
    "acknowledged": "accepted",
    "assigned": "dispatched",
    "已分派": "dispatched",
    "in_process": "in_progress",
    "processing": "in_progress",
    "work_in_progress": "in_progress",
    "办理中": "in_progress",
    "completed": "resolved",
    "fixed": "resolved",
    "done": "resolved",
    "已处理": "resolved",
    "已完成": "resolved",
    "已关闭": "closed",
    "已结案": "closed",
    "办结": "closed",
    "cancelled": "rejected",
    "canceled": "rejected",
    "withdrawn": "rejected",
    "invalid": "rejected",
    "已撤销": "rejected",
    "已取消": "rejected",
    "duplicated": "duplicate",
}


def complete_reports(
    reports: pd.DataFrame,
    rejects: Rejects,
    notes: list[str],
    categories: pd.DataFrame | None,
    status_map: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.Series]:
    """Category codes, status, due time and rating of imported reports.

    ``status_map`` gives the status of the file's own words (``{"Cancelled":
    "rejected"}``), before the codes, names and :data:`STATUS_SYNONYMS`. Also returns
    the source's category words of the rows stored as "other" (None for the other
    rows), for the note about them.
    """
    table = load_categories() if categories is None else categories
    reports = reports.copy()
    other_category = _match_categories(reports, table)
    _check_status(reports, rejects, notes, status_map or {})
    sla_days = reports["category"].map(table["sla_days"]).fillna(table.at[FALLBACK, "sla_days"])
    default_due = reports["created_at"] + pd.to_timedelta(sla_days.astype(float), unit="D")
    if "due_at" in reports:
        reports["due_at"] = reports["due_at"].fillna(default_due)
    else:
        reports["due_at"] = default_due
    if "rating" in reports:
        out_of_scale = reports["rating"].notna() & ~reports["rating"].between(1, 5)
        for label in reports.index[out_of_scale.to_numpy(dtype=bool)]:
            value = f"{reports.at[label, 'rating']:g}"
            rejects.add([label], msg("io.reason.rating", value=value))
    if "external_id" not in reports or reports["external_id"].isna().all():
        notes.append(msg("io.note.no_external_id"))
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


def status_codes(status_map: dict[str, str] | None = None) -> dict[str, str]:
    """Status code by the words a file may use, each as :func:`status_key` makes it.

    Our codes and their English and Chinese names, :data:`STATUS_SYNONYMS`, and the
    user's ``status_map`` over all of them.
    """
    codes = {status_key(word): code for word, code in STATUS_SYNONYMS.items()}
    for code in model.STATUSES:
        for word in (code, *STATUS_NAMES.get(code, ())):
            codes[status_key(word)] = code
    for word, code in (status_map or {}).items():
        if code not in model.STATUSES:
            raise ImportFileError(
                "io.map_status_unknown", word=word, status=code, known=", ".join(model.STATUSES)
            )
        codes[status_key(word)] = code
    return codes


def status_key(word: object) -> str:
    """A status as compared: trimmed, lower case, spaces and hyphens as "_"."""
    return re.sub(r"[\s\-_]+", "_", str(word).strip().lower())


def unknown_statuses(words: pd.Series, status_map: dict[str, str] | None = None) -> list[str]:
    """The distinct words of ``words`` that no status, name, synonym or mapping covers."""
    codes = status_codes(status_map)
    return sorted({str(w) for w in words.dropna().unique() if status_key(w) not in codes})


def _check_status(
    reports: pd.DataFrame, rejects: Rejects, notes: list[str], status_map: dict[str, str]
) -> None:
    """Status codes for the file's words (none means submitted); others reject the row.

    A word that is not our own code or name (a synonym, or mapped by the user) is kept
    in status_text, as category_text keeps a category's words.
    """
    given = reports["status"] if "status" in reports else nones(reports.index)
    codes = status_codes(status_map)
    own = {status_key(w) for c in model.STATUSES for w in (c, *STATUS_NAMES.get(c, ()))}
    status = map_objects(
        given, lambda v: "submitted" if is_missing(v) else codes.get(status_key(v))
    )
    unknown = status.isna()
    for label in reports.index[unknown.to_numpy(dtype=bool)]:
        rejects.add(
            [label],
            msg("io.reason.status", value=repr(given[label]), word=str(given[label])),
        )
    translated = given.notna() & status.notna() & ~map_objects(given, status_key).isin(own)
    if "status_text" not in reports:
        reports["status_text"] = None
    reports["status_text"] = reports["status_text"].astype(object)
    reports.loc[translated, "status_text"] = given[translated]
    if translated.any():
        pairs = sorted({(str(w), codes[status_key(w)]) for w in given[translated].unique()})
        shown = ", ".join(f"{w} → {c}" for w, c in pairs[:6]) + (", …" if len(pairs) > 6 else "")
        notes.append(msg("io.note.status_words", n=int(translated.sum()), pairs=shown))
    reports["status"] = status
