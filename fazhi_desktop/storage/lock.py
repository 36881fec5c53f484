"""One program instance per database file: an OS-level lock on ``<database>.lock``.

The operating system drops the lock when the process ends, however it ends, so a crash never leaves a stale lock.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from fazhi_desktop.domain.errors import DatabaseLockedError


class InstanceLock:
    def __init__(self, db_path: Path):
        self.path = db_path.with_name(db_path.name + ".lock")
        self._fh = None

    def acquire(self) -> InstanceLock:
        fh = open(self.path, "a+")  # noqa: SIM115 - held open for the life of the lock
        try:
            if os.name == "nt":
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise DatabaseLockedError(
                f"数据库文件已被另一个程序窗口打开：{self.path.with_suffix('')}\n请先关闭另一个窗口，或在那里继续工作。"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
            with contextlib.suppress(OSError):
                self.path.unlink()

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
