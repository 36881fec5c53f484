"""报告体检 of the text itself: reads the report as it will print and says what a county reviewer would send back.

It judges the words, not how they were made, so a clerk's own text and a unit's own template are read by the same
rules as the generated text: empty parts, zero figures stated as work done, a lone 一是 or （一）, 其中/等 for a
single item, a phrase repeated within a page, organ names of another kind of unit, rates below 100% praised as
results, and placeholders left unfilled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fazhi_desktop.reports.content.markup import TO_WRITE
from fazhi_desktop.reports.model import Document

PAGE_CHARS = 22 * 28  # one page of body text (GB/T 9704 grid)
REPEAT_CHARS = 12  # a phrase this long, twice within a page, reads as a slip
UNITS = "件|次|场次|人次|个|名|人|份|条|块|项|部|户|处"
_ZERO = re.compile(rf"(?<![\d.〔])0(?:\.0)?(?:{UNITS}|%)")
# A duty's rate below 100% (记录率, 公示率, 调处率…) is a shortfall, not a result. 调解成功率 is no duty's rate: a
# mediation can fail however well it is done, and the county reads the figure first (#34).
_RATE_BELOW_FULL = re.compile(r"(?<!调解成功)率(?:为|达到?)?(\d{1,2}(?:\.\d)?|0)%")
_ONE_THEN_PART = re.compile(rf"(?<![\d.])1(?:{UNITS})[^。；，]{{0,2}}，其中")
_ETC = re.compile(r"等(?:形式|方式|柔性方式|会议|制度文件|文件|宣传资料|方面|活动|问题|\d)")
_PLACEHOLDER = re.compile(r"\{[^{}]{0,20}\}|\{\{|\}\}|\{%|%\}")
_TITLE = re.compile(r"《[^》]*》")
# Organ names that a unit of another kind would use (masked first: titles, the unit's and villages' names).
_WRONG_ORGANS = {
    "镇": r"乡党委|乡政府|全乡(?!镇)|乡级|党工委|街道办事处|全街道",
    "乡": r"镇党委|镇政府|全镇|镇级|党工委|街道办事处|全街道",
    # A 街道 has no 政府 of its own: only 法治政府, 服务型政府 and the county's 政府 may be named.
    "街道": r"镇党委|镇政府|乡党委|乡政府|全镇|全乡|镇级|乡级|街道党委|□人民政府|(?<!法治)(?<!服务型)(?<![县市区省州民])政府(?!信息公开)",
}
_WRONG_ORGANS["民族乡"] = _WRONG_ORGANS["乡"]


@dataclass(frozen=True)
class TextFinding:
    message: str
    part: str  # the 一级标题 the words are under ("" before the first)
    excerpt: str = ""  # words of the paragraph it is about, to find the section to fix


def _parts(doc: Document) -> list[tuple[str, list[str]]]:
    """(一级标题, the paragraphs' texts under it), the opening before the first heading as part ""."""
    out: list[tuple[str, list[str]]] = [("", [])]
    for p in doc.paragraphs:
        if p.level == 1:
            out.append((p.text, []))
        else:
            out[-1][1].append(p.text)
    return out


def _quote(text: str, start: int, end: int, around: int = 8) -> str:
    return text[max(0, start - around):min(len(text), end + around)]


def lint_document(doc: Document, unit_kind: str | None, names: Iterable[str] = ()) -> list[TextFinding]:
    """Findings about the words of ``doc`` (a unit of ``unit_kind``; ``names`` are the unit's own and its villages'
    names, whose 乡/镇 are not organ names)."""
    out: list[TextFinding] = []
    parts = _parts(doc)

    def flag(part: str, message: str, excerpt: str = "") -> None:
        if all(f.message != message for f in out):
            out.append(TextFinding(message, part, excerpt))

    paragraphs = doc.paragraphs
    for i, p in enumerate(paragraphs):
        nxt = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
        if p.is_heading_only and (nxt is None or (nxt.level and nxt.level <= p.level)):
            flag(p.text, f"「{p.text}」下面没有内容：请补充，或删去这一部分。")
    for part, texts in parts:
        where = f"「{part}」中" if part else "开头"
        h2 = [t for t in texts if re.match(r"（[一二三四五六七八九十]+）", t)]
        if len(h2) == 1:
            flag(part, f"{where}只有一个（一），没有（二）：一个小标题不编号。", h2[0])
        opening = [t for t in texts if t.startswith("一要")]
        if opening and not any(t.startswith("二要") for t in texts):
            flag(part, f"{where}只有“一要”，没有“二要”：只有一条时不编号。", opening[0])
        for t in texts:
            if re.search(r"(?:^|[。；：）])一是", t) and "二是" not in t:
                flag(part, f"{where}只有“一是”，没有“二是”：只有一条时不编号。", t)
            body = _TITLE.sub(lambda m: "《》", t)
            for m in _ZERO.finditer(body):
                flag(part, f"{where}写了零：「{_quote(body, m.start(), m.end())}」。没有做的事不作为工作写入。", t)
            if "率无" in body:
                flag(part, f"{where}有没有基数的比率（「率无」）。", t)
            for m in _ONE_THEN_PART.finditer(body):
                flag(part, f"{where}只有1项却写“其中”：「{_quote(body, m.start(), m.end())}」。", t)
            for m in _ETC.finditer(body):
                start = max(body.rfind(c, 0, m.start()) for c in "，。；：")
                listed = body[start + 1:m.start()]
                if "、" not in listed and "》《" not in listed and "和" not in listed:
                    flag(part, f"{where}只列了一项却写“等”：「{_quote(body, start + 1, m.end(), 2)}」。", t)
            if TO_WRITE in t:
                flag(part, f"{where}还没有内容：督察规定要求的每一部分都要写明，请在“年度报告”页填写。", t)
            for m in _PLACEHOLDER.finditer(t):
                flag(part, f"{where}有没有替换的占位符「{m[0]}」：请检查本单位的开头用语或模板。", t)
        if part.startswith(("一、", "（")) and ("举措" in part or "工作开展" in part):
            for t in texts:
                for m in _RATE_BELOW_FULL.finditer(t):
                    flag(part, f"{where}把未达到100%的比率写成了成效：「{_quote(t, m.start(), m.end())}」。"
                               "比率不足的应写入存在问题。", t)
    _organs(doc, unit_kind, names, flag)
    _repeats(doc, flag)
    return out


def _organs(doc: Document, unit_kind: str | None, names: Iterable[str], flag) -> None:
    wrong = _WRONG_ORGANS.get(unit_kind or "镇")
    if not wrong:
        return
    masked_names = sorted({n for n in names if n}, key=len, reverse=True)
    for part, texts in _parts(doc):
        for t in texts:
            for m in re.finditer(r"街道街道|人民政府人民政府|党委党委", t):
                flag(part, f"「{part or '开头'}」中的「{m[0]}」重复了机关名称：请改正。", t)
            body = _TITLE.sub("《》", t)
            for name in masked_names:
                body = body.replace(name, "□" * len(name))
            for m in re.finditer(wrong, body):
                flag(part, f"「{part or '开头'}」中的「{m[0]}」不符合本单位的类型（{unit_kind}）：请改用本单位机关的名称。", t)


def _repeats(doc: Document, flag) -> None:
    """The same words twice within a page's worth of text (titles in 《》 and figures aside), each run once."""
    text = "".join(_TITLE.sub("《》", p.text).replace(TO_WRITE, "") for p in doc.paragraphs if not p.is_heading_only)
    seen: dict[str, int] = {}
    i = 0
    while i <= len(text) - REPEAT_CHARS:
        gram = text[i:i + REPEAT_CHARS]
        if re.search(r"[\d《》]", gram) or len(set(gram)) < REPEAT_CHARS // 2:
            i += 1
            continue
        first = seen.setdefault(gram, i)
        if REPEAT_CHARS <= i - first < PAGE_CHARS:
            end = i + REPEAT_CHARS  # the whole repeated run, said once
            while end < len(text) and end - i < 60 and text[first + end - i] == text[end]:
                end += 1
            flag("", f"同一页内重复出现「{text[i:end]}」：请删去一处。", text[i:end])
            i = end
            continue
        if i - first >= PAGE_CHARS:
            seen[gram] = i  # pages apart: the next one is compared with this one
        i += 1


def problems_ignoring_overdue(problems: Sequence[str], overdue: int) -> str | None:
    """The clerk's 存在问题 leave out 整改问题 past their deadline."""
    if overdue and problems and not any("整改" in p for p in problems):
        return (f"有{overdue}个整改问题已超过整改时限仍未销号，但“存在问题”中没有提到整改：请在“年度报告”页补写，"
                "或更新整改进展。")
    return None
