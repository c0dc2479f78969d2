"""Renovation items: the JSON in both forms, and saving through the store (both backends)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo import model
from geo.errors import GridmapError
from geo.renovation import needs, priority
from geo.renovation.items import (
    ITEMS,
    ItemState,
    items_frame,
    read_items,
    save_items,
    status_table,
    write_items,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def test_the_first_form_reads_as_statuses_without_years():
    items = read_items('{"drains": "needed", "roof": "done", "water_pipes": "planned"}')
    assert items == {
        "drains": ItemState("needed"),
        "water_pipes": ItemState("planned"),
        "roof": ItemState("done"),
    }
    assert list(items) == [i for i in ITEMS if i in items]  # in the card's order


def test_the_second_form_carries_status_and_planned_year():
    text = '{"drains": {"status": "planned", "year": 2027}, "gas": {"status": "in progress"}}'
    assert read_items(text) == {
        "drains": ItemState("planned", 2027),
        "gas": ItemState("in_progress"),
    }


def test_other_spellings_and_chinese_statuses_are_understood():
    text = '{"drainage": "已完成", "elevator": "施工中", "charger_access": {"status": "待改造"}}'
    assert read_items(text) == {
        "drains": ItemState("done"),
        "ebike_chargers": ItemState("needed"),
        "elevator_retrofit": ItemState("in_progress"),
    }


@pytest.mark.parametrize("text", [None, "", "   ", "not json", "[1, 2]", '"drains"', pd.NA])
def test_nothing_usable_reads_as_no_items(text):
    assert read_items(text) == {}


def test_bad_years_and_statuses_read_as_missing():
    text = '{"drains": {"status": "soon", "year": "next"}, "roof": {"status": "done", "year": 3}}'
    assert read_items(text) == {"drains": ItemState(), "roof": ItemState("done")}


def test_writing_keeps_what_other_tools_wrote_and_drops_empty_items():
    previous = '{"drains": "needed", "solar_panels": {"status": "planned"}, "note": "x"}'
    text = write_items(
        {"drains": ItemState("planned", 2027), "roof": ItemState(), "gas": ItemState(None, 2028)},
        previous,
    )
    assert json.loads(text) == {
        "drains": {"status": "planned", "year": 2027},
        "gas": {"year": 2028},
        "solar_panels": {"status": "planned"},
        "note": "x",
    }
    assert read_items(text)["drains"] == ItemState("planned", 2027)


def test_writing_refuses_unknown_items_and_statuses():
    with pytest.raises(ValueError):
        write_items({"pool": ItemState("done")})
    with pytest.raises(ValueError):
        write_items({"drains": ItemState("whenever")})


def test_items_frame_and_status_table_have_every_item_of_every_building():
    buildings = pd.DataFrame(
        {"building_id": ["B1", "B2"], "renovation": ['{"roof": "done"}', None]}
    )
    long = items_frame(buildings)
    assert len(long) == 2 * len(ITEMS)
    wide = status_table(buildings)
    assert wide.loc["B1", "roof"] == "done"
    assert wide.loc["B2"].isna().all()


def _tiny_community() -> dict[str, pd.DataFrame]:
    """Two old walk-ups and a charger, near Tianjin, with drain reports at the first."""
    lon, lat = 117.30, 39.09
    d = 0.0002
    community = gpd.GeoDataFrame(
        {"community_id": ["c1"], "name": ["c"]},
        geometry=[box(lon - 10 * d, lat - 10 * d, lon + 10 * d, lat + 10 * d)],
        crs=model.WGS84,
    )
    buildings = gpd.GeoDataFrame(
        {
            "building_id": ["B1", "B2"],
            "community_id": "c1",
            "name": ["1号楼", "2号楼"],
            "year_built": [1985, 1985],
            "floors": [6, 6],
            "units": [3, 3],
            "households": [36, 36],
            "elevator": [False, False],
            "elderly_share": [0.1, 0.1],
            "renovation": ['{"drains": "needed"}', '{"drains": "needed"}'],
        },
        geometry=[box(lon - 3 * d, lat, lon - d, lat + d), box(lon + d, lat, lon + 3 * d, lat + d)],
        crs=model.WGS84,
    )
    reports = gpd.GeoDataFrame(
        {
            "report_id": range(1, 6),
            "community_id": "c1",
            "category": "drainage",
            "status": "closed",
            "created_at": pd.Timestamp("2026-03-01", tz="UTC"),
            "building_id": "B1",
        },
        geometry=gpd.points_from_xy([lon - 2 * d] * 5, [lat + d / 2] * 5),
        crs=model.WGS84,
    )
    chargers = gpd.GeoDataFrame(
        {"charger_id": ["C1"], "community_id": "c1", "kind": "ebike", "status": "working"},
        geometry=gpd.points_from_xy([lon], [lat - d]),
        crs=model.WGS84,
    )
    layers = {
        "community": community,
        "grids": model.empty("grids"),
        "buildings": buildings,
        "chargers": chargers,
        "drying_areas": model.empty("drying_areas"),
        "reports": reports,
        "report_events": model.empty("report_events"),
    }
    return {name: model.conform(name, frame) for name, frame in layers.items()}


def _ranking(store) -> pd.DataFrame:
    layers = {name: store.read(name, "c1") for name in model.LAYERS}
    facts = needs.building_facts(layers, NOW)
    return priority.rank(facts, needs.derive_needs(facts), {"households": 0})


def test_editing_an_items_status_is_saved_and_shows_in_the_ranking(store):
    store.load_community(_tiny_community())
    before = _ranking(store)
    assert before.loc["B2", "needs"] >= 1  # drains marked needed
    original = store.read("buildings", "c1").set_index("building_id").at["B2", "renovation"]

    written = save_items(
        store, "c1", "B2", {"drains": ItemState("planned", 2027)}, expected=original
    )

    stored = store.read("buildings", "c1").set_index("building_id")
    assert stored.at["B2", "renovation"] == written
    assert read_items(stored.at["B2", "renovation"]) == {"drains": ItemState("planned", 2027)}
    assert stored.at["B2", "households"] == 36  # the rest of the row is kept
    after = _ranking(store)
    assert after.loc["B2", "needs"] == before.loc["B2", "needs"] - 1
    assert after.loc["B2", "score"] < before.loc["B2", "score"]
    assert after.loc["B1", "score"] == pytest.approx(before.loc["B1", "score"])


def test_a_building_changed_meanwhile_is_not_overwritten(store):
    store.load_community(_tiny_community())
    seen = store.read("buildings", "c1").set_index("building_id").at["B1", "renovation"]
    save_items(store, "c1", "B1", {"roof": ItemState("done")}, expected=seen)
    with pytest.raises(GridmapError) as caught:
        save_items(store, "c1", "B1", {"gas": ItemState("needed")}, expected=seen)
    assert "changed by someone else" in caught.value.message("en")
    stored = store.read("buildings", "c1").set_index("building_id").at["B1", "renovation"]
    assert read_items(stored) == {"roof": ItemState("done")}


def test_saving_an_unknown_building_says_so(store):
    store.load_community(_tiny_community())
    with pytest.raises(GridmapError) as caught:
        save_items(store, "c1", "B9", {}, check=False)
    assert caught.value.message("en") == "There is no building B9 in this community."
