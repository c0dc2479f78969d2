"""A row of headline figures (label, number, change) as one HTML element.

The Overview's seven tiles were seven ``st.metric`` elements in seven columns: sixteen
elements, each another render in the browser before the map below them is drawn. As
one ``st.html`` element they show the same, and in alternating Chromium loads of the
Overview the map came 0.06 to 0.2 s sooner (benchmarks/bench_overview_browser.py).
The look follows ``st.metric``; colours are translucent or inherited, so the row reads
in the light and the dark theme alike.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

STYLE = """
<style>
/* !important: Streamlit indents lists inside st.html. */
.gm-tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(7rem, 1fr));
  column-gap: 1rem; margin: 0 !important; padding: 0 !important; }
/* Each tile spans three rows of the row's grid (label, value, change), so values line up
   even where a label wraps. */
.gm-tile { margin: 0; padding: 0; min-width: 0; display: grid; grid-row: span 3;
  grid-template-rows: subgrid; align-items: end; }
.gm-tile .gm-delta { align-self: start; justify-self: start; }
.gm-tile dt { margin: 0; padding: 0; font-size: 0.875rem; line-height: 1.6; opacity: 0.8;
  font-weight: normal; }
.gm-tile dd { margin: 0; }
.gm-tile .gm-value { font-size: 2.25rem; line-height: 1.3; white-space: nowrap; }
.gm-help { display: inline-block; width: 1rem; height: 1rem; margin-left: 0.3rem;
  border: 1px solid currentColor; border-radius: 50%; font-size: 0.7rem; line-height: 0.9rem;
  text-align: center; cursor: help; }
.gm-delta { display: inline-block; font-size: 0.875rem; padding: 0 0.4rem;
  border-radius: 0.5rem; }
.gm-delta.gm-bad { color: rgb(221, 52, 52); background: rgba(255, 43, 43, 0.1); }
.gm-delta.gm-good { color: rgb(33, 160, 72); background: rgba(33, 195, 84, 0.1); }
.gm-delta.gm-flat { background: rgba(128, 128, 128, 0.15); }
</style>
"""


@dataclass(frozen=True)
class Tile:
    """One figure: ``value`` as shown, and optionally its change and a help text.

    ``change`` is the signed number the ``delta`` text describes; it picks the arrow
    and, with ``up_is_good``, the colour (more new reports is bad news).
    """

    key: str
    label: str
    value: str
    delta: str | None = None
    change: float = 0.0
    up_is_good: bool = True
    help: str | None = None


def _delta(tile: Tile) -> str:
    if tile.delta is None:
        return ""
    if tile.change == 0:
        arrow, mood = "", "gm-flat"
    else:
        arrow = "↑ " if tile.change > 0 else "↓ "
        mood = "gm-good" if (tile.change > 0) == tile.up_is_good else "gm-bad"
    return f'<dd class="gm-delta {mood}">{arrow}{html.escape(tile.delta)}</dd>'


def _tile(tile: Tile) -> str:
    help_mark = (
        f'<span class="gm-help" title="{html.escape(tile.help)}" role="img" '
        f'aria-label="{html.escape(tile.help)}">?</span>'
        if tile.help
        else ""
    )
    return (
        f'<div class="gm-tile" data-tile="{html.escape(tile.key)}">'
        f"<dt>{html.escape(tile.label)}{help_mark}</dt>"
        f'<dd class="gm-value">{html.escape(tile.value)}</dd>'
        f"{_delta(tile)}</div>"
    )


def tiles_html(tiles: Iterable[Tile]) -> str:
    """The tiles as one HTML fragment for ``st.html``: a description list, styled."""
    return STYLE + '<dl class="gm-tiles">' + "".join(_tile(t) for t in tiles) + "</dl>"
