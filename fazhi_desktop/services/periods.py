"""The SQL form of ``domain.periods``: the one rule for records with a service period, for every query that counts
or lists them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain.periods import Period


def in_window(t: sa.Table, period: Period, first: Any, last: Any) -> Any:
    """True for a record whose service period overlaps [first, last] (bound parameters or dates)."""
    start = sa.func.coalesce(t.c[period.start], t.c[period.fallback_start])
    return sa.and_(sa.or_(start.is_(None), start <= last), sa.or_(t.c[period.end].is_(None), t.c[period.end] >= first))
