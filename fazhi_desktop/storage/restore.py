"""Restoring a database from a backup that may come from anyone (a colleague's USB stick, the county, an attacker).

Everything in the backup is checked before anything is written: it must be a sound SQLite file made by this
program (only the tables and indexes its migrations create — no triggers, no views), at a schema revision this
version knows, with one revision row, a well-formed identity, and attachment rows whose digests are digests and whose
bytes — embedded in the backup or beside it — hash to them. One bad entry refuses the whole restore, naming it, and
leaves the live database, the attachment store and every other file as they were.

Then: the current data is saved (a damaged file with its ``-wal`` and ``-shm``, as they are), the backup is copied to
an exclusively created temporary file, its attachments unpacked into the store (verified again as written), the copy
prepared (upgraded, identity, history entry) and renamed over the live file — after the live file's WAL has been
checkpointed, so nothing committed is lost if the power fails at any step.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_desktop.domain.errors import UserError, write_error
from fazhi_desktop.storage import atomic, blobstore, identity, paths, row_check, sqlite_file
from fazhi_desktop.storage.backup_files import Summary, backup_name, default_folder, summarize
from fazhi_desktop.storage.backups import make_backup
from fazhi_desktop.storage.sqlite_file import EMBED_TABLE

MAX_ATTACHMENT_ROWS = 1_000_000


class OtherUnitBackupError(UserError):
    """The backup holds another database's data: restore only when the user confirms it."""


@dataclass(frozen=True)
class Source:
    """Where one attachment's bytes come from: embedded in the backup (``path`` None) or a file."""

    digest: str
    name: str
    path: Path | None


@dataclass
class Inspection:
    summary: Summary
    sources: dict[str, Source]
    missing: list[str]  # names of attachments no source can supply


@dataclass
class RestoreResult:
    safety: Path | None  # where the data that was replaced went; None when there was none
    summary: Summary
    database_id: str
    missing: list[str] = field(default_factory=list)
    destroyed_again: int = 0  # records destroyed (到期销毁) after the backup was made, destroyed again in the copy


def _refuse(path: Path, why: str) -> UserError:
    return UserError(f"「{path.name}」不能用于恢复：{why}。当前数据没有任何改动。")


def _blob_digest(con: sqlite3.Connection, rowid: int) -> str:
    h = hashlib.sha256()
    with con.blobopen(EMBED_TABLE, "data", rowid, readonly=True) as blob:
        for chunk in iter(lambda: blob.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _verified_file(path: Path | None, digest: str) -> Path | None:
    if path is None or not blobstore.regular_file(path):
        return None
    try:
        return path if blobstore.digest_file(path) == digest else None
    except OSError:
        return None


def inspect_backup(path: Path, live_store: blobstore.Store | None = None) -> Inspection:
    """Everything restore must know before it touches anything; a ``UserError`` naming the first unusable thing."""
    from fazhi_desktop.storage import migrate

    if not path.is_file():
        raise UserError(f"找不到备份文件：{path}")
    problem = sqlite_file.access_problem(path)
    if problem:
        raise UserError(f"无法读取备份文件：{path}（{problem}）")
    if path.stat().st_size == 0:
        raise UserError(f"备份文件是空的（0 字节），不能用于恢复：{path}")
    if not sqlite_file.has_magic(path):
        raise UserError(f"「{path.name}」不是本程序的备份文件，不能用于恢复")
    if sqlite_file.foreign(path):
        raise UserError(f"「{path.name}」是其他软件的数据库，不是本程序的备份，不能用于恢复")
    try:
        with sqlite_file.outside(path, sqlite_file.CHECK_SECONDS) as con:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
            if rows != ["ok"]:
                raise UserError(f"备份文件已损坏或不完整，不能用于恢复：{path}（{'；'.join(map(str, rows[:5]))}）")
            if con.execute("PRAGMA foreign_key_check").fetchall():
                raise UserError(f"备份文件已损坏或不完整，不能用于恢复：{path}（有记录引用了不存在的单位）")
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "units" not in tables or "alembic_version" not in tables:
                raise UserError(f"「{path.name}」是其他软件的数据库，不是本程序的备份，不能用于恢复")
            revisions = con.execute("SELECT version_num FROM alembic_version").fetchall()
            if len(revisions) != 1 or not isinstance(revisions[0][0], str):
                raise _refuse(path, f"结构版本记录异常（{len(revisions)} 条）")
            revision = revisions[0][0]
            if revision not in migrate.known_revisions():
                raise UserError(f"这份备份由更新版本的程序制作（结构版本 {revision[:40]}），本程序无法使用。请先升级程序再恢复。")
            if "database_info" in tables:
                for key, value in con.execute("SELECT key, value FROM database_info"):
                    if key == identity.ID_KEY and not identity.valid(value):
                        raise _refuse(path, f"数据库标识 {str(value)[:60]!r} 格式异常")
            stored = row_check.problem(con)
            if stored:
                raise _refuse(path, stored)
            attachment_rows = _attachment_rows(path, con, tables)
            embedded = _embedded(path, con, tables)
    except sqlite_file.HostileFileError as exc:
        raise UserError(f"{exc}当前数据没有任何改动。") from exc
    except sqlite3.Error as exc:
        raise UserError(f"备份文件已损坏或不完整，不能用于恢复：{path}（{exc}）") from exc
    summary = summarize(path)
    if summary is None or summary.revision is None:
        raise UserError(f"「{path.name}」是其他软件的数据库，不是本程序的备份，不能用于恢复")
    stash = blobstore.Stash(path.parent)
    sources: dict[str, Source] = {}
    missing: list[str] = []
    for sha, name in attachment_rows:
        if sha in sources:
            continue
        if sha in embedded:
            sources[sha] = Source(sha, name, None)
        elif (found := _verified_file(stash.find(sha), sha)) is not None or live_store is not None and (found := _verified_file(live_store.find(sha, name), sha)) is not None:
            sources[sha] = Source(sha, name, found)
        else:
            missing.append(name)
    return Inspection(summary, sources, missing)


def _attachment_rows(path: Path, con: sqlite3.Connection, tables: set[str]) -> list[tuple[str, str]]:
    if "attachments" not in tables:
        return []
    out = []
    for n, (sha, name, size) in enumerate(con.execute("SELECT sha256, name, size FROM attachments ORDER BY rowid")):
        if n > MAX_ATTACHMENT_ROWS:
            raise _refuse(path, "佐证材料记录过多")
        shown = repr(name)[:60]
        if not blobstore.valid_digest(sha):
            raise _refuse(path, f"佐证材料「{shown}」的校验值 {repr(sha)[:80]} 不是本程序写入的（可能指向本机的其他文件）")
        if blobstore.name_problem(name):
            raise _refuse(path, f"佐证材料的文件名 {shown} 异常")
        if not isinstance(size, int) or size < 0:
            raise _refuse(path, f"佐证材料「{shown}」的大小异常")
        out.append((sha, name))
    return out


def _embedded(path: Path, con: sqlite3.Connection, tables: set[str]) -> set[str]:
    """Digests of the files embedded in the backup, each verified against its bytes."""
    if EMBED_TABLE not in tables:
        return set()
    found = set()
    for rowid, sha, kind in con.execute(f"SELECT rowid, sha256, typeof(data) FROM {EMBED_TABLE}"):
        if not blobstore.valid_digest(sha):
            raise _refuse(path, f"其中保存的佐证材料校验值 {repr(sha)[:80]} 异常")
        if kind != "blob" or _blob_digest(con, rowid) != sha:
            raise _refuse(path, f"其中保存的佐证材料（{sha[:12]}…）内容与校验值不符，文件可能被改动过")
        found.add(sha)
    return found


def _unpack_attachments(restored: Path, inspection: Inspection, store: blobstore.Store) -> None:
    """Put the backup's attachments into the store of the database being restored (each verified as written), then
    drop the embedded copies from the restored file (they live in the store from now on)."""
    con = sqlite3.connect(str(restored))
    try:
        sqlite_file.harden(con, None)
        for sha, source in inspection.sources.items():
            if store.find(sha, source.name) is not None:
                continue
            if source.path is None:
                rowid = con.execute(f"SELECT rowid FROM {EMBED_TABLE} WHERE sha256 = ?", (sha,)).fetchone()[0]
                with con.blobopen(EMBED_TABLE, "data", rowid, readonly=True) as blob:
                    store.put(blob, sha, source.name)
            else:
                store.put_file(source.path, sha, source.name)
        if con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (EMBED_TABLE,)).fetchone():
            con.execute(f"DROP TABLE {EMBED_TABLE}")
            con.commit()
            con.execute("VACUUM")
    finally:
        con.close()


def _journals(db_path: Path) -> list[Path]:
    return [Path(str(db_path) + suffix) for suffix in ("-wal", "-shm")]


def _keep_damaged(db_path: Path, folder: Path, database_id: str) -> Path:
    """A damaged file cannot be read by the backup API: keep its bytes as they are — with its ``-wal`` (which may
    hold committed work) and ``-shm``, under the same name plus their suffixes, so SQLite reads them together."""
    safety = folder / backup_name(db_path, database_id, "safety-damaged")
    kept: list[Path] = []
    try:
        paths.private_dir(folder)
        atomic.copy_file(db_path, safety)
        kept.append(safety)
        for journal in _journals(db_path):
            if journal.exists():
                copy = Path(str(safety) + journal.name[len(db_path.name):])
                atomic.copy_file(journal, copy)
                kept.append(copy)
    except (OSError, UserError) as exc:
        for p in kept:
            p.unlink(missing_ok=True)
        raise exc if isinstance(exc, UserError) else write_error(exc, safety) from exc
    return safety


def _checkpoint(db_path: Path) -> None:
    """Move everything committed in the live file's WAL into the file itself, so removing the WAL loses nothing."""
    con = sqlite3.connect(str(db_path))
    try:
        sqlite_file.harden(con, sqlite_file.CHECK_SECONDS)
        busy, _log, _done = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise UserError(f"数据库仍在被其他程序使用，无法恢复：{db_path}\n请先关闭程序窗口后重试。")
    finally:
        con.close()


def restore(db_path: Path, backup: Path, folder: Path | None = None, *, allow_other_unit: bool = False,
            prepare: Callable[[Path, str], None] | None = None) -> RestoreResult:
    """Replace the database's content with a backup, after checking everything that could make that a loss.

    Refused before anything changes: anything ``inspect_backup`` refuses, and another database's data over existing
    data (unless ``allow_other_unit``). The current data is saved first, outside the rotation. The restored file
    keeps the identity of the database it replaces (so its backup set stays its own); restored into a new file, it
    keeps the backup's identity unless another live database on this PC has it. ``prepare(file, identity)`` upgrades
    and logs on the restored copy before it is moved into place. Call with no open connections to ``db_path``.
    """
    db_path = Path(os.path.realpath(db_path))
    exists = db_path.exists() and db_path.stat().st_size > 0
    current_id = identity.recall(db_path) if exists else None
    inspection = inspect_backup(backup, blobstore.database_store(current_id) if current_id else None)
    summary = inspection.summary
    current = summarize(db_path) if exists else None
    other_database = bool(current and summary.database_id and current_id and summary.database_id != current_id)
    other_units = bool(current and current.units and summary.units and set(current.units) != set(summary.units))
    if exists and (other_units or other_database) and not allow_other_unit:
        mine = "、".join(current.units) if current else ""
        theirs = "、".join(summary.units) or "（无单位）"
        where = ("另一个单位" if other_units else "另一个数据库（另一台电脑或另一个数据库文件）")
        raise OtherUnitBackupError(
            f"这份备份来自{where}：「{theirs}」的数据；当前数据库是「{mine}」的。恢复后当前的数据会被替换。")
    database_id = current_id or identity.claim(db_path, summary.database_id)[0]
    store = blobstore.database_store(database_id)
    folder = folder or default_folder()
    safety = None
    healthy = exists and sqlite_file.integrity_problem(db_path) is None
    if healthy:
        safety = make_backup(db_path, "safety", folder, keep=None, database_id=database_id)
    elif exists:
        safety = _keep_damaged(db_path, folder, database_id)

    def drop_old_journals() -> None:
        if healthy:
            _checkpoint(db_path)
        for journal in _journals(db_path):  # empty after the checkpoint, or kept with the damaged copy
            journal.unlink(missing_ok=True)

    try:
        with atomic.atomic_path(db_path, before_replace=drop_old_journals) as tmp:
            try:
                from fazhi_desktop.storage.backups import backup_sqlite

                backup_sqlite(backup, tmp)
                _unpack_attachments(tmp, inspection, store)
                if prepare is not None:
                    prepare(tmp, database_id)
            finally:
                for journal in _journals(tmp) + [Path(str(tmp) + "-journal")]:
                    with contextlib.suppress(OSError):
                        journal.unlink(missing_ok=True)
    except (OSError, sqlite3.Error) as exc:
        raise write_error(exc, db_path) from exc
    return RestoreResult(safety, summary, database_id, inspection.missing)
