"""佐证材料: files attached to a record, kept once each under their SHA-256 in a store of their own database
(``storage.blobstore``): removing a file in one database never touches another's, and no value in a database ever
names a file outside its store. Backups carry them (see ``storage.backups``)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain.audit_actions import ATTACH, DETACH, UPDATE
from fazhi_desktop.domain.errors import UserError, write_error
from fazhi_desktop.domain.ids import new_id
from fazhi_desktop.domain.roles import WRITE
from fazhi_desktop.services import accounts, audit
from fazhi_desktop.services.context import Changed, Context, Done, records_of
from fazhi_desktop.storage import blobstore, identity
from fazhi_desktop.storage.schema import attachments

MAX_SIZE = 200 * 1024 * 1024
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"}
ID_CHUNK = 500  # ids in one IN (…): well under SQLite's and PostgreSQL's parameter limits


# What the clerk says of an attachment (all optional): (column, label, most characters)
DESCRIPTION = (("material", "材料名称", 40), ("photographer", "摄影者", 64), ("background", "背景", 200))
COMMON_MATERIALS = ("照片", "签到表", "会议记录", "其他")  # beside the documents a ledger declares (domain Material)


def materials_of(ledger_key: str) -> list[str]:
    from fazhi_desktop.domain.ledgers import ledger

    return [m.name for m in ledger(ledger_key).materials] + list(COMMON_MATERIALS)


def clean_description(values: dict[str, Any] | None) -> dict[str, str | None]:
    """The description as stored: trimmed, bounded, no control characters; a blank is None."""
    from fazhi_desktop.domain.fields import bad_character

    out: dict[str, str | None] = {}
    for key, label, most in DESCRIPTION:
        text = " ".join(str((values or {}).get(key) or "").split())
        if len(text) > most:
            raise UserError(f"「{label}」不能超过 {most} 个字")
        problem = bad_character(text)
        if problem:
            raise UserError(f"「{label}」{problem}")
        out[key] = text or None
    return out


def store(conn: sa.Connection) -> blobstore.Store:
    database_id = identity.read_id(conn)
    if not database_id:
        raise UserError("数据库缺少标识，无法保存佐证材料")
    return blobstore.database_store(database_id)


def path_for(conn: sa.Connection, sha256: str, name: str) -> Path:
    """The file on disk; one kept where earlier versions put it is copied into place (verified)."""
    files = store(conn)
    target = files.path(sha256, name)
    if not blobstore.regular_file(target):
        found = files.find(sha256, name)
        if found is not None and found != target:
            try:
                files.put_file(found, sha256, name)
            except OSError as exc:
                raise write_error(exc, target) from exc
    return target


def attach(ctx: Context, ledger: str, record_id: str, source: str | os.PathLike,
           description: dict[str, Any] | None = None) -> Done:
    return Done(add(ctx.engine, ctx.unit.id, ledger, record_id, source, ctx.actor, description), records_of(ledger))


def describe(ctx: Context, attachment_id: str, ledger: str, values: dict[str, Any]) -> Changed:
    """Say what an attachment is, who took the photo, its 背景: one history line on its record."""
    clean = clean_description(values)
    with ctx.engine.begin() as conn:
        accounts.require(conn, ctx.actor, WRITE)
        row = conn.execute(sa.select(attachments).where(attachments.c.id == attachment_id)).mappings().first()
        if row is None or row["unit_id"] != ctx.unit.id:
            raise UserError("这份佐证材料已不存在，请刷新后再试")
        changed = {label: (row[key], clean[key]) for key, label, _most in DESCRIPTION if row[key] != clean[key]}
        if changed:
            conn.execute(sa.update(attachments).where(attachments.c.id == attachment_id).values(**clean))
            audit.append(conn, ctx.actor, [audit.Change(row["unit_id"], row["ledger"], row["record_id"], UPDATE,
                                                        {f"佐证材料「{row['name']}」{k}": v for k, v in changed.items()})])
    return records_of(ledger)


def detach(ctx: Context, attachment_id: str, ledger: str) -> Changed:
    remove(ctx.engine, attachment_id, ctx.actor)
    return records_of(ledger)


def of_record(ctx: Context, record_id: str) -> list[dict[str, Any]]:
    with ctx.engine.connect() as conn:
        return list_for(conn, record_id)


def add(engine: sa.Engine, unit_id: str, ledger: str, record_id: str, source: str | os.PathLike, actor: str,
        description: dict[str, Any] | None = None) -> str:
    accounts.require_engine(engine, actor, WRITE)
    said = clean_description(description)
    src = Path(source)
    if not src.is_file():
        raise UserError(f"找不到文件：{src}")
    size = src.stat().st_size
    if size > MAX_SIZE:
        raise UserError(f"文件过大（{size // 1024 // 1024} MB），佐证材料单个文件不能超过 200 MB")
    name = blobstore.clean_name(src.name)  # stored names are what a backup's restore accepts
    digest = blobstore.digest_file(src)
    with engine.connect() as conn:
        files = store(conn)
    new = [(digest, name)] if files.find(digest, name) is None else []
    att_id = new_id()
    try:
        with files.writing(new):
            try:
                files.put_file(src, digest, name)
            except OSError as exc:
                raise write_error(exc, files.path(digest, name)) from exc
            with engine.begin() as conn:
                conn.execute(sa.insert(attachments).values(
                    id=att_id, unit_id=unit_id, ledger=ledger, record_id=record_id, name=name, sha256=digest,
                    size=size, added_at=dt.datetime.now().replace(microsecond=0), added_by=actor, **said))
                audit.append(conn, actor, [audit.Change(unit_id, ledger, record_id, ATTACH, {"佐证材料": (None, name)})])
    except BaseException:
        for d, n in new:  # the record was not written: the file it would have pointed to goes
            files.remove(d, n)
        raise
    return att_id


def settle_interrupted(engine: sa.Engine) -> tuple[int, int]:
    """Tidy what a killed operation left in the store, at start, holding the database's lock: the files an intent
    file lists (``Store.writing``) that no record points to go; a package's staging folder (``Store.staging``) gives
    the store the files a committed record points to (killed after its commit) and loses the rest (killed before).
    Returns (files removed, files moved in)."""
    with engine.connect() as conn:
        files = store(conn)

        def used(digest: str) -> bool:
            return conn.execute(sa.select(attachments.c.id).where(attachments.c.sha256 == digest).limit(1)).first() \
                is not None

        removed = 0
        for journal, items in list(files.interrupted()):
            for digest, name in items:
                if not used(digest) and files.find(digest, name) is not None:
                    files.remove(digest, name)
                    removed += 1
            journal.unlink(missing_ok=True)
        moved = 0
        for stage in files.leftover_stagings():
            waiting = len(stage.files())
            moved_here = stage.publish(used)
            moved += moved_here
            removed += waiting - moved_here
    return removed, moved


def list_for(conn: sa.Connection, record_id: str) -> list[dict[str, Any]]:
    return list_for_records(conn, [record_id]).get(record_id, [])


def list_for_records(conn: sa.Connection, record_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each record's attachments in the order they were added, asked of the database a chunk of ids at a time (the
    台账汇编 reads a whole year)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(record_ids), ID_CHUNK):
        rows = conn.execute(sa.select(attachments).where(attachments.c.record_id.in_(record_ids[start:start + ID_CHUNK]))
                            .order_by(attachments.c.added_at, attachments.c.name)).mappings().all()
        for r in rows:
            out.setdefault(r["record_id"], []).append(dict(
                r, path=path_for(conn, r["sha256"], r["name"]), openable=blobstore.openable(r["name"]),
                is_image=blobstore.safe_suffix(r["name"]) in IMAGE_SUFFIXES))
    return out


def remove(engine: sa.Engine, attachment_id: str, actor: str) -> None:
    with engine.begin() as conn:
        accounts.require(conn, actor, WRITE)
        row = conn.execute(sa.select(attachments).where(attachments.c.id == attachment_id)).mappings().first()
        if row is None:
            return
        conn.execute(sa.delete(attachments).where(attachments.c.id == attachment_id))
        audit.append(conn, actor, [audit.Change(row["unit_id"], row["ledger"], row["record_id"], DETACH,
                                                {"佐证材料": (row["name"], None)})])
        files = store(conn)
        target = files.path(row["sha256"], row["name"])
        still_used = [n for n in conn.execute(sa.select(attachments.c.name).where(
            attachments.c.sha256 == row["sha256"])).scalars() if files.path(row["sha256"], n) == target]
    if not still_used:
        files.remove(row["sha256"], row["name"])
