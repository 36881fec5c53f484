"""A throwaway PostgreSQL server for tests: initdb in a temp folder, listening on 127.0.0.1 only.

initdb refuses to run as root, so as root the server runs as the ``postgres`` system user (created by Debian's
package). Returns None when no PostgreSQL binaries are installed.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="fazhi-pg-"))
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres")

    def _run(self, *args: str, **kw) -> subprocess.CompletedProcess:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=True, **kw)

    def start(self) -> str:
        data, sock = self.root / "data", self.root / "sock"
        self._run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        sock.mkdir()
        if self.as_root:
            shutil.chown(sock, "postgres")
        self._run("pg_ctl", "-D", str(data), "-l", str(self.root / "log"), "-w", "-o",
                  f"-h 127.0.0.1 -p {self.port} -k {sock}", "start")
        for _ in range(50):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "fazhi")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/fazhi"

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def available() -> bool:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return False
    return _bin_dir() is not None


def new_server() -> PgServer:
    bindir = _bin_dir()
    assert bindir is not None
    return PgServer(bindir)
