"""Users: adding, listing, disabling, passwords, and signing in.

Passwords are kept as Argon2id hashes (argon2-cffi, its default parameters); a
hash made with weaker parameters than today's is replaced at the next sign-in. The
user rows live in the store (``users``), so every change is in the audit log.

Sign-in is required on PostGIS and as soon as any user exists; an embedded store
with no users runs in demo mode (:func:`sign_in_required`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import argon2
import pandas as pd

from geo.access import ROLES, User
from geo.errors import GridmapError, StoreError
from geo.model import is_missing
from geo.store.base import Store

MIN_PASSWORD = 8
_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_HASHER = argon2.PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs as long as a
# wrong password and the time does not tell which names exist.
_DUMMY_HASH = _HASHER.hash("not a password of anyone")
# What people and the CLI may see of a user (never the hash).
PUBLIC_COLUMNS = ("name", "full_name", "role", "community_id", "grids", "disabled", "created_at")


class UserError(GridmapError):
    """A user cannot be added or changed as asked."""


def _now() -> datetime:
    return datetime.now(UTC)


def check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise UserError("users.bad_name", name=name)
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UserError("users.short_password", n=MIN_PASSWORD)
    return password


def add_user(
    store: Store,
    name: str,
    role: str,
    password: str,
    full_name: str | None = None,
    community_id: str | None = None,
    grids: tuple[str, ...] = (),
) -> User:
    """Add a user with an Argon2 hash of ``password``; return it.

    Raises UserError for a bad name or a short password, GridmapError for an
    unknown role, StoreError when the name is taken.
    """
    user = User(check_name(name), role, full_name, community_id, tuple(grids))
    now = _now()
    store.add_user(
        {
            "name": user.name,
            "full_name": full_name,
            "role": role,
            "community_id": community_id,
            "grids": ",".join(grids) or None,
            "password_hash": _HASHER.hash(check_password(password)),
            "disabled": False,
            "created_at": now.isoformat(),
            "password_changed_at": now.isoformat(),
        }
    )
    return user


def set_password(store: Store, name: str, password: str) -> None:
    """Give ``name`` a new password."""
    store.update_user(
        name,
        {
            "password_hash": _HASHER.hash(check_password(password)),
            "password_changed_at": _now().isoformat(),
        },
    )


def set_disabled(store: Store, name: str, disabled: bool = True) -> None:
    """Disable (or enable again) ``name``; the last active administrator stays."""
    if disabled:
        table = store.users()
        admins = table[(table["role"] == "admin") & ~table["disabled"]]
        if list(admins["name"]) == [name]:
            raise UserError("users.last_admin", name=name)
    store.update_user(name, {"disabled": bool(disabled)})


def listing(store: Store) -> pd.DataFrame:
    """Every user without the password hash, by name."""
    return store.users().loc[:, list(PUBLIC_COLUMNS)]


def as_user(row: pd.Series | dict) -> User:
    """A :class:`User` from a row of the users table."""
    grids = row.get("grids")
    return User(
        name=str(row["name"]),
        role=str(row["role"]),
        full_name=None if is_missing(row.get("full_name")) else str(row["full_name"]),
        community_id=None if is_missing(row.get("community_id")) else str(row["community_id"]),
        grids=() if is_missing(grids) or not grids else tuple(str(grids).split(",")),
    )


def find(store: Store, name: str) -> User | None:
    """The active user called ``name``, or None (unknown or disabled)."""
    table = store.users()
    rows = table[(table["name"] == name) & ~table["disabled"]]
    return None if rows.empty else as_user(rows.iloc[0])


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The user when ``password`` is theirs and they are not disabled; else None."""
    table = store.users()
    rows = table[table["name"] == name]
    stored = _DUMMY_HASH if rows.empty else str(rows.iloc[0]["password_hash"])
    try:
        _HASHER.verify(stored, password)
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return None
    if rows.empty or bool(rows.iloc[0]["disabled"]):
        return None
    if _HASHER.check_needs_rehash(stored):
        try:
            store.update_user(name, {"password_hash": _HASHER.hash(password)})
        except StoreError:
            pass  # signing in matters more than upgrading the hash now
    return as_user(rows.iloc[0])


def sign_in_required(store: Store) -> bool:
    """True on PostGIS, and on a GeoPackage once any user exists; else demo mode."""
    if not store.embedded:
        return True
    return not store.users().empty


def demo_user(role: str, worker: str | None = None) -> User:
    """The person a demo-mode visitor plays: a role, and for a grid worker, whose grids."""
    if role not in ROLES:
        raise GridmapError("access.unknown_role", role=role, roles=", ".join(ROLES))
    name = f"demo-{role}" if worker is None else f"demo-{worker}"
    return User(name=name, role=role, full_name=worker)
