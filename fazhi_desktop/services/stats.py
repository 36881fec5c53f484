"""The indicators of ``spec/indicators.md``, computed with SQL aggregates for one unit and year.

Every figure in the report, the statistics workbook and the overview comes from ``compute``. Counting happens in the
database (conditional sums and GROUP BY over the ``unit_id, deleted, year`` index), never by loading rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain import periods
from fazhi_desktop.domain.indicators import INDICATORS
from fazhi_desktop.domain.kinds import MULTI_SEP
from fazhi_desktop.domain.ledgers import (
    APPEALED,
    CLOSED_DISPUTE_STATES,
    CORRECTED,
    FLEXIBLE_METHODS,
    INSPECTION,
    REVIEW_KINDS,
    TEN_ENTRIES,
    is_law,
    ledger,
)
from fazhi_desktop.domain.validation import choices_for
from fazhi_desktop.services.periods import in_window
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage.schema import ledger_table, report_texts


def declared(ledger_key: str, key: str, *values: str) -> frozenset[str]:
    """Declared choice values only: a renamed choice fails loudly, not as a silent 0."""
    choices = ledger(ledger_key).field(key).choices
    unknown = [v for v in values if v not in choices]
    if unknown:
        raise AssertionError(f"{ledger_key}.{key} has no choice {unknown}; update the indicator with the declaration")
    return frozenset(values)


def is_(t: sa.Table, key: str, *values: str) -> Any:
    """``column = value`` (or IN) for declared choice values only (``declared``)."""
    declared(t.name, key, *values)
    return t.c[key] == values[0] if len(values) == 1 else t.c[key].in_(values)


def _count(cond: Any = None) -> Any:
    if cond is None:
        return sa.func.count()
    return sa.func.coalesce(sa.func.sum(sa.case((cond, 1), else_=0)), 0)


def _sum(col: sa.Column) -> Any:
    return sa.func.coalesce(sa.func.sum(col), 0)


def rate(numerator: int, base: int) -> float | None:
    return None if not base else numerator / base


# Unit, year and reference date are bound parameters, so each statement is built once per process and reused for
# every unit and year: building SQLAlchemy expressions cost three times more than running the queries.
UNIT_ID, YEAR, REF_DATE = sa.bindparam("unit_id"), sa.bindparam("year"), sa.bindparam("ref_date")
FIRST_DAY, LAST_DAY = sa.bindparam("first_day", type_=sa.Date()), sa.bindparam("last_day", type_=sa.Date())
_STATEMENTS: dict[tuple[Any, ...], sa.Select] = {}


def _statement(key: tuple[Any, ...], build: Callable[[], sa.Select]) -> sa.Select:
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = build()
    return statement


def live(t: sa.Table) -> list[Any]:
    return [t.c.unit_id == UNIT_ID, t.c.deleted.is_(sa.false())]


def of_year(t: sa.Table) -> list[Any]:
    return [*live(t), t.c.year == YEAR]


def totals(t: sa.Table, where: list[Any], **columns: Any) -> sa.Select:
    return sa.select(*(c.label(k) for k, c in columns.items())).select_from(t).where(*where)


class _Year:
    """Runs the indicators' statements for one unit and year."""

    def __init__(self, conn: sa.Connection, unit: Unit, year: int, ref_date: dt.date):
        self.conn, self.unit = conn, unit
        first, last = periods.window(year, ref_date)
        self.params = {"unit_id": unit.id, "year": year, "ref_date": ref_date, "first_day": first, "last_day": last}

    def row(self, key: tuple[Any, ...], build: Callable[[], sa.Select]) -> dict[str, int]:
        """One row of totals; ``build`` makes the statement (a ``totals(...)``) the first time ``key`` is asked."""
        result = self.conn.execute(_statement(key, build), self.params).mappings().one()
        return {k: int(v or 0) for k, v in result.items()}

    def groups(self, ledger_key: str, columns: tuple[str, ...], sums: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        """The year's records in one pass, counted per combination of ``columns`` (``n``) with ``sums`` added up:
        a ledger's every figure from one scan of its index, not one scan per figure (#38)."""
        def build() -> sa.Select:
            t = ledger_table(ledger_key)
            return sa.select(*(t.c[c] for c in columns), sa.func.count().label("n"),
                             *(sa.func.coalesce(sa.func.sum(t.c[c]), 0).label(c) for c in sums)
                             ).where(*of_year(t)).group_by(*(t.c[c] for c in columns))

        statement = _statement(("groups", ledger_key, columns, sums), build)
        return [dict(r) for r in self.conn.execute(statement, self.params).mappings()]

    def tally(self, ledger_key: str, column: str, groups: list[dict[str, Any]],
              keep: Callable[[dict[str, Any]], bool] = lambda _g: True) -> dict[str, int]:
        """Counts per value of a choice column from ``groups`` (rows of the column's value and ``n``): every declared
        (and locally added) value, zeros included; a blank counts nowhere."""
        f = ledger(ledger_key).field(column)
        result = dict.fromkeys(choices_for(f, self.unit.local_choices, ledger_key), 0)
        for g in groups:
            if g[column] is not None and keep(g):
                result[g[column]] = result.get(g[column], 0) + g["n"]
        return result

    def breakdown(self, ledger_key: str, column: str, where: Callable[[sa.Table], list[Any]]) -> dict[str, int]:
        """Counts per value of a choice column among the records ``where`` selects (``tally``'s form)."""
        def build() -> sa.Select:
            col = ledger_table(ledger_key).c[column]
            return sa.select(col, sa.func.count().label("n")).where(*where(ledger_table(ledger_key))).group_by(col)

        statement = _statement(("by", ledger_key, column, where.__name__), build)
        return self.tally(ledger_key, column, [dict(r) for r in self.conn.execute(statement, self.params).mappings()])


def reference_date(conn: sa.Connection, unit: Unit, year: int) -> dt.date:
    """The report's 成文日期 when a draft exists, else the last day of the year."""
    found = conn.execute(
        sa.select(report_texts.c.doc_date).where(report_texts.c.unit_id == unit.id, report_texts.c.year == year)
    ).scalar()
    return found or dt.date(year, 12, 31)


def facilities_in_use(f: sa.Table) -> list[Any]:
    return [*live(f), sa.func.coalesce(f.c.in_use, sa.true()).is_(sa.true()),
            sa.or_(f.c.year.is_(None), f.c.year <= YEAR)]


def _organisation(q: _Year) -> dict[str, Any]:
    m, d, lg, f = (ledger_table(k) for k in ("meeting", "document", "leading_group", "facility"))
    out = q.row(("meeting",), lambda: totals(m, of_year(m), special=_count(is_(m, "kind", "法治建设专题会议")),
                                             total=_count(), issues=_sum(m.c.issues_resolved)))
    return {
        "org.special_meetings": out["special"],
        "org.meetings_total": out["total"],
        "org.issues_resolved": out["issues"],
        "org.documents": q.row(("document",), lambda: totals(d, of_year(d), n=_count()))["n"],
        "org.leading_group_members": q.row(("leading_group",), lambda: totals(lg, of_year(lg), n=_count()))["n"],
        "org.facilities": q.row(("facility",), lambda: totals(f, facilities_in_use(f), n=_count()))["n"],
        "org.facilities.by_kind": q.breakdown("facility", "kind", facilities_in_use),
    }


def _study(q: _Year) -> dict[str, Any]:
    s, r = ledger_table("study"), ledger_table("law_report")
    out = q.row(("study",), lambda: totals(
        s, of_year(s), center=_count(is_(s, "form", "党委理论学习中心组学法")), joint=_count(is_(s, "form", "干部群众共同学法")),
        pre=_count(is_(s, "form", "会前学法")), total=_count(), people=_sum(s.c.participants)))
    rep = q.row(("law_report",), lambda: totals(
        r, of_year(r), leaders=_count(is_(r, "identity", "党政主要负责人", "班子成员")),
        secretaries=_count(is_(r, "identity", "村党组织书记")), total=_count()))
    return {
        "study.center_group": out["center"], "study.joint": out["joint"], "study.pre_meeting": out["pre"],
        "study.total": out["total"], "study.participants": out["people"],
        "law_report.leaders": rep["leaders"], "law_report.village_secretaries": rep["secretaries"],
        "law_report.total": rep["total"],
    }


def _publicity(q: _Year) -> dict[str, Any]:
    ten, meeting = declared("publicity", "kind", TEN_ENTRIES), declared("publicity", "kind", "普法宣传会议")
    groups = q.groups("publicity", ("kind", "target", "topics"), ("audience", "materials", "banners", "boards"))
    total = sum(g["n"] for g in groups)
    tens = sum(g["n"] for g in groups if g["kind"] in ten)
    meetings = sum(g["n"] for g in groups if g["kind"] in meeting)
    by_law = _topics(q, groups)
    return {
        "publicity.ten_entries": tens,
        "publicity.ten_entries.by_target": q.tally("publicity", "target", groups, lambda g: g["kind"] in ten),
        "publicity.by_kind": q.tally("publicity", "kind", groups),
        "publicity.meetings": meetings,
        "publicity.campaigns": total - tens - meetings,
        "publicity.audience": sum(int(g["audience"]) for g in groups),
        "publicity.materials": sum(int(g["materials"]) for g in groups),
        "publicity.banners": sum(int(g["banners"]) for g in groups),
        "publicity.boards": sum(int(g["boards"]) for g in groups),
        "publicity.laws": sum(1 for topic in by_law if is_law(topic)),
        "publicity.laws.by_law": by_law,
    }


def _topics(q: _Year, groups: list[dict[str, Any]]) -> dict[str, int]:
    """Records per topic (法律) of the unit's topics, in their declared order: each stored set of topics split here.
    A LIKE per topic per record cost more than all the other statistics together at a million records (#38)."""
    topics = choices_for(ledger("publicity").field("topics"), q.unit.local_choices, "publicity")
    counts = dict.fromkeys(topics, 0)
    for g in groups:
        for topic in set((g["topics"] or "").split(MULTI_SEP)):
            if topic in counts:
                counts[topic] += g["n"]
    return {topic: n for topic, n in counts.items() if n}


def _talent_and_counsel(q: _Year) -> dict[str, Any]:
    t, c, s = ledger_table("legal_talent"), ledger_table("counsel"), ledger_table("counsel_service")
    tal = q.row(("legal_talent",), lambda: totals(
        t, [*live(t), t.c.year <= YEAR, sa.or_(t.c.left_year.is_(None), t.c.left_year > YEAR)],
        leaders=_count(is_(t, "category", "学法带头人")), understanders=_count(is_(t, "category", "法律明白人"))))
    counsel = q.row(("counsel",), lambda: totals(
        c, [*live(c), in_window(c, ledger("counsel").period, FIRST_DAY, LAST_DAY)], n=_count()))

    def reviews() -> sa.Select:
        is_review = is_(s, "kind", *REVIEW_KINDS)
        return totals(s, of_year(s), reviews=_count(is_review),
                      adopted=_count(sa.and_(is_review, s.c.adopted.is_(sa.true()))))

    rev = q.row(("counsel_service",), reviews)
    return {
        "talent.law_leaders": tal["leaders"], "talent.legal_understanders": tal["understanders"],
        "counsel.count": counsel["n"], "counsel.reviews": rev["reviews"],
        "counsel.review_adoption": rate(rev["adopted"], rev["reviews"]),
    }


def _enforcement(q: _Year) -> dict[str, Any]:
    """Cases are the records that are not a 行政检查; the 三项制度 rates are over cases too (indicators.md)."""
    e = ledger_table("enforcement")
    true = sa.true()

    def build() -> sa.Select:
        case = e.c.method != INSPECTION
        return totals(
            e, of_year(e), cases=_count(case), inspections=_count(is_(e, "method", INSPECTION)),
            flexible=_count(is_(e, "method", *FLEXIBLE_METHODS)), penalties=_count(is_(e, "method", "行政处罚")),
            recorded=_count(sa.and_(case, e.c.recorded.is_(true))),
            publicized=_count(sa.and_(case, e.c.publicized.is_(true))),
            major=_count(sa.and_(case, e.c.major.is_(true))),
            reviewed=_count(sa.and_(case, e.c.major.is_(true), e.c.legal_review.is_(true))))

    out = q.row(("enforcement",), build)
    return {
        "enforcement.cases": out["cases"], "enforcement.inspections": out["inspections"],
        "enforcement.flexible": out["flexible"],
        "enforcement.by_method": q.breakdown("enforcement", "method", of_year),
        "enforcement.penalties": out["penalties"],
        "enforcement.recorded_rate": rate(out["recorded"], out["cases"]),
        "enforcement.publicized_rate": rate(out["publicized"], out["cases"]),
        "enforcement.legal_review_rate": rate(out["reviewed"], out["major"]),
    }


def _disputes(q: _Year) -> dict[str, Any]:
    closed, resolved = declared("dispute", "status", *CLOSED_DISPUTE_STATES), declared("dispute", "status", "调解成功")
    groups = q.groups("dispute", ("status", "category", "risk"))
    found = sum(g["n"] for g in groups)
    handled = sum(g["n"] for g in groups if g["status"] in closed)
    success = sum(g["n"] for g in groups if g["status"] in resolved)
    return {
        "disputes.found": found, "disputes.handled": handled, "disputes.resolved": success,
        "disputes.handled_rate": rate(handled, found),
        "disputes.success_rate": rate(success, handled),
        "disputes.by_category": q.tally("dispute", "category", groups),
        "disputes.by_risk": q.tally("dispute", "risk", groups),
        "disputes.by_status": q.tally("dispute", "status", groups),
    }


def _rest(q: _Year) -> dict[str, Any]:
    r, ls, rl = ledger_table("rectification"), ledger_table("legal_service"), ledger_table("review_litigation")
    rect = q.row(("rectification",), lambda: totals(
        r, of_year(r), total=_count(), closed=_count(is_(r, "status", "已销号")),
        overdue=_count(sa.and_(is_(r, "status", "整改中"), r.c.deadline < REF_DATE))))
    rev = q.row(("review_litigation",), lambda: totals(
        rl, of_year(rl), cases=_count(), lawsuits=_count(is_(rl, "kind", "行政诉讼")),
        appeared=_count(sa.and_(is_(rl, "kind", "行政诉讼"), rl.c.head_appeared.is_(sa.true())))))
    consultations = q.row(("legal_service",), lambda: totals(ls, [*of_year(ls), is_(ls, "kind", "法律咨询")], n=_count()))
    return {
        "rectification.total": rect["total"], "rectification.closed": rect["closed"],
        "rectification.overdue": rect["overdue"],
        "legal_service.consultations": consultations["n"],
        "review.cases": rev["cases"],
        "review.head_appearance_rate": rate(rev["appeared"], rev["lawsuits"]),
    }


def _disclosure(q: _Year) -> dict[str, Any]:
    """政府信息公开 依申请: counted in SQL; 按时 needs each application's statutory date (working days over the holiday
    calendar, from the receipt or the 补正, less the days a third party was asked), so the year's applications — a
    few dozen at most in a township — are read once for it."""
    from fazhi_desktop.domain.deadlines import answered_in_time
    from fazhi_desktop.services.todo import calendar_of

    t = ledger_table("disclosure")
    out = q.row(("disclosure",), lambda: totals(
        t, of_year(t), requests=_count(), answered=_count(t.c.answered_on.is_not(None)),
        appeals=_count(is_(t, "appeal", *APPEALED)), corrected=_count(is_(t, "appeal_result", CORRECTED))))
    on_time = 0
    if out["answered"]:
        cal = calendar_of(q.unit)
        columns = [t.c.date, t.c.corrected_on, t.c.consult_days, t.c.extended_days, t.c.answered_on]
        statement = _statement(("disclosure-dates",), lambda: sa.select(*columns).where(
            *of_year(t), t.c.answered_on.is_not(None)))
        on_time = sum(1 for row in q.conn.execute(statement, q.params).mappings() if answered_in_time(row, cal))
    return {
        "disclosure.requests": out["requests"], "disclosure.answered": out["answered"], "disclosure.on_time": on_time,
        "disclosure.on_time_rate": rate(on_time, out["answered"]), "disclosure.appeals": out["appeals"],
        "disclosure.corrected": out["corrected"],
    }


_SECTIONS: tuple[Callable[[_Year], dict[str, Any]], ...] = (
    _organisation, _study, _publicity, _talent_and_counsel, _enforcement, _disputes, _rest, _disclosure,
)


def compute(conn: sa.Connection, unit: Unit, year: int, ref_date: dt.date | None = None) -> dict[str, Any]:
    """Every indicator for ``unit`` and ``year``, keyed as in indicators.md, in declaration order."""
    q = _Year(conn, unit, year, ref_date or reference_date(conn, unit, year))
    values: dict[str, Any] = {}
    for section in _SECTIONS:
        values.update(section(q))
    return {i.key: values[i.key] for i in INDICATORS}


def compute_with_previous(conn: sa.Connection, unit: Unit, year: int) -> tuple[dict[str, Any], dict[str, Any]]:
    return compute(conn, unit, year), compute(conn, unit, year - 1)


def change(current: Any, previous: Any) -> Any:
    """增减 for a count or rate; breakdowns and missing values have none."""
    if isinstance(current, bool) or not isinstance(current, int | float) or not isinstance(previous, int | float):
        return None
    return current - previous


def cross_table(conn: sa.Connection, unit: Unit, year: int, ledger_key: str, row_field: str, col_field: str,
                only: tuple[str, str] | None = None) -> dict[str, dict[str, int]]:
    """Counts by two choice fields (e.g. 纠纷类别 × 风险等级), every declared value present, zeros included.
    ``only`` keeps the records with one choice value, e.g. ("kind", "法律十进")."""
    lg = ledger(ledger_key)
    rows = choices_for(lg.field(row_field), unit.local_choices, ledger_key)
    cols = choices_for(lg.field(col_field), unit.local_choices, ledger_key)
    table = {r: dict.fromkeys(cols, 0) for r in rows}

    def build() -> sa.Select:
        t = ledger_table(ledger_key)
        return (sa.select(t.c[row_field], t.c[col_field], sa.func.count())
                .where(*of_year(t), *([is_(t, *only)] if only else []))
                .group_by(t.c[row_field], t.c[col_field]))

    statement = _statement(("cross", ledger_key, row_field, col_field, only), build)
    for r, c, n in conn.execute(statement, {"unit_id": unit.id, "year": year}):
        if r is None or c is None:
            continue
        table.setdefault(r, dict.fromkeys(cols, 0))[c] = table.get(r, {}).get(c, 0) + n
    return table


def figures(ctx, year: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """This year's and last year's indicators, for the overview."""
    with ctx.engine.connect() as conn:
        return compute_with_previous(conn, ctx.unit, year)


def overview_figures(ctx, year: int) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """This year's indicators and last year's — None when last year holds no record (its zeros are no figures)."""
    from fazhi_desktop.services.listing import years_in_use

    with ctx.engine.connect() as conn:
        current, previous = compute_with_previous(conn, ctx.unit, year)
        return current, (previous if year - 1 in years_in_use(conn, ctx.unit) else None)
