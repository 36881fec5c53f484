"""Rotating, verified backups of a SQLite database, restore that validates first, integrity checks.

Backups use SQLite's online backup API (never a file copy of a live WAL database), go to a temporary name, are
verified with ``integrity_check`` and only then renamed into place (``backup_sqlite``).

A backup belongs to a database, not to a file name: its name carries the first characters of the database's identity
(``<stem>-<id8>-<reason>-<stamp>.sqlite3``) and listing, rotation and restore check the identity stored inside.

Attachments travel with the data. A backup written elsewhere (备份到U盘, ``backup --out``) embeds them in one table,
so the single file is the whole data. Rotating backups share one content-addressed store in the backup folder
(``attachments/<sha256>``), so thirty daily backups do not hold thirty copies of the same photos; rotation removes
files no remaining backup refers to.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_desktop.domain.errors import UserError, write_error
from fazhi_desktop.storage import identity, paths

DEFAULT_KEEP = 30
# Reasons that rotate; "safety" copies (taken before a restore) and copies written elsewhere never do.
ROTATING = ("daily", "exit", "manual", "before-import", "before-upgrade")
_STAMP = r"(?P<stamp>\d{8}-\d{6}-\d{6})"
REASON_LABELS = {"daily": "每日自动", "exit": "退出时", "manual": "手动", "before-import": "导入前", "before-upgrade":
                 "升级前", "safety": "恢复前的当前数据"}
BLOB_DIR = "attachments"  # in a backup folder: the files of its backups' attachments, by SHA-256
EMBED_TABLE = "backup_attachment_files"  # in a backup written elsewhere: the same files, inside the backup
SQLITE_MAGIC = b"SQLite format 3\x00"


class OtherUnitBackupError(UserError):
    """The backup holds another unit's data: restore only when the user confirms it."""


@dataclass(frozen=True)
class Summary:
    """What a backup (or database) file holds, read without changing it."""

    database_id: str | None
    revision: str | None
    units: tuple[str, ...]
    records: int


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


@dataclass
class RestoreResult:
    safety: Path | None  # where the data that was replaced went; None when there was none
    summary: Summary
    database_id: str
    missing: list[str] = field(default_factory=list)  # attachments no source could supply


def default_folder() -> Path:
    return paths.default_backup_dir()


def _stamp(now: dt.datetime | None = None) -> str:
    return f"{now or dt.datetime.now():%Y%m%d-%H%M%S-%f}"


def _attachment_rows(con: sqlite3.Connection) -> list[tuple[str, str]]:
    """(sha256, name) of every attachment recorded in a database file; [] for a file without the table."""
    try:
        return con.execute("SELECT sha256, min(name) FROM attachments GROUP BY sha256").fetchall()
    except sqlite3.Error:
        return []


def _embed_attachments(dst: sqlite3.Connection, store: Path) -> None:
    """Put the attached files into the backup itself, streamed in pieces (files may be up to 200 MB)."""
    dst.execute(f"CREATE TABLE {EMBED_TABLE} (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL)")
    for sha, name in _attachment_rows(dst):
        source = paths.stored_attachment(store, sha, name)
        if source is None:
            continue  # already missing in the live data; restore reports it
        size = source.stat().st_size
        cur = dst.execute(f"INSERT INTO {EMBED_TABLE} (sha256, data) VALUES (?, zeroblob(?))", (sha, size))
        with dst.blobopen(EMBED_TABLE, "data", cur.lastrowid) as blob, open(source, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                blob.write(chunk)
    dst.commit()


def backup_sqlite(source: Path, target: Path, *, embed_from: Path | None = None) -> Path:
    """Copy a live (WAL) database consistently; never a plain file copy, which can lose the WAL's contents.

    ``embed_from``: the attachment store whose files go into the copy. Any failure leaves no partial file.
    """
    try:
        paths.private_dir(target.parent)
    except OSError as exc:
        raise write_error(exc, target.parent) from exc
    tmp = target.with_name(target.name + ".part")
    try:
        tmp.unlink(missing_ok=True)
        try:
            src = identity.connect_ro(source)
        except sqlite3.Error as exc:
            raise UserError(f"无法读取数据库：{source}（{exc}）") from exc
        try:
            dst = sqlite3.connect(str(tmp))
            try:
                try:
                    src.backup(dst)
                except sqlite3.DatabaseError as exc:
                    if "malformed" in str(exc) or "not a database" in str(exc):
                        raise UserError(f"数据库文件已损坏，无法备份：{source}（{exc}）") from exc
                    raise
                if embed_from is not None:
                    _embed_attachments(dst, embed_from)
                ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
                # The copy should not need the WAL: a single self-contained file is what people carry on a USB stick.
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        if ok != "ok":
            raise UserError(f"备份校验未通过：{ok}")
        paths.private_file(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as exc:
        raise write_error(exc, target) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return target


def _blob_path(folder: Path, sha: str) -> Path:
    return folder / BLOB_DIR / sha[:2] / sha


def _stash_attachments(backup: Path, folder: Path, store: Path) -> None:
    """Copy the attachments a rotating backup refers to into the backup folder's shared store."""
    con = identity.connect_ro(backup)
    try:
        rows = _attachment_rows(con)
    finally:
        con.close()
    for sha, name in rows:
        dest = _blob_path(folder, sha)
        source = paths.stored_attachment(store, sha, name)
        if dest.exists() or source is None:
            continue
        with paths.private_output(dest) as tmp:
            shutil.copyfile(source, tmp)


def backup_name(db_path: Path, database_id: str | None, reason: str) -> str:
    return f"{db_path.stem}-{identity.short(database_id or '0' * 8)}-{reason}-{_stamp()}.sqlite3"


def make_backup(db_path: Path, reason: str, folder: Path | None = None, keep: int | None = DEFAULT_KEEP, *,
                database_id: str | None = None) -> Path:
    """A verified backup in the backup folder, its attachments stashed beside it, then rotation (which never
    removes the backup just written, whatever the clock says)."""
    folder = folder or default_folder()
    database_id = database_id or identity.recall(db_path)
    target = folder / backup_name(db_path, database_id, reason)
    backup_sqlite(db_path, target)
    if database_id:
        try:
            _stash_attachments(target, folder, paths.attachment_store(database_id))
        except (OSError, sqlite3.Error) as exc:
            target.unlink(missing_ok=True)
            raise write_error(exc, folder / BLOB_DIR) from exc
    if keep and reason.startswith(ROTATING) and database_id:
        rotate(database_id, folder, keep, protect=target)
    return target


def copy_to(db_path: Path, target: Path) -> Path:
    """备份到U盘: a verified, self-contained copy (attachments inside) at a place the user chose; never rotated and
    never written over an existing file."""
    if target.is_dir():
        base = f"{db_path.stem}-备份-{dt.datetime.now():%Y%m%d-%H%M%S}"
        target = target / f"{base}.sqlite3"
        n = 2
        while target.exists():
            target, n = target.with_name(f"{base}-{n}.sqlite3"), n + 1
    elif target.exists():
        raise UserError(f"「{target}」已经存在。备份不会覆盖已有的文件，请换一个文件名或选择文件夹。")
    if not target.parent.is_dir():
        raise UserError(f"保存位置的文件夹不存在：{target.parent}")
    database_id = identity.recall(db_path)
    store = paths.attachment_store(database_id) if database_id else None
    return backup_sqlite(db_path, target, embed_from=store)


def _backup_files(database_id: str, folder: Path) -> list[tuple[Path, str, dt.datetime]]:
    """(path, reason, created) of the backups named for this database in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    pattern = re.compile(rf"^.*-{identity.short(database_id)}-(?P<reason>[a-z][a-z0-9-]*)-{_STAMP}\.sqlite3$")
    out = []
    for path in folder.glob(f"*-{identity.short(database_id)}-*.sqlite3"):
        m = pattern.match(path.name)
        if not m:
            continue
        try:
            out.append((path, m["reason"], dt.datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S-%f")))
        except ValueError:
            continue
    return sorted(out, key=lambda x: x[2], reverse=True)


def summarize(path: Path) -> Summary | None:
    """Identity, schema revision, units and live records of a database file; None when it cannot be read as ours."""
    try:
        con = identity.connect_ro(path)
        try:
            from fazhi_desktop.domain.ledgers import LEDGERS

            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "units" not in tables:
                return None
            revision = con.execute("SELECT version_num FROM alembic_version").fetchone()
            db_id = (con.execute("SELECT value FROM database_info WHERE key = ?", (identity.ID_KEY,)).fetchone()
                     if "database_info" in tables else None)
            units = tuple(r[0] for r in con.execute("SELECT name FROM units ORDER BY name"))
            records = sum(con.execute(f'SELECT count(*) FROM "{lg.key}" WHERE deleted = 0').fetchone()[0]  # noqa: S608
                          for lg in LEDGERS if lg.key in tables)
            return Summary(db_id[0] if db_id else None, revision[0] if revision else None, units, records)
        finally:
            con.close()
    except sqlite3.Error:
        return None


def count_records(path: Path) -> int | None:
    summary = summarize(path)
    return summary.records if summary else None


def list_backups(db_path: Path | None, folder: Path | None = None, *, database_id: str | None = None
                 ) -> list[BackupInfo]:
    """Backups of this database (by identity) with their unit, size and record count, newest first."""
    database_id = database_id or (identity.recall(db_path) if db_path else None)
    if not database_id:
        return []
    out = []
    for path, reason, created in _backup_files(database_id, folder or default_folder()):
        summary = summarize(path)
        if summary and summary.database_id not in (None, database_id):
            continue  # another database whose identity starts with the same characters
        out.append(BackupInfo(path, created, reason, path.stat().st_size, summary.records if summary else None,
                              summary.units if summary else ()))
    return out


def rotate(database_id: str, folder: Path, keep: int, protect: Path | None = None) -> list[Path]:
    """Keep this database's ``keep`` newest rotating backups. ``protect`` (the one just written) always stays and
    counts as one of them — a PC clock set back must not make the newest backup look the oldest."""
    rotating = [p for p, reason, _c in _backup_files(database_id, folder) if reason.startswith(ROTATING)]
    others = [p for p in rotating if p != protect]
    doomed = others[max(keep - (1 if protect else 0), 0):]
    removed = []
    for path in doomed:
        if identity.file_id(path) in (None, database_id):
            path.unlink(missing_ok=True)
            removed.append(path)
    if removed:
        collect_attachments(folder)
    return removed


def collect_attachments(folder: Path) -> int:
    """Remove stashed attachment files that no backup in the folder refers to any more. Nothing is removed when
    any backup there cannot be read (its references are unknown)."""
    store = folder / BLOB_DIR
    if not store.is_dir():
        return 0
    referenced: set[str] = set()
    for path in folder.glob("*.sqlite3"):
        try:
            con = identity.connect_ro(path)
            try:
                tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if "attachments" in tables:
                    referenced.update(r[0] for r in con.execute("SELECT DISTINCT sha256 FROM attachments"))
            finally:
                con.close()
        except sqlite3.Error:
            return 0
    removed = 0
    for blob in store.glob("*/*"):
        if blob.name not in referenced:
            blob.unlink(missing_ok=True)
            removed += 1
    return removed


def daily_backup_if_due(db_path: Path, folder: Path | None = None, keep: int = DEFAULT_KEEP) -> Path | None:
    folder = folder or default_folder()
    if not db_path.exists():
        return None
    database_id = identity.recall(db_path)
    today = dt.date.today()
    if database_id and any(r == "daily" and c.date() == today for _p, r, c in _backup_files(database_id, folder)):
        return None
    return make_backup(db_path, "daily", folder, keep, database_id=database_id)


def access_problem(path: Path) -> str | None:
    """None when the file can be read; else why not (permissions, an unreadable medium) — not damage."""
    try:
        with open(path, "rb") as fh:
            fh.read(16)
    except PermissionError:
        return "没有读取该文件的权限"
    except OSError as exc:
        return f"无法读取该文件（{exc.strerror or exc}）"
    return None


def integrity_problem(path: Path, quick: bool = False) -> str | None:
    """None when the file is sound, else SQLite's first complaints. ``quick`` is the start-up check
    (``quick_check``); the full one adds ``integrity_check`` and ``foreign_key_check``."""
    try:
        con = identity.connect_ro(path)
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


def inspect_backup(path: Path) -> Summary:
    """Everything restore must know before it touches the live file; a ``UserError`` for anything unusable."""
    from fazhi_desktop.storage import migrate

    if not path.is_file():
        raise UserError(f"找不到备份文件：{path}")
    problem = access_problem(path)
    if problem:
        raise UserError(f"无法读取备份文件：{path}（{problem}）")
    if path.stat().st_size == 0:
        raise UserError(f"备份文件是空的（0 字节），不能用于恢复：{path}")
    with open(path, "rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise UserError(f"「{path.name}」不是本程序的备份文件，不能用于恢复")
    problem = integrity_problem(path)
    if problem:
        raise UserError(f"备份文件已损坏或不完整，不能用于恢复：{path}（{problem}）")
    summary = summarize(path)
    if summary is None or summary.revision is None:
        raise UserError(f"「{path.name}」是其他软件的数据库，不是本程序的备份，不能用于恢复")
    if summary.revision not in migrate.known_revisions():
        raise UserError(f"这份备份由更新版本的程序制作（结构版本 {summary.revision}），本程序无法使用。请先升级程序再恢复。")
    return summary


def _attachment_sources(backup: Path, live_store: Path) -> tuple[dict[str, Path | None], list[str]]:
    """For each attachment of a backup: where its file comes from (None = embedded in the backup), and the names
    of those no source can supply."""
    con = identity.connect_ro(backup)
    try:
        rows = _attachment_rows(con)
        try:
            embedded = {r[0] for r in con.execute(f"SELECT sha256 FROM {EMBED_TABLE}")}
        except sqlite3.Error:
            embedded = set()
    finally:
        con.close()
    sources: dict[str, Path | None] = {}
    missing = []
    for sha, name in rows:
        if sha in embedded:
            sources[sha] = None
        elif _blob_path(backup.parent, sha).is_file():
            sources[sha] = _blob_path(backup.parent, sha)
        elif (found := paths.stored_attachment(live_store, sha, name)) is not None:
            sources[sha] = found
        else:
            missing.append(name)
    return sources, missing


def _unpack_attachments(restored: Path, sources: dict[str, Path | None], store: Path) -> None:
    """Put the backup's attachments into the store of the database being restored, then drop the embedded copies
    from the restored file (they live in the store from now on)."""
    con = sqlite3.connect(str(restored))
    try:
        names = dict(_attachment_rows(con))
        for sha, source in sources.items():
            target = paths.attachment_file(store, sha, names.get(sha, ""))
            if target.exists() or source == target:
                continue
            with paths.private_output(target) as tmp:
                if source is None:
                    rowid = con.execute(f"SELECT rowid FROM {EMBED_TABLE} WHERE sha256 = ?", (sha,)).fetchone()[0]
                    with con.blobopen(EMBED_TABLE, "data", rowid, readonly=True) as blob, open(tmp, "wb") as out:
                        for chunk in iter(lambda b=blob: b.read(1 << 20), b""):
                            out.write(chunk)
                else:
                    shutil.copyfile(source, tmp)
        if con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (EMBED_TABLE,)).fetchone():
            con.execute(f"DROP TABLE {EMBED_TABLE}")
            con.commit()
            con.execute("VACUUM")
    finally:
        con.close()


def restore(db_path: Path, backup: Path, folder: Path | None = None, *, allow_other_unit: bool = False,
            prepare: Callable[[Path, str], None] | None = None) -> RestoreResult:
    """Replace the database's content with a backup, after checking everything that could make that a loss.

    Refused before anything changes: a missing, empty, truncated or damaged file, another program's database, a
    newer schema, another unit's data (unless ``allow_other_unit``). The current data is saved first, outside the
    rotation. The restored file keeps the identity of the database it replaces (so its backup set stays its own);
    ``prepare(file, identity)`` upgrades and logs on the restored copy before it is moved into place.
    Call with no open connections to ``db_path`` (dispose the engine first).
    """
    summary = inspect_backup(backup)
    exists = db_path.exists() and db_path.stat().st_size > 0
    current = summarize(db_path) if exists else None
    if (current and current.units and summary.units and set(current.units) != set(summary.units)
            and not allow_other_unit):
        raise OtherUnitBackupError(
            f"这份备份是「{'、'.join(summary.units)}」的数据，当前数据库是「{'、'.join(current.units)}」的。"
            "恢复后当前单位的数据会被替换。")
    database_id = (identity.recall(db_path) if exists else None) or summary.database_id or identity.new_id()
    store = paths.attachment_store(database_id)
    sources, missing = _attachment_sources(backup, store)
    folder = folder or default_folder()
    safety = None
    if exists:
        if integrity_problem(db_path) is None:
            safety = make_backup(db_path, "safety", folder, keep=None, database_id=database_id)
        else:  # a damaged file cannot be read by the backup API: keep its bytes as they are
            safety = folder / backup_name(db_path, database_id, "safety-damaged")
            try:
                paths.private_dir(folder)
                shutil.copyfile(db_path, safety)
            except OSError as exc:
                safety.unlink(missing_ok=True)
                raise write_error(exc, safety) from exc
    tmp = db_path.with_name(db_path.name + ".restoring")
    try:
        backup_sqlite(backup, tmp)
        _unpack_attachments(tmp, sources, store)
        if prepare is not None:
            prepare(tmp, database_id)
        for suffix in ("-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        os.replace(tmp, db_path)
    except (OSError, sqlite3.Error) as exc:
        raise write_error(exc, db_path) from exc
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                Path(str(tmp) + suffix).unlink(missing_ok=True)
    return RestoreResult(safety, summary, database_id, missing)


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
