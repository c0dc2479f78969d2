"""Grids page (for the planner): draw and edit grids, check them, preview, save versions,
look back at history, and get a proposal of balanced grids."""

import tempfile
from pathlib import Path

import streamlit as st

from geo import access, maps, ui
from geo.errors import GridmapError
from geo.grids import edit, propose, views
from geo.grids import maps as grid_maps
from geo.grids.preview import preview_change
from geo.grids.validate import Rules, validate_grids
from geo.grids.versions import (
    CHANGE_KEYS,
    changes_between,
    changes_display,
    reports_per_grid,
)
from geo.i18n import t
from geo.store.base import GridVersionConflict
from geo.store.grid_versions import grids_fingerprint

VIEWS = ("edit", "history", "propose")
VIEW_KEYS = {
    "edit": "grids.view.edit",
    "history": "grids.view.history",
    "propose": "grids.view.propose",
}
UPLOAD_TYPES = ["geojson", "json", "gpkg", "zip"]
MAP_HEIGHT = 620
RESET_KEY = views.RESET_KEY

lang = ui.lang()
store = ui.require_data(t("grids.title", lang))

community_id = ui.community_choice()
data = ui.layers(community_id)
community = data["community"].iloc[0]
tz = ui.community_zone(community_id)
ui.page_heading(t("grids.title", lang), community)

# --- sidebar: basemap, who is editing, the rules of the checks ----------------------------
basemap = st.sidebar.selectbox(
    t("map.basemap", lang),
    maps.BASEMAPS,
    index=maps.BASEMAPS.index(ui.query_choice("basemap", list(maps.BASEMAPS), "osm")),
    format_func=lambda b: t(f"map.basemap.{b}", lang),
)
with st.sidebar.expander(t("grids.rules", lang)):
    low, high = st.slider(
        t("grids.rules.band", lang),
        min_value=0,
        max_value=2000,
        value=(Rules.min_households, Rules.max_households),
        step=10,
        key="grids_band",
    )
    snap_m = float(
        st.number_input(
            t("grids.rules.snap", lang),
            min_value=0.0,
            max_value=20.0,
            value=edit.DEFAULT_SNAP_M,
            step=0.5,
            key="grids_snap",
        )
    )
    take = st.checkbox(t("grids.rules.take", lang), value=True, key="grids_take")
rules = Rules(min_households=int(low), max_households=int(high))
ctx = edit.EditContext.of(data["community"], snap_m=snap_m, take=take)

view = st.radio(
    t("grids.view", lang),
    VIEWS,
    index=VIEWS.index(ui.query_choice("view", list(VIEWS), "edit")),
    format_func=lambda v: t(VIEW_KEYS[v], lang),
    horizontal=True,
    label_visibility="collapsed",
)
st.query_params.update({"basemap": basemap, "view": view})
state, stored_base = views.draft(store, community_id, data["grids"])
views.show_flashes()


def checked(grids):
    """Validation and preview of a set of grids, kept while nothing they depend on changes."""
    key = views.signature(grids_fingerprint(grids), rules, ui.data_version())
    cached = st.session_state.get("grids_checked")
    if cached is None or cached[0] != key:
        validation = validate_grids(grids, data["community"], data["buildings"], rules, ctx.metric)
        preview = preview_change(data["grids"], grids, data["buildings"], data["reports"])
        cached = (key, validation, preview)
        st.session_state["grids_checked"] = cached
    return cached[1], cached[2]


def change(grids, origin: str, message: str) -> None:
    state.change(grids, origin)
    views.flash("success", message)
    st.session_state[RESET_KEY] = True
    st.rerun()


def reset_widgets() -> None:
    """After an edit or a save, the choices made for it are cleared (before the widgets)."""
    if st.session_state.pop(RESET_KEY, False):
        for key in ("grids_several", "grids_selected", "grids_note", "grids_anyway"):
            st.session_state.pop(key, None)


def edit_view() -> None:
    reset_widgets()
    validation, preview = checked(state.grids)
    codes = edit.codes_of(state.grids)
    with st.container():  # always there: the map below keeps its place in the page
        if state.base != stored_base:
            st.warning(
                t("grids.stale_draft", lang, base=state.base.version, now=stored_base.version)
            )
    st.caption(
        t(
            "grids.draft_caption",
            lang,
            origin=t(state.origin, lang),
            version=state.base.version,
            n=len(codes),
            dirty=t("grids.unsaved" if state.dirty else "grids.saved", lang),
        )
    )
    selected = st.session_state.get("grids_selected") or None
    left, right = st.columns([3, 2])
    with left:
        views.editor(state, data, validation, ctx, lang, basemap, selected, MAP_HEIGHT)
        st.caption(t("grids.draw_hint", lang, m=f"{snap_m:g}"))
    with right:
        views.validation_panel(validation, lang)
    actions(codes, validation)
    views.preview_panel(preview, lang, state.dirty)
    save_form(validation)


def actions(codes: list[str], validation) -> None:
    """Attribute form, delete, merge, repair, upload, undo and discard."""
    st.subheader(t("grids.actions", lang))
    a, b = st.columns(2)
    with a:
        chosen = st.selectbox(
            t("grids.choose", lang),
            [""] + codes,
            key="grids_selected",
            format_func=lambda c: c or t("grids.choose_none", lang),
        )
        if chosen:
            row = state.grids[state.grids["grid_id"] == chosen].iloc[0]
            with st.form("grids_attributes"):
                values = {
                    "grid_id": st.text_input(t("grids.field.code", lang), value=chosen),
                    "name": st.text_input(t("grids.field.name", lang), value=row["name"] or ""),
                    "worker_name": st.text_input(
                        t("grids.field.worker", lang), value=row["worker_name"] or ""
                    ),
                    "worker_phone": st.text_input(
                        t("grids.field.phone", lang), value=row["worker_phone"] or ""
                    ),
                }
                if st.form_submit_button(t("grids.apply", lang)):
                    try:
                        grids = edit.set_attributes(state.grids, chosen, values)
                    except GridmapError as exc:
                        st.error(exc.message(lang))
                    else:
                        change(
                            grids,
                            "grids.origin.edited",
                            t("grids.done.attributes", lang, grid=values["grid_id"]),
                        )
    with b:
        several = st.multiselect(t("grids.several", lang), codes, key="grids_several")
        c, d = st.columns(2)
        if c.button(t("grids.delete", lang), disabled=not several, key="grids_delete"):
            change(
                edit.delete_grids(state.grids, several),
                "grids.origin.edited",
                t("grids.done.deleted", lang, grids=", ".join(several)),
            )
        if d.button(t("grids.merge", lang), disabled=len(several) < 2, key="grids_merge"):
            try:
                grids, kept = edit.merge_grids(state.grids, several, ctx)
            except GridmapError as exc:
                st.error(exc.message(lang))
            else:
                change(
                    grids,
                    "grids.origin.edited",
                    t("grids.done.merged", lang, grids=", ".join(several), grid=kept),
                )
        invalid = sorted({g for i in validation.of_kind("invalid") for g in i.grids})
        if invalid and st.button(t("grids.repair", lang, grids=", ".join(invalid))):
            change(
                edit.repair_grids(state.grids, invalid),
                "grids.origin.edited",
                t("grids.done.repaired", lang, grids=", ".join(invalid)),
            )
        e, f = st.columns(2)
        if e.button(t("grids.undo", lang), disabled=not state.undo, key="grids_undo"):
            state.step_back()
            st.session_state[RESET_KEY] = True
            st.rerun()
        if f.button(t("grids.discard", lang), disabled=not state.dirty, key="grids_discard"):
            views.restart()
            st.session_state[RESET_KEY] = True
            st.rerun()
    with st.expander(t("grids.upload", lang)):
        upload()
    st.download_button(
        t("grids.download", lang),
        state.grids.to_json(drop_id=True).encode("utf-8"),
        file_name=f"{community_id}-grids-draft.geojson",
        mime="application/geo+json",
        key="grids_download",
    )


def upload() -> None:
    """Grids from GeoJSON, GeoPackage or a zipped Shapefile, added to the draft or replacing it."""
    file = st.file_uploader(t("grids.upload.file", lang), type=UPLOAD_TYPES, key="grids_file")
    how = st.radio(
        t("grids.upload.how", lang),
        ("add", "replace"),
        horizontal=True,
        key="grids_upload_how",
        format_func=lambda h: t("grids.upload.add" if h == "add" else "grids.upload.replace", lang),
    )
    if file is None or not st.button(t("grids.upload.go", lang), key="grids_upload_go"):
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(file.name).name
        path.write_bytes(file.getvalue())
        try:
            incoming, rejected, notes = edit.read_grid_file(path, community_id)
        except GridmapError as exc:
            st.error(exc.message(lang))
            return
    for note in notes:
        views.flash("info", note)
    if rejected:
        views.flash("warning", t("grids.upload.rejected", lang, n=rejected))
    grids = edit.combine(state.grids, incoming, replace=how == "replace")
    change(
        grids, "grids.origin.file", t("grids.upload.done", lang, n=len(incoming), name=file.name)
    )


def save_form(validation) -> None:
    st.subheader(t("grids.save.title", lang))
    refused = access.refusal(access.require_layer_edit, ui.user(), "grids", [community_id])
    if refused is not None:  # a draft to think with, but saving is a planner's
        st.info(ui.plain(refused.message(lang)))
        return
    errors = len(validation.errors)
    with st.form("grids_save"):
        note = st.text_input(t("grids.save.note", lang), key="grids_note")
        anyway = True
        if errors:
            anyway = st.checkbox(t("grids.save.anyway", lang, n=errors), key="grids_anyway")
        # The label stays the same when the version number moves on (another planner's
        # save), so the click is not lost: the number is in the caption.
        st.caption(t("grids.save.next", lang, version=stored_base.version + 1))
        pressed = st.form_submit_button(t("grids.save.button", lang), type="primary")
    if not pressed:
        return
    if not state.dirty:
        st.info(t("grids.save.nothing", lang))
        return
    if not anyway:
        st.error(t("grids.save.errors_first", lang, n=errors))
        return
    try:
        # The version is recorded under the person signed in (the store checks the role).
        result = store.save_grids(community_id, state.grids, state.base, note=note)
    except GridVersionConflict as exc:
        st.error(exc.message(lang))
        st.session_state["grids_conflict"] = True
        return
    except GridmapError as exc:
        st.error(exc.message(lang))
        return
    views.restart()
    st.session_state[RESET_KEY] = True
    summary = result.reassigned
    views.flash(
        "success",
        t(
            "grids.save.done",
            lang,
            version=result.version,
            reports=summary.reports,
            unassigned=summary.unassigned,
        ),
    )
    if result.kept is not None:
        views.flash("info", t("grids.save.kept", lang, version=result.kept))
    st.rerun()


def history_view() -> None:
    versions = store.grid_versions(community_id)
    if versions.empty:
        st.info(t("grids.history.none", lang, version=stored_base.version))
        numbers = []
    else:
        st.dataframe(views.versions_table(versions, tz, lang), hide_index=True, width="stretch")
        numbers = [int(v) for v in versions["version"]]
    current = t("grids.history.current", lang)
    options = ["current", *reversed(numbers)]
    label = lambda v: current if v == "current" else t("grids.history.version", lang, version=v)  # noqa: E731
    a, b = st.columns(2)
    shown = a.selectbox(
        t("grids.history.show", lang),
        options,
        format_func=label,
        index=min(1, len(options) - 1),
        key="grids_show",
    )
    against = b.selectbox(
        t("grids.history.against", lang),
        ["none", *options],
        key="grids_vs",
        format_func=lambda v: t("grids.history.nothing", lang) if v == "none" else label(v),
    )
    grids = data["grids"] if shown == "current" else store.grid_version(community_id, shown)
    if against == "none":
        fmap = grid_maps.grids_map(data["community"], grids, lang, basemap)
    else:
        older = data["grids"] if against == "current" else store.grid_version(community_id, against)
        changes = changes_between(older, grids, ctx.metric)
        colours = {c: grid_maps.CHANGE_COLOURS[k] for c, k in changes["change"].items()}
        removed = older[older["grid_id"].isin(changes.index[changes["change"] == "removed"])]
        legend = [(grid_maps.CHANGE_COLOURS[k], t(CHANGE_KEYS[k], lang)) for k in CHANGE_KEYS]
        fmap = grid_maps.grids_map(
            data["community"], grids, lang, basemap, colours=colours, removed=removed, legend=legend
        )
        st.caption(t("grids.history.changes", lang, n=int((changes["change"] != "same").sum())))
        st.dataframe(changes_display(changes, lang), hide_index=True, width="stretch")
    ui.show_missing_assets(fmap, lang)
    ui_map(fmap, "grids_history_map")
    latest = numbers[-1] if numbers else None
    if shown not in ("current", latest) and st.button(
        t("grids.history.restore", lang, version=shown)
    ):
        state.change(grids.assign(version=None), "grids.origin.restored")
        st.query_params["view"] = "edit"
        views.flash("success", t("grids.history.restored", lang, version=shown))
        st.rerun()
    st.subheader(t("grids.stats.title", lang))
    basis = st.radio(
        t("grids.stats.basis", lang),
        ("recorded", "current"),
        horizontal=True,
        format_func=lambda b: t(
            "grids.stats.recorded" if b == "recorded" else "grids.stats.current", lang
        ),
        key="grids_basis",
    )
    table = reports_per_grid(data["reports"], None if basis == "recorded" else data["grids"])
    none = t("grids.preview.no_grid", lang)
    st.dataframe(
        table.rename(
            index={"": none},
            columns={
                "reports": t("grids.col.reports", lang),
                "open": t("grids.col.open", lang),
                "done": t("grids.col.done", lang),
            },
        ).rename_axis(t("grids.col.grid", lang)),
        width="stretch",
    )
    st.caption(t("grids.stats.help", lang))


def ui_map(fmap, key: str) -> None:
    from geo import map_component

    map_component.show(map_component.prepare(fmap), key=key, height=520, returned_objects=[])


def propose_view() -> None:
    a, b, c = st.columns([1, 1, 2])
    n = int(
        a.number_input(
            t("grids.propose.n", lang),
            min_value=1,
            max_value=max(len(data["buildings"]), 1),
            value=max(min(len(data["grids"]) or 1, len(data["buildings"])), 1),
            key="grids_n",
        )
    )
    seed = int(
        b.number_input(t("grids.propose.seed", lang), min_value=0, value=0, key="grids_seed")
    )
    c.caption(t("grids.propose.help", lang))
    if st.button(t("grids.propose.go", lang, n=n), type="primary", key="grids_propose"):
        bar = st.progress(0.0, text=t("grids.propose.working", lang))
        try:
            proposal = propose.propose_grids(
                data["community"],
                data["buildings"],
                n,
                seed=seed,
                progress=lambda f: bar.progress(min(f, 1.0), text=t("grids.propose.working", lang)),
            )
        except GridmapError as exc:
            st.error(exc.message(lang))
            return
        finally:
            bar.empty()
        st.session_state["grids_proposal"] = proposal
    proposal = st.session_state.get("grids_proposal")
    if proposal is None:
        return
    validation = validate_grids(
        proposal.grids, data["community"], data["buildings"], rules, ctx.metric
    )
    a, b, c, d = st.columns(4)
    a.metric(t("grids.propose.grids", lang), len(proposal.grids))
    b.metric(t("grids.propose.smallest", lang), int(proposal.households.min()))
    c.metric(t("grids.propose.largest", lang), int(proposal.households.max()))
    d.metric(t("grids.propose.ratio", lang), f"{proposal.ratio:.2f}")
    st.caption(
        t(
            "grids.propose.checked",
            lang,
            errors=len(validation.errors),
            warnings=len(validation.warnings),
        )
    )
    labels = grid_maps.label_with(proposal.grids["grid_id"], proposal.households)
    fmap = grid_maps.grids_map(data["community"], proposal.grids, lang, basemap, labels=labels)
    ui.show_missing_assets(fmap, lang)
    ui_map(fmap, "grids_proposal_map")
    e, f = st.columns(2)
    if e.button(t("grids.propose.accept", lang), type="primary", key="grids_accept"):
        st.session_state.pop("grids_proposal", None)
        state.change(proposal.grids, "grids.origin.proposal")
        st.query_params["view"] = "edit"
        views.flash("success", t("grids.propose.accepted", lang, n=len(proposal.grids)))
        st.rerun()
    if f.button(t("grids.propose.discard", lang), key="grids_throw"):
        st.session_state.pop("grids_proposal", None)
        st.rerun()


{"edit": edit_view, "history": history_view, "propose": propose_view}[view]()
