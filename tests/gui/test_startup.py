"""Start-up: the window is on screen before the database layer loads, then fills in."""

from __future__ import annotations

import os
import subprocess
import sys

from clikit import run_cli


def test_window_shows_before_the_database_layer_loads(tmp_path):
    db = tmp_path / "demo.sqlite3"
    assert run_cli("--db", str(db), "demo").returncode == 0
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FAZHI_QUIT_AFTER_SHOW="1")
    probe = (
        "import sys, fazhi_desktop.gui.app as app\n"
        "hook = app._benchmark_hook\n"
        "def check(a, w):\n"
        "    print('title', w.windowTitle(), 'sqlalchemy', 'sqlalchemy' in sys.modules, flush=True)\n"
        "    hook(a, w)\n"
        "app._benchmark_hook = check\n"
        "from fazhi_desktop.cli import main\n"
        f"sys.exit(main(['--db', {str(db)!r}]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "title 法治建设台账 — 肖咀镇 sqlalchemy False" in lines
    shown = float(next(x for x in lines if x.startswith("shown ")).split()[1])
    ready = float(next(x for x in lines if x.startswith("ready ")).split()[1])
    assert ready >= shown
    assert "Traceback" not in proc.stderr
