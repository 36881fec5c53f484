"""The report outline a clerk edits: plain text with headings and named placeholders, no template syntax.

    {开头依据句}

    # 一、工作开展情况
    ## （一）加强组织领导，夯实法治建设基础。{组织领导导语}{组织领导部分}
    # 二、当前存在的主要问题
    {存在问题部分}

``# `` starts a level-1 heading, ``## `` a level-2 heading whose text ends at its first 。 and may run into body text;
numbers are the program's (a part left out closes the gap). ``{名称}`` places a generated section or a figure. The
text between two headings is one part of the report: if it places a generated section, the clerk's own draft of
that section (report tab) replaces it, and a level-2 part with nothing recorded and no draft is left out.

The outline compiles to a Jinja template that only places values: every brace in the clerk's text must be a known
placeholder, so nothing the clerk (or a restored backup) writes can become template code, and the compiled template
renders in this process. Errors name the outline's own line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.indicators import INDICATORS

# Generated sections (reports.content.sections.Writer.parts), by the names a clerk reads, and the draft section
# (builder.SECTION_LABELS) each belongs to.
PARTS: dict[str, tuple[str, str]] = {
    "开头依据句": ("basis", "opening"), "开头总述段": ("opening", "opening"),
    "组织领导导语": ("org_lead", "org"), "组织领导部分": ("org", "org"),
    "学法普法导语": ("study_lead", "study"), "学法普法部分": ("study", "study"),
    "规范执法导语": ("enforcement_lead", "enforcement"), "规范执法部分": ("enforcement", "enforcement"),
    "问题整改部分": ("rectification", "rectification"),
    "矛盾纠纷部分": ("disputes", "disputes"), "矛盾纠纷打算": ("disputes_next", "disputes"),
    "存在问题部分": ("problems", "problems"), "工作打算部分": ("plans", "plans"),
    "第一责任人部分": ("first_duty", "first_duty"), "其他情况部分": ("other", "other"),
}
# Figures a sentence can carry: counts as digits, rates as percentages. A breakdown is no single number.
FIGURES: dict[str, tuple[str, str]] = {ind.label: (ind.key, ind.kind) for ind in INDICATORS if ind.kind != "breakdown"}
BREAKDOWNS = {ind.label for ind in INDICATORS if ind.kind == "breakdown"}
VALUES = {"年度": "year", "单位名称": "unit.name", "党委政府": "party_committee"}

# The shipped outlines are about 2,000 characters; a unit's own wording fits in a few pages. A longer text is refused
# before it is parsed (it may come from a restored backup).
MAX_OUTLINE_CHARS = 50_000
_PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")
_HEADING = re.compile(r"^(#+)[ \t\u3000]*(.*)$")
_H1_NUMBER = re.compile(r"^[一二三四五六七八九十]+[、.．]\s*")
_H2_NUMBER = re.compile(r"^[（(][一二三四五六七八九十]+[）)]\s*")


@dataclass
class _Block:
    line: int  # where it starts, for messages
    level: int  # 0 before the first heading, else the heading's level
    title: str = ""
    body: list[tuple[int, str]] = field(default_factory=list)  # (line number, text)
    section: str | None = None
    parts: list[str] = field(default_factory=list)


def is_outline(source: str) -> bool:
    """An outline, not a template written in Jinja by an earlier version (kept in a unit's settings or a backup)."""
    return not re.search(r"\{[{%#]", source)


def names() -> dict[str, list[str]]:
    """What a clerk can place, for the editor's list."""
    return {"段落": list(PARTS), "统计数字": list(FIGURES), "其他": list(VALUES)}


def _where(n: int) -> str:
    return f"第 {n} 行："


def _placeholders(n: int, text: str) -> list[str]:
    """The placeholders in one line, after checking that every brace belongs to one with a known name."""
    found = []
    code = re.search(r"\{[{%#]", text) is not None  # once a line, not once a placeholder (that was quadratic)
    for m in _PLACEHOLDER.finditer(text):
        name = m[1].strip()
        if name in BREAKDOWNS:
            raise UserError(f"{_where(n)}「{name}」是分类统计（一组数字），不能直接写进句子；请改用合计类的统计数字。")
        if name[:1] in "%#" or code:
            raise UserError(f"{_where(n)}「{{%…%}}」「{{{{…}}}}」这样的模板程序写法在这里不能使用；"
                            "请只写文字和{名称}占位符。")
        if name not in PARTS and name not in FIGURES and name not in VALUES:
            shown = name or "（空）"
            raise UserError(f"{_where(n)}没有名为「{shown}」的段落或统计数字。请核对名称，或从右侧列表中双击插入。")
        found.append(name)
    if re.search(r"[{}]", _PLACEHOLDER.sub("", text)):
        raise UserError(f"{_where(n)}花括号只能成对地用来写{{名称}}这样的占位符；请删去多余的「{{」或「}}」。")
    return found


def _blocks(text: str) -> list[_Block]:
    blocks = [_Block(1, 0)]
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        m = _HEADING.match(line)
        if m:
            level, title = len(m[1]), m[2].strip()
            if level > 2:
                raise UserError(f"{_where(n)}只能用“# ”（一级标题）和“## ”（二级标题）两级标题。")
            title = (_H1_NUMBER if level == 1 else _H2_NUMBER).sub("", title)
            block = _Block(n, level)
            if level == 2:  # 「（一）加强组织领导。正文……」: the heading ends at its first 。
                head, sep, rest = title.partition("。")
                title = head + sep
                if rest.strip():
                    block.body.append((n, rest.strip()))
            block.title = title
            if not title.strip("。"):
                raise UserError(f"{_where(n)}标题没有文字。")
            if any(p in PARTS for p in _placeholders(n, title)):
                raise UserError(f"{_where(n)}标题里不能放段落；请把段落写在标题的句号之后或下一行。")
            blocks.append(block)
        else:
            blocks[-1].body.append((n, line))
    seen: dict[str, int] = {}
    for block in blocks:
        for n, line in block.body:
            for name in _placeholders(n, line):
                if name not in PARTS:
                    continue
                if name in seen:
                    raise UserError(f"{_where(n)}「{name}」在第 {seen[name]} 行已经用过，同一段落只能放一次。")
                seen[name] = n
                section = PARTS[name][1]
                if block.section and block.section != section:
                    other = next(p for p in block.parts if PARTS[p][1] == block.section)
                    raise UserError(f"{_where(n)}「{other}」和「{name}」属于报告的不同部分，请放在不同的标题下。")
                block.section = section
                block.parts.append(name)
    sections = [b.section for b in blocks if b.section]
    for section in set(sections):
        if sections.count(section) > 1:
            lines = [str(b.line) for b in blocks if b.section == section]
            raise UserError(f"第 {'、'.join(lines)} 行起的几处放了报告的同一部分，请合在一个标题下。")
    return blocks


def _value(name: str) -> str:
    if name in PARTS:
        return f"{{{{ parts.{PARTS[name][0]} }}}}"
    if name in VALUES:
        return f"{{{{ {VALUES[name]} }}}}"
    key, kind = FIGURES[name]
    return f'{{{{ s["{key}"]|pct }}}}' if kind == "rate" else f'{{{{ s["{key}"] }}}}'


def _jinja_text(text: str) -> str:
    return _PLACEHOLDER.sub(lambda m: _value(m[1].strip()), text)


def _paragraphs(body: list[tuple[int, str]]) -> list[str]:
    """Lines of one paragraph joined; a blank line starts the next."""
    out: list[str] = [""]
    for _n, line in body:
        if line:
            out[-1] += line
        elif out[-1]:
            out.append("")
    return [p for p in out if p]


def compile_outline(text: str) -> str:
    """The Jinja template for an outline (raises ``UserError`` naming the line of a mistake)."""
    from fazhi_desktop.domain.fields import bad_character

    if len(text) > MAX_OUTLINE_CHARS:  # before anything else: an outline from a backup is read as hostile
        raise UserError(f"模板太长（{len(text)} 个字符，最多 {MAX_OUTLINE_CHARS} 个）：报告模板只写标题、本单位惯用的句子和"
                        "{名称}占位符，几页纸足够。")
    problem = bad_character(text)
    if problem:
        raise UserError(f"模板{problem}")
    out: list[str] = []
    for block in _blocks(text):
        body = "\n\n".join(_jinja_text(p) for p in _paragraphs(block.body))
        if block.section:
            body = f'{{% filter section("{block.section}") %}}{body}{{% endfilter %}}'
        heading = _jinja_text(block.title)
        if block.level == 1:
            out.append(f"# 一、{heading}\n{body}\n\n")
        elif block.level == 2:
            # tidy() renumbers （一）（二）… whatever is left out
            chunk = f"## （一）{heading}{body}\n\n" if heading.endswith("。") else f"## （一）{heading}\n{body}\n\n"
            if block.section:
                key = block.section
                chunk = (f'{{% if parts["{key}"] or own("{key}") %}}\n{chunk}'
                         f'{{% else %}}{{{{ ""|section("{key}") }}}}{{% endif %}}\n')
            out.append(chunk)
        elif body:
            out.append(body + "\n\n")  # a block tag's own newline is trimmed (trim_blocks): two keep one
    return "".join(out)
