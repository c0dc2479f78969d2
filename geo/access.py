"""Who may do what: roles, the person acting, and the checks made where data changes.

The five roles of DESIGN.md §2 and issue 11:

- **admin**: everything, including users, backups and the audit log;
- **secretary**: reads everything, residents' details included; changes nothing;
- **planner**: changes grids (the grid editor, grid imports);
- **renovation**: changes buildings, chargers and drying areas (items, imports);
- **grid_worker**: logs reports and moves the reports of their own grids.

The checks live here and are called by :class:`geo.store.guarded.GuardedStore`, the
store every page and command writes through, so hiding a button is never the only
guard. A refusal is an :class:`AccessDenied` that says who was refused and why.
"""

from __future__ import annotations

import contextlib
import contextvars
import getpass
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pandas as pd

from geo.errors import GridmapError
from geo.model import is_missing

ROLES = ("admin", "secretary", "planner", "renovation", "grid_worker")

# Which roles change which layer (imports, the editors, upserts).
LAYER_EDITORS = {
    "community": ("admin",),
    "grids": ("admin", "planner"),
    "buildings": ("admin", "renovation"),
    "chargers": ("admin", "renovation"),
    "drying_areas": ("admin", "renovation"),
    "reports": ("admin",),  # bulk imports; single reports go through intake
    "report_events": ("admin",),
}
# The roles that may see residents' names and phone numbers (a grid worker: of
# the reports of their own grids only).
PRIVATE_READERS = ("admin", "secretary", "grid_worker")
# The roles that may take residents' details out of the system in an export.
PRIVATE_EXPORTERS = ("admin", "secretary")


class AccessDenied(GridmapError):
    """The person acting may not do this; the message says who and why."""


@dataclass(frozen=True)
class User:
    """A person using the product (or the command line acting for the administrator).

    Parameters
    ----------
    name
        The sign-in name.
    role
        One of :data:`ROLES`.
    full_name
        The person's name as the grids layer writes it in ``worker_name``.
    community_id
        The one community this person works in, or None for every community.
    grids
        A grid worker's own grid_ids; empty means the grids whose ``worker_name`` is
        the person's ``full_name``.
    """

    name: str
    role: str
    full_name: str | None = None
    community_id: str | None = None
    grids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise GridmapError("access.unknown_role", role=self.role, roles=", ".join(ROLES))

    @property
    def label(self) -> str:
        """How the person appears in the audit log: the sign-in name."""
        return self.name

    @property
    def display(self) -> str:
        """How the person appears in a report's events: their name, else the sign-in name.

        A grid worker's full name is the grid's worker_name, which dispatch writes into
        the report's assignee, so their events and their reports match.
        """
        return self.full_name or self.name

    def own_grids(self, grids: pd.DataFrame) -> set[str]:
        """The grid_ids this person works in (a grid worker's; empty for other roles)."""
        if self.role != "grid_worker":
            return set()
        if self.grids:
            return set(self.grids)
        if self.full_name is None or grids.empty:
            return set()
        mine = grids["worker_name"].astype(object) == self.full_name
        return set(grids.loc[mine, "grid_id"].astype(str))


def command_line_user() -> User:
    """The administrator acting through ``gridmap`` on the server's own shell."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return User(name=f"cli:{who}", role="admin")


# The person acting in this thread or task: the stores record it in the audit log.
_acting: contextvars.ContextVar[User | None] = contextvars.ContextVar("acting", default=None)


@contextlib.contextmanager
def acting_as(user: User | None) -> Iterator[None]:
    """Record ``user`` as the one acting while the block runs (for the audit log)."""
    token = _acting.set(user)
    try:
        yield
    finally:
        _acting.reset(token)


def acting() -> User | None:
    """The person acting now, or None (a program outside the app, e.g. QGIS)."""
    return _acting.get()


def _refuse(user: User, key: str, **values: object) -> AccessDenied:
    # The role's name is a nested error so that it is shown in the message's language.
    return AccessDenied(key, user=user.name, role=GridmapError(f"role.{user.role}"), **values)


def _check_community(user: User, community_id: object) -> None:
    if user.community_id is None or is_missing(community_id):
        return
    if str(community_id) != user.community_id:
        raise _refuse(user, "access.other_community", community=community_id)


def require_layer_edit(user: User, layer: str, communities: Iterable[object] = ()) -> None:
    """Refuse unless ``user`` may change ``layer`` (in every one of ``communities``)."""
    if user.role not in LAYER_EDITORS.get(layer, ("admin",)):
        raise _refuse(user, f"access.layer.{layer}")
    for community_id in set(communities):
        _check_community(user, community_id)


def require_admin(user: User, what: str) -> None:
    """Refuse unless ``user`` is an administrator; ``what`` names the action (a key)."""
    if user.role != "admin":
        raise _refuse(user, "access.admin_only", what=GridmapError(what))


def require_report_create(user: User, community_id: object) -> None:
    """Refuse unless ``user`` may log a new report in ``community_id``."""
    if user.role not in ("admin", "grid_worker"):
        raise _refuse(user, "access.report_create")
    _check_community(user, community_id)


def require_report_change(user: User, report: dict, own_grids: set[str]) -> None:
    """Refuse unless ``user`` may move ``report`` (a grid worker: of their own grids).

    Parameters
    ----------
    user
        The person acting.
    report
        The report as stored now (community_id and grid_id are used).
    own_grids
        The grid_ids of ``user`` (:meth:`User.own_grids`).
    """
    _check_community(user, report.get("community_id"))
    if user.role == "admin":
        return
    if user.role != "grid_worker":
        raise _refuse(user, "access.report_change")
    grid_id = report.get("grid_id")
    if is_missing(grid_id) or str(grid_id) not in own_grids:
        shown = "—" if is_missing(grid_id) else grid_id
        raise _refuse(
            user, "access.report_other_grid", report_id=report.get("report_id"), grid=shown
        )


def refusal(check: Callable[..., None], *args: object) -> AccessDenied | None:
    """What ``check(*args)`` (one of the ``require_*`` functions) would refuse, or None.

    Pages use it to offer only what the person may do, and to say why the rest is
    read-only; the store makes the same check again when data changes.
    """
    try:
        check(*args)
    except AccessDenied as exc:
        return exc
    return None


def sees_private(
    user: User | None, grid_id: object = None, own_grids: set[str] = frozenset()
) -> bool:
    """True when ``user`` may see the reporter's name and phone of a report in ``grid_id``."""
    if user is None or user.role not in PRIVATE_READERS:
        return False
    if user.role != "grid_worker":
        return True
    return not is_missing(grid_id) and str(grid_id) in own_grids


def require_private_export(user: User) -> None:
    """Refuse unless ``user`` may export residents' names and phone numbers unmasked."""
    if user.role not in PRIVATE_EXPORTERS:
        raise _refuse(user, "access.private_export")
