"""考核自评: a county's scoring sheet (考核细则) as it comes, the rules that link its rows to figures of the ledgers, and
the self-score those rules give.

The sheet is the county's: its title, its columns (序号, 考核项目, 考核内容, 分值 or 标准分 or 满分, 评分标准, 考核方法…)
and its rows are kept as written and printed back in its own layout. What the program adds is a set of *rules*, kept
in the workbook itself (a hidden sheet 「自评规则」, so a county maps its sheet once and hands it to every township):
each links one row to a figure (an indicator of the 统计 page, a part of a breakdown, 学法学时, records with their
佐证材料…) by one of four kinds —

- 多者为好: the figure earns the criterion's points when it reaches 达标值; below it, each unit short costs 每单位分值
  (none given: all or nothing), never more than 上限;
- 少者为好: 逾期, 败诉, 被纠错 — up to 达标值 (0 when blank) costs nothing, each one more costs 每单位分值 (none given:
  all or nothing), never more than 上限;
- 加分: each unit earns 每单位分值 up to the row's points (a 加分项 adds to, and is not part of, the base total);
- 一票否决: a figure above 达标值 (0 when blank) vetoes the whole self-score.

A row may carry several criteria, each with its share of the row's points (领导小组 3 + 专职人员 3). A figure the year
cannot give (a rate with nothing to count: no 重大执法决定, no lawsuit) is handled as the rule says: 不适用 (the
criterion's points leave the total it is measured against), 得满分 or 不得分. A row without rules is left to the
考核组, with that reason. Thresholds are data, never code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

# The county's header, by synonyms (whitespace inside a header is ignored: 「分　值」, 「考核\n内容」)
ITEM_HEADERS = ("考核项目", "考核内容", "考核指标", "考评内容", "评价内容", "考核事项", "项目", "指标", "内容")
POINTS_HEADERS = ("分值", "标准分", "满分", "分数", "基本分", "标准分值", "权重")
SELF_HEADERS = ("自评得分", "自评分", "自查得分", "自评分值")  # filled in place when the sheet has one
REVIEW_HEADERS = ("考核得分", "考核组评分", "考核评分", "实得分", "得分")  # the 考核组's own column, left empty
NOTE_HEADERS = ("自评说明", "扣分说明", "扣分原因", "自评情况")
TOTAL_WORDS = ("合计", "总分", "总计", "小计")
# The rules sheet and, for sheets of the first format, the three rule columns beside the county's own
RULES_SHEET = "自评规则"
RULES_COLUMNS = ("行号", "考核内容（核对用）", "统计指标", "规则", "分值", "达标值", "每单位分值", "上限", "无可计算数据时")
INLINE_COLUMNS = ("统计指标", "达标值", "每少一个单位扣分")

MORE, FEWER, BONUS, VETO = "多者为好", "少者为好", "加分", "一票否决"
KINDS = (MORE, FEWER, BONUS, VETO)
NOT_APPLICABLE, FULL, ZERO = "不适用", "得满分", "不得分"
WHEN_NONE = (NOT_APPLICABLE, FULL, ZERO)
MAX_POINTS = Decimal(1000)


class SheetProblem(ValueError):
    """A value of the sheet or its rules that cannot be read; the message names its place in Chinese."""


def clean_header(value: Any) -> str:
    return re.sub(r"\s+", "", "" if value is None else str(value))


_NUMBER = re.compile(r"^[+＋]?\s*(?:最高|最多|不超过|满分)?\s*(\d+(?:\.\d+)?)\s*(?:分|%|％|次|个|件|人|场次|学时)?$")


def number(value: Any, where: str, low: Decimal = Decimal(0), high: Decimal = Decimal(10**9)) -> Decimal | None:
    """A number as a sheet writes it: 6, 6.0, 「6分」, 「+2」, 「最高2分」, 「90%」; blank is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise SheetProblem(f"{where}应为数字，现为「{value}」")
    if isinstance(value, int | float):
        text = repr(value)
    else:
        found = _NUMBER.match(str(value).strip())
        if not found:
            raise SheetProblem(f"{where}应为数字（如 6 或 6分），现为「{str(value)[:20]}」")
        text = found.group(1)
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise SheetProblem(f"{where}应为数字，现为「{str(value)[:20]}」") from None
    if not d.is_finite() or not low <= d <= high:
        raise SheetProblem(f"{where}应在 {low} 到 {high} 之间，现为「{str(value)[:20]}」")
    return d


@dataclass(frozen=True)
class Criterion:
    figure: str  # a figure's name (services.score_figures)
    kind: str = MORE
    points: Decimal | None = None  # this criterion's share of the row's points; None: the whole row's
    target: Decimal | None = None
    per_unit: Decimal | None = None
    cap: Decimal | None = None  # the most it may lose (加分: earn)
    when_none: str = NOT_APPLICABLE


@dataclass(frozen=True)
class ScoreItem:
    row: int  # the sheet's row (as Excel numbers it), for messages and the rules sheet
    texts: tuple[str, ...]  # every column of the county's header, as written
    points: Decimal | None  # None: a 一票否决 row
    criteria: tuple[Criterion, ...] = ()
    bonus: bool = False  # 加分项: not part of the base total
    veto: bool = False  # 一票否决 row
    numbers: tuple[int | float | None, ...] = ()  # a cell the county typed as a number (序号), printed as one

    def cells(self) -> list[Any]:
        """The row as the county wrote it: its numbers as numbers, the rest as text."""
        return [n if i < len(self.numbers) and (n := self.numbers[i]) is not None else t
                for i, t in enumerate(self.texts)]


@dataclass(frozen=True)
class ScoreSheet:
    name: str  # the worksheet's name
    title: str  # the rows above the header, as one line ("" when none)
    columns: tuple[str, ...]  # the county's header, as written
    items: tuple[ScoreItem, ...]
    item_col: int
    points_col: int
    self_col: int | None = None
    review_col: int | None = None
    note_col: int | None = None
    rules_found: bool = False  # the workbook carries rules (a 自评规则 sheet or the rule columns)
    headings: tuple[tuple[int, tuple[str, ...]], ...] = field(default=())  # rows without points, kept in place
    item_cols: tuple[int, ...] = ()  # every column that names the item (考核项目, 考核内容)

    @property
    def unmapped(self) -> list[ScoreItem]:
        return [i for i in self.items if not i.criteria]

    def words(self, item: ScoreItem) -> str:
        """What a row is about, for messages and the rules sheet: its item columns' texts, else its first text."""
        said = " ".join(dict.fromkeys(item.texts[i] for i in self.item_cols if item.texts[i]))
        return said or next((t for t in item.texts if t), "")


@dataclass(frozen=True)
class Figure:
    name: str
    value: int | float | None  # None: nothing this year to compute it from
    unit: str
    rate: bool = False

    @property
    def measured(self) -> Decimal | None:
        if self.value is None:
            return None
        return Decimal(str(round(self.value * 100, 1))) if self.rate else Decimal(str(self.value))


@dataclass(frozen=True)
class Scored:
    item: ScoreItem
    score: Decimal | None  # None: left to the 考核组, not applicable, or a 一票否决 row
    applicable: Decimal | None  # the points this score is measured against (the item's, less what does not apply)
    note: str = ""
    vetoed: bool = False


def _two(d: Decimal) -> Decimal:
    return d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def shown(d: Decimal | int | None) -> str:
    if d is None:
        return ""
    d = Decimal(d)
    return f"{d.normalize():f}" if d == d.to_integral() else f"{_two(d).normalize():f}"


@dataclass(frozen=True)
class _Outcome:
    score: Decimal | None  # None: it does not apply, or no figure of that name
    counts: Decimal  # the points it is measured against (0 for a bonus, a veto, what does not apply)
    said: str
    vetoed: bool = False
    unknown: bool = False  # no figure of that name: the row goes to the 考核组


def _criterion(c: Criterion, points: Decimal, figure: Figure | None) -> _Outcome:
    if figure is None:
        return _Outcome(None, Decimal(0), f"没有名为「{c.figure}」的统计数据", unknown=True)
    unit = "%" if figure.rate else figure.unit
    value = figure.measured
    if value is None:
        nothing = f"{c.figure}：本年度没有可计算的记录"
        if c.when_none == FULL:
            return _Outcome(points, points, f"{nothing}，按细则得满分")
        if c.when_none == ZERO:
            return _Outcome(Decimal(0), points, f"{nothing}，按细则不得分")
        return _Outcome(None, Decimal(0), f"{nothing}，不适用")
    said = f"{c.figure}{shown(value)}{unit}"
    if c.kind == VETO:
        if value > (c.target or Decimal(0)):
            return _Outcome(None, Decimal(0), f"{said}，一票否决", vetoed=True)
        return _Outcome(None, Decimal(0), f"{said}，未触及一票否决")
    if c.kind == BONUS:
        most = c.cap if c.cap is not None else points
        if c.per_unit is None:  # a threshold bonus: all of it once the figure reaches the target
            got = most if value >= (c.target or Decimal(1)) else Decimal(0)
        else:
            got = min(most, value * c.per_unit)
        return _Outcome(_two(got), Decimal(0), f"{said}，加{shown(got)}分")
    if c.kind == FEWER:
        allowed = c.target or Decimal(0)
        over = value - allowed
        if over <= 0:
            return _Outcome(points, points, f"{said}，达到要求")
        if c.per_unit is None:
            return _Outcome(Decimal(0), points, f"{said}，超过{shown(allowed)}{unit}，不得分")
        lost = min(over * c.per_unit, c.cap if c.cap is not None else points, points)
        return _Outcome(_two(points - lost), points, f"{said}，多{shown(over)}{unit}，扣{shown(lost)}分")
    if c.target is None or value >= c.target:
        return _Outcome(points, points, f"{said}，达到要求")
    short = c.target - value
    if c.per_unit is None:
        return _Outcome(Decimal(0), points, f"{said}，未达到{shown(c.target)}{unit}，不得分")
    lost = min(short * c.per_unit, c.cap if c.cap is not None else points, points)
    return _Outcome(_two(points - lost), points, f"{said}，比要求少{shown(short)}{unit}，扣{shown(lost)}分")


def score(items: tuple[ScoreItem, ...] | list[ScoreItem], figures: Mapping[str, Figure]) -> list[Scored]:
    out = []
    for item in items:
        if not item.criteria:
            out.append(Scored(item, None, None, "需由考核组评分：本项没有可对应的台账数据（或尚未设置自评规则）"))
            continue
        outcomes = [_criterion(c, c.points if c.points is not None else (item.points or Decimal(0)),
                               figures.get(c.figure)) for c in item.criteria]
        said = "；".join(o.said for o in outcomes)
        vetoed = any(o.vetoed for o in outcomes)
        got = [o.score for o in outcomes if o.score is not None]
        applies = sum((o.counts for o in outcomes), Decimal(0))
        if any(o.unknown for o in outcomes):
            out.append(Scored(item, None, None, f"需由考核组评分：{said}"))
        elif item.veto or all(c.kind == VETO for c in item.criteria):
            out.append(Scored(item, None, None, said, vetoed=vetoed))
        elif item.bonus or all(c.kind == BONUS for c in item.criteria):
            out.append(Scored(item, _two(sum(got, Decimal(0))), Decimal(0), said))
        elif not got:
            out.append(Scored(item, None, Decimal(0), f"{said}（本项不计分）", vetoed=vetoed))
        else:
            out.append(Scored(item, _two(sum(got, Decimal(0))), applies, said, vetoed=vetoed))
    return out


@dataclass(frozen=True)
class Total:
    points: Decimal  # the base items' points (加分项 and 一票否决 rows not included)
    applicable: Decimal  # of which the self-score is measured against (less 考核组 items and what does not apply)
    own: Decimal  # the self-score of the items the ledgers can score, bonuses included
    bonus: Decimal
    manual: int  # items left to the 考核组
    vetoed: bool


def _is_veto(item: ScoreItem) -> bool:
    return item.veto or bool(item.criteria) and all(c.kind == VETO for c in item.criteria)


def total(scored: list[Scored]) -> Total:
    base = [s for s in scored if not (s.item.bonus or _is_veto(s.item))]
    return Total(
        points=sum((s.item.points or Decimal(0) for s in base), Decimal(0)),
        applicable=sum((s.applicable for s in base if s.applicable is not None), Decimal(0)),
        own=sum((s.score for s in scored if s.score is not None), Decimal(0)),
        bonus=sum((s.score for s in scored if s.item.bonus and s.score is not None), Decimal(0)),
        manual=sum(1 for s in scored if s.applicable is None and not (s.item.criteria and _is_veto(s.item))),
        vetoed=any(s.vetoed for s in scored),
    )
