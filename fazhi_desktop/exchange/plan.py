"""Reading a ledger workbook for import and planning what it would change — everything checked before anything is
written: every bad cell is listed with its sheet, row and field, and a single problem means nothing is imported."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain.errors import CHOOSE_UNIT, FULL_IDS, Notice, Problem, UserError, ValidationError
from fazhi_desktop.domain.fields import Ledger
from fazhi_desktop.domain.fingerprint import COLUMN as FINGERPRINT
from fazhi_desktop.domain.fingerprint import canonical
from fazhi_desktop.domain.roles import ADMIN_ONLY
from fazhi_desktop.domain.unit import REPORT_TEXT_FIELDS, UNIT_FIELDS, kind_from_name
from fazhi_desktop.domain.validation import validate_fields
from fazhi_desktop.exchange import guard, reader
from fazhi_desktop.exchange.layout import (
    DRAFT_SHEET,
    EXAMPLE_MARK,
    ID_HEADER,
    UNIT_SHEET,
    UUID,
    imported,
    ledger_for_sheet,
    norm_header,
)
from fazhi_desktop.exchange.reader import Book
from fazhi_desktop.runtime import child
from fazhi_desktop.services import accounts
from fazhi_desktop.services.records import RecordService, to_storage
from fazhi_desktop.services.units import Unit, list_units
from fazhi_desktop.storage.schema import ledger_table

OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # Compound File: .xls, or an encrypted .xlsx
MAX_FORMULA_NOTES = 20  # formula cells named one by one; the rest are counted


@dataclass
class SheetPlan:
    ledger: Ledger
    sheet: str
    creates: list[tuple[str | None, dict[str, Any]]] = field(default_factory=list)
    updates: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0
    duplicates: int = 0  # rows without 记录编号 equal to a stored record: the same workbook imported again
    stored: list[dict[str, Any]] | None = None  # each create's stored columns, once computed (to_storage)


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
                 + (f"，{p.unchanged} 条与现有记录相同" if p.unchanged else "")
                 + (f"，{p.duplicates} 行与已有记录完全相同（可能已导入过），不再新增" if p.duplicates else "")
                 for p in self.plans]
        if self.drafts:
            lines.append(f"{DRAFT_SHEET}：{len(self.drafts)} 个年度")
        return lines


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
    # The guard (sizes, last cells, merged ranges, formulas) scans the file while the reader, in its child with hard
    # limits, reads the sheets it names; what the guard refuses is refused, the child stopped and its answer unread.
    started: list[child.Running] = []
    try:
        shapes = guard.inspect(p, imported, lambda sheets: started.append(reader.start(p, sheets)))
    except BaseException:
        for reading in started:
            reading.stop()
        raise
    return reader.finish(p, started[0], shapes)  # inspect names the sheets before it returns


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()  # Excel keeps dates as datetimes; a ledger date has no time of day
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _header(rows: list[list[Any]], ledger: Ledger) -> tuple[int, dict[int, str]] | None:
    labels = {norm_header(f.label): f.key for f in ledger.fields}
    labels[norm_header(ID_HEADER)] = "id"
    for r, row in enumerate(rows[:10]):
        mapping = {}
        for c, value in enumerate(row):
            key = labels.get(norm_header(value))
            if key and key not in mapping.values():
                mapping[c] = key
        if len([k for k in mapping.values() if k != "id"]) >= min(2, len(ledger.fields)):
            return r, mapping
    return None


def _read_unit_sheet(book: Book) -> dict[str, Any] | None:
    if UNIT_SHEET not in book.grids:
        return None
    by_label = {norm_header(f.label): f for f in UNIT_FIELDS}
    values: dict[str, Any] = {}
    for row in book.grids[UNIT_SHEET]:
        if len(row) < 2:
            continue
        f = by_label.get(norm_header(row[0]))
        if f is None:
            continue
        values[f.key] = _cell(row[1])  # the field's kind splits lists as everywhere else
    return values or None


def _read_drafts(book: Book, problems: list[Problem]) -> list[tuple[int, dict[str, Any]]]:
    rows = book.grids.get(DRAFT_SHEET)
    if not rows:
        return []
    by_label = {norm_header(f.label): f for f in REPORT_TEXT_FIELDS}
    header = {c: by_label.get(norm_header(v)) for c, v in enumerate(rows[0])}
    drafts = []
    for n, row in enumerate(rows[1:], start=2):
        if not row or row[0] is None:
            continue
        values: dict[str, Any] = {}
        for c, f in header.items():
            if f is None or c >= len(row):
                continue
            values[f.key] = _cell(row[c])  # lists and the sections' JSON are read by the fields' kinds
        try:
            year = int(row[0])
        except (TypeError, ValueError):
            problems.append(Problem("year", "年度", f"「{row[0]}」不是年份", sheet=DRAFT_SHEET, row=n))
            continue
        clean, found = validate_fields(REPORT_TEXT_FIELDS, values)
        problems += [Problem(p.field, p.label, p.message, sheet=DRAFT_SHEET, row=n) for p in found if not p.warning]
        drafts.append((year, clean))
    return drafts


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
            raise UserError("数据库中有多个单位，工作簿的“单位设置”也没有指明导入到哪个单位", hint=CHOOSE_UNIT)
    else:
        if not unit_values:
            raise UserError("数据库中还没有单位，工作簿中也没有「单位设置」工作表，无法确定导入到哪个单位")
        clean, found = validate_fields(UNIT_FIELDS, unit_values)
        problems += [Problem(p.field, p.label, p.message, sheet=UNIT_SHEET) for p in found if not p.warning]
        kind = clean.get("kind") if "kind" in unit_values else None
        unit = Unit("", clean.get("name") or "", kind or kind_from_name(clean.get("name")) or "镇", clean.get("county") or "",
                    clean.get("addressee") or "", clean.get("issuers") or [], clean.get("villages") or [])
    svc = RecordService(engine, unit)
    # Whoever may not see full numbers learns nothing of a stored one from an import's plan (a dry run's 更新 0 or 1)
    sees_full = accounts.may(engine, svc.actor, ADMIN_ONLY)
    plans: list[SheetPlan] = []
    seen_ids: set[str] = set()
    sheet_of: dict[str, str] = {}
    for title, rows in book.grids.items():
        ledger = ledger_for_sheet(title)
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
            if all(norm_header(rows[r][c]) == norm_header(rows[header_row][c]) for c in mapping if c < len(rows[r])):
                continue  # the lower half of a header merged over two rows
            excel_row = r + 1
            record_id = raw.pop("id", None)
            if record_id == EXAMPLE_MARK:
                continue
            if record_id is not None:
                record_id = str(record_id).strip().lower()  # Excel's UPPER() or a clerk's typing: same record
                if not UUID.match(record_id):
                    problems.append(Problem("id", ID_HEADER, f"「{record_id}」不是本程序生成的记录编号；新增记录请留空",
                                            sheet=title, row=excel_row))
                    continue
                if record_id in seen_ids:
                    problems.append(Problem("id", ID_HEADER, "与前面的行记录编号重复", sheet=title, row=excel_row))
                    continue
                seen_ids.add(record_id)
            current = existing.get(record_id) if record_id else None
            typed_full = any(f.kind.personal and f.key in raw and raw[f.key] not in (None, "")
                             and not f.kind.is_masked(raw[f.key]) for f in ledger.fields)
            for f in ledger.fields:
                if f.key in raw and f.kind.is_masked(raw[f.key]):
                    raw[f.key] = f.kind.unmasked(raw[f.key], (current or {}).get(f.key))
                    masked += raw[f.key] is None
            values = ({k: current[k] for k in (f.key for f in ledger.fields)} if current else {}) | raw
            clean, found = svc.validate(ledger, values)
            problems += [Problem(p.field, p.label, p.message, sheet=title, row=excel_row)
                         for p in found if not p.warning]
            warnings += [str(Problem(p.field, p.label, p.message, True, excel_row, title)) for p in found if p.warning]
            if current is None:
                plan.creates.append((record_id, clean))
            elif all(current[k] == v for k, v in clean.items()) and (sees_full or not typed_full):
                plan.unchanged += 1  # (a full number typed by someone who may not see it is written again, always)
            else:
                plan.updates.append((record_id, clean))
        _drop_duplicates(engine, unit, plan)
        if plan.duplicates:
            warnings.append(f"工作表「{title}」有 {plan.duplicates} 行与已有记录完全相同（没有记录编号，可能是同一份工作簿"
                            "又导入了一次），这些行不再新增")
        if masked:
            warnings.append(Notice(f"工作表「{title}」有 {masked} 行的身份证号是隐藏后的号码（如 6201**********1234），"
                                   "未导入", hint=FULL_IDS))
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


def _drop_duplicates(engine: sa.Engine, unit: Unit, plan: SheetPlan) -> None:
    """New rows (no 记录编号) whose every field equals a stored, not deleted record of the unit are not created again:
    re-importing a workbook must not double the year's counts. Rows equal to each other within the workbook stay
    (two like events on one day are possible). The stored records are found by the rows' content fingerprints
    (indexed with the unit), and each match is confirmed on its values: the cost follows the rows brought, not the
    records stored (#38)."""
    ledger = plan.ledger
    plan.stored = [to_storage(ledger, clean) for _rid, clean in plan.creates]  # computed once: the insert reuses them
    fresh = [(i, plan.stored[i]) for i, (rid, _clean) in enumerate(plan.creates) if rid is None]
    if not fresh or not unit.id:
        return
    t = ledger_table(ledger.key)
    columns = [t.c[FINGERPRINT], *(t.c[f.key] for f in ledger.fields)]
    prints = list(dict.fromkeys(row[FINGERPRINT] for _i, row in fresh))
    stored: dict[str, dict[str, int]] = {}  # fingerprint → canonical text of equal stored records → how many
    with engine.connect() as conn:
        for n in range(0, len(prints), 500):
            statement = sa.select(*columns).where(t.c.unit_id == unit.id, t.c.deleted.is_(False),
                                                  t.c[FINGERPRINT].in_(prints[n:n + 500]))
            for row in conn.execute(statement).mappings():
                texts = stored.setdefault(row[FINGERPRINT], {})
                text = canonical(ledger, row)
                texts[text] = texts.get(text, 0) + 1
    drop = set()
    for i, row in fresh:
        texts = stored.get(row[FINGERPRINT])
        if texts:
            text = canonical(ledger, row)  # the values decide, not the digest
            if texts.get(text):
                texts[text] -= 1  # each stored record absorbs one equal row
                drop.add(i)
    if drop:
        plan.creates = [c for i, c in enumerate(plan.creates) if i not in drop]
        plan.stored = [r for i, r in enumerate(plan.stored) if i not in drop]
    plan.duplicates = len(drop)


def _existing(engine: sa.Engine, unit: Unit, ledger: Ledger, rows, mapping) -> dict[str, dict[str, Any]]:
    """The stored records that rows of this sheet refer to by UUID (one query per 500 ids)."""
    id_col = next((c for c, k in mapping.items() if k == "id"), None)
    if id_col is None or not unit.id:
        return {}
    ids = [str(r[id_col]).strip().lower() for r in rows
           if id_col < len(r) and r[id_col] and UUID.match(str(r[id_col]).strip())]
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
