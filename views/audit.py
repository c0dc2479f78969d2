"""Administration page: the audit log (filter, read, export) and the users."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from geo import ui, users
from geo.access import ROLES
from geo.errors import GridmapError
from geo.i18n import t
from geo.store import audit

lang = ui.lang()
store = ui.store()
st.title(t("page.audit", lang))
try:
    log = store.audit_log()  # refused, with the reason, for anyone but an administrator
except GridmapError as exc:
    st.error(ui.plain(exc.message(lang)))
    st.stop()
zone = ui.settings().tz

tab_log, tab_users = st.tabs([t("audit.tab.log", lang), t("audit.tab.users", lang)])
with tab_log:
    today = pd.Timestamp.now(tz=zone).date()
    first = log["at"].min().tz_convert(zone).date() if len(log) else today
    cols = st.columns([2, 2, 2, 3])
    period = cols[0].date_input(
        t("audit.period", lang), (max(first, today - timedelta(days=30)), today), key="audit_period"
    )
    entities = cols[1].multiselect(
        t("audit.entities", lang),
        sorted(audit.AUDITED),
        format_func=lambda e: t(f"audit.entity.{e}", lang),
        key="audit_entities",
        placeholder=t("audit.all", lang),
    )
    actor_names = sorted(log["actor"].fillna(t("audit.outside", lang)).unique())
    actors = cols[2].multiselect(
        t("audit.actors", lang), actor_names, key="audit_actors", placeholder=t("audit.all", lang)
    )
    text = cols[3].text_input(t("audit.search", lang), key="audit_search")
    since = until = None
    if isinstance(period, tuple) and len(period) == 2:
        since = pd.Timestamp(period[0], tz=zone)
        until = pd.Timestamp(period[1], tz=zone) + pd.Timedelta(days=1)
    shown = log.assign(actor=log["actor"].fillna(t("audit.outside", lang)))
    shown = audit.filtered(shown, entities, actors, None, since, until, text.strip() or None)
    st.caption(t("audit.count", lang, n=len(shown), total=len(log)))
    flat = audit.table(shown, zone)
    st.dataframe(
        flat.assign(
            entity=flat["entity"].map(lambda e: t(f"audit.entity.{e}", lang)),
            action=flat["action"].map(lambda a: t(f"audit.action.{a}", lang)),
        ),
        hide_index=True,
        use_container_width=True,
        column_config={
            "audit_id": st.column_config.NumberColumn("#", width="small"),
            "at": t("audit.col.at", lang),
            "actor": t("audit.col.actor", lang),
            "community_id": t("app.community", lang),
            "entity": t("audit.col.entity", lang),
            "entity_id": t("audit.col.entity_id", lang),
            "action": t("audit.col.action", lang),
            "changed": t("audit.col.changed", lang),
            "before": t("audit.col.before", lang),
            "after": t("audit.col.after", lang),
        },
    )
    left, right = st.columns(2)
    left.download_button(
        t("audit.export_csv", lang),
        audit.csv_bytes(flat),
        file_name="audit_log.csv",
        mime="text/csv",
        key="audit_csv",
    )
    right.download_button(
        t("audit.export_xlsx", lang),
        audit.xlsx_bytes(flat),
        file_name="audit_log.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="audit_xlsx",
    )

with tab_users:
    st.dataframe(users.listing(store), hide_index=True, use_container_width=True)
    with st.form("user_add", clear_on_submit=True):
        st.subheader(t("audit.user_add", lang))
        a, b = st.columns(2)
        name = a.text_input(t("signin.name", lang), key="user_add_name")
        role = b.selectbox(t("audit.role", lang), ROLES, format_func=lambda r: t(f"role.{r}", lang))
        full_name = a.text_input(t("audit.full_name", lang), key="user_add_full_name")
        grids = b.text_input(t("audit.grids", lang), key="user_add_grids")
        password = a.text_input(t("signin.password", lang), type="password", key="user_add_pw")
        again = b.text_input(t("users.prompt_again", lang), type="password", key="user_add_pw2")
        if st.form_submit_button(t("audit.user_add", lang), type="primary"):
            try:
                if password != again:
                    raise users.UserError("users.passwords_differ")
                chosen = tuple(g.strip() for g in grids.split(",") if g.strip())
                users.add_user(
                    store, name.strip(), role, password, full_name.strip() or None, None, chosen
                )
                st.success(t("users.added", lang, name=name, role=t(f"role.{role}", lang)))
            except GridmapError as exc:
                st.error(ui.plain(exc.message(lang)))
    names = list(users.listing(store)["name"])
    if names:
        c1, c2 = st.columns([3, 2])
        who = c1.selectbox(t("audit.user", lang), names, key="user_toggle_name")
        disabled = bool(users.listing(store).set_index("name").loc[who, "disabled"])
        label = "audit.user_enable" if disabled else "audit.user_disable"
        if c2.button(t(label, lang), key="user_toggle"):
            try:
                users.set_disabled(store, who, not disabled)
                st.rerun()
            except GridmapError as exc:
                st.error(ui.plain(exc.message(lang)))
