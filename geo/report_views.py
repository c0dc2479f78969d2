"""The Reports page's parts, drawn with Streamlit: intake, the queue, one report.

The rules live elsewhere (:mod:`geo.intake`, :mod:`geo.lifecycle`,
:mod:`geo.duplicates`, :mod:`geo.report_queue`); this module only lays them out
and passes on what a person chose. Whatever a resident wrote is shown through
:func:`geo.ui.plain` (Markdown) or escaped for HTML (map tooltips).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import streamlit as st
from shapely.geometry import Point
from streamlit_folium import st_folium

from geo import access, duplicates, intake, report_maps, ui
from geo.access import User
from geo.assign import assign_buildings, assign_grids
from geo.categories import category_name
from geo.errors import GridmapError
from geo.i18n import t, t_or
from geo.model import OPEN_STATUSES, REPORT_SOURCES, STATUSES, is_missing
from geo.photos import UPLOAD_TYPES, prepare_photo
from geo.privacy import mask_private
from geo.report_queue import (
    UNASSIGNED,
    QueueFilter,
    building_names,
    local_text,
    option_label,
    queue_table,
    unassigned_open,
    work_queue,
    workers,
)
from geo.store import Store

TEXT_FIELDS = ("description", "name", "phone", "note", "building")


@dataclass
class Context:
    """What every part of the page works from."""

    store: Store
    community_id: str
    layers: dict  # community, grids, buildings (ui.layers)
    reports: pd.DataFrame  # fresh from the store
    categories: pd.DataFrame
    zone: str
    lang: str
    user: User
    own_grids: set[str]  # the grid worker's own grids (empty for other roles)
    basemap: str
    rule: duplicates.DuplicateRule
    now: datetime

    @property
    def actor(self) -> str:
        """Who acts, as written into the report's events."""
        return self.user.display


# --- shared ------------------------------------------------------------------------------


def flash(kind: str, text: str) -> None:
    """A message shown once, after the rerun that follows a write."""
    st.session_state["reports_flash"] = (kind, text)


def show_flash() -> None:
    """Show the message left by :func:`flash`, once."""
    kind, text = st.session_state.pop("reports_flash", (None, None))
    if kind == "success":
        st.success(text)
    elif kind == "error":
        st.error(text)


def open_report(report_id: int) -> None:
    """Show one report in the queue (a link-like jump from anywhere on the page)."""
    st.query_params["view"] = "queue"
    st.query_params["report"] = str(int(report_id))
    st.session_state.pop("intake_saved_id", None)


def _category(ctx: Context, code: object) -> str:
    return ui.plain(category_name(code, ctx.lang, ctx.categories))


def _status(ctx: Context, code: object) -> str:
    return t_or(f"status.{code}", str(code), ctx.lang)


def _worker_of(grids: pd.DataFrame, grid_id: object) -> str | None:
    rows = grids[grids["grid_id"] == grid_id]
    if rows.empty or is_missing(rows["worker_name"].iloc[0]):
        return None
    return str(rows["worker_name"].iloc[0])


# --- intake ------------------------------------------------------------------------------


def _reset_intake() -> None:
    """Clear the intake form for the next report (before its widgets are drawn).

    Text boxes are set to empty rather than forgotten: the browser would otherwise
    send back what they held. Category and channel stay, for the next call alike.
    """
    for name in TEXT_FIELDS:
        st.session_state[f"intake_{name}"] = ""
    st.session_state.pop("intake_point", None)
    st.session_state.pop("intake_review", None)
    st.session_state["intake_photo_n"] = st.session_state.get("intake_photo_n", 0) + 1


def _pick_building(buildings: pd.DataFrame) -> None:
    """Callback of the building list: the report goes on the chosen building."""
    chosen = st.session_state.get("intake_building")
    rows = buildings[buildings["building_id"] == chosen]
    if rows.empty:
        return
    point = rows.geometry.iloc[0].representative_point()
    st.session_state["intake_point"] = (round(point.x, 7), round(point.y, 7))
    st.session_state.pop("intake_review", None)


def render_intake(ctx: Context) -> None:
    """Place a report on the map, describe it, check for duplicates, save and dispatch it."""
    lang, layers = ctx.lang, ctx.layers
    refused = access.refusal(access.require_report_create, ctx.user, ctx.community_id)
    if refused is not None:
        st.info(ui.plain(refused.message(lang)))
        return
    if st.session_state.pop("intake_reset", False):
        _reset_intake()
    saved = st.session_state.get("intake_saved_id")
    if saved is not None:
        st.button(
            t("reports.intake.open_saved", lang, id=saved),
            key="intake_open_saved",
            on_click=open_report,
            args=(saved,),
        )
    st.caption(t("reports.intake.hint", lang))
    map_column, form_column = st.columns([3, 2])
    point = st.session_state.get("intake_point")
    with map_column:
        fmap = report_maps.intake_map(layers, ctx.basemap, lang)
        placed = report_maps.placed_marker(*point, lang) if point else None
        clicked = st_folium(
            fmap,
            key="intake_map",
            height=480,
            use_container_width=True,
            returned_objects=["last_clicked"],
            feature_group_to_add=placed,
        )
        click = ui.new_click(clicked, "intake_last_click")
        if click:
            st.session_state["intake_point"] = (round(click["lng"], 7), round(click["lat"], 7))
            st.session_state.pop("intake_review", None)
            st.rerun()
        buildings = layers["buildings"]
        names = dict(zip(buildings["building_id"], buildings["name"], strict=True))
        st.selectbox(
            t("reports.intake.building", lang),
            [""] + list(buildings["building_id"]),
            format_func=lambda b: names.get(b) or b or t("reports.intake.no_building", lang),
            key="intake_building",
            on_change=_pick_building,
            args=(buildings,),
        )
    with form_column:
        _place_summary(ctx, point)
        _intake_form(ctx, point)


def _place_summary(ctx: Context, point) -> None:
    """Where the report will go: grid and worker, building, or unassigned."""
    lang = ctx.lang
    if not point:
        st.info(t("reports.intake.click_map", lang))
        return
    where = Point(*point)
    grid = assign_grids([where], ctx.layers["grids"])[0]
    building = assign_buildings([where], ctx.layers["buildings"], radius_m=ctx.store.radius_m)[0]
    names = building_names(ctx.layers["buildings"])
    building_text = ui.plain(names.get(building, building)) if building else t("none", lang)
    if grid is None:
        st.warning(t("reports.intake.outside", lang, lon=f"{point[0]:.6f}", lat=f"{point[1]:.6f}"))
        return
    worker = _worker_of(ctx.layers["grids"], grid) or t("reports.role.grid_office", lang)
    st.markdown(
        t(
            "reports.intake.place",
            lang,
            lon=f"{point[0]:.6f}",
            lat=f"{point[1]:.6f}",
            grid=ui.plain(grid),
            worker=ui.plain(worker),
            building=building_text,
        )
    )


def _intake_form(ctx: Context, point) -> None:
    lang, table = ctx.lang, ctx.categories
    category = st.selectbox(
        t("reports.field.category", lang),
        list(table.index),
        format_func=lambda c: category_name(c, lang, table),
        key="intake_category",
    )
    description = st.text_area(
        t("reports.field.description", lang),
        max_chars=intake.MAX_DESCRIPTION,
        key="intake_description",
    )
    source = st.selectbox(
        t("reports.field.source", lang),
        list(REPORT_SOURCES),
        format_func=lambda s: t(f"source.{s}", lang),
        key="intake_source",
    )
    name_column, phone_column = st.columns(2)
    name = name_column.text_input(
        t("reports.field.reporter_name", lang), max_chars=intake.MAX_NAME, key="intake_name"
    )
    phone = phone_column.text_input(
        t("reports.field.reporter_phone", lang), max_chars=25, key="intake_phone"
    )
    upload = st.file_uploader(
        t("reports.field.photo", lang),
        type=UPLOAD_TYPES,
        key=f"intake_photo_{st.session_state.get('intake_photo_n', 0)}",
        help=t("reports.field.photo_help", lang),
    )
    note = st.text_input(t("reports.field.note", lang), key="intake_note")
    draft = intake.Draft(
        community_id=ctx.community_id,
        lon=point[0] if point else None,
        lat=point[1] if point else None,
        category=category,
        description=description or "",
        source=source,
        reporter_name=name or None,
        reporter_phone=phone or None,
    )
    if st.button(t("reports.intake.submit", lang), type="primary", key="intake_submit"):
        problems = intake.check_draft(draft, table)
        photo = _photo(upload, problems)
        if problems:
            for problem in problems:
                st.error(ui.plain(problem.message(lang)))
            return
        found = duplicates.candidates(ctx.reports, Point(*point), category, ctx.now, ctx.rule)
        if found.empty:
            _save(ctx, draft, photo, note)
            return
        st.session_state["intake_review"] = (point, category)
    review = st.session_state.get("intake_review")
    if review and review == (point, category):
        _duplicate_review(ctx, draft, upload, note)


def _photo(upload, problems: list):
    """The uploaded photo checked and cleaned, or None; its problem joins ``problems``."""
    if upload is None:
        return None
    try:
        return prepare_photo(upload.getvalue(), upload.name)
    except GridmapError as exc:
        problems.append(exc)
        return None


def _duplicate_review(ctx: Context, draft: intake.Draft, upload, note: str) -> None:
    """Open reports the new one may repeat: link it to one, or save it as new."""
    lang = ctx.lang
    found = duplicates.candidates(
        ctx.reports, Point(draft.lon, draft.lat), draft.category, ctx.now, ctx.rule
    )
    st.warning(
        t(
            "reports.dup.found",
            lang,
            n=len(found),
            radius=f"{ctx.rule.radius_m:g}",
            days=ctx.rule.days,
        )
    )
    for _, row in found.iterrows():
        rid = int(row["report_id"])
        text = mask_private(row.to_frame().T)["description"].iloc[0]
        st.markdown(
            t(
                "reports.dup.candidate",
                lang,
                id=rid,
                distance=f"{row['distance_m']:.0f}",
                created=local_text(row["created_at"], ctx.zone),
                status=_status(ctx, row["status"]),
                description=ui.plain(text or ""),
            )
        )
        if st.button(t("reports.dup.link", lang, id=rid), key=f"intake_dup_{rid}"):
            _save(ctx, draft, _checked_photo(upload, lang), note, duplicate_of=rid)
    if st.button(t("reports.dup.save_new", lang), key="intake_save_new", type="primary"):
        _save(ctx, draft, _checked_photo(upload, lang), note)


def _checked_photo(upload, lang: str):
    problems: list = []
    photo = _photo(upload, problems)
    if problems:
        st.error(ui.plain(problems[0].message(lang)))
        st.stop()
    return photo


def _save(ctx: Context, draft, photo, note, duplicate_of: int | None = None) -> None:
    """Save the report, say where it went, and clear the form for the next one."""
    lang = ctx.lang
    try:
        result = intake.submit(
            ctx.store,
            draft,
            ctx.actor,
            ctx.now,
            ctx.layers["grids"],
            ctx.categories,
            photo=photo,
            duplicate_of=duplicate_of,
            note=note,
        )
    except GridmapError as exc:
        st.error(ui.plain(exc.message(lang)))
        return
    flash("success", saved_message(result, ctx))
    st.session_state["intake_reset"] = True
    st.session_state["intake_saved_id"] = int(result.report["report_id"])
    st.rerun()


def saved_message(result: intake.IntakeResult, ctx: Context) -> str:
    """Where a saved report went, in one sentence."""
    report, lang = result.report, ctx.lang
    rid = int(report["report_id"])
    if report["status"] == "duplicate":
        return t("reports.saved.duplicate", lang, id=rid, original=int(report["duplicate_of"]))
    due = local_text(report["due_at"], ctx.zone)
    if not result.dispatched:
        return t("reports.saved.unassigned", lang, id=rid, due=due)
    names = building_names(ctx.layers["buildings"])
    building = report["building_id"]
    return t(
        "reports.saved.dispatched",
        lang,
        id=rid,
        grid=ui.plain(report["grid_id"]),
        worker=ui.plain(report["assignee"]),
        building=ui.plain(names.get(building, building)) if building else t("none", lang),
        due=due,
    )


# --- the queue ---------------------------------------------------------------------------


def queue_filter(ctx: Context) -> QueueFilter:
    """The queue's filters, kept in the URL so that a queue can be shared as a link."""
    lang, reports, grids = ctx.lang, ctx.reports, ctx.layers["grids"]
    params = st.query_params
    grid_options = ["", UNASSIGNED] + sorted(grids["grid_id"].astype(str))
    worker_options = [""] + workers(reports, grids)
    chosen_grid = params.get("grid", "")
    chosen_worker = params.get("worker", "")
    a, b, c, d = st.columns([1, 1, 2, 2])
    grid = a.selectbox(
        t("reports.filter.grid", lang),
        grid_options,
        index=grid_options.index(chosen_grid) if chosen_grid in grid_options else 0,
        format_func=lambda g: (
            t("reports.filter.all", lang)
            if not g
            else t("reports.filter.unassigned", lang)
            if g == UNASSIGNED
            else g
        ),
        key="queue_grid",
    )
    worker = b.selectbox(
        t("reports.filter.worker", lang),
        worker_options,
        index=worker_options.index(chosen_worker) if chosen_worker in worker_options else 0,
        format_func=lambda w: w or t("reports.filter.all", lang),
        key="queue_worker",
    )
    wanted = [s for s in params.get_all("status") if s in STATUSES] or list(OPEN_STATUSES)
    statuses = c.multiselect(
        t("reports.filter.status", lang),
        list(STATUSES),
        default=wanted,
        format_func=lambda s: _status(ctx, s),
        key="queue_status",
    )
    cats = d.multiselect(
        t("reports.filter.category", lang),
        list(ctx.categories.index),
        default=[c for c in params.get_all("cat") if c in ctx.categories.index],
        format_func=lambda c: category_name(c, lang, ctx.categories),
        placeholder=t("map.categories.all", lang),
        key="queue_cat",
    )
    overdue = st.toggle(
        t("reports.filter.overdue", lang), value=params.get("overdue") == "1", key="queue_overdue"
    )
    params.update({"grid": grid, "worker": worker, "overdue": "1" if overdue else "0"})
    params["status"] = statuses
    params["cat"] = cats
    return QueueFilter(grid or None, worker or None, tuple(statuses), tuple(cats), overdue)


def render_queue(ctx: Context) -> None:
    """The work queue, soonest due first, and the report chosen in it."""
    lang = ctx.lang
    chosen = queue_filter(ctx)
    queue = work_queue(ctx.reports, chosen, ctx.now)
    waiting = unassigned_open(ctx.reports)
    st.caption(t("reports.queue.count", lang, n=len(queue), overdue=int(queue["overdue"].sum())))
    if waiting and chosen.grid != UNASSIGNED:
        st.warning(t("reports.queue.unassigned_waiting", lang, n=waiting))
    ids = [int(r) for r in queue["report_id"]]
    selected = _selected_report(ctx)
    event = st.dataframe(
        queue_table(queue, lang, ctx.categories, ctx.zone),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        height=min(38 + 35 * max(len(queue), 1), 420),
        key="queue_table",
        column_config={
            t("reports.col.overdue", lang): st.column_config.CheckboxColumn(),
            t("reports.col.id", lang): st.column_config.NumberColumn(format="%d"),
        },
    )
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    picked = ids[rows[0]] if rows and rows[0] < len(ids) else None
    if picked is not None and picked != st.session_state.get("queue_last_pick"):
        st.session_state["queue_last_pick"] = picked
        st.query_params["report"] = str(picked)
        selected = picked
    options = [None] + ids
    if selected is not None and selected not in ids:
        options.append(selected)
    by_id = ctx.reports.set_index("report_id", drop=False)
    st.session_state["queue_report"] = selected
    st.selectbox(
        t("reports.queue.open", lang),
        options,
        format_func=lambda r: (
            t("reports.queue.none_open", lang)
            if r is None
            else option_label(by_id.loc[r], lang, ctx.categories)
            if r in by_id.index
            else f"#{r}"
        ),
        key="queue_report",
        on_change=_follow_report,
    )
    if selected is None:
        st.info(t("reports.queue.choose", lang))
        return
    if selected not in by_id.index:
        st.error(t("reports.no_such_report", lang, id=selected))
        return
    from geo.report_detail import render_report

    render_report(ctx, by_id.loc[selected].to_dict())


def _selected_report(ctx: Context) -> int | None:
    text = st.query_params.get("report", "")
    try:
        return int(text)
    except ValueError:
        return None


def _follow_report() -> None:
    value = st.session_state.get("queue_report")
    if value is None:
        st.query_params.pop("report", None)
    else:
        st.query_params["report"] = str(int(value))
