"""Backup files in a folder: their names, which database they belong to, their order, and rotation.

A backup belongs to a database, not to a file name: its name carries the first characters of the database's identity
(``<stem>-<id8>-<reason>-<stamp>-<seq>.sqlite3``), and listing and rotation check the identity stored inside. The
sequence number orders backups as they were made, whatever the PC clock said: a clock set back a year must not make
each new backup look like the oldest one and have it rotated away.

Rotation removes only what the program wrote: files named as its backups that carry this database's identity, and
digest-named attachment files in the folder's marked store (``blobstore.Stash``).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.storage import blobstore, identity, paths, sqlite_file

DEFAULT_KEEP = 30
# Reasons that rotate; "safety" copies (taken before a restore) and copies written elsewhere never do.
ROTATING = ("daily", "exit", "manual", "before-import", "before-upgrade")
REASON_LABELS = {"daily": "每日自动", "exit": "退出时", "manual": "手动", "before-import": "导入前", "before-upgrade":
                 "升级前", "safety": "恢复前的当前数据"}
_STAMP = r"(?P<stamp>\d{8}-\d{6}-\d{6})"
_NAME = re.compile(rf"^.*-(?P<id8>[0-9a-f]{{8}})-(?P<reason>[a-z][a-z0-9-]*?)-{_STAMP}(?:-(?P<seq>\d{{1,9}}))?\.sqlite3$")


@dataclass(frozen=True)
class Summary:
    """What a backup (or database) file holds, read without changing it."""

    database_id: str | None
    revision: str | None
    units: tuple[str, ...]
    records: int


@dataclass(frozen=True)
class BackupFile:
    path: Path
    reason: str
    created: dt.datetime
    seq: int


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime
    reason: str
    size: int
    records: int | None  # None when the file cannot be read
    units: tuple[str, ...] = ()

    @property
    def reason_label(self) -> str:
        base = next((k for k in REASON_LABELS if self.reason.startswith(k)), self.reason)
        return REASON_LABELS.get(base, self.reason)

    @property
    def unit_text(self) -> str:
        return "、".join(self.units) or ("无法读取" if self.records is None else "（无单位）")


def default_folder() -> Path:
    return paths.default_backup_dir()


def stamp(now: dt.datetime | None = None) -> str:
    return f"{now or dt.datetime.now():%Y%m%d-%H%M%S-%f}"


def backup_name(db_path: Path, database_id: str | None, reason: str, seq: int = 0) -> str:
    id8 = identity.short(database_id) if database_id else "0" * 8
    return f"{db_path.stem}-{id8}-{reason}-{stamp()}-{seq:06d}.sqlite3"


def backup_files(database_id: str, folder: Path) -> list[BackupFile]:
    """The backups named for this database in ``folder``, newest (last made) first."""
    if not folder.is_dir():
        return []
    id8 = identity.short(database_id)
    out = []
    for path in folder.glob(f"*-{id8}-*.sqlite3"):
        m = _NAME.match(path.name)
        if not m or m["id8"] != id8 or not blobstore.regular_file(path):
            continue
        try:
            created = dt.datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S-%f")
        except ValueError:
            continue
        out.append(BackupFile(path, m["reason"], created, int(m["seq"] or 0)))
    return sorted(out, key=lambda b: (b.seq, b.created), reverse=True)


def next_seq(database_id: str | None, folder: Path) -> int:
    if not database_id:
        return 0
    return max((b.seq for b in backup_files(database_id, folder)), default=0) + 1


def summarize(path: Path) -> Summary | None:
    """Identity, schema revision, units and live records of a database file; None when it cannot be read as ours."""
    from fazhi_desktop.domain.ledgers import LEDGERS

    try:
        with sqlite_file.outside(path) as con:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "units" not in tables:
                return None
            revisions = (con.execute("SELECT version_num FROM alembic_version").fetchall()
                         if "alembic_version" in tables else [])
            db_id = (con.execute("SELECT value FROM database_info WHERE key = ?", (identity.ID_KEY,)).fetchone()
                     if "database_info" in tables else None)
            units = tuple(str(r[0])[:100] for r in con.execute("SELECT name FROM units ORDER BY name"))
            records = sum(con.execute(f'SELECT count(*) FROM "{lg.key}" WHERE deleted = 0').fetchone()[0]  # noqa: S608
                          for lg in LEDGERS if lg.key in tables)
            revision = revisions[0][0] if len(revisions) == 1 and isinstance(revisions[0][0], str) else None
            found_id = db_id[0] if db_id and identity.valid(db_id[0]) else None
            return Summary(found_id, revision, units, records)
    except (sqlite3.Error, UserError):
        return None


def list_backups(db_path: Path | None, folder: Path | None = None, *, database_id: str | None = None
                 ) -> list[BackupInfo]:
    """Backups of this database (by identity) with their unit, size and record count, newest first."""
    database_id = database_id or (identity.recall(db_path) if db_path else None)
    if not database_id:
        return []
    out = []
    for b in backup_files(database_id, folder or default_folder()):
        summary = summarize(b.path)
        if summary and summary.database_id not in (None, database_id):
            continue  # another database whose identity starts with the same characters
        out.append(BackupInfo(b.path, b.created, b.reason, b.path.stat().st_size,
                              summary.records if summary else None, summary.units if summary else ()))
    return out


def rotate(database_id: str, folder: Path, keep: int, protect: Path | None = None) -> list[Path]:
    """Keep this database's ``keep`` newest rotating backups. ``protect`` (the one just written) always stays and
    counts as one of them. Only files that provably are this database's backups are removed."""
    rotating = [b.path for b in backup_files(database_id, folder) if b.reason.startswith(ROTATING)]
    others = [p for p in rotating if p != protect]
    doomed = others[max(keep - (1 if protect else 0), 0):]
    removed = []
    for path in doomed:
        if identity.file_id(path) == database_id:
            path.unlink(missing_ok=True)
            removed.append(path)
    if removed:
        collect_attachments(folder)
    return removed


def attachment_digests(con: sqlite3.Connection) -> list[tuple[str, str]]:
    """(sha256, name) of every attachment recorded in a database file; [] for a file without the table. Rows
    whose digest is not one (a planted path) are left out here; restore refuses them outright."""
    try:
        rows = con.execute("SELECT sha256, min(name) FROM attachments GROUP BY sha256").fetchall()
    except sqlite3.Error:
        return []
    return [(sha, name if isinstance(name, str) else "") for sha, name in rows if blobstore.valid_digest(sha)]


def collect_attachments(folder: Path) -> int:
    """Remove stashed attachment files that no backup in the folder refers to any more. Nothing is removed when
    any backup there cannot be read (its references are unknown)."""
    stash = blobstore.Stash(folder)
    if not stash.owned():
        return 0
    referenced: set[str] = set()
    for path in folder.glob("*.sqlite3"):
        try:
            with sqlite_file.outside(path) as con:
                referenced.update(sha for sha, _name in attachment_digests(con))
        except (sqlite3.Error, UserError):
            return 0
    return stash.collect(referenced)
