"""Compile ui/*.ui (Qt Designer) into fazhi_desktop/gui/generated/ui_*.py with pyside6-uic, and ui/*.ts (Qt
translations) into fazhi_desktop/gui/generated/*.qm with pyside6-lrelease.

Run after editing a .ui file; the generated modules are committed so that source checkouts and frozen builds need no
runtime .ui loading. ``--check`` exits 1 when a generated module is out of date (used by the tests).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI_DIR = ROOT / "ui"
OUT_DIR = ROOT / "fazhi_desktop" / "gui" / "generated"
HEADER = "# Generated from ui/{name} by tools/build_ui.py — edit the .ui file, not this one.\n"


def _tool(name: str) -> str:
    """PySide6's script beside this interpreter (a venv's bin/ or Scripts\\), else whatever PATH finds: the test
    suite runs this with the venv's python without activating the venv."""
    here = Path(sys.executable).parent
    for candidate in (here / name, here / f"{name}.exe"):
        if candidate.is_file():
            return str(candidate)
    return name


def compile_ui(path: Path) -> str:
    out = subprocess.run([_tool("pyside6-uic"), "--no-autoconnection", str(path)], capture_output=True, text=True,
                         check=True, encoding="utf-8").stdout
    # Drop uic's banner: it names the uic version and would make every Qt upgrade a diff.
    body = out.split("from PySide6", 1)
    text = "from PySide6" + body[1] if len(body) == 2 else out
    return HEADER.format(name=path.name) + text


def compile_ts(path: Path) -> bytes:
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "out.qm"
        subprocess.run([_tool("pyside6-lrelease"), "-silent", str(path), "-qm", str(out)], check=True)
        return out.read_bytes()


def main(check: bool = False) -> int:
    stale = []
    outputs = [(OUT_DIR / f"ui_{ui.stem}.py", compile_ui(ui).encode("utf-8")) for ui in sorted(UI_DIR.glob("*.ui"))]
    outputs += [(OUT_DIR / f"{ts.stem}.qm", compile_ts(ts)) for ts in sorted(UI_DIR.glob("*.ts"))]
    for target, data in outputs:
        if check:
            if not target.exists() or target.read_bytes() != data:
                stale.append(target.name)
        else:
            target.write_bytes(data)
    if stale:
        print("out of date:", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv))
