"""Kill -9 during an import, again and again: the database must always open, pass its checks, and hold either
nothing or all of the import — never part of it."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from openpyxl import Workbook

from fazhi_desktop.storage.database import open_database

ROWS = 2000


def _count(path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM meeting").fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash")
    db_path = folder / "crash.sqlite3"
    env = dict(os.environ, FAZHI_DATA_DIR=str(folder / "data"))
    subprocess.run([sys.executable, "-m", "fazhi_desktop", "--db", str(db_path), "init", "--unit", "崩溃镇",
                    "--county", "县", "--addressee", "县法治办", "--issuer", "党委", "--villages", "东村,西村"],
                   check=True, env=env, capture_output=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "会议台账"
    ws.append(["记录编号", "日期*", "会议类型*", "会议名称/议题*", "主持人", "参会人数", "形成决定"])
    for i in range(ROWS):
        ws.append([None, f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}", "其他", f"第{i}次会议", "书记", i % 50,
                   "形成决定：" + "内容" * 20])
    book = folder / "big.xlsx"
    wb.save(book)
    # One full run to learn how long an import takes on this machine (and to prove it can finish).
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "fazhi_desktop", "--db", str(db_path), "import", str(book)], check=True,
                   env=env, capture_output=True)
    duration = time.monotonic() - start
    assert _count(db_path) == ROWS
    return db_path, book, env, duration


def _rounds(setup, rounds: int, seed: int) -> dict:
    db_path, book, env, duration = setup
    rng = random.Random(seed)
    result = {"rounds": rounds, "kills": 0, "completed": 0, "problems": []}
    for n in range(rounds):
        before = _count(db_path)
        proc = subprocess.Popen([sys.executable, "-m", "fazhi_desktop", "--db", str(db_path), "import", str(book)],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, duration * 1.1))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            result["kills"] += 1
        proc.wait()
        check = subprocess.run([sys.executable, "-m", "fazhi_desktop", "--db", str(db_path), "check"], env=env,
                               capture_output=True, text=True)
        problem = None if check.returncode == 0 else check.stderr.strip()
        after = _count(db_path)
        if after == before + ROWS:
            result["completed"] += 1
        if problem or after not in (before, before + ROWS):
            result["problems"].append({"round": n, "before": before, "after": after, "integrity": problem})
    db = open_database(db_path)  # opens, passes quick_check, needs no repair
    db.dispose()
    return result


@pytest.mark.external
def test_kill_during_import_leaves_all_or_nothing(setup):
    result = _rounds(setup, rounds=20, seed=1)
    print(json.dumps(result, ensure_ascii=False))
    assert result["problems"] == []
    assert result["kills"] >= 5  # the test really interrupted imports


@pytest.mark.slow
def test_kill_during_import_100_rounds(setup):
    result = _rounds(setup, rounds=100, seed=2)
    print(json.dumps(result, ensure_ascii=False))
    assert result["problems"] == []
