"""The headline tiles' HTML (geo/tiles.py): values, changes, help, and escaping."""

from __future__ import annotations

from geo.tiles import Tile, tiles_html


def test_values_in_order_with_their_keys():
    row = tiles_html([Tile("open", "Open", "32"), Tile("closed", "已办结", "796")])
    assert row.index('data-tile="open"') < row.index('data-tile="closed"')
    assert '<dt>Open</dt><dd class="gm-value">32</dd>' in row
    assert '<dt>已办结</dt><dd class="gm-value">796</dd>' in row
    assert "gm-delta" not in row.split("</style>")[1]  # no change given, none shown


def test_a_change_gets_its_arrow_and_whether_it_is_good_news():
    def delta(change: int, up_is_good: bool) -> str:
        tile = Tile(
            "new",
            "New",
            "81",
            delta=f"{change:+d} vs last week",
            change=change,
            up_is_good=up_is_good,
        )
        return tiles_html([tile]).split("</style>")[1]

    assert '<dd class="gm-delta gm-bad">↑ +2 vs last week</dd>' in delta(2, up_is_good=False)
    assert '<dd class="gm-delta gm-good">↓ -3 vs last week</dd>' in delta(-3, up_is_good=False)
    assert '<dd class="gm-delta gm-good">↑ +2 vs last week</dd>' in delta(2, up_is_good=True)
    assert '<dd class="gm-delta gm-flat">+0 vs last week</dd>' in delta(0, up_is_good=False)


def test_help_and_text_from_the_data_are_escaped():
    row = tiles_html([Tile("x", "<b>A&B</b>", "1 < 2", help='"12" rated')])
    body = row.split("</style>")[1]
    assert "<b>" not in body and "&lt;b&gt;A&amp;B&lt;/b&gt;" in body
    assert "1 &lt; 2" in body
    assert 'title="&quot;12&quot; rated"' in body and 'aria-label="&quot;12&quot; rated"' in body
