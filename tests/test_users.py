"""Users (geo/users.py) and ``gridmap users`` (geo/user_commands.py), on both stores."""

from __future__ import annotations

import io
import subprocess
import sys

import argon2
import pytest

from geo import users
from geo.access import User
from geo.errors import StoreError
from geo.user_commands import read_password
from geo.users import UserError


def test_a_user_signs_in_with_their_password_only(store):
    users.add_user(store, "wang", "grid_worker", "正确的密码 ok", full_name="王秀梅", grids=("G1",))
    stored = store.users().iloc[0]["password_hash"]
    assert stored.startswith("$argon2id$") and "正确" not in stored
    assert users.authenticate(store, "wang", "正确的密码 ok") == User(
        "wang", "grid_worker", "王秀梅", None, ("G1",)
    )
    assert users.authenticate(store, "wang", "正确的密码 OK") is None
    assert users.authenticate(store, "nobody", "正确的密码 ok") is None


def test_a_disabled_user_cannot_sign_in_until_enabled(store):
    users.add_user(store, "root", "admin", "root password")
    users.add_user(store, "zhao", "secretary", "zhao password")
    users.set_disabled(store, "zhao")
    assert users.authenticate(store, "zhao", "zhao password") is None
    assert users.find(store, "zhao") is None
    users.set_disabled(store, "zhao", False)
    assert users.authenticate(store, "zhao", "zhao password").role == "secretary"


def test_the_last_active_admin_cannot_be_disabled(store):
    users.add_user(store, "root", "admin", "root password")
    with pytest.raises(UserError, match="last active administrator"):
        users.set_disabled(store, "root")
    users.add_user(store, "root2", "admin", "root password")
    users.set_disabled(store, "root")
    assert users.find(store, "root") is None


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("a b", "admin", "long enough", "user name"),
        ("<script>", "admin", "long enough", "user name"),
        ("ok", "admin", "short", "at least 8"),
        ("ok", "mayor", "long enough", "unknown role"),
    ],
)
def test_bad_names_roles_and_passwords_are_refused_and_nothing_is_added(
    store, name, role, password, message
):
    with pytest.raises(Exception, match=message):
        users.add_user(store, name, role, password)
    assert store.users().empty


def test_a_name_is_taken_once(store):
    users.add_user(store, "wang", "grid_worker", "long enough")
    with pytest.raises(StoreError, match="already exists"):
        users.add_user(store, "wang", "admin", "long enough")
    assert list(store.users()["role"]) == ["grid_worker"]


def test_a_weak_hash_is_upgraded_at_the_next_sign_in(store):
    users.add_user(store, "wang", "grid_worker", "long enough")
    weak = argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("long enough")
    store.update_user("wang", {"password_hash": weak})
    assert users.authenticate(store, "wang", "long enough") is not None
    assert store.users().iloc[0]["password_hash"] != weak


def test_sign_in_is_required_on_postgis_and_once_a_user_exists(store):
    if store.embedded:
        assert not users.sign_in_required(store)  # demo mode
        users.add_user(store, "root", "admin", "root password")
    assert users.sign_in_required(store)


# --- gridmap users -------------------------------------------------------------------------


def _gridmap(db, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo.cli", "users", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={"GRIDMAP_DB": str(db), "GRIDMAP_LANG": "en", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


def test_the_users_command_takes_the_password_from_standard_input_never_an_argument(tmp_path):
    db = tmp_path / "s.gpkg"
    done = _gridmap(db, "add", "root", "--role", "admin", stdin="root password\n")
    assert done.returncode == 0, done.stderr
    assert "root added as administrator" in done.stdout
    refused = _gridmap(db, "add", "eve", "--role", "admin", "--password", "x")
    assert refused.returncode == 2 and "unrecognized arguments" in refused.stderr
    empty = _gridmap(db, "add", "eve", "--role", "admin")
    assert empty.returncode == 2 and "no password" in empty.stderr
    added = _gridmap(
        db, "add", "wang", "--role", "grid_worker", "--grids", "G1,G2", stdin="wang pass\n"
    )
    assert added.returncode == 0, added.stderr
    assert _gridmap(db, "passwd", "wang", stdin="new wang pass\n").returncode == 0
    assert _gridmap(db, "disable", "wang").returncode == 0
    listed = _gridmap(db, "list").stdout
    assert "root\tadmin" in listed and "wang\tgrid_worker (disabled)\tgrids=G1,G2" in listed
    assert "argon2" not in listed
    last = _gridmap(db, "disable", "root")
    assert last.returncode == 2 and "last active administrator" in last.stderr

    from geo.store.gpkg import GeoPackageStore

    store = GeoPackageStore(db)
    assert users.authenticate(store, "root", "root password") is not None
    log = store.audit_log()
    assert set(log["actor"]) == {next(a for a in log["actor"] if a.startswith("cli:"))}


def test_a_password_at_a_terminal_is_asked_twice(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    answers = iter(["first one", "second one"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(UserError, match="differ"):
        read_password("wang", "en", Terminal())
    answers = iter(["same pass", "same pass"])
    assert read_password("wang", "en", Terminal()) == "same pass"
    assert read_password("wang", "en", io.StringIO("piped pass\r\nrest\n")) == "piped pass"
