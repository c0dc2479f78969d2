"""The translation tables, one module per part of the product, merged by :mod:`geo.i18n`.

Each module holds ``TEXTS = {key: {"en": ..., "zh": ...}}``. A key belongs to one
module only; :func:`merged` refuses a key defined twice.
"""

from __future__ import annotations

import importlib
import pkgutil


def merged() -> dict[str, dict[str, str]]:
    """Every module's TEXTS in one dict."""
    texts: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        table = getattr(module, "TEXTS", {})
        twice = set(table) & set(texts)
        if twice:
            raise ValueError(f"translation keys defined twice: {sorted(twice)}")
        texts.update(table)
    return texts
