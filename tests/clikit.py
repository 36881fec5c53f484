"""Running the real command line in a subprocess (what a clerk or a script would do)."""

from __future__ import annotations

import os
import subprocess
import sys


def run_cli(*args: str, env: dict | None = None, timeout: int = 180, stdin: str | None = None
            ) -> subprocess.CompletedProcess:
    """``stdin``: what the command reads (passwords, once the database has accounts)."""
    proc = subprocess.run([sys.executable, "-m", "fazhi_desktop", *args], capture_output=True, text=True,
                          encoding="utf-8", env=dict(os.environ, **(env or {})), timeout=timeout, input=stdin)
    assert "Traceback" not in proc.stdout + proc.stderr  # never a traceback, whatever happens
    return proc
