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


def add_accounts(db, admin: tuple[str, str], *others: tuple[str, str, str], env: dict | None = None) -> None:
    """Accounts made through the real command line: the first 管理员 ``(name, password)``, then each
    ``(name, role, password)`` added by that 管理员 (every later command asks for a password)."""
    name, password = admin
    made = run_cli("--db", str(db), "--user", name, "user", "add", name, "--role", "管理员",
                   stdin=f"{password}\n{password}\n", env=env)
    assert made.returncode == 0, made.stderr
    for other, role, secret in others:
        made = run_cli("--db", str(db), "--user", name, "user", "add", other, "--role", role,
                       stdin=f"{password}\n{secret}\n{secret}\n", env=env)
        assert made.returncode == 0, made.stderr
