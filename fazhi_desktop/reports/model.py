"""The report as a document model, independent of PDF or DOCX: renderers only lay it out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Heading levels of GB/T 9704: 1 = 一、(黑体)  2 = （一）(楷体)  3 = 1.(仿宋)  4 = （1）(仿宋); 0 = body text.
BODY, H1, H2, H3, H4 = 0, 1, 2, 3, 4


@dataclass
class Span:
    text: str
    level: int = BODY  # which heading font the span is set in


@dataclass
class Paragraph:
    spans: list[Span]
    level: int = BODY  # the paragraph's heading level (BODY for plain text, even with a run-in heading)
    keep_with_next: bool = False

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)

    @property
    def is_heading_only(self) -> bool:
        return self.level != BODY


@dataclass
class Document:
    title: str
    addressee: str
    paragraphs: list[Paragraph]
    issuers: list[str]
    date: dt.date | None
    sections: dict[str, str] = field(default_factory=dict)  # generated text per editable section
    claims: list = field(default_factory=list)  # the claims behind the generated text (reports.content.claims)
    claims_by_section: dict[str, list] = field(default_factory=dict)  # the same, by the section that printed them
    ref_date: dt.date | None = None  # the day the report's figures are counted to (its 成文日期, else 31 December)

    def plain_text(self) -> str:
        lines = [self.title, "", f"{self.addressee}：" if self.addressee else ""]
        lines += [p.text for p in self.paragraphs]
        lines += ["", *self.issuers]
        if self.date:
            from fazhi_desktop.reports.content.numbers import cn_date

            lines.append(cn_date(self.date))
        return "\n".join(lines)
