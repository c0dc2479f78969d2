"""The report lifecycle (DESIGN.md §3): transitions, due times, overdue, dispatch, intake.

Every action is tried from every state: the legal ones lead where the table says,
the others are refused with a message that names the state, in both languages.
Due times are checked for every category of the SLA table and in several zones;
intake runs against both stores.
"""

from __future__ import annotations

import io
from datetime import datetime

import geopandas as gpd
import pandas as pd
import pytest
from PIL import Image
from shapely.geometry import box

from geo import intake, lifecycle
from geo.categories import load_categories
from geo.errors import GridmapError
from geo.i18n import STATUS_NAMES, t
from geo.lifecycle import ACTIONS, IllegalTransition
from geo.model import OPEN_STATUSES, STATUSES
from geo.photos import MAX_BYTES, PhotoError, prepare_photo
from geo.store.base import ReportConflict

NOW = pd.Timestamp("2026-07-10T09:00:00+08:00")

# The expected table, written out by hand: state -> the actions it allows.
EXPECTED = {
    "submitted": {"accept", "reject", "duplicate"},
    "accepted": {"dispatch", "reject", "duplicate"},
    "dispatched": {"start", "escalate"},
    "in_progress": {"resolve", "escalate"},
    "escalated": {"resolve", "escalate"},
    "resolved": {"close", "reopen"},
    "closed": {"reopen"},
    "reopened": {"dispatch", "start", "escalate"},
    "rejected": set(),
    "duplicate": set(),
}


def grids_frame(worker: str | None = "王秀梅") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "grid_id": ["G1", "G2"],
            "community_id": ["c1", "c1"],
            "name": ["一", "二"],
            "worker_name": [worker, None],
            "worker_phone": [None, None],
        },
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs=4326,
    )


def report(status: str, **extra) -> dict:
    base = {
        "report_id": 7,
        "community_id": "c1",
        "status": status,
        "grid_id": "G1",
        "escalation_level": None,
        "assignee": None,
        "category": "drainage",
        "created_at": pd.Timestamp("2026-07-01T02:00:00Z"),
        "due_at": pd.Timestamp("2026-07-04T02:00:00Z"),
    }
    return {**base, **extra}


def details(action: str) -> dict:
    return {"close": {"rating": 4}, "duplicate": {"duplicate_of": 3}}.get(action, {})


# --- transitions ----------------------------------------------------------------------------
def test_the_table_is_the_one_written_down():
    assert {s: set(lifecycle.allowed_actions(s)) for s in STATUSES} == EXPECTED


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_action_from_every_state(status, action):
    before = report(status, escalation_level="community" if status == "escalated" else None)
    if action in EXPECTED[status]:
        step = lifecycle.plan(
            before, action, "王秀梅", NOW, note="看过了", grids=grids_frame(), **details(action)
        )
        assert step.changes["status"] == ACTIONS[action][1]
        assert step.expected["status"] == status  # compare-and-set on what was seen
        assert step.event["actor"] == "王秀梅"
        assert step.event["note"].endswith("看过了")
        assert step.event["at"] == NOW.tz_convert("UTC")
        return
    with pytest.raises(IllegalTransition) as refused:
        lifecycle.plan(before, action, "王秀梅", NOW, grids=grids_frame(), **details(action))
    en, zh = STATUS_NAMES[status]
    assert f"the report is {en}" in refused.value.message("en")
    assert f"“{zh}”" in refused.value.message("zh")
    assert t(f"reports.action.{action}", "zh") in refused.value.message("zh")


def test_the_refusal_says_what_is_allowed_instead():
    with pytest.raises(IllegalTransition) as refused:
        lifecycle.plan(report("dispatched"), "close", "x", NOW, rating=5)
    assert refused.value.message("en") == (
        "Close with rating is not allowed: the report is dispatched. "
        "Allowed now: Start work, Escalate."
    )
    with pytest.raises(IllegalTransition) as final:
        lifecycle.plan(report("rejected"), "reopen", "x", NOW)
    assert "nothing (it is final)" in final.value.message("en")
    assert "已是最终状态" in final.value.message("zh")


def test_every_pair_of_states_the_demo_walks_is_legal(demo_layers):
    events = demo_layers["report_events"]
    pairs = set(zip(events["from_status"], events["to_status"], strict=True))
    assert {p for p in pairs if p[0] is not None} <= lifecycle.legal_transitions()


def test_escalation_climbs_grid_community_street_and_stops():
    first = lifecycle.plan(report("in_progress"), "escalate", "王秀梅", NOW)
    assert first.changes["escalation_level"] == "community"
    assert "上报社区" in first.event["note"] and "community" in first.event["note"]
    second = lifecycle.plan(report("escalated", escalation_level="community"), "escalate", "x", NOW)
    assert second.changes["escalation_level"] == "street"
    assert second.expected == {"status": "escalated", "escalation_level": "community"}
    top = report("escalated", escalation_level="street")
    assert "escalate" not in lifecycle.allowed_actions("escalated", "street")
    with pytest.raises(IllegalTransition, match="street office"):
        lifecycle.plan(top, "escalate", "x", NOW)


@pytest.mark.parametrize("rating", [None, 0, 6, 2.5, "5"])
def test_close_needs_a_rating_from_one_to_five(rating):
    with pytest.raises(IllegalTransition, match="1 to 5"):
        lifecycle.plan(report("resolved"), "close", "居民", NOW, rating=rating)


def test_close_records_rating_and_time_reopen_clears_them():
    step = lifecycle.plan(report("resolved"), "close", "居民", NOW, rating=5)
    assert step.changes == {"status": "closed", "rating": 5, "closed_at": NOW.tz_convert("UTC")}
    assert "居民评价5星" in step.event["note"] and "Resident rated 5/5" in step.event["note"]
    again = lifecycle.plan(report("closed", rating=5), "reopen", "居民", NOW)
    assert again.changes == {"status": "reopened", "closed_at": None, "rating": None}


def test_a_duplicate_points_at_another_report():
    with pytest.raises(IllegalTransition, match="another report"):
        lifecycle.plan(report("submitted"), "duplicate", "x", NOW, duplicate_of=7)
    with pytest.raises(IllegalTransition):
        lifecycle.plan(report("submitted"), "duplicate", "x", NOW, duplicate_of=None)
    step = lifecycle.plan(report("submitted"), "duplicate", "x", NOW, duplicate_of="#3")
    assert step.changes["duplicate_of"] == 3


def test_dispatch_goes_to_the_grids_worker_or_the_grid_office():
    step = lifecycle.plan(report("accepted"), "dispatch", "调度", NOW, grids=grids_frame())
    assert step.changes["assignee"] == "王秀梅"
    assert "派单至王秀梅（网格 G1）" in step.event["note"]
    nobody = lifecycle.plan(
        report("accepted", grid_id="G2"), "dispatch", "调度", NOW, grids=grids_frame()
    )
    assert nobody.changes["assignee"] == lifecycle.office_actor("grid_office")
    with pytest.raises(IllegalTransition, match="outside every grid"):
        lifecycle.plan(report("accepted", grid_id=None), "dispatch", "x", NOW, grids=grids_frame())


def test_an_unknown_action_is_refused_with_a_message():
    with pytest.raises(IllegalTransition, match="'fly'"):
        lifecycle.plan(report("submitted"), "fly", "x", NOW)


# --- due times and overdue ------------------------------------------------------------------
@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Asia/Urumqi", "Europe/Berlin", "UTC"])
def test_due_time_is_created_plus_sla_days_for_every_category_in_any_zone(zone):
    table = load_categories()
    # 23:30 local on the eve of a DST change in Berlin: days are 24 hours everywhere.
    created = pd.Timestamp("2026-03-28T23:30:00").tz_localize(zone)
    for code, sla in table["sla_days"].items():
        due = lifecycle.due_time(created, code, table)
        assert due - created == pd.Timedelta(hours=24 * int(sla)), code
        assert due.tz_convert("UTC") == created.tz_convert("UTC") + pd.Timedelta(days=int(sla))
    assert lifecycle.due_time(created, "no-such-code", table) == created + pd.Timedelta(days=7)
    column = lifecycle.due_time(
        pd.Series([created, created]), pd.Series(["gas", "greenery"]), table
    )
    assert column.tolist() == [created + pd.Timedelta(days=1), created + pd.Timedelta(days=10)]


def test_overdue_is_open_and_past_due_whatever_zone_now_is_given_in():
    due = pd.Timestamp("2026-07-04T02:00:00Z")  # 10:00 in Shanghai, 08:00 in Urumqi
    just_before = pd.Timestamp("2026-07-04T09:59:59+08:00")
    just_after = pd.Timestamp("2026-07-04T08:00:01+06:00")  # the same instant + 2 s, elsewhere
    for status in OPEN_STATUSES:
        assert not lifecycle.is_overdue(report(status, due_at=due), just_before)
        assert not lifecycle.is_overdue(report(status, due_at=due), due)
        assert lifecycle.is_overdue(report(status, due_at=due), just_after)
    for status in set(STATUSES) - set(OPEN_STATUSES):
        assert not lifecycle.is_overdue(report(status, due_at=due), just_after)
    assert not lifecycle.is_overdue(report("dispatched", due_at=None), just_after)
    naive_utc = datetime(2026, 7, 4, 2, 0, 1)  # a naive now is UTC
    assert lifecycle.is_overdue(report("dispatched", due_at=due), naive_utc)


def test_resolved_late_judges_resolution_time_and_never_rejections():
    due = pd.Series(pd.to_datetime(["2026-07-04T02:00:00Z"] * 5, utc=True))
    resolved = pd.Series(
        pd.to_datetime(["2026-07-03T00:00:00Z", "2026-07-05T00:00:00Z", None, None, None], utc=True)
    )
    status = pd.Series(["closed", "resolved", "in_progress", "rejected", "dispatched"])
    now = pd.Timestamp("2026-07-06T00:00:00Z")
    late = lifecycle.resolved_late(due, resolved, status, now)
    assert late.tolist() == [False, True, True, False, True]
    early = lifecycle.resolved_late(due, resolved, status, pd.Timestamp("2026-07-01T00:00Z"))
    assert early.tolist() == [False, True, False, False, False]


def community() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"community_id": ["c1"], "name": ["测试"], "tz": ["Asia/Shanghai"]},
        geometry=[box(0, 0, 2, 1)],
        crs=4326,
    )


def loaded(store):
    store.load_community({"community": community(), "grids": grids_frame()})
    return store


def draft(lon=0.5, lat=0.5, **extra) -> intake.Draft:
    values = {
        "community_id": "c1",
        "lon": lon,
        "lat": lat,
        "category": "drainage",
        "description": "下水道堵了，电话13812345678",
        "source": "wechat",
        "reporter_name": "张三",
        "reporter_phone": "13812345678",
    }
    return intake.Draft(**{**values, **extra})


def test_intake_saves_accepts_and_dispatches_with_the_sla_due_time(store):
    loaded(store)
    result = intake.submit(store, draft(), "社区受理 community intake", NOW, grids_frame())
    got = result.report
    assert result.dispatched
    assert (got["status"], got["grid_id"], got["assignee"]) == ("dispatched", "G1", "王秀梅")
    assert got["due_at"] == NOW.tz_convert("UTC") + pd.Timedelta(days=3)  # drainage: 3 days
    assert got["external_id"] == f"GM-{int(got['report_id']):06d}"
    assert got["reporter_phone"] == "13812345678"  # stored whole; masked when shown
    history = store.report_history(got["report_id"])
    assert history[["from_status", "to_status"]].values.tolist() == [
        [None, "submitted"],
        ["submitted", "accepted"],
        ["accepted", "dispatched"],
    ]
    assert set(history["actor"]) == {"社区受理 community intake"}
    assert history["note"].iloc[0].startswith("微信群 WeChat group")


def test_intake_outside_every_grid_is_kept_accepted_and_unassigned(store):
    loaded(store)
    result = intake.submit(store, draft(lon=5, lat=5), "x", NOW, grids_frame())
    assert not result.dispatched
    assert result.report["status"] == "accepted"
    assert result.report["grid_id"] is None
    assert store.count("reports") == 1


def test_intake_as_duplicate_links_it_and_closes_it(store):
    loaded(store)
    first = intake.submit(store, draft(), "x", NOW, grids_frame()).report
    second = intake.submit(
        store, draft(), "x", NOW, grids_frame(), duplicate_of=int(first["report_id"])
    ).report
    assert (second["status"], second["duplicate_of"]) == ("duplicate", first["report_id"])
    assert second["closed_at"] == NOW.tz_convert("UTC")


def test_intake_refuses_bad_input_before_writing(store):
    loaded(store)
    bad = draft(lon=None, description="  ", category="nope", source="fax", reporter_phone="abc")
    problems = intake.check_draft(bad)
    keys = [p.key for p in problems]
    assert keys == [
        "reports.intake.no_place",
        "reports.intake.bad_category",
        "reports.intake.bad_source",
        "reports.intake.no_description",
        "reports.intake.bad_phone",
    ]
    assert all(p.message("zh") and p.message("en") for p in problems)
    with pytest.raises(intake.IntakeError):
        intake.submit(store, bad, "x", NOW, grids_frame())
    assert store.count("reports") == 0
    too_long = draft(description="水" * (intake.MAX_DESCRIPTION + 1))
    assert [p.key for p in intake.check_draft(too_long)] == ["reports.intake.long_description"]


def test_a_whole_loop_through_the_store_and_a_stale_click_refused(store):
    loaded(store)
    now = NOW
    got = intake.submit(store, draft(), "intake", now, grids_frame()).report
    seen = dict(got)
    for action, extra in [
        ("start", {}),
        ("escalate", {}),
        ("escalate", {}),
        ("resolve", {}),
        ("reopen", {}),
        ("start", {}),
        ("resolve", {}),
        ("close", {"rating": 4}),
    ]:
        got = lifecycle.apply(store, got, action, "王秀梅", now, note=action, **extra)
    assert (got["status"], got["rating"], got["escalation_level"]) == ("closed", 4, "street")
    history = store.report_history(got["report_id"])
    assert history["to_status"].tolist()[-4:] == ["reopened", "in_progress", "resolved", "closed"]
    assert len(history) == 11
    # A second person still looking at the dispatched report cannot move it.
    with pytest.raises(ReportConflict):
        lifecycle.apply(store, seen, "start", "李建军", now)
    assert len(store.report_history(got["report_id"])) == 11


def test_a_grid_chosen_by_hand_survives_reassignment(store):
    loaded(store)
    got = intake.submit(store, draft(lon=5, lat=5), "x", NOW, grids_frame()).report
    step = lifecycle.hand_assignment(got, "G2", "社区网格办", NOW, note="就近")
    after = store.update_report(got["report_id"], step.changes, step.expected, step.event)
    assert (after["grid_id"], after["grid_by_hand"], after["status"]) == ("G2", True, "accepted")
    summary = store.reassign("c1", open_only=True)
    assert summary.to_grid == 1
    assert store.read("reports")["grid_id"].tolist() == ["G2"]
    dispatched = lifecycle.apply(store, after, "dispatch", "x", NOW, grids=grids_frame())
    assert dispatched["assignee"] == lifecycle.office_actor("grid_office")  # G2 has no worker
    with pytest.raises(IllegalTransition, match="rejected"):
        lifecycle.hand_assignment({"status": "rejected"}, "G1", "x", NOW)


# --- photos -----------------------------------------------------------------------------------
def jpeg_with_gps(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {2: (39.0, 5.0, 0.0), 4: (117.0, 18.0, 0.0)}  # GPSInfo
    exif[0x0112] = 6  # rotated: stored sideways
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_re_encoded_upright_without_exif():
    photo = prepare_photo(jpeg_with_gps(), "门口.jpg")
    image = Image.open(io.BytesIO(photo.data))
    assert photo.mime == "image/jpeg" and image.format == "JPEG"
    assert (photo.width, photo.height) == (48, 64)  # orientation applied
    assert not image.getexif()
    assert b"GPS" not in photo.data and b"Exif" not in photo.data


def test_big_photos_are_scaled_and_transparent_ones_stay_png():
    out = io.BytesIO()
    Image.new("RGBA", (3000, 1000), (0, 0, 0, 0)).save(out, format="PNG")
    photo = prepare_photo(out.getvalue(), "x.png")
    assert photo.mime == "image/png" and (photo.width, photo.height) == (2048, 683)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "reports.photo.empty"),
        (b"%PDF-1.4 not a photo", "reports.photo.not_image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "reports.photo.not_image"),
        (b"\xff" * (MAX_BYTES + 1), "reports.photo.too_large"),
    ],
)
def test_what_is_not_a_photo_or_too_large_is_refused(data, key):
    with pytest.raises(PhotoError) as refused:
        prepare_photo(data, "file.bin")
    assert refused.value.key == key
    assert "file.bin" in refused.value.message("en") and refused.value.message("zh")


def test_a_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG", optimize=True)
    assert len(out.getvalue()) < MAX_BYTES
    with pytest.raises(PhotoError) as refused:
        prepare_photo(out.getvalue(), "bomb.png")
    assert refused.value.key == "reports.photo.too_many_pixels"


def test_intake_stores_the_photo_with_the_report(store):
    loaded(store)
    photo = prepare_photo(jpeg_with_gps(), "门口.jpg")
    got = intake.submit(store, draft(), "张", NOW, grids_frame(), photo=photo).report
    stored = store.photos(got["report_id"])
    assert len(stored) == 1 and stored[0].data == photo.data
    assert (stored[0].name, stored[0].added_by, stored[0].mime) == ("门口.jpg", "张", "image/jpeg")


def test_errors_of_the_lifecycle_are_gridmap_errors():
    # So pages and the CLI show them as one translated line, never a traceback.
    assert issubclass(IllegalTransition, GridmapError)
    assert issubclass(intake.IntakeError, GridmapError)
    assert issubclass(PhotoError, GridmapError)
