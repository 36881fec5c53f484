"""Named placeholders for the template editor: a clerk sees {法治建设专题会议} where the template says
{{ s["org.special_meetings"] }}, and what the clerk saves goes back to template syntax unchanged otherwise.

Only the plain figure form is named (a figure with a filter or in a condition stays as it is); the translation is
exact both ways, so an untouched template saves byte for byte as it was.
"""

from __future__ import annotations

import re

from fazhi_desktop.domain.indicators import INDICATORS

_BY_KEY = {ind.key: ind.label for ind in INDICATORS}
_BY_LABEL = {label: key for key, label in _BY_KEY.items()}
_FIGURE = re.compile(r'\{\{ s\["([a-z_.]+)"\] \}\}')
_NAMED = re.compile(r"(?<!\{)\{([^{}\s]+)\}(?!\})")


def to_placeholders(source: str) -> str:
    return _FIGURE.sub(lambda m: f"{{{_BY_KEY[m[1]]}}}" if m[1] in _BY_KEY else m[0], source)


def from_placeholders(text: str) -> str:
    return _NAMED.sub(lambda m: f'{{{{ s["{_BY_LABEL[m[1]]}"] }}}}' if m[1] in _BY_LABEL else m[0], text)


def unknown_placeholders(text: str) -> list[str]:
    """{名称} that name no figure: a typo the clerk should hear about, not a literal in the report."""
    return [m[1] for m in _NAMED.finditer(text) if m[1] not in _BY_LABEL and re.search(r"[\u4e00-\u9fff]", m[1])]
