"""Many rows into one table in one statement, their parameters prepared here (#38: imports and county merges).

SQLAlchemy's ``conn.execute(insert(table), rows)`` builds each row's parameters through its compiled statement, a
generic path that cost as much as SQLite's own work on an import of 10,000 rows. Here, on SQLite, each column's
converter is asked of its type once (the very converter SQLAlchemy would use: booleans, JSON, money; plain dates and
naive times written as the same text by isoformat; bytes go as they are, which the driver stores as the same BLOB),
the rows become tuples in one pass, and the driver's ``executemany`` runs the statement, so what is stored is what
SQLAlchemy would have stored (a test compares every column of every ledger, the history and the units, value and
storage class). Any other database, a table with defaults computed in Python, or rows of unlike columns take
SQLAlchemy's own path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

_Plan = tuple[str, tuple[str, ...], tuple[Callable[[Any], Any] | None, ...]]
_PLANS: dict[tuple[int, str, tuple[str, ...]], tuple[sa.Table, _Plan]] = {}


def insert_rows(conn: sa.Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    if not rows:
        return
    keys = rows[0].keys()
    if (conn.dialect.paramstyle != "qmark" or _python_defaults(table)
            or any(row.keys() != keys for row in rows)):
        conn.execute(sa.insert(table), rows)
        return
    sql, names, converters = _plan(conn.dialect, table, tuple(keys))
    conn.exec_driver_sql(sql, [tuple([value if convert is None else convert(value)
                                      for convert, value in zip(converters, map(row.__getitem__, names), strict=True)])
                               for row in rows])


def _python_defaults(table: sa.Table) -> bool:
    return any(c.default is not None or c.onupdate is not None for c in table.columns)


def _converter(column: sa.Column, dialect: sa.Dialect) -> Callable[[Any], Any] | None:
    impl = column.type.dialect_impl(dialect)
    if isinstance(impl, sa.LargeBinary):
        return None  # SQLAlchemy's only wraps bytes in a memoryview; the driver binds bytes as the same BLOB
    process = impl.bind_processor(dialect)
    return _iso(impl, process) or process


# SQLite's dates and times as SQLAlchemy writes them by default: its processor fills a format from a dict made for
# each value (a twentieth of a county merge); isoformat gives the same text for the same plain date or naive time.
_DATE_FORMAT = "%(year)04d-%(month)02d-%(day)02d"
_DATETIME_FORMAT = _DATE_FORMAT + " %(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"


def _iso(impl: Any, process: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    """A faster converter giving SQLAlchemy's text, or None where the column's type or format is another."""
    written = getattr(impl, "_storage_format", None)  # private: a version without it keeps its own converter
    dated = isinstance(impl, sqlite.DATE) and written == _DATE_FORMAT
    timed = isinstance(impl, sqlite.DATETIME) and written == _DATETIME_FORMAT
    if process is None or not (dated or timed):
        return None
    if dated:
        def date(value: Any) -> Any:
            return value.isoformat() if type(value) is dt.date else process(value)
        return date

    def when(value: Any) -> Any:
        if type(value) is dt.datetime and value.tzinfo is None:
            return value.isoformat(" ", "microseconds")
        return process(value)
    return when


def _plan(dialect: sa.Dialect, table: sa.Table, names: tuple[str, ...]) -> _Plan:
    key = (id(table), dialect.name, names)
    hit = _PLANS.get(key)
    if hit is not None and hit[0] is table:
        return hit[1]
    columns = [table.c[name] for name in names]  # a name that is no column fails here, as SQLAlchemy's would
    preparer = dialect.identifier_preparer
    sql = (f"INSERT INTO {preparer.format_table(table)} ({', '.join(preparer.format_column(c) for c in columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    converters = tuple(_converter(c, dialect) for c in columns)
    plan = (sql, names, converters)
    if len(_PLANS) > 512:
        _PLANS.clear()
    _PLANS[key] = (table, plan)
    return plan
