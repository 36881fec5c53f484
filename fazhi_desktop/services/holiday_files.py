"""A year's holiday calendar in and out of a unit (#35): a county writes the file once the State Council's notice is
out; each township reads it into its 待办 settings (the days of that year replace what was typed for it), with a line
in the unit's history. A year the program ships is never replaced: the shipped days always hold."""

from __future__ import annotations

import os
from pathlib import Path

from fazhi_desktop.domain import holiday_file, holidays
from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.roles import READ, SETTINGS
from fazhi_desktop.services import accounts, todo
from fazhi_desktop.services.context import Changed, Context, Done
from fazhi_desktop.services.units import update_settings
from fazhi_desktop.storage import atomic

NOTICES = "holiday_notices"  # unit settings: year → the notice its typed or imported days come from


def read_file(path: str | os.PathLike) -> holiday_file.YearFile:
    source = Path(path)
    if not source.is_file():
        raise UserError(f"找不到文件：{source}")
    try:
        with open(source, "rb") as fh:
            data = fh.read(holiday_file.MAX_BYTES + 1)
    except OSError as exc:
        raise UserError(f"无法读取文件「{source.name}」：{exc.strerror or exc}") from exc
    return holiday_file.read(data)


def import_file(ctx: Context, path: str | os.PathLike) -> Done:
    """Read a county's calendar file into the unit's settings; the year's previously typed days are replaced."""
    found = read_file(path)
    if found.year in holidays.CALENDARS:
        raise UserError(f"本程序已内置{found.year}年的节假日安排（{holidays.CALENDARS[found.year].notice}），"
                        "无需导入；文件没有导入。")
    with ctx.engine.begin() as conn:
        accounts.require(conn, ctx.actor, SETTINGS)
        unit = ctx.unit
        current = dict(unit.settings.get("todo") or {})
        current["holidays"] = _kept(current.get("holidays"), found) + [d.isoformat() for d in found.off]
        current["workdays"] = _kept(current.get("workdays"), found) + [d.isoformat() for d in found.worked]
        notices = {**(unit.settings.get(NOTICES) or {}), str(found.year): found.notice}
        unit = update_settings(conn, unit, {"todo": todo.clean_settings(current), NOTICES: notices}, ctx.actor)
    return Done((unit, found), Changed(unit=True))


def _kept(typed: list | None, found: holiday_file.YearFile) -> list:
    """The typed days the file does not replace: those outside its calendar year and not among its own days."""
    return [v for v in typed or [] if not any(d.year == found.year or d in found.off or d in found.worked
                                              for d in holidays.dates([v]))]


def export_file(ctx: Context, year: int, out: str | os.PathLike, notice: str | None = None) -> Path:
    """The year's calendar as a file for the townships: the shipped one, or the days this unit typed or imported."""
    accounts.require_engine(ctx.engine, ctx.actor, READ)
    shipped = holidays.CALENDARS.get(year)
    if shipped is not None:
        off, worked, said = shipped.days_off(), shipped.days_worked(), shipped.notice
    else:
        cfg = todo.settings_of(ctx.unit)
        off = {d for d in holidays.dates(cfg["holidays"]) if d.year == year}
        worked = {d for d in holidays.dates(cfg["workdays"]) if d.year == year}
        said = (ctx.unit.settings.get(NOTICES) or {}).get(str(year))
    said = (notice or said or "").strip()
    if not off:
        raise UserError(f"没有{year}年的放假日期：请先在“设置 → 待办期限”中录入国务院办公厅通知的放假日期和调休上班日期")
    if not said:
        raise UserError(f"请写出{year}年节假日安排通知的文号或日期（如 国办发明电〔{year - 1}〕X号），下发给乡镇时一并说明依据")
    data = holiday_file.write(year, said, off, worked)
    target = Path(out)
    with atomic.atomic_stream(target) as fh:
        fh.write(data)
    return target

