"""Who is working: the operating-system login name, written into every change-log entry."""

from __future__ import annotations

import getpass


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some locked-down PCs
        return "本机用户"
