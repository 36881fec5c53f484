"""One writer per database file: an OS-level lock on ``<database>.lock``.

The GUI holds it for as long as its window is open; every command that writes (import, restore, demo, init,
backups that rotate) takes it for its run. The lock is keyed on the file's real path, so a symlink or another
spelling of the same file is the same database; a database with a second hard link (another name the lock cannot
see) is refused for writing. The lock file is opened without following links and only ever as a regular file, so a
planted symlink never truncates what it points to. The operating system drops the lock when the process ends,
however it ends, so a crash never leaves a stale lock.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from fazhi_desktop.domain.errors import DatabaseLockedError, UserError


def hard_link_problem(db_path: Path) -> str | None:
    """A database file with more than one name could be locked under each of them at once."""
    try:
        info = os.stat(db_path)
    except OSError:
        return None
    if stat.S_ISREG(info.st_mode) and info.st_nlink > 1:
        return (f"数据库文件「{db_path}」还有 {info.st_nlink - 1} 个其他名称（硬链接），两个窗口可能同时修改它。"
                "请把它复制成一个独立的文件后再打开。")
    return None


def _open_regular(path: Path) -> int:
    """Open (or create) the lock file itself — never what a planted link points to."""
    with contextlib.suppress(FileNotFoundError):
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
            os.unlink(path)  # a symlink, folder link or hard link put there: remove the name, not its target
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o600)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError("not a regular file")
    return fd


class InstanceLock:
    def __init__(self, db_path: Path):
        real = Path(os.path.realpath(db_path))
        self.db_path = real
        self.path = real.with_name(real.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> InstanceLock:
        problem = hard_link_problem(self.db_path)
        if problem:
            raise UserError(problem)
        try:
            fd = _open_regular(self.path)
        except OSError as exc:
            raise UserError(f"数据库位于只读位置或没有写入权限，不能修改：{self.db_path}\n"
                            f"（{exc.strerror or exc}）只能查看、统计和生成报告。") from exc
        try:
            if os.name == "nt":
                import msvcrt

                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise DatabaseLockedError(
                f"数据库正被另一个程序窗口使用：{self.db_path}\n请先关闭程序窗口，或在那个窗口里继续工作。"
            ) from None
        if os.name != "nt":  # Windows cannot truncate over its own lock region; the pid is only informative
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            # The file stays: unlinking it would let a waiting process lock the old file while another locks a new one.
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
