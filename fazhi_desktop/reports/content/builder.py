"""Build the report's document model: template + the year's indicators + the clerk's draft (report_text)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain.errors import TemplateLimitError, UserError
from fazhi_desktop.domain.idcard import mask_ids_in_text
from fazhi_desktop.domain.ledgers import FLEXIBLE_METHODS
from fazhi_desktop.domain.unit import government_name, organs
from fazhi_desktop.reports.content import markup, numbers
from fazhi_desktop.reports.content.outline import compile_outline, is_outline
from fazhi_desktop.reports.content.sections import Writer
from fazhi_desktop.reports.model import Document
from fazhi_desktop.services import report_facts, report_records, reports_text, stats
from fazhi_desktop.services.units import Unit

TEMPLATES = {"三段式": "sanduan.j2", "督察规定五项": "ducha.j2"}
TRIAL_SECONDS = 2.0  # each trial render when a template is saved
DEADLINE_S = 5.0  # a real render takes ≈10 ms
DEFAULT_TEMPLATE = "三段式"
# 督察规定 第二十五条's five items are the report's required structure: all five, in order, whatever the year holds.
REQUIRED_STRUCTURE = "督察规定五项"
# The sections a clerk may rewrite, in the order the report tab shows them.
SECTION_LABELS = {
    "opening": "开头", "org": "组织领导", "study": "学法普法", "enforcement": "规范执法", "disputes": "矛盾纠纷化解",
    "rectification": "三项制度与整改", "problems": "存在的问题", "first_duty": "第一责任人履职情况",
    "plans": "工作打算", "other": "其他需要报告的情况",
}


class Ordinal:
    """``一是``, ``二是``… in the order a template asks, so an omitted part never leaves a gap."""

    def __init__(self, suffix: str):
        self.suffix, self.n = suffix, 0

    def __call__(self) -> str:
        self.n += 1
        return numbers.chinese(self.n) + self.suffix


def _books(items: Iterable[str]) -> list[str]:
    """Titles of documents and laws go in 《》; campaigns such as 扫黑除恶 do not."""
    out = []
    for item in items:
        bare = item.strip("《》")
        out.append(f"《{bare}》" if re.search(r"(法|法典|方案|计划|规则|细则|要点|制度|清单|办法|规定|意见)$", bare) else bare)
    return out


def _normalise(text: str) -> str:
    """Template text: blank lines separate paragraphs, single line breaks are only for readability."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n".join("".join(line.strip() for line in p.splitlines()) for p in paragraphs if p.strip())


class _CompiledTemplates:
    """Jinja's compiled code of each template source, kept for the process: every preview and report builds a new
    environment (the clerk's sections are its filters), and compiling the same outline again cost more than the
    rest of the report. Keyed by Jinja on the template's name and source checksum, so an edited template compiles."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        found = self.code.get(bucket.key)
        if found is not None:
            bucket.bytecode_from_string(found)

    def dump_bytecode(self, bucket) -> None:
        if len(self.code) > 64:  # a clerk trying many wordings: the oldest go
            self.code.pop(next(iter(self.code)))
        self.code[bucket.key] = bucket.bytecode_to_string()


def _bytecode_cache():
    from jinja2 import BytecodeCache

    class Cache(_CompiledTemplates, BytecodeCache):
        pass

    return Cache()


_COMPILED = None


def _environment(unit: Unit, sections: Mapping[str, str], generated: dict[str, str]):
    global _COMPILED
    from jinja2 import ChoiceLoader, DictLoader, PackageLoader, StrictUndefined, pass_context  # on first use: start-up

    from fazhi_desktop.reports.content.template_sandbox import LimitedEnvironment

    if _COMPILED is None:
        _COMPILED = _bytecode_cache()

    # Units may keep their own wording of a template in their settings; the shipped ones are the fallback. Both are
    # outlines compiled here; a unit's template written in Jinja by an earlier version is used as it is.
    compiled = {TEMPLATES[k]: shipped_template(k) for k in TEMPLATES}
    for name, source in (unit.settings.get("templates") or {}).items():
        compiled[TEMPLATES.get(name, name)] = unit_template(name, source) if is_outline(source) else source
    env = LimitedEnvironment(loader=ChoiceLoader([DictLoader(compiled), PackageLoader("fazhi_desktop.reports.content")]),
                             undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, autoescape=False,
                             bytecode_cache=_COMPILED)

    # It records what it was given: never run while compiling (Jinja folds a filter of constants into the compiled
    # code, whose cached copy would then skip the recording in the next report).
    @pass_context
    def section(_context, text: str, key: str) -> str:
        generated[key] = _normalise(text)
        own = (sections.get(key) or "").strip()
        return "\n".join(line.strip() for line in own.splitlines() if line.strip()) if own else generated[key]

    env.filters.update(
        section=section,
        # Consecutive titles in 《》 take no 、 between them (GB/T 15834).
        enum=lambda items: "、".join(items).replace("》、《", "》《"),
        books=_books,
        nonzero=lambda breakdown: [k for k, v in breakdown.items() if v],
        counted=lambda breakdown: [f"{k}{v}件" for k, v in breakdown.items() if v],
        approx=numbers.approx,
        pct=numbers.percent,
        cn=numbers.chinese,
        cn_date=numbers.cn_date,
        ym=lambda d: f"{d.year}年{d.month}月",
        without=lambda text, prefix: text.removeprefix(prefix or "") or text,
    )
    env.wrap_filters()
    env.globals["ordinal"] = Ordinal
    env.globals["own"] = lambda key: bool((sections.get(key) or "").strip())  # the clerk wrote this part
    return env


def template_error(exc: Exception) -> UserError:
    """Jinja2's English messages, said in Chinese with the line the clerk can find."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import SecurityError

    line = f"第 {exc.lineno} 行：" if getattr(exc, "lineno", None) else ""
    if isinstance(exc, UndefinedError):
        what = re.search(r"'([^']+)'", str(exc))
        detail = f"用到了不存在的名称「{what[1] if what else exc}」"
    elif isinstance(exc, SecurityError):
        detail = "有不允许的操作（模板只能读取数据，不能修改）"
    elif isinstance(exc, TemplateSyntaxError):
        detail = f"写法有误（{exc.message}）"
    else:
        detail = str(getattr(exc, "message", None) or exc)
    return UserError(f"报告模板有错误：{line}{detail}")


def build_document(conn: sa.Connection, unit: Unit, year: int, template: str | None = None, *,
                   seconds: float | None = None) -> Document:
    """The report for ``unit`` and ``year`` as a document model (no layout yet)."""
    draft = reports_text.load_report_text(conn, unit, year) or {}
    name = template or draft.get("template") or DEFAULT_TEMPLATE
    if name not in TEMPLATES and name not in (unit.settings.get("templates") or {}):
        raise UserError(f"没有名为「{name}」的报告模板，可选：{'、'.join(TEMPLATES)}")
    doc_date = draft.get("doc_date")
    ref_date = doc_date or dt.date(year, 12, 31)
    s = stats.compute(conn, unit, year, ref_date)
    # The lists of ReportFacts are read only by a unit's template written in Jinja by an earlier version; outlines
    # place the sections and figures alone.
    legacy = not all(is_outline(source) for source in (unit.settings.get("templates") or {}).values())
    facts = report_facts.gather(conn, unit, year, ref_date) if legacy else report_facts.ReportFacts()
    records = report_records.load(conn, unit, year, ref_date)
    # The clerk's own words print with any ID or mobile number in them masked, as every output does (报告体检 asks for
    # them to be taken out); the generated text never holds one.
    rt = {"basis": draft.get("basis"), "problems": [mask_ids_in_text(p) for p in draft.get("problems") or []],
          "plans": [mask_ids_in_text(p) for p in draft.get("plans") or []]}
    writer = Writer(unit, year, records, ref_date, name if name in TEMPLATES else DEFAULT_TEMPLATE, rt["basis"])
    parts = writer.parts(rt["problems"], rt["plans"])
    context: dict[str, Any] = {
        "unit": unit, "year": year, "s": s, "facts": facts, "doc_date": ref_date, "rt": rt, "parts": parts,
        # Names a unit's own template (written against earlier versions) may still use.
        "party_committee": organs(unit.kind).both,
        "government": government_name(unit.name, unit.kind),
        "organs": organs(unit.kind),
        "flexible_methods": [m for m in FLEXIBLE_METHODS if s["enforcement.by_method"].get(m)],
        "active": bool(facts.ledgers_with_records),
        "auto_problems": [c.text for _k, c in writer.derived_problems()],
    }
    own = {k: mask_ids_in_text(v) if isinstance(v, str) else v for k, v in (draft.get("sections") or {}).items()}
    body, generated = render(unit, own, name, context, seconds or DEADLINE_S)
    # The report tab lists the sections in reading order, whatever order the template filled them in.
    generated = {**{k: generated[k] for k in SECTION_LABELS if k in generated}, **generated}
    return Document(
        title=f"关于上报{unit.name}{year}年法治政府建设工作的报告",
        addressee=unit.addressee,
        paragraphs=markup.parse(markup.tidy(body, required=name == REQUIRED_STRUCTURE)),
        issuers=list(draft.get("issuers") or unit.issuers),
        # A document always carries its date (GB/T 9704); until the clerk sets 成文日期 it is the day it is made,
        # and the readiness check says so.
        date=doc_date or dt.date.today(),
        sections=generated,
        claims=writer.claims,
        claims_by_section=writer.sections,
        ref_date=ref_date,
    )


def render_here(unit: Unit, sections: Mapping[str, str], name: str, context: dict[str, Any],
                seconds: float) -> tuple[str, dict[str, str]]:
    """Render in this process (the shipped templates, whose every loop and call we wrote)."""
    from jinja2 import TemplateError

    generated: dict[str, str] = {}
    env = _environment(unit, sections, generated)
    try:
        body = env.render_limited(TEMPLATES.get(name, name), context, seconds)
    except TemplateError as exc:
        raise template_error(exc) from exc
    except (TypeError, ValueError, ZeroDivisionError, KeyError, AttributeError, OverflowError) as exc:
        raise UserError(f"报告模板有错误：{exc}") from exc
    return body, generated


CHILD_MEMORY_MB = 512
CHILD_MARGIN_S = 15.0  # starting the child and loading Jinja2, beyond the template's own deadline


def render(unit: Unit, sections: Mapping[str, str], name: str, context: dict[str, Any],
           seconds: float) -> tuple[str, dict[str, str]]:
    """A unit's own wording (saved by a clerk, or arrived in a restored backup) renders in a child process with a hard
    time and memory limit: a template that makes one C call run for hours, or asks for gigabytes, ends with a
    message instead of freezing the window."""
    if all(is_outline(source) for source in (unit.settings.get("templates") or {}).values()):
        return render_here(unit, sections, name, context, seconds)  # outlines only place values
    from fazhi_desktop.runtime import child

    # The child cannot know which parts a clerk's wording places: it gets them all, written here.
    context = {**context, "parts": dict(context["parts"])}
    try:
        answer = child.run("render-template", {"unit": unit, "sections": dict(sections), "name": name,
                                               "context": context, "seconds": seconds},
                           seconds=seconds + CHILD_MARGIN_S, memory_mb=CHILD_MEMORY_MB)
    except child.ChildFailed as exc:
        if exc.reason == "refused":
            raise UserError(exc.detail) from None
        why = {"time": f"运行超过 {seconds + CHILD_MARGIN_S:g} 秒仍未完成", "memory": "占用的内存超过了上限"}.get(
            exc.reason, "运行时出错")
        raise TemplateLimitError(f"报告模板{why}，已停止生成。请检查模板中的循环和运算，或在“编辑模板”中恢复默认模板。") \
            from None
    return answer["body"], dict(answer["generated"])


@functools.cache
def shipped_outline(name: str) -> str:
    from importlib.resources import files

    outline = TEMPLATES[name].removesuffix(".j2") + ".txt"
    return files("fazhi_desktop.reports.content").joinpath("templates", outline).read_text(encoding="utf-8")


@functools.cache
def shipped_template(name: str) -> str:
    """A shipped outline, compiled once per process (every report and every preview renders one)."""
    return compile_outline(shipped_outline(name))


def unit_template(name: str, source: str) -> str:
    """A unit's own outline, compiled; a mistake in a stored one (say, from a backup) names the template."""
    try:
        return compile_outline(source)
    except UserError as exc:
        raise UserError(f"本单位的报告模板「{name}」有错误：{exc}请在“编辑模板”中改正，或恢复默认模板。") from None


def template_source(unit: Unit, name: str) -> str:
    """The outline a unit uses for a template: its own saved version, else the shipped one. A unit's template kept
    in Jinja by an earlier version cannot be shown as an outline: the editor starts from the shipped one."""
    custom = (unit.settings.get("templates") or {}).get(name)
    if custom is not None and is_outline(custom):
        return custom
    return shipped_outline(name if name in TEMPLATES else DEFAULT_TEMPLATE)


def is_legacy_template(unit: Unit, name: str) -> bool:
    return not is_outline((unit.settings.get("templates") or {}).get(name, ""))


def check_template(conn: sa.Connection, unit: Unit, year: int, name: str, source: str) -> Document:
    """Render ``source`` as template ``name`` on real data — the year shown, the one before and a year without
    records, so a branch taken only in other years is tried too; a mistake or a runaway becomes a Chinese message."""
    from dataclasses import replace

    from fazhi_desktop.services.listing import years_in_use

    try:
        compile_outline(source)
    except UserError as exc:
        raise UserError(f"模板未保存。{exc}") from None
    trial = replace(unit, settings={**unit.settings, "templates": {**(unit.settings.get("templates") or {}),
                                                                   name: source}})
    empty_year = min([*years_in_use(conn, unit), year]) - 1
    try:
        document = build_document(conn, trial, year, name, seconds=TRIAL_SECONDS)
        for other in (year - 1, empty_year):
            build_document(conn, trial, other, name, seconds=TRIAL_SECONDS)
    except UserError as exc:
        raise UserError(f"模板未保存。{exc}") from exc
    return document


def document_for(ctx, year: int, template: str | None = None) -> Document:
    with ctx.engine.connect() as conn:
        return build_document(conn, ctx.unit, year, template)


def checked_template(ctx, year: int, name: str, source: str) -> Document:
    with ctx.engine.connect() as conn:
        return check_template(conn, ctx.unit, year, name, source)
