import re
from pathlib import Path

import pytest

from geo.i18n import TEXTS, t

ROOT = Path(__file__).resolve().parents[1]


def test_every_text_has_both_languages():
    for key, entry in TEXTS.items():
        assert entry.get("en"), key
        assert entry.get("zh"), key


def test_placeholders_agree_between_languages():
    for key, entry in TEXTS.items():
        assert set(re.findall(r"{(\w+)}", entry["en"])) == set(
            re.findall(r"{(\w+)}", entry["zh"])
        ), key


def test_formatting_and_unknown_language_falls_back_to_english():
    assert t("map.shown_reports", "zh", n=3) == "地图上显示 3 件诉求"
    assert t("map.shown_reports", "fr", n=3) == "3 reports on the map"
    with pytest.raises(KeyError):
        t("no.such.key")


def test_every_key_the_code_uses_exists():
    used = set()
    for path in [ROOT / "app.py", *ROOT.glob("views/*.py"), *ROOT.glob("geo/**/*.py")]:
        used |= set(re.findall(r"""\bt\(\s*["']([\w.]+)["']""", path.read_text(encoding="utf-8")))
    assert used, "no t() calls found"
    assert used <= set(TEXTS), sorted(used - set(TEXTS))


def access_layers() -> list[str]:
    from geo.access import LAYER_EDITORS

    return list(LAYER_EDITORS)


def test_keys_built_from_data_have_entries_for_every_value():
    # Keys made with an f-string (t(f"map.basemap.{b}")) cover a fixed set of values.
    from geo import maps
    from geo.model import CHARGER_KINDS, REPORT_SOURCES, STATUSES
    from geo.overview_map import METRICS

    expected = {f"map.basemap.{b}" for b in maps.BASEMAPS}
    expected |= {f"map.scope.{s}" for s in ("open", "all")}
    expected |= {f"charger.{k}" for k in CHARGER_KINDS}
    expected |= {f"status.{s}" for s in STATUSES}
    expected |= {f"source.{s}" for s in REPORT_SOURCES}
    expected |= {f"overview.metric.{m}" for m in METRICS}
    # the Reports page (geo/lifecycle.py and its views)
    from geo import lifecycle
    from geo.exporting import SHEET_COLUMNS
    from geo.report_exchange import DOWNLOADS

    expected |= {f"reports.action.{a}" for a in lifecycle.ACTIONS}
    expected |= {f"reports.level.{v}" for v in lifecycle.ESCALATION_LEVELS}
    expected |= {f"reports.note.escalated_{v}" for v in lifecycle.ESCALATION_LEVELS[1:]}
    expected |= {f"reports.role.{r}" for r in lifecycle.OFFICE_ROLES}
    expected |= {f"reports.sheet.{c}" for c in SHEET_COLUMNS}
    expected |= {f"reports.view.{v}" for v in ("intake", "queue", "files")}
    expected |= {f"reports.files.{name}" for name in DOWNLOADS}
    # roles, and the audit page's tables and actions
    from geo.access import ROLES
    from geo.store import audit

    expected |= {f"role.{r}" for r in ROLES}
    expected |= {f"audit.entity.{e}" for e in audit.AUDITED}
    expected |= {f"audit.action.{a}" for a in audit.ACTIONS}
    expected |= {f"access.layer.{name}" for name in access_layers()}
    assert expected <= set(TEXTS), sorted(expected - set(TEXTS))
    prefixes = set()
    for path in [ROOT / "app.py", *ROOT.glob("views/*.py"), *ROOT.glob("geo/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        prefixes |= set(re.findall(r"""\bt(?:_or)?\(\s*f["']([\w.]+)\{""", text))
    assert prefixes, "no f-string keys found"
    assert prefixes <= {key.rsplit(".", 1)[0] + "." for key in expected}, prefixes


def test_page_texts_of_messages_name_the_pages_controls_not_the_command_line():
    # A message's "<key>@page" text replaces its command-line advice ("--crs") with the
    # page's controls, named as the pages label them; its "<key>@quick" text, for the
    # Reports page's import, which has no such controls, sends the file to the Data page.
    page_texts = {key: entry for key, entry in TEXTS.items() if key.endswith(("@page", "@quick"))}
    assert len(page_texts) >= 15
    labels = {lang: {entry[lang] for entry in TEXTS.values()} for lang in ("en", "zh")}
    for key, entry in page_texts.items():
        if key.endswith("@quick"):
            assert "“Data”" in entry["en"] and "“数据”" in entry["zh"], key
        base = TEXTS[key.split("@")[0]]
        for lang in ("en", "zh"):
            assert "--" in base[lang] and "--" not in entry[lang], key
            assert set(re.findall(r"{(\w+)}", entry[lang])) <= set(
                re.findall(r"{(\w+)}", base[lang])
            ), key
            for quoted in re.findall(r"“([^”]+)”", entry[lang]):
                assert quoted in labels[lang], (key, quoted)


def test_a_message_on_a_page_takes_its_page_text():
    from geo.errors import ImportFileError
    from geo.i18n import PAGE, messages_in, msg

    error = ImportFileError("io.looks_projected", name="a.csv", x="1.0", y="2.0")
    assert "--crs" in error.message("en")
    assert "“Coordinate system”" in error.message("en", PAGE)
    assert "“坐标系”" in error.message("zh", PAGE)
    with messages_in("en", place=PAGE):
        assert "“Columns and fields”" in msg("io.note.report_ids_hint")
        assert msg("io.zip_bomb", name="z", ratio=1, limit=1) == t(
            "io.zip_bomb", "en", name="z", ratio=1, limit=1
        )  # no page text: the one text
    assert "--map" in msg("io.note.report_ids_hint")
