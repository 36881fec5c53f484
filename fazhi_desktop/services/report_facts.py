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
from fazhi_desktop.domain.ledgers import REVIEW_KINDS, TEN_ENTRIES, ledger
from fazhi_desktop.services.periods import in_window
from fazhi_desktop.services.stats import is_
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage.schema import ledger_table


@dataclass
class ReportFacts:
    documents: list[str] = field(default_factory=list)
    group_posts: dict[str, list[str]] = field(default_factory=dict)  # 小组职务 → 职务 in roster order
    facilities: list[dict[str, Any]] = field(default_factory=list)
    joint_occasions: list[str] = field(default_factory=list)
    law_report_manner: str | None = None
    law_report_audience: str | None = None
    campaign_kinds: list[str] = field(default_factory=list)
    counsels: list[dict[str, Any]] = field(default_factory=list)
    rectification_sources: list[str] = field(default_factory=list)
    rectification_batches: list[str] = field(default_factory=list)
    special_meeting_hosts: list[str] = field(default_factory=list)
    review_handlers: list[str] = field(default_factory=list)  # who did the year's 合法性审查 (司法所, the counsel…)
    review_cases: str = ""  # 行政复议1件，维持 — said precisely, by kind and result


def _live(t: sa.Table, unit: Unit) -> list[Any]:
    return [t.c.unit_id == unit.id, t.c.deleted.is_(sa.false())]


def gather(conn: sa.Connection, unit: Unit, year: int, ref_date: dt.date) -> ReportFacts:
    facts = ReportFacts()
    d = ledger_table("document")
    facts.documents = list(conn.execute(
        sa.select(d.c.title).where(*_live(d, unit), d.c.year == year).order_by(d.c.date, d.c.title)).scalars())

    lg = ledger_table("leading_group")
    for role, post in conn.execute(sa.select(lg.c.role, lg.c.post).where(*_live(lg, unit), lg.c.year == year)
                                   .order_by(lg.c.created_at, lg.c.id)):
        facts.group_posts.setdefault(role, []).append(post)

    f = ledger_table("facility")
    rows = conn.execute(sa.select(f.c.name, f.c.kind, f.c.level, f.c.village).where(
        *_live(f, unit), sa.func.coalesce(f.c.in_use, sa.true()).is_(sa.true()),
        sa.or_(f.c.year.is_(None), f.c.year <= year)).order_by(f.c.built_on, f.c.name)).mappings()
    kind_order = {k: i for i, k in enumerate(ledger("facility").field("kind").choices)}
    facts.facilities = sorted((dict(r) for r in rows), key=lambda r: (r["level"] != "镇级", kind_order.get(r["kind"], 99)))

    s = ledger_table("study")
    occasions = conn.execute(sa.select(s.c.occasion).where(*_live(s, unit), s.c.year == year,
                                                           is_(s, "form", "干部群众共同学法"), s.c.occasion.is_not(None))
                             .order_by(s.c.date)).scalars()
    facts.joint_occasions = list(dict.fromkeys(o for occ in occasions for o in occ.split("、")))

    r = ledger_table("law_report")
    manners = Counter(conn.execute(sa.select(r.c.manner).where(*_live(r, unit), r.c.year == year)).scalars())
    audiences = Counter(conn.execute(sa.select(r.c.audience).where(*_live(r, unit), r.c.year == year,
                                                                   r.c.audience.is_not(None))).scalars())
    facts.law_report_manner = manners.most_common(1)[0][0] if manners else None
    facts.law_report_audience = audiences.most_common(1)[0][0] if audiences else None

    p = ledger_table("publicity")
    kinds = conn.execute(sa.select(p.c.kind, sa.func.count()).where(
        *_live(p, unit), p.c.year == year, sa.not_(is_(p, "kind", TEN_ENTRIES, "普法宣传会议"))).group_by(p.c.kind)
        .order_by(sa.func.count().desc(), p.c.kind))
    facts.campaign_kinds = [k for k, _n in kinds]

    c = ledger_table("counsel")
    first, last = periods.window(year, ref_date)
    facts.counsels = [dict(row) for row in conn.execute(
        sa.select(c.c.name, c.c.firm, c.c.signed_on, c.c.service_to).where(
            *_live(c, unit), in_window(c, ledger("counsel").period, first, last)).order_by(c.c.signed_on)).mappings()]

    rt = ledger_table("rectification")
    for source, batch in conn.execute(sa.select(rt.c.source, rt.c.batch).where(*_live(rt, unit), rt.c.year == year)):
        if source not in facts.rectification_sources:
            facts.rectification_sources.append(source)
        if batch and batch not in facts.rectification_batches:
            facts.rectification_batches.append(batch)

    cs = ledger_table("counsel_service")
    counsel_names = set(conn.execute(sa.select(c.c.name).where(*_live(c, unit))).scalars())
    facts.review_handlers = list(dict.fromkeys("法律顾问" if h in counsel_names else (h or "") for h in conn.execute(
        sa.select(cs.c.handler).where(*_live(cs, unit), cs.c.year == year, is_(cs, "kind", *REVIEW_KINDS))
        .order_by(cs.c.date)).scalars()))

    rl = ledger_table("review_litigation")
    outcomes: dict[str, Counter] = {}
    for kind, result in conn.execute(sa.select(rl.c.kind, rl.c.result).where(*_live(rl, unit), rl.c.year == year)
                                     .order_by(rl.c.date)):
        outcomes.setdefault(kind or "行政复议", Counter())[result or "审理中"] += 1
    facts.review_cases = review_summary(outcomes)

    m = ledger_table("meeting")
    facts.special_meeting_hosts = list(dict.fromkeys(conn.execute(
        sa.select(m.c.host).where(*_live(m, unit), m.c.year == year, is_(m, "kind", "法治建设专题会议"),
                                  m.c.host.is_not(None)).order_by(m.c.date)).scalars()))
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
