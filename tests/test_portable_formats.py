"""No date is formatted through the C library with Chinese text in the format (#32): on Windows, strftime (and an
f-string's ``{d:%Y年}``) encodes the format in the system code page, so ``年`` raises UnicodeEncodeError on an English
Windows and ValueError under code page 936. Dates are built from their parts (reports.content.numbers.cn_date)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
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


def test_an_older_windows_is_told_why_the_window_does_not_open():
    from fazhi_desktop.runtime.windows_version import MINIMUM_BUILD, refuse_old_windows, too_old

    assert MINIMUM_BUILD == 17763  # Windows 10 1809: the oldest Qt 6 supports
    assert too_old(17763) is None and too_old(22631) is None and too_old(None) is None
    message = too_old(14393)  # Windows 10 LTSB 2016
    assert "1809" in message and "14393" in message and "fazhi-desktop-cli" in message
    shown: list[str] = []
    assert refuse_old_windows(9600, shown.append) and "9600" in shown[0]  # Windows 8.1
    assert not refuse_old_windows(19045, shown.append) and len(shown) == 1


def test_the_window_is_refused_before_qt_loads_on_an_older_windows(tmp_path):
    """The check runs before the Qt DLLs are loaded (on that Windows they fail without a word) and ends the program
    with a failure code; the command line is not affected."""
    code = (
        "import sys\n"
        "from fazhi_desktop.runtime import windows_version\n"
        "windows_version.running_build = lambda: 14393\n"
        "windows_version._message_box = lambda text: print('BOX', text)\n"
        "from fazhi_desktop.cli import main\n"
        f"code = main(['--db', {str(tmp_path / 'x.sqlite3')!r}])\n"
        "print('EXIT', code, 'QT', any(m.startswith('PySide6') for m in sys.modules))\n"
    )
    env = dict(os.environ, FAZHI_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert "BOX 本程序的窗口需要 Windows 10 1809" in proc.stdout, proc.stdout + proc.stderr
    assert "EXIT 1 QT False" in proc.stdout


def test_the_command_line_runs_in_the_c_locale(tmp_path):
    """A cheap guard on Linux for what Windows does with a legacy code page (#32): every document path under
    LC_ALL=C (ASCII; Python's UTF-8 mode keeps file names and output in UTF-8)."""
    env = dict(os.environ, LC_ALL="C", LANG="C", FAZHI_DATA_DIR=str(tmp_path / "data"))
    env.pop("PYTHONUTF8", None)
    db = str(tmp_path / "镇.sqlite3")

    def run(*args: str) -> subprocess.CompletedProcess:
        proc = subprocess.run([sys.executable, "-m", "fazhi_desktop", "--db", db, *args], capture_output=True,
                              env=env, timeout=300)
        out = proc.stdout.decode("utf-8") + proc.stderr.decode("utf-8")
        assert proc.returncode == 0 and "Traceback" not in out, out[-2000:]
        return proc

    run("demo")
    assert "专题会议" in run("stats", "--year", "2023").stdout.decode("utf-8")
    for args in (("report", "--year", "2023", "--out", str(tmp_path / "报告.pdf")),
                 ("report", "--year", "2023", "--format", "docx", "--out", str(tmp_path / "报告.docx")),
                 ("tables", "--year", "2023", "--out", str(tmp_path / "统计表.xlsx")),
                 ("binder", "--year", "2023", "--out", str(tmp_path / "汇编.pdf")),
                 ("todo", "--year", "2023", "--today", "2024-03-01"),
                 ("package", "export", "--year", "2023", "--out", str(tmp_path / "包.zip")),
                 ("county-tables", "--year", "2023", "--out", str(tmp_path / "县.xlsx")),
                 ("audit", "log")):
        run(*args)
    for name in ("报告.pdf", "报告.docx", "统计表.xlsx", "汇编.pdf", "包.zip", "县.xlsx"):
        assert (tmp_path / name).stat().st_size > 1000, name
