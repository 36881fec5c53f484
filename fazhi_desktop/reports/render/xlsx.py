"""The statistics workbook (统计表): 统计总表, cross tables, and one print-ready sheet per ledger."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from openpyxl import Workbook

from fazhi_desktop.domain.fields import Field, FieldType, Ledger
from fazhi_desktop.domain.indicators import INDICATORS
from fazhi_desktop.domain.ledgers import LEDGERS, TEN_ENTRIES
from fazhi_desktop.office.xlsx_sheets import (
    HEADER_STYLE,
    MONEY_STYLE,
    PERCENT_STYLE,
    POINTS_STYLE,
    text_width,
    write_titled_table,
)
from fazhi_desktop.services import listing, privacy, stats
from fazhi_desktop.services.actor import default_actor
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage.atomic import atomic_stream
from fazhi_desktop.storage.schema import ledger_table

SUMMARY_HEADERS = ("序号", "类别", "指标", "单位", "本年", "上年", "增减")


def filler_line(unit: Unit) -> str:
    person = unit.contact or "　　　　"
    return f"填报单位：{unit.name}（盖章）　　　　填报人：{person}　　　　填报日期：　　　　年　　月　　日"


def _stored_cell(f: Field) -> Callable[[Any], Any]:
    """A stored value as the cell of a ledger sheet (the field's kind decides; most are written as stored)."""
    kind = f.kind
    if kind.cell_is_stored:
        return lambda stored: stored
    return lambda stored: kind.cell(kind.loaded(stored))


def _summary_rows(current: dict, previous: dict) -> list[list[Any]]:
    rows, n = [], 0
    for ind in INDICATORS:
        now, before = current[ind.key], previous[ind.key]
        if ind.kind == "breakdown":
            for sub in dict.fromkeys([*now, *before]):
                a, b = now.get(sub, 0), before.get(sub, 0)
                if a or b:
                    n += 1
                    rows.append([n, ind.category, f"{ind.label}—{sub}", ind.unit, a, b, a - b])
            continue
        n += 1
        if ind.kind == "rate":
            # 增减 of a rate in 百分点 (75% after 80% is −5.0个百分点, not −5.0%).
            rows.append([n, ind.category, ind.label, ind.unit, now, before,
                         None if now is None or before is None else round((now - before) * 100, 1)])
        else:
            rows.append([n, ind.category, ind.label, ind.unit, now, before, now - before])
    return rows


def _ledger_rows(conn: sa.Connection, unit: Unit, ledger: Ledger, year: int) -> list[list[Any]]:
    # The records the summary counts, by the same rules (a contract up to the 成文日期, domain.periods).
    query = listing.ListQuery(ledger.key, year=year, sort_key=ledger.sheet_order or ledger.year_from,
                              ref_date=stats.reference_date(conn, unit, year))
    printed = printed_fields(ledger)
    converters = [(i, _stored_cell(f)) for i, f in enumerate(printed, start=1) if not f.kind.cell_is_stored]
    rows = []
    for n, stored in enumerate(listing.field_rows(conn, unit, query, printed), start=1):
        row = [n, *stored]
        for i, convert in converters:
            if row[i] is not None:
                row[i] = convert(row[i])
        rows.append(row)
    return rows


def printed_fields(ledger: Ledger) -> list[Field]:
    return [f for f in ledger.fields if f.printed]


def is_long_roster(ledger: Ledger) -> bool:
    """A roster of people in force over the years (法治人才名册): hundreds of names, one page for every thirty."""
    return ledger.in_force and ledger.year_field.type is FieldType.YEAR


def write_statistics_workbook(engine: sa.Engine, unit: Unit, year: int, out: str | os.PathLike, *,
                              full_rosters: bool = False, actor: str | None = None) -> Path:
    """The workbook for ``unit`` and ``year``. A long roster prints as counts by village and category unless
    ``full_rosters`` asks for every name (the whole roster is always in the export workbook). Its ledger sheets
    name people (their ID and phone numbers masked), so the file is logged."""
    wb = Workbook(write_only=True)
    rows = 0
    with engine.connect() as conn:
        current, previous = stats.compute_with_previous(conn, unit, year)
        summary = _summary_rows(current, previous)
        # A year before without a single record has no figures: its zeros would print as 「上年 0，增减 +N」 (#34).
        had_previous = year - 1 in listing.years_in_use(conn, unit)
        rates: dict[tuple[int, int], str] = {}
        for i, row in enumerate(summary):
            if not had_previous:
                row[5] = row[6] = "—"
            if row[3] == "%":
                for c in (5, 6, 7):
                    if row[c - 1] is None:
                        row[c - 1] = "—"
                    elif row[c - 1] != "—":
                        rates[(i, c)] = POINTS_STYLE if c == 7 else PERCENT_STYLE
        write_titled_table(wb.create_sheet("统计总表"), f"{unit.name}{year}年法治建设统计总表", filler_line(unit),
                           SUMMARY_HEADERS, summary, cell_styles=rates,
                           min_widths={7: text_width("+100.0个百分点") + 2} if rates else None)

        _cross_sheet(wb, "矛盾纠纷交叉表", f"{unit.name}{year}年矛盾纠纷分类统计表", unit, [
            ("纠纷类别 × 风险等级", stats.cross_table(conn, unit, year, "dispute", "category", "risk")),
            ("纠纷类别 × 状态", stats.cross_table(conn, unit, year, "dispute", "category", "status")),
        ])
        by_target = stats.cross_table(conn, unit, year, "publicity", "kind", "target", ("kind", TEN_ENTRIES))
        _cross_sheet(wb, "普法宣传交叉表", f"{unit.name}{year}年普法宣传活动分类统计表", unit, [
            ("活动类型 × 进入对象（法律十进）", by_target),
            ("活动类型", {k: {"场次": n} for k, n in current["publicity.by_kind"].items()}),
        ])
        for ledger in LEDGERS:
            if is_long_roster(ledger) and not full_rosters:
                _roster_summary(conn, wb, unit, ledger, year)
                continue
            headers = ["序号", *(f.label for f in printed_fields(ledger))]
            formats = {i: MONEY_STYLE for i, f in enumerate(printed_fields(ledger), start=2) if f.kind.storage == "money"}
            records = _ledger_rows(conn, unit, ledger, year)
            rows += len(records)
            write_titled_table(wb.create_sheet(ledger.name[:31]), f"{unit.name}{year}年{ledger.name}",
                               filler_line(unit), headers, records, formats)
    with atomic_stream(out) as tmp:
        wb.save(tmp)
    privacy.log_export(engine, unit, actor or default_actor(), f"{year}年统计表", out, rows)
    return Path(out)


def _roster_summary(conn: sa.Connection, wb: Workbook, unit: Unit, ledger: Ledger, year: int) -> None:
    """村 × 类别 of the people in force in ``year``, and how many of them were registered in it."""
    t = ledger_table(ledger.key)
    query = listing.ListQuery(ledger.key, year=year)
    where = listing.where_of(unit, query)
    categories = list(ledger.field("category").choices)
    counts: dict[str, dict[str, int]] = {}
    for village, category, n in conn.execute(sa.select(t.c.village, t.c.category, sa.func.count()).where(*where)
                                             .group_by(t.c.village, t.c.category)):
        counts.setdefault(village or "", {})[category] = n
    fresh = dict(conn.execute(sa.select(t.c.category, sa.func.count()).where(*where, t.c.year == year)
                              .group_by(t.c.category)).all())
    used = [c for c in categories if any(row.get(c) for row in counts.values())] or categories[:1]
    villages = [v for v in unit.villages if v in counts] + [v for v in counts if v not in unit.villages]
    rows: list[list[Any]] = []
    for n, village in enumerate(villages, start=1):
        row = counts[village]
        rows.append([n, village or "（未填）", *(row.get(c, 0) for c in used), sum(row.get(c, 0) for c in used)])
    totals = [sum(counts[v].get(c, 0) for v in villages) for c in used]
    rows.append(["", "合计", *totals, sum(totals)])
    rows.append(["", f"其中{year}年新登记", *(fresh.get(c, 0) for c in used), sum(fresh.get(c, 0) for c in used)])
    bold = {(i, c): HEADER_STYLE for i in (len(rows) - 2, len(rows) - 1) for c in range(1, len(used) + 4)}
    write_titled_table(wb.create_sheet(ledger.name[:31]), f"{unit.name}{year}年{ledger.name}（分村汇总）",
                       filler_line(unit), ["序号", "所在村", *used, "合计"], rows, cell_styles=bold)


def _cross_sheet(wb: Workbook, name: str, title: str, unit: Unit, tables: list[tuple[str, dict]]) -> None:
    """Several two-way tables one under another, each with its own header row and a 合计 row (and a 合计 column when
    it has more than one column: one column is its own total). Rows with nothing in them are left out, so a clerk
    sees what happened, not every choice the ledger offers."""
    rows: list[list[Any]] = []
    emphasised: list[int] = []  # sub-headers and totals, as indexes into rows
    for caption, table in tables:
        cols = list(next(iter(table.values()), {}).keys())
        with_total = len(cols) > 1
        if rows:
            rows.append([])
            emphasised.append(len(rows))
        rows.append([caption, *cols, *(["合计"] if with_total else [])])
        totals = dict.fromkeys(cols, 0)
        for row_name, counts in table.items():
            if not any(counts.values()):
                continue
            rows.append([row_name, *(counts[c] for c in cols), *([sum(counts.values())] if with_total else [])])
            for c in cols:
                totals[c] += counts[c]
        emphasised.append(len(rows))
        rows.append(["合计", *(totals[c] for c in cols), *([sum(totals.values())] if with_total else [])])
    body = rows[1:]
    bold = {(i - 1, c): HEADER_STYLE for i in emphasised for c in range(1, len(rows[i]) + 1)}
    write_titled_table(wb.create_sheet(name), title, filler_line(unit), rows[0], body, cell_styles=bold)
