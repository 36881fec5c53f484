"""A year's holiday calendar as a small file a county hands out (#35): the State Council's notice for next year comes
in November or December, after a release was built, and every township needs the same days before its deadlines are
counted. The county types them once (设置 → 待办期限) and writes the file; each township reads it.

The file is JSON: what it says is checked as hostile input (a size bound before parsing, one year, real dates, 调休
days on weekends only, no date both off and worked, a notice of printable text), and a file refused changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.values import bad_character

FORMAT = "fazhi-desktop 节假日安排"
VERSION = 1
MAX_BYTES = 64 * 1024
MAX_NOTICE = 200
SUFFIX = ".json"


@dataclass(frozen=True)
class YearFile:
    year: int
    notice: str  # 文号 and date of the State Council's notice, as the county typed it
    off: tuple[dt.date, ...]  # days off, weekends inside a block included
    worked: tuple[dt.date, ...]  # weekend days worked (调休上班)


def _refuse(why: str) -> UserError:
    return UserError(f"节假日安排文件{why}，未导入，设置没有任何改动。")


def _belongs(day: dt.date, year: int) -> bool:
    """A year's notice may start its 元旦 block on the last days of the year before (2023's began 2022-12-31)."""
    return day.year == year or (day.year == year - 1 and day.month == 12)


def _dates(values: object, year: int, what: str) -> tuple[dt.date, ...]:
    if not isinstance(values, list) or len(values) > 366:
        raise _refuse(f"的「{what}」不是日期列表")
    out = []
    for n, value in enumerate(values, 1):
        try:
            day = dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
        except ValueError:
            day = None
        if day is None:
            raise _refuse(f"的「{what}」第 {n} 项「{str(value)[:20]}」不是日期（应写成 2027-10-01）")
        if not _belongs(day, year):
            raise _refuse(f"的「{what}」第 {n} 项 {day.isoformat()} 不属于{year}年")
        out.append(day)
    return tuple(sorted(set(out)))


def read(data: bytes) -> YearFile:
    """The file's year, checked; ``UserError`` naming what is wrong."""
    if len(data) > MAX_BYTES:
        raise _refuse(f"过大（超过 {MAX_BYTES // 1024} KB），不像一年的节假日安排")
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise _refuse("无法读取（不是本程序导出的节假日安排文件）") from None
    if not isinstance(parsed, dict) or parsed.get("format") != FORMAT:
        raise _refuse("不是本程序导出的节假日安排文件")
    if parsed.get("version") != VERSION:
        raise _refuse("的版本本程序不认识，请升级程序")
    year = parsed.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise _refuse("的年份异常")
    notice = parsed.get("notice")
    if not isinstance(notice, str) or not notice.strip() or len(notice) > MAX_NOTICE or bad_character(notice):
        raise _refuse("缺少国务院办公厅通知的文号或日期（或含有不可打印的字符）")
    off = _dates(parsed.get("days_off"), year, "放假日期")
    worked = _dates(parsed.get("days_worked"), year, "调休上班日期")
    if not off:
        raise _refuse("没有放假日期")
    weekdays = [d for d in worked if d.weekday() < 5]
    if weekdays:
        raise _refuse(f"的调休上班日期 {weekdays[0].isoformat()} 不是周末")
    both = sorted(set(off) & set(worked))
    if both:
        raise _refuse(f"的 {both[0].isoformat()} 既是放假日又是调休上班日")
    return YearFile(year, notice.strip(), off, worked)


def write(year: int, notice: str, off: Iterable[dt.date], worked: Iterable[dt.date]) -> bytes:
    """The file for ``year`` (``read`` accepts it as written)."""
    data = {"format": FORMAT, "version": VERSION, "year": year, "notice": notice,
            "days_off": sorted(d.isoformat() for d in set(off)),
            "days_worked": sorted(d.isoformat() for d in set(worked))}
    out = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    read(out)  # never hand out a file a township would refuse
    return out
