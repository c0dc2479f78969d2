"""Benchmark baseline, not part of the app: the Map page the obvious way.

The community map through ``streamlit_folium.st_folium``, built again with the chosen
grid outlined on every click, so each click sends the whole map again (how the Map
page worked before it drew selections in the browser). Served by
bench_overview_browser.py beside the app, so both are measured in one run.

    GRIDMAP_DB=store.gpkg streamlit run benchmarks/folium_baseline_app.py
"""

import streamlit as st
from shapely.geometry import Point
from streamlit_folium import st_folium

from geo import grid_stats, maps, ui
from geo.assign import assign_grids

st.set_page_config(layout="wide")
lang = "en"
data = ui.layers(str(ui.communities()["community_id"].iloc[0]))
reports, now = data["reports"], ui.now()
summary = grid_stats.grid_summary(data["grids"], data["buildings"], reports, now)
selected = ui.query_choice("grid", list(summary.index), "")
fmap = maps.build_map(data, summary, reports, lang, "none", selected_grid=selected or None)
map_column, card_column = st.columns([3, 2])
with map_column:
    clicked = st_folium(fmap, key="map", height=640, returned_objects=["last_clicked"])
click = ui.new_click(clicked, "last_click")
if click:
    hit = assign_grids([Point(click["lng"], click["lat"])], data["grids"])[0]
    if hit and hit != selected:
        st.query_params["grid"] = hit
        st.rerun()
with card_column:
    if selected:
        ui.grid_card(summary.loc[selected], selected, reports, ui.categories(), now, lang)
