"""Shared ground of the demo modules: the community's identity, its clock, made-up people.

Everything here is used by more than one part of the demo (the layout and the
reports), so it lives apart from both.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pandas as pd

DEMO_COMMUNITY_ID = "tj-dongli-demo"
DEMO_COMMUNITY_NAME = "示范社区 Demo Community (synthetic)"
# 120110 is Dongli's district code; the prefix says the community is not real.
DEMO_COMMUNITY_CODE = "DEMO-120110"
DEMO_STREET = "东丽区 Dongli District (synthetic demo)"
DEMO_SEED = 20261125
DEMO_CENTRE = (117.31, 39.09)  # lon, lat

CST = timezone(timedelta(hours=8), "CST")  # China Standard Time: no daylight saving
HOUR, DAY = 3600.0, 86400.0

_SURNAMES = np.array(list("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"))
_GIVEN = np.array(
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 建华 玉兰 "
    "淑珍 德明 国庆 海燕 春生 立新 红梅 志强 文华 金凤 宝山 凤英 永福 小红 晓东 建国".split()
)


def now_seconds(now: datetime | None) -> int:
    """The moment the demo is taken, as whole Unix seconds.

    Parameters
    ----------
    now : a time; naive is read as China Standard Time; None means the current time.

    Returns
    -------
    int : seconds since 1970-01-01 UTC.
    """
    stamp = pd.Timestamp(datetime.now(UTC) if now is None else now)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(CST)
    return int(stamp.value // 10**9)


def phone_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """Obviously synthetic mobile numbers: 13x0000nnnn.

    Parameters
    ----------
    rng : the demo's random generator (advanced by the draw).
    n : how many numbers.

    Returns
    -------
    numpy.ndarray : ``n`` strings, dtype object.
    """
    third = rng.integers(0, 10, n).astype(str)
    tail = np.char.zfill(rng.integers(0, 10000, n).astype(str), 4)
    return np.char.add(np.char.add(np.char.add("13", third), "0000"), tail).astype(object)


def person_names(rng: np.random.Generator, n: int) -> np.ndarray:
    """Made-up Chinese names: a common surname and a common given name.

    Parameters
    ----------
    rng : the demo's random generator (advanced by the draw).
    n : how many names.

    Returns
    -------
    numpy.ndarray : ``n`` strings, dtype object.
    """
    surname = _SURNAMES[rng.integers(0, len(_SURNAMES), n)]
    given = _GIVEN[rng.integers(0, len(_GIVEN), n)]
    return np.char.add(surname, given).astype(object)


def as_time(seconds: np.ndarray) -> pd.DatetimeIndex:
    """Unix seconds (NaN for none) as UTC timestamps.

    Parameters
    ----------
    seconds : Unix seconds.

    Returns
    -------
    pandas.DatetimeIndex : time-zone aware, UTC; NaT where ``seconds`` is NaN.
    """
    return pd.to_datetime(seconds, unit="s", utc=True)


def text_column(values, n: int | None = None) -> pd.Series:
    """A text column of plain Python objects (one string repeated when given a str).

    Left alone, pandas turns text into its Arrow string type, which model.conform
    converts straight back: for 100,000 reports that round trip costs a second.

    Parameters
    ----------
    values : the strings (None allowed), or one str to repeat ``n`` times.
    n : the length when ``values`` is a single str.

    Returns
    -------
    pandas.Series : dtype object.
    """
    if isinstance(values, str):
        values = [values] * n
    return pd.Series(np.asarray(values, dtype=object), dtype=object)
