"""Paged, sorted and filtered record lists for the GUI — all done in SQL, so a list stays fast at any size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain import periods, sort_keys
from fazhi_desktop.domain.fields import FieldType
from fazhi_desktop.domain.ledgers import ledger as get_ledger
from fazhi_desktop.services.context import Context
from fazhi_desktop.services.periods import in_window
from fazhi_desktop.services.records import from_storage
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage.schema import ledger_table


@dataclass
class ListQuery:
    ledger_key: str
    year: int | None = None
    deleted: bool = False
    search: str = ""
    filters: dict[str, Any] = field(default_factory=dict)  # field key → exact value
    sort_key: str | None = None
    descending: bool = False
    ref_date: dt.date | None = None  # the report's 成文日期: a contract counts up to it (domain.periods)


def _where(unit: Unit, q: ListQuery) -> list[Any]:
    ledger = get_ledger(q.ledger_key)
    t = ledger_table(q.ledger_key)
    where: list[Any] = [t.c.unit_id == unit.id, t.c.deleted.is_(sa.true() if q.deleted else sa.false())]
    if q.year is not None:
        if ledger.period is not None:
            first, last = periods.window(q.year, q.ref_date)  # the rule the statistics count by
            where.append(in_window(t, ledger.period, first, last))
        elif ledger.in_force and ledger.year_field.type is FieldType.YEAR:
            where.append(t.c.year <= q.year)  # rosters: everyone registered by that year
        elif ledger.in_force:
            where.append(sa.or_(t.c.year.is_(None), t.c.year <= q.year))
        else:
            where.append(t.c.year == q.year)
    text = q.search.strip()
    if text:
        pattern = f"%{text.replace('%', '').replace('_', '')}%"
        where.append(sa.or_(*(t.c[f.key].like(pattern) for f in ledger.fields if f.kind.searchable)))
    for key, value in q.filters.items():
        if value is None or value == "":
            continue
        where.append(ledger.field(key).kind.matches(t.c[key], value))
    return where


def where_of(unit: Unit, q: ListQuery) -> list[Any]:
    """The conditions of ``q`` (the year's rule, search and filters) for a caller's own aggregate."""
    return _where(unit, q)


def count(conn: sa.Connection, unit: Unit, q: ListQuery) -> int:
    t = ledger_table(q.ledger_key)
    return conn.execute(sa.select(sa.func.count()).select_from(t).where(*_where(unit, q))).scalar_one()


def _order(conn: sa.Connection, q: ListQuery) -> list[Any]:
    ledger = get_ledger(q.ledger_key)
    t = ledger_table(q.ledger_key)
    if q.sort_key:
        col = t.c[q.sort_key]
        f = ledger.field(q.sort_key) if ledger.has(q.sort_key) else None
        if f is not None and f.choices and not f.kind.multiple:
            # Choices sort as declared (组长 before 副组长, 红 before 黄), a unit's own ones after them.
            col = sa.case({v: i for i, v in enumerate(f.choices)}, value=col, else_=len(f.choices))
        elif f is not None and sort_keys.stored(ledger, f.key):
            col = t.c[sort_keys.column(f.key)]  # names and places in pinyin order, read in order from its index
        elif f is not None and f.kind.text_sort and conn.dialect.name == "sqlite":
            col = sa.func.pinyin_key(col)  # a long text: its key computed while sorting
        # Ties keep the order the records were entered or imported in, not the order of their random ids.
        return [col.desc() if q.descending else col.asc(), t.c.created_at, t.c.id]
    return [t.c[ledger.year_from].desc(), t.c.created_at.desc(), t.c.id]


def _ordered(conn: sa.Connection, q: ListQuery, statement: sa.Select) -> sa.Select:
    return statement.order_by(*_order(conn, q))


def position(conn: sa.Connection, unit: Unit, q: ListQuery, record_id: str) -> int | None:
    """Where a record stands in the list ``q`` shows (0-based), or None when the list does not hold it."""
    t = ledger_table(q.ledger_key)
    number = sa.func.row_number().over(order_by=_order(conn, q)).label("n")
    numbered = sa.select(t.c.id, number).where(*_where(unit, q)).subquery()
    n = conn.execute(sa.select(numbered.c.n).where(numbered.c.id == record_id)).scalar()
    return None if n is None else n - 1


def page(conn: sa.Connection, unit: Unit, q: ListQuery, offset: int, limit: int) -> list[dict[str, Any]]:
    ledger = get_ledger(q.ledger_key)
    t = ledger_table(q.ledger_key)
    statement = _ordered(conn, q, sa.select(t).where(*_where(unit, q))).offset(offset).limit(limit)
    return [from_storage(ledger, r) for r in conn.execute(statement).mappings()]


def field_rows(conn: sa.Connection, unit: Unit, q: ListQuery, fields: Sequence[Any] | None = None
               ) -> Sequence[Sequence[Any]]:
    """Every matching record as a row of its declared fields' stored values (or ``fields``'), in declaration order
    (for sheets: no per-record dict; multi-choice values stay in their stored |a|b| form)."""
    t = ledger_table(q.ledger_key)
    columns = [t.c[f.key] for f in (fields or get_ledger(q.ledger_key).fields)]
    return conn.execute(_ordered(conn, q, sa.select(*columns).where(*_where(unit, q)))).all()


def years_in_use(conn: sa.Connection, unit: Unit, *, activity_only: bool = False) -> list[int]:
    """Every report year that holds a record, newest first. ``activity_only``: only years with work done in them
    (not a roster's or a contract's year — a counsel contract signed ahead for next year is no sign of activity)."""
    from fazhi_desktop.domain.ledgers import LEDGERS

    chosen = [lg for lg in LEDGERS if not activity_only or (lg.activity and not lg.in_force)]
    selects = [sa.select(ledger_table(lg.key).c.year.label("y")).where(ledger_table(lg.key).c.unit_id == unit.id,
                                                                       ledger_table(lg.key).c.deleted.is_(sa.false()))
               for lg in chosen]
    union = sa.union(*selects).subquery()
    rows = conn.execute(sa.select(union.c.y).where(union.c.y.is_not(None)).distinct().order_by(union.c.y.desc()))
    return [r[0] for r in rows]


# -- operations (each opens its own connection) -----------------------------------------------------------------------
def count_of(ctx: Context, q: ListQuery) -> int:
    with ctx.engine.connect() as conn:
        return count(conn, ctx.unit, q)


def page_of(ctx: Context, q: ListQuery, offset: int, limit: int) -> list[dict[str, Any]]:
    with ctx.engine.connect() as conn:
        return page(conn, ctx.unit, q, offset, limit)


def position_of(ctx: Context, q: ListQuery, record_id: str) -> int | None:
    with ctx.engine.connect() as conn:
        return position(conn, ctx.unit, q, record_id)


def years_of(ctx: Context, *, activity_only: bool = False) -> list[int]:
    with ctx.engine.connect() as conn:
        return years_in_use(conn, ctx.unit, activity_only=activity_only)


def latest_year(ctx: Context, today: dt.date | None = None) -> int | None:
    """The newest year that holds the unit's work (the demo opens on 2023: neither on an empty current year nor on
    the year of a counsel contract signed ahead)."""
    this_year = (today or dt.date.today()).year
    with ctx.engine.connect() as conn:
        years = [y for y in years_in_use(conn, ctx.unit, activity_only=True) if y <= this_year]
        years = years or [y for y in years_in_use(conn, ctx.unit) if y <= this_year]
    return years[0] if years else None
