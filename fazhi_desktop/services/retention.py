"""保管期限 and 到期销毁 (个人信息保护法第十九条: kept no longer than needed).

Each ledger has a retention class (its declaration's default, changed per unit in 设置 → 保管期限). A record of year
Y kept 10 years is due for destruction from 1 January of Y+11; a roster entry counts from the year it left (one still
serving never falls due); 永久 never does. The yearly 到期清单 lists what is due, the 回收站 included. Destroying (a
管理员's act) deletes the records and their attachments for good and leaves one 销毁 line per record in the history:
which ledger, year and class, never the personal data it held.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain import audit_actions as A
from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.fields import RETENTION_YEARS
from fazhi_desktop.domain.ledgers import LEDGERS
from fazhi_desktop.domain.ledgers import ledger as get_ledger
from fazhi_desktop.domain.roles import ADMIN_ONLY
from fazhi_desktop.services import accounts, audit
from fazhi_desktop.services.context import Changed, Context, Done
from fazhi_desktop.services.units import Unit, update_settings
from fazhi_desktop.storage import audit_chain
from fazhi_desktop.storage.schema import attachments, audit_log, ledger_table

END_FIELD = "left_year"  # a roster entry's last year (退出年度)


@dataclass(frozen=True)
class Due:
    ledger: str
    record_id: str
    title: str
    year: int
    retention: str
    due_year: int  # the first year it may be destroyed in
    deleted: bool


def classes_of(unit: Unit) -> dict[str, str]:
    """Each ledger's retention class: the unit's choice, else the declared one."""
    chosen = unit.settings.get("retention") or {}
    return {lg.key: chosen.get(lg.key) if chosen.get(lg.key) in RETENTION_YEARS else lg.retention for lg in LEDGERS}


def set_classes(conn: sa.Connection, unit: Unit, chosen: dict[str, str], actor: str) -> Unit:
    wrong = [f"{get_ledger(k).name}「{v}」" for k, v in chosen.items() if v not in RETENTION_YEARS]
    if wrong:
        raise UserError(f"保管期限只能是{'、'.join(RETENTION_YEARS)}：{'、'.join(wrong)}")
    return update_settings(conn, unit, {"retention": {**(unit.settings.get("retention") or {}), **chosen}}, actor)


def due(conn: sa.Connection, unit: Unit, today: dt.date | None = None) -> list[Due]:
    """The 到期清单: every record whose retention has run out by ``today``."""
    year_now = (today or dt.date.today()).year
    classes = classes_of(unit)
    out: list[Due] = []
    for ledger in LEDGERS:
        keep = RETENTION_YEARS[classes[ledger.key]]
        if keep is None:
            continue
        t = ledger_table(ledger.key)
        if ledger.in_force:
            if not ledger.has(END_FIELD):
                continue  # in force until removed: never due while it serves
            base = t.c[END_FIELD]
        else:
            base = t.c.year
        rows = conn.execute(sa.select(t.c.id, t.c[ledger.title_field], base.label("base"), t.c.deleted).where(
            t.c.unit_id == unit.id, base.is_not(None), base + keep < year_now).order_by(base, t.c.created_at))
        for rid, title, year, deleted in rows:
            out.append(Due(ledger.key, rid, str(title or "")[:30], int(year), classes[ledger.key],
                           int(year) + keep + 1, bool(deleted)))
    return out


def destroy(engine: sa.Engine, unit: Unit, actor: str, items: Iterable[Due]) -> int:
    """Delete the listed records and their attachments for good, one 销毁 line each; one transaction."""
    with engine.begin() as conn:
        accounts.require(conn, actor, ADMIN_ONLY)
        done, removed_files = destroy_rows(conn, unit.id, actor, items)
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the old pages leave the WAL as well
    remove_unused_files(engine, removed_files)
    return done


def destroy_rows(conn: sa.Connection, unit_id: str, actor: str, items: Iterable[Due]
                 ) -> tuple[int, list[tuple[str, str]]]:
    """The destruction itself, in the caller's transaction (the role is the caller's to check: a backup or a
    restored copy being purged has its own accounts). Returns how many records went and their files' (digest, name)."""
    removed_files: list[tuple[str, str]] = []
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA secure_delete = ON")  # freed pages are zeroed, not left readable
    changes = []
    for item in items:
        t = ledger_table(item.ledger)
        gone = conn.execute(sa.delete(t).where(t.c.id == item.record_id, t.c.unit_id == unit_id)).rowcount
        if not gone:
            continue
        files = conn.execute(sa.select(attachments.c.sha256, attachments.c.name).where(
            attachments.c.record_id == item.record_id)).all()
        conn.execute(sa.delete(attachments).where(attachments.c.record_id == item.record_id))
        removed_files += [(d, n) for d, n in files]
        # the history's earlier entries held the record's values: they go too, the chain stays provable
        entries = conn.execute(sa.select(audit_log).where(
            audit_log.c.record_id == item.record_id, audit_log.c.ledger == item.ledger)
            .order_by(audit_log.c.id)).mappings().all()
        earlier = [e["id"] for e in entries]
        if earlier:
            conn.execute(sa.update(audit_log).where(audit_log.c.id.in_(earlier)).values(
                changes=audit_chain.REDACTED))
        changes.append(audit.Change(unit_id, item.ledger, item.record_id, A.DESTROY, {
            "年度": (item.year, None), "保管期限": (item.retention, None), "佐证材料": (len(files), 0),
            audit_chain.DESTROYED_ENTRIES: (None, earlier),
            audit_chain.REDACTED_DIGESTS: (None, [audit_chain.kept_digest(dict(e)) for e in entries])}))
    audit.append(conn, actor, changes)
    return len(changes), removed_files


def destroyed(conn: sa.Connection) -> dict[str, list[Due]]:
    """Every record this database's history says was destroyed, by unit: what a backup or a restored copy must
    not bring back (M6)."""
    out: dict[str, list[Due]] = {}
    for unit_id, ledger, record_id, changes in conn.execute(
            sa.select(audit_log.c.unit_id, audit_log.c.ledger, audit_log.c.record_id, audit_log.c.changes)
            .where(audit_log.c.action == A.DESTROY).order_by(audit_log.c.id)):
        said = json.loads(changes)
        year, retention = said.get("年度", [None])[0], said.get("保管期限", [None])[0]
        if unit_id and isinstance(year, int) and isinstance(retention, str):
            out.setdefault(unit_id, []).append(Due(ledger, record_id, "", year, retention, 0, False))
    return out


def remove_unused_files(engine: sa.Engine, files: list[tuple[str, str]]) -> None:
    from fazhi_desktop.services.attachments import store

    with engine.connect() as conn:
        blob = store(conn)
        for digest, name in files:
            used = conn.execute(sa.select(sa.func.count()).select_from(attachments).where(
                attachments.c.sha256 == digest)).scalar_one()
            if not used:
                blob.remove(digest, name)


def due_of(ctx: Context, today: dt.date | None = None) -> list[Due]:
    with ctx.engine.connect() as conn:
        return due(conn, ctx.unit, today)


def destroy_due(ctx: Context, today: dt.date | None = None) -> Done:
    items = due_of(ctx, today)
    return Done(destroy(ctx.engine, ctx.unit, ctx.actor, items), Changed(ledgers=frozenset(i.ledger for i in items)))


DUE_COLUMNS = ("台账", "记录", "年度", "保管期限", "可销毁年度", "在回收站")


def describe(item: Due) -> dict[str, Any]:
    """The item as the 到期清单 prints it, under ``DUE_COLUMNS``."""
    return dict(zip(DUE_COLUMNS, (get_ledger(item.ledger).name, item.title, item.year, item.retention,
                                  item.due_year, "是" if item.deleted else ""), strict=True))
