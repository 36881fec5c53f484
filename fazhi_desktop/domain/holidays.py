"""The State Council's holiday calendar (国务院办公厅 部分节假日安排的通知), 2020 to 2026, shipped as data (#35).

Each year: the notice that set it, the days off (放假, the weekend days inside a block included) and the weekend days
worked instead (调休上班). A unit may add days in 设置 → 待办期限 (a year whose notice came after this release); the
shipped days always hold. Transcribed from the notices as published (新华社 / 国务院公报); a test checks each year's
blocks against the notice's own day counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class YearCalendar:
    year: int
    notice: str  # 文号 and date of the notice
    off: tuple[tuple[str, str], ...]  # (first, last) of each block of days off, ISO dates
    worked: tuple[str, ...]  # weekend days that are working days (调休上班)

    def days_off(self) -> set[dt.date]:
        out: set[dt.date] = set()
        for first, last in self.off:
            day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
            while day <= end:
                out.add(day)
                day += dt.timedelta(days=1)
        return out

    def days_worked(self) -> set[dt.date]:
        return {dt.date.fromisoformat(d) for d in self.worked}


CALENDARS: dict[int, YearCalendar] = {c.year: c for c in (
    # 2020: 春节 extended to 2月2日 by a second notice; 2月1日 (Saturday), first to be worked, became a day off
    YearCalendar(2020, "国办发明电〔2019〕16号（2019年11月21日）；国办发明电〔2020〕1号（2020年1月26日，延长春节假期）", (
        ("2020-01-01", "2020-01-01"), ("2020-01-24", "2020-02-02"), ("2020-04-04", "2020-04-06"),
        ("2020-05-01", "2020-05-05"), ("2020-06-25", "2020-06-27"), ("2020-10-01", "2020-10-08")),
        ("2020-01-19", "2020-04-26", "2020-05-09", "2020-06-28", "2020-09-27", "2020-10-10")),
    YearCalendar(2021, "国办发明电〔2020〕27号（2020年11月25日）", (
        ("2021-01-01", "2021-01-03"), ("2021-02-11", "2021-02-17"), ("2021-04-03", "2021-04-05"),
        ("2021-05-01", "2021-05-05"), ("2021-06-12", "2021-06-14"), ("2021-09-19", "2021-09-21"),
        ("2021-10-01", "2021-10-07")),
        ("2021-02-07", "2021-02-20", "2021-04-25", "2021-05-08", "2021-09-18", "2021-09-26", "2021-10-09")),
    YearCalendar(2022, "国办发明电〔2021〕11号（2021年10月25日）", (
        ("2022-01-01", "2022-01-03"), ("2022-01-31", "2022-02-06"), ("2022-04-03", "2022-04-05"),
        ("2022-04-30", "2022-05-04"), ("2022-06-03", "2022-06-05"), ("2022-09-10", "2022-09-12"),
        ("2022-10-01", "2022-10-07")),
        ("2022-01-29", "2022-01-30", "2022-04-02", "2022-04-24", "2022-05-07", "2022-10-08", "2022-10-09")),
    YearCalendar(2023, "国办发明电〔2022〕16号（2022年12月8日）", (
        ("2022-12-31", "2023-01-02"), ("2023-01-21", "2023-01-27"), ("2023-04-05", "2023-04-05"),
        ("2023-04-29", "2023-05-03"), ("2023-06-22", "2023-06-24"), ("2023-09-29", "2023-10-06")),
        ("2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08")),
    YearCalendar(2024, "国办发明电〔2023〕7号（2023年10月25日）", (
        ("2024-01-01", "2024-01-01"), ("2024-02-10", "2024-02-17"), ("2024-04-04", "2024-04-06"),
        ("2024-05-01", "2024-05-05"), ("2024-06-10", "2024-06-10"), ("2024-09-15", "2024-09-17"),
        ("2024-10-01", "2024-10-07")),
        ("2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29",
         "2024-10-12")),
    YearCalendar(2025, "国办发明电〔2024〕12号（2024年11月12日）", (
        ("2025-01-01", "2025-01-01"), ("2025-01-28", "2025-02-04"), ("2025-04-04", "2025-04-06"),
        ("2025-05-01", "2025-05-05"), ("2025-05-31", "2025-06-02"), ("2025-10-01", "2025-10-08")),
        ("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11")),
    YearCalendar(2026, "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）", (
        ("2026-01-01", "2026-01-03"), ("2026-02-15", "2026-02-23"), ("2026-04-04", "2026-04-06"),
        ("2026-05-01", "2026-05-05"), ("2026-06-19", "2026-06-21"), ("2026-09-25", "2026-09-27"),
        ("2026-10-01", "2026-10-07")),
        ("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10")),
)}


def dates(values: Iterable[object]) -> set[dt.date]:
    """The dates among typed values (ISO text or dates); anything else is left out."""
    out = set()
    for v in values or ():
        try:
            out.add(v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)))
        except ValueError:
            continue
    return out


@dataclass(frozen=True)
class Calendar:
    """Which days are working days: weekdays, except the days off; and the 调休 weekend days worked."""

    off: frozenset[dt.date]
    worked: frozenset[dt.date]

    def working(self, day: dt.date) -> bool:
        return day in self.worked or (day.weekday() < 5 and day not in self.off)


def calendar(extra_off: Iterable[object] = (), extra_worked: Iterable[object] = ()) -> Calendar:
    """The shipped years, with a unit's own additions (a year the shipped data does not know yet)."""
    off: set[dt.date] = set()
    worked: set[dt.date] = set()
    for year in CALENDARS.values():
        off |= year.days_off()
        worked |= year.days_worked()
    return Calendar(frozenset(off | (dates(extra_off) - worked)), frozenset(worked | dates(extra_worked)))


def known_years() -> list[int]:
    return sorted(CALENDARS)
