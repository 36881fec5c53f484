"""The records a report may cite (#34): for one unit and year, each ledger's records in the scope its figures count
by — the same rules as ``stats`` — loaded once, so every sentence can carry the records it rests on.

A township's year is hundreds of records, a busy one a few thousand: loading them costs what the report's own work
costs, not what the database holds (every query is bounded by unit and year, or by unit for the two rosters)."""

from __future__ import annotations

import datetime as dt
import functools

import sqlalchemy as sa

from fazhi_desktop.domain import periods
from fazhi_desktop.domain.evidence import Rows, YearRecords
from fazhi_desktop.domain.kinds import Kind
from fazhi_desktop.domain.ledgers import LEDGERS, ledger
from fazhi_desktop.services.periods import in_window
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage.schema import ledger_table

# Ledgers whose figures are not "the records of the year": the scope each is counted in (stats uses the same rules).
SCOPE_OF = {"legal_talent": "in_force", "facility": "in_use", "counsel": "window"}


def _where(t: sa.Table, scope: str, year: int, ref_date: dt.date) -> list:
    live = [t.c.unit_id == sa.bindparam("unit_id"), t.c.deleted.is_(sa.false())]
    if scope == "year":
        return [*live, t.c.year == year]
    if scope == "in_force":
        return [*live, t.c.year <= year, sa.or_(t.c.left_year.is_(None), t.c.left_year > year)]
    if scope == "in_use":
        return [*live, sa.func.coalesce(t.c.in_use, sa.true()).is_(sa.true()), sa.or_(t.c.year.is_(None), t.c.year <= year)]
    first, last = periods.window(year, ref_date)
    return [*live, in_window(t, ledger(t.name).period, first, last)]


@functools.cache
def _converters(ledger_key: str) -> tuple:
    """The fields whose stored form is not their value (multi-choice ``|a|b|``, JSON lists): only they are converted."""
    lg = ledger(ledger_key)
    return tuple((f.key, f.kind.loaded) for f in lg.fields if type(f.kind).loaded is not Kind.loaded)


def _loaded(lg, row) -> dict:
    out = dict(row)
    for key, convert in _converters(lg.key):
        if key in out:
            out[key] = convert(out[key])
    return out


def load(conn: sa.Connection, unit: Unit, year: int, ref_date: dt.date) -> YearRecords:
    out = YearRecords(unit.id, year, ref_date)
    for lg in LEDGERS:
        t = ledger_table(lg.key)
        scopes = ["year"] + ([SCOPE_OF[lg.key]] if lg.key in SCOPE_OF else [])
        if lg.key == "counsel":
            scopes = ["window"]  # contracts have no year of their own
        for scope in scopes:
            order = [t.c[lg.year_from]] if lg.year_from in t.c else []
            rows = conn.execute(sa.select(t).where(*_where(t, scope, year, ref_date))
                                .order_by(*order, t.c.created_at, t.c.id), {"unit_id": unit.id}).mappings()
            out.scoped[(lg.key, scope)] = Rows(lg.key, scope, tuple(_loaded(lg, r) for r in rows))
    return out
