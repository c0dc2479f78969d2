"""Argument types shared by the ``gridmap`` subcommands (argparse ``type=`` callables)."""

from __future__ import annotations

import argparse


def whole_number(text: str) -> int:
    """A count, 0 or more; anything else is refused with argparse's own message."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def metres(text: str) -> float:
    """A distance in metres, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of metres") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value
