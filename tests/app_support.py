"""The app under Streamlit's AppTest, signed in where the store asks for it.

The PostGIS demo database (tests/conftest.py) has one administrator, DEMO_ADMIN, as
a deployment would; a test that is not about signing in starts as them. On a
GeoPackage store without users the app runs in demo mode and ignores it.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from geo.session import SIGNED_IN

DEMO_ADMIN = "admin"
DEMO_ADMIN_PASSWORD = "admin password"


def app_test(path: str, default_timeout: float) -> AppTest:
    """``AppTest.from_file(path)`` with DEMO_ADMIN signed in."""
    at = AppTest.from_file(path, default_timeout=default_timeout)
    at.session_state[SIGNED_IN] = DEMO_ADMIN
    return at
