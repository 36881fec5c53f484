"""Statutory periods as the law counts them (#35): each rule names its article and the version in force on the day
the period starts, and counts its days as that version does — calendar days whose last day, falling on a 法定休假日,
moves to the next working day (民事诉讼法 期间, applied by 行政诉讼法 and the 2017 行政复议法), or working days that
leave 法定休假日 out (行政复议法 2023 第八十八条). The holiday calendar is data (``domain.holidays``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fazhi_desktop.domain.holidays import Calendar

CALENDAR_DAYS, WORKING_DAYS = "日", "个工作日"
# Periods of rules that set no roll-over (信访, 行政强制 申请执行): their last day is the day counted, holiday or not,
# so a reminder is never later than the law.
PLAIN_DAYS, MONTHS = "日（届满日不顺延）", "个月"


@dataclass(frozen=True)
class Version:
    since: dt.date  # in force for periods starting on or after this day
    days: int
    unit: str  # CALENDAR_DAYS (rolled over a 法定休假日 at the end) or WORKING_DAYS
    basis: str  # the law, its version and articles, as 待办 and 报告体检 print them
    max_extension: int | None = None  # the longest extension the law allows, in the period's unit (None: none set)


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
    Rule("review_answer_simple", "行政复议（简易程序）书面答复", (
        Version(dt.date(2024, 1, 1), 5, WORKING_DAYS,
                "行政复议法（2023年修订）第五十四条、第八十八条：适用简易程序的，收到申请书副本或者申请笔录复印件之日起"
                "5个工作日内（不含法定休假日）"),
    )),
    Rule("penalty_decision", "行政处罚 作出处罚决定", (
        Version(dt.date(2021, 7, 15), 90, CALENDAR_DAYS,
                "行政处罚法（2021年修订）第六十条：自立案之日起90日内；届满日遇法定休假日顺延"),
    )),
    Rule("penalty_service", "行政处罚 送达处罚决定书", (
        Version(dt.date(2021, 7, 15), 7, WORKING_DAYS,
                "行政处罚法（2021年修订）第六十一条、第八十五条：当事人不在场的，宣告后7个工作日内送达（不含法定节假日）"),
    )),
    Rule("penalty_hearing", "行政处罚 当事人要求听证的期限", (
        Version(dt.date(2021, 7, 15), 5, WORKING_DAYS,
                "行政处罚法（2021年修订）第六十四条第一项、第八十五条：当事人要求听证的，应当在行政机关告知后"
                "5个工作日内提出；期限届满前不宜作出处罚决定"),
    )),
    Rule("coercion_urge", "行政强制 催告期满", (
        Version(dt.date(2012, 1, 1), 10, WORKING_DAYS,
                "行政强制法第五十四条、第六十九条：催告书送达10个工作日后当事人仍未履行义务的，可以申请人民法院强制执行"),
    )),
    Rule("coercion_court", "行政强制 申请人民法院强制执行", (
        Version(dt.date(2012, 1, 1), 3, MONTHS,
                "行政强制法第五十三条：自复议、诉讼期限届满之日起三个月内申请人民法院强制执行"),
    )),
    Rule("disclosure_answer", "政府信息公开 依申请答复", (
        Version(dt.date(2008, 5, 1), 15, WORKING_DAYS,
                "政府信息公开条例（2007年）第二十四条：不能当场答复的，自收到申请之日起15个工作日内答复；"
                "延长最长不得超过15个工作日；征求第三方意见所需时间不计算在内", max_extension=15),
        Version(dt.date(2019, 5, 15), 20, WORKING_DAYS,
                "政府信息公开条例（2019年修订）第三十三条：不能当场答复的，自收到申请之日起20个工作日内答复（补正的，"
                "自收到补正的申请之日起计算，第三十条）；延长最长不得超过20个工作日；征求第三方和其他机关意见所需时间"
                "不计算在内", max_extension=20),
    )),
    Rule("disclosure_correction", "政府信息公开 告知补正", (
        Version(dt.date(2019, 5, 15), 7, WORKING_DAYS,
                "政府信息公开条例（2019年修订）第三十条：申请内容不明确的，自收到申请之日起7个工作日内一次性告知申请人"
                "作出补正"),
    )),
    Rule("disclosure_third_party", "政府信息公开 第三方提出意见", (
        Version(dt.date(2019, 5, 15), 15, WORKING_DAYS,
                "政府信息公开条例（2019年修订）第三十二条：第三方应当自收到征求意见书之日起15个工作日内提出意见；"
                "逾期未提出的，由行政机关依照本条例决定是否公开"),
    )),
    Rule("petition_accept", "信访 告知是否受理", (
        Version(dt.date(2005, 5, 1), 15, PLAIN_DAYS,
                "信访条例（2005年）第二十一条、第二十二条：转送、交办的，或者直接提出而不能当场答复的，"
                "自收到信访事项之日起15日内书面告知信访人是否受理"),
        Version(dt.date(2022, 5, 1), 15, PLAIN_DAYS,
                "信访工作条例（2022年）第二十三条第二款、第三款：直接提出而不能当场告知的，或者转送、交办的，"
                "自收到之日起15日内书面告知信访人"),
    )),
    Rule("petition_finish", "信访 办结", (
        Version(dt.date(2005, 5, 1), 60, PLAIN_DAYS,
                "信访条例（2005年）第三十三条：自受理之日起60日内办结；情况复杂的，经负责人批准可延长，不超过30日",
                max_extension=30),
        Version(dt.date(2022, 5, 1), 60, PLAIN_DAYS,
                "信访工作条例（2022年）第三十四条：第三十一条第六项的信访事项自受理之日起60日内办结；情况复杂的，"
                "经本机关、单位负责人批准可延长，不超过30日，并告知信访人延期理由", max_extension=30),
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


def add_plain_days(start: dt.date, n: int, _cal: Calendar) -> dt.date:
    """``n`` calendar days after ``start``, holiday or not (rules that set no roll-over)."""
    return start + dt.timedelta(days=n)


def add_months(start: dt.date, n: int, _cal: Calendar) -> dt.date:
    """The same day ``n`` months later; the month's last day when it has no such day (31 January + 1 month)."""
    import calendar as month_lengths

    month = start.month - 1 + n
    year, month = start.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(start.day, month_lengths.monthrange(year, month)[1]))


COUNTERS = {CALENDAR_DAYS: add_days, WORKING_DAYS: add_working_days, PLAIN_DAYS: add_plain_days, MONTHS: add_months}


def due(rule_key: str, start: dt.date, cal: Calendar, extra_days: int = 0, extension: int = 0) -> tuple[dt.date, str] | None:
    """The last day of a statutory period starting ``start``, and the basis it was counted by; None when no version
    of the law set the period on that day (a 行政处罚 filed before the 2021 revision has no 90-day limit).
    ``extra_days``: the days that do not count (听证, 鉴定, 公告, 征求第三方意见), in the period's own unit.
    ``extension``: an approved extension, never more than the version allows (the basis then says so)."""
    version = RULES[rule_key].version_on(start)
    if version is None:
        return None
    basis = version.basis
    extension = max(extension, 0)
    if version.max_extension is not None and extension > version.max_extension:
        basis += f"（登记的延长超过法定最长{version.max_extension}{version.unit}，按{version.max_extension}{version.unit}计）"
        extension = version.max_extension
    return COUNTERS[version.unit](start, version.days + extension + max(extra_days, 0), cal), basis


def disclosure_answer_due(record: Mapping[str, Any], cal: Calendar) -> tuple[dt.date, str] | None:
    """When a 政府信息公开 application must be answered: from its receipt, or from the corrected application; the days
    spent asking a third party or another organ do not count; an approved extension adds (up to the law's most)."""
    start = record.get("corrected_on") or record.get("date")
    if not isinstance(start, dt.date):
        return None
    return due("disclosure_answer", start, cal, record.get("consult_days") or 0, record.get("extended_days") or 0)


def answered_in_time(record: Mapping[str, Any], cal: Calendar) -> bool:
    """Answered, and by the day the law set (``disclosure_answer_due``)."""
    answered = record.get("answered_on")
    found = disclosure_answer_due(record, cal)
    return isinstance(answered, dt.date) and found is not None and answered <= found[0]
