"""The one-folder PyInstaller build: built from build_installer.spec and run, headless, on the demo data.

Frozen builds lose files that a source checkout has (migrations, templates, fonts, python-docx's XML parts), so this
runs the real thing. It takes about a minute, so it is not in the README's test run; `.ci/run` runs it as its own step
(`python -m pytest -m bundle`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytest.importorskip("PyInstaller")
pytestmark = pytest.mark.bundle  # a minute of building: `python -m pytest -m bundle`, a step of its own in .ci/run


@pytest.fixture(scope="module")
def frozen(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("pyi")
    proc = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath",
                           str(work / "dist"), "--workpath", str(work / "build"), str(ROOT / "build_installer.spec")],
                          capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    exe = work / "dist" / "fazhi-desktop" / ("fazhi-desktop.exe" if os.name == "nt" else "fazhi-desktop")
    assert exe.exists()
    return exe


def test_frozen_program_runs_every_document_path(frozen, tmp_path):
    env = dict(os.environ, FAZHI_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    db = str(tmp_path / "demo.sqlite3")

    def run(*args):
        proc = subprocess.run([str(frozen), "--db", db, *args], capture_output=True, text=True, env=env, timeout=120)
        assert "Traceback" not in proc.stdout + proc.stderr
        return proc

    assert run("demo").returncode == 0  # migrations shipped and run in-process
    assert '"publicity.ten_entries": 17' in run("stats", "--year", "2023", "--format", "json").stdout
    for out in ("r.pdf", "r.docx", "t.xlsx"):
        command = "tables" if out.endswith("xlsx") else "report"
        proc = run(command, "--year", "2023", "--out", str(tmp_path / out))
        assert proc.returncode == 0, proc.stderr
        assert (tmp_path / out).stat().st_size > 5000
    # The import reader (calamine, a compiled extension) is bundled: an export reads back through the frozen program.
    assert run("export", str(tmp_path / "e.xlsx"), "--year", "2023").returncode == 0
    dry = run("import", str(tmp_path / "e.xlsx"), "--dry-run")
    assert dry.returncode == 0 and "矛盾纠纷排查调处台账" in dry.stdout, dry.stdout + dry.stderr
    gui = subprocess.run([str(frozen), "--db", db], capture_output=True, text=True, timeout=120,
                         env=dict(env, FAZHI_QUIT_AFTER_SHOW="1"))
    assert gui.returncode == 0 and "ready " in gui.stdout, gui.stderr
