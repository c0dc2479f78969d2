"""The Grids page's parts drawn with Streamlit: the draft kept for the session, the map,
the validation panel, the preview, the version list.

The draft lives in ``st.session_state`` with the :class:`~geo.store.base.GridBase` it
was started from, so a save is compared against exactly what the planner saw. While
the draft has no unsaved change it follows the store (another planner's save shows
up at once); once it has, it is kept until it is saved or thrown away.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import map_component, offline, ui
from geo.grids import edit, maps
from geo.grids.preview import Preview
from geo.grids.validate import ERROR, Validation
from geo.grids.versions import KIND_KEYS, current_base
from geo.i18n import t
from geo.store.base import GridBase, Store
from geo.store.grid_versions import grids_fingerprint

DRAFT_KEY = "grids_draft"
FLASH_KEY = "grids_flash"
MAP_KEY = "grids_map"
DRAWN_KEY = "grids_drawn"
RESET_KEY = "grids_reset_widgets"  # set: the page clears the choices made for the last edit
UNDO_DEPTH = 20
SHOWN_ISSUES = 12


@dataclass
class Draft:
    """The grids being edited, where they came from, and the steps to undo."""

    community_id: str
    base: GridBase
    grids: gpd.GeoDataFrame
    origin: str  # a message key: where the draft's grids came from
    undo: list = field(default_factory=list)

    @property
    def dirty(self) -> bool:
        """True when the draft differs from the grids it was started from."""
        return grids_fingerprint(self.grids) != self.base.fingerprint

    def change(self, grids: gpd.GeoDataFrame, origin: str | None = None) -> None:
        """Make ``grids`` the draft, keeping the present one to undo."""
        self.undo = [*self.undo[-(UNDO_DEPTH - 1) :], (self.grids, self.origin)]
        self.grids = grids.reset_index(drop=True)
        if origin is not None:
            self.origin = origin

    def step_back(self) -> None:
        if self.undo:
            self.grids, self.origin = self.undo.pop()


def draft(store: Store, community_id: str, stored: gpd.GeoDataFrame) -> tuple[Draft, GridBase]:
    """The session's draft, and the base of the grids stored now.

    A new draft starts from the stored grids; one without unsaved changes follows
    the store when the stored grids change.
    """
    now = current_base(store, community_id, stored)
    kept = st.session_state.get(DRAFT_KEY)
    if kept is None or kept.community_id != community_id or (kept.base != now and not kept.dirty):
        kept = Draft(community_id, now, stored.reset_index(drop=True), "grids.origin.store")
        st.session_state[DRAFT_KEY] = kept
    return kept, now


def restart() -> None:
    """Throw the draft away: the next run starts again from the store."""
    st.session_state.pop(DRAFT_KEY, None)


def flash(kind: str, text: str) -> None:
    """A message shown at the top of the next run (after a rerun)."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, text))


def show_flashes() -> None:
    """The messages of the last run, in a container that is always there.

    A message that comes and goes would move everything after it, and Streamlit
    would then mount the map again, losing what the planner was doing on it.
    """
    with st.container():
        for kind, text in st.session_state.pop(FLASH_KEY, []):
            show = {"success": st.success, "warning": st.warning, "error": st.error}
            show.get(kind, st.info)(text)


def signature(*parts) -> str:
    """A short hash of the things a cached figure depends on."""
    text = json.dumps([str(p) for p in parts], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def editor(
    state: Draft,
    data: dict,
    validation: Validation,
    ctx: edit.EditContext,
    lang: str,
    basemap: str,
    selected: str | None,
    height: int = 620,
) -> None:
    """The draft on the map with the draw tools; what is drawn is applied to the draft.

    The rendered map is kept for the session while nothing it shows changes, so a
    rerun sends Streamlit the same component and the browser keeps its map.
    """
    key = signature(
        grids_fingerprint(state.grids),
        validation.households.to_dict(),
        [i.message("en") for i in validation.issues],
        lang,
        basemap,
        selected,
        st.session_state.get(DRAWN_KEY, {}).get("generation", 0),
    )
    cached = st.session_state.get(MAP_KEY)
    if cached is None or cached[0] != key:
        fmap = maps.editor_map(
            data["community"],
            state.grids,
            data["buildings"],
            validation,
            lang,
            basemap,
            selected,
            height,
        )
        cached = (key, map_component.prepare(fmap), offline.missing_vendored_files(fmap))
        st.session_state[MAP_KEY] = cached
    with st.container():  # always there, so the map after it keeps its place
        if cached[2]:
            ui.show_missing_map_files(cached[2], lang)
    out = map_component.show(
        cached[1], key=f"grid_editor_{key}", height=height, returned_objects=["all_drawings"]
    )
    drawings = (out or {}).get("all_drawings")
    if drawings is None:
        return
    token = signature(key, json.dumps(drawings, sort_keys=True))
    done = st.session_state.setdefault(DRAWN_KEY, {"token": None, "generation": 0})
    if done["token"] == token:
        return
    done["token"] = token
    outcome = edit.apply_drawings(state.grids, drawings, ctx)
    if not outcome.changed and not outcome.refused:
        return  # a click on a grid sends the layer as it is: nothing to do, keep the map
    done["generation"] += 1  # the next map is a new one: what was drawn is redrawn as applied
    for refused in outcome.refused:
        flash("warning", refused.message(lang))
    if outcome.changed:
        state.change(outcome.draft, "grids.origin.edited")
        st.session_state[RESET_KEY] = True  # a grid chosen in a list may be gone
        summary = t(
            "grids.drawn",
            lang,
            added=", ".join(outcome.added) or "—",
            reshaped=", ".join(outcome.reshaped) or "—",
            deleted=", ".join(outcome.deleted) or "—",
            split=", ".join(outcome.split) or "—",
        )
        flash("success", summary)
    st.rerun()


def validation_panel(validation: Validation, lang: str) -> None:
    """Errors and warnings of the draft: counts, the first of each in words, and a table."""
    st.subheader(t("grids.check.title", lang))
    errors, warnings = validation.errors, validation.warnings
    a, b = st.columns(2)
    a.metric(t("grids.check.errors", lang), len(errors))
    b.metric(t("grids.check.warnings", lang), len(warnings))
    if not validation.issues:
        st.success(t("grids.check.none", lang))
        return
    for issue in errors[:SHOWN_ISSUES]:
        st.error(issue.message(lang, validation.rules))
    lonely = [i for i in warnings if i.kind == "no_worker"]
    if len(lonely) > 3:  # one line for many new grids, not a line each
        warnings = [i for i in warnings if i.kind != "no_worker"]
        codes = ", ".join(g for i in lonely for g in i.grids)
        st.warning(t("grids.check.no_workers", lang, n=len(lonely), grids=codes))
    for issue in warnings[: max(SHOWN_ISSUES - len(errors), 3)]:
        st.warning(issue.message(lang, validation.rules))
    with st.expander(t("grids.check.all", lang, n=len(validation.issues))):
        st.dataframe(validation.table(lang), hide_index=True, width="stretch")


def preview_panel(preview: Preview, lang: str, dirty: bool) -> None:
    """What saving the draft would change: households, buildings, open reports per grid."""
    st.subheader(t("grids.preview.title", lang))
    if not dirty:
        st.caption(t("grids.preview.no_change", lang))
    a, b, c = st.columns(3)
    a.metric(t("grids.preview.moved", lang), preview.open_moved)
    more = preview.unassigned_after - preview.unassigned_before
    b.metric(
        t("grids.preview.unassigned", lang),
        preview.unassigned_after,
        delta=more or None,
        delta_color="inverse",
    )
    c.metric(t("grids.preview.changed_grids", lang), len(preview.changed()))
    if not dirty:
        return
    only_changed = st.toggle(t("grids.preview.only_changed", lang), value=True)
    st.dataframe(preview.display(lang, only_changed=only_changed), hide_index=True, width="stretch")
    if len(preview.moves):
        none = t("grids.preview.no_grid", lang)
        st.caption(t("grids.preview.moves", lang))
        st.dataframe(
            pd.DataFrame(
                {
                    t("grids.col.from", lang): preview.moves["from_grid"].fillna(none),
                    t("grids.col.to", lang): preview.moves["to_grid"].fillna(none),
                    t("grids.col.open_reports", lang): preview.moves["reports"],
                }
            ),
            hide_index=True,
            width="stretch",
        )


def versions_table(versions: pd.DataFrame, tz: str, lang: str) -> pd.DataFrame:
    """The versions as a table for people: number, time in the community's zone, who, note."""
    return pd.DataFrame(
        {
            t("grids.col.version", lang): versions["version"].astype(int).to_numpy(),
            t("grids.col.saved_at", lang): versions["saved_at"]
            .dt.tz_convert(tz)
            .dt.strftime("%Y-%m-%d %H:%M")
            .to_numpy(),
            t("grids.col.actor", lang): versions["actor"].fillna("—").to_numpy(),
            t("grids.col.kind", lang): [
                t(KIND_KEYS.get(k, KIND_KEYS["saved"]), lang) for k in versions["kind"]
            ],
            t("grids.col.grid_count", lang): versions["grids"].astype(int).to_numpy(),
            t("grids.col.note", lang): versions["note"].fillna("").to_numpy(),
        }
    )


def issue_counts(validation: Validation) -> tuple[int, int]:
    return sum(i.severity == ERROR for i in validation.issues), len(validation.warnings)
