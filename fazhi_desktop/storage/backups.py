"""Making backups of a SQLite database: consistent, verified, with their attachments, then rotated.

Backups use SQLite's online backup API (never a file copy of a live WAL database), go to an exclusively created
temporary file, are verified with ``integrity_check`` and only then renamed into place (``backup_sqlite``).

Attachments travel with the data. A backup written elsewhere (备份到U盘, ``backup --out``) embeds them in one table,
so the single file is the whole data. Rotating backups share one content-addressed store in the backup folder
(``attachments/<sha256>``), filled *before* the backup becomes visible: a power cut between the two never leaves
the newest backup without its files.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

from fazhi_desktop.domain.errors import UserError, write_error
from fazhi_desktop.storage import atomic, blobstore, identity, paths, sqlite_file
from fazhi_desktop.storage.backup_files import (
    DEFAULT_KEEP,
    ROTATING,
    attachment_digests,
    backup_files,
    backup_name,
    default_folder,
    next_seq,
    rotate,
)
from fazhi_desktop.storage.sqlite_file import EMBED_TABLE


def _embed_attachments(dst: sqlite3.Connection, store: blobstore.Store) -> None:
    """Put the attached files into the backup itself, streamed in pieces (files may be up to 200 MB)."""
    dst.execute(f"CREATE TABLE {EMBED_TABLE} (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL)")
    for sha, name in attachment_digests(dst):
        source = store.find(sha, name)
        if source is None:
            continue  # already missing in the live data; restore reports it
        size = source.stat().st_size
        cur = dst.execute(f"INSERT INTO {EMBED_TABLE} (sha256, data) VALUES (?, zeroblob(?))", (sha, size))
        with dst.blobopen(EMBED_TABLE, "data", cur.lastrowid) as blob, open(source, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                blob.write(chunk)
    dst.commit()


def backup_sqlite(source: Path, target: Path, *, embed_from: blobstore.Store | None = None,
                  before_publish: Callable[[Path], None] | None = None) -> Path:
    """Copy a live (WAL) database consistently; never a plain file copy, which can lose the WAL's contents.

    ``embed_from``: the attachment store whose files go into the copy. ``before_publish(tmp)`` runs on the verified
    copy before it takes its name. Any failure leaves no partial file.
    """
    try:
        paths.private_dir(target.parent)
    except OSError as exc:
        raise write_error(exc, target.parent) from exc
    try:
        with atomic.atomic_path(target) as tmp:
            try:
                src = sqlite_file.connect_ro(source, sqlite_file.CHECK_SECONDS)
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
                    # The copy should not need the WAL: a single self-contained file is what people carry around.
                    dst.execute("PRAGMA journal_mode=DELETE")
                finally:
                    dst.close()
            finally:
                src.close()
            if ok != "ok":
                raise UserError(f"备份校验未通过：{ok}")
            if before_publish is not None:
                before_publish(tmp)
    except sqlite3.Error as exc:
        raise write_error(exc, target) from exc
    return target


def stash_attachments(backup: Path, folder: Path, store: blobstore.Store) -> None:
    """Copy the attachments a rotating backup refers to into the backup folder's shared store."""
    stash = blobstore.Stash(folder)
    with sqlite_file.outside(backup) as con:
        rows = attachment_digests(con)
    for sha, name in rows:
        source = store.find(sha, name)
        if stash.find(sha) is None and source is not None:
            with open(source, "rb") as fh:
                stash.put(fh, sha)


def make_backup(db_path: Path, reason: str, folder: Path | None = None, keep: int | None = DEFAULT_KEEP, *,
                database_id: str | None = None) -> Path:
    """A verified backup in the backup folder, its attachments stashed beside it first, then rotation (which never
    removes the backup just written, whatever the clock says)."""
    folder = folder or default_folder()
    database_id = database_id or identity.recall(db_path)
    target = folder / backup_name(db_path, database_id, reason, next_seq(database_id, folder))

    def stash(tmp: Path) -> None:
        if database_id:
            try:
                stash_attachments(tmp, folder, blobstore.database_store(database_id))
            except (OSError, sqlite3.Error) as exc:
                raise write_error(exc, folder / "attachments") from exc

    backup_sqlite(db_path, target, before_publish=stash)
    if keep and reason.startswith(ROTATING) and database_id:
        rotate(database_id, folder, keep, protect=target)
    return target


def copy_to(db_path: Path, target: Path, unit_names: tuple[str, ...] = ()) -> Path:
    """备份到U盘: a verified, self-contained copy (attachments inside) at a place the user chose; never rotated and
    never written over an existing file. A folder gets a new file named after the unit and the time."""
    if target.is_dir():
        label = "、".join(unit_names)[:40] or db_path.stem
        base = f"{label}-备份-{dt.datetime.now():%Y%m%d-%H%M%S}"
        target = target / f"{base}.sqlite3"
        n = 2
        while target.exists():
            target, n = target.with_name(f"{base}-{n}.sqlite3"), n + 1
    elif target.exists() or target.is_symlink():
        raise UserError(f"「{target}」已经存在。备份不会覆盖已有的文件，请换一个文件名或选择文件夹。")
    if not target.parent.is_dir():
        raise UserError(f"保存位置的文件夹不存在：{target.parent}")
    database_id = identity.recall(db_path)
    store = blobstore.database_store(database_id) if database_id else None
    return backup_sqlite(db_path, target, embed_from=store)


def daily_backup_if_due(db_path: Path, folder: Path | None = None, keep: int = DEFAULT_KEEP) -> Path | None:
    folder = folder or default_folder()
    if not db_path.exists():
        return None
    database_id = identity.recall(db_path)
    today = dt.date.today()
    if database_id and any(b.reason == "daily" and b.created.date() == today
                           for b in backup_files(database_id, folder)):
        return None
    return make_backup(db_path, "daily", folder, keep, database_id=database_id)
