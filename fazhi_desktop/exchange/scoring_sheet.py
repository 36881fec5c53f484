"""A county's 考核细则 workbook (domain.scoring) read as it comes, and written back with its 自评规则.

Read through the same guard and boxed reader as a ledger import, every value checked: the header is found by its
synonyms, the title and every column of the county's kept, merged cells read from their top-left cell, 「6分」 read as 6;
a mistake names its row and column, and nothing of the sheet becomes a formula or a path. The rules are read from the
hidden 「自评规则」 sheet, or from the three rule columns of the first format (统计指标, 达标值, 每少一个单位扣分).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.fields import bad_character
from fazhi_desktop.domain.scoring import (
    INLINE_COLUMNS,
    ITEM_HEADERS,
    KINDS,
    MAX_POINTS,
    MORE,
    NOT_APPLICABLE,
    NOTE_HEADERS,
    POINTS_HEADERS,
    REVIEW_HEADERS,
    RULES_COLUMNS,
    RULES_SHEET,
    SELF_HEADERS,
    TOTAL_WORDS,
    VETO,
    WHEN_NONE,
    Criterion,
    ScoreItem,
    ScoreSheet,
    SheetProblem,
    clean_header,
    number,
)
from fazhi_desktop.exchange import guard, reader
from fazhi_desktop.services import score_figures

MAX_ITEMS = 500
MAX_TEXT = 2000
MAX_COLUMNS = 30
HEADER_ROWS = 10  # the header is found within the first rows (a title may come first)
MAX_CRITERIA = 10  # rules on one row


def _text(value: Any, where: str) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > MAX_TEXT:
        raise UserError(f"{where}超过 {MAX_TEXT} 个字")
    problem = bad_character(text)
    if problem:
        raise UserError(f"{where}{problem}")
    return text


def _figure(name: str, where: str) -> str:
    if name and not score_figures.known(name):
        raise UserError(f"{where}「统计指标」没有名为「{name[:30]}」的指标或统计数据。可用的名称见“统计”页，例如："
                        + "、".join(score_figures.examples()) + "；分项写作“法律十进（分对象）：进学校”。")
    return name


def _num(value: Any, where: str, high: Decimal = Decimal(10**9)) -> Decimal | None:
    try:
        return number(value, where, high=high)
    except SheetProblem as exc:
        raise UserError(str(exc)) from None


def _first(headers: list[str], names: Iterable[str]) -> int | None:
    for name in names:
        if name in headers:
            return headers.index(name)
    return None


def read_sheet(path: str | Path) -> ScoreSheet:
    """The county's sheet: the first worksheet whose header (within its first rows) names an item column (考核项目,
    考核内容…) and a points column (分值, 标准分, 满分…), with the rules the workbook carries."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"找不到考核细则文件：{path}")
    shapes = guard.inspect(path, lambda name: True)
    book = reader.read_workbook(path, shapes)
    for sheet, grid in book.grids.items():
        if sheet == RULES_SHEET:
            continue
        for r, row in enumerate(grid[:HEADER_ROWS]):
            headers = [clean_header(v) for v in row]
            if _first(headers, ITEM_HEADERS) is not None and _first(headers, POINTS_HEADERS) is not None:
                _no_formula_without_value(sheet, grid, book.formulas.get(sheet, frozenset()))
                found = _sheet(path.name, sheet, grid, r, headers)
                rules = book.grids.get(RULES_SHEET)
                if rules is not None:
                    _no_formula_without_value(RULES_SHEET, rules, book.formulas.get(RULES_SHEET, frozenset()))
                    found = _with_rules(found, rules)
                return found
    raise UserError(f"「{path.name}」中没有找到考核细则：需要一个表头含“考核项目”（或“考核内容”）和“分值”（或“标准分”"
                    "“满分”）的工作表。")


def _no_formula_without_value(sheet: str, grid: list[list[Any]], formulas: frozenset[tuple[int, int]]) -> None:
    """A formula whose result the file does not hold (written by a program that does not calculate) reads as an
    empty cell: a 分值 or 考核项目 would silently vanish. The county is asked to save it from Excel or WPS."""
    for row, column in sorted(formulas):
        r, c = row - 1, column - 1
        if r < len(grid) and c < len(grid[r]) and grid[r][c] is None:
            raise UserError(f"「{sheet}」第 {row} 行第 {column} 列是公式，但文件中没有保存它的计算结果。请在 Excel 或"
                            " WPS 中打开这个考核细则、保存一次后再导入。")


def _sheet(file: str, sheet: str, grid: list[list[Any]], header: int, headers: list[str]) -> ScoreSheet:
    raw = grid[header]
    while headers and not headers[-1]:
        headers = headers[:-1]
    if len(headers) > MAX_COLUMNS:
        raise UserError(f"「{sheet}」的表头超过 {MAX_COLUMNS} 列")
    inline = {name: headers.index(name) for name in INLINE_COLUMNS if name in headers}
    own = [i for i in range(len(headers)) if i not in inline.values()]  # the county's columns, rule columns aside
    columns = tuple(_text(raw[i], f"「{sheet}」表头第 {i + 1} 列") or f"第{i + 1}列" for i in own)
    names = [headers[i] for i in own]
    item_cols = [i for i, name in enumerate(names) if name in ITEM_HEADERS]
    points_col = _first(names, POINTS_HEADERS)
    assert points_col is not None and item_cols
    title = " ".join(dict.fromkeys(_text(v, f"「{sheet}」第 {r + 1} 行") for r in range(header) for v in grid[r]
                                   if v not in (None, "")))
    items: list[ScoreItem] = []
    headings: list[tuple[int, tuple[str, ...]]] = []
    for r in range(header + 1, len(grid)):
        row = grid[r]

        def cell(i: int | None, row=row) -> Any:
            return row[i] if i is not None and i < len(row) else None

        where = f"「{sheet}」第 {r + 1} 行"
        texts = tuple(_text(cell(own[i]), f"{where}「{columns[i]}」") for i in range(len(own)))
        rule_label = _figure(_text(cell(inline.get("统计指标")), f"{where}「统计指标」"), where)
        if not any(texts) and not rule_label:
            continue
        if any(texts[i] in TOTAL_WORDS for i in (0, *item_cols)):
            continue  # the county's 合计 row: the output adds up its own
        points_text = texts[points_col]
        veto = "否决" in points_text
        bonus = "加分" in points_text or any("加分" in texts[i] for i in item_cols)
        points = None if veto else _num(_points_text(points_text, bonus), f"{where}「{columns[points_col]}」",
                                        high=MAX_POINTS)
        if points is None and not veto:
            headings.append((r + 1, texts))  # a heading row (一、组织领导) or a note: kept, not scored
            continue
        criteria: tuple[Criterion, ...] = ()
        if rule_label:
            criteria = (Criterion(rule_label, MORE, None, _num(cell(inline.get("达标值")), f"{where}「达标值」"),
                                  _num(cell(inline.get("每少一个单位扣分")), f"{where}「每少一个单位扣分」",
                                       high=MAX_POINTS)),)
        elif any(cell(inline.get(n)) not in (None, "") for n in INLINE_COLUMNS[1:]):
            raise UserError(f"{where}填了达标值或扣分，但没有填「统计指标」")
        numbers = tuple(v if isinstance(v := cell(i), int | float) and not isinstance(v, bool) else None for i in own)
        items.append(ScoreItem(r + 1, texts, points, criteria, bonus=bonus, veto=veto, numbers=numbers))
        if len(items) > MAX_ITEMS:
            raise UserError(f"「{file}」的考核项目超过 {MAX_ITEMS} 项")
    if not items:
        raise UserError(f"「{file}」的工作表「{sheet}」没有考核项目（有分值的行）")
    return ScoreSheet(sheet, title, columns, tuple(items), item_cols[0], points_col,
                      self_col=_first(names, SELF_HEADERS), review_col=_first(names, REVIEW_HEADERS),
                      note_col=_first(names, NOTE_HEADERS), rules_found=bool(inline), headings=tuple(headings),
                      item_cols=tuple(item_cols))


def _points_text(text: str, bonus: bool) -> str:
    """「加分项，最高2分」's number: the words around a bonus's points are the county's, the number is the rule's."""
    if bonus and "加分" in text:
        found = re.search(r"(\d+(?:\.\d+)?)\s*分", text)
        return found.group(1) if found else text
    return text


def _with_rules(sheet: ScoreSheet, grid: list[list[Any]]) -> ScoreSheet:
    """The rules of 「自评规则」 attached to their rows, each line checked; a line whose row no longer says what the
    rule was written for (the county inserted a row) is refused, never scored against another item."""
    if not grid:
        return sheet
    headers = [clean_header(v) for v in grid[0]]
    col = {name: headers.index(clean_header(name)) for name in RULES_COLUMNS if clean_header(name) in headers}
    if "行号" not in col or "统计指标" not in col:
        raise UserError(f"「{RULES_SHEET}」工作表第 1 行应为表头：{'、'.join(RULES_COLUMNS)}")
    by_row = {item.row: item for item in sheet.items}
    found: dict[int, list[Criterion]] = {}
    for r in range(1, len(grid)):
        row = grid[r]

        def cell(name: str, row=row) -> Any:
            i = col.get(name)
            return row[i] if i is not None and i < len(row) else None

        where = f"「{RULES_SHEET}」第 {r + 1} 行"
        figure = _figure(_text(cell("统计指标"), f"{where}「统计指标」"), where)
        if not figure:
            continue  # a line left for the 考核组
        line = _num(cell("行号"), f"{where}「行号」", high=Decimal(10**6))
        item = by_row.get(int(line)) if line is not None and line == int(line) else None
        if item is None:
            raise UserError(f"{where}的「行号」{cell('行号')} 不是「{sheet.name}」中一个有分值的考核项目的行")
        check = _text(cell("考核内容（核对用）"), f"{where}「考核内容（核对用）」")
        if check and not all(part in " ".join(item.texts) for part in check.split()):
            raise UserError(f"{where}是为「{check[:30]}」设的规则，但「{sheet.name}」第 {item.row} 行现在是"
                            f"「{sheet.words(item)[:30]}」：细则可能插入或删除了行，请重新设置自评规则。")
        kind = _text(cell("规则"), f"{where}「规则」") or MORE
        if kind not in KINDS:
            raise UserError(f"{where}「规则」应为{'、'.join(KINDS)}之一，现为「{kind[:20]}」")
        when = _text(cell("无可计算数据时"), f"{where}「无可计算数据时」") or NOT_APPLICABLE
        if when not in WHEN_NONE:
            raise UserError(f"{where}「无可计算数据时」应为{'、'.join(WHEN_NONE)}之一，现为「{when[:20]}」")
        found.setdefault(item.row, []).append(Criterion(
            figure, kind, _num(cell("分值"), f"{where}「分值」", high=MAX_POINTS),
            _num(cell("达标值"), f"{where}「达标值」"), _num(cell("每单位分值"), f"{where}「每单位分值」", high=MAX_POINTS),
            _num(cell("上限"), f"{where}「上限」", high=MAX_POINTS), when))
    return apply_rules(sheet, found)


def apply_rules(sheet: ScoreSheet, rules: dict[int, list[Criterion]]) -> ScoreSheet:
    """The sheet with ``rules`` (row → its rules; a row left out keeps none): several rules on a row must share its
    points exactly."""
    items = []
    for item in sheet.items:
        criteria = rules.get(item.row) or []
        _check_shares(sheet, item, criteria)
        items.append(ScoreItem(item.row, item.texts, item.points, tuple(criteria), item.bonus,
                               item.veto or bool(criteria) and all(c.kind == VETO for c in criteria), item.numbers))
    return ScoreSheet(sheet.name, sheet.title, sheet.columns, tuple(items), sheet.item_col, sheet.points_col,
                      sheet.self_col, sheet.review_col, sheet.note_col, True, sheet.headings, sheet.item_cols)


def _check_shares(sheet: ScoreSheet, item: ScoreItem, criteria: list[Criterion]) -> None:
    where = f"「{sheet.name}」第 {item.row} 行"
    if len(criteria) > MAX_CRITERIA:
        raise UserError(f"{where}的自评规则超过 {MAX_CRITERIA} 条")
    scored = [c for c in criteria if c.kind != VETO]
    if len(scored) < 2 or item.points is None:
        return
    if any(c.points is None for c in scored):
        raise UserError(f"{where}有 {len(scored)} 条自评规则：每条都要写它占的「分值」（合计为该行的 {item.points} 分）")
    if sum((c.points for c in scored if c.points is not None), Decimal(0)) != item.points:
        got = sum((c.points for c in scored if c.points is not None), Decimal(0))
        raise UserError(f"{where}各条自评规则的分值合计 {got} 分，与该行的分值 {item.points} 分不符")


def rule_lines(sheet: ScoreSheet, rules: dict[int, list[Criterion]] | None = None) -> list[list[Any]]:
    """The 自评规则 sheet's lines: each item's rules, an empty line for an item without any (for the county to fill)."""
    lines: list[list[Any]] = []
    for item in sheet.items:
        criteria = (rules or {}).get(item.row, list(item.criteria))
        words = sheet.words(item)[:40]
        for c in criteria or [None]:
            if c is None:
                lines.append([item.row, words, None, None, None, None, None, None, None])
                continue
            lines.append([item.row, words, c.figure, c.kind, _plain(c.points), _plain(c.target), _plain(c.per_unit),
                          _plain(c.cap), c.when_none])
    return lines


def _plain(d: Decimal | None) -> int | float | None:
    if d is None:
        return None
    return int(d) if d == d.to_integral() else float(d)


def write_rules(source: str | Path, sheet: ScoreSheet, rules: dict[int, list[Criterion]] | None,
                out: str | os.PathLike) -> Path:
    """The county's workbook as it came, with its 「自评规则」 sheet (hidden) set to ``rules`` (row → rules; an item
    left out keeps what it has): one mapped sheet a county hands to all its townships. The source is read again
    through the guard; every value written is text or a number, never a formula."""
    from openpyxl import load_workbook

    from fazhi_desktop.storage.atomic import atomic_stream

    source = Path(source)
    guard.inspect(source, lambda name: True)
    wb = load_workbook(source, keep_links=False)
    if RULES_SHEET in wb.sheetnames:
        del wb[RULES_SHEET]
    ws = wb.create_sheet(RULES_SHEET)
    ws.sheet_state = "hidden"
    for values in [list(RULES_COLUMNS), *rule_lines(sheet, rules)]:
        ws.append(values)
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str):
                c.data_type = "s"  # a county's words, never a formula
    for letter, width in zip("ABCDEFGHI", (6, 30, 24, 10, 6, 8, 10, 6, 12), strict=True):
        ws.column_dimensions[letter].width = width
    with atomic_stream(out) as tmp:
        wb.save(tmp)
    return Path(out)
