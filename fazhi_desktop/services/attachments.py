"""佐证材料: files attached to a record, kept once each under their SHA-256 (with their extension, so the system
opens them) in a folder of their own database (``paths.attachment_store``): removing a file in one database never
touches another's. Backups carry them (see ``storage.backups``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain.errors import UserError, write_error
from fazhi_desktop.services import audit
from fazhi_desktop.storage import identity, paths
from fazhi_desktop.storage.schema import attachments

MAX_SIZE = 200 * 1024 * 1024
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"}


def store_dir(conn: sa.Connection) -> Path:
    database_id = identity.read_id(conn)
    if not database_id:
        raise UserError("数据库缺少标识，无法保存佐证材料")
    return paths.attachment_store(database_id)


def path_for(conn: sa.Connection, sha256: str, name: str) -> Path:
    """The file on disk; one kept where earlier versions put it (shared, no extension) is copied into place."""
    store = store_dir(conn)
    target = paths.attachment_file(store, sha256, name)
    if not target.exists():
        found = paths.stored_attachment(store, sha256, name)
        if found is not None:
            _copy_in(found, target)
    return target


def _copy_in(source: Path, target: Path) -> None:
    try:
        with paths.private_output(target) as tmp:
            shutil.copyfile(source, tmp)
    except OSError as exc:
        raise write_error(exc, target) from exc


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def add(engine: sa.Engine, unit_id: str, ledger: str, record_id: str, source: str | os.PathLike, actor: str) -> str:
    src = Path(source)
    if not src.is_file():
        raise UserError(f"找不到文件：{src}")
    size = src.stat().st_size
    if size > MAX_SIZE:
        raise UserError(f"文件过大（{size // 1024 // 1024} MB），佐证材料单个文件不能超过 200 MB")
    digest = _digest(src)
    with engine.connect() as conn:
        target = paths.attachment_file(store_dir(conn), digest, src.name)
    if not target.exists():
        _copy_in(src, target)
    att_id = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(sa.insert(attachments).values(
            id=att_id, unit_id=unit_id, ledger=ledger, record_id=record_id, name=src.name, sha256=digest, size=size,
            added_at=dt.datetime.now().replace(microsecond=0), added_by=actor))
        audit.append(conn, actor, [audit.Change(unit_id, ledger, record_id, "attach", {"佐证材料": (None, src.name)})])
    return att_id


def list_for(conn: sa.Connection, record_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(sa.select(attachments).where(attachments.c.record_id == record_id)
                        .order_by(attachments.c.added_at, attachments.c.name)).mappings().all()
    return [dict(r, path=path_for(conn, r["sha256"], r["name"]),
                 is_image=Path(r["name"]).suffix.lower() in IMAGE_SUFFIXES) for r in rows]


def remove(engine: sa.Engine, attachment_id: str, actor: str) -> None:
    with engine.begin() as conn:
        row = conn.execute(sa.select(attachments).where(attachments.c.id == attachment_id)).mappings().first()
        if row is None:
            return
        conn.execute(sa.delete(attachments).where(attachments.c.id == attachment_id))
        audit.append(conn, actor, [audit.Change(row["unit_id"], row["ledger"], row["record_id"], "detach",
                                                {"佐证材料": (row["name"], None)})])
        target = paths.attachment_file(store_dir(conn), row["sha256"], row["name"])
        same_file = [n for n in conn.execute(sa.select(attachments.c.name).where(
            attachments.c.sha256 == row["sha256"])).scalars() if paths.attachment_file(
                target.parent.parent, row["sha256"], n) == target]
    if not same_file:
        target.unlink(missing_ok=True)
