"""Masking residents' private fields (DESIGN.md §6).

A resident's phone number and name are shown as ``138****1234`` and ``张*`` to every
role that does not need them, and in every export unless asked otherwise.
"""

from __future__ import annotations

import re

import pandas as pd

PRIVATE_REPORT_COLUMNS = ("reporter_name", "reporter_phone")
_STARS = "****"


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def mask_phone(phone: object) -> str | None:
    """Mask a phone number, keeping its first three and last four digits.

    Parameters
    ----------
    phone
        A phone number in any common notation ("13812341234", "+86 138-1234-1234",
        "022-12345678"), or None.

    Returns
    -------
    str or None
        ``"138****1234"`` for a mobile number; shorter numbers keep at most their last
        two digits; None stays None.
    """
    if _is_missing(phone):
        return None
    digits = re.sub(r"\D", "", str(phone))
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]  # a Chinese mobile number with its country code
    if not digits:
        return _STARS if str(phone).strip() else ""
    if len(digits) >= 8:
        return digits[:3] + _STARS + digits[-4:]
    if len(digits) >= 5:
        return _STARS + digits[-2:]
    return _STARS


def mask_name(name: object) -> str | None:
    """Mask a person's name, keeping only its first character.

    Parameters
    ----------
    name
        A name such as "张三" or "John Smith", or None.

    Returns
    -------
    str or None
        ``"张*"`` for 张三, ``"欧***"`` for 欧阳娜娜; a Latin name keeps the initial of
        every word (``"J*** S****"``); a one-character name becomes ``"*"``.
    """
    if _is_missing(name):
        return None
    text = str(name).strip()
    if not text:
        return ""
    words = text.split()
    if len(words) > 1:
        return " ".join(_mask_word(word) for word in words)
    return _mask_word(text)


def _mask_word(word: str) -> str:
    if len(word) == 1:
        return "*"
    return word[0] + "*" * (len(word) - 1)


def mask_private(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` with reporter_name and reporter_phone masked."""
    out = frame.copy()
    if "reporter_name" in out:
        out["reporter_name"] = _masked(out["reporter_name"], mask_name)
    if "reporter_phone" in out:
        out["reporter_phone"] = _masked(out["reporter_phone"], mask_phone)
    return out


def _masked(column: pd.Series, mask) -> pd.Series:
    # A list, not Series.map: pandas would infer a string dtype and turn None into NaN.
    return pd.Series([mask(v) for v in column], index=column.index, dtype=object)
