"""Rows inserted in bulk (``storage.bulk``, #38) are stored exactly as SQLAlchemy's own insert stores them."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from fazhi_desktop.domain.ledgers import LEDGERS
from fazhi_desktop.storage import bulk
from fazhi_desktop.storage.database import file_url
from fazhi_desktop.storage.schema import Money, accounts, audit_log, ledger_table, units


def _copy(source: Path, target: Path) -> Path:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def _stored(path: Path, table: str) -> list[tuple]:
    """Every column as SQLite holds it: its value and its storage class."""
    con = sqlite3.connect(path)
    try:
        return [tuple((type(v).__name__, v) for v in row)
                for row in con.execute(f'SELECT * FROM "{table}" ORDER BY rowid')]  # noqa: S608 - declared names
    finally:
        con.close()


def test_every_ledger_and_the_history_are_stored_alike_by_both_inserts(demo_db, tmp_path):
    """The demo's records of every ledger, its history entries and its unit, read as the program reads them,
    inserted again into two copies: once by SQLAlchemy, once in bulk. Every column of every row is the same value of
    the same storage class in both — dates, times, yes/no, lists, money, pinyin keys."""
    copies = {name: _copy(demo_db.path, tmp_path / f"{name}.sqlite3") for name in ("sqlalchemy", "bulk")}
    tables = [ledger_table(lg.key) for lg in LEDGERS] + [audit_log, units]
    kinds: set[type] = set()
    for name, path in copies.items():
        engine = sa.create_engine(file_url(path))  # no foreign keys: the rows are put back as they were
        with engine.begin() as conn:
            for table in tables:
                rows = [dict(r) for r in conn.execute(sa.select(table).order_by(sa.text("rowid"))).mappings()]
                conn.execute(sa.delete(table))
                if name == "bulk":
                    bulk.insert_rows(conn, table, rows)
                elif rows:
                    conn.execute(sa.insert(table), rows)
                kinds |= {type(c.type) for c in table.columns if any(r[c.name] is not None for r in rows)}
        engine.dispose()
    assert {sa.Date, sa.DateTime, sa.Boolean, sa.JSON, Money, sa.LargeBinary, sa.Integer, sa.String} <= kinds
    for table in tables:
        ours, theirs = _stored(copies["bulk"], table.name), _stored(copies["sqlalchemy"], table.name)
        assert ours == theirs, table.name
    assert _stored(copies["bulk"], "dispute"), "the demo has disputes"


def test_defaults_computed_in_python_and_rows_of_unlike_columns_take_sqlalchemys_path(db):
    now = dt.datetime(2024, 1, 2, 3, 4, 5)
    row = {"id": "a", "name": "张三", "role": "录入员", "password_hash": "x", "created_at": now, "created_by": "t",
           "password_changed_at": now}
    with db.engine.begin() as conn:
        bulk.insert_rows(conn, accounts, [row])  # 停用 and 输错次数 come from the table's Python defaults
        stored = conn.execute(sa.select(accounts.c.disabled, accounts.c.failures)).one()
    assert tuple(stored) == (False, 0)
    t = ledger_table("publicity")
    base = {"unit_id": "u", "created_at": now, "created_by": "t", "updated_at": now, "updated_by": "t",
            "date": dt.date(2023, 1, 1), "kind": "集日宣传"}
    short = {k: v for k, v in base.items() if k != "kind"}
    with db.engine.connect() as conn, pytest.raises(sa.exc.StatementError, match="kind"):
        bulk.insert_rows(conn, t, [dict(base, id="1"), dict(short, id="2")])  # SQLAlchemy's own refusal


def test_dates_and_times_of_every_shape_are_stored_as_sqlalchemy_stores_them(tmp_path):
    """The bulk path writes plain dates and naive times itself (isoformat); anything else — a time in a date column,
    a date in a time column, a time with a zone, an early year, no microseconds — as SQLAlchemy's text too."""
    table = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("d", sa.Date),
                     sa.Column("at", sa.DateTime))
    east8 = dt.timezone(dt.timedelta(hours=8))
    shapes = [None, dt.date(2023, 1, 5), dt.date(999, 12, 31), dt.date(1, 1, 1), dt.datetime(2023, 1, 5),
              dt.datetime(2023, 12, 31, 23, 59, 59, 7), dt.datetime(5, 1, 1, 1, 1, 1, 999999),
              dt.datetime(2023, 1, 5, 8, 30, tzinfo=east8)]
    rows = [{"id": n, "d": a, "at": b} for n, (a, b) in enumerate((a, b) for a in shapes for b in shapes)]
    stored = {}
    for name in ("sqlalchemy", "bulk"):
        path = tmp_path / f"{name}.sqlite3"
        engine = sa.create_engine(file_url(path))
        with engine.begin() as conn:
            table.create(conn)
            if name == "bulk":
                bulk.insert_rows(conn, table, rows)
            else:
                conn.execute(sa.insert(table), rows)
        engine.dispose()
        stored[name] = _stored(path, "t")
    assert stored["bulk"] == stored["sqlalchemy"]
    assert ("str", "2023-12-31 23:59:59.000007") in {cell for row in stored["bulk"] for cell in row}
