"""Messages of export, the stores and the configuration come from the translation tables.

Every error is made from a key of :mod:`geo.texts` and its values, so it reads in
English or Chinese: ``str(error)`` in the message language (``messages_in`` or
GRIDMAP_LANG), ``error.message(lang)`` in the one asked for.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.config import load_settings
from geo.errors import ConfigError, ExportError, GridmapError, ImportFileError, StoreError
from geo.exporting import export_layer
from geo.i18n import TEXTS, messages_in, msg
from geo.store.base import check_expected
from geo.store.gpkg import GeoPackageStore

ROOT = Path(__file__).resolve().parents[1]
# A key as the first argument of an error (StoreError("store.x", ...)) or of msg("x.y").
KEY_CALL = re.compile(r"""\b(?:\w*Error|\w*Conflict|msg)\(\s*["']([a-z_]+(?:\.\w+)+)["']""")
# The modules whose every error must come from a key (the import and the app have theirs).
KEYED_MODULES = [
    *sorted((ROOT / "geo" / "store").glob("*.py")),
    *(
        ROOT / "geo" / name
        for name in (
            "exporting.py",
            "config.py",
            "categories.py",
            "crs.py",
            "sql.py",
            "privacy.py",
            "assign.py",
        )
    ),
]
USER_ERROR_CALL = re.compile(
    r"(?<!class )\b(GridmapError|ConfigError|StoreError|ImportFileError|ExportError|ReportConflict)"
    r"\(\s*(?!\))"
)


def test_every_error_and_msg_key_the_code_uses_exists():
    used = set()
    for path in ROOT.glob("geo/**/*.py"):
        used |= set(KEY_CALL.findall(path.read_text(encoding="utf-8")))
    assert any(key.startswith("store.") for key in used), "no keyed errors found"
    assert used <= set(TEXTS), sorted(used - set(TEXTS))


@pytest.mark.parametrize("path", KEYED_MODULES, ids=lambda p: p.name)
def test_errors_of_export_stores_and_configuration_are_made_from_keys(path):
    text = path.read_text(encoding="utf-8")
    for match in USER_ERROR_CALL.finditer(text):
        rest = text[match.end() :]
        key = re.match(r"""["']([\w.]+)["']""", rest)
        line = text.count("\n", 0, match.start()) + 1
        assert key, f"{path.name}:{line}: {match.group(1)} not made from a key"
        assert key.group(1) in TEXTS, f"{path.name}:{line}: unknown key {key.group(1)}"


# --- the stores ----------------------------------------------------------------------


def test_a_store_error_in_chinese(tmp_path):
    path = tmp_path / "notes.gpkg"
    path.write_text("not a database", encoding="utf-8")
    with pytest.raises(StoreError) as raised:
        GeoPackageStore(path)
    error = raised.value
    assert str(error) == f"{path} exists but is not a GeoPackage file."
    assert error.message("zh") == f"{path} 已存在，但不是 GeoPackage 文件。"
    with messages_in("zh"):
        assert str(error) == f"{path} 已存在，但不是 GeoPackage 文件。"
        with pytest.raises(StoreError) as again:
            GeoPackageStore(path)
        assert "不是 GeoPackage 文件" in str(again.value)
    assert error.message("en") == f"{path} exists but is not a GeoPackage file."


def test_a_conflict_names_an_empty_value_in_the_language_shown():
    with pytest.raises(StoreError) as raised:
        check_expected(7, {"assignee": None}, {"assignee": "王五"})
    error = raised.value
    assert error.message("en") == (
        "report 7 was changed meanwhile: assignee is now empty, not '王五'; reload it and try again"
    )
    assert error.message("zh") == (
        "诉求 7 已被他人修改：assignee 现在是 空，而不是 '王五'；请重新加载后再试"
    )


def test_an_unknown_community_zone_is_refused_in_chinese(tmp_path):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    community = gpd.GeoDataFrame(
        {"community_id": ["c1"], "name": ["测试社区"], "tz": ["Beijing"]},
        geometry=[box(0, 0, 1, 1)],
        crs=4326,
    )
    with messages_in("zh"):
        with pytest.raises(StoreError) as raised:
            store.upsert("community", community)
        assert str(raised.value).startswith("社区 c1：无法识别时区 'Beijing'")
    assert store.count("community") == 0


def test_parts_of_a_message_follow_its_language():
    error = StoreError(
        "store.migration_failed",
        name="0003_x",
        database="gridmap",
        where="db:5432",
        label=GridmapError("store.default_schema"),
        reason="syntax error",
        last_good=GridmapError("store.no_version"),
    )
    assert "(the default schema)" in error.message("en")
    assert "stays at no version" in error.message("en")
    assert "（默认模式）" in error.message("zh") and "仍停留在 无版本" in error.message("zh")


# --- export ------------------------------------------------------------------------------


@pytest.fixture
def small_store(tmp_path) -> GeoPackageStore:
    store = GeoPackageStore(tmp_path / "small.gpkg")
    store.load_community(
        {
            "community": gpd.GeoDataFrame(
                {"community_id": ["c1"], "name": ["测试社区"]},
                geometry=[box(0, 0, 1, 1)],
                crs=4326,
            ),
            "reports": gpd.GeoDataFrame(
                {
                    "community_id": ["c1"],
                    "created_at": pd.to_datetime(["2024-05-01T00:00Z"], utc=True),
                },
                geometry=[Point(0.5, 0.5)],
                crs=4326,
            ),
        }
    )
    return store


def test_an_export_error_in_chinese(small_store, tmp_path):
    with pytest.raises(ExportError) as raised:
        export_layer(small_store, "grids", tmp_path / "grids.kml")
    error = raised.value
    assert str(error).startswith("cannot export to grids.kml: use .geojson")
    assert error.message("zh") == (
        "无法导出为 grids.kml：请使用 .geojson、.gpkg、.zip（压缩的 Shapefile）、.csv 或 .xlsx。"
    )
    folder = tmp_path / "missing"
    with messages_in("zh"):
        with pytest.raises(ExportError) as raised:
            export_layer(small_store, "reports", folder / "r.csv")
        assert str(raised.value) == f"文件夹 {folder} 不存在，请先创建。"
    with messages_in("zh"):
        with pytest.raises(ExportError) as raised:
            export_layer(small_store, "roads", tmp_path / "roads.csv")
        assert str(raised.value).startswith("没有图层 'roads'；可用的图层有：community, grids")


def test_gridmap_export_speaks_chinese_with_gridmap_lang_zh(tmp_path, monkeypatch, capsys):
    from geo.cli import main

    monkeypatch.setenv("GRIDMAP_DB", str(tmp_path / "cli.gpkg"))
    monkeypatch.setenv("GRIDMAP_LANG", "zh")
    assert main(["export", "grids", str(tmp_path / "grids.kml")]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "错误：无法导出为 grids.kml：请使用 .geojson、.gpkg、.zip（压缩的 Shapefile）、"
        ".csv 或 .xlsx。"
    )
    monkeypatch.setenv("GRIDMAP_LANG", "en")
    assert main(["export", "grids", str(tmp_path / "grids.kml")]) == 2
    assert capsys.readouterr().err.startswith("error: cannot export to grids.kml")


# --- configuration -----------------------------------------------------------------------


def test_configuration_errors_in_both_languages():
    with pytest.raises(ConfigError) as raised:
        load_settings({"GRIDMAP_TZ": "Mars/Base"})
    error = raised.value
    assert str(error) == "GRIDMAP_TZ='Mars/Base' is not a known time zone (e.g. Asia/Shanghai)."
    assert error.message("zh") == "GRIDMAP_TZ='Mars/Base' 不是可识别的时区（例如 Asia/Shanghai）。"
    with pytest.raises(ConfigError) as raised:
        load_settings({"GRIDMAP_LANG": "fr"})
    assert str(raised.value) == "GRIDMAP_LANG='fr' is not supported; use one of ('en', 'zh')."
    with messages_in("zh"):
        with pytest.raises(ConfigError) as raised:
            load_settings({"GRIDMAP_BUILDING_RADIUS_M": "-1"})
        assert str(raised.value) == "GRIDMAP_BUILDING_RADIUS_M 不能为负数。"


def test_crs_errors_in_chinese():
    from geo.crs import parse_crs

    with pytest.raises(ImportFileError) as raised:
        parse_crs("mars2000")
    assert raised.value.message("zh").startswith("无法识别的 --crs 'mars2000'：请给出 EPSG 代码")
    with messages_in("zh"):
        with pytest.raises(ImportFileError) as raised:
            parse_crs("EPSG:999999")
        assert (
            str(raised.value) == "无法识别的 --crs 'EPSG:999999'：不存在 EPSG:999999 这个坐标系。"
        )


def test_msg_follows_the_message_language(monkeypatch):
    monkeypatch.setenv("GRIDMAP_LANG", "zh")
    assert msg("store.default_database") == "（默认）"
    with messages_in("en"):
        assert msg("store.default_database") == "(default)"
