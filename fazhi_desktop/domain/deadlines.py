"""Statutory periods as the law counts them (#35): each rule names its article and the version in force on the day
the period starts, and counts its days as that version does — calendar days whose last day, falling on a 法定休假日,
moves to the next working day (民事诉讼法 期间, applied by 行政诉讼法 and the 2017 行政复议法), or working days that
leave 法定休假日 out (行政复议法 2023 第八十八条). The holiday calendar is data (``domain.holidays``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fazhi_desktop.domain.holidays import Calendar

CALENDAR_DAYS, WORKING_DAYS = "日", "个工作日"


@dataclass(frozen=True)
class Version:
    since: dt.date  # in force for periods starting on or after this day
    days: int
    unit: str  # CALENDAR_DAYS (rolled over a 法定休假日 at the end) or WORKING_DAYS
    basis: str  # the law, its version and articles, as 待办 and 报告体检 print them


@dataclass(frozen=True)
class Rule:
    key: str
    what: str
    versions: tuple[Version, ...]  # oldest first

    def version_on(self, start: dt.date) -> Version | None:
        """The version in force on the day the period starts; None before the law set one."""
        found = [v for v in self.versions if v.since <= start]
        return found[-1] if found else None


RULES: dict[str, Rule] = {r.key: r for r in (
    Rule("review_answer", "行政复议 书面答复", (
        Version(dt.date(1999, 10, 1), 10, CALENDAR_DAYS,
                "行政复议法（2017年修正）第二十三条：收到申请书副本之日起10日内；期间依民事诉讼法计算（第四十条），"
                "届满日遇法定休假日顺延"),
        Version(dt.date(2024, 1, 1), 10, WORKING_DAYS,
                "行政复议法（2023年修订）第四十八条、第八十八条：收到申请书副本之日起10个工作日内（不含法定休假日）"),
    )),
    Rule("lawsuit_answer", "行政诉讼 提交答辩状", (
        Version(dt.date(2015, 5, 1), 15, CALENDAR_DAYS,
                "行政诉讼法第六十七条：收到起诉状副本之日起15日内；届满日遇法定休假日顺延（第一百零一条、"
                "民事诉讼法第八十二条）"),
        Version(dt.date(2022, 1, 1), 15, CALENDAR_DAYS,
                "行政诉讼法第六十七条：收到起诉状副本之日起15日内；届满日遇法定休假日顺延（第一百零一条、"
                "民事诉讼法第八十五条）"),
    )),
    Rule("penalty_decision", "行政处罚 作出处罚决定", (
        Version(dt.date(2021, 7, 15), 90, CALENDAR_DAYS,
                "行政处罚法（2021年修订）第六十条：自立案之日起90日内；届满日遇法定休假日顺延"),
    )),
)}


def add_working_days(start: dt.date, n: int, cal: Calendar) -> dt.date:
    """The ``n``-th working day after ``start`` (the day of service itself is not counted)."""
    day, left = start, n
    while left > 0:
        day += dt.timedelta(days=1)
        if cal.working(day):
            left -= 1
    return day


def add_days(start: dt.date, n: int, cal: Calendar) -> dt.date:
    """``n`` calendar days after ``start``; a last day that is no working day moves to the next one that is."""
    day = start + dt.timedelta(days=n)
    while not cal.working(day):
        day += dt.timedelta(days=1)
    return day


def due(rule_key: str, start: dt.date, cal: Calendar, extra_days: int = 0) -> tuple[dt.date, str] | None:
    """The last day of a statutory period starting ``start``, and the basis it was counted by; None when no version
    of the law set the period on that day (a 行政处罚 filed before the 2021 revision has no 90-day limit).
    ``extra_days``: an approved extension and the days that do not count (听证, 鉴定, 公告), in the period's own unit."""
    version = RULES[rule_key].version_on(start)
    if version is None:
        return None
    count = add_working_days if version.unit == WORKING_DAYS else add_days
    return count(start, version.days + max(extra_days, 0), cal), version.basis
