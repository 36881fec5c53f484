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
from fazhi_desktop.storage import info
from fazhi_desktop.storage.schema import ledger_table, package_receipts

# The figures a county compares townships by (counts only: a 合计 of rates would mean nothing).
SUMMARY_KEYS = (
    "org.special_meetings", "org.documents", "study.total", "study.participants", "law_report.total",
    "publicity.ten_entries", "publicity.audience", "publicity.materials", "talent.legal_understanders",
    "counsel.reviews", "enforcement.cases", "enforcement.penalties", "disputes.found", "disputes.resolved",
    "rectification.total", "rectification.closed", "rectification.overdue", "review.cases",
)
# Rates of the 汇总表, each from counts (a 合计 rate from the summed counts, never an average of rates).
RATES = (("调解成功率", "disputes.resolved", "disputes.handled"), ("整改销号率", "rectification.closed", "rectification.total"),
         ("信息公开按时答复率", "disclosure.on_time", "disclosure.answered"))
_INDICATORS = {ind.key: ind for ind in INDICATORS}
PUBLISH_BY = (4, 1)  # 督察工作规定: a year's report is public by 4月1日 of the next year
DEADLINE_KEY = "county.deadline"
ROSTER_KEY = "county.roster"  # the county's townships in its own order (#36): {"county": …, "townships": [[name, kind]]}
_DEADLINE = re.compile(r"(?:\d{4}-)?(\d{1,2})-(\d{1,2})")
KINDS = ("街道", "民族乡", "乡", "镇")  # longest suffix first: 民族乡 before 乡
MAX_TOWNSHIPS = 300
NOT_SENT, NOT_SENT_LATE, ON_TIME, LATE, SENT = "未报送", "逾期未报送", "按时", "逾期", "已报送"


@dataclass(frozen=True)
class Roster:
    county: str
    townships: tuple[tuple[str, str], ...]  # (name, kind), in the county's order

    @property
    def names(self) -> list[str]:
        return [n for n, _k in self.townships]


def kind_of(name: str) -> str | None:
    return next((k for k in KINDS if name.endswith(k) and len(name) > len(k)), None)


def parse_townships(text: str) -> list[tuple[str, str]]:
    """「柳树乡,肖咀镇,西华街道」 (commas of either width, 、 or one a line) in the county's order; a name whose kind its
    ending does not tell is written 名称:类型 (「城关:镇」)."""
    from fazhi_desktop.domain.values import bad_character

    out: list[tuple[str, str]] = []
    for raw in re.split(r"[,，、\n]+", text or ""):
        item = raw.strip()
        if not item:
            continue
        name, given = (x.strip() for x in re.split(r"[:：]", item, maxsplit=1)) if re.search(r"[:：]", item) \
            else (item, "")
        kind = given or kind_of(name)
        problem = bad_character(name) if name else "名称为空"
        if problem or len(name) > 50:
            raise UserError(f"乡镇（街道）「{item[:20]}」{problem or '名称过长'}")
        if kind not in KINDS:
            raise UserError(f"看不出「{name}」是乡、镇还是街道：请写成「{name}:镇」（类型为乡、镇、街道或民族乡）")
        if name in (n for n, _k in out):
            raise UserError(f"乡镇（街道）「{name}」写了两次")
        out.append((name, kind))
    if not out:
        raise UserError("请写出本县的乡镇（街道），按县里的顺序，用逗号隔开，如 柳树乡,肖咀镇,西华街道")
    if len(out) > MAX_TOWNSHIPS:
        raise UserError(f"乡镇（街道）超过 {MAX_TOWNSHIPS} 个，请核对名单")
    return out


def stored_roster(conn: sa.Connection) -> Roster | None:
    import json

    value = info.get(conn, ROSTER_KEY)
    try:
        data = json.loads(value) if value else None
        return Roster(str(data["county"]), tuple((str(n), str(k)) for n, k in data["townships"])) if data else None
    except (ValueError, KeyError, TypeError):
        return None


def store_roster(conn: sa.Connection, roster: Roster, actor: str) -> None:
    """The county's own setup: a setting of the database (a 管理员's once accounts exist), no township of its own."""
    import json

    from fazhi_desktop.domain.roles import SETTINGS
    from fazhi_desktop.domain.values import bad_character
    from fazhi_desktop.services import accounts

    accounts.require(conn, actor, SETTINGS)
    county = roster.county.strip()
    if not county or len(county) > 50 or bad_character(county):
        raise UserError("请写出县（市、区）的名称，如 甲县")
    info.put(conn, ROSTER_KEY, json.dumps({"county": county, "townships": [list(t) for t in roster.townships]},
                                           ensure_ascii=False))


def setup(ctx, county: str, townships: str, deadline: str | None = None):
    """``county setup``: the county's name, its townships in order, and (optionally) the report deadline."""
    from fazhi_desktop.services.context import Changed, Done

    roster = Roster(county, tuple(parse_townships(townships)))
    due = parse_deadline(deadline) if deadline else None
    with ctx.engine.begin() as conn:
        store_roster(conn, roster, ctx.actor)
        if due is not None:
            store_deadline(conn, due, ctx.actor)
    return Done(roster, Changed(unit=True))


@dataclass
class Submission:
    unit: str
    received_at: dt.datetime | None  # the first receipt of the year's package: 按时 or 逾期 is judged by it
    doc_date: dt.date | None
    has_report: bool
    findings_open: int | None
    reviewed_on: dt.date | None
    published_on: dt.date | None
    published_url: str | None
    late: list[str] = field(default_factory=list)
    state: str = NOT_SENT  # 未报送 / 逾期未报送 / 按时 / 逾期 (已报送 when the county set no deadline)
    corrections: list[dt.datetime] = field(default_factory=list)  # later packages of the year: 更正
    fingerprint: str = ""  # of the key the county pinned for the township ("" before its first signed package)


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
    rate_columns: tuple[int, ...] = ()  # 0-based columns of ``summary`` holding a rate (a share, shown as %)
    evidence: dict[str, tuple[int, int] | None] = field(default_factory=dict)  # township → (with 佐证材料, of)


SUBMISSION_HEADERS = ["乡镇（街道）", "报送情况", "首次收到日期", "更正（收到日期）", "成文日期", "报告PDF",
                      "报告体检未处理事项", "审议会议日期", "公开日期", "公开网址", "签名指纹", "需关注"]
EMPTY = "无"  # a ledger with no record for the year, marked so an empty cell is never read as 0 typed in


def submission_row(s: Submission) -> list[Any]:
    """One township's line of 报送情况, as the window and the workbook show it."""
    received = s.received_at is not None
    return [s.unit, s.state, s.received_at.date() if received else "",
            "、".join(f"{c:%Y-%m-%d}" for c in s.corrections), s.doc_date if received else "",
            ("已附" if s.has_report else "未附") if received else "",
            "" if s.findings_open is None else s.findings_open, s.reviewed_on, s.published_on,
            s.published_url or "", s.fingerprint or ("未签名" if received else ""), "；".join(s.late)]


COMPLETENESS_TAIL = ["空白台账数", "有佐证材料的记录"]


def completeness_row(name: str, counts: dict[str, int | None], evidence: tuple[int, int] | None = None) -> list[Any]:
    """Records per ledger; 无 for an empty ledger; then how many records that ask for 佐证材料 have them (「12/15」);
    a township that sent nothing has no figures, only 未报送."""
    if all(n is None for n in counts.values()):
        return [name, *("" for _n in counts), NOT_SENT, ""]
    files = f"{evidence[0]}/{evidence[1]}" if evidence and evidence[1] else EMPTY
    return [name, *((n if n else EMPTY) for n in counts.values()), sum(1 for n in counts.values() if not n), files]


def relink(ctx, township: str, fingerprint_text: str):
    """A 管理员's leave for one package of ``township`` signed by a new key (its PC rebuilt without restoring a
    backup): the fingerprint as the township reads it out or prints it; used by that package, in the history."""
    from fazhi_desktop.domain.audit_actions import UPDATE
    from fazhi_desktop.domain.roles import ADMIN_ONLY
    from fazhi_desktop.services import accounts, audit, signing_key
    from fazhi_desktop.services.context import Done
    from fazhi_desktop.storage.schema import units

    with ctx.engine.begin() as conn:
        accounts.require(conn, ctx.actor, ADMIN_ONLY)
        unit_id = conn.execute(sa.select(units.c.id).where(units.c.name == township)).scalar()
        if unit_id is None:
            raise UserError(f"县里还没有收到过{township}的数据包，它的第一个数据包会直接登记签名，无需重新关联")
        fp = signing_key.grant_relink(conn, township, fingerprint_text)
        audit.append(conn, ctx.actor, [audit.Change(unit_id, "unit", unit_id, UPDATE, {"准许新的签名密钥": (None, fp)})])
    return Done(fp)


def fingerprint_of(conn: sa.Connection, unit: Unit | None) -> str:
    from fazhi_desktop.services import signing_key

    pinned = signing_key.pinned(conn, unit.id) if unit is not None else None
    return pinned["fingerprint"] if pinned else ""


def submitted_report(conn: sa.Connection, township: str, year: int, public: bool = False) -> tuple[bytes, dt.datetime]:
    """The report (or its 公开版) a township sent with its year's package, as it came — the latest one sent, and
    when it was received."""
    from fazhi_desktop.storage.schema import DOCUMENT_KINDS, package_documents, units

    kind = DOCUMENT_KINDS[1] if public else DOCUMENT_KINDS[0]
    found = conn.execute(sa.select(package_documents.c.data, package_receipts.c.received_at).select_from(
        package_documents.join(package_receipts, package_documents.c.receipt_id == package_receipts.c.id)
        .join(units, package_receipts.c.unit_id == units.c.id)).where(
        units.c.name == township, package_receipts.c.year == year, package_documents.c.kind == kind)
        .order_by(package_receipts.c.received_at.desc()).limit(1)).first()
    if found is None:
        raise UserError(f"{township}没有随{year}年数据包报送{'年度报告公开版' if public else '年度报告PDF'}"
                        f"{'' if public else '（乡镇导出数据包时加上“附年度报告”即可）'}")
    return bytes(found.data), found.received_at


def submitted_report_of(ctx, township: str, year: int, public: bool = False) -> tuple[bytes, dt.datetime]:
    from fazhi_desktop.domain.roles import EXPORT
    from fazhi_desktop.services import accounts

    accounts.require_engine(ctx.engine, ctx.actor, EXPORT)
    with ctx.engine.connect() as conn:
        return submitted_report(conn, township, year, public)


def save_submitted_report(ctx, township: str, year: int, out, public: bool = False) -> dt.datetime:
    """The submitted report written out as it came (atomically); when it was received."""
    from fazhi_desktop.storage.atomic import atomic_stream

    data, received = submitted_report_of(ctx, township, year, public)
    with atomic_stream(out) as fh:
        fh.write(data)
    return received


def summary_label(key: str) -> str:
    ind = _INDICATORS[key]
    return f"{ind.label}（{ind.unit}）"


def parse_deadline(text: str) -> tuple[int, int]:
    m = _DEADLINE.fullmatch(text.strip())
    if not m:
        raise UserError(f"报送截止日期「{text[:20]}」写法不对，请写成 月-日，如 03-15（或 2024-03-25）")
    month, day = int(m[1]), int(m[2])
    try:
        dt.date(2024, month, day)
    except ValueError:
        raise UserError(f"报送截止日期「{text[:20]}」不是有效的日期") from None
    return month, day


def stored_deadline(conn: sa.Connection) -> tuple[int, int] | None:
    value = info.get(conn, DEADLINE_KEY)
    try:
        return parse_deadline(value) if value else None
    except UserError:
        return None


def store_deadline(conn: sa.Connection, deadline: tuple[int, int], actor: str) -> None:
    """The county's deadline is a setting of the database: a 管理员's once accounts exist."""
    from fazhi_desktop.domain.roles import SETTINGS
    from fazhi_desktop.services import accounts

    accounts.require(conn, actor, SETTINGS)
    info.put(conn, DEADLINE_KEY, f"{deadline[0]:02d}-{deadline[1]:02d}")


def _ref_date(draft: dict[str, Any] | None, year: int) -> dt.date:
    return (draft or {}).get("doc_date") or dt.date(year, 12, 31)


def _submission(conn: sa.Connection, name: str, unit: Unit | None, year: int, draft: dict[str, Any] | None,
                deadline: tuple[int, int] | None, today: dt.date) -> Submission:
    receipts = [] if unit is None else conn.execute(sa.select(
        package_receipts.c.received_at, package_receipts.c.has_report, package_receipts.c.findings_open).where(
        package_receipts.c.unit_id == unit.id, package_receipts.c.year == year)
        .order_by(package_receipts.c.received_at, package_receipts.c.id)).all()
    first, latest = (receipts[0], receipts[-1]) if receipts else (None, None)
    d = draft or {}
    sub = Submission(name, first.received_at if first else None, d.get("doc_date"),
                     bool(latest and latest.has_report), latest.findings_open if latest else None,
                     d.get("reviewed_on"), d.get("published_on"), d.get("published_url"),
                     corrections=[r.received_at for r in receipts[1:]], fingerprint=fingerprint_of(conn, unit))
    due = dt.date(year + 1, *deadline) if deadline is not None else None
    if first is None:
        sub.state = NOT_SENT_LATE if due is not None and today > due else NOT_SENT
        if sub.state == NOT_SENT_LATE:
            sub.late.append(f"未报送（截止{due.month}月{due.day}日）")
    elif due is None:
        sub.state = SENT
    elif first.received_at.date() > due:  # a correction sent later never makes a township late (#36)
        sub.state = LATE
        sub.late.append(f"逾期报送（截止{due.month}月{due.day}日）")
    else:
        sub.state = ON_TIME
    publish_by = dt.date(year + 1, *PUBLISH_BY)
    if first is not None and sub.published_on is None and today > publish_by:
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


def _townships(conn: sa.Connection, year: int, roster: Roster | None) -> list[tuple[str, Unit | None, bool]]:
    """(name, unit, sent) in the county's order: its roster, then any unit that sent a package without being on it.
    Without a roster (a county database from before #36), every unit, by name. A unit neither on the roster nor ever
    sending a package (the placeholder an old first-run wizard made) is no township."""
    units = list_units(conn)
    sent_ids = set(conn.execute(sa.select(package_receipts.c.unit_id).distinct().where(
        package_receipts.c.year == year)).scalars())
    if roster is None:
        return [(u.name, u, True) for u in sorted(units, key=lambda u: u.name)]
    by_name = {u.name: u for u in units}
    ever = set(conn.execute(sa.select(package_receipts.c.unit_id).distinct()).scalars())
    out = [(name, by_name.get(name), by_name.get(name) is not None and by_name[name].id in sent_ids)
           for name in roster.names]
    out += [(u.name, u, u.id in sent_ids) for u in sorted(units, key=lambda u: u.name)
            if u.name not in roster.names and u.id in ever]
    return out


def _evidence(conn: sa.Connection, unit: Unit, year: int) -> tuple[int, int]:
    """Of the year's records of the ledgers that ask for 佐证材料, how many have at least one file."""
    from fazhi_desktop.storage.schema import attachments

    have = total = 0
    for lg in LEDGERS:
        if not lg.evidence:
            continue
        t = ledger_table(lg.key)
        attached = sa.exists().where(attachments.c.record_id == t.c.id)
        row = conn.execute(sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(sa.case((attached, 1), else_=0)), 0))
                           .where(t.c.unit_id == unit.id, t.c.deleted.is_(sa.false()), t.c.year == year)).one()
        total, have = total + row[0], have + int(row[1])
    return have, total


def view(conn: sa.Connection, year: int, *, today: dt.date | None = None,
         deadline: tuple[int, int] | None = None) -> CountyView:
    today = today or dt.date.today()
    deadline = deadline or stored_deadline(conn)
    roster = stored_roster(conn)
    summary, submissions, completeness, risks, evidence = [], [], {}, [], {}
    rate_keys = [k for _l, n, d in RATES for k in (n, d)]
    totals = dict.fromkeys([*SUMMARY_KEYS, *rate_keys], 0)
    townships = _townships(conn, year, roster)
    for name, unit, sent in townships:
        draft = reports_text.load_report_text(conn, unit, year) if unit is not None else None
        submissions.append(_submission(conn, name, unit, year, draft, deadline, today))
        if unit is None or not sent:  # nothing of the year received: no figure is printed for it, not even a 0
            summary.append([name, *(None for _k in SUMMARY_KEYS), *(None for _r in RATES)])
            completeness[name] = {lg.name: None for lg in LEDGERS}
            evidence[name] = None
            continue
        ref = _ref_date(draft, year)
        s = stats.compute(conn, unit, year, ref)
        summary.append([name, *(s[k] for k in SUMMARY_KEYS), *(stats.rate(s[n], s[d]) for _l, n, d in RATES)])
        for k in totals:
            totals[k] += s[k]
        completeness[name] = {
            lg.name: listing.count(conn, unit, listing.ListQuery(lg.key, year=year, ref_date=ref)) for lg in LEDGERS}
        evidence[name] = _evidence(conn, unit, year)
        risks += _risks(conn, unit, year, ref)
    summary.append(["合计", *(totals[k] for k in SUMMARY_KEYS), *(stats.rate(totals[n], totals[d]) for _l, n, d in RATES)])
    counties = Counter(u.county for _n, u, _s in townships if u is not None and u.county)
    county = roster.county if roster else (counties.most_common(1)[0][0] if counties else "")
    headers = ["乡镇（街道）", *(summary_label(k) for k in SUMMARY_KEYS), *(f"{label}（%）" for label, _n, _d in RATES)]
    first_rate = 1 + len(SUMMARY_KEYS)
    return CountyView(year, [n for n, _u, _s in townships], headers, summary, submissions, completeness, risks,
                      deadline, county, tuple(range(first_rate, first_rate + len(RATES))), evidence)


def view_of(ctx, year: int, **kw: Any) -> CountyView:
    with ctx.engine.connect() as conn:
        return view(conn, year, **kw)


def set_deadline(ctx, deadline: tuple[int, int]):
    from fazhi_desktop.services.context import Done

    with ctx.engine.begin() as conn:
        store_deadline(conn, deadline, ctx.actor)
    return Done(deadline)


@dataclass
class ScoreRow:
    township: str
    scores: list[Any]  # per item: a Decimal, None (the reviewers score it) — or all None when nothing was received
    total: Any  # Decimal, None when nothing was received
    rank: int | None = None


def score_all(conn: sa.Connection, year: int, sheet: Any) -> list[ScoreRow]:
    """考核汇总 (#36): every township scored from one 考核细则 (a ``domain.scoring.ScoreSheet`` with its rules) by its own
    figures (the same ``score_figures.score_unit`` as its own 考核自评), its total of the items the ledgers can score,
    and its rank — ties share one (1, 2, 2, 4). A township that sent nothing is listed, unscored and unranked."""
    from fazhi_desktop.domain.scoring import total
    from fazhi_desktop.services import score_figures

    rows: list[ScoreRow] = []
    for name, unit, sent in _townships(conn, year, stored_roster(conn)):
        if unit is None or not sent:
            rows.append(ScoreRow(name, [None] * len(sheet.items), None))
            continue
        scored = score_figures.score_unit(conn, unit, year, sheet)
        rows.append(ScoreRow(name, ["一票否决" if s.vetoed else s.score for s in scored], total(scored).own))
    totals = sorted((r.total for r in rows if r.total is not None), reverse=True)
    for r in rows:
        if r.total is not None:
            r.rank = totals.index(r.total) + 1
    return rows
