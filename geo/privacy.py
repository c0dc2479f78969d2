"""Masking residents' private fields (DESIGN.md §6).

A resident's phone number and name are shown as ``138****1234`` and ``张*`` to every
role that does not need them, and in every export unless asked otherwise. Mobile
numbers a resident or a worker wrote into free text (a report's description, an
event's note) are masked the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from geo.model import is_missing

PRIVATE_REPORT_COLUMNS = ("reporter_name", "reporter_phone")
# Free text that may hold a phone number: reports.description and report_events.note.
FREE_TEXT_COLUMNS = ("description", "note")
# The layers whose rows carry what residents wrote about themselves.
PRIVATE_LAYERS = ("reports", "report_events")

_STARS = "****"
# A mainland mobile number (1[3-9] and nine more digits) standing alone in text, written
# whole or in groups of 3-4-4, optionally after the country code.
_MOBILE_IN_TEXT = re.compile(
    r"(?<![\d+])(?P<country>(?:\+|00)?86[\s-]?)?"
    r"(?P<head>1[3-9]\d)[\s-]?(?P<middle>\d{4})[\s-]?(?P<tail>\d{4})(?!\d)"
)


def map_objects(values: pd.Series, function: Callable[[object], object]) -> pd.Series:
    """``function`` applied to every value of ``values``, as an object column.

    ``Series.map`` would infer a dtype (a pandas string dtype for text) and turn the
    None that ``function`` returns into NaN; this keeps None and the index.

    Parameters
    ----------
    values
        Any column.
    function
        Called once per value, missing values included.

    Returns
    -------
    pandas.Series
        An object column indexed like ``values``.
    """
    return pd.Series([function(v) for v in values], index=values.index, dtype=object)


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
    if is_missing(phone):
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


def mask_phones_in_text(text: object) -> str | None:
    """Mask every mainland mobile number written inside free text.

    Parameters
    ----------
    text
        Text such as "请联系13812341234张先生", or None.

    Returns
    -------
    str or None
        The text with each mobile number shown as ``138****1234`` (a "+86 " before it
        stays); other text, and numbers that are not mobile numbers, are unchanged.
    """
    if is_missing(text):
        return None
    return _MOBILE_IN_TEXT.sub(
        lambda m: f"{m['country'] or ''}{m['head']}{_STARS}{m['tail']}", str(text)
    )


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
    if is_missing(name):
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
    """Return a copy of ``frame`` with residents' private details masked.

    reporter_name and reporter_phone are masked whole; mobile numbers inside the free
    text of description and note are masked where they stand. Other columns, and the
    input frame, are left as they are.
    """
    out = frame.copy()
    if "reporter_name" in out:
        out["reporter_name"] = map_objects(out["reporter_name"], mask_name)
    if "reporter_phone" in out:
        out["reporter_phone"] = map_objects(out["reporter_phone"], mask_phone)
    for column in FREE_TEXT_COLUMNS:
        if column in out:
            out[column] = map_objects(out[column], mask_phones_in_text)
    return out
