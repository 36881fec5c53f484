"""The window soak (slow level): the real window driven by clicks and keys for many rounds, in a child process, on the
demo and on a unit of 100,000 records whose 待办 list is full. The process must survive and ``sys.getrefcount(None)``
must not fall: on Python 3.11, PySide6 6.12.0 drops a reference to None on every call that returns nothing and the
interpreter aborts within minutes (``none_dealloc``). tools/try_newer.py runs this test against newer releases.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fazhi_desktop.services.demo import load_demo
from fazhi_desktop.services.units import create_unit
from fazhi_desktop.storage.database import open_database

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
# After the first round every page is built; a later count may wobble by what a page holds, never walk down.
WOBBLE = 500


def soak(db_path: Path, rounds: int, data_dir: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FAZHI_DATA_DIR=str(data_dir))
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "soakkit.py"), "--db", str(db_path), "--rounds",
                           str(rounds)], capture_output=True, text=True, env=env, timeout=1500, cwd=ROOT)
    assert proc.returncode == 0, (f"the window died (exit {proc.returncode}) during the soak:\n"
                                  f"{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    print(json.dumps(result, ensure_ascii=False))
    return result


def assert_none_count_holds(result: dict) -> None:
    counts = result["none_counts"]
    built = counts[1]
    lowest = min(counts[1:])
    assert lowest >= built - WOBBLE, f"references to None fall round by round: {counts}"


def test_the_demo_window_survives_many_rounds_of_every_tab(tmp_path, data_dir):
    db = open_database(tmp_path / "demo.sqlite3")
    load_demo(db.engine)
    db.dispose()
    result = soak(tmp_path / "demo.sqlite3", 25, data_dir)
    assert result["rounds"] == 25
    assert_none_count_holds(result)


def test_a_100k_unit_with_a_full_todo_list_survives_the_soak(tmp_path, data_dir):
    from bench.run import synthetic

    db = open_database(tmp_path / "big.sqlite3")
    with db.engine.begin() as conn:
        unit = create_unit(conn, {"name": "大镇", "county": "县", "addressee": "县法治办", "issuers": ["中共大镇委员会"],
                                  "villages": [f"{i}村" for i in range(12)]}, "bench")
    synthetic(db.engine, unit, 100_000)
    db.dispose()
    result = soak(tmp_path / "big.sqlite3", 6, data_dir)
    assert result["todo_rows"] > 2000, result  # the 待办 table was full while the window was driven
    assert_none_count_holds(result)
