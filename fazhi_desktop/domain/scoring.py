"""考核自评: the county's scoring sheet as data, and the self-score the ledgers give it.

A county writes its 考核细则 once as a workbook: its own columns (考核项目, 考核内容, 分值, 评分标准, 考核依据) and, for
each item the ledgers can answer, the figure it is scored by (an indicator's name as the 统计 page shows it), the
figure that earns full marks, and the marks taken off for each unit short of it (e.g. 党委理论学习中心组学法, 4, 0.5:
four sessions earn the full 2 marks, each one fewer costs 0.5). Thresholds are data, never code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from fazhi_desktop.domain.indicators import INDICATORS

COUNTY_COLUMNS = ("考核项目", "考核内容", "分值", "评分标准", "考核依据")
RULE_COLUMNS = ("统计指标", "达标值", "每少一个单位扣分")
BY_LABEL = {ind.label: ind for ind in INDICATORS if ind.kind != "breakdown"}


@dataclass(frozen=True)
class ScoreItem:
    row: int  # in the county's sheet, for messages
    texts: tuple[str, ...]  # the county's own columns, as written
    points: Decimal
    indicator: str | None = None  # an indicator key; None: scored by the reviewers
    target: Decimal | None = None
    per_unit: Decimal | None = None  # marks off per unit short; None: all or nothing


@dataclass(frozen=True)
class Scored:
    item: ScoreItem
    score: Decimal | None  # None: not scored from the ledgers
    value: Any = None
    note: str = ""


def _two(d: Decimal) -> Decimal:
    return d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def shown(d: Decimal | None) -> str:
    if d is None:
        return ""
    return f"{d.normalize():f}" if d == d.to_integral() else f"{_two(d).normalize():f}"


def score(items: list[ScoreItem], figures: Mapping[str, Any]) -> list[Scored]:
    out = []
    for item in items:
        if item.indicator is None:
            out.append(Scored(item, None, note="需由考核组评分"))
            continue
        ind = next(i for i in INDICATORS if i.key == item.indicator)
        raw = figures.get(item.indicator)
        if raw is None:
            out.append(Scored(item, Decimal(0), None, f"{ind.label}：本年度没有可计算的记录，得0分"))
            continue
        value = Decimal(str(round(raw * 100, 1))) if ind.kind == "rate" else Decimal(raw)
        unit = "%" if ind.kind == "rate" else ind.unit
        said = f"{ind.label}{shown(value)}{unit}"
        if item.target is None or value >= item.target:
            out.append(Scored(item, item.points, raw, f"{said}，达到要求"))
            continue
        short = item.target - value
        if item.per_unit is None:
            out.append(Scored(item, Decimal(0), raw, f"{said}，未达到{shown(item.target)}{unit}，不得分"))
            continue
        got = max(Decimal(0), item.points - short * item.per_unit)
        out.append(Scored(item, _two(got), raw, f"{said}，比要求少{shown(short)}{unit}，扣{shown(item.points - got)}分"))
    return out
