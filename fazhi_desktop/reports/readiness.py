"""年度报告体检: what to fix before the report is printed and sent — each finding says what to do and where.

Used by the report tab (a list whose items jump to the place to fix) and by ``report --check`` / ``report``
(printed as warnings; ``--strict`` refuses to write while any remain).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import sqlalchemy as sa

from fazhi_desktop.domain import periods
from fazhi_desktop.domain.ledgers import LEDGERS, ledger
from fazhi_desktop.services import listing, reports_text
from fazhi_desktop.services.records import RecordService
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage.schema import ledger_table

# The ledgers the report's sentences draw on: all of them, in declaration order (法律顾问台账, whose records are
# contracts rather than the year's work, is judged by whether a contract covers the year, below).
REPORT_LEDGERS = tuple(lg.key for lg in LEDGERS if lg.activity)
MAX_RECORD_FINDINGS = 50  # per kind: a list a clerk can work through


@dataclass(frozen=True)
class Finding:
    message: str  # what is wrong and what to do, in Chinese
    ledger: str | None = None  # where to fix it: a ledger key, or None for the 年度报告 page
    record_id: str | None = None
    field: str | None = None  # a field of the record, or of the 年度报告 page
    rank: int | None = None  # how much it matters (see rank()); None: derived from where it is fixed

    def __str__(self) -> str:
        return self.message


def check(conn: sa.Connection, unit: Unit, year: int, document=None) -> list[Finding]:
    """Everything to handle before the report goes out. ``document``: the report as built already (the default
    template), so a command that lints and then prints it builds it once."""
    draft = reports_text.load_report_text(conn, unit, year) or {}
    out: list[Finding] = []
    doc_date = draft.get("doc_date")
    if not doc_date:
        out.append(Finding("未填写成文日期：请在“年度报告”页填写（打印在落款下方）。在此之前报告使用生成当天的日期。",
                           field="doc_date"))
    if not draft.get("problems"):
        out.append(Finding("“存在问题”未填写：报告将使用根据台账数字归纳的问题，请在“年度报告”页核对或改写。",
                           field="problems"))
    if not draft.get("plans"):
        out.append(Finding("“工作打算”未填写：报告将针对存在的问题逐条写出打算，请在“年度报告”页核对或改写。",
                           field="plans"))
    for key in REPORT_LEDGERS:
        lg = ledger(key)
        if not listing.count(conn, unit, listing.ListQuery(key, year=year)):
            out.append(Finding(f"{lg.name}{year}年没有记录：报告中相应内容将略去。如确有工作，请先补录。", ledger=key))
    ref = doc_date or dt.date(year + 1, 1, 1)
    out += _overdue(conn, unit, year, ref)
    out += _deadlines_missed(conn, unit, year)
    out += _counsel(conn, unit, year, doc_date or dt.date(year, 12, 31))  # stats.reference_date's rule
    out += _record_warnings(conn, unit, year)
    out += _materials_missing(conn, unit, year)
    out += text_findings(conn, unit, year, draft, document)
    return ranked(out)


def rank(finding: Finding) -> int:
    """How much a finding matters to the printed report: 0 — the report would print something wrong (its words,
    stale figures, the date); 1 — a record is behind (overdue 整改, disputes past their limit, other records);
    2 — something is missing and the report says less (a ledger without records, text the program writes)."""
    if finding.rank is not None:
        return finding.rank
    if finding.ledger is None and (finding.field or "").startswith("section"):
        return 0
    return 1 if finding.record_id else 2


def ranked(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=rank)  # stable: within a rank, the order they were found in


def text_findings(conn: sa.Connection, unit: Unit, year: int, draft: dict | None = None, document=None
                  ) -> list[Finding]:
    """The report linter: the words the report will print, read as a county reviewer reads them, plus what the
    records say the words must not leave out (open disputes past their time limit, overdue 整改 the clerk's
    存在问题 ignore) and a 成文日期 that does not fit the year."""
    from fazhi_desktop.reports.content.builder import build_document
    from fazhi_desktop.reports.content.lint import lint_document, problems_ignoring_overdue
    from fazhi_desktop.services import stats

    draft = draft if draft is not None else reports_text.load_report_text(conn, unit, year) or {}
    document = document if document is not None else build_document(conn, unit, year)
    texts = {**document.sections, **{k: v for k, v in (draft.get("sections") or {}).items() if (v or "").strip()}}
    out = [Finding(f"报告文字：{f.message}", field=_section_of(f.excerpt, texts))
           for f in lint_document(document, unit.kind, [unit.name, *unit.villages])]
    out += _stale_sections(document.sections, draft.get("sections") or {})
    out += _claims_not_borne_out(conn, unit, year, document)
    out += _causes_missing(draft)
    out += _personal_numbers(draft)
    doc_date = draft.get("doc_date")
    out += _date_problem(unit, year, doc_date, document.date)
    ref = doc_date or dt.date(year, 12, 31)
    out += _disputes_overdue(conn, unit, year, ref)
    ignored = problems_ignoring_overdue(draft.get("problems") or [], stats.compute(conn, unit, year, ref)
                                        ["rectification.overdue"])
    if ignored:
        out.append(Finding(ignored, field="problems", rank=1))
    return out


# A figure as the report states it: 24件, 87.5%, 416人次 … (a bare number could be a year or a 文号).
FIGURE = re.compile(r"\d+(?:\.\d+)?(?:%|个百分点|人次|场次|件|次|个|名|人|份|条|块|项|部|家|期|场|处|起)")
MAX_STALE_FIGURES = 4


def _stale_sections(generated: dict[str, str], own: dict[str, str]) -> list[Finding]:
    """A section the clerk saved (often the generated text, edited) states figures the ledgers no longer give: a
    dispute added after 保存文稿 leaves 「24件」 printed while the ledger says 25. Each such section is named with the
    figures that differ and today's, so the clerk updates the text or takes the generated one again."""
    from fazhi_desktop.reports.content.builder import SECTION_LABELS

    out = []
    for key, text in own.items():
        if not (text or "").strip() or key not in generated:
            continue
        now = FIGURE.findall(generated[key])
        stale = [f for f in dict.fromkeys(FIGURE.findall(text)) if f not in now]
        if not stale:
            continue
        shown = "」「".join(stale[:MAX_STALE_FIGURES]) + ("」等" if len(stale) > MAX_STALE_FIGURES else "」")
        out.append(Finding(f"已保存的「{SECTION_LABELS.get(key, key)}」文稿中的数字「{shown}与台账现在算出的不一致"
                           f"（台账已有变动）：请按右侧生成的文字核对修改，或清空文稿改用生成的文字。",
                           field=f"section:{key}"))
    return out


def report_deadline(unit: Unit, year: int) -> dt.date:
    """The last day a report of ``year`` may be dated: the county's 报送 date when set in 设置 → 待办期限 (次年的月-日),
    else 31 March — 督察规定 has the report sent and published before 1 April."""
    due = str((unit.settings or {}).get("report_due") or "")
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", due.strip())
    if m:
        try:
            return dt.date(year + 1, int(m[1]), int(m[2]))
        except ValueError:
            pass
    return dt.date(year + 1, 3, 31)


def _date_problem(unit: Unit, year: int, doc_date: dt.date | None, printed: dt.date | None) -> list[Finding]:
    """The date under the signature must fit the report (#34): after its year has ended, by the county's deadline.
    Without a 成文日期 the report carries the day it is made, which for an old year is years later."""
    first, last = dt.date(year + 1, 1, 1), report_deadline(unit, year)
    day = doc_date or printed
    if day is None or first <= day <= last:
        return []
    span = f"{first:%Y-%m-%d}至{last:%Y-%m-%d}"
    if doc_date:
        return [Finding(f"成文日期 {doc_date:%Y-%m-%d} 不在{year}年度报告应有的日期范围内（{span}，即年度结束后、报送截止前）："
                        "请核对。", field="doc_date", rank=0)]
    return [Finding(f"没有填写成文日期，报告将印上生成当天的日期 {day:%Y-%m-%d}，不在{year}年度报告应有的日期范围内（{span}）："
                    "请在“年度报告”页填写成文日期。", field="doc_date", rank=0)]


# Words that give a cause: 督察规定's second item is 「存在的不足和原因」.
_CAUSE = re.compile(r"原因|由于|因为|因而|导致|造成|主要是|究其")


def _causes_missing(draft: dict) -> list[Finding]:
    """督察规定五项 asks for 不足 and their 原因. The records show some 不足 but never why: the program does not invent a
    cause (#34), it asks the clerk for one — for its own list of 不足, and for each of the clerk's without one."""
    from fazhi_desktop.reports.content.builder import DEFAULT_TEMPLATE, REQUIRED_STRUCTURE

    if (draft.get("template") or DEFAULT_TEMPLATE) != REQUIRED_STRUCTURE:
        return []
    own = draft.get("problems") or []
    if not own:
        return [Finding("“存在的不足和原因”只列出了根据记录归纳的不足，没有原因：原因只有本单位清楚，程序不代写。请在“年度报告”页的"
                        "“存在问题”中逐条写明不足及其原因。", field="problems", rank=0)]
    return [Finding(f"“存在问题”第{n}条没有写原因（「{text[:20]}」）：督察规定要求写明不足和原因，请补写原因。",
                    field="problems", rank=0) for n, text in enumerate(own, 1) if not _CAUSE.search(text)]


def _personal_numbers(draft: dict) -> list[Finding]:
    """An ID or mobile number in the clerk's own text would go to the county (#34): printed masked, and asked out."""
    from fazhi_desktop.domain.idcard import personal_numbers_in

    out = []
    texts = [("problems", p) for p in draft.get("problems") or []] + [("plans", p) for p in draft.get("plans") or []]
    texts += [(f"section:{k}", v) for k, v in (draft.get("sections") or {}).items() if isinstance(v, str)]
    texts += [("basis", draft.get("basis") or "")]
    for where, text in texts:
        found = personal_numbers_in(text)
        if found:
            out.append(Finding(f"报告文字中有身份证号或手机号（{'、'.join(found[:3])}）：报告和数据包中已隐去中间数字，但这类个人信息"
                               "不应写进报告，请删去。", field=where, rank=0))
    return out


def _claims_not_borne_out(conn: sa.Connection, unit: Unit, year: int, document) -> list[Finding]:
    """The independent check of every generated sentence (services.claim_check): one the cited records do not bear
    out would print something untrue. It cannot happen by the writer's construction; if it does, it is said."""
    from fazhi_desktop.services import claim_check

    out = []
    checker = claim_check.Checker(conn, unit.id, year, document.ref_date)
    for key, claims in document.claims_by_section.items():
        for problem in claim_check.check(conn, unit.id, year, document.ref_date, claims, checker):
            out.append(Finding(f"报告中的一句话与记录不符：{problem}。请核对相关记录，或把这一部分改写为自己的文字。",
                               field=f"section:{key}", rank=0))
    return out


def _section_of(excerpt: str, texts: dict[str, str]) -> str:
    """``section:<key>`` of the section whose words the finding quotes (the report tab opens it), else the list."""
    for key, text in texts.items():
        for line in (ln.strip() for ln in (text or "").splitlines()):
            if line and excerpt and (line in excerpt or excerpt in line):
                return f"section:{key}"
    return "sections"


def _disputes_overdue(conn: sa.Connection, unit: Unit, year: int, ref: dt.date) -> list[Finding]:
    from fazhi_desktop.domain.ledgers import CLOSED_DISPUTE_STATES

    t = ledger_table("dispute")
    rows = conn.execute(sa.select(t.c.id, t.c.parties, t.c.deadline).where(
        t.c.unit_id == unit.id, t.c.deleted.is_(sa.false()), t.c.year == year,
        t.c.status.not_in(CLOSED_DISPUTE_STATES), t.c.deadline < ref).order_by(t.c.deadline)
        .limit(MAX_RECORD_FINDINGS)).all()
    return [Finding(f"矛盾纠纷「{(parties or '')[:20]}」已超过化解时限（{deadline:%Y-%m-%d}）仍未调处完毕：请更新调处进展。",
                    ledger="dispute", record_id=rid, field="status") for rid, parties, deadline in rows]


def _overdue(conn: sa.Connection, unit: Unit, year: int, ref: dt.date) -> list[Finding]:
    t = ledger_table("rectification")
    rows = conn.execute(sa.select(t.c.id, t.c.problem, t.c.deadline).where(
        t.c.unit_id == unit.id, t.c.deleted.is_(sa.false()), t.c.year == year, t.c.status == "整改中",
        t.c.deadline < ref).order_by(t.c.deadline).limit(MAX_RECORD_FINDINGS)).all()
    return [Finding(f"整改问题「{(problem or '')[:30]}」已超过整改时限（{deadline:%Y-%m-%d}）仍未销号：请更新整改进展，"
                    "或在报告中说明原因。", ledger="rectification", record_id=rid, field="status")
            for rid, problem, deadline in rows]


def _deadlines_missed(conn: sa.Connection, unit: Unit, year: int) -> list[Finding]:
    from fazhi_desktop.services import todo

    # the items that name the date marking them done: statutory periods and 合法性审查 (the 整改 and 纠纷化解 ones have
    # findings of their own)
    missed = [i for i in todo.open_items(todo.items(conn, unit, year), dt.date.today()) if i.field]
    return [Finding(f"{item.what}：已超过法定期限（{item.due:%Y-%m-%d}，{item.basis}）。办理了的请登记日期，"
                    "未办理的请尽快办理。", ledger=item.ledger, record_id=item.record_id, field=item.field)
            for item in missed[:MAX_RECORD_FINDINGS]]


def _counsel(conn: sa.Connection, unit: Unit, year: int, ref: dt.date) -> list[Finding]:
    t = ledger_table("counsel")
    rows = conn.execute(sa.select(t.c.id, t.c.name, t.c.service_from, t.c.service_to, t.c.signed_on).where(
        t.c.unit_id == unit.id, t.c.deleted.is_(sa.false())).order_by(t.c.signed_on)).all()
    first, last = periods.window(year, ref)  # the one rule the statistics and the report count by
    covering = [r for r in rows if periods.overlaps(r.service_from or r.signed_on, r.service_to, first, last)]
    if not rows:
        return [Finding("没有录入法律顾问合同：报告将写“尚未聘请法律顾问”。如已聘请，请在法律顾问台账中补录。", ledger="counsel")]
    if covering:
        return []
    newest = rows[-1]
    span = f"{newest.service_from or newest.signed_on:%Y-%m-%d}至{newest.service_to:%Y-%m-%d}" if newest.service_to \
        else f"自{newest.service_from or newest.signed_on:%Y-%m-%d}起"
    return [Finding(f"法律顾问合同（{newest.name}，{span}）没有覆盖{year}年：报告会照实写签约时间；"
                    "如有该年度的合同，请补录。", ledger="counsel", record_id=newest.id, field="service_from")]


def _record_warnings(conn: sa.Connection, unit: Unit, year: int) -> list[Finding]:
    """Records that pass validation but carry a warning of a ledger rule (重大执法决定 without 法制审核, say).
    Only ledgers that declare such rules are read, and a 必须/应当 rule is asked of the database directly, so the
    check stays quick however many records a year holds."""
    from fazhi_desktop.domain.fields import PatternWarning, RequireTrueWhen

    out: list[Finding] = []
    for lg in LEDGERS:
        t = ledger_table(lg.key)
        live = [t.c.unit_id == unit.id, t.c.deleted.is_(sa.false()), t.c.year == year]
        for rule in lg.rules:
            if isinstance(rule, RequireTrueWhen) and rule.warning:
                rows = conn.execute(sa.select(t).where(*live, t.c[rule.when].is_(sa.true()), sa.or_(
                    t.c[rule.target].is_(None), t.c[rule.target].is_(sa.false()))).limit(MAX_RECORD_FINDINGS))
                label = lg.field(rule.target).label
                out += [Finding(f"{lg.name}中{_label(dict(r), lg)}：{rule.message}（「{label}」），请核对并补正这条记录。",
                                ledger=lg.key, record_id=r.id, field=rule.target) for r in rows.mappings()]
            elif isinstance(rule, PatternWarning):
                svc = RecordService(conn.engine, unit)
                query = listing.ListQuery(lg.key, year=year)
                for record in listing.page(conn, unit, query, 0, MAX_RECORD_FINDINGS * 20):
                    for p in svc.validate(lg, record)[1]:
                        if p.warning and p.field == rule.target:
                            out.append(Finding(f"{lg.name}中{_label(record, lg)}：{p.message}（「{p.label}」），"
                                               "请核对并补正这条记录。", ledger=lg.key, record_id=record["id"],
                                               field=p.field))
        if len(out) >= MAX_RECORD_FINDINGS:
            return out[:MAX_RECORD_FINDINGS]
    return out


def _materials_missing(conn: sa.Connection, unit: Unit, year: int) -> list[Finding]:
    """A record whose state calls for a document (调解成功 by agreement → 调解协议书, 行政处罚 → 处罚决定书) without it
    among its 佐证材料 — the 台账汇编 puts a 「缺」 page in its place, and an inspector asks for it first."""
    from fazhi_desktop.storage.schema import attachments

    out: list[Finding] = []
    for lg in LEDGERS:
        if not lg.materials:
            continue
        held: dict[str, list[dict]] = {}
        for row in conn.execute(sa.select(attachments.c.record_id, attachments.c.name, attachments.c.material).where(
                attachments.c.unit_id == unit.id, attachments.c.ledger == lg.key)).mappings():
            held.setdefault(row["record_id"], []).append(dict(row))
        for record in listing.page(conn, unit, listing.ListQuery(lg.key, year=year), 0, 10_000_000):
            for m in lg.materials:
                if m.needed(record) and not m.held(held.get(record["id"], [])):
                    out.append(Finding(f"{lg.name}中{_label(record, lg)}应有{m.name}，佐证材料中没有：请扫描后添加（文件名"
                                       f"写明“{m.name}”，或添加时在“材料名称”中选择）。", ledger=lg.key,
                                       record_id=record["id"]))
                    if len(out) >= MAX_RECORD_FINDINGS:
                        return out
    return out


def _label(record: dict, lg) -> str:
    title = record.get(lg.title_field)
    if title:
        return f"「{str(title)[:20]}」"
    date = record.get(lg.year_from)
    return f"{date}的记录" if date else "一条记录"


def check_for(ctx, year: int, document=None) -> list[Finding]:
    with ctx.engine.connect() as conn:
        return check(conn, ctx.unit, year, document)
