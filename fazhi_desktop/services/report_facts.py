"""Small lists the report names besides counts: document titles, facilities, occasions, the legal counsel…

Each query is bounded by unit and year and returns a handful of rows; counting stays in ``stats``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain import periods
from fazhi_desktop.domain.ledgers import CLOSED_DISPUTE_STATES, INSPECTION, LEDGERS, REVIEW_KINDS, TEN_ENTRIES, ledger
from fazhi_desktop.services.periods import in_window
from fazhi_desktop.services.stats import is_
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage.schema import ledger_table

# The roster as a township lists it: 组长 first, then 副组长, 办公室主任, 联络员 and the members (the declared order),
# each group in the order the clerk entered (or imported) them.
ROLE_ORDER = ledger("leading_group").field("role").choices


@dataclass
class ReportFacts:
    documents: list[str] = field(default_factory=list)
    group_posts: dict[str, list[str]] = field(default_factory=dict)  # 小组职务 → 职务, in roster order
    group_people: dict[str, str] = field(default_factory=dict)  # 姓名 → 职务 of the year's roster
    meeting_kinds: dict[str, int] = field(default_factory=dict)  # 会议类型 → count (the year)
    special_meeting_hosts: dict[str, int] = field(default_factory=dict)  # 主持人 of 专题会议 → count
    facilities: list[dict[str, Any]] = field(default_factory=list)
    study_forms: dict[str, int] = field(default_factory=dict)  # 学法形式 → count
    center_group_speakers: dict[str, int] = field(default_factory=dict)  # 主讲人 of 中心组学法 → count
    joint_occasions: list[str] = field(default_factory=list)
    law_report_manner: str | None = None
    law_report_audience: str | None = None
    main_leaders: list[dict[str, Any]] = field(default_factory=list)  # 述法 records of 党政主要负责人
    law_report_identities: dict[str, int] = field(default_factory=dict)  # 身份 → count
    campaign_kinds: list[str] = field(default_factory=list)
    campaign_counts: dict[str, int] = field(default_factory=dict)  # 活动类型 → count, 法律十进 and 宣传会议 excluded
    talent_new: dict[str, int] = field(default_factory=dict)  # 类别 → registered in the year
    talent_households: int = 0  # 民主法治示范户 in force
    counsels: list[dict[str, Any]] = field(default_factory=list)
    counsel_services: dict[str, int] = field(default_factory=dict)  # 事项类型 (not a review) → count
    legal_services: dict[str, int] = field(default_factory=dict)  # 服务类型 → count
    rectification_sources: list[str] = field(default_factory=list)
    rectification_batches: list[str] = field(default_factory=list)
    review_handlers: list[str] = field(default_factory=list)  # who did the year's 合法性审查 (司法所, the counsel…)
    review_outcomes: dict[str, dict[str, int]] = field(default_factory=dict)  # 类型 → 结果 → count
    lawsuits: int = 0  # 行政诉讼 of the year
    lawsuits_attended: int = 0  # … with the head in court
    major_unreviewed: int = 0  # 重大执法决定 without 法制审核 (cases only)
    review_cases: str = ""  # kept for units' own templates; the shipped ones word outcomes in claims
    disputes_overdue: int = 0  # not closed and past 化解时限 at the report's date
    ledgers_with_records: list[str] = field(default_factory=list)  # keys of the ledgers holding records of the year


def _live(t: sa.Table, unit: Unit) -> list[Any]:
    return [t.c.unit_id == unit.id, t.c.deleted.is_(sa.false())]


def _counts(conn: sa.Connection, column: Any, *where: Any) -> dict[str, int]:
    """value → count, most frequent first (ties in value order), NULLs left out."""
    rows = conn.execute(sa.select(column, sa.func.count()).where(*where, column.is_not(None)).group_by(column)
                        .order_by(sa.func.count().desc(), column))
    return {value: n for value, n in rows if value != ""}


def gather(conn: sa.Connection, unit: Unit, year: int, ref_date: dt.date) -> ReportFacts:
    facts = ReportFacts()
    d = ledger_table("document")
    facts.documents = list(conn.execute(
        sa.select(d.c.title).where(*_live(d, unit), d.c.year == year).order_by(d.c.date, d.c.created_at, d.c.id))
        .scalars())

    lg = ledger_table("leading_group")
    rank = sa.case({role: i for i, role in enumerate(ROLE_ORDER)}, value=lg.c.role, else_=len(ROLE_ORDER))
    for role, post, name in conn.execute(sa.select(lg.c.role, lg.c.post, lg.c.name).where(
            *_live(lg, unit), lg.c.year == year).order_by(rank, lg.c.created_at, lg.c.id)):
        facts.group_posts.setdefault(role, []).append(post)
        facts.group_people.setdefault(name, post)

    m = ledger_table("meeting")
    facts.meeting_kinds = _counts(conn, m.c.kind, *_live(m, unit), m.c.year == year)
    facts.special_meeting_hosts = _counts(conn, m.c.host, *_live(m, unit), m.c.year == year,
                                          is_(m, "kind", "法治建设专题会议"))

    f = ledger_table("facility")
    rows = conn.execute(sa.select(f.c.name, f.c.kind, f.c.level, f.c.village, f.c.built_on, f.c.year).where(
        *_live(f, unit), sa.func.coalesce(f.c.in_use, sa.true()).is_(sa.true()),
        sa.or_(f.c.year.is_(None), f.c.year <= year)).order_by(f.c.built_on, f.c.name)).mappings()
    kind_order = {k: i for i, k in enumerate(ledger("facility").field("kind").choices)}
    facts.facilities = sorted((dict(r) for r in rows), key=lambda r: (r["level"] != "镇级", kind_order.get(r["kind"], 99)))

    s = ledger_table("study")
    facts.study_forms = _counts(conn, s.c.form, *_live(s, unit), s.c.year == year)
    facts.center_group_speakers = _counts(conn, s.c.speaker, *_live(s, unit), s.c.year == year,
                                          is_(s, "form", "党委理论学习中心组学法"))
    occasions = conn.execute(sa.select(s.c.occasion).where(*_live(s, unit), s.c.year == year,
                                                           is_(s, "form", "干部群众共同学法"), s.c.occasion.is_not(None))
                             .order_by(s.c.date)).scalars()
    facts.joint_occasions = list(dict.fromkeys(o.strip() for occ in occasions for o in occ.split("、") if o.strip()))

    r = ledger_table("law_report")
    manners = _counts(conn, r.c.manner, *_live(r, unit), r.c.year == year)
    audiences = _counts(conn, r.c.audience, *_live(r, unit), r.c.year == year)
    facts.law_report_manner = next(iter(manners)) if len(manners) == 1 else ("述法" if manners else None)
    facts.law_report_audience = next(iter(audiences)) if len(audiences) == 1 else None
    facts.law_report_identities = _counts(conn, r.c.identity, *_live(r, unit), r.c.year == year)
    facts.main_leaders = [dict(row) for row in conn.execute(
        sa.select(r.c.person, r.c.post, r.c.manner, r.c.audience).where(
            *_live(r, unit), r.c.year == year, is_(r, "identity", "党政主要负责人"))
        .order_by(r.c.created_at, r.c.id)).mappings()]

    p = ledger_table("publicity")
    facts.campaign_counts = _counts(conn, p.c.kind, *_live(p, unit), p.c.year == year,
                                    sa.not_(is_(p, "kind", TEN_ENTRIES, "普法宣传会议")))
    facts.campaign_kinds = list(facts.campaign_counts)

    t = ledger_table("legal_talent")
    facts.talent_new = _counts(conn, t.c.category, *_live(t, unit), t.c.year == year)
    facts.talent_households = conn.execute(sa.select(sa.func.count()).where(
        *_live(t, unit), t.c.year <= year, sa.or_(t.c.left_year.is_(None), t.c.left_year > year),
        is_(t, "category", "民主法治示范户"))).scalar_one()

    c = ledger_table("counsel")
    first, last = periods.window(year, ref_date)
    facts.counsels = [dict(row) for row in conn.execute(
        sa.select(c.c.name, c.c.firm, c.c.signed_on, c.c.service_to).where(
            *_live(c, unit), in_window(c, ledger("counsel").period, first, last)).order_by(c.c.signed_on)).mappings()]

    rt = ledger_table("rectification")
    for source, batch in conn.execute(sa.select(rt.c.source, rt.c.batch).where(*_live(rt, unit), rt.c.year == year)
                                      .order_by(rt.c.assigned_on, rt.c.created_at, rt.c.id)):
        if source not in facts.rectification_sources:
            facts.rectification_sources.append(source)
        if batch and batch not in facts.rectification_batches:
            facts.rectification_batches.append(batch)

    cs = ledger_table("counsel_service")
    counsel_names = set(conn.execute(sa.select(c.c.name).where(*_live(c, unit))).scalars())
    facts.review_handlers = list(dict.fromkeys("法律顾问" if h in counsel_names else (h or "") for h in conn.execute(
        sa.select(cs.c.handler).where(*_live(cs, unit), cs.c.year == year, is_(cs, "kind", *REVIEW_KINDS))
        .order_by(cs.c.date)).scalars()))
    facts.counsel_services = _counts(conn, cs.c.kind, *_live(cs, unit), cs.c.year == year,
                                     sa.not_(is_(cs, "kind", *REVIEW_KINDS)))

    ls = ledger_table("legal_service")
    facts.legal_services = _counts(conn, ls.c.kind, *_live(ls, unit), ls.c.year == year)

    rl = ledger_table("review_litigation")
    outcomes: dict[str, Counter] = {}
    for kind, result in conn.execute(sa.select(rl.c.kind, rl.c.result).where(*_live(rl, unit), rl.c.year == year)
                                     .order_by(rl.c.date)):
        outcomes.setdefault(kind or "行政复议", Counter())[result or "审理中"] += 1
    facts.review_outcomes = {k: dict(v.most_common()) for k, v in outcomes.items()}
    facts.review_cases = review_summary(outcomes)

    facts.lawsuits, facts.lawsuits_attended = conn.execute(sa.select(
        sa.func.count(), sa.func.coalesce(sa.func.sum(sa.case((rl.c.head_appeared.is_(sa.true()), 1), else_=0)), 0))
        .where(*_live(rl, unit), rl.c.year == year, is_(rl, "kind", "行政诉讼"))).one()
    e = ledger_table("enforcement")
    facts.major_unreviewed = conn.execute(sa.select(sa.func.count()).where(
        *_live(e, unit), e.c.year == year, e.c.method != INSPECTION, e.c.major.is_(sa.true()),
        sa.or_(e.c.legal_review.is_(None), e.c.legal_review.is_(sa.false())))).scalar_one()

    dp = ledger_table("dispute")
    facts.disputes_overdue = conn.execute(sa.select(sa.func.count()).where(
        *_live(dp, unit), dp.c.year == year, sa.not_(is_(dp, "status", *CLOSED_DISPUTE_STATES)),
        dp.c.deadline < ref_date)).scalar_one()

    for lg_ in LEDGERS:
        table = ledger_table(lg_.key)
        if lg_.activity and conn.execute(sa.select(table.c.id).where(*_live(table, unit), table.c.year == year)
                                         .limit(1)).first():
            facts.ledgers_with_records.append(lg_.key)
    return facts


def review_summary(outcomes: dict[str, Counter]) -> str:
    """行政复议1件，维持 / 行政复议2件（维持1件、撤销1件）、行政诉讼1件，审理中 — kinds and results as they are."""
    parts = []
    for kind, results in outcomes.items():
        n = sum(results.values())
        if len(results) == 1:
            parts.append(f"{kind}{n}件，{next(iter(results))}")
        else:
            parts.append(f"{kind}{n}件（{'、'.join(f'{r}{c}件' for r, c in results.items())}）")
    return "；".join(parts)
