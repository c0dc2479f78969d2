"""Translation tables: every user-facing string, in English and Chinese.

``t(key, lang, **values)`` returns the string for ``lang`` formatted with
``values``. A missing key raises KeyError in tests (see tests/test_i18n.py), so a
string cannot be added in one language only. The tables live in :mod:`geo.texts`,
one module per part of the product.

Code that has no page or command around it (import, export, the stores) speaks in
the *message language*: :func:`message_language` is the one set with
:func:`messages_in` for the current thread or task, else ``GRIDMAP_LANG``. Errors
keep their key and values (:class:`geo.errors.GridmapError`), so a page can show
one in its own language.

Some import messages say how to put a problem right, and the command line and the
Data page do that with different controls (``--crs`` there, the "Coordinate system"
choice here). Such a message has a second text under ``<key>@page`` for the pages:
:func:`messages_in` with ``place=PAGE``, or ``GridmapError.message(lang, PAGE)``,
picks it; and a third under ``<key>@quick`` for the Reports page's import, which has
no such controls and sends the file to the Data page (``QUICK_IMPORT``).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator

from geo.config import LANGUAGES
from geo.texts import merged

TEXTS: dict[str, dict[str, str]] = merged()

# Status and category names are looked up here too, so pages never print codes.
STATUS_NAMES = {
    "submitted": ("submitted", "已提交"),
    "accepted": ("accepted", "已受理"),
    "dispatched": ("dispatched", "已派单"),
    "in_progress": ("in progress", "处理中"),
    "resolved": ("resolved", "已解决"),
    "closed": ("closed", "已办结"),
    "rejected": ("rejected", "不予受理"),
    "duplicate": ("duplicate", "重复"),
    "escalated": ("escalated", "已上报"),
    "reopened": ("reopened", "已重启"),
}
for _code, (_en, _zh) in STATUS_NAMES.items():
    TEXTS[f"status.{_code}"] = {"en": _en, "zh": _zh}

_message_language: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "gridmap_message_language", default=None
)
_message_place: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "gridmap_message_place", default=None
)

PAGE = "page"
"""The place of messages shown on a page (see the module doc)."""
QUICK_IMPORT = "quick"
"""The place of messages of the Reports page's import, which takes a file as it is:
their advice sends the file to the Data page, which has the controls."""


def t(key: str, lang: str = "en", /, **values: object) -> str:
    """The text for ``key`` in ``lang`` ('en' or 'zh'), formatted with ``values``."""
    entry = TEXTS[key]
    text = entry.get(lang if lang in LANGUAGES else "en") or entry["en"]
    return text.format(**values) if values else text


def t_or(key: str, default: str, lang: str = "en") -> str:
    """Like :func:`t`, but ``default`` when the key is unknown (codes from the data)."""
    return t(key, lang) if key in TEXTS else default


def message_language() -> str:
    """The language of messages from import, export and the stores (see module doc)."""
    chosen = _message_language.get()
    if chosen:
        return chosen
    env = os.environ.get("GRIDMAP_LANG", "en").strip().lower()
    return "zh" if env.startswith("zh") else "en"


def placed(key: str, place: str | None = None) -> str:
    """``key``'s text for ``place`` (default: the one :func:`messages_in` set), if it has one."""
    place = place or _message_place.get()
    return f"{key}@{place}" if place and f"{key}@{place}" in TEXTS else key


@contextlib.contextmanager
def messages_in(lang: str, place: str | None = None) -> Iterator[None]:
    """Within the block, :func:`msg` speaks ``lang``, in the texts for ``place``."""
    language = _message_language.set(lang if lang in LANGUAGES else "en")
    where = _message_place.set(place)
    try:
        yield
    finally:
        _message_place.reset(where)
        _message_language.reset(language)


def msg(key: str, /, **values: object) -> str:
    """The text for ``key`` in the message language (and place)."""
    return t(placed(key), message_language(), **values)
