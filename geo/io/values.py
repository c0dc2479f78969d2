"""Parsing cell values to the kinds of the model: numbers, yes/no, timestamps, text."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from geo import model
from geo.exporting import DEFAULT_TZ
from geo.io.rejects import Rejects
from geo.model import is_missing
from geo.privacy import map_objects

_TRUE = {"true", "t", "yes", "y", "1", "是", "有"}
_FALSE = {"false", "f", "no", "n", "0", "否", "无"}

# --- attributes ------------------------------------------------------------------------


def check_attributes(
    table: pd.DataFrame, spec: model.Layer, rejects: Rejects, tz: str
) -> pd.DataFrame:
    """The model's columns parsed to their kinds; unparseable values reject their row."""
    out = pd.DataFrame(index=table.index)
    for column, kind in spec.columns.items():
        if column not in table.columns:
            continue
        values = table[column]
        parsed, problems = _parse_column(values, kind, tz)
        for bad, what in problems:
            for label in values.index[bad.to_numpy(dtype=bool)]:
                rejects.add([label], f"{column}: {values[label]!r} is not {what}")
        out[column] = parsed
    for column in spec.required:
        rejects.add_where(table[column].isna(), f"missing {column}")
    return out


def _parse_column(
    values: pd.Series, kind: str, tz: str
) -> tuple[pd.Series, list[tuple[pd.Series, str]]]:
    """Parse one column: its values and [(mask of bad cells, what they should be)]."""
    present = values.notna()
    if kind in (model.INT, model.FLOAT):
        numbers = pd.to_numeric(map_objects(values, _number_text), errors="coerce").astype(float)
        problems = [(present & numbers.isna(), "a number")]
        if kind == model.INT:
            problems.append((present & numbers.notna() & (numbers % 1 != 0), "a whole number"))
        return numbers, problems
    if kind == model.BOOL:
        flags = map_objects(values, _as_bool)
        return flags, [(present & flags.isna(), "yes or no")]
    if kind == model.TIME:
        times, bad = parse_times(values, tz)
        return times, [(bad, "a date and time")]
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


def parse_times(values: pd.Series, tz: str = DEFAULT_TZ) -> tuple[pd.Series, pd.Series]:
    """Parse timestamps to UTC; naive ones are taken in ``tz``.

    Parameters
    ----------
    values
        Text ("2024-05-01 08:30", "2024-05-01T08:30:00+08:00", "2024年5月1日 8:30"),
        datetimes, or a datetime column.
    tz
        The zone of times written without one.

    Returns
    -------
    times, bad
        Time-zone aware (UTC) timestamps, NaT where missing or unparseable; and a
        mask of the cells that held something that is not a date and time.
    """
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
            cache[key] = _parse_time(value, tz)
        parsed.append(cache[key])
    bad = pd.Series([p is None for p in parsed], index=values.index)
    times = pd.to_datetime(
        pd.Series([pd.NaT if p is None else p for p in parsed], index=values.index, dtype=object),
        utc=True,
    )
    return times, bad


def _parse_time(value: object, tz: str) -> pd.Timestamp | None:
    if isinstance(value, bool | int | float | np.number):
        return None  # a bare number is not a time we can trust
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
    return pd.Series([None] * len(index), index=index, dtype=object)
