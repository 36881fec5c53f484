"""One writer per database file: an OS-level lock on ``<database>.lock``.

The GUI holds it for as long as its window is open; every command that writes (import, restore, demo, init,
backups that rotate) takes it for its run. The lock is keyed on the file's real path, so a symlink or another
spelling of the same file is the same database. The operating system drops the lock when the process ends, however
it ends, so a crash never leaves a stale lock.
"""

from __future__ import annotations

import os
from pathlib import Path

from fazhi_desktop.domain.errors import DatabaseLockedError, UserError


class InstanceLock:
    def __init__(self, db_path: Path):
        real = Path(os.path.realpath(db_path))
        self.db_path = real
        self.path = real.with_name(real.name + ".lock")
        self._fh = None

    def acquire(self) -> InstanceLock:
        try:
            fh = open(self.path, "a+")  # noqa: SIM115 - held open for the life of the lock
        except OSError as exc:
            raise UserError(f"数据库位于只读位置或没有写入权限，不能修改：{self.db_path}\n"
                            f"（{exc.strerror or exc}）只能查看、统计和生成报告。") from exc
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
                f"数据库正被另一个程序窗口使用：{self.db_path}\n请先关闭程序窗口，或在那个窗口里继续工作。"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        if self._fh is not None:
            # The file stays: unlinking it would let a waiting process lock the old file while another locks a new one.
            self._fh.close()
            self._fh = None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
