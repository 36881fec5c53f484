"""The county's merged view of its townships for one year: key figures with a 合计, who sent what and when, which
ledgers are empty, and the risks and overdue items across townships. Each township's figures are its own
``stats.compute`` (the same numbers its own report states)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.indicators import INDICATORS
from fazhi_desktop.domain.ledgers import CLOSED_DISPUTE_STATES, LEDGERS
from fazhi_desktop.services import listing, reports_text, stats
from fazhi_desktop.services.units import Unit, list_units
from fazhi_desktop.storage.schema import database_info, ledger_table, package_receipts

# The figures a county compares townships by (counts only: a 合计 of rates would mean nothing).
SUMMARY_KEYS = (
    "org.special_meetings", "org.documents", "study.total", "study.participants", "law_report.total",
    "publicity.ten_entries", "publicity.audience", "publicity.materials", "talent.legal_understanders",
    "counsel.reviews", "enforcement.cases", "enforcement.penalties", "disputes.found", "disputes.resolved",
    "rectification.total", "rectification.closed", "rectification.overdue", "review.cases",
)
_INDICATORS = {ind.key: ind for ind in INDICATORS}
PUBLISH_BY = (4, 1)  # 督察工作规定: a year's report is public by 4月1日 of the next year
DEADLINE_KEY = "county.deadline"
_DEADLINE = re.compile(r"(\d{1,2})-(\d{1,2})")


@dataclass
class Submission:
    unit: str
    received_at: dt.datetime | None
    doc_date: dt.date | None
    has_report: bool
    findings_open: int | None
    reviewed_on: dt.date | None
    published_on: dt.date | None
    published_url: str | None
    late: list[str] = field(default_factory=list)


@dataclass
class CountyView:
    year: int
    units: list[str]
    summary_headers: list[str]
    summary: list[list[Any]]  # one row a township, then 合计
    submissions: list[Submission]
    completeness: dict[str, dict[str, int]]  # township → ledger name → records
    risks: list[list[Any]]  # 乡镇, 类别, 内容, 日期, 状态
    deadline: tuple[int, int] | None
    county: str = ""


def summary_label(key: str) -> str:
    ind = _INDICATORS[key]
    return f"{ind.label}（{ind.unit}）"


def parse_deadline(text: str) -> tuple[int, int]:
    m = _DEADLINE.fullmatch(text.strip())
    if not m:
        raise UserError(f"报送截止日期「{text[:20]}」写法不对，请写成 月-日，如 03-15")
    month, day = int(m[1]), int(m[2])
    try:
        dt.date(2024, month, day)
    except ValueError:
        raise UserError(f"报送截止日期「{text[:20]}」不是有效的日期") from None
    return month, day


def stored_deadline(conn: sa.Connection) -> tuple[int, int] | None:
    value = conn.execute(sa.select(database_info.c.value).where(database_info.c.key == DEADLINE_KEY)).scalar()
    try:
        return parse_deadline(value) if value else None
    except UserError:
        return None


def store_deadline(conn: sa.Connection, deadline: tuple[int, int], actor: str) -> None:
    """The county's deadline is a setting of the database: a 管理员's once accounts exist."""
    from fazhi_desktop.domain.roles import SETTINGS
    from fazhi_desktop.services import accounts

    accounts.require(conn, actor, SETTINGS)
    value = f"{deadline[0]:02d}-{deadline[1]:02d}"
    if conn.execute(sa.select(database_info.c.key).where(database_info.c.key == DEADLINE_KEY)).first():
        conn.execute(sa.update(database_info).where(database_info.c.key == DEADLINE_KEY).values(value=value))
    else:
        conn.execute(sa.insert(database_info).values(key=DEADLINE_KEY, value=value))


def _ref_date(draft: dict[str, Any] | None, year: int) -> dt.date:
    return (draft or {}).get("doc_date") or dt.date(year, 12, 31)


def _submission(conn: sa.Connection, unit: Unit, year: int, draft: dict[str, Any] | None,
                deadline: tuple[int, int] | None, today: dt.date) -> Submission:
    receipt = conn.execute(sa.select(package_receipts).where(
        package_receipts.c.unit_id == unit.id, package_receipts.c.year == year)
        .order_by(package_receipts.c.received_at.desc()).limit(1)).mappings().first()
    d = draft or {}
    sub = Submission(unit.name, receipt["received_at"] if receipt else None, d.get("doc_date"),
                     bool(receipt and receipt["has_report"]), receipt["findings_open"] if receipt else None,
                     d.get("reviewed_on"), d.get("published_on"), d.get("published_url"))
    if deadline is not None:
        due = dt.date(year + 1, *deadline)
        if sub.received_at is None and today > due:
            sub.late.append(f"未报送（截止{due.month}月{due.day}日）")
        elif sub.received_at is not None and sub.received_at.date() > due:
            sub.late.append(f"逾期报送（截止{due.month}月{due.day}日）")
    publish_by = dt.date(year + 1, *PUBLISH_BY)
    if sub.published_on is None and today > publish_by:
        sub.late.append("4月1日前未公开")
    elif sub.published_on is not None and sub.published_on > publish_by:
        sub.late.append("公开晚于4月1日")
    return sub


def _risks(conn: sa.Connection, unit: Unit, year: int, ref: dt.date) -> list[list[Any]]:
    d, r = ledger_table("dispute"), ledger_table("rectification")
    rows: list[list[Any]] = []
    for date, category, parties, status in conn.execute(sa.select(d.c.date, d.c.category, d.c.parties, d.c.status).where(
            d.c.unit_id == unit.id, d.c.deleted.is_(sa.false()), d.c.year == year, d.c.risk == "红",
            d.c.status.not_in(CLOSED_DISPUTE_STATES)).order_by(d.c.date)):
        rows.append([unit.name, "红色风险矛盾纠纷未化解", f"{category or ''}：{(parties or '')[:20]}", date, status])
    for deadline, problem, status in conn.execute(sa.select(r.c.deadline, r.c.problem, r.c.status).where(
            r.c.unit_id == unit.id, r.c.deleted.is_(sa.false()), r.c.year == year, r.c.status == "整改中",
            r.c.deadline < ref).order_by(r.c.deadline)):
        rows.append([unit.name, "整改逾期未销号", (problem or "")[:60], deadline, status])
    return rows


def view(conn: sa.Connection, year: int, *, today: dt.date | None = None,
         deadline: tuple[int, int] | None = None) -> CountyView:
    today = today or dt.date.today()
    deadline = deadline or stored_deadline(conn)
    units = sorted(list_units(conn), key=lambda u: u.name)
    summary, submissions, completeness, risks = [], [], {}, []
    totals = dict.fromkeys(SUMMARY_KEYS, 0)
    for unit in units:
        draft = reports_text.load_report_text(conn, unit, year)
        ref = _ref_date(draft, year)
        s = stats.compute(conn, unit, year, ref)
        summary.append([unit.name, *(s[k] for k in SUMMARY_KEYS)])
        for k in SUMMARY_KEYS:
            totals[k] += s[k]
        submissions.append(_submission(conn, unit, year, draft, deadline, today))
        completeness[unit.name] = {
            lg.name: listing.count(conn, unit, listing.ListQuery(lg.key, year=year, ref_date=ref)) for lg in LEDGERS}
        risks += _risks(conn, unit, year, ref)
    summary.append(["合计", *(totals[k] for k in SUMMARY_KEYS)])
    counties = Counter(u.county for u in units if u.county)
    return CountyView(year, [u.name for u in units], ["乡镇（街道）", *(summary_label(k) for k in SUMMARY_KEYS)],
                      summary, submissions, completeness, risks, deadline,
                      counties.most_common(1)[0][0] if counties else "")


def view_of(ctx, year: int, **kw: Any) -> CountyView:
    with ctx.engine.connect() as conn:
        return view(conn, year, **kw)


def set_deadline(ctx, deadline: tuple[int, int]):
    from fazhi_desktop.services.context import Done

    with ctx.engine.begin() as conn:
        store_deadline(conn, deadline, ctx.actor)
    return Done(deadline)
