"""When a record counts for a report year — one rule per kind of record, used by the statistics, the report, the
report check (报告体检), the lists and the statistics workbook alike.

- Work done (meetings, cases, activities): its main date is in the year (``Ledger.year_from``).
- Rosters and facilities: in force during the year (registered by then, not yet left; built by then and in use).
- Contracts with a service period (the legal counsel): the period overlaps the report's window — from the first day
  of the year to its last day or, when the report is written later, to its 成文日期. A contract that ran from
  2022-01-01 to 2023-06-30 counts for 2023; one signed in January 2024 counts for a 2023 report dated February 2024
  (the seed report says 聘请法律顾问1名 for 2023 that way).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    """A record's service period: it starts on ``start`` (or ``fallback_start`` when that is empty) and runs to
    ``end`` (open-ended when empty)."""

    start: str
    fallback_start: str
    end: str


def window(year: int, ref_date: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The days a report about ``year`` speaks for: the year, extended to the 成文日期 when that is later."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return first, max(last, ref_date) if ref_date else last


def overlaps(start: dt.date | None, end: dt.date | None, first: dt.date, last: dt.date) -> bool:
    return (start is None or start <= last) and (end is None or end >= first)
