"""Roles enforced where data changes (geo/access.py, geo/store/guarded.py), on both stores.

Each refusal is checked together with what it protects: the store is read again
after the refused write and must hold what it held before.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo import access, users
from geo.access import AccessDenied, User
from geo.exporting import export_layer
from geo.store.base import ReportConflict
from geo.store.guarded import GuardedStore
from tests.test_store_contract import every_layer, reports

ADMIN = User("root", "admin")
SECRETARY = User("zhao", "secretary")
PLANNER = User("qian", "planner")
RENOVATION = User("sun", "renovation")
WORKER = User("wang", "grid_worker", full_name="王秀梅")  # the worker of G1, G3, G5, G7, G9
OTHER_WORKER = User("li", "grid_worker", grids=("G2",))


@pytest.fixture
def loaded(store):
    store.load_community(every_layer())  # reports 1..6 lie in G1..G6
    return store


def as_(store, user: User) -> GuardedStore:
    return GuardedStore(store, user)


# --- the rules themselves ------------------------------------------------------------------


def test_a_grid_workers_own_grids_come_from_the_list_or_from_their_name(loaded):
    grids = loaded.read("grids")
    assert WORKER.own_grids(grids) == {"G1", "G3", "G5", "G7", "G9"}
    assert OTHER_WORKER.own_grids(grids) == {"G2"}
    assert PLANNER.own_grids(grids) == set()


def test_an_unknown_role_is_refused_with_the_roles_named():
    with pytest.raises(Exception, match="grid_worker"):
        User("x", "mayor")


@pytest.mark.parametrize(
    ("user", "grid", "sees"),
    [
        (ADMIN, "G2", True),
        (SECRETARY, "G2", True),
        (WORKER, "G1", True),
        (WORKER, "G2", False),
        (WORKER, None, False),
        (PLANNER, "G1", False),
        (RENOVATION, "G1", False),
        (None, "G1", False),
    ],
)
def test_who_sees_residents_details(user, grid, sees):
    assert access.sees_private(user, grid, {"G1", "G3"}) is sees


# --- layers ---------------------------------------------------------------------------------


def test_only_planners_and_admins_change_grids(loaded):
    grids = loaded.read("grids")
    moved = grids.iloc[[0]].assign(name="新名字")
    for user in (SECRETARY, RENOVATION, WORKER):
        with pytest.raises(AccessDenied, match="planners"):
            as_(loaded, user).upsert("grids", moved)
    assert loaded.read("grids")["name"].tolist() == grids["name"].tolist()
    as_(loaded, PLANNER).upsert("grids", moved)
    assert loaded.read("grids").set_index("grid_id").loc["G1", "name"] == "新名字"


def test_only_the_renovation_team_and_admins_change_buildings(loaded):
    building = loaded.read("buildings").iloc[[0]].assign(floors=9)
    for user in (SECRETARY, PLANNER, WORKER):
        with pytest.raises(AccessDenied, match="renovation"):
            as_(loaded, user).upsert("buildings", building)
    assert loaded.read("buildings")["floors"].iloc[0] == 6
    as_(loaded, RENOVATION).upsert("buildings", building)
    assert loaded.read("buildings")["floors"].iloc[0] == 9


def test_a_user_of_one_community_cannot_change_another(loaded):
    planner_elsewhere = User("qian2", "planner", community_id="c2")
    with pytest.raises(AccessDenied, match="another community"):
        as_(loaded, planner_elsewhere).upsert("grids", loaded.read("grids").iloc[[0]])


def test_bulk_imports_of_reports_and_whole_communities_are_for_admins(loaded):
    for user in (SECRETARY, PLANNER, WORKER):
        with pytest.raises(AccessDenied):
            as_(loaded, user).add_reports(reports(2, prefix="X"))
        with pytest.raises(AccessDenied):
            as_(loaded, user).load_community(every_layer("c9"))
    assert loaded.count("reports") == 6
    assert as_(loaded, ADMIN).add_reports(reports(2, prefix="X")).inserted == 2


# --- reports --------------------------------------------------------------------------------


def test_a_grid_worker_moves_the_reports_of_their_own_grids_only(loaded):
    worker = as_(loaded, WORKER)
    done = worker.update_report(1, {"status": "accepted"}, expected={"status": "submitted"})
    assert done["status"] == "accepted"  # report 1 is in G1, one of 王秀梅's grids
    with pytest.raises(AccessDenied, match="G2"):
        worker.update_report(2, {"status": "accepted"})
    with pytest.raises(AccessDenied, match="G2"):
        worker.add_photo(2, b"\xff\xd8\xff", "image/jpeg")
    assert loaded.report(2)["status"] == "submitted"
    assert loaded.photos(2) == []


def test_a_grid_workers_change_fails_when_the_report_left_their_grid_meanwhile(loaded):
    worker = as_(loaded, WORKER)
    checked = worker._check_report  # the check sees G1 ...
    seen = loaded.report(1)

    def moved_after_check(report_id):
        result = checked(report_id)
        loaded.update_report(1, {"grid_id": "G2"})  # ... then a planner's save moves it
        return result

    worker._check_report = moved_after_check
    with pytest.raises(ReportConflict):
        worker.update_report(1, {"status": "accepted"})
    assert loaded.report(1)["status"] == seen["status"]


def test_secretaries_planners_and_the_renovation_team_do_not_move_reports(loaded):
    for user in (SECRETARY, PLANNER, RENOVATION):
        with pytest.raises(AccessDenied, match="move reports"):
            as_(loaded, user).update_report(1, {"status": "accepted"})
        with pytest.raises(AccessDenied, match="log reports"):
            as_(loaded, user).add_report(reports(1, prefix="N"))
    assert loaded.report(1)["status"] == "submitted"
    assert loaded.count("reports") == 6


def test_whoever_logs_a_report_finishes_its_intake_even_in_another_grid(loaded):
    worker = as_(loaded, WORKER)
    new = reports(2, prefix="N").iloc[[1]]  # lands in G2, not one of 王秀梅's grids
    report_id = worker.add_report(new)
    assert loaded.report(report_id)["grid_id"] == "G2"
    worker.update_report(report_id, {"status": "accepted"})
    with pytest.raises(AccessDenied):  # a later operation is an ordinary change
        as_(loaded, WORKER).update_report(report_id, {"status": "dispatched"})


# --- users, the audit log, exports ------------------------------------------------------------


def test_users_and_the_audit_log_are_for_admins_but_anyone_changes_their_password(loaded):
    users.add_user(as_(loaded, ADMIN), "zhao", "secretary", "a long password")
    secretary = as_(loaded, SECRETARY)
    for call in (secretary.users, secretary.audit_log, secretary.audit_raw):
        with pytest.raises(AccessDenied, match="administrator"):
            call()
    with pytest.raises(AccessDenied):
        users.add_user(secretary, "eve", "admin", "a long password")
    with pytest.raises(AccessDenied):
        secretary.update_user("zhao", {"role": "admin"})
    users.set_password(secretary, "zhao", "another long one")
    assert users.authenticate(loaded, "zhao", "another long one") == SECRETARY
    assert list(loaded.users()["name"]) == ["zhao"]


def test_only_secretaries_and_admins_export_residents_details(loaded, tmp_path: Path):
    loaded.update_report(1, {"reporter_name": "张三", "reporter_phone": "13812341234"})
    target = tmp_path / "reports.csv"
    for user in (PLANNER, RENOVATION, WORKER):
        with pytest.raises(AccessDenied, match="phone"):
            export_layer(as_(loaded, user), "reports", target, include_private=True)
        assert not target.exists()
    export_layer(as_(loaded, PLANNER), "reports", target)  # masked: open to every role
    masked = pd.read_csv(target, dtype=str).set_index("report_id").loc["1"]
    assert (masked["reporter_name"], masked["reporter_phone"]) == ("张*", "138****1234")
    export_layer(as_(loaded, SECRETARY), "reports", target, include_private=True)
    full = pd.read_csv(target, dtype=str).set_index("report_id").loc["1"]
    assert (full["reporter_name"], full["reporter_phone"]) == ("张三", "13812341234")
