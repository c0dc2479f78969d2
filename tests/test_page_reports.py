"""The Reports page under Streamlit's AppTest, on a copy of the demo community.

A person takes a report in (placing it on a building), sees where it went, is
offered the duplicates around it, moves a report through its states from the queue,
chooses a grid by hand for a report outside every grid, and sees residents' details
masked unless their role needs them. Every test writes to its own copy of the store.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import streamlit as st
from shapely.geometry import Point

from geo import intake, lifecycle
from geo.assign import assign_grids
from geo.model import OPEN_STATUSES
from geo.store.gpkg import GeoPackageStore
from geo.ui import plain
from tests.app_support import app_test

APP = str(Path(__file__).resolve().parents[1] / "app.py")
INTAKE = lifecycle.office_actor("intake")


@pytest.fixture
def db(demo_gpkg, tmp_path) -> Path:
    path = tmp_path / "demo.gpkg"
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(demo_gpkg) + suffix)
        if source.exists():
            shutil.copy(source, str(path) + suffix)
    return path


@pytest.fixture
def page(db, monkeypatch):
    monkeypatch.setenv("GRIDMAP_DB", str(db))
    monkeypatch.setenv("GRIDMAP_LANG", "en")
    st.cache_resource.clear()
    st.cache_data.clear()
    at = app_test(APP, 120)
    at.run()
    at.switch_page("views/reports.py")
    yield at
    st.cache_resource.clear()
    st.cache_data.clear()


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.success] + [e.value for e in at.warning]
    parts += [e.value for e in at.error] + [e.value for e in at.info]
    parts += [s.value for s in at.subheader]
    return "\n".join(str(p) for p in parts)


def act_as(at, role: str, worker: str | None = None):
    """Play ``role`` in demo mode (the store has no users), as a grid worker: ``worker``."""
    at.selectbox(key="demo_role").select(role).run()
    if worker is not None:
        at.selectbox(key="demo_worker").select(worker).run()
    assert not at.exception, at.exception
    return at


def open_in_queue(at, report_id: int, role: str | None = None, worker: str | None = None):
    at.query_params["view"] = "queue"
    at.query_params["report"] = str(report_id)
    at.run()
    if role is not None:
        act_as(at, role, worker)
    assert not at.exception, at.exception
    return at


def dispatched(store, building: int = 5) -> dict:
    """A fresh report, taken in on a building and dispatched to its grid's worker."""
    footprint = store.read("buildings").geometry.iloc[building].representative_point()
    draft = intake.Draft(
        community_id=store.community_ids()[0],
        lon=footprint.x,
        lat=footprint.y,
        category="drainage",
        description="下水道堵了",
        source="wechat",
        reporter_name="张三",
        reporter_phone="13812345678",
    )
    now = pd.Timestamp.now("UTC")
    return intake.submit(store, draft, INTAKE, now, store.read("grids")).report


def button(at, label: str):
    found = [b for b in at.button if b.label == label]
    assert found, (label, [b.label for b in at.button])
    return found[0]


def fill_intake(at, building: str, description: str, category="water_supply"):
    at.query_params["view"] = "intake"
    at.run()
    at.selectbox(key="intake_building").select(building).run()
    at.selectbox(key="intake_category").select(category)
    at.text_area(key="intake_description").input(description)
    at.selectbox(key="intake_source").select("hotline")
    at.text_input(key="intake_name").input("王大爷")
    at.text_input(key="intake_phone").input("13811112222")
    return at


def test_intake_on_a_building_dispatches_to_its_grids_worker(page, db):
    store = GeoPackageStore(db)
    building = store.read("buildings").iloc[7]
    grids = store.read("grids").set_index("grid_id")
    expected_grid = assign_grids([building.geometry.representative_point()], store.read("grids"))[0]
    worker = grids.loc[expected_grid, "worker_name"]
    before = store.count("reports")
    at = fill_intake(page, building["building_id"], "三单元水管漏水 <b>急</b>")
    assert f"grid **{expected_grid}**" in texts(at)
    at.button(key="intake_submit").click().run()
    assert not at.exception, at.exception
    message = at.success[0].value
    assert f"grid {expected_grid}" in message and f"dispatched to {worker}" in message
    assert store.count("reports") == before + 1
    new = store.read("reports").sort_values("report_id").iloc[-1]
    assert (new["status"], new["grid_id"], new["assignee"]) == ("dispatched", expected_grid, worker)
    assert new["building_id"] == building["building_id"]
    assert new["description"] == "三单元水管漏水 <b>急</b>"
    assert new["due_at"] - new["created_at"] == pd.Timedelta(days=2)  # water supply: 2 days
    events = store.report_history(new["report_id"])
    assert events["to_status"].tolist() == ["submitted", "accepted", "dispatched"]
    assert set(events["actor"]) == {"demo-admin"}  # the person using the app
    # The form is empty again for the next report.
    assert at.text_area(key="intake_description").value == ""


def test_a_report_near_an_open_one_is_offered_as_its_duplicate(page, db):
    store = GeoPackageStore(db)
    building = store.read("buildings").iloc[3]["building_id"]
    at = fill_intake(page, building, "楼道灯不亮", category="stairwell_lighting")
    at.button(key="intake_submit").click().run()
    first = int(store.read("reports")["report_id"].max())
    at = fill_intake(at, building, "楼道灯还是不亮", category="stairwell_lighting")
    at.button(key="intake_submit").click().run()
    assert "Is the new one a duplicate?" in texts(at)
    assert store.count("reports") == first  # nothing saved while the person decides
    button(at, f"Link as duplicate of #{first}").click().run()
    assert not at.exception, at.exception
    assert f"linked as a duplicate of #{first}" in at.success[0].value
    second = store.read("reports").set_index("report_id").loc[first + 1]
    assert (second["status"], second["duplicate_of"]) == ("duplicate", first)


def test_a_report_outside_every_grid_is_kept_and_given_a_grid_by_hand(page, db):
    store = GeoPackageStore(db)
    minx, miny, maxx, maxy = store.read("community").total_bounds
    outside = (round(maxx + 0.01, 6), round(maxy + 0.01, 6))
    assert assign_grids([Point(*outside)], store.read("grids"))[0] is None
    page.query_params["view"] = "intake"
    page.session_state["intake_point"] = outside
    page.run()
    assert "outside every grid" in texts(page)
    page.text_area(key="intake_description").input("小区外墙广告牌松动")
    page.button(key="intake_submit").click().run()
    assert "listed as unassigned" in page.success[0].value
    rid = int(store.read("reports")["report_id"].max())
    at = open_in_queue(page, rid)  # an administrator: a grid worker has no grid here
    assert "Dispatch to" not in " ".join(b.label for b in at.button)
    # The first choice is the grid nearest in metres (Tianjin's UTM zone, EPSG:32650).
    grids = store.read("grids").to_crs(32650)
    here = gpd.GeoSeries([Point(*outside)], crs=4326).to_crs(32650).iloc[0]
    nearest = grids.loc[grids.distance(here).idxmin(), "grid_id"]
    assert at.selectbox(key=f"hand_grid_{rid}").value == nearest
    at.selectbox(key=f"hand_grid_{rid}").select("G03").run()
    button(at, "Assign to grid G03").click().run()
    assert not at.exception, at.exception
    got = store.read("reports").set_index("report_id").loc[rid]
    assert (got["grid_id"], got["grid_by_hand"], got["status"]) == ("G03", True, "accepted")
    worker = store.read("grids").set_index("grid_id").loc["G03", "worker_name"]
    button(at, f"Dispatch to {worker}").click().run()
    got = store.read("reports").set_index("report_id").loc[rid]
    assert (got["status"], got["assignee"]) == ("dispatched", worker)


def test_the_worker_moves_a_report_through_its_states_from_the_queue(page, db):
    store = GeoPackageStore(db)
    mine = dispatched(store)
    rid, worker = int(mine["report_id"]), mine["assignee"]
    at = open_in_queue(page, rid, "grid_worker", worker)
    labels = [b.label for b in at.button]
    assert "Start work" in labels and "Escalate to the community" in labels
    assert "Close with rating" not in labels and "Accept" not in labels
    at.text_area(key=f"action_note_{rid}_dispatched_grid").input("已到现场")
    button(at, "Start work").click().run()
    assert not at.exception, at.exception
    assert "it is now in progress" in at.success[0].value
    button(at, "Resolve").click().run()
    button(at, "Close with rating").click().run()  # the worker records the resident's rating
    assert "1 to 5 stars" in at.error[0].value  # no rating chosen: refused, said why
    at.radio(key=f"action_rating_{rid}").set_value(4)
    button(at, "Close with rating").click().run()
    got = store.read("reports").set_index("report_id").loc[rid]
    assert (got["status"], got["rating"]) == ("closed", 4)
    events = store.report_history(rid).iloc[-3:]
    assert events["to_status"].tolist() == ["in_progress", "resolved", "closed"]
    assert events["actor"].tolist() == [worker, worker, worker]
    assert events["note"].iloc[0] == "已到现场"
    assert "居民评价4星" in events["note"].iloc[-1]
    assert [b.label for b in at.button if b.key and b.key.startswith("action_")] == ["Reopen"]
    history = texts(at)
    assert "in progress → resolved" in history and "已到现场" in history


def test_a_click_on_a_report_someone_else_moved_is_refused_with_the_reason(page, db):
    store = GeoPackageStore(db)
    rid = int(dispatched(store)["report_id"])
    at = open_in_queue(page, rid)
    seen = store.read("reports").set_index("report_id").loc[rid].to_dict()
    lifecycle.apply(store, {**seen, "report_id": rid}, "start", "李建军", pd.Timestamp.now("UTC"))
    events = len(store.report_history(rid))
    button(at, "Start work").click().run()
    assert not at.exception
    assert "was changed by someone else meanwhile" in at.error[0].value
    assert f"#{rid} · Drainage · in progress" in texts(at)  # shown as it is now
    assert len(store.report_history(rid)) == events  # nothing written


def test_the_reporter_is_masked_unless_the_role_needs_them(page, db):
    store = GeoPackageStore(db)
    row = dispatched(store)
    rid, phone = int(row["report_id"]), row["reporter_phone"]
    masked = plain(phone[:3] + "****" + phone[-4:])  # as Markdown shows it: 138****5678
    at = open_in_queue(page, rid, "planner")
    assert masked in texts(at) and phone not in texts(at)
    assert plain("张*") in texts(at) and "张三" not in texts(at)
    act_as(at, "secretary")
    assert phone in texts(at)
    act_as(at, "grid_worker", row["assignee"])  # the worker of the report's grid
    assert phone in texts(at)
    grids = store.read("grids")
    other = next(w for w in grids["worker_name"].dropna() if w != row["assignee"])
    act_as(at, "grid_worker", other)
    assert masked in texts(at) and phone not in texts(at)


def test_a_role_that_may_not_move_reports_is_told_why_and_offered_no_action(page, db):
    store = GeoPackageStore(db)
    row = dispatched(store)
    rid = int(row["report_id"])
    at = open_in_queue(page, rid, "secretary")
    assert "Start work" not in [b.label for b in at.button]
    assert "only grid workers and administrators move reports" in at.info[-1].value
    other = next(w for w in store.read("grids")["worker_name"].dropna() if w != row["assignee"])
    act_as(at, "grid_worker", other)
    assert "Start work" not in [b.label for b in at.button]
    assert "not one of" in at.info[-1].value
    act_as(at, "grid_worker", row["assignee"])
    assert "Start work" in [b.label for b in at.button]
    at.query_params["view"] = "intake"
    act_as(at, "planner")
    assert "only grid workers and administrators log reports" in at.info[-1].value
    assert not [w for w in at.text_area if w.key == "intake_description"]


def test_the_queue_filters_by_grid_status_and_overdue(page, db):
    store = GeoPackageStore(db)
    for building in range(0, 60, 3):
        dispatched(store, building)
    at = page
    at.query_params.update({"view": "queue", "grid": "G02", "overdue": "1"})
    at.run()
    assert not at.exception, at.exception
    reports = store.read("reports")
    now = pd.Timestamp.now("UTC")
    expected = reports[
        (reports["grid_id"] == "G02")
        & reports["status"].isin(OPEN_STATUSES)
        & (reports["due_at"] < now)
    ]
    shown = at.dataframe[0].value
    assert sorted(shown["#"].tolist()) == sorted(expected["report_id"].tolist())
    assert shown["Overdue"].all()
    dues = shown["Due"].tolist()
    assert dues == sorted(dues)


def test_the_page_speaks_chinese_and_prepares_the_files(page, monkeypatch):
    page.query_params.update({"view": "files", "lang": "zh"})
    page.run()
    assert not page.exception, page.exception
    assert page.title[0].value.startswith("诉求办理 · ")  # and the community's name
    button(page, "生成文件").click().run()
    labels = [b.label for b in page.get("download_button")]
    assert labels == ["Open311 JSON", "诉求台账（CSV）", "诉求台账（Excel）"]


def test_an_import_shows_its_counts_notes_and_rejected_rows(page, db):
    # The upload itself needs a browser; what it came to is shown from the session.
    from geo.categories import load_categories
    from geo.report_exchange import import_reports

    store = GeoPackageStore(db)
    community_id = str(store.read("community")["community_id"].iloc[0])
    before = len(store.read("reports"))
    content = (
        "来源编号,类别,创建时间,经度,纬度,状态\n"
        "W-1,积水,2026-12-01 08:00,117.309,39.090,已受理\n"
        "W-2,停车,2026-12-02 09:00,117.311,39.091,办理中呢\n"
    ).encode("gbk")
    outcome = import_reports(
        store, community_id, "Asia/Shanghai", load_categories(), "w.csv", content, "en"
    )
    assert len(store.read("reports")) == before + 1
    page.session_state["exchange_result"] = (outcome, "w.csv")
    page.query_params["view"] = "files"
    page.run()
    assert not page.exception, page.exception
    assert page.success[0].value == "Imported 1, skipped 0 already present, rejected 1."
    assert any("来源编号 → external" in c.value for c in page.caption)  # markdown-escaped
    rejected = page.dataframe[0].value
    assert rejected["row"].tolist() == ["3"] and "办理中呢" in rejected["reason"].iloc[0]
    labels = [b.proto.label for b in page.get("download_button")]
    assert "Download the rejected rows with their reasons" in labels
