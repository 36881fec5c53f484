"""Writing ledger workbooks: the blank import template (drop-down lists, an example row, notes) and the export in the
same format (record numbers included, so it imports again as updates). No cell written from a record is a formula."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from fazhi_desktop.domain.fields import Ledger
from fazhi_desktop.domain.ledgers import LEDGERS
from fazhi_desktop.domain.unit import REPORT_TEXT_FIELDS, UNIT_FIELDS
from fazhi_desktop.domain.validation import choices_for
from fazhi_desktop.exchange.layout import (
    DRAFT_SHEET,
    EXAMPLE_MARK,
    HELP_SHEET,
    ID_HEADER,
    LISTS_SHEET,
    UNIT_SHEET,
    header_label,
)
from fazhi_desktop.office.xlsx_sheets import BORDER, HEADER_FILL, HEADER_FONT, fit_columns
from fazhi_desktop.services import listing, privacy
from fazhi_desktop.services.actor import default_actor
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage.atomic import atomic_stream
from fazhi_desktop.storage.schema import report_texts

MAX_DATA_ROWS = 5000  # rows that get drop-down lists in a blank template


def _lists_sheet(wb: Workbook, unit: Unit | None) -> dict[str, str]:
    """A hidden sheet holding every choice list; returns 'ledger.field' → range formula for data validation."""
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    col = 0
    local = unit.local_choices if unit else {}
    villages = unit.villages if unit else []
    for ledger in LEDGERS:
        for f in ledger.fields:
            values = f.kind.options(f, choices_for(f, local, ledger.key), villages)
            if not values or f.kind.multiple:  # "a、b" in one cell is no single drop-down value
                continue
            col += 1
            letter = get_column_letter(col)
            ws.cell(1, col, f"{ledger.name}·{f.label}")
            for i, v in enumerate(values, start=2):
                ws.cell(i, col, v)
            ranges[f"{ledger.key}.{f.key}"] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _ledger_sheet(wb: Workbook, ledger: Ledger, unit: Unit | None, ranges: dict[str, str],
                  rows: Iterable[list[Any]], example: bool) -> None:
    ws = wb.create_sheet(ledger.name[:31])
    ws.append([ID_HEADER, *(header_label(f) for f in ledger.fields)])
    for c in range(1, len(ledger.fields) + 2):
        cell = ws.cell(1, c)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
    ws.cell(1, 1).comment = Comment("程序自动生成的编号。新增记录时留空；修改已导出的记录时请勿改动。", "法治建设台账")
    for i, f in enumerate(ledger.fields, start=2):
        if f.hint:
            listed = f"：{'、'.join(f.choices)}" if f.choices and f.kind.help else ""
            ws.cell(1, i).comment = Comment(f.hint + listed, "法治建设台账")
    if example:
        villages = unit.villages if unit else []
        ws.append([EXAMPLE_MARK, *(f.kind.example(f, villages) for f in ledger.fields)])
        for c in range(1, len(ledger.fields) + 2):
            ws.cell(2, c).font = Font(italic=True, color="808080")
    for row in rows:
        ws.append(row)
    last = max(ws.max_row, MAX_DATA_ROWS if example else ws.max_row + 200)
    for i, f in enumerate(ledger.fields, start=2):
        letter = get_column_letter(i)
        key = f"{ledger.key}.{f.key}"
        if key in ranges:
            dv = DataValidation(type="list", formula1=f"={ranges[key]}", allow_blank=True, showErrorMessage=True,
                                errorTitle="不是可选值", error=f"「{f.label}」请从下拉列表中选择")
            dv.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(dv)
        if f.kind.excel_format:  # dates as dates; ID numbers as text (18 digits as a number lose the last three)
            for r in range(2, ws.max_row + 1):
                ws.cell(r, i).number_format = f.kind.excel_format
    ws.freeze_panes = "B2"
    fit_columns(ws, 1)
    ws.column_dimensions["A"].width = 38


def _unit_sheet(wb: Workbook, unit: Unit | None) -> None:
    ws = wb.create_sheet(UNIT_SHEET)
    ws.append(["项目", "内容"])
    for c in (1, 2):
        ws.cell(1, c).font, ws.cell(1, c).fill = HEADER_FONT, HEADER_FILL
    for f in UNIT_FIELDS:
        ws.append([header_label(f), f.kind.cell(getattr(unit, f.key), full_id=True) if unit else None])  # the office's
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 60


def _draft_sheet(wb: Workbook, drafts: list[dict[str, Any]]) -> None:
    """The clerk's yearly report drafts (依据文件, 成文日期, problems…): part of a complete move to another PC."""
    ws = wb.create_sheet(DRAFT_SHEET)
    ws.append(["年度", *(f.label for f in REPORT_TEXT_FIELDS)])
    for c in range(1, len(REPORT_TEXT_FIELDS) + 2):
        ws.cell(1, c).font, ws.cell(1, c).fill = HEADER_FONT, HEADER_FILL
    for d in drafts:
        ws.append([d["year"], *(f.kind.cell(d.get(f.key)) for f in REPORT_TEXT_FIELDS)])
    for i, f in enumerate(REPORT_TEXT_FIELDS, start=2):
        if f.kind.excel_format:
            for r in range(2, ws.max_row + 1):
                ws.cell(r, i).number_format = f.kind.excel_format
    fit_columns(ws, 1)


def _help_sheet(wb: Workbook) -> None:
    ws = wb.active
    ws.title = HELP_SHEET
    lines = [
        "填写说明",
        "1. 每个工作表对应一本台账，表头带 * 的列为必填项。请不要修改工作表名称和表头文字。",
        "2. 第 2 行灰色斜体为示例，导入时自动忽略，可以删除。",
        "3. 日期可写成 2023-05-04、2023/5/4、2023年5月4日 或 2023.5.4。",
        "4. 带下拉箭头的列请从列表中选择；“宣传主题”等可多选的列用顿号（、）分隔。",
        "5. “记录编号”列：新增记录留空；从本程序导出的文件中已有编号，修改后再导入会更新原记录，不会重复。",
        "6. 导入时会先检查全部内容：只要有一处错误，就一条也不导入，并列出所有错误所在的工作表、行号和字段。",
        "7. “单位设置”工作表在导入到空数据库时用于创建单位。",
        "8. 请保存为 .xlsx 格式（WPS 和 Excel 均可）；不支持旧的 .xls 格式。",
    ]
    for line in lines:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 110


def _text_only(wb: Workbook) -> None:
    """No cell of ours is a formula: text a clerk typed that starts with "=" stays text (and reads back as such)."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def write_template(path: str | os.PathLike, unit: Unit | None) -> Path:
    wb = Workbook()
    _help_sheet(wb)
    _unit_sheet(wb, unit)
    ranges = _lists_sheet(wb, unit)
    for ledger in LEDGERS:
        _ledger_sheet(wb, ledger, unit, ranges, [], example=True)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    _text_only(wb)
    with atomic_stream(path) as tmp:
        wb.save(tmp)
    return Path(path)


def export_workbook(engine: sa.Engine, unit: Unit, path: str | os.PathLike, year: int | None = None,
                    full_ids: bool = False, ledgers: Collection[str] | None = None,
                    actor: str | None = None) -> dict[str, int]:
    """Export in the import format (UUIDs included): every ledger, or those keyed in ``ledgers`` (then without the
    report drafts). ID and phone numbers are masked unless ``full_ids`` (a 管理员 only); the export is logged."""
    actor = actor or default_actor()
    privacy.check_export(engine, actor, full=full_ids)
    counts: dict[str, int] = {}
    wb = Workbook()
    _help_sheet(wb)
    _unit_sheet(wb, unit)
    ranges = _lists_sheet(wb, unit)
    with engine.connect() as conn:
        for ledger in LEDGERS:
            if ledgers is not None and ledger.key not in ledgers:
                continue
            q = listing.ListQuery(ledger.key, sort_key=ledger.year_from)
            if year is not None:
                q.year = year
            records = listing.page(conn, unit, q, 0, 10_000_000)
            rows = [[r["id"], *(f.kind.cell(r.get(f.key), full_id=full_ids) for f in ledger.fields)] for r in records]
            counts[ledger.key] = len(rows)
            _ledger_sheet(wb, ledger, unit, ranges, rows, example=False)
        drafts = conn.execute(sa.select(report_texts).where(report_texts.c.unit_id == unit.id).order_by(
            report_texts.c.year)).mappings().all()
        if ledgers is None:
            _draft_sheet(wb, [dict(d) for d in drafts if year is None or d["year"] == year])
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    _text_only(wb)
    with atomic_stream(path) as tmp:
        wb.save(tmp)
    privacy.log_export(engine, unit, actor, "台账数据（可再导入的 Excel）", path, sum(counts.values()), full=full_ids)
    return counts


# -- reading -------------------------------------------------------------------------------------------------------
