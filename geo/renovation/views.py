"""The Buildings page's Streamlit parts: the building card and its items editor.

Kept apart from views/buildings.py so the page stays layout; the figures come from
:mod:`geo.renovation.needs` and :mod:`geo.renovation.priority`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from geo import access, ui
from geo.categories import category_name
from geo.errors import GridmapError
from geo.i18n import t
from geo.renovation import items as items_mod
from geo.renovation import needs as needs_mod
from geo.renovation.hotspots import period_labels
from geo.renovation.priority import PART_KEYS, PARTS


def _distance(metres: float, lang: str) -> str:
    return f"{metres:,.0f} m" if np.isfinite(metres) else t("none", lang)


def building_card(
    building: pd.Series,
    facts: pd.Series,
    ranked: pd.Series,
    needs: pd.DataFrame,
    reports: pd.DataFrame,
    categories: pd.DataFrame,
    tz: str,
    lang: str,
) -> None:
    """The card of one building: facts, distances, needs, score, reports over time.

    Parameters
    ----------
    building
        The building's row of the buildings layer.
    facts
        Its row of :func:`geo.renovation.needs.building_facts`.
    ranked
        Its row of :func:`geo.renovation.priority.rank`.
    needs
        Every building's needs (:func:`geo.renovation.needs.derive_needs`).
    reports
        The community's reports (the card keeps those linked to the building).
    categories
        The category table.
    tz
        The community's time zone, for the months of the chart.
    lang
        The language.
    """
    building_id = str(building["building_id"])
    name = f" · {ui.plain(building['name'])}" if building["name"] else ""
    st.subheader(t("buildings.card.title", lang, building=ui.plain(building_id)) + name)
    if building["address"]:
        st.caption(ui.plain(building["address"]))
    none = t("none", lang)
    elevator = facts["elevator"]
    share = facts["elderly_share"]
    st.markdown(
        t(
            "buildings.card.facts",
            lang,
            year=_int_or(facts["year_built"], none),
            floors=_int_or(facts["floors"], none),
            units=_int_or(facts["units"], none),
            households=_int_or(facts["households"], none),
            elevator=none if pd.isna(elevator) else t("yes" if bool(elevator) else "no", lang),
            elderly=none if pd.isna(share) else f"{share:.0%}",
        )
    )
    a, b, c = st.columns(3)
    a.metric(
        t("buildings.card.rank", lang),
        f"{int(ranked['rank'])}",
        help=t("buildings.card.rank_help", lang),
    )
    b.metric(t("buildings.col.score", lang), f"{ranked['score']:.1f}")
    c.metric(
        t("buildings.col.reports", lang),
        int(facts["reports_renovation"]),
        help=t("buildings.card.reports_help", lang),
    )
    st.markdown(
        f"**{t('buildings.card.nearest_charger', lang)}:** {_distance(facts['charger_m'], lang)}"
        f"  \n**{t('buildings.card.nearest_drying', lang)}:** {_distance(facts['drying_m'], lang)}"
    )

    st.markdown(f"**{t('buildings.card.needs', lang)}**")
    words = needs_mod.needs_text(needs, building_id, lang)
    if words:
        st.markdown("\n".join(f"- {ui.plain(w)}" for w in words))
    else:
        st.write(t("buildings.card.no_needs", lang))

    with st.expander(t("buildings.card.score_parts", lang)):
        st.dataframe(
            pd.DataFrame(
                {
                    t("buildings.col.part", lang): [t(PART_KEYS[p], lang) for p in PARTS],
                    t("buildings.col.value", lang): [round(ranked[f"part_{p}"], 3) for p in PARTS],
                    t("buildings.col.points", lang): [
                        round(ranked[f"contrib_{p}"], 1) for p in PARTS
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        st.caption(t("buildings.card.parts_add_up", lang, score=f"{ranked['score']:.1f}"))

    reports_over_time(reports, building_id, categories, tz, lang)


def _int_or(value: object, none: str) -> str:
    return none if pd.isna(value) else str(int(value))


def reports_over_time(
    reports: pd.DataFrame, building_id: str, categories: pd.DataFrame, tz: str, lang: str
) -> None:
    """A stacked bar chart of the building's linked reports per month and category."""
    mine = reports[reports["building_id"].astype(object) == building_id]
    st.markdown(f"**{t('buildings.card.reports_over_time', lang, n=len(mine))}**")
    if mine.empty:
        st.write(t("buildings.card.no_reports", lang))
        return
    month = period_labels(mine["created_at"], "month", tz)
    names = mine["category"].map(lambda c: category_name(c, lang, categories))
    table = pd.crosstab(month, names).sort_index()
    table.index.name = t("buildings.col.month", lang)
    st.bar_chart(table, stack=True, height=260)


def items_editor(store, community_id: str, building: pd.Series, lang: str, on_saved=None) -> None:
    """The building's renovation items, each with status and planned year, editable.

    Saving writes the building through ``store.upsert`` (see
    :func:`geo.renovation.items.save_items`); when someone saved the same building
    in between, nothing is written and the page says so.
    """
    building_id = str(building["building_id"])
    original = building["renovation"]
    recorded = items_mod.read_items(original)
    st.markdown(f"**{t('buildings.card.items', lang)}**")
    status_col = t("buildings.col.status", lang)
    year_col = t("buildings.col.planned_year", lang)
    item_col = t("buildings.col.item", lang)
    frame = pd.DataFrame(
        {
            "item": list(items_mod.ITEMS),
            item_col: [needs_mod.item_name(i, lang) for i in items_mod.ITEMS],
            status_col: [recorded.get(i, items_mod.ItemState()).status for i in items_mod.ITEMS],
            year_col: pd.array(
                [recorded.get(i, items_mod.ItemState()).year for i in items_mod.ITEMS],
                dtype="Int64",
            ),
        }
    )
    refused = access.refusal(access.require_layer_edit, ui.user(), "buildings", [community_id])
    if refused is not None:  # shown, not editable, and why
        st.dataframe(
            frame.assign(
                **{status_col: [needs_mod.status_name(s, lang) for s in frame[status_col]]}
            ),
            column_order=[item_col, status_col, year_col],
            hide_index=True,
            width="stretch",
        )
        st.caption(ui.plain(refused.message(lang)))
        return
    with st.form(key=f"items_form_{building_id}", border=False):
        edited = st.data_editor(
            frame,
            column_order=[item_col, status_col, year_col],
            column_config={
                item_col: st.column_config.TextColumn(disabled=True),
                status_col: st.column_config.SelectboxColumn(
                    options=list(items_mod.ITEM_STATUSES),
                    format_func=lambda s: needs_mod.status_name(s, lang),
                ),
                year_col: st.column_config.NumberColumn(
                    min_value=items_mod.YEAR_RANGE[0],
                    max_value=items_mod.YEAR_RANGE[1],
                    step=1,
                    format="%d",
                ),
            },
            hide_index=True,
            width="stretch",
            placeholder="—",
            key=f"items_editor_{building_id}",
        )
        saved = st.form_submit_button(t("buildings.card.save_items", lang))
    if not saved:
        return
    new_items = {
        code: items_mod.ItemState(items_mod.status_code(status), items_mod.year_value(year))
        for code, status, year in zip(
            edited["item"], edited[status_col], edited[year_col], strict=True
        )
    }
    try:
        items_mod.save_items(store, community_id, building_id, new_items, expected=original)
    except GridmapError as exc:
        st.error(ui.plain(exc.message(lang)))
        return
    st.session_state.pop(f"items_editor_{building_id}", None)  # show what was saved
    st.session_state["buildings_saved"] = building_id
    if on_saved is not None:
        on_saved()
    st.rerun()
