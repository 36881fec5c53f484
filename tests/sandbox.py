"""Real full disks, read-only media and missing permissions for one command: a private mount namespace
(``unshare -m``) with a tiny tmpfs or a read-only bind mount, and ``setpriv`` to run without root's power to ignore
file permissions. Tests using it skip where the machine does not allow namespaces (not root, not Linux)."""

from __future__ import annotations

import functools
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest


@functools.cache
def available() -> bool:
    if sys.platform != "linux" or not shutil.which("unshare") or not shutil.which("setpriv"):
        return False
    with tempfile.TemporaryDirectory() as folder:
        probe = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c",
                                f"mount -t tmpfs -o size=64k tmpfs {shlex.quote(folder)}"], capture_output=True)
    return probe.returncode == 0


_skip_without = pytest.mark.skipif("not sandbox.available()", reason="needs mount namespaces (root on Linux)")


def needs_sandbox(fn):
    """A real full disk or read-only medium (an external condition, so in the ``external`` level)."""
    return pytest.mark.external(_skip_without(fn))


def tmpfs(folder: Path, size_kb: int) -> str:
    """A step for ``run``: ``folder`` becomes an empty file system of ``size_kb`` (writes beyond it: disk full)."""
    return f"mount -t tmpfs -o size={size_kb}k,mode=700 tmpfs {shlex.quote(str(folder))}"


def read_only(folder: Path) -> str:
    """A step for ``run``: ``folder`` (with what it holds) becomes a read-only medium."""
    q = shlex.quote(str(folder))
    return f"mount --bind {q} {q} && mount -o remount,ro,bind {q}"


AFTER = "--- after ---"


def run(*args: str, steps: list[str], data_dir: Path, after: str = "", no_dac_override: bool = False,
        timeout: int = 180) -> subprocess.CompletedProcess:
    """Run the command line after ``steps`` in a private mount namespace, then the shell command ``after`` inside
    the same namespace (its output is ``proc.after``: the mounts vanish with the namespace).
    ``no_dac_override``: as root without the capability to bypass file permissions (a 0000 file is as unreadable as
    for a clerk). The return code is the program's."""
    cmd = [sys.executable, "-m", "fazhi_desktop", *args]
    if no_dac_override:
        cmd = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *cmd]
    script = " && ".join(steps) + f" && {{ {shlex.join(cmd)}; rc=$?; echo {shlex.quote(AFTER)}; {after or 'true'}; exit $rc; }}"
    env = dict(os.environ, FAZHI_DATA_DIR=str(data_dir))
    proc = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=timeout)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    assert "Exception ignored" not in proc.stderr, proc.stderr
    proc.stdout, _, proc.after = proc.stdout.partition(AFTER + "\n")  # what the program printed; what ``after`` did
    return proc
