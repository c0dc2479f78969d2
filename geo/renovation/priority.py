"""The priority score: a transparent weighted sum, with what each part contributed.

Every part is a number from 0 to 1 that a person can check by hand:

=============  ===============================================================
reports        renovation reports in the window ÷ the most any building has
needs          needs derived (:mod:`needs`) ÷ the number of items (8)
age            years since built ÷ 50, at most 1
elderly        share of elderly residents ÷ the largest share in the community
households     households ÷ the most any building has
charger        1 when the nearest e-bike charger is beyond its radius, else 0
drying         1 when the nearest drying area is beyond its radius, else 0
=============  ===============================================================

score = 100 × Σ weightᵢ × partᵢ ÷ Σ weightᵢ, so it runs from 0 to 100 and each
part's contribution, 100 × weightᵢ × partᵢ ÷ Σ weightᵢ, adds up to the score.
Ties are broken by building_id, so the same data and weights give the same list.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.errors import GridmapError
from geo.renovation.items import ITEMS
from geo.renovation.needs import NeedRules

PARTS = ("reports", "needs", "age", "elderly", "households", "charger", "drying")
DEFAULT_WEIGHTS: dict[str, float] = {
    "reports": 3.0,
    "needs": 3.0,
    "age": 2.0,
    "elderly": 1.0,
    "households": 1.0,
    "charger": 1.0,
    "drying": 1.0,
}
AGE_FULL_YEARS = 50.0
PART_KEYS = {
    "reports": "buildings.part.reports",
    "needs": "buildings.part.needs",
    "age": "buildings.part.age",
    "elderly": "buildings.part.elderly",
    "households": "buildings.part.households",
    "charger": "buildings.part.charger",
    "drying": "buildings.part.drying",
}
PART_HELP_KEYS = {part: key + "_help" for part, key in PART_KEYS.items()}


def checked_weights(weights: dict[str, float] | None) -> dict[str, float]:
    """The weights of every part (defaults for those not given); negative ones refused."""
    out = dict(DEFAULT_WEIGHTS)
    for name, value in (weights or {}).items():
        if name not in PARTS:
            raise GridmapError("buildings.unknown_part", part=name, known=", ".join(PARTS))
        value = float(value)
        if not np.isfinite(value) or value < 0:
            raise GridmapError("buildings.negative_weight", part=name, value=value)
        out[name] = value
    return out


def _share_of_max(values: pd.Series) -> pd.Series:
    values = pd.to_numeric(values, errors="coerce").astype(float).fillna(0.0).clip(lower=0)
    top = values.max() if len(values) else 0.0
    return values / top if top > 0 else values * 0.0


def score_parts(
    facts: pd.DataFrame, needs: pd.DataFrame, rules: NeedRules | None = None
) -> pd.DataFrame:
    """Each building's parts, from 0 to 1 (see the module doc).

    Parameters
    ----------
    facts
        :func:`geo.renovation.needs.building_facts`.
    needs
        :func:`geo.renovation.needs.derive_needs` of the same facts.
    rules
        The radii the charger and drying parts use; the defaults when None.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``facts``, one float column per part in :data:`PARTS`.
    """
    rules = rules or NeedRules()
    n_needs = needs.groupby("building_id").size().reindex(facts.index).fillna(0)
    age = pd.to_numeric(facts["age"], errors="coerce").astype(float)
    return pd.DataFrame(
        {
            "reports": _share_of_max(facts["reports_renovation"]),
            "needs": n_needs.astype(float) / len(ITEMS),
            "age": (age.clip(lower=0, upper=AGE_FULL_YEARS) / AGE_FULL_YEARS).fillna(0.0),
            "elderly": _share_of_max(facts["elderly_share"]),
            "households": _share_of_max(facts["households"]),
            "charger": (facts["charger_m"] > rules.charger_radius_m).astype(float),
            "drying": (facts["drying_m"] > rules.drying_radius_m).astype(float),
        },
        index=facts.index,
    )


def rank(
    facts: pd.DataFrame,
    needs: pd.DataFrame,
    weights: dict[str, float] | None = None,
    rules: NeedRules | None = None,
) -> pd.DataFrame:
    """The buildings ranked by priority, with each part's value and contribution.

    Parameters
    ----------
    facts, needs
        :func:`~geo.renovation.needs.building_facts` and
        :func:`~geo.renovation.needs.derive_needs`.
    weights
        Part name to weight (0 or more); parts not given keep
        :data:`DEFAULT_WEIGHTS`.
    rules
        The thresholds the facts and needs were made with.

    Returns
    -------
    pandas.DataFrame
        Indexed by building_id, highest score first (ties by building_id): rank
        (1, 2, ...), score (0–100), ``part_<name>`` (0–1) and ``contrib_<name>``
        (points, adding up to the score) for each part, and needs (how many).
    """
    w = checked_weights(weights)
    parts = score_parts(facts, needs, rules)
    total = sum(w.values())
    out = pd.DataFrame(index=facts.index)
    for name in PARTS:
        out[f"part_{name}"] = parts[name]
        out[f"contrib_{name}"] = 100.0 * w[name] * parts[name] / total if total > 0 else 0.0
    out["score"] = out[[f"contrib_{name}" for name in PARTS]].sum(axis=1)
    out["needs"] = needs.groupby("building_id").size().reindex(facts.index).fillna(0).astype(int)
    order = np.lexsort((out.index.to_numpy(dtype=str), -out["score"].round(9).to_numpy()))
    out = out.iloc[order]
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def score_classes(ranks: pd.Series, n: int = 5) -> pd.Series:
    """Class n-1 for the top fifth (with n = 5) of the ranking down to 0 for the last.

    Parameters
    ----------
    ranks
        The ``rank`` column of :func:`rank` (1 is the highest priority).
    n
        How many classes.

    Returns
    -------
    pandas.Series
        Ints from 0 to n-1, indexed like ``ranks``.
    """
    if len(ranks) == 0:
        return ranks.astype(int)
    position = (ranks.astype(float) - 1) / len(ranks)  # 0 for the first, below 1 for the last
    return (n - 1 - np.floor(position * n)).astype(int)
