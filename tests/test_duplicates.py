"""Possible duplicates on constructed cases: category, distance in metres, age, state.

Reports are placed at known distances from a point in Tianjin by walking east and
north in the local UTM zone, so "49 m" and "51 m" mean metres on the ground.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import Point

from geo import duplicates
from geo.duplicates import DuplicateRule, candidates, rule_from_env
from geo.errors import ConfigError

ORIGIN = (117.31, 39.09)
NOW = pd.Timestamp("2026-07-15T12:00:00+08:00")
_TO_UTM = Transformer.from_crs(4326, 32650, always_xy=True)
_FROM_UTM = Transformer.from_crs(32650, 4326, always_xy=True)


def at(east_m: float, north_m: float = 0.0) -> Point:
    x, y = _TO_UTM.transform(*ORIGIN)
    return Point(*_FROM_UTM.transform(x + east_m, y + north_m))


def frame(rows: list[dict]) -> gpd.GeoDataFrame:
    base = {"category": "drainage", "status": "dispatched", "age_days": 1.0}
    rows = [{**base, **row} for row in rows]
    return gpd.GeoDataFrame(
        {
            "report_id": [i + 1 for i in range(len(rows))],
            "category": [r["category"] for r in rows],
            "status": [r["status"] for r in rows],
            "created_at": [
                (NOW - pd.Timedelta(days=r["age_days"])).tz_convert("UTC") for r in rows
            ],
            "description": [f"第{i + 1}件" for i in range(len(rows))],
        },
        geometry=[r["where"] for r in rows],
        crs=4326,
    )


def found(reports, **kwargs) -> list[int]:
    return candidates(reports, Point(*ORIGIN), "drainage", NOW, **kwargs)["report_id"].tolist()


def test_same_category_within_fifty_metres_nearest_first():
    reports = frame(
        [
            {"where": at(30)},
            {"where": at(0, 10)},
            {"where": at(49)},
            {"where": at(51)},
            {"where": at(0, -49.5)},
            {"where": at(10), "category": "gas"},
        ]
    )
    got = candidates(reports, Point(*ORIGIN), "drainage", NOW)
    assert got["report_id"].tolist() == [2, 1, 3, 5]
    assert got["distance_m"].round(1).tolist() == [10.0, 30.0, 49.0, 49.5]


def test_only_open_reports_from_the_last_fourteen_days():
    reports = frame(
        [
            {"where": at(5), "age_days": 13.9},
            {"where": at(5), "age_days": 14.1},
            {"where": at(5), "status": "closed"},
            {"where": at(5), "status": "resolved"},
            {"where": at(5), "status": "duplicate"},
            {"where": at(5), "status": "escalated"},
            {"where": at(5), "status": "reopened"},
            {"where": at(5), "age_days": -1},  # created after the new one: not before it
        ]
    )
    assert found(reports) == [6, 7, 1]  # all 5 m away: newest first


def test_both_limits_are_configurable():
    reports = frame([{"where": at(80)}, {"where": at(5), "age_days": 20}])
    assert found(reports) == []
    assert found(reports, rule=DuplicateRule(radius_m=100)) == [1]
    assert found(reports, rule=DuplicateRule(days=30)) == [2]
    assert found(reports, rule=DuplicateRule(radius_m=0, days=0)) == []


def test_same_place_newest_first_and_a_report_never_offered_as_its_own_duplicate():
    reports = frame([{"where": at(5), "age_days": 3}, {"where": at(5), "age_days": 1}])
    assert found(reports) == [2, 1]
    assert found(reports, exclude=2) == [1]


def test_nothing_to_compare_gives_an_empty_answer():
    empty = frame([])
    assert candidates(empty, Point(*ORIGIN), "drainage", NOW).empty
    no_place = frame([{"where": None}, {"where": Point()}])
    assert candidates(no_place, Point(*ORIGIN), "drainage", NOW).empty
    assert candidates(frame([{"where": at(1)}]), Point(), "drainage", NOW).empty


def test_the_rule_comes_from_the_environment():
    assert rule_from_env({}) == DuplicateRule(50.0, 14)
    assert rule_from_env(
        {"GRIDMAP_DUPLICATE_RADIUS_M": "80", "GRIDMAP_DUPLICATE_DAYS": "7"}
    ) == DuplicateRule(80.0, 7)


@pytest.mark.parametrize(
    "env",
    [
        {"GRIDMAP_DUPLICATE_RADIUS_M": "fifty"},
        {"GRIDMAP_DUPLICATE_RADIUS_M": "-1"},
        {"GRIDMAP_DUPLICATE_RADIUS_M": "99999"},
        {"GRIDMAP_DUPLICATE_DAYS": "2.5"},
        {"GRIDMAP_DUPLICATE_DAYS": "400"},
    ],
)
def test_a_bad_rule_in_the_environment_is_a_clear_message(env):
    with pytest.raises(ConfigError) as refused:
        rule_from_env(env)
    name = next(iter(env))
    assert name in refused.value.message("en") and name in refused.value.message("zh")
    assert duplicates.DEFAULT_RADIUS_M == 50.0 and duplicates.DEFAULT_DAYS == 14
