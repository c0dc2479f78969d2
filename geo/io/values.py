"""Parsing cell values to the kinds of the model: numbers, yes/no, timestamps, text."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from geo import model
from geo.exporting import DEFAULT_TZ
from geo.i18n import msg
from geo.io.rejects import Rejects
from geo.model import is_missing
from geo.privacy import map_objects

_TRUE = {"true", "t", "yes", "y", "1", "是", "有"}
_FALSE = {"false", "f", "no", "n", "0", "否", "无"}
# Excel counts days from 1899-12-30 (its day 60, 1900-02-29, never existed); 1 is
# 1900-01-01 and 2,958,465 is 9999-12-31, the last day Excel shows.
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_FIRST, _EXCEL_LAST = 1, 2_958_465

# --- attributes ------------------------------------------------------------------------


def check_attributes(
    table: pd.DataFrame,
    spec: model.Layer,
    rejects: Rejects,
    tz: str | pd.Series,
    excel: bool = False,
) -> pd.DataFrame:
    """The model's columns parsed to their kinds; unparseable values reject their row.

    ``tz`` is the zone of times written without one: one zone, or one per row (the
    zone of each row's community). With ``excel`` a number in a time column is an
    Excel serial date.
    """
    out = pd.DataFrame(index=table.index)
    for column, kind in spec.columns.items():
        if column not in table.columns:
            continue
        values = table[column]
        parsed, problems = _parse_column(values, kind, tz, excel)
        for bad, what in problems:
            for label in values.index[bad.to_numpy(dtype=bool)]:
                rejects.add(
                    [label],
                    msg("io.reason.not_kind", column=column, value=repr(values[label]), what=what),
                )
        out[column] = parsed
    for column in spec.required:
        rejects.add_where(table[column].isna(), msg("io.reason.missing", column=column))
    return out


def _parse_column(
    values: pd.Series, kind: str, tz: str | pd.Series, excel: bool
) -> tuple[pd.Series, list[tuple[pd.Series, str]]]:
    """Parse one column: its values and [(mask of bad cells, what they should be)]."""
    present = values.notna()
    if kind in (model.INT, model.FLOAT):
        numbers = pd.to_numeric(map_objects(values, _number_text), errors="coerce").astype(float)
        problems = [(present & numbers.isna(), msg("io.kind.number"))]
        if kind == model.INT:
            whole = present & numbers.notna() & (numbers % 1 != 0)
            problems.append((whole, msg("io.kind.whole_number")))
        return numbers, problems
    if kind == model.BOOL:
        flags = map_objects(values, _as_bool)
        return flags, [(present & flags.isna(), msg("io.kind.yes_no"))]
    if kind == model.TIME:
        times, bad = parse_times(values, tz, excel_serials=excel)
        return times, [(bad, msg("io.kind.time"))]
    return map_objects(values, as_text), []


def as_text(value: object) -> str | None:
    """Text of a cell; a whole float (a code read as 12.0) loses its ".0"."""
    if is_missing(value):
        return None
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _number_text(value: object) -> object:
    if isinstance(value, str):
        return value.replace(",", "").replace("，", "")
    if isinstance(value, bool):
        return None  # True is not a count of floors
    return value


def _as_bool(value: object) -> bool | None:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if value is None:
        return None
    if isinstance(value, int | float | np.number):
        return {1: True, 0: False}.get(value)
    text = str(value).strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


def parse_times(
    values: pd.Series, tz: str | pd.Series = DEFAULT_TZ, excel_serials: bool = False
) -> tuple[pd.Series, pd.Series]:
    """Parse timestamps to UTC; naive ones are taken in ``tz``.

    Parameters
    ----------
    values
        Text ("2024-05-01 08:30", "2024-05-01T08:30:00+08:00", "2024年5月1日 8:30"),
        datetimes, or a datetime column.
    tz
        The zone of times written without one: one zone, or a Series of zones
        indexed like ``values`` (rows of communities in different zones).
    excel_serials
        Read numbers as Excel serial dates (days since 1899-12-30, the fraction
        being the time of day), as a spreadsheet cell without a date format holds
        them. Otherwise a bare number is not a time.

    Returns
    -------
    times, bad
        Time-zone aware (UTC) timestamps, NaT where missing or unparseable; and a
        mask of the cells that held something that is not a date and time.
    """
    if isinstance(tz, pd.Series):
        return _parse_times_by_zone(values, tz, excel_serials)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert("UTC"), pd.Series(False, index=values.index)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        local = values.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
        return local.dt.tz_convert("UTC"), pd.Series(False, index=values.index)
    cache: dict[object, pd.Timestamp | None] = {}
    parsed = []
    for value in values:
        if value is None:
            parsed.append(pd.NaT)
            continue
        key = value if isinstance(value, str) else repr(value)
        if key not in cache:
            cache[key] = _parse_time(value, tz, excel_serials)
        parsed.append(cache[key])
    bad = pd.Series([p is None for p in parsed], index=values.index)
    times = pd.to_datetime(
        pd.Series([pd.NaT if p is None else p for p in parsed], index=values.index, dtype=object),
        utc=True,
    )
    return times, bad


def _parse_times_by_zone(
    values: pd.Series, zones: pd.Series, excel_serials: bool
) -> tuple[pd.Series, pd.Series]:
    times = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    bad = pd.Series(False, index=values.index)
    for zone, rows in zones.groupby(zones, sort=False).groups.items():
        parsed, wrong = parse_times(values.loc[rows], str(zone), excel_serials)
        times.loc[rows] = parsed.astype(times.dtype)
        bad.loc[rows] = wrong.to_numpy()
    return times, bad


def _parse_time(value: object, tz: str, excel_serials: bool = False) -> pd.Timestamp | None:
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | float | np.number):
        if not excel_serials or not _EXCEL_FIRST <= value <= _EXCEL_LAST:
            return None  # a bare number is not a time we can trust
        value = _EXCEL_EPOCH + pd.Timedelta(days=float(value))
        value = value.round("s")  # serials carry float noise below a second
    if isinstance(value, str):
        value = re.sub(r"(\d)\s*[年月]\s*", r"\1-", value)
        value = re.sub(r"(\d)\s*日\s*", r"\1 ", value).strip()
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        return None
    if stamp is pd.NaT:
        return None
    if stamp.tzinfo is None:
        try:
            stamp = stamp.tz_localize(tz)
        except (ValueError, OverflowError):
            return None
    return stamp.tz_convert("UTC")


def nones(index: pd.Index) -> pd.Series:
    """A column of None (object dtype) for ``index``."""
    return pd.Series([None] * len(index), index=index, dtype=object)
