"""One report on the Reports page: its facts, photos, map, history and next steps.

Buttons are offered only for the actions its state allows
(:func:`geo.lifecycle.allowed_actions`); each carries the note written above them,
close takes the resident's rating, and a report outside every grid can have its
grid chosen by hand. The reporter's name and phone are masked unless the person
acting may see them (:func:`geo.access.sees_private`).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st
from shapely.geometry import Point
from streamlit_folium import st_folium

from geo import access, duplicates, lifecycle, report_maps, ui
from geo.crs import local_utm_epsg
from geo.errors import GridmapError
from geo.i18n import t
from geo.model import OPEN_STATUSES, REPORT_SOURCES, is_missing
from geo.photos import UPLOAD_TYPES, prepare_photo
from geo.privacy import mask_private
from geo.report_queue import building_names, local_text, timeline
from geo.report_views import Context, _category, _status, _worker_of, flash
from geo.store.base import ReportConflict


def render_report(ctx: Context, report: dict) -> None:
    """Everything about one report, and the buttons that move it on."""
    lang = ctx.lang
    rid = int(report["report_id"])
    overdue = lifecycle.is_overdue(report, ctx.now)
    title = t(
        "reports.detail.title",
        lang,
        id=rid,
        category=_category(ctx, report["category"]),
        status=_status(ctx, report["status"]),
    )
    st.subheader(title)
    if overdue:
        st.error(t("reports.detail.overdue", lang, due=local_text(report["due_at"], ctx.zone)))
    refused = access.refusal(access.require_report_change, ctx.user, report, ctx.own_grids)
    facts_column, map_column = st.columns([3, 2])
    with facts_column:
        _facts(ctx, report)
        _photos(ctx, rid, can_add=refused is None)
    with map_column:
        fmap = report_maps.report_map(ctx.layers, report, basemap=ctx.basemap, lang=lang)
        st_folium(fmap, key=f"report_map_{rid}", height=320, returned_objects=[])
    st.markdown(f"**{t('reports.detail.history', lang)}**")
    _timeline(ctx, rid)
    if refused is not None:  # read-only for this person, and why
        st.info(ui.plain(refused.message(lang)))
        return
    if report["status"] in OPEN_STATUSES and is_missing(report.get("grid_id")):
        _hand_assignment(ctx, report)
    _actions(ctx, report)


def _facts(ctx: Context, report: dict) -> None:
    lang, none = ctx.lang, t("none", ctx.lang)
    names = building_names(ctx.layers["buildings"])
    building = report.get("building_id")
    level = report.get("escalation_level")
    grid = t("reports.filter.unassigned", lang)
    if not is_missing(report["grid_id"]):
        grid = ui.plain(report["grid_id"])
        if report.get("grid_by_hand") is True:
            grid += f" {t('reports.detail.by_hand', lang)}"
    lines = [
        (t("reports.col.created", lang), local_text(report["created_at"], ctx.zone)),
        (t("reports.col.due", lang), local_text(report["due_at"], ctx.zone) or none),
        (
            t("reports.col.grid", lang),
            ui.plain(report["grid_id"])
            + (
                f" {t('reports.detail.by_hand', lang)}"
                if report.get("grid_by_hand") is True
                else ""
            )
            if not is_missing(report["grid_id"])
            else t("reports.filter.unassigned", lang),
        ),
        (
            t("reports.col.building", lang),
            ui.plain(names.get(building, building)) if not is_missing(building) else none,
        ),
        (t("reports.col.assignee", lang), ui.plain(report.get("assignee")) or none),
        (
            t("reports.field.source", lang),
            t(f"source.{report['source']}", lang)
            if report.get("source") in REPORT_SOURCES
            else ui.plain(report.get("source")) or none,
        ),
    ]
    if not is_missing(level) and level:
        lines.append((t("reports.detail.level", lang), t(f"reports.level.{level}", lang)))
    if not is_missing(report.get("duplicate_of")):
        lines.append((t("reports.detail.duplicate_of", lang), f"#{int(report['duplicate_of'])}"))
    if not is_missing(report.get("rating")):
        lines.append((t("reports.detail.rating", lang), "★" * int(report["rating"])))
    if not is_missing(report.get("closed_at")):
        lines.append(
            (t("reports.detail.closed_at", lang), local_text(report["closed_at"], ctx.zone))
        )
    lines.append(_reporter(ctx, report))
    st.markdown("  \n".join(f"**{label}:** {value}" for label, value in lines))
    description = mask_private(pd.DataFrame([report]))["description"].iloc[0]
    st.markdown(f"**{t('reports.field.description', lang)}:**")
    st.markdown(ui.plain(description) or none)


def _reporter(ctx: Context, report: dict) -> tuple[str, str]:
    """The reporter as this actor may see them: whole, or masked (one function for both)."""
    lang = ctx.lang
    frame = pd.DataFrame([{k: report.get(k) for k in ("reporter_name", "reporter_phone")}])
    visible = access.sees_private(ctx.user, report.get("grid_id"), ctx.own_grids)
    if not visible:
        frame = mask_private(frame)
    name, phone = frame.iloc[0]
    parts = [ui.plain(v) for v in (name, phone) if not is_missing(v) and v]
    shown = " · ".join(parts) or t("none", lang)
    if visible or not parts:
        return t("reports.detail.reporter", lang), shown
    return t("reports.detail.reporter", lang), f"{shown} ({t('reports.detail.masked', lang)})"


def _photos(ctx: Context, report_id: int, can_add: bool) -> None:
    """The report's photos, and a way to add one (the site before or after the work)."""
    lang = ctx.lang
    photos = ctx.store.photos(report_id)
    if photos:
        st.markdown(f"**{t('reports.detail.photos', lang)}**")
        columns = st.columns(3)
        for i, photo in enumerate(photos):
            with columns[i % 3]:
                st.image(photo.data, width="stretch")
    if not can_add:
        return
    key = f"detail_photo_{report_id}_{st.session_state.get('detail_photo_n', 0)}"
    upload = st.file_uploader(
        t("reports.detail.add_photo", lang),
        type=UPLOAD_TYPES,
        key=key,
        help=t("reports.field.photo_help", lang),
    )
    if upload is not None:
        st.button(
            t("reports.detail.save_photo", lang),
            key=f"detail_photo_save_{report_id}",
            on_click=_save_photo,
            args=(ctx, report_id, key),
        )


def _save_photo(ctx: Context, report_id: int, key: str) -> None:
    """Button callback: check, clean and store the uploaded photo."""
    upload = st.session_state.get(key)
    if upload is None:
        return
    try:
        photo = prepare_photo(upload.getvalue(), upload.name)
        ctx.store.add_photo(
            report_id, photo.data, photo.mime, photo.name, photo.width, photo.height, ctx.actor
        )
    except GridmapError as exc:
        flash("error", ui.plain(exc.message(ctx.lang)))
        return
    st.session_state["detail_photo_n"] = st.session_state.get("detail_photo_n", 0) + 1
    flash("success", t("reports.detail.photo_saved", ctx.lang, id=report_id))


def _timeline(ctx: Context, report_id: int) -> None:
    events = timeline(ctx.store.report_history(report_id), ctx.lang, ctx.zone)
    if not events:
        st.caption(t("reports.detail.no_history", ctx.lang))
        return
    lines = []
    for event in events:
        head = f"**{event['at']}** · {ui.plain(event['actor'])} · {event['change']}"
        note = f"  \n  {ui.plain(event['note'])}" if event["note"] else ""
        lines.append(f"- {head}{note}")
    st.markdown("\n".join(lines))


def _hand_assignment(ctx: Context, report: dict) -> None:
    """A grid chosen by hand for a report outside every grid."""
    lang, rid = ctx.lang, int(report["report_id"])
    st.warning(t("reports.detail.unassigned", lang))
    grid_ids = sorted(ctx.layers["grids"]["grid_id"].astype(str))
    nearest = _nearest_grid(ctx, report)
    grid = st.selectbox(
        t("reports.detail.choose_grid", lang),
        grid_ids,
        index=grid_ids.index(nearest) if nearest in grid_ids else 0,
        format_func=lambda g: t(
            "reports.worker_of",
            lang,
            name=_worker_of(ctx.layers["grids"], g) or t("reports.role.grid_office", lang),
            grid=g,
        ),
        key=f"hand_grid_{rid}",
    )
    st.button(
        t("reports.detail.assign", lang, grid=grid),
        key=f"hand_assign_{rid}",
        on_click=_assign_by_hand,
        args=(ctx, report, f"hand_grid_{rid}"),
    )


def _assign_by_hand(ctx: Context, report: dict, grid_key: str) -> None:
    """Button callback: the chosen grid for a report outside every grid."""
    lang, rid = ctx.lang, int(report["report_id"])
    grid = st.session_state.get(grid_key)
    try:
        step = lifecycle.hand_assignment(report, grid, ctx.actor, ui.now())
        ctx.store.update_report(rid, step.changes, expected=step.expected, event=step.event)
    except ReportConflict:
        flash("error", t("reports.detail.stale", lang, id=rid))
        return
    except GridmapError as exc:
        flash("error", ui.plain(exc.message(lang)))
        return
    flash("success", t("reports.detail.assigned", lang, id=rid, grid=grid))


def _nearest_grid(ctx: Context, report: dict) -> str | None:
    grids, point = ctx.layers["grids"], report.get("geometry")
    if grids.empty or point is None or point.is_empty:
        return None
    # In metres (the report's UTM zone): a degree of longitude is shorter than one of
    # latitude away from the equator, so distances in degrees can pick the wrong grid.
    utm = local_utm_epsg(point.x, point.y)
    here = gpd.GeoSeries([point], crs=grids.crs or "EPSG:4326").to_crs(utm).iloc[0]
    distance = grids.geometry.to_crs(utm).distance(here)
    return str(grids.loc[distance.idxmin(), "grid_id"])


def _actions(ctx: Context, report: dict) -> None:
    """A button per action the report's state allows, with the note and what they need."""
    lang, rid = ctx.lang, int(report["report_id"])
    actions = lifecycle.allowed_actions(report["status"], report.get("escalation_level"))
    if is_missing(report.get("grid_id")) and "dispatch" in actions:
        actions.remove("dispatch")  # choose the grid first
    if not actions:
        st.info(t("reports.detail.final", lang, state=_status(ctx, report["status"])))
        return
    st.markdown(f"**{t('reports.detail.next', lang)}**")
    # Keyed by the state, so the note box is empty again after each step.
    state = f"{rid}_{report['status']}_{report.get('escalation_level') or 'grid'}"
    note_key = f"action_note_{state}"
    st.text_area(t("reports.field.note", lang), key=note_key, height=80)
    if "close" in actions:
        st.radio(
            t("reports.detail.rating_ask", lang),
            lifecycle.RATINGS,
            index=None,
            horizontal=True,
            format_func=lambda r: "★" * r,
            key=f"action_rating_{rid}",
        )
    if "duplicate" in actions:
        _original_choice(ctx, report)
    columns = st.columns(len(actions))
    for column, action in zip(columns, actions, strict=True):
        # The click is handled before the page runs again, on the report as it was
        # shown: if someone changed it meanwhile, the store refuses (compare and set).
        column.button(
            _action_label(ctx, report, action),
            key=f"action_{action}_{rid}",
            width="stretch",
            on_click=_run,
            args=(ctx, report, action, note_key),
        )


def _action_label(ctx: Context, report: dict, action: str) -> str:
    lang = ctx.lang
    if action == "dispatch":
        worker = _worker_of(ctx.layers["grids"], report.get("grid_id"))
        return t(
            "reports.button.dispatch_to", lang, worker=worker or t("reports.role.grid_office", lang)
        )
    if action == "escalate":
        level = lifecycle.next_level(report.get("escalation_level"))
        return t("reports.button.escalate_to", lang, level=t(f"reports.level.{level}", lang))
    return t(f"reports.action.{action}", lang)


def _original_choice(ctx: Context, report: dict) -> None:
    """The report this one repeats: one of the nearby open ones, or any number."""
    lang, rid = ctx.lang, int(report["report_id"])
    point = report.get("geometry")
    found = duplicates.candidates(
        ctx.reports,
        point if point is not None else Point(),
        report["category"],
        report["created_at"],
        ctx.rule,
        exclude=rid,
    )
    distance = dict(zip(found["report_id"].astype(int), found["distance_m"], strict=True))
    st.selectbox(
        t("reports.detail.original", lang),
        [None, *distance],
        format_func=lambda r: (
            t("reports.detail.original_pick", lang)
            if r is None
            else t("reports.detail.original_option", lang, id=r, distance=f"{distance[r]:.0f}")
        ),
        key=f"action_original_{rid}",
    )
    st.number_input(
        t("reports.detail.original_number", lang),
        min_value=0,
        step=1,
        value=0,
        key=f"action_original_n_{rid}",
    )


def _chosen_original(rid: int) -> int | None:
    picked = st.session_state.get(f"action_original_{rid}")
    typed = int(st.session_state.get(f"action_original_n_{rid}") or 0)
    return picked if picked is not None else (typed or None)


def _run(ctx: Context, report: dict, action: str, note_key: str) -> None:
    """Button callback: one action on the report as it was shown; the outcome is flashed."""
    lang, rid = ctx.lang, int(report["report_id"])
    wanted: dict = {}
    if action == "close":
        wanted["rating"] = st.session_state.get(f"action_rating_{rid}")
    if action == "duplicate":
        wanted["duplicate_of"] = original = _chosen_original(rid)
        if original is not None and original not in set(ctx.reports["report_id"].astype(int)):
            flash("error", t("reports.no_such_report", lang, id=original))
            return
    try:
        after = lifecycle.apply(
            ctx.store,
            report,
            action,
            ctx.actor,
            ui.now(),
            note=st.session_state.get(note_key) or None,
            grids=ctx.layers["grids"],
            **wanted,
        )
    except ReportConflict:
        flash("error", t("reports.detail.stale", lang, id=rid))
        return
    except GridmapError as exc:
        flash("error", ui.plain(exc.message(lang)))
        return
    flash(
        "success",
        t(
            "reports.detail.done",
            lang,
            id=rid,
            action=t(f"reports.action.{action}", lang),
            state=_status(ctx, after["status"]),
        ),
    )
