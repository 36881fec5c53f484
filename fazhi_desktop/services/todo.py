"""待办: the year's legal deadlines, derived from the records (never typed twice), with days left.

The statutory ones (行政诉讼 答辩状, 行政复议 书面答复 and its 简易程序, 行政处罚 decision, 听证 and 送达, 行政强制 催告 and
申请法院强制执行, 政府信息公开 依申请 答复, 补正 and 第三方意见, 信访 受理 and 办结) are counted by ``domain.deadlines``: the
version of the law in force on the day the period starts, its days counted as that version counts them, over the
shipped holiday calendar (``domain.holidays``) and the unit's additions to it. 合法性审查: working days (a setting,
default 15, plus an extension where the county allows one); 整改时限; a dispute's own time limit, or the setting's
days (default 7, 一般纠纷), red-level ones flagged at once; the counsel contract's end; the county's report date (a
setting) and the 4月1日 publication limit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain import deadlines, holidays
from fazhi_desktop.domain.ledgers import CLOSED_DISPUTE_STATES, PETITION, REVIEW_KINDS
from fazhi_desktop.services import listing, reports_text
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage.schema import ledger_table

DEFAULTS = {"review_days": 15, "review_extension_days": 0, "dispute_simple_days": 1, "dispute_days": 7,
            "dispute_complex_days": 20, "due_soon_days": 7,
            "report_due": None, "holidays": [], "workdays": []}
DONE, OVERDUE, SOON, LATER, NOW = "已完成", "已逾期", "即将到期", "未到期", "立即处置"


@dataclass(frozen=True)
class Item:
    what: str  # the duty, with the record it is about
    due: dt.date
    done: bool
    basis: str  # the rule behind the date
    ledger: str | None = None
    record_id: str | None = None
    urgent: bool = False  # red-level: acted on now, whatever the date
    field: str | None = None  # a period 报告体检 names when missed (statutory, 合法性审查): the date that marks it done

    def state(self, today: dt.date, soon_days: int) -> str:
        if self.done:
            return DONE
        if self.urgent:
            return NOW
        if today > self.due:
            return OVERDUE
        return SOON if (self.due - today).days <= soon_days else LATER

    def days_left(self, today: dt.date) -> int:
        return (self.due - today).days


def settings_of(unit: Unit) -> dict[str, Any]:
    return {**DEFAULTS, **(unit.settings.get("todo") or {})}


def calendar_of(unit: Unit) -> holidays.Calendar:
    """The shipped holiday calendar with the unit's own additions (设置 → 待办期限, or a county's calendar file)."""
    cfg = settings_of(unit)
    return holidays.calendar(cfg["holidays"], cfg["workdays"])


def clean_settings(values: Mapping[str, Any]) -> dict[str, Any]:
    """The 待办 settings as typed in 设置, checked by their declarations; a date list with a wrong entry or a report
    date that is no 月-日 names the field (``ValidationError``)."""
    import re

    from fazhi_desktop.domain.errors import Problem, ValidationError
    from fazhi_desktop.domain.unit import TODO_FIELDS
    from fazhi_desktop.domain.validation import validate_fields

    clean, problems = validate_fields(TODO_FIELDS, values)
    problems = [p for p in problems if not p.warning]
    labels = {f.key: f.label for f in TODO_FIELDS}
    due = clean.get("report_due")
    if due:
        m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", due)
        try:
            if not m:
                raise ValueError
            dt.date(2024, int(m[1]), int(m[2]))
        except ValueError:
            problems.append(Problem("report_due", labels["report_due"], f"「{due}」应写成 月-日，如 03-15"))
    for key in ("holidays", "workdays"):
        for entry in clean.get(key) or []:
            try:
                dt.date.fromisoformat(entry)
            except ValueError:
                problems.append(Problem(key, labels[key], f"「{entry[:20]}」不是日期，应写成 2024-10-01"))
                break
    for key in ("review_days", "dispute_simple_days", "dispute_days", "dispute_complex_days", "due_soon_days"):
        if clean.get(key) is not None and not 0 < clean[key] <= 365:
            problems.append(Problem(key, labels[key], "应在 1 到 365 之间"))
    if problems:
        raise ValidationError(problems)
    return {k: v for k, v in clean.items() if v not in (None, [], "")}


def add_working_days(start: dt.date, n: int, holidays_off: Iterable[Any] = (), workdays: Iterable[Any] = ()) -> dt.date:
    """The ``n``-th working day after ``start`` by the shipped holiday calendar and the unit's additions."""
    return deadlines.add_working_days(start, n, holidays.calendar(holidays_off, workdays))


def _rows(conn: sa.Connection, unit: Unit, key: str, year: int, ref: dt.date | None) -> list[Mapping[str, Any]]:
    t = ledger_table(key)
    q = listing.ListQuery(key, year=year, ref_date=ref)
    return list(conn.execute(sa.select(t).where(*listing.where_of(unit, q))).mappings())


def items(conn: sa.Connection, unit: Unit, year: int, today: dt.date | None = None) -> list[Item]:
    """Every deadline of the year, earliest first."""
    cfg = settings_of(unit)
    draft = reports_text.load_report_text(conn, unit, year) or {}
    ref = draft.get("doc_date")
    out: list[Item] = []
    cal = calendar_of(unit)  # the shipped calendar, and the unit's additions
    today = today or dt.date.today()
    out += _review_items(_rows(conn, unit, "review_litigation", year, ref), cal)
    out += _enforcement_items(_rows(conn, unit, "enforcement", year, ref), cal, today)
    out += _disclosure_items(_rows(conn, unit, "disclosure", year, ref), cal, today)
    out += _petition_items(_rows(conn, unit, "dispute", year, ref), cal)
    for r in _rows(conn, unit, "counsel_service", year, ref):
        if r["kind"] in REVIEW_KINDS:
            # a case's own extension, else the county's general one (设置)
            extension = r["extension_days"] if r["extension_days"] is not None else int(cfg["review_extension_days"])
            review_days = int(cfg["review_days"]) + extension
            out.append(Item(f"{r['kind']}「{r['title']}」：出具审查意见",
                            deadlines.add_working_days(r["date"], review_days, cal),
                            r["completed_on"] is not None, f"合法性审查期限（{review_days}个工作日）", "counsel_service",
                            r["id"], field="completed_on"))
    for r in _rows(conn, unit, "rectification", year, ref):
        if r["deadline"] is not None:
            out.append(Item(f"整改问题「{(r['problem'] or '')[:30]}」：整改销号", r["deadline"], r["status"] == "已销号",
                            "整改方案确定的整改时限", "rectification", r["id"]))
    for r in _rows(conn, unit, "dispute", year, ref):
        own = r["deadline"] is not None
        complexity = r["complexity"] or "一般"
        days = int(cfg[{"简单": "dispute_simple_days", "复杂": "dispute_complex_days"}.get(complexity, "dispute_days")])
        due = r["deadline"] if own else r["date"] + dt.timedelta(days=days)
        red = r["risk"] == "红"
        out.append(Item(f"{'红色风险' if red else ''}矛盾纠纷「{(r['parties'] or '')[:20]}」：化解", due,
                        r["status"] in CLOSED_DISPUTE_STATES,
                        "登记的化解时限" if own else f"{complexity}纠纷化解时限（{days}日）", "dispute",
                        r["id"], urgent=red))
    c = ledger_table("counsel")
    latest = conn.execute(sa.select(sa.func.max(c.c.service_to)).where(c.c.unit_id == unit.id,
                                                                      c.c.deleted.is_(sa.false()))).scalar()
    for r in _rows(conn, unit, "counsel", year, ref):
        if r["service_to"] is not None:
            renewed = latest is not None and latest > r["service_to"]  # a later contract, signed for next year too
            out.append(Item(f"法律顾问「{r['name']}」合同到期：续签或另聘", r["service_to"], renewed,
                            "法律顾问服务合同的截止日期", "counsel", r["id"]))
    if cfg["report_due"]:
        try:
            month, day = (int(x) for x in str(cfg["report_due"]).split("-"))
            # sent: a 报送日期 recorded, or the year's package exported (the package is what a township sends)
            sent = draft.get("submitted_on") is not None or _package_exported(conn, unit, year)
            out.append(Item(f"{year}年度法治政府建设报告报送县里", dt.date(year + 1, month, day), sent,
                            "县里通知的报送日期"))
        except ValueError:
            pass
    out += _next_calendar(year, today, cfg)
    out.append(Item(f"{year}年度法治政府建设报告向社会公开", dt.date(year + 1, 4, 1), draft.get("published_on") is not None,
                    "法治政府建设与责任落实督察工作规定（每年4月1日之前公开）"))
    return sorted(out, key=lambda i: (i.done, not i.urgent, i.due))


def _statutory(rule: str, start: dt.date | None, cal: holidays.Calendar, what: str, done_field: str, ledger: str,
               record: Mapping[str, Any], extra_days: int = 0, extension: int = 0, note: str = "",
               done: bool | None = None) -> list[Item]:
    """One statutory period as an item, when its start is known and a version of the law set it on that day; done
    when ``done_field`` holds a date (or as ``done`` says)."""
    if start is None:
        return []
    found = deadlines.due(rule, start, cal, extra_days, extension)
    if found is None:
        return []
    finished = record[done_field] is not None if done is None else done
    return [Item(what, found[0], finished, found[1] + note, ledger, record["id"], field=done_field)]


def _noted(*parts: object) -> str:
    """What changed a period's count, as 「（批准延长10日、不计入期限5日）」; the parts that are not text are left out."""
    said = "、".join(p for p in parts if isinstance(p, str) and p)
    return f"（{said}）" if said else ""


def _waiting(rule: str, start: dt.date | None, cal: holidays.Calendar, what: str, settled: bool, ledger: str,
             record: Mapping[str, Any], today: dt.date) -> list[Item]:
    """A period the other side has (听证 request, 催告, a third party's opinion): no duty of the unit's runs out with
    it, so it is done once it has passed or the matter is settled — and never overdue."""
    found = deadlines.due(rule, start, cal) if start is not None else None
    if found is None:
        return []
    return [Item(what, found[0], settled or today > found[0], found[1], ledger, record["id"])]


def _review_items(rows: Iterable[Mapping[str, Any]], cal: holidays.Calendar) -> list[Item]:
    out: list[Item] = []
    for r in rows:
        lawsuit = r["kind"] == "行政诉讼"
        rule = "lawsuit_answer" if lawsuit else "review_answer"
        if not lawsuit and r["simple"] and r["served_on"] is not None \
                and deadlines.RULES["review_answer_simple"].version_on(r["served_on"]) is not None:
            rule = "review_answer_simple"  # 简易程序 exists since the 2023 revision; before it, the general period
        out += _statutory(rule, r["served_on"], cal,
                          f"{r['kind']}「{r['applicant']}」：提交{'答辩状' if lawsuit else '书面答复'}",
                          "answered_on", "review_litigation", r)
    return out


def _enforcement_items(rows: Iterable[Mapping[str, Any]], cal: holidays.Calendar, today: dt.date) -> list[Item]:
    out: list[Item] = []
    for r in rows:
        party = f"「{r['party']}」"
        if r["method"] == "行政处罚":
            extended, suspended = r["extended_days"] or 0, r["suspended_days"] or 0
            out += _statutory("penalty_decision", r["filed_on"], cal, f"行政处罚{party}：作出处罚决定",
                              "closed_on", "enforcement", r, extended + suspended,
                              note=_noted(extended and f"批准延长{extended}日", suspended and f"不计入期限{suspended}日"))
            # the party's own period: passing it is no duty missed, only the day before which no decision is due
            out += _waiting("penalty_hearing", r["hearing_told_on"], cal, f"行政处罚{party}：听证申请期满（期满前不宜作出"
                            "处罚决定）", r["closed_on"] is not None, "enforcement", r, today)
            out += _statutory("penalty_service", r["closed_on"], cal, f"行政处罚{party}：送达处罚决定书",
                              "served_on", "enforcement", r)
        # 行政强制: after 催告 the earliest day a court may be asked, and the last day it may
        out += _waiting("coercion_urge", r["urged_on"], cal, f"行政强制{party}：催告期满，仍未履行的可申请法院强制执行",
                        r["court_applied_on"] is not None, "enforcement", r, today)
        out += _statutory("coercion_court", r["appeal_expires_on"], cal, f"行政强制{party}：申请人民法院强制执行",
                          "court_applied_on", "enforcement", r)
    return out


def _disclosure_items(rows: Iterable[Mapping[str, Any]], cal: holidays.Calendar, today: dt.date) -> list[Item]:
    """政府信息公开 依申请: the answer counted from the application (or from its 补正), without the days spent asking a
    third party, plus an approved extension; the 补正 notice; the third party's own period."""
    out: list[Item] = []
    for r in rows:
        what = f"政府信息公开申请「{(r['content'] or '')[:20]}」"
        answered = r["answered_on"] is not None
        if r["correction_told_on"] is not None or (r["corrected_on"] is not None):
            out += _statutory("disclosure_correction", r["date"], cal, f"{what}：一次性告知补正",
                              "correction_told_on", "disclosure", r)
        found = deadlines.disclosure_answer_due(r, cal)
        if found is not None:
            note = _noted(r["corrected_on"] and "自收到补正之日起算",
                          r["extended_days"] and f"延长{r['extended_days']}个工作日",
                          r["consult_days"] and f"征求意见{r['consult_days']}个工作日不计入")
            out.append(Item(f"{what}：答复申请人", found[0], answered, found[1] + note, "disclosure", r["id"],
                            field="answered_on"))
        out += _waiting("disclosure_third_party", r["consulted_on"], cal, f"{what}：第三方提出意见期满（逾期未提出的，"
                        "由本机关依法决定是否公开）", answered or r["consult_days"] is not None, "disclosure", r, today)
    return out


def _petition_items(rows: Iterable[Mapping[str, Any]], cal: holidays.Calendar) -> list[Item]:
    """Disputes that came as 信访: told whether accepted within 15 days of receipt, settled within 60 days of acceptance
    (plus an approved extension of up to 30)."""
    out: list[Item] = []
    for r in rows:
        if r["source"] != PETITION:
            continue
        who = f"信访事项「{(r['parties'] or '')[:20]}」"
        out += _statutory("petition_accept", r["date"], cal, f"{who}：书面告知是否受理",
                          "petition_accepted_on", "dispute", r)
        extended = r["petition_extended_days"] or 0
        out += _statutory("petition_finish", r["petition_accepted_on"], cal, f"{who}：办结",
                          "status", "dispute", r, extension=extended,
                          note=_noted(extended and f"批准延长{extended}日"), done=r["status"] in CLOSED_DISPUTE_STATES)
    return out


def _next_calendar(year: int, today: dt.date, cfg: Mapping[str, Any]) -> list[Item]:
    """In December, next year's holidays must be known before its deadlines are counted: shipped with the program, or
    typed in 设置 from the State Council's notice (published each November or December)."""
    coming = today.year + 1
    if year != today.year or today.month != 12 or coming in holidays.CALENDARS:
        return []
    typed = any(str(d).startswith(f"{coming}-") for d in cfg.get("holidays") or [])
    return [Item(f"{coming}年法定节假日安排：国务院办公厅通知发布后，请在“设置 → 待办期限”中录入或导入县里下发的"
                 "节假日安排文件，或更新程序",
                 dt.date(today.year, 12, 31), typed,
                 f"未录入前，{coming}年的工作日只按周一至周五计算，节假日前后的法定期限会算错")]


def _package_exported(conn: sa.Connection, unit: Unit, year: int) -> bool:
    """The year's data package was written (its history line, services.privacy.log_export)."""
    from fazhi_desktop.domain.audit_actions import EXPORT
    from fazhi_desktop.storage.schema import audit_log

    return conn.execute(sa.select(audit_log.c.id).where(
        audit_log.c.unit_id == unit.id, audit_log.c.action == EXPORT,
        audit_log.c.changes.like(f'%"{year}年度数据包"%')).limit(1)).first() is not None


def items_of(ctx, year: int, today: dt.date | None = None) -> list[Item]:
    with ctx.engine.connect() as conn:
        return items(conn, ctx.unit, year, today)


def open_items(found: list[Item], today: dt.date) -> list[Item]:
    return [i for i in found if not i.done and (i.urgent or today > i.due)]
