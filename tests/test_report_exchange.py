"""The Reports page's import (geo.report_exchange.import_reports): a file taken as it
is, its counts, notes and rejected rows, and advice that sends a file needing choices
to the Data page rather than to command-line options the page does not have."""

from __future__ import annotations

import pytest

from geo.categories import load_categories
from geo.report_exchange import import_reports
from geo.store.gpkg import GeoPackageStore
from tests.test_import import community_layers

TZ = "Asia/Shanghai"


@pytest.fixture
def store(tmp_path) -> GeoPackageStore:
    s = GeoPackageStore(tmp_path / "s.gpkg")
    s.load_community(community_layers())
    return s


def _import(store, name: str, text: str, lang: str = "en", encoding: str = "utf-8"):
    content = text.strip().encode(encoding) + b"\n"
    return import_reports(store, "c1", TZ, load_categories(), name, content, lang)


def test_good_rows_stored_and_a_status_word_left_for_the_data_page(store):
    outcome = _import(
        store,
        "hotline.csv",
        """
category,created_at,lon,lat,status
drainage,2024-05-01 08:00,117.305,39.085,submitted
排水,2024-05-02 09:30,117.315,39.085,已处理中
""",
    )
    assert outcome.ok
    assert outcome.summary.startswith("Imported 1")
    assert len(store.read("reports")) == 1
    rejects = outcome.rejected_rows()  # as the page lists them under the summary
    assert rejects["row"].tolist() == ["3"]  # the spreadsheet's row, the header being 1
    reason = rejects["reason"].iloc[0]
    assert "已处理中" in reason and "“Data” page" in reason and "--" not in reason
    # No source ids: importing again would add the row again, and where to name them.
    assert any("“Data” page" in note and "external_id" in note for note in outcome.notes)
    assert not any("--" in note for note in outcome.notes)


def test_a_file_without_coordinates_is_refused_with_the_way_to_the_data_page(store):
    outcome = _import(store, "list.csv", "category,created_at,x_pos,y_pos\n积水,2024-05-01,1,2")
    assert not outcome.ok
    assert "has no coordinates" in outcome.summary
    assert "“Data” page" in outcome.summary and "--" not in outcome.summary
    assert store.read("reports").empty  # nothing half-imported
    chinese = _import(store, "list.csv", "category,created_at,甲,乙\n积水,2024-05-01,1,2", "zh")
    assert "“数据”页" in chinese.summary and "--" not in chinese.summary
    undated = _import(store, "list.csv", "category,lon,lat\n积水,117.305,39.085")
    assert not undated.ok and "no created_at column" in undated.summary
    assert "“Data” page" in undated.summary and "--" not in undated.summary


def test_projected_coordinates_are_refused_with_the_way_to_the_data_page(store):
    outcome = _import(
        store, "utm.csv", "category,created_at,lon,lat\n积水,2024-05-01,500000,4330000"
    )
    assert not outcome.ok
    assert "look projected" in outcome.summary and "“Coordinate system”" in outcome.summary
    assert "--crs" not in outcome.summary


def test_a_gbk_file_with_chinese_headers_is_read_by_its_column_names(store):
    outcome = _import(
        store,
        "网格员上报.csv",
        "来源编号,类别,创建时间,经度,纬度\nW-1,积水,2024-05-01 08:00,117.305,39.085",
        encoding="gbk",
    )
    assert outcome.ok and outcome.rejects is None
    # Taken by their usual names, as the Data page would first guess them, and said so.
    assert "创建时间 → created_at" in outcome.notes[0] and "经度 → lon" in outcome.notes[0]
    assert "来源编号 → external_id" in outcome.notes[0]
    stored = store.read("reports")
    assert stored["category"].tolist() == ["waterlogging"]
    assert stored["grid_id"].tolist() == ["G1"]  # assigned by where it lies
    assert stored["external_id"].tolist() == ["W-1"]
    again = _import(
        store,
        "网格员上报.csv",
        "来源编号,类别,创建时间,经度,纬度\nW-1,积水,2024-05-01 08:00,117.305,39.085",
        encoding="gbk",
    )
    assert again.summary == "Imported 0, skipped 1 already present, rejected 0."
