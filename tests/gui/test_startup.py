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
        "import sys, fazhi_desktop.gui.shell.app as app\n"
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


def test_window_opens_on_the_latest_year_with_work_not_on_a_contract_year(demo_db):
    """The demo holds a counsel contract signed for 2024: the window still opens on the last year with work in it —
    judged by the figures, whatever year that is."""
    import datetime as dt

    from fazhi_desktop.services import report_facts
    from fazhi_desktop.services.context import Context
    from fazhi_desktop.services.listing import latest_year
    from fazhi_desktop.services.units import get_unit

    with demo_db.engine.connect() as conn:
        unit = get_unit(conn)
        opened = latest_year(Context(demo_db, unit, "测试员"))
        def has_work(year: int) -> bool:
            return bool(report_facts.gather(conn, unit, year, dt.date(year, 12, 31)).ledgers_with_records)

        assert has_work(opened)
        for later in range(opened + 1, dt.date.today().year + 1):
            assert not has_work(later), later
