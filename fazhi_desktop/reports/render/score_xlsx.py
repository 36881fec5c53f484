"""考核自评表: the county's sheet in its own columns and order (its title, 序号, 考核方法, heading rows…), 自评得分 and
自评说明 filled (in the county's own columns when it has them, else added), 考核得分 left empty for the 考核组."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from fazhi_desktop.domain.scoring import Scored, ScoreSheet, shown, total
from fazhi_desktop.office.xlsx_sheets import HEADER_STYLE, write_titled_table
from fazhi_desktop.reports.render.xlsx import filler_line
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage.atomic import atomic_stream


def _number(d: Decimal | None) -> int | float | None:
    """A score the county can add up: a number in its cell, not text."""
    if d is None:
        return None
    return int(d) if d == d.to_integral() else float(d)


def layout(sheet: ScoreSheet) -> tuple[list[str], int, int, int]:
    """The printed header and where 自评得分, 考核得分 and 自评说明 go (0-based): the county's own columns first."""
    headers = list(sheet.columns)

    def place(found: int | None, name: str) -> int:
        if found is not None:
            return found
        headers.append(name)
        return len(headers) - 1

    return headers, place(sheet.self_col, "自评得分"), place(sheet.review_col, "考核得分"), place(sheet.note_col, "自评说明")


def write_score_workbook(unit: Unit, year: int, sheet: ScoreSheet, scored: list[Scored], out: str | os.PathLike) -> Path:
    headers, own_col, review_col, note_col = layout(sheet)
    lines: list[tuple[int, list[Any]]] = []
    for row, texts in sheet.headings:
        lines.append((row, [*texts, *[None] * (len(headers) - len(texts))]))
    for s in scored:
        cells: list[Any] = [*s.item.cells(), *[None] * (len(headers) - len(s.item.texts))]
        if s.item.points is not None:
            cells[sheet.points_col] = _number(s.item.points)
        cells[own_col] = "一票否决" if s.vetoed else _number(s.score)
        cells[review_col] = None  # the 考核组's
        cells[note_col] = s.note
        lines.append((s.item.row, cells))
    rows = [cells for _row, cells in sorted(lines, key=lambda line: line[0])]
    t = total(scored)
    last = [None] * len(headers)
    last[0] = "合计"
    last[sheet.points_col] = _number(t.points)
    last[own_col] = "一票否决" if t.vetoed else _number(t.own)
    notes = [f"自评得分不含需由考核组评分的 {t.manual} 项" if t.manual else "各项均由台账自评"]
    if t.applicable != t.points:
        notes.append(f"可自评项目的满分合计 {shown(t.applicable)} 分")
    if t.bonus:
        notes.append(f"含加分 {shown(t.bonus)} 分")
    last[note_col] = "；".join(notes)
    rows.append(last)
    bold = {(len(rows) - 1, c): HEADER_STYLE for c in range(1, len(headers) + 1)}
    title = f"{unit.name}{year}年度考核自评表" + (f"（{sheet.title}）" if sheet.title else "")
    wb = Workbook(write_only=True)
    write_titled_table(wb.create_sheet("考核自评"), title, filler_line(unit), headers, rows, cell_styles=bold)
    with atomic_stream(out) as tmp:
        wb.save(tmp)
    return Path(out)
