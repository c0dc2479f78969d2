"""The audit log: every change to the community's layers and to users (DESIGN.md §6).

Both stores keep an append-only ``audit_log`` table filled by triggers in the
database itself, so a change made by a page, a command, or by QGIS on the same
tables is recorded in the transaction that makes it; updates and deletes of the
log are refused by the database. A row says when, who (the person acting, see
:func:`geo.access.acting`; empty for a program outside the app), the table, the
row's key, the action and the row before and after as JSON.

Bulk writes (a whole community loaded, a file of reports imported) are recorded as
one row per table with the numbers, not one row per feature; the store marks such
a transaction so the triggers step aside. The stores replace a row by deleting and
inserting it; :func:`changes` pairs the two back into one update.
"""

from __future__ import annotations

import json

import pandas as pd
import shapely

from geo import model

TABLE = "audit_log"
# The tables whose changes are recorded, with their keys.
AUDITED = {
    **{name: model.layer(name).key for name in ("community", "grids", "buildings")},
    **{name: model.layer(name).key for name in ("chargers", "drying_areas", "reports")},
    "users": "name",
}
COLUMNS = (
    "audit_id",
    "at",
    "actor",
    "community_id",
    "entity",
    "entity_id",
    "action",
    "before",
    "after",
    "tx",
)
ACTIONS = ("insert", "update", "delete", "bulk")
# Columns never copied into the log: the password hash (users.password_changed_at
# says when it changed).
SECRET_COLUMNS = ("password_hash",)


def bulk_details(deleted: int = 0, inserted: int = 0, **extra: object) -> str:
    """The JSON of a bulk row: how many rows went and came, and any details."""
    return json.dumps(
        {"deleted": int(deleted), "inserted": int(inserted), **extra}, ensure_ascii=False
    )


def _geometry_text(value: object) -> object:
    """A geometry from the log (GeoJSON from PostGIS, a hex GeoPackage blob) as WKT."""
    if isinstance(value, dict):
        return shapely.geometry.shape(value).wkt
    if isinstance(value, str) and value and all(c in "0123456789ABCDEFabcdef" for c in value):
        from geo.store import gpkg_blob

        geom = gpkg_blob.decode([bytes.fromhex(value)])[0]
        return None if geom is None else geom.wkt
    return value


def _row_values(text: object) -> dict | None:
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    values = json.loads(text) if isinstance(text, str) else dict(text)
    if "geom" in values:
        values["geometry"] = _geometry_text(values.pop("geom"))
    for secret in SECRET_COLUMNS:
        values.pop(secret, None)
    return values


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (pd.isna(a) and pd.isna(b))
    return a == b


def changes(raw: pd.DataFrame) -> pd.DataFrame:
    """The log as people read it: values parsed, a replace shown as one update.

    Parameters
    ----------
    raw
        Rows of ``audit_log`` (columns :data:`COLUMNS`; before and after as JSON
        text or dicts).

    Returns
    -------
    pandas.DataFrame
        One row per change, newest first, with ``before`` and ``after`` as dicts
        holding only the columns that changed (for an update), and ``changed``: the
        names of those columns. A delete and an insert of the same row in the same
        transaction become one update; a row deleted and inserted unchanged is left out.
    """
    columns = [*COLUMNS, "changed"]
    if raw.empty:
        return pd.DataFrame(columns=columns)
    frame = raw.copy()
    frame["before"] = [_row_values(v) for v in frame["before"]]
    frame["after"] = [_row_values(v) for v in frame["after"]]
    frame = frame.sort_values("audit_id")
    rows: list[dict] = []
    pending: dict[tuple, int] = {}  # (tx, entity, entity_id) -> index of its delete in rows
    for row in frame.to_dict("records"):
        key = (row["tx"], row["entity"], row["entity_id"])
        if row["action"] == "delete" and not pd.isna(row["tx"]):
            pending[key] = len(rows)
        elif row["action"] == "insert" and key in pending:
            deleted = rows[pending.pop(key)]
            deleted.update(action="update", after=row["after"], audit_id=row["audit_id"])
            continue
        rows.append(row)
    out = []
    for row in rows:
        before, after = row["before"] or {}, row["after"] or {}
        if row["action"] == "update":
            names = [k for k in {**before, **after} if not _same(before.get(k), after.get(k))]
            if not names:
                continue
            row["before"] = {k: before.get(k) for k in names}
            row["after"] = {k: after.get(k) for k in names}
            row["changed"] = ", ".join(names)
        else:
            row["changed"] = ""
        out.append(row)
    result = pd.DataFrame(out, columns=columns)
    result["at"] = pd.to_datetime(result["at"], utc=True, format="ISO8601")
    return result.sort_values("audit_id", ascending=False).reset_index(drop=True)


def filtered(
    log: pd.DataFrame,
    entities: list[str] | None = None,
    actors: list[str] | None = None,
    community_id: str | None = None,
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
    text: str | None = None,
) -> pd.DataFrame:
    """The rows of ``log`` (:func:`changes`) that match every filter given."""
    keep = pd.Series(True, index=log.index)
    if entities:
        keep &= log["entity"].isin(entities)
    if actors:
        keep &= log["actor"].fillna("").isin(actors)
    if community_id:
        keep &= log["community_id"] == community_id
    if since is not None:
        keep &= log["at"] >= since
    if until is not None:
        keep &= log["at"] < until
    if text:
        needle = text.casefold()
        haystack = [
            " ".join(str(v) for v in values).casefold()
            for values in zip(log["entity_id"], log["before"], log["after"], strict=True)
        ]
        keep &= pd.Series([needle in h for h in haystack], index=log.index)
    return log[keep]


def table(log: pd.DataFrame, tz: str) -> pd.DataFrame:
    """``log`` as a flat table for people and files: local times, before and after as JSON."""
    out = log.drop(columns=["tx"]).copy()
    for column in ("before", "after"):
        out[column] = [
            None if v is None else json.dumps(v, ensure_ascii=False, default=str)
            for v in out[column]
        ]
    out["at"] = out["at"].dt.tz_convert(tz).dt.strftime("%Y-%m-%d %H:%M:%S")
    return out


def csv_bytes(flat: pd.DataFrame) -> bytes:
    """:func:`table` as CSV (UTF-8 with BOM for Excel; text that looks like a formula quoted)."""
    from geo.exporting import guard_formulas

    return guard_formulas(flat).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(flat: pd.DataFrame) -> bytes:
    """:func:`table` as an .xlsx workbook of one sheet, no cell a formula."""
    import io

    import openpyxl

    from geo.exporting import formulas_as_text

    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = TABLE
    sheet.append(list(flat.columns))
    for row in flat.itertuples(index=False, name=None):
        sheet.append([None if pd.isna(v) else v for v in row])
    formulas_as_text(sheet)
    book.save(buffer)
    return buffer.getvalue()
