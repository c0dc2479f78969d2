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

pages = [
    st.Page(
        "views/overview.py",
        title=t("page.overview", lang),
        icon="📊",
        url_path="overview",
        default=True,
    ),
    st.Page("views/map.py", title=t("page.map", lang), icon="🗺️", url_path="map"),
    st.Page("views/reports.py", title=t("page.reports", lang), icon="📋", url_path="reports"),
    st.Page("views/data.py", title=t("page.data", lang), icon="🗂️", url_path="data"),
    st.Page("views/grids.py", title=t("grids.page", lang), icon="🧩", url_path="grids"),
    st.Page("views/buildings.py", title=t("page.buildings", lang), icon="🏢", url_path="buildings"),
]
if user.role == "admin":  # the page refuses others too (the store checks the role)
    pages.append(
        st.Page("views/audit.py", title=t("page.audit", lang), icon="🧾", url_path="audit")
    )
page = st.navigation(pages)
ui.note_page(page.url_path)
page.run()
