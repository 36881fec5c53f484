"""The clerk's yearly report draft (年度报告文稿): one per unit and year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain.errors import ValidationError
from fazhi_desktop.domain.ids import new_id
from fazhi_desktop.domain.roles import WRITE
from fazhi_desktop.domain.unit import REPORT_TEXT_FIELDS
from fazhi_desktop.domain.validation import validate_fields
from fazhi_desktop.services import accounts, audit
from fazhi_desktop.services.context import Changed, Context, Done
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage.schema import report_texts


def load_report_text(conn: sa.Connection, unit: Unit, year: int) -> dict[str, Any] | None:
    row = conn.execute(
        sa.select(report_texts).where(report_texts.c.unit_id == unit.id, report_texts.c.year == year)
    ).mappings().first()
    return dict(row) if row else None


def save_report_text(conn: sa.Connection, unit: Unit, year: int, values: Mapping[str, Any], actor: str, *,
                     updated_at: dt.datetime | None = None) -> dict[str, Any]:
    """``updated_at``: when the draft was last changed where it came from (a package), else now."""
    accounts.require(conn, actor, WRITE)
    current = load_report_text(conn, unit, year)
    merged = {f.key: (current or {}).get(f.key) for f in REPORT_TEXT_FIELDS} | dict(values)
    clean, problems = validate_fields(REPORT_TEXT_FIELDS, merged)
    if any(not p.warning for p in problems):
        raise ValidationError(problems)
    now = updated_at or dt.datetime.now().replace(microsecond=0)
    if current is None:
        rid = new_id()
        conn.execute(sa.insert(report_texts).values(id=rid, unit_id=unit.id, year=year, **clean, created_at=now,
                                                    created_by=actor, updated_at=now, updated_by=actor))
        diff = {k: (None, v) for k, v in clean.items() if v}
    else:
        rid = current["id"]
        diff = {k: (current[k], v) for k, v in clean.items() if current[k] != v}
        if diff:
            conn.execute(sa.update(report_texts).where(report_texts.c.id == rid).values(
                **clean, updated_at=now, updated_by=actor))
    if diff:
        audit.append(conn, actor, [audit.Change(unit.id, "report_text", rid, "create" if current is None else "update",
                                                diff)])
    return load_report_text(conn, unit, year) or {}


def load(ctx: Context, year: int) -> dict[str, Any] | None:
    with ctx.engine.connect() as conn:
        return load_report_text(conn, ctx.unit, year)


def save(ctx: Context, year: int, values: Mapping[str, Any]) -> Done:
    """Save the year's draft; its 成文日期 moves figures (counsel in force, overdue 整改), so the change says so."""
    with ctx.engine.begin() as conn:
        draft = save_report_text(conn, ctx.unit, year, values, ctx.actor)
    return Done(draft, Changed(drafts=True))
