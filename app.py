"""Community Grid Map: the Streamlit entry point (configuration, language, navigation)."""

import streamlit as st

from geo import ui
from geo.i18n import t

st.set_page_config(page_title="Community Grid Map · 社区网格地图", page_icon="🗺️", layout="wide")

lang = ui.language_switch()
store = ui.store()
st.sidebar.caption(f"{t('app.store', lang)}: `{store.url}`")

navigation = st.navigation(
    [st.Page("pages/map.py", title=t("page.map", lang), icon="🗺️", url_path="map", default=True)]
)
navigation.run()
