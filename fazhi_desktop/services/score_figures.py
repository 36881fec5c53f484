"""The figures a 考核细则's rules may name (domain.scoring): every indicator of the 统计 page by its label, each part
of a breakdown as 「label：part」 (法律十进（分对象）：进学校), and what a county scores that the 统计 page does not
show — 学法学时, the records of an evidence ledger that carry their 佐证材料, 行政复议/诉讼被纠错."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa

from fazhi_desktop.domain.indicators import INDICATORS
from fazhi_desktop.domain.ledgers import LEDGERS, REVIEW_LOST
from fazhi_desktop.domain.scoring import Figure, Scored, ScoreSheet, score
from fazhi_desktop.services import reports_text, stats
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage.schema import attachments, ledger_table

PART = "："  # between a breakdown's label and its part
HOURS = "学法学时"
CORRECTED_CASES = "行政复议/诉讼被纠错"
EVIDENCE = "（有佐证材料）"


def evidence_ledgers() -> list:
    return [lg for lg in LEDGERS if lg.evidence and not lg.in_force]


def _fixed_names() -> frozenset[str]:
    return frozenset({i.label for i in INDICATORS if i.kind != "breakdown"} | {HOURS, CORRECTED_CASES}
                     | {f"{lg.name}{EVIDENCE}" for lg in evidence_ledgers()})


def known(name: str) -> bool:
    """A name a rule may use: a figure this module computes, or a part of a breakdown (whose parts are the unit's
    choices, so only the breakdown is checked here)."""
    if name in _fixed_names():
        return True
    label, sep, part = name.partition(PART)
    return bool(sep and part) and label in {i.label for i in INDICATORS if i.kind == "breakdown"}


def examples() -> list[str]:
    return [i.label for i in INDICATORS if i.kind != "breakdown"][:6] + [HOURS]


def _extras(conn: sa.Connection, unit: Unit, year: int) -> dict[str, Figure]:
    params = {"unit_id": unit.id, "year": year}
    study = ledger_table("study")
    hours = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(study.c.hours), 0)).where(*stats.of_year(study)),
                         params).scalar()
    review = ledger_table("review_litigation")
    lost = conn.execute(sa.select(sa.func.count()).select_from(review).where(
        *stats.of_year(review), stats.is_(review, "result", *REVIEW_LOST)), params).scalar()
    out = {HOURS: Figure(HOURS, int(hours or 0), "学时"), CORRECTED_CASES: Figure(CORRECTED_CASES, int(lost or 0), "件")}
    for lg in evidence_ledgers():
        t = ledger_table(lg.key)
        held = conn.execute(sa.select(sa.func.count()).select_from(t).where(
            *stats.of_year(t), sa.exists().where(attachments.c.record_id == t.c.id)), params).scalar()
        name = f"{lg.name}{EVIDENCE}"
        out[name] = Figure(name, int(held or 0), "条")
    return out


def figures(conn: sa.Connection, unit: Unit, year: int, ref_date: dt.date | None = None) -> dict[str, Figure]:
    values = stats.compute(conn, unit, year, ref_date)
    out: dict[str, Figure] = {}
    for ind in INDICATORS:
        value = values[ind.key]
        if ind.kind == "breakdown":
            for part, n in (value or {}).items():
                name = f"{ind.label}{PART}{part}"
                out[name] = Figure(name, n, ind.unit)
        else:
            out[ind.label] = Figure(ind.label, value, ind.unit, rate=ind.kind == "rate")
    out.update(_extras(conn, unit, year))
    return out


def score_unit(conn: sa.Connection, unit: Unit, year: int, sheet: ScoreSheet) -> list[Scored]:
    """``unit``'s self-score of ``year`` by the sheet's rules, its figures as its report dates them."""
    draft = reports_text.load_report_text(conn, unit, year) or {}
    return score(sheet.items, figures(conn, unit, year, draft.get("doc_date")))


def described(figure: Figure) -> str:
    """A figure as the mapping step lists it: its name and this year's value."""
    if figure.value is None:
        return f"{figure.name}（本年度无可计算记录）"
    if figure.rate:
        return f"{figure.name}（{Decimal(str(round(figure.value * 100, 1))).normalize():f}%）"
    return f"{figure.name}（{figure.value}{figure.unit}）"
