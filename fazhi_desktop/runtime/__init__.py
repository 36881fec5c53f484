"""What the running program is: how to start it again (child), and what a person types to reach its command line."""

from __future__ import annotations

import sys


def command_name(platform: str = sys.platform, frozen: bool | None = None) -> str:
    """The command the messages tell a person to run. The Windows build's fazhi-desktop.exe is the windowed program
    (it prints nothing in a console); its command line is fazhi-desktop-cli.exe."""
    frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    return "fazhi-desktop-cli" if frozen and platform == "win32" else "fazhi-desktop"
