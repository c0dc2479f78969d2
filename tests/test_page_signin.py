"""Sign-in, sign-out, demo mode and the administration page under Streamlit's AppTest.

On a copy of the demo GeoPackage: with no users the app runs in labelled demo mode;
once a user exists every page waits behind the sign-in form.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import users
from geo.access import User
from geo.store.gpkg import GeoPackageStore
from geo.store.guarded import GuardedStore

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture
def db(demo_gpkg, tmp_path, monkeypatch) -> Path:
    path = tmp_path / "demo.gpkg"
    shutil.copy(demo_gpkg, path)
    monkeypatch.setenv("GRIDMAP_DB", str(path))
    monkeypatch.setenv("GRIDMAP_LANG", "en")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path
    st.cache_resource.clear()
    st.cache_data.clear()


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=120)


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.error] + [e.value for e in at.warning]
    return "\n".join(str(p) for p in parts)


def _sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_pw").input(password)
    at.button[0].click().run()  # the form's submit button
    return at


def test_without_users_the_app_runs_in_labelled_demo_mode(db):
    at = _app().run()
    assert not at.exception
    assert "Demo mode" in _texts(at) and "gridmap users add" in _texts(at)
    assert at.selectbox(key="demo_role").value == "admin"
    assert at.title[0].value.startswith("Overview")


def test_once_a_user_exists_every_page_waits_for_sign_in(db):
    users.add_user(GeoPackageStore(db), "zhao", "secretary", "zhao password")
    at = _app().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Community Grid Map"]
    assert "Demo mode" not in _texts(at)
    assert not at.dataframe and not at.metric  # nothing of the data before sign-in
    _sign_in(at, "zhao", "wrong password")
    assert "wrong user name or password" in _texts(at)
    assert [t.value for t in at.title] == ["Community Grid Map"]
    _sign_in(at, "zhao", "zhao password")
    assert not at.exception
    assert at.title[0].value.startswith("Overview")
    assert "Signed in as **zhao** (community secretary)" in _texts(at)


def test_a_wrong_name_reads_like_a_wrong_password_and_repeated_failures_wait(db):
    users.add_user(GeoPackageStore(db), "zhao", "secretary", "zhao password")
    at = _app().run()
    _sign_in(at, "nobody", "zhao password")
    assert "wrong user name or password" in _texts(at)
    for _ in range(5):
        _sign_in(at, "zhao", "not it")
    _sign_in(at, "zhao", "zhao password")  # right, but too soon after five failures
    assert "Too many wrong passwords" in _texts(at)
    assert at.title[0].value == "Community Grid Map"


def test_signing_out_and_being_disabled_both_end_the_session(db):
    store = GeoPackageStore(db)
    users.add_user(store, "root", "admin", "root password")
    users.add_user(store, "zhao", "secretary", "zhao password")
    at = _sign_in(_app().run(), "zhao", "zhao password")
    at.button(key="sign_out").click().run()
    assert at.title[0].value == "Community Grid Map"
    _sign_in(at, "zhao", "zhao password")
    assert at.title[0].value.startswith("Overview")
    users.set_disabled(GuardedStore(store, User("root", "admin")), "zhao")
    at.run()  # the next click of a disabled user
    assert at.title[0].value == "Community Grid Map"


def test_the_audit_page_is_an_administrators(db):
    store = GeoPackageStore(db)
    users.add_user(store, "root", "admin", "root password")
    users.add_user(store, "zhao", "secretary", "zhao password")
    at = _sign_in(_app().run(), "zhao", "zhao password")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/audit.py")  # not in a secretary's navigation at all

    at = _sign_in(_app().run(), "root", "root password")
    at.switch_page("views/audit.py").run()
    assert not at.exception
    log = at.dataframe[0].value
    assert set(log["entity_id"].dropna()) >= {"root", "zhao"}  # the two users added
    at.multiselect(key="audit_entities").set_value(["users"]).run()
    assert list(at.dataframe[0].value["entity_id"]) == ["zhao", "root"]
    at.text_input(key="audit_search").input("zhao").run()
    assert list(at.dataframe[0].value["entity_id"]) == ["zhao"]


def test_an_administrator_adds_and_disables_users_on_the_page(db):
    store = GeoPackageStore(db)
    users.add_user(store, "root", "admin", "root password")
    at = _sign_in(_app().run(), "root", "root password")
    at.switch_page("views/audit.py").run()
    at.text_input(key="user_add_name").input("wang")
    at.text_input(key="user_add_full_name").input("王秀梅")
    at.text_input(key="user_add_pw").input("wang password")
    at.text_input(key="user_add_pw2").input("wang password")
    next(b for b in at.button if b.label == "Add a user").click().run()
    assert not at.exception
    assert users.authenticate(store, "wang", "wang password").full_name == "王秀梅"
    at.selectbox(key="user_toggle_name").select("wang").run()
    at.button(key="user_toggle").click().run()
    assert users.find(store, "wang") is None
    log = store.audit_log()
    assert list(log.loc[log["entity"] == "users", "actor"].head(2)) == ["root", "root"]
