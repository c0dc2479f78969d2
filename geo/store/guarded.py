"""The store as one person may use it: every write checked against their role.

Pages and commands write through a :class:`GuardedStore`. Before each write it asks
:mod:`geo.access` whether the person may make it and raises
:class:`geo.access.AccessDenied` if not; while the write runs, the person is the one
acting (:func:`geo.access.acting_as`), so the store's audit triggers record them.
Reads pass through unchanged; residents' details are masked where they are shown
(:func:`geo.privacy.mask_for`).
"""

from __future__ import annotations

import pandas as pd

from geo import access
from geo.access import User
from geo.store.base import GridBase, GridSave, InsertSummary, Store

# Changes a person may make to their own user row without being an administrator.
_OWN_USER_COLUMNS = {"password_hash", "password_changed_at"}


def _communities(frame: pd.DataFrame) -> list:
    return list(frame["community_id"].dropna().unique()) if "community_id" in frame else []


class GuardedStore:
    """``store`` as ``user`` may use it (reads pass through; writes are checked).

    Parameters
    ----------
    store
        The store itself.
    user
        The person acting.
    """

    def __init__(self, store: Store, user: User):
        self.inner = store
        self.user = user
        # Reports this person logged through this object: they may finish their intake
        # (accept, dispatch to whichever grid it fell in, photo) in the same operation.
        self._logged: set[int] = set()

    def __getattr__(self, name: str):
        # Reads and everything else that changes nothing.
        return getattr(self.inner, name)

    def __repr__(self) -> str:
        return f"GuardedStore({self.inner!r}, user={self.user.name!r})"

    def own_grids(self, community_id: str | None) -> set[str]:
        """The acting grid worker's grids in ``community_id`` (empty for other roles)."""
        if self.user.role != "grid_worker":
            return set()
        return self.user.own_grids(self.inner.read("grids", community_id))

    # --- layers -------------------------------------------------------------------------
    def upsert(self, layer: str, frame: pd.DataFrame) -> InsertSummary:
        access.require_layer_edit(self.user, layer, _communities(frame))
        with access.acting_as(self.user):
            return self.inner.upsert(layer, frame)

    def load_community(self, layers: dict[str, pd.DataFrame]) -> None:
        for name, frame in layers.items():
            access.require_layer_edit(self.user, name, _communities(frame))
        with access.acting_as(self.user):
            return self.inner.load_community(layers)

    def add_reports(self, reports: pd.DataFrame) -> InsertSummary:
        access.require_layer_edit(self.user, "reports", _communities(reports))
        with access.acting_as(self.user):
            return self.inner.add_reports(reports)

    def reassign(self, community_id: str | None = None, open_only: bool = False):
        # A consequence of changing grids or buildings, so their editors may run it.
        if self.user.role not in ("admin", "planner", "renovation"):
            access.require_admin(self.user, "access.what.reassign")
        with access.acting_as(self.user):
            return self.inner.reassign(community_id, open_only)

    def save_grids(
        self,
        community_id: str,
        grids: pd.DataFrame,
        base: GridBase,
        actor: str | None = None,
        note: str | None = None,
    ) -> GridSave:
        access.require_layer_edit(self.user, "grids", [community_id])
        with access.acting_as(self.user):
            return self.inner.save_grids(community_id, grids, base, self.user.display, note)

    # --- reports ------------------------------------------------------------------------
    def add_report(self, report: pd.DataFrame) -> int | None:
        for community_id in _communities(report) or [None]:
            access.require_report_create(self.user, community_id)
        with access.acting_as(self.user):
            report_id = self.inner.add_report(report)
        if report_id is not None:
            self._logged.add(int(report_id))
        return report_id

    def _check_report(self, report_id: int) -> dict | None:
        current = self.inner.report(report_id)
        if current is not None and int(report_id) not in self._logged:
            own = self.own_grids(current.get("community_id"))
            access.require_report_change(self.user, current, own)
        return current

    def update_report(
        self,
        report_id: int,
        changes: dict,
        expected: dict | None = None,
        event: dict | None = None,
    ) -> dict:
        current = self._check_report(report_id)  # None: the store says there is no such report
        if current is not None and self.user.role == "grid_worker":
            # The grid the check saw must still be the report's when the change is made.
            expected = {**(expected or {}), "grid_id": current.get("grid_id")}
        with access.acting_as(self.user):
            return self.inner.update_report(report_id, changes, expected, event)

    def add_photo(self, report_id: int, data: bytes, mime: str, *args, **kwargs) -> int:
        self._check_report(report_id)
        with access.acting_as(self.user):
            return self.inner.add_photo(report_id, data, mime, *args, **kwargs)

    # --- users and the audit log --------------------------------------------------------
    def users(self) -> pd.DataFrame:
        access.require_admin(self.user, "access.what.users")
        return self.inner.users()

    def add_user(self, row: dict) -> None:
        access.require_admin(self.user, "access.what.users")
        with access.acting_as(self.user):
            self.inner.add_user(row)

    def update_user(self, name: str, changes: dict) -> None:
        if not (name == self.user.name and set(changes) <= _OWN_USER_COLUMNS):
            access.require_admin(self.user, "access.what.users")
        with access.acting_as(self.user):
            self.inner.update_user(name, changes)

    def audit_raw(self) -> pd.DataFrame:
        access.require_admin(self.user, "access.what.audit")
        return self.inner.audit_raw()

    def audit_log(self) -> pd.DataFrame:
        access.require_admin(self.user, "access.what.audit")
        return self.inner.audit_log()
