"""The SQL a piece of the program runs, and how SQLite plans it: for tests that a statement reads an index, not a
ledger's rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event


def statements(engine, action: Callable[[], Any], keep: Callable[[str], bool] = lambda _s: True
               ) -> tuple[Any, list[tuple[str, Any]]]:
    """``action()``'s result and every statement (with its parameters) it ran on ``engine`` that ``keep`` accepts."""
    seen: list[tuple[str, Any]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        if keep(statement):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        result = action()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return result, seen


def plan(engine, statement: str, parameters: Any) -> list[str]:
    """SQLite's query plan of a statement, one step per line (EXPLAIN QUERY PLAN's detail column)."""
    with engine.connect() as conn:
        return [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
