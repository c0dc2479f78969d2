"""The demo community: an invented estate in Tianjin's Dongli district.

示范社区 is synthetic from end to end. It stands at about 117.31 E, 39.09 N: some 60
south-facing slab buildings in rows, built in three phases between 1985 and 2015,
4,500 households in 12 grids, a few chargers and drying areas, and two years of
residents' reports with the patterns a community secretary would recognise:
waterlogging in the July–August rains, heating complaints in winter, a few buildings
whose drains fail again and again, a couple of low spots that flood, and charging
complaints where chargers are far away.

Everything is laid out in metres around an origin in the local UTM zone and moved
to WGS 84 at the end. Every name, address and phone number is made up.

The package, in the order the demo is made:

- :mod:`geo.demo.common`: the community's identity, its clock, made-up people;
- :mod:`geo.demo.layout`: the site, its buildings, grids, chargers and drying areas;
- :mod:`geo.demo.reports`: what residents report, when and where;
- :mod:`geo.demo.lifecycle`: what happens to each report, and the event log.

All of them draw from one random generator, in that order, so a seed always gives
the same community.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from geo import model
from geo.demo.common import (
    CST,
    DEMO_CENTRE,
    DEMO_COMMUNITY_CODE,
    DEMO_COMMUNITY_ID,
    DEMO_COMMUNITY_NAME,
    DEMO_SEED,
    DEMO_STREET,
    now_seconds,
)
from geo.demo.layout import build_site, static_layers
from geo.demo.reports import reports_and_events

__all__ = [
    "CST",
    "DEMO_CENTRE",
    "DEMO_COMMUNITY_CODE",
    "DEMO_COMMUNITY_ID",
    "DEMO_COMMUNITY_NAME",
    "DEMO_SEED",
    "DEMO_STREET",
    "LAYER_ORDER",
    "build_demo",
    "is_synthetic",
]

LAYER_ORDER = tuple(model.LAYERS)  # the model's order: what a layer refers to comes first


def is_synthetic(community_code: object) -> bool:
    """True for a community made by this package (its code starts with DEMO-).

    Parameters
    ----------
    community_code : the community's ``code`` (None and NaN read as no code).

    Returns
    -------
    bool
    """
    return str(community_code or "").startswith("DEMO-")


def build_demo(
    n_reports: int = 6000, seed: int = DEMO_SEED, now: datetime | None = None
) -> dict[str, pd.DataFrame]:
    """Build the synthetic demo community, every layer of :mod:`geo.model`.

    Parameters
    ----------
    n_reports : number of residents' reports over the 24 months before ``now``.
    seed : seed of the random generator; the same seed and ``now`` give the same frames.
    now : the moment the demo is "taken" (time-zone aware; naive means China Standard
        Time); defaults to the current time.

    Returns
    -------
    dict of layer name to frame, in the order community, grids, buildings, chargers,
    drying_areas, reports, report_events; each conformed to :mod:`geo.model`, geometry
    in WGS 84. Reports already carry grid_id and building_id by the rule of
    :mod:`geo.assign`; a store recomputes them on load anyway.
    """
    if n_reports < 0:
        raise ValueError(f"n_reports must be zero or more, not {n_reports}")
    rng = np.random.default_rng(seed)
    now_s = now_seconds(now)
    site = build_site(rng)
    layers: dict[str, pd.DataFrame] = dict(static_layers(rng, site))
    if n_reports:
        layers["reports"], layers["report_events"] = reports_and_events(
            rng, site, layers["grids"], layers["buildings"], n_reports, now_s
        )
    else:
        layers["reports"], layers["report_events"] = (
            model.empty("reports"),
            model.empty("report_events"),
        )
    return {name: model.conform(name, layers[name]) for name in LAYER_ORDER}
