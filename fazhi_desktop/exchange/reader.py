"""Reading a workbook for import, in a child process with hard memory and time limits.

The guard (``exchange.guard``) refuses what it can recognise as dangerous; this is the layer that holds whatever the
guard misses: calamine runs in a child process (``runtime.child``) capped at ``MEMORY_MB`` and ``SECONDS``, so a file
that makes it allocate half a terabyte or spin for an hour ends that child with a message, never the window.

Grids: row 0 is Excel's row 1 (so problems name the row the clerk sees), empty cells are None, merged ranges are
filled from their top-left cell, whole numbers are ints. Read with calamine (Rust): twenty times faster than openpyxl
on a workbook saved by Excel, WPS or LibreOffice, whose shared strings openpyxl parses object by object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.values import MAX_LONGTEXT
from fazhi_desktop.exchange import guard
from fazhi_desktop.runtime import child

MEMORY_MB = 2048
SECONDS = 120.0
# Characters of text all the grids of one reading may hold: 100,000 rows (the guard's most) of 15 filled columns at
# 16 characters each — far beyond a township's year — and bounded so the program's own process stays small.
MAX_TEXT_CHARS = 24_000_000
# What the child's answer may take on disk (UTF-8 JSON of MAX_TEXT_CHARS Chinese characters, with the grid around it).
MAX_ANSWER_BYTES = 3 * MAX_TEXT_CHARS + 64 * 1024 * 1024


@dataclass
class Book:
    """A workbook read for import: the grids of the sheets an import uses, and where its formulas are."""

    grids: dict[str, list[list[Any]]]
    formulas: dict[str, frozenset[tuple[int, int]]] = field(default_factory=dict)


def _value(value: Any) -> Any:
    """Values as openpyxl gave them: '' is an empty cell; a whole number is an int (Excel stores every number as
    a float, and 13812345678.0 is a phone number typed as a number)."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class _TextBudget:
    """The text a reading may hand back to the program (#33 M9): every character of the grids travels to the
    program's own process, where a 16 KB workbook (one long shared string in 7,000 cells) used to take 1.4 GB. A cell
    longer than any field holds, or more text in all than any real import, is refused in the child."""

    def __init__(self, limit: int = MAX_TEXT_CHARS):
        self.left = limit

    def take(self, sheet: str, rows: list[list[Any]]) -> None:
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if isinstance(value, str):
                    if len(value) > MAX_LONGTEXT:
                        raise UserError(f"工作表「{sheet}」第 {r} 行第 {c} 列的内容有 {len(value)} 个字，超过任何一栏能存的"
                                        f" {MAX_LONGTEXT} 字，文件可能被人为改动过。")
                    self.left -= len(value)
            if self.left < 0:
                raise UserError(f"工作表中的文字过多（超过 {MAX_TEXT_CHARS // 10_000} 万字），不像一年的台账，文件可能"
                                "被人为改动过。请把要导入的内容复制到新工作簿、保存后再导入。")


def _sheet_grid(sheet: Any) -> list[list[Any]]:
    rows = [[_value(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or []:
        value = rows[top][left] if top < len(rows) and left < len(rows[top]) else None
        for r in range(top, min(bottom + 1, len(rows))):
            for c in range(left, min(right + 1, len(rows[r]))):
                rows[r][c] = value
    return rows


def read_grids(request: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """In the child: the named worksheets' grids. The file is opened by its content (always as an .xlsx — the guard
    has made sure it is one), never by its extension."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

    path, names = request["path"], set(request["sheets"])
    try:
        with open(path, "rb") as fh, CalamineWorkbook.from_filelike(fh) as wb:
            found = [m.name for m in wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet and m.name in names]
            budget, grids = _TextBudget(), {}
            for name in found:
                grids[name] = _sheet_grid(wb.get_sheet_by_name(name))
                budget.take(name, grids[name])
            return grids
    except (CalamineError, OSError, ValueError) as exc:
        raise UserError(f"「{Path(path).name}」不是有效的 Excel 工作簿，或文件已损坏（{exc}）") from exc


def read_workbook(path: Path, shapes: list[guard.SheetShape]) -> Book:
    """The sheets the guard passed, read in a child process with hard limits."""
    return finish(path, start(path, [s.name for s in shapes]), shapes)


def start(path: Path, sheets: list[str]) -> child.Running:
    """The child reading ``sheets``, started: the guard scans the same file meanwhile (``exchange.plan``)."""
    return child.start("read-workbook", {"path": str(path), "sheets": list(sheets)}, seconds=SECONDS,
                       memory_mb=MEMORY_MB, max_answer_bytes=MAX_ANSWER_BYTES)


def finish(path: Path, reading: child.Running, shapes: list[guard.SheetShape]) -> Book:
    """The child's grids of the sheets the guard passed, with their formulas' places."""
    try:
        grids = reading.result()
    except child.ChildFailed as exc:
        if exc.reason == "refused":
            raise UserError(exc.detail) from None
        why = {"time": f"读取超过 {SECONDS:g} 秒仍未完成", "memory": "读取时占用的内存超过了上限"}.get(
            exc.reason, "读取时出错")
        raise UserError(f"「{path.name}」无法导入：{why}，文件可能被人为改动过或已损坏。请在 Excel 或 WPS 中把要导入的内容"
                        "复制到新工作簿、保存后再导入。") from None
    passed = {s.name for s in shapes}
    return Book({name: grid for name, grid in grids.items() if name in passed}, {s.name: s.formulas for s in shapes})
