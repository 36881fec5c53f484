"""考核自评表: the county's scoring sheet in its own columns, with 自评得分 from the ledgers and an empty 考核得分."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from fazhi_desktop.domain.scoring import COUNTY_COLUMNS, Scored
from fazhi_desktop.office.xlsx_sheets import HEADER_STYLE, write_titled_table
from fazhi_desktop.reports.render.xlsx import filler_line
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage.atomic import atomic_stream


def _number(d: Decimal | None) -> int | float | None:
    """A score the county can add up: a number in its cell, not text."""
    if d is None:
        return None
    return int(d) if d == d.to_integral() else float(d)


def write_score_workbook(unit: Unit, year: int, scored: list[Scored], out: str | os.PathLike) -> Path:
    rows = [[*s.item.texts[:2], _number(s.item.points), *s.item.texts[3:], _number(s.score), None, s.note]
            for s in scored]
    total = sum((s.item.points for s in scored), Decimal(0))
    own = sum((s.score for s in scored if s.score is not None), Decimal(0))
    rows.append(["合计", "", _number(total), "", "", _number(own), None, "自评得分不含需由考核组评分的项目"])
    bold = {(len(rows) - 1, c): HEADER_STYLE for c in range(1, 9)}
    wb = Workbook(write_only=True)
    write_titled_table(wb.create_sheet("考核自评"), f"{unit.name}{year}年法治政府建设考核自评表", filler_line(unit),
                       [*COUNTY_COLUMNS, "自评得分", "考核得分", "自评说明"], rows, cell_styles=bold)
    with atomic_stream(out) as tmp:
        wb.save(tmp)
    return Path(out)
