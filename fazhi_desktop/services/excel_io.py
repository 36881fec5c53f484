"""Ledger workbooks: the blank import template, validated all-or-nothing import, and export in the same format.

One sheet per ledger, named by its Chinese name, headers = the declared labels (required ones marked ``*``), a first
column 记录编号 carrying the record's UUID so that importing the same export twice updates instead of doubling.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from fazhi_desktop.domain.errors import Problem, UserError, ValidationError
from fazhi_desktop.domain.fields import Field, FieldType, Ledger, full_width_brackets
from fazhi_desktop.domain.ledgers import LEDGERS, REPORT_TEXT_FIELDS, UNIT_FIELDS
from fazhi_desktop.domain.validation import choices_for, validate_fields
from fazhi_desktop.exchange import guard, reader
from fazhi_desktop.exchange.reader import Book
from fazhi_desktop.reports.sheets import BORDER, HEADER_FILL, HEADER_FONT, fit_columns
from fazhi_desktop.reports.xlsx import cell_value
from fazhi_desktop.services import listing, reports_text
from fazhi_desktop.services.records import RecordService
from fazhi_desktop.services.units import Unit, create_unit, kind_from_name, list_units
from fazhi_desktop.storage.atomic import atomic_stream
from fazhi_desktop.storage.schema import ledger_table, report_texts

ID_HEADER = "记录编号"
EXAMPLE_MARK = "示例（导入时忽略）"
UNIT_SHEET = "单位设置"
DRAFT_SHEET = "年度报告文稿"
HELP_SHEET = "填写说明"
LISTS_SHEET = "可选值"
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # Compound File: .xls, or an encrypted .xlsx
MAX_FORMULA_NOTES = 20  # formula cells named one by one; the rest are counted
MAX_DATA_ROWS = 5000  # rows that get drop-down lists in a blank template
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def header_label(f: Field) -> str:
    return f"{f.label}*" if f.required else f.label


def _norm_header(value: Any) -> str:
    """Headers compare without spaces and required marks, and with brackets of either width (templates made before
    labels used full-width brackets still import)."""
    return full_width_brackets(re.sub(r"[\s*＊]", "", str(value or "")))


# -- writing -------------------------------------------------------------------------------------------------------
def _example(f: Field, unit: Unit | None) -> Any:
    t = f.type
    if t is FieldType.DATE:
        return dt.date.today()
    if t is FieldType.YEAR:
        return dt.date.today().year
    if t in (FieldType.INT, FieldType.MONEY):
        return 1
    if t is FieldType.BOOL:
        return "是"
    if t is FieldType.CHOICE:
        return f.choices[0]
    if t is FieldType.MULTICHOICE:
        return "、".join(f.choices[:2])
    if t is FieldType.VILLAGE:
        return unit.villages[0] if unit and unit.villages else "某村"
    if t is FieldType.IDCARD:
        return "11010519491231002X"
    if t is FieldType.PHONE:
        return "0934-5500000"
    return f"示例{f.label}" if f.required else None


def _lists_sheet(wb: Workbook, unit: Unit | None) -> dict[str, str]:
    """A hidden sheet holding every choice list; returns 'ledger.field' → range formula for data validation."""
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    col = 0
    local = unit.local_choices if unit else {}
    for ledger in LEDGERS:
        for f in ledger.fields:
            if f.type is FieldType.CHOICE:
                values = choices_for(f, local, ledger.key)
            elif f.type is FieldType.VILLAGE and unit and unit.villages:
                values = tuple(unit.villages)
            elif f.type is FieldType.BOOL:
                values = ("是", "否")
            else:
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
        if f.help or f.type is FieldType.MULTICHOICE:
            text = f.help or ""
            if f.type is FieldType.MULTICHOICE:
                text = (text + "\n" if text else "") + "可填多项，用顿号分隔：" + "、".join(f.choices)
            ws.cell(1, i).comment = Comment(text, "法治建设台账")
    if example:
        ws.append([EXAMPLE_MARK, *(_example(f, unit) for f in ledger.fields)])
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
        if f.type is FieldType.DATE:
            for r in range(2, ws.max_row + 1):
                ws.cell(r, i).number_format = "yyyy-mm-dd"
        if f.type is FieldType.IDCARD:
            for r in range(2, ws.max_row + 1):
                ws.cell(r, i).number_format = "@"  # 18 digits as a number would lose the last three
    ws.freeze_panes = "B2"
    fit_columns(ws, 1)
    ws.column_dimensions["A"].width = 38


def _unit_sheet(wb: Workbook, unit: Unit | None) -> None:
    ws = wb.create_sheet(UNIT_SHEET)
    ws.append(["项目", "内容"])
    for c in (1, 2):
        ws.cell(1, c).font, ws.cell(1, c).fill = HEADER_FONT, HEADER_FILL
    for f in UNIT_FIELDS:
        value = getattr(unit, f.key) if unit else None
        if isinstance(value, list):
            value = "、".join(value)
        ws.append([header_label(f), value])
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 60


def _draft_cell(f: Field, value: Any) -> Any:
    if f.type is FieldType.TEXTLIST:
        return "\n".join(value or []) or None
    if f.type is FieldType.TEXTMAP:
        return json.dumps(value, ensure_ascii=False) if value else None
    return value


def _draft_sheet(wb: Workbook, drafts: list[dict[str, Any]]) -> None:
    """The clerk's yearly report drafts (依据文件, 成文日期, problems…): part of a complete move to another PC."""
    ws = wb.create_sheet(DRAFT_SHEET)
    ws.append(["年度", *(f.label for f in REPORT_TEXT_FIELDS)])
    for c in range(1, len(REPORT_TEXT_FIELDS) + 2):
        ws.cell(1, c).font, ws.cell(1, c).fill = HEADER_FONT, HEADER_FILL
    for d in drafts:
        ws.append([d["year"], *(_draft_cell(f, d.get(f.key)) for f in REPORT_TEXT_FIELDS)])
    for i, f in enumerate(REPORT_TEXT_FIELDS, start=2):
        if f.type is FieldType.DATE:
            for r in range(2, ws.max_row + 1):
                ws.cell(r, i).number_format = "yyyy-mm-dd"
    fit_columns(ws, 1)


def _read_drafts(book: Book, problems: list[Problem]) -> list[tuple[int, dict[str, Any]]]:
    rows = book.grids.get(DRAFT_SHEET)
    if not rows:
        return []
    by_label = {_norm_header(f.label): f for f in REPORT_TEXT_FIELDS}
    header = {c: by_label.get(_norm_header(v)) for c, v in enumerate(rows[0])}
    drafts = []
    for n, row in enumerate(rows[1:], start=2):
        if not row or row[0] is None:
            continue
        values: dict[str, Any] = {}
        for c, f in header.items():
            if f is None or c >= len(row):
                continue
            value = _cell(row[c])
            if f.type is FieldType.TEXTLIST:
                value = str(value).splitlines() if value else []
            elif f.type is FieldType.TEXTMAP:
                try:
                    value = json.loads(value) if value else {}
                except (TypeError, ValueError):
                    problems.append(Problem(f.key, f.label, "内容格式不正确", sheet=DRAFT_SHEET, row=n))
                    continue
            values[f.key] = value
        try:
            year = int(row[0])
        except (TypeError, ValueError):
            problems.append(Problem("year", "年度", f"「{row[0]}」不是年份", sheet=DRAFT_SHEET, row=n))
            continue
        clean, found = validate_fields(REPORT_TEXT_FIELDS, values)
        problems += [Problem(p.field, p.label, p.message, sheet=DRAFT_SHEET, row=n) for p in found if not p.warning]
        drafts.append((year, clean))
    return drafts


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
                    full_ids: bool = False) -> dict[str, int]:
    """Export in the import format (UUIDs included). ID numbers are masked unless ``full_ids``."""
    counts: dict[str, int] = {}
    wb = Workbook()
    _help_sheet(wb)
    _unit_sheet(wb, unit)
    ranges = _lists_sheet(wb, unit)
    with engine.connect() as conn:
        for ledger in LEDGERS:
            q = listing.ListQuery(ledger.key, sort_key=ledger.year_from)
            if year is not None:
                q.year = year
            records = listing.page(conn, unit, q, 0, 10_000_000)
            rows = [[r["id"], *(cell_value(f, r.get(f.key), full_id=full_ids) for f in ledger.fields)] for r in records]
            counts[ledger.key] = len(rows)
            _ledger_sheet(wb, ledger, unit, ranges, rows, example=False)
        drafts = conn.execute(sa.select(report_texts).where(report_texts.c.unit_id == unit.id).order_by(
            report_texts.c.year)).mappings().all()
        _draft_sheet(wb, [dict(d) for d in drafts if year is None or d["year"] == year])
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    _text_only(wb)
    with atomic_stream(path) as tmp:
        wb.save(tmp)
    return counts


# -- reading -------------------------------------------------------------------------------------------------------
@dataclass
class SheetPlan:
    ledger: Ledger
    sheet: str
    creates: list[tuple[str | None, dict[str, Any]]] = field(default_factory=list)
    updates: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class ImportReport:
    plans: list[SheetPlan]
    warnings: list[str]
    unit: Unit | None
    unit_created: bool = False
    dry_run: bool = True
    drafts: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    unit_values: dict[str, Any] | None = None  # the 单位设置 sheet, used when the database has no unit yet

    @property
    def created(self) -> int:
        return sum(len(p.creates) for p in self.plans)

    @property
    def updated(self) -> int:
        return sum(len(p.updates) for p in self.plans)

    def summary(self) -> list[str]:
        lines = [f"{p.sheet}：新增 {len(p.creates)} 条，更新 {len(p.updates)} 条"
                 + (f"，{p.unchanged} 条与现有记录相同" if p.unchanged else "") for p in self.plans]
        if self.drafts:
            lines.append(f"{DRAFT_SHEET}：{len(self.drafts)} 个年度")
        return lines


def _imported(sheet_name: str) -> bool:
    return sheet_name in (UNIT_SHEET, DRAFT_SHEET) or _ledger_for_sheet(sheet_name) is not None


def open_workbook(path: str | os.PathLike) -> Book:
    p = Path(path)
    try:
        found = p.is_file()
    except OSError as exc:  # a name too long for the file system, say
        raise UserError(f"无法读取「{p.name[:60]}」（{exc.strerror or exc}）") from exc
    if not found:
        raise UserError(f"找不到文件：{p}")
    if p.suffix.lower() == ".xls":
        raise UserError(f"「{p.name}」是旧版 .xls 格式，请在 Excel 或 WPS 中“另存为” .xlsx 后再导入")
    try:
        with p.open("rb") as f:
            magic = f.read(8)
    except OSError as exc:
        raise UserError(f"无法读取「{p.name}」（{exc.strerror or exc}）；如果它正在其他程序中打开，请先关闭") from exc
    if magic == OLE_MAGIC:  # an .xlsx with an opening password is such a container too, as is a renamed .xls
        raise UserError(f"「{p.name}」是设置了打开密码的工作簿或旧版 .xls 文件：请在 Excel 或 WPS 中取消密码、"
                        "“另存为” .xlsx 后再导入")
    if not zipfile.is_zipfile(p):
        raise UserError(f"「{p.name}」不是有效的 Excel 工作簿（.xlsx），无法读取")
    shapes = guard.inspect(p, _imported)  # before the reader: sizes, last cells, merged ranges, formulas
    return reader.read_workbook(p, shapes)


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()  # Excel keeps dates as datetimes; a ledger date has no time of day
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _header(rows: list[list[Any]], ledger: Ledger) -> tuple[int, dict[int, str]] | None:
    labels = {_norm_header(f.label): f.key for f in ledger.fields}
    labels[_norm_header(ID_HEADER)] = "id"
    for r, row in enumerate(rows[:10]):
        mapping = {}
        for c, value in enumerate(row):
            key = labels.get(_norm_header(value))
            if key and key not in mapping.values():
                mapping[c] = key
        if len([k for k in mapping.values() if k != "id"]) >= min(2, len(ledger.fields)):
            return r, mapping
    return None


def _ledger_for_sheet(title: str) -> Ledger | None:
    name = title.strip()
    return next((lg for lg in LEDGERS if name in (lg.name[:31], lg.name, lg.key)), None)


def _read_unit_sheet(book: Book) -> dict[str, Any] | None:
    if UNIT_SHEET not in book.grids:
        return None
    by_label = {_norm_header(f.label): f for f in UNIT_FIELDS}
    values: dict[str, Any] = {}
    for row in book.grids[UNIT_SHEET]:
        if len(row) < 2:
            continue
        f = by_label.get(_norm_header(row[0]))
        if f is None:
            continue
        value = _cell(row[1])
        if f.type is FieldType.TEXTLIST and isinstance(value, str):
            value = [v for v in re.split(r"[、，,；;\n]+", value) if v.strip()]
        values[f.key] = value
    return values or None


def plan_import(engine: sa.Engine, path: str | os.PathLike, unit_name: str | None = None) -> ImportReport:
    """Read and validate everything; raise ValidationError listing every bad cell, or return what would change."""
    book = open_workbook(path)
    problems: list[Problem] = []
    warnings: list[str] = []
    formula_notes = 0
    with engine.connect() as conn:
        units = list_units(conn)
    unit_values = _read_unit_sheet(book)
    if unit_name:
        unit = next((u for u in units if u.name == unit_name), None)
        if unit is None:
            raise UserError(f"数据库中没有单位「{unit_name}」")
    elif len(units) == 1:
        unit = units[0]
    elif len(units) > 1:
        name = (unit_values or {}).get("name")
        unit = next((u for u in units if u.name == name), None)
        if unit is None:
            raise UserError("数据库中有多个单位，请用 --unit 指定要导入到哪个单位")
    else:
        if not unit_values:
            raise UserError("数据库中还没有单位，工作簿中也没有「单位设置」工作表，无法确定导入到哪个单位")
        clean, found = validate_fields(UNIT_FIELDS, unit_values)
        problems += [Problem(p.field, p.label, p.message, sheet=UNIT_SHEET) for p in found if not p.warning]
        kind = clean.get("kind") if "kind" in unit_values else None
        unit = Unit("", clean.get("name") or "", kind or kind_from_name(clean.get("name")) or "镇", clean.get("county") or "",
                    clean.get("addressee") or "", clean.get("issuers") or [], clean.get("villages") or [])
    svc = RecordService(engine, unit)
    plans: list[SheetPlan] = []
    seen_ids: set[str] = set()
    sheet_of: dict[str, str] = {}
    for title, rows in book.grids.items():
        ledger = _ledger_for_sheet(title)
        if ledger is None:
            continue
        if ledger.key in sheet_of:
            problems.append(Problem("", "", f"工作表「{sheet_of[ledger.key]}」和「{title}」都是{ledger.name}，"
                                            "请把它们合并成一个工作表后再导入", sheet=title))
            continue
        sheet_of[ledger.key] = title
        found_header = _header(rows, ledger)
        if found_header is None:
            if any(any(v is not None for v in r) for r in rows):
                problems.append(Problem("", "", "找不到表头行（表头应为台账字段名称，如「日期」）", sheet=title))
            continue
        header_row, mapping = found_header
        missing = [f for f in ledger.fields if f.required and f.key not in mapping.values()]
        for f in missing:
            problems.append(Problem(f.key, f.label, "缺少这一必填列", sheet=title, row=header_row + 1))
        plan = SheetPlan(ledger, title)
        masked = 0
        existing = _existing(engine, unit, ledger, rows, mapping)
        formulas = book.formulas.get(title, frozenset())
        labels = {f.key: f.label for f in ledger.fields} | {"id": ID_HEADER}
        for r in range(header_row + 1, len(rows)):
            raw = {key: _cell(rows[r][c]) if c < len(rows[r]) else None for c, key in mapping.items()}
            if all(v is None for v in raw.values()):
                continue
            for c, key in mapping.items():
                if (r + 1, c + 1) not in formulas:
                    continue
                if raw[key] is None:
                    problems.append(Problem(key, labels[key], "是公式，但文件中没有保存计算结果。请在 Excel 或 WPS 中打开、"
                                            "保存后再导入", sheet=title, row=r + 1))
                    continue
                formula_notes += 1
                if formula_notes <= MAX_FORMULA_NOTES:
                    warnings.append(f"工作表「{title}」第{r + 1}行「{labels[key]}」是公式，按文件中保存的计算结果"
                                    f"「{str(raw[key])[:30]}」导入（导入的是数值，不是公式；如公式引用的内容改过而没有重新计算，"
                                    "请先在 Excel 或 WPS 中保存一次）")
            if all(_norm_header(rows[r][c]) == _norm_header(rows[header_row][c]) for c in mapping if c < len(rows[r])):
                continue  # the lower half of a header merged over two rows
            excel_row = r + 1
            record_id = raw.pop("id", None)
            if record_id == EXAMPLE_MARK:
                continue
            if record_id is not None:
                record_id = str(record_id).strip().lower()  # Excel's UPPER() or a clerk's typing: same record
                if not _UUID.match(record_id):
                    problems.append(Problem("id", ID_HEADER, f"「{record_id}」不是本程序生成的记录编号；新增记录请留空",
                                            sheet=title, row=excel_row))
                    continue
                if record_id in seen_ids:
                    problems.append(Problem("id", ID_HEADER, "与前面的行记录编号重复", sheet=title, row=excel_row))
                    continue
                seen_ids.add(record_id)
            current = existing.get(record_id) if record_id else None
            for f in ledger.fields:
                if f.type is FieldType.IDCARD and isinstance(raw.get(f.key), str) and "*" in raw[f.key]:
                    stored = (current or {}).get(f.key)
                    if stored and _masked_match(raw[f.key], stored):
                        raw[f.key] = stored
                    else:
                        raw[f.key] = None
                        masked += 1
            values = ({k: current[k] for k in (f.key for f in ledger.fields)} if current else {}) | raw
            clean, found = svc.validate(ledger, values)
            problems += [Problem(p.field, p.label, p.message, sheet=title, row=excel_row)
                         for p in found if not p.warning]
            warnings += [str(Problem(p.field, p.label, p.message, True, excel_row, title)) for p in found if p.warning]
            if current is None:
                plan.creates.append((record_id, clean))
            elif all(current[k] == v for k, v in clean.items()):
                plan.unchanged += 1
            else:
                plan.updates.append((record_id, clean))
        if masked:
            warnings.append(f"工作表「{title}」有 {masked} 行的身份证号是隐藏后的号码（如 6201**********1234），未导入；"
                            "在本单位电脑之间转移数据时，导出请加 --full-ids")
        plans.append(plan)
    if formula_notes > MAX_FORMULA_NOTES:
        warnings.append(f"另有 {formula_notes - MAX_FORMULA_NOTES} 个公式单元格同样按保存的计算结果导入")
    drafts = _read_drafts(book, problems)
    if not plans and not problems:
        raise UserError("工作簿中没有可导入的台账工作表（工作表名称应为台账名称，如「会议台账」「矛盾纠纷排查调处台账」）")
    if problems:
        raise ValidationError(problems)
    return ImportReport(plans, warnings, unit if unit.id else None, unit_created=not unit.id, drafts=drafts,
                        unit_values=unit_values)


def _masked_match(masked: str, full: str) -> bool:
    return len(masked) == len(full) and all(m == "*" or m == f for m, f in zip(masked, full, strict=True))


def _existing(engine: sa.Engine, unit: Unit, ledger: Ledger, rows, mapping) -> dict[str, dict[str, Any]]:
    """The stored records that rows of this sheet refer to by UUID (one query per 500 ids)."""
    id_col = next((c for c, k in mapping.items() if k == "id"), None)
    if id_col is None or not unit.id:
        return {}
    ids = [str(r[id_col]).strip().lower() for r in rows
           if id_col < len(r) and r[id_col] and _UUID.match(str(r[id_col]).strip())]
    t = ledger_table(ledger.key)
    found: dict[str, dict[str, Any]] = {}
    from fazhi_desktop.services.records import from_storage

    with engine.connect() as conn:
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for row in conn.execute(sa.select(t).where(t.c.id.in_(chunk))).mappings():
                if row["unit_id"] != unit.id:
                    raise UserError(f"工作表「{ledger.name}」中的记录编号 {row['id']} 属于另一个单位，不能导入到「{unit.name}」")
                found[row["id"]] = from_storage(ledger, row)
    return found


def run_import(engine: sa.Engine, path: str | os.PathLike, *, dry_run: bool = False, actor: str | None = None,
               unit_name: str | None = None, before_write=None) -> ImportReport:
    """Validate the whole workbook, then write all of it in one transaction — or nothing at all."""
    report = plan_import(engine, path, unit_name)
    report.dry_run = dry_run
    if dry_run or (report.created == 0 and report.updated == 0 and not report.unit_created and not report.drafts):
        return report
    if before_write:
        before_write()
    with engine.begin() as conn:
        unit = report.unit
        if unit is None:
            unit = create_unit(conn, report.unit_values or {}, actor or "导入")
            report.unit = unit
        svc = RecordService(engine, unit, actor)
        for plan in report.plans:
            if plan.creates:
                svc.insert_clean(conn, plan.ledger, plan.creates, action="import")
            for record_id, clean in plan.updates:
                svc.update_clean(conn, plan.ledger, record_id, clean)
        for year, values in report.drafts:
            reports_text.save_report_text(conn, unit, year, values, actor or "导入")
    return report
