"""Community Grid Map: the Streamlit entry point (configuration, language, navigation)."""

import streamlit as st

from geo import session, ui
from geo.i18n import t

st.set_page_config(
    page_title=f"{t('app.title', 'en')} · {t('app.title', 'zh')}", page_icon="🗺️", layout="wide"
)

lang = ui.language_switch()
# Fails here, with the reason shown, when the store cannot be opened; then the
# sign-in form (or the demo-mode role switcher) decides who is using the app.
user = session.gate(ui.raw_store(), lang)
st.sidebar.caption(f"{t('app.store', lang)}: `{ui.store_label()}`")

# (script, title, icon, url path). Material icons: Streamlit ships their font, so they
# show offline and without an emoji font (the tab's icon stays an emoji, drawn inline).
listed = [
    ("views/overview.py", "page.overview", "dashboard", "overview"),
    ("views/map.py", "page.map", "map", "map"),
    ("views/reports.py", "page.reports", "assignment", "reports"),
    ("views/data.py", "page.data", "database", "data"),
    ("views/grids.py", "grids.page", "grid_view", "grids"),
    ("views/buildings.py", "page.buildings", "apartment", "buildings"),
]
if user.role == "admin":  # the page refuses others too (the store checks the role)
    listed.append(("views/audit.py", "page.audit", "history", "audit"))
pages = [
    st.Page(script, title=t(title, lang), icon=f":material/{icon}:", url_path=path, default=i == 0)
    for i, (script, title, icon, path) in enumerate(listed)
]
page = st.navigation(pages)
ui.note_page(page.url_path)
page.run()
