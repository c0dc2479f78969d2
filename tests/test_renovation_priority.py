"""The needs and their reasons, and the priority score: reproducible, and its parts add up."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from geo.errors import GridmapError
from geo.i18n import TEXTS
from geo.renovation import needs, priority
from geo.renovation.items import ITEM_STATUSES, ITEMS

NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def ranked_demo(demo_layers):
    facts = needs.building_facts(demo_layers, NOW)
    found = needs.derive_needs(facts)
    return facts, found, priority.rank(facts, found)


def test_the_parts_add_up_to_the_score_and_stay_in_range(ranked_demo):
    _, _, ranked = ranked_demo
    contributions = ranked[[f"contrib_{p}" for p in priority.PARTS]].sum(axis=1)
    np.testing.assert_allclose(contributions, ranked["score"], rtol=0, atol=1e-9)
    parts = ranked[[f"part_{p}" for p in priority.PARTS]]
    assert ((parts >= 0) & (parts <= 1)).all().all()
    assert ranked["score"].between(0, 100).all()
    weights = priority.DEFAULT_WEIGHTS
    total = sum(weights.values())
    for p in priority.PARTS:
        np.testing.assert_allclose(
            ranked[f"contrib_{p}"], 100 * weights[p] * ranked[f"part_{p}"] / total
        )
    assert list(ranked["rank"]) == list(range(1, len(ranked) + 1))
    assert ranked["score"].is_monotonic_decreasing


def test_the_ranking_is_reproducible_whatever_the_row_order(demo_layers, ranked_demo):
    facts, found, ranked = ranked_demo
    again = priority.rank(facts, found)
    pd.testing.assert_frame_equal(ranked, again)
    order = np.random.default_rng(3).permutation(len(demo_layers["buildings"]))
    shuffled = dict(demo_layers, buildings=demo_layers["buildings"].iloc[order])
    facts2 = needs.building_facts(shuffled, NOW)
    ranked2 = priority.rank(facts2, needs.derive_needs(facts2))
    pd.testing.assert_frame_equal(ranked, ranked2, check_exact=False)


def test_weights_change_the_order_and_a_zero_weight_removes_a_part(ranked_demo):
    facts, found, _ = ranked_demo
    only_households = {p: 0.0 for p in priority.PARTS} | {"households": 1.0}
    ranked = priority.rank(facts, found, only_households)
    top = facts["households"].max()
    assert facts.loc[ranked.index[0], "households"] == top
    np.testing.assert_allclose(ranked["score"], 100 * facts.loc[ranked.index, "households"] / top)
    assert (ranked["contrib_reports"] == 0).all()
    nothing = priority.rank(facts, found, {p: 0.0 for p in priority.PARTS})
    assert (nothing["score"] == 0).all()
    assert list(nothing.index) == sorted(nothing.index)  # ties broken by building_id


@pytest.mark.parametrize("weights", [{"age": -1}, {"age": float("nan")}, {"colour": 1}])
def test_bad_weights_are_refused(ranked_demo, weights):
    facts, found, _ = ranked_demo
    with pytest.raises(GridmapError):
        priority.rank(facts, found, weights)


def test_score_classes_split_the_ranking_in_fifths():
    ranks = pd.Series(range(1, 11))
    assert list(priority.score_classes(ranks)) == [4, 4, 3, 3, 2, 2, 1, 1, 0, 0]
    assert priority.score_classes(pd.Series([], dtype=int)).empty


def _facts(**row) -> pd.DataFrame:
    """One building's facts: an old walk-up with nothing recorded and no report."""
    base = {
        "name": "1号楼",
        "address": "",
        "year_built": 1987,
        "floors": 6,
        "units": 3,
        "households": 36,
        "elevator": False,
        "elderly_share": 0.1,
        "age": 39.0,
        "charger_m": 50.0,
        "drying_m": 50.0,
        "reports_renovation": 0,
        "reports_all": 0,
    }
    for item in ITEMS:
        base[f"status_{item}"] = None
        base[f"year_{item}"] = pd.NA
        base[f"reports_{item}"] = 0
    base.update(row)
    return pd.DataFrame([base], index=pd.Index(["B1"], name="building_id"))


def _words(facts, lang="en") -> list[str]:
    return needs.needs_text(needs.derive_needs(facts), "B1", lang)


def test_the_issue_s_example_reads_in_plain_words():
    facts = _facts(reports_drains=7)
    assert _words(facts) == [
        "Drainage — 7 reports in 12 months, built 1987, no renovation on record"
    ]
    assert _words(facts, "zh") == ["排水管道——12 个月内 7 件诉求，1987 年建成，无改造记录"]


def test_no_evidence_no_need_and_planned_items_are_not_needs():
    assert _words(_facts()) == []
    assert _words(_facts(reports_drains=2, age=10.0, year_built=2016)) == []
    assert _words(_facts(reports_drains=9, status_drains="planned")) == []
    assert _words(_facts(reports_drains=9, status_drains="in_progress")) == []


def test_done_but_still_reported_is_a_need_to_recheck():
    found = needs.derive_needs(_facts(reports_roof=4, status_roof="done"))
    assert list(found["kind"]) == ["recheck"]
    assert _words(_facts(reports_roof=4, status_roof="done")) == [
        "Roof and walls — 4 reports in 12 months, marked done, yet still reported"
    ]
    assert _words(_facts(reports_roof=1, status_roof="done")) == []


def test_marked_needed_is_a_need_with_whatever_evidence_there_is():
    assert _words(_facts(status_gas="needed")) == ["Gas — built 1987, marked as needed"]


def test_elevator_charger_and_drying_needs_say_why():
    facts = _facts(elderly_share=0.32, charger_m=231.4, drying_m=float("inf"))
    assert _words(facts) == [
        "Drying racks — no drying area in the community, no renovation on record",
        "Charger access — nearest e-bike charger 231 m away (over 150 m), no renovation on record",
        "Elevator — 6 floors, no elevator, 32% elderly residents, no renovation on record",
    ]
    assert _words(_facts(elderly_share=0.32, elevator=True)) == []
    assert _words(_facts(elderly_share=0.32, floors=3)) == []


def test_the_thresholds_are_the_rules_given():
    rules = needs.NeedRules(min_reports=10, charger_radius_m=300.0)
    facts = _facts(reports_water_pipes=9, age=5.0, charger_m=231.4)
    assert needs.derive_needs(facts, rules).empty
    assert list(needs.derive_needs(facts)["item"]) == ["water_pipes", "ebike_chargers"]


def test_reports_counted_are_the_linked_recent_valid_ones(demo_layers):
    reports = demo_layers["reports"]
    counts = needs.report_counts(reports, demo_layers["buildings"]["building_id"], NOW, 12)
    start = pd.Timestamp(NOW) - pd.DateOffset(months=12)
    for building_id in ("B01", "B22", "B45"):
        mine = reports[
            (reports["building_id"] == building_id)
            & (reports["created_at"] >= start)
            & ~reports["status"].isin(["rejected", "duplicate"])
        ]
        drains = mine["category"].isin(["drainage", "waterlogging"]).sum()
        assert counts.loc[building_id, "reports_drains"] == drains
        assert counts.loc[building_id, "reports_all"] == len(mine)


def test_every_label_the_tables_use_has_both_languages():
    keys = list(needs.ITEM_KEYS.values()) + list(needs.STATUS_KEYS.values())
    keys += list(priority.PART_KEYS.values()) + list(priority.PART_HELP_KEYS.values())
    assert set(needs.ITEM_KEYS) == set(ITEMS) and set(needs.STATUS_KEYS) == set(ITEM_STATUSES)
    for key in keys:
        assert TEXTS[key]["en"] and TEXTS[key]["zh"], key
