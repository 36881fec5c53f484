"""The tiny markup the report templates produce, parsed into paragraphs.

Each non-empty line is one paragraph. ``# `` starts a level-1 heading line (一、…); ``## ``, ``### ``, ``#### `` start
a level 2–4 heading that may run into body text: the heading ends at its first ``。`` and the rest of the line is body,
as official documents write ``（一）加强组织领导。镇党委……``.
"""

from __future__ import annotations

import re

from fazhi_desktop.reports.model import BODY, Paragraph, Span

_HEADING = re.compile(r"^(#{1,4})\s+(.*)$")
_H1_NUMBER = re.compile(r"^#\s+[一二三四五六七八九十]+、")
_H2_NUMBER = re.compile(r"^##\s+（[一二三四五六七八九十]+）")


TO_WRITE = "【此部分请根据实际工作填写】"  # a required part the records say nothing of: the clerk's to write


def tidy(text: str, *, required: bool = False) -> str:
    """The numbering of a rendered template made right whatever it left out: a level-1 part with nothing under it is
    dropped and the rest renumbered 一、二、…; the level-2 headings under a part are numbered in order, and a lone one
    loses its number (an official document does not write （一） without （二）).

    ``required``: the template's level-1 parts are a required structure (督察规定 第二十五条's five items): none is
    dropped or renumbered; an empty one keeps its heading and asks for the clerk's text (报告体检 blocks it)."""
    from fazhi_desktop.reports.content.numbers import chinese

    blocks: list[tuple[str | None, list[str]]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("# "):
            blocks.append((line, []))
        elif line:
            if not blocks:
                blocks.append((None, []))
            blocks[-1][1].append(line)
    out: list[str] = []
    n = 0
    for head, body in blocks:
        if head is not None:
            if not body:
                if not required:
                    continue
                body.append(TO_WRITE)
            n += 1
            out.append(_H1_NUMBER.sub(f"# {chinese(n)}、", head))
        numbered = [i for i, line in enumerate(body) if _H2_NUMBER.match(line)]
        for k, i in enumerate(numbered, 1):
            body[i] = _H2_NUMBER.sub("## " if len(numbered) == 1 else f"## （{chinese(k)}）", body[i])
        out += body
    return "\n".join(out)


def parse(text: str) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        m = _HEADING.match(line)
        if not m:
            paragraphs.append(Paragraph([Span(line)]))
            continue
        level, content = len(m.group(1)), m.group(2).strip()
        head, sep, rest = content.partition("。")
        if level == 1 or not sep or not rest.strip():
            paragraphs.append(Paragraph([Span(content, level)], level=level, keep_with_next=True))
        else:
            paragraphs.append(Paragraph([Span(head + sep, level), Span(rest.strip(), BODY)]))
    return paragraphs
