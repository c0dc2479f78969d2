"""``gridmap users``: add, list, disable, enable, passwd.

A password is never an argument (it would stay in the shell's history and in the
process list): it is asked for twice at a prompt, or read from the first line of
standard input when that is not a terminal (``printf '%s\\n' "$PW" | gridmap users
add ...``). :mod:`geo.cli` adds the parser with :func:`add_parser` and hands the
parsed arguments to :func:`run`.
"""

from __future__ import annotations

import getpass
import sys

from geo import users
from geo.access import ROLES
from geo.i18n import t
from geo.store.base import Store

COMMANDS = ("users",)


def add_parser(sub) -> None:
    """Add ``users`` and its actions to ``gridmap``'s subparsers."""
    parser = sub.add_parser("users", help="manage who may sign in, and their roles")
    actions = parser.add_subparsers(dest="users_action", required=True)
    add = actions.add_parser("add", help="add a user (the password is asked for)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--full-name", help="the name as the grids' worker_name writes it")
    add.add_argument("--community", help="the one community this user works in")
    add.add_argument("--grids", help="a grid worker's grids, e.g. G01,G02")
    actions.add_parser("list", help="list the users and their roles")
    for action, text in (
        ("disable", "stop a user from signing in"),
        ("enable", "let a disabled user sign in again"),
        ("passwd", "set a user's password (asked for)"),
    ):
        actions.add_parser(action, help=text).add_argument("name")


def read_password(name: str, lang: str, stdin=None) -> str:
    """The new password: asked twice on a terminal, else the first line of ``stdin``."""
    stdin = sys.stdin if stdin is None else stdin
    if stdin.isatty():
        first = getpass.getpass(t("users.prompt", lang, name=name))
        if getpass.getpass(t("users.prompt_again", lang)) != first:
            raise users.UserError("users.passwords_differ")
        return first
    line = stdin.readline()
    if not line:
        raise users.UserError("users.no_password")
    return line.rstrip("\r\n")


def run(store: Store, args, lang: str) -> int:
    """Carry out ``gridmap users ...`` on ``store``; print what was done."""
    action = args.users_action
    if action == "list":
        table = users.listing(store)
        if table.empty:
            print(t("users.none", lang))
            return 0
        for row in table.itertuples(index=False):
            state = " (disabled)" if row.disabled else ""
            extra = " ".join(
                f"{label}={value}"
                for label, value in (
                    ("full_name", row.full_name),
                    ("community", row.community_id),
                    ("grids", row.grids),
                )
                if isinstance(value, str) and value
            )
            print(f"{row.name}\t{row.role}{state}\t{extra}".rstrip())
        return 0
    if action == "add":
        users.check_name(args.name)
        password = read_password(args.name, lang)
        grids = tuple(g.strip() for g in (args.grids or "").split(",") if g.strip())
        users.add_user(store, args.name, args.role, password, args.full_name, args.community, grids)
        print(t("users.added", lang, name=args.name, role=t(f"role.{args.role}", lang)))
        return 0
    if action == "passwd":
        users.set_password(store, args.name, read_password(args.name, lang))
        print(t("users.password_set", lang, name=args.name))
        return 0
    disabled = action == "disable"
    users.set_disabled(store, args.name, disabled)
    print(t("users.disabled" if disabled else "users.enabled", lang, name=args.name))
    return 0
