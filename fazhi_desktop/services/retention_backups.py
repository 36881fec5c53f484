"""到期销毁 reaches this PC's backups too (#33 M6).

A destroyed record lives on in every rotating backup made before its destruction, in the safety copies restore
keeps, and in the backup folder's shared attachment store. ``purge`` removes every record the live history says
was destroyed from each of those backups, as the live destruction did (the rows, their attachment rows, the content
of their history entries; a 销毁 line in the backup's own history), so each backup stays restorable and its
``audit verify`` passes; then the stashed files no backup refers to any more go. A backup that still holds such a
record and cannot be changed (made by an older version of the program, or unreadable) is named, never passed over.

Copies written elsewhere (备份到U盘) are out of reach: restore destroys again what such a copy brings back
(services.safety).
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.ledgers import ledger as get_ledger
from fazhi_desktop.domain.roles import ADMIN_ONLY
from fazhi_desktop.services import accounts, retention, safety
from fazhi_desktop.services.context import Context
from fazhi_desktop.services.retention import Due
from fazhi_desktop.storage import atomic, backup_files, migrate, sqlite_file
from fazhi_desktop.storage.database import Database, make_engine

_CHUNK = 500


@dataclass(frozen=True)
class Purged:
    changed: tuple[Path, ...]  # backups the destroyed records were removed from
    left: tuple[Path, ...]  # backups that may still hold some and could not be changed
    files: int  # stashed attachment files no backup needs any more, removed


def _destroyed(db: Database) -> dict[str, list[Due]]:
    with db.engine.connect() as conn:
        return retention.destroyed(conn)


def _held(path: Path, gone: dict[str, list[Due]]) -> dict[str, list[Due]]:
    """The destroyed records a backup file still holds, by unit (read-only)."""
    found: dict[str, list[Due]] = {}
    with sqlite_file.outside(path) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for unit_id, items in gone.items():
            by_ledger: dict[str, list[Due]] = {}
            for item in items:
                by_ledger.setdefault(item.ledger, []).append(item)
            for key, wanted in by_ledger.items():
                if key not in tables:
                    continue
                table = get_ledger(key).key  # a declared name, never one read from the file
                ids = [w.record_id for w in wanted]
                present: set[str] = set()
                for i in range(0, len(ids), _CHUNK):
                    chunk = ids[i:i + _CHUNK]
                    marks = ", ".join("?" * len(chunk))
                    present.update(r[0] for r in con.execute(
                        f'SELECT id FROM "{table}" WHERE unit_id = ? AND id IN ({marks})',  # noqa: S608
                        (unit_id, *chunk)))
                found.setdefault(unit_id, []).extend(w for w in wanted if w.record_id in present)
    return {u: items for u, items in found.items() if items}


def holding(db: Database) -> list[Path]:
    """This database's backups on this PC that still hold a destroyed record (unreadable ones included: they may)."""
    gone = _destroyed(db)
    if not gone or not db.is_sqlite:
        return []
    out = []
    for b in backup_files.backup_files(db.database_id, safety.policy(db)[0]):
        try:
            if _held(b.path, gone):
                out.append(b.path)
        except (sqlite3.Error, UserError):
            out.append(b.path)
    return out


def _purge_file(path: Path, held: dict[str, list[Due]], actor: str) -> None:
    """Destroy the records in a copy of the backup, check it, and put it in the backup's place."""
    with atomic.atomic_path(path) as tmp:
        try:
            shutil.copyfile(path, tmp)
            engine = make_engine(path=tmp)
            try:
                with engine.begin() as conn:
                    for unit_id, items in held.items():
                        retention.destroy_rows(conn, unit_id, actor, items)
            finally:
                engine.dispose()
            con = sqlite3.connect(str(tmp))
            try:
                con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                con.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, as backup_sqlite makes it
                con.execute("VACUUM")  # no freed page keeps what was destroyed
                ok = con.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                con.close()
        finally:
            for journal in ("-wal", "-shm", "-journal"):
                Path(str(tmp) + journal).unlink(missing_ok=True)
        if ok != "ok":
            raise UserError(f"清除后的备份校验未通过：{ok}")


def purge(db: Database, actor: str) -> Purged:
    """Remove every destroyed record from this database's backups on this PC (a 管理员's act)."""
    if not db.is_sqlite:
        raise UserError("服务器数据库的备份由数据库自身的备份工具管理，请在那里清除")
    accounts.require_engine(db.engine, actor, ADMIN_ONLY)
    gone = _destroyed(db)
    folder = safety.policy(db)[0]
    changed: list[Path] = []
    left: list[Path] = []
    for b in backup_files.backup_files(db.database_id, folder) if gone else []:
        try:
            held = _held(b.path, gone)
            if not held:
                continue
            summary = backup_files.summarize(b.path)
            if summary is None or summary.revision != migrate.HEAD:
                left.append(b.path)  # an older version's tables: its own program would be needed to change it
                continue
            _purge_file(b.path, held, actor)
            changed.append(b.path)
        except (sqlite3.Error, UserError, OSError, sa.exc.SQLAlchemyError):
            left.append(b.path)
    files = backup_files.collect_attachments(folder) if changed else 0
    return Purged(tuple(changed), tuple(left), files)


def describe(result: Purged) -> str:
    said = (f"已从 {len(result.changed)} 份本机备份中清除已销毁的记录" if result.changed
            else "本机备份中没有需要清除的已销毁记录")
    if result.files:
        said += f"，并删除了 {result.files} 个不再需要的备份佐证材料文件"
    said += "。"
    if result.left:
        names = "、".join(p.name for p in result.left[:5])
        said += (f"另有 {len(result.left)} 份备份无法修改（旧版本程序所建或无法读取），其中可能仍有这些记录：{names}。"
                 "如不再需要，请在备份文件夹中删除它们。")
    return said + "备份到U盘等别处的副本不在本机，无法清除；用它们恢复时，程序会再次销毁这些记录。"


def holding_of(ctx: Context) -> list[Path]:
    return holding(ctx.db)


def purge_of(ctx: Context) -> Purged:
    return purge(ctx.db, ctx.actor)
