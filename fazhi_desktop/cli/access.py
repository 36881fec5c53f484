"""What each subcommand asks of an account's role (domain.roles), declared once for the whole command line.

The command line asks it right after the login, before any file is read or written, so a refusal never leaves half a
job behind; the services refuse the same things again on their own (tests/test_cli_roles.py walks this table as every
role). ``None``: the command needs no account (nothing of the records is read or written: a blank template, the
file's integrity, the demo into an empty database).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from fazhi_desktop.domain.roles import ADMIN_ONLY, EXPORT, READ, SETTINGS, WRITE

Need = Callable[[argparse.Namespace], str | None]

NEEDS: dict[str, Need] = {
    "init": lambda a: SETTINGS,
    "demo": lambda a: None,
    "template": lambda a: None,
    "check": lambda a: None,
    "stats": lambda a: READ,
    "todo": lambda a: READ,
    "holidays": lambda a: SETTINGS if a.action == "import" else READ,
    "score": lambda a: READ,
    "audit": lambda a: READ,
    "tables": lambda a: READ,  # the statistics printed (numbers masked), as 查看 may print them
    "report": lambda a: ADMIN_ONLY if a.accept else READ,  # accepting a 保密审查 hit is a 管理员's
    "import_": lambda a: WRITE,
    "export": lambda a: ADMIN_ONLY if a.full_ids else EXPORT,
    "binder": lambda a: EXPORT,
    "backup": lambda a: ADMIN_ONLY if a.out else WRITE,  # a copy holds every full number; a backup rotates
    "restore": lambda a: ADMIN_ONLY,
    "package": lambda a: ADMIN_ONLY if a.action == "import" else EXPORT,
    "county_tables": lambda a: SETTINGS if a.deadline else EXPORT,
    "county": lambda a: {"setup": SETTINGS, "relink": ADMIN_ONLY}.get(a.action, EXPORT),
    "user": lambda a: READ if a.action in ("list", "password") else ADMIN_ONLY,  # one's own password
    "retention": lambda a: READ if a.action == "list" else ADMIN_ONLY,
    "reveal": lambda a: ADMIN_ONLY,
}


def need_of(args: argparse.Namespace) -> str | None:
    """What the parsed command asks of the account (KeyError for a command nobody declared: a test finds it)."""
    return NEEDS[args.handler](args)
