"""Reading a county's 考核细则 workbook (domain.scoring): through the same guard and boxed reader as a ledger import,
every value checked; a mistake names its row and column, and nothing of the sheet becomes a formula or a path."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.fields import bad_character
from fazhi_desktop.domain.scoring import BY_LABEL, COUNTY_COLUMNS, RULE_COLUMNS, ScoreItem
from fazhi_desktop.exchange import guard, reader

MAX_ITEMS = 500
MAX_TEXT = 2000
HEADER_ROWS = 10  # the header is found within the first rows (a title may come first)


def _number(value: Any, where: str, low: Decimal, high: Decimal) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().removesuffix("%").removesuffix("分").removesuffix("次"))
    except InvalidOperation:
        raise UserError(f"{where}应为数字，现为「{str(value)[:20]}」") from None
    if not number.is_finite() or not low <= number <= high:
        raise UserError(f"{where}应在 {low} 到 {high} 之间，现为「{str(value)[:20]}」")
    return number


def _text(value: Any, where: str) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > MAX_TEXT:
        raise UserError(f"{where}超过 {MAX_TEXT} 个字")
    problem = bad_character(text)
    if problem:
        raise UserError(f"{where}{problem}")
    return text


def read_sheet(path: str | Path) -> tuple[str, list[ScoreItem]]:
    """(the sheet's name, its items) from the first worksheet whose header holds 考核项目 and 分值."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"找不到考核细则文件：{path}")
    shapes = guard.inspect(path, lambda name: True)
    book = reader.read_workbook(path, shapes)
    for sheet, grid in book.grids.items():
        for r, row in enumerate(grid[:HEADER_ROWS]):
            names = [str(v).strip() if v is not None else "" for v in row]
            if "考核项目" in names and "分值" in names:
                _no_formula_without_value(sheet, grid, book.formulas.get(sheet, frozenset()))
                return sheet, _items(path.name, sheet, grid, r, names)
    raise UserError(f"「{path.name}」中没有找到考核细则：需要一个表头含“考核项目”“分值”的工作表。"
                    f"列为：{'、'.join(COUNTY_COLUMNS + RULE_COLUMNS)}。")


def _no_formula_without_value(sheet: str, grid: list[list[Any]], formulas: frozenset[tuple[int, int]]) -> None:
    """A formula whose result the file does not hold (written by a program that does not calculate) reads as an
    empty cell: a 分值 or 考核项目 would silently vanish. The county is asked to save it from Excel or WPS."""
    for row, column in sorted(formulas):
        r, c = row - 1, column - 1
        if r < len(grid) and c < len(grid[r]) and grid[r][c] is None:
            raise UserError(f"「{sheet}」第 {row} 行第 {column} 列是公式，但文件中没有保存它的计算结果。请在 Excel 或"
                            " WPS 中打开这个考核细则、保存一次后再导入。")


def _items(file: str, sheet: str, grid: list[list[Any]], header: int, names: list[str]) -> list[ScoreItem]:
    col = {name: names.index(name) for name in (*COUNTY_COLUMNS, *RULE_COLUMNS) if name in names}
    items: list[ScoreItem] = []
    for r in range(header + 1, len(grid)):
        row = grid[r]

        def cell(name: str, row=row) -> Any:
            i = col.get(name)
            return row[i] if i is not None and i < len(row) else None

        texts = tuple(_text(cell(name), f"「{sheet}」第 {r + 1} 行「{name}」") for name in COUNTY_COLUMNS)
        if not any(texts) and cell("统计指标") in (None, ""):
            continue
        where = f"「{sheet}」第 {r + 1} 行"
        points = _number(cell("分值"), f"{where}「分值」", Decimal(0), Decimal(1000))
        if points is None:
            raise UserError(f"{where}没有填写「分值」")
        label = _text(cell("统计指标"), f"{where}「统计指标」")
        indicator = None
        if label:
            if label not in BY_LABEL:
                raise UserError(f"{where}「统计指标」没有名为「{label[:30]}」的指标。可用的指标见“统计”页，"
                                "例如：" + "、".join(list(BY_LABEL)[:6]) + "等。")
            indicator = BY_LABEL[label].key
        target = _number(cell("达标值"), f"{where}「达标值」", Decimal(0), Decimal(10**9))
        per_unit = _number(cell("每少一个单位扣分"), f"{where}「每少一个单位扣分」", Decimal(0), Decimal(1000))
        if indicator is None and (target is not None or per_unit is not None):
            raise UserError(f"{where}填了达标值或扣分，但没有填「统计指标」")
        items.append(ScoreItem(r + 1, texts, points, indicator, target, per_unit))
        if len(items) > MAX_ITEMS:
            raise UserError(f"「{file}」的考核项目超过 {MAX_ITEMS} 项")
    if not items:
        raise UserError(f"「{file}」的工作表「{sheet}」没有考核项目")
    return items
