"""The tiny markup the report templates produce, parsed into paragraphs.

Each non-empty line is one paragraph. ``# `` starts a level-1 heading line (一、…); ``## ``, ``### ``, ``#### `` start
a level 2–4 heading that may run into body text: the heading ends at its first ``。`` and the rest of the line is body,
as official documents write ``（一）加强组织领导。镇党委……``.
"""

from __future__ import annotations

import re

from fazhi_desktop.reports.model import BODY, Paragraph, Span

_HEADING = re.compile(r"^(#{1,4})\s+(.*)$")


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
