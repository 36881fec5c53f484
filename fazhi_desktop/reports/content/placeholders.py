"""Named placeholders for the template editor: a clerk sees {法治建设专题会议} where the template says
{{ s["org.special_meetings"] }} and {组织领导部分} where it places a generated section ({{ parts.org }}), and what
the clerk saves goes back to template syntax unchanged otherwise.

Only the plain figure form is named (a figure with a filter or in a condition stays as it is); the translation is
exact both ways, so an untouched template saves byte for byte as it was.
"""

from __future__ import annotations

import re

from fazhi_desktop.domain.indicators import INDICATORS

# The generated sections a template places (reports.content.sections.Writer.parts), by the names a clerk reads.
PART_LABELS = {
    "basis": "开头依据句", "opening": "开头总述段", "org_lead": "组织领导导语", "org": "组织领导部分",
    "study_lead": "学法普法导语", "study": "学法普法部分", "enforcement_lead": "规范执法导语", "enforcement": "规范执法部分",
    "rectification": "问题整改部分", "disputes": "矛盾纠纷部分", "disputes_next": "矛盾纠纷打算",
    "problems": "存在问题部分", "plans": "工作打算部分", "first_duty": "第一责任人部分",
}
_BY_KEY = {ind.key: ind.label for ind in INDICATORS}
_SOURCE = {**{f's["{k}"]': label for k, label in _BY_KEY.items()}, **{f"parts.{k}": v for k, v in PART_LABELS.items()}}
_BY_LABEL = {label: source for source, label in _SOURCE.items()}
_FIGURE = re.compile(r'\{\{ (s\["[a-z_.]+"\]|parts\.[a-z_]+) \}\}')
_NAMED = re.compile(r"(?<!\{)\{([^{}\s]+)\}(?!\})")


def to_placeholders(source: str) -> str:
    return _FIGURE.sub(lambda m: f"{{{_SOURCE[m[1]]}}}" if m[1] in _SOURCE else m[0], source)


def from_placeholders(text: str) -> str:
    return _NAMED.sub(lambda m: f"{{{{ {_BY_LABEL[m[1]]} }}}}" if m[1] in _BY_LABEL else m[0], text)


def unknown_placeholders(text: str) -> list[str]:
    """{名称} that name no figure or section: a typo the clerk should hear about, not a literal in the report."""
    return [m[1] for m in _NAMED.finditer(text) if m[1] not in _BY_LABEL and re.search(r"[\u4e00-\u9fff]", m[1])]
