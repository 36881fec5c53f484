"""Who is working: the account logged in (once accounts exist), else the operating-system login name; written into
every change-log entry."""

from __future__ import annotations

import getpass

_logged_in: str | None = None


def act_as(name: str | None) -> None:
    """The account a front end logged in (None: back to the OS user): every service defaults to it."""
    global _logged_in
    _logged_in = name


def default_actor() -> str:
    if _logged_in:
        return _logged_in
    try:
        return getpass.getuser()
    except Exception:  # no login name on some locked-down PCs
        return "本机用户"
