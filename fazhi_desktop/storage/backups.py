"""Rotating, verified backups of a SQLite database, restore with a safety copy, integrity checks.

Backups use SQLite's online backup API (never a file copy of a live WAL database), go to a temporary name, are
verified with ``integrity_check`` and only then renamed into place (``backup_sqlite``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.storage import paths

DEFAULT_KEEP = 30
# Reasons that rotate; "safety" copies (taken before a restore) and copies written elsewhere never do.
ROTATING = ("daily", "exit", "manual", "before-import", "before-upgrade")
_TAIL = re.compile(r"^(?P<reason>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})\.sqlite3$")
REASON_LABELS = {"daily": "每日自动", "exit": "退出时", "manual": "手动", "before-import": "导入前", "before-upgrade":
                 "升级前", "safety": "恢复前的当前数据"}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime
    reason: str
    size: int
    records: int | None  # None when the file cannot be read

    @property
    def reason_label(self) -> str:
        base = next((k for k in REASON_LABELS if self.reason.startswith(k)), self.reason)
        return REASON_LABELS.get(base, self.reason)


def default_folder() -> Path:
    return paths.default_backup_dir()


def _stamp(now: dt.datetime | None = None) -> str:
    return f"{now or dt.datetime.now():%Y%m%d-%H%M%S-%f}"


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy a live (WAL) database consistently; never a plain file copy, which can lose the WAL's contents."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
            # The copy should not need the WAL: a single self-contained file is what people carry to a USB stick.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    if ok != "ok":
        tmp.unlink(missing_ok=True)
        raise UserError(f"备份校验未通过：{ok}")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target


def make_backup(db_path: Path, reason: str, folder: Path | None = None, keep: int | None = DEFAULT_KEEP) -> Path:
    folder = folder or default_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"无法创建备份文件夹：{folder}（{exc.strerror or exc}）") from exc
    target = folder / f"{db_path.stem}-{reason}-{_stamp()}.sqlite3"
    backup_sqlite(db_path, target)
    if keep and reason in ROTATING:
        rotate(db_path, folder, keep)
    return target


def copy_to(db_path: Path, target: Path) -> Path:
    """备份到U盘: a verified copy at a place the user chose (a file or a folder); never rotated."""
    if target.is_dir():
        target = target / f"{db_path.stem}-备份-{dt.datetime.now():%Y%m%d-%H%M%S}.sqlite3"
    if not target.parent.is_dir():
        raise UserError(f"保存位置的文件夹不存在：{target.parent}")
    return backup_sqlite(db_path, target)


def _parse(path: Path, stem: str) -> tuple[str, dt.datetime] | None:
    """``<stem>-<reason>-<YYYYmmdd-HHMMSS-ffffff>.sqlite3`` → (reason, created); None for other files."""
    if not path.name.startswith(stem + "-"):
        return None
    m = _TAIL.match(path.name[len(stem) + 1:])
    if not m:
        return None
    try:
        return m["reason"], dt.datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S-%f")
    except ValueError:
        return None


def _backup_files(db_path: Path, folder: Path) -> list[tuple[Path, str, dt.datetime]]:
    """(path, reason, created) of this database's backups in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    out = []
    for path in folder.glob(f"{db_path.stem}-*.sqlite3"):
        parsed = _parse(path, db_path.stem)
        if parsed:
            out.append((path, *parsed))
    return sorted(out, key=lambda x: x[2], reverse=True)


def count_records(path: Path) -> int | None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            from fazhi_desktop.domain.ledgers import LEDGERS

            total = 0
            for lg in LEDGERS:
                total += con.execute(f'SELECT count(*) FROM "{lg.key}" WHERE deleted = 0').fetchone()[0]  # noqa: S608
            return total
        finally:
            con.close()
    except sqlite3.Error:
        return None


def list_backups(db_path: Path, folder: Path | None = None) -> list[BackupInfo]:
    """Backups of this database file with their size and record count, newest first."""
    return [BackupInfo(p, created, reason, p.stat().st_size, count_records(p))
            for p, reason, created in _backup_files(db_path, folder or default_folder())]


def rotate(db_path: Path, folder: Path, keep: int) -> list[Path]:
    rotating = [b for b in _backup_files(db_path, folder) if b[1].startswith(ROTATING)]
    for path, _reason, _created in rotating[keep:]:
        path.unlink(missing_ok=True)
    return [b[0] for b in rotating[keep:]]


def daily_backup_if_due(db_path: Path, folder: Path | None = None, keep: int = DEFAULT_KEEP) -> Path | None:
    folder = folder or default_folder()
    today = dt.date.today()
    if any(r == "daily" and c.date() == today for _p, r, c in _backup_files(db_path, folder)):
        return None
    if not db_path.exists():
        return None
    return make_backup(db_path, "daily", folder, keep)


def integrity_problem(path: Path, quick: bool = False) -> str | None:
    """None when the file is sound, else SQLite's first complaints. ``quick`` is the start-up check
    (``quick_check``); the full one adds ``integrity_check`` and ``foreign_key_check``."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in con.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check")]
            if rows != ["ok"]:
                return "；".join(rows[:5]) or "unknown"
            if not quick and con.execute("PRAGMA foreign_key_check").fetchall():
                return "有记录引用了不存在的单位"
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None


def restore(db_path: Path, backup: Path, folder: Path | None = None) -> Path | None:
    """Replace the database's content with a backup. The current data is saved first, outside the rotation.

    Call with no open connections to ``db_path`` (dispose the engine first). Returns the safety copy's path.
    """
    if not backup.is_file():
        raise UserError(f"找不到备份文件：{backup}")
    problem = integrity_problem(backup)
    if problem:
        raise UserError(f"备份文件已损坏，不能用于恢复：{backup}（{problem}）")
    folder = folder or default_folder()
    safety = None
    if db_path.exists() and db_path.stat().st_size:
        if integrity_problem(db_path) is None:
            safety = make_backup(db_path, "safety", folder, keep=None)
        else:  # a damaged file cannot be read by the backup API: keep its bytes as they are
            folder.mkdir(parents=True, exist_ok=True)
            safety = folder / f"{db_path.stem}-safety-damaged-{_stamp()}.sqlite3"
            shutil.copyfile(db_path, safety)
    tmp = db_path.with_name(db_path.name + ".restoring")
    tmp.unlink(missing_ok=True)
    backup_sqlite(backup, tmp)
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    os.replace(tmp, db_path)
    return safety


def location_warning(path: Path, mounts: list[str] | None = None) -> str | None:
    """A network share or a removable drive is no place for a live database: say so (the user may go on)."""
    text = str(path.resolve())
    if os.name == "nt":
        if text.startswith("\\\\"):
            return f"数据库位于网络共享文件夹（{text}），断网时可能损坏数据，建议放在本机硬盘上。"
        try:
            import ctypes

            kind = ctypes.windll.kernel32.GetDriveTypeW(text[:3])  # type: ignore[attr-defined]
        except (AttributeError, OSError):
            return None
        if kind == 4:
            return f"数据库位于网络驱动器（{text[:2]}），断网时可能损坏数据，建议放在本机硬盘上。"
        if kind == 2:
            return f"数据库位于U盘等可移动磁盘（{text[:2]}），拔出时可能损坏数据，建议放在本机硬盘上，U盘只用来存放备份。"
        return None
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text().splitlines()
        except OSError:
            mounts = []
    best = ("", "")
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and text.startswith(parts[1]) and len(parts[1]) > len(best[0]):
            best = (parts[1], parts[2])
    if best[1] in ("nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p"):
        return f"数据库位于网络文件夹（{best[0]}），断网时可能损坏数据，建议放在本机硬盘上。"
    if text.startswith(("/media/", "/run/media/")):
        return "数据库位于U盘等可移动磁盘，拔出时可能损坏数据，建议放在本机硬盘上，U盘只用来存放备份。"
    return None
