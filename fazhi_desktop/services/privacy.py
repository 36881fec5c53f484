"""Personal information as 个人信息保护法 asks: the full numbers only for a 管理员, and a history line for each look
at one and for each file written that holds personal data (who, what, how many rows, which file)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain import audit_actions as A
from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.ids import new_id
from fazhi_desktop.domain.ledgers import ledger as get_ledger
from fazhi_desktop.domain.roles import ADMIN_ONLY, EXPORT
from fazhi_desktop.services import accounts, audit
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage.schema import ledger_table


def reveal(engine: sa.Engine, unit: Unit, actor: str, ledger_key: str, record_id: str, field_key: str) -> Any:
    """The full value of a masked field (an ID or phone number), for a 管理员 only; the look is logged."""
    ledger = get_ledger(ledger_key)
    if not ledger.has(field_key) or not ledger.field(field_key).kind.personal:
        raise UserError("只有身份证号、电话号码需要显示完整内容")
    table = ledger_table(ledger_key)
    with engine.begin() as conn:
        accounts.require(conn, actor, ADMIN_ONLY)
        value = conn.execute(sa.select(table.c[field_key]).where(
            table.c.id == record_id, table.c.unit_id == unit.id)).scalar()
        f = ledger.field(field_key)
        audit.append(conn, actor, [audit.Change(unit.id, "reveal", new_id(), A.REVEAL, {
            "台账": (None, ledger.name), "记录": (None, record_id), "字段": (None, f.label)})])
    return value


def check_export(engine: sa.Engine, actor: str, *, full: bool = False) -> None:
    """Before a file of records is written: a 录入员 or 管理员 may export masked data; full numbers only a 管理员."""
    accounts.require_engine(engine, actor, ADMIN_ONLY if full else EXPORT)


def log_export(engine: sa.Engine, unit: Unit | None, actor: str, what: str, path: str | os.PathLike, rows: int, *,
               full: bool = False) -> None:
    """One history line for a written file that holds personal data (``unit`` None: the whole database)."""
    target = Path(path)
    with engine.begin() as conn:
        audit.append(conn, actor, [audit.Change(unit.id if unit else None, "export", new_id(), A.EXPORT, {
            "内容": (None, what), "文件": (None, target.name), "位置": (None, str(target.parent)),
            "记录数": (None, rows), "完整号码": (None, "是" if full else "否（已隐藏中间位）")})])
