"""No date is formatted through the C library with Chinese text in the format (#32): on Windows, strftime (and an
f-string's ``{d:%Y年}``) encodes the format in the system code page, so ``年`` raises UnicodeEncodeError on an English
Windows and ValueError under code page 936. Dates are built from their parts (reports.content.numbers.cn_date)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(p for folder in ("fazhi_desktop", "tools", "bench") for p in (ROOT / folder).rglob("*.py")
                 if "generated" not in p.parts)


def non_ascii(text: str) -> bool:
    return any(ord(ch) > 127 for ch in text)


def spec_text(node: ast.AST) -> str:
    """The literal parts of an f-string's format spec."""
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return ""


def locale_formats(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = spec_text(node.format_spec)
            if "%" in spec and non_ascii(spec):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call) and (
                isinstance(node.func, ast.Attribute) and node.func.attr in ("strftime", "__format__")
                or isinstance(node.func, ast.Name) and node.func.id == "format"):
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and "%" in arg.value \
                        and non_ascii(arg.value):
                    lines.append(node.lineno)
    return lines


def test_no_date_format_holds_chinese_text():
    found = {str(p.relative_to(ROOT)): lines for p in SOURCES
             if (lines := locale_formats(ast.parse(p.read_text(encoding="utf-8"))))}
    assert found == {}


def test_the_check_finds_each_form_it_guards_against():
    sample = 'import datetime as dt\nd = dt.date.today()\na = f"{d:%Y年%m月}"\nb = d.strftime("%m月%d日")\n' \
             'c = format(d, "%Y年")\nok = f"{d:%Y-%m-%d}" + d.strftime("%H:%M")\n'
    assert sorted(locale_formats(ast.parse(sample))) == [3, 4, 5]


def test_hints_name_the_program_a_person_types_on_each_platform():
    from fazhi_desktop.runtime import command_name

    assert command_name("win32", frozen=True) == "fazhi-desktop-cli"  # fazhi-desktop.exe is the windowed one
    assert command_name("win32", frozen=False) == "fazhi-desktop"  # a source install's console script
    assert command_name("linux", frozen=True) == "fazhi-desktop"
