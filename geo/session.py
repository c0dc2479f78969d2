"""Who is using the app in this browser session: sign-in, sign-out and demo mode.

:func:`gate` runs at the top of every run of the app. On PostGIS, or once any
user exists, it shows the sign-in form until a person signs in, and afterwards
checks on every run that the user still exists and is not disabled. An embedded
store with no users runs in demo mode: a labelled banner and a role switcher, so
anyone can see what each role may do. The person found is kept for the run and
read with :func:`current_user`; every write goes through a store guarded for them
(:func:`geo.ui.store`).
"""

from __future__ import annotations

import time

import streamlit as st

from geo import users
from geo.access import ROLES, User
from geo.i18n import t
from geo.model import is_missing
from geo.store.base import Store

SIGNED_IN = "signed_in_user"  # session state: the name of the person signed in
_CURRENT = "current_user"  # session state: the User of this run
_FAILURES = "sign_in_failures"  # session state: (count, time of the last failure)
MAX_FAILURES = 5  # wrong passwords in a row before the form waits
WAIT_S = 30


def current_user() -> User | None:
    """The person of this run (set by :func:`gate`), or None before it ran."""
    return st.session_state.get(_CURRENT)


def gate(store: Store, lang: str) -> User:
    """The person using the app; shows the sign-in form and stops the run when nobody is."""
    if users.sign_in_required(store):
        user = _signed_in(store, lang)
    else:
        user = _demo_mode(store, lang)
    st.session_state[_CURRENT] = user
    return user


def _signed_in(store: Store, lang: str) -> User:
    name = st.session_state.get(SIGNED_IN)
    user = users.find(store, name) if name else None
    if user is None:
        st.session_state.pop(SIGNED_IN, None)
        st.session_state.pop(_CURRENT, None)
        _sign_in_form(store, lang)
        st.stop()
    with st.sidebar:
        st.caption(t("signin.as", lang, name=user.name, role=t(f"role.{user.role}", lang)))
        st.button(t("signin.sign_out", lang), key="sign_out", on_click=sign_out)
    return user


def sign_out() -> None:
    """Forget the person signed in (a button callback)."""
    for key in (SIGNED_IN, _CURRENT, _FAILURES):
        st.session_state.pop(key, None)


def _sign_in_form(store: Store, lang: str) -> None:
    st.title(t("app.title", lang))
    count, last = st.session_state.get(_FAILURES, (0, 0.0))
    waiting = count >= MAX_FAILURES and time.monotonic() - last < WAIT_S
    with st.form("sign_in"):
        st.subheader(t("signin.title", lang))
        name = st.text_input(t("signin.name", lang), key="sign_in_name")
        password = st.text_input(t("signin.password", lang), type="password", key="sign_in_pw")
        submitted = st.form_submit_button(t("signin.submit", lang), type="primary")
    if not submitted:
        return
    if waiting:
        st.error(t("signin.wait", lang, seconds=WAIT_S))
        return
    user = users.authenticate(store, name.strip(), password)
    if user is None:
        st.session_state[_FAILURES] = (count + 1, time.monotonic())
        st.error(t("users.bad_sign_in", lang))
        return
    st.session_state.pop(_FAILURES, None)
    st.session_state[SIGNED_IN] = user.name
    st.rerun()


def _workers(store: Store) -> list[str]:
    grids = store.read("grids")
    names = {str(n) for n in grids["worker_name"] if not is_missing(n) and str(n).strip()}
    return sorted(names)


def _demo_mode(store: Store, lang: str) -> User:
    with st.sidebar:
        st.warning(t("signin.demo_mode", lang))
        role = st.selectbox(
            t("signin.demo_role", lang),
            ROLES,
            format_func=lambda r: t(f"role.{r}", lang),
            key="demo_role",
        )
        worker = None
        if role == "grid_worker":
            workers = _workers(store)
            if workers:
                worker = st.selectbox(t("signin.demo_worker", lang), workers, key="demo_worker")
    return users.demo_user(role, worker)
