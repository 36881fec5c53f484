"""Backups, restore, integrity checks, instance lock, database location — on real files."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from clikit import run_cli

from fazhi_desktop.domain.errors import DatabaseLockedError, UserError
from fazhi_desktop.services import safety
from fazhi_desktop.storage import backup_files, backups, location, sqlite_file
from fazhi_desktop.storage import restore as restoring
from fazhi_desktop.storage.database import open_database
from fazhi_desktop.storage.lock import InstanceLock

MEETING = {"date": "2023-04-01", "kind": "其他", "title": "会"}


cli = run_cli


def test_backup_is_consistent_and_verified_while_the_database_is_open(db, svc, data_dir):
    for _ in range(5):
        svc.create("meeting", MEETING)
    # The last writes are still in the WAL file: a plain file copy would miss them.
    assert Path(str(db.path) + "-wal").exists()
    path = safety.backup_now(db)
    assert path.parent == data_dir / "backups" and not list(path.parent.glob("*.part"))
    assert sqlite_file.integrity_problem(path) is None
    assert backup_files.summarize(path).records == 5
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    con.close()


def test_rotation_keeps_n_and_never_safety_copies(db, svc, tmp_path):
    folder = tmp_path / "b"
    for _ in range(5):
        backups.make_backup(db.path, "daily", folder, keep=3)
    safety_copy = backups.make_backup(db.path, "safety", folder, keep=3)
    backups.make_backup(db.path, "exit", folder, keep=3)
    listed = backup_files.list_backups(db.path, folder)
    assert len([b for b in listed if b.reason != "safety"]) == 3
    assert safety_copy.exists()
    assert listed[0].reason == "exit" and listed[0].reason_label == "退出时"


def test_daily_backup_once_a_day(db, unit, tmp_path):
    first = safety.daily(db)
    assert first is not None and safety.daily(db) is None


def test_restore_takes_a_safety_copy_first(db, svc, tmp_path):
    svc.create("meeting", MEETING)
    snapshot = safety.backup_now(db)
    for _ in range(3):
        svc.create("meeting", MEETING)
    db.dispose()
    safety_copy = restoring.restore(db.path, snapshot).safety
    assert backup_files.summarize(safety_copy).records == 4
    reopened = open_database(db.path)
    with reopened.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM meeting").scalar() == 1
    reopened.dispose()


def test_damaged_backup_is_refused(db, svc, tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    with pytest.raises(UserError, match="已损坏"):
        restoring.restore(db.path, bad)


def test_cli_backup_restore_check(tmp_path, data_dir):
    db = tmp_path / "d.sqlite3"
    assert cli("--db", str(db), "demo").returncode == 0
    proc = cli("--db", str(db), "backup")
    assert proc.returncode == 0 and "已校验" in proc.stdout
    usb = tmp_path / "usb"
    usb.mkdir()
    assert cli("--db", str(db), "backup", "--out", str(usb)).returncode == 0
    assert len(list(usb.glob("*.sqlite3"))) == 1
    check = cli("--db", str(db), "check")
    assert check.returncode == 0 and "数据库完好" in check.stdout
    backup_file = next((data_dir / "backups").glob("d-*-manual-*.sqlite3"))
    restored = cli("--db", str(db), "restore", str(backup_file))
    assert restored.returncode == 0 and "另存为" in restored.stdout
    assert cli("--db", str(db), "audit", "verify").returncode == 0


def test_corrupted_database_check_and_open_exit_1(tmp_path):
    db = tmp_path / "c.sqlite3"
    assert cli("--db", str(db), "demo").returncode == 0
    data = bytearray(db.read_bytes())
    for i in range(8192, min(len(data), 8192 * 4)):
        data[i] = 0x55
    db.write_bytes(bytes(data))
    proc = cli("--db", str(db), "check")
    assert proc.returncode == 1 and "restore" in proc.stderr
    proc = cli("--db", str(db), "stats", "--year", "2023")
    assert proc.returncode == 1 and "损坏" in proc.stderr and str(db) in proc.stderr


def test_audit_verify_fails_on_tampering(tmp_path):
    db = tmp_path / "a.sqlite3"
    assert cli("--db", str(db), "demo").returncode == 0
    con = sqlite3.connect(db)
    con.execute("UPDATE audit_log SET actor = '别人' WHERE id = 5")
    con.commit()
    con.close()
    proc = cli("--db", str(db), "audit", "verify")
    assert proc.returncode == 1 and "第 5 条" in proc.stderr


def test_read_only_location_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    open_database(folder / "x.sqlite3").dispose()
    if os.geteuid() == 0:  # root ignores permission bits: let the OS answer as it would for a clerk's account
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK else real(p, mode))
    else:
        os.chmod(folder, 0o555)
    try:
        with pytest.raises(UserError, match="只读") as err:
            open_database(folder / "x.sqlite3")
        assert str(folder) in str(err.value)
    finally:
        os.chmod(folder, 0o755)


def test_location_warning():
    assert location.location_warning(Path("/tmp/x.sqlite3"), mounts=["/dev/sda1 / ext4 rw 0 0"]) is None
    mounts = ["/dev/sda1 / ext4 rw 0 0", "//server/share /mnt/office cifs rw 0 0"]
    assert "网络" in location.location_warning(Path("/mnt/office/x.sqlite3"), mounts=mounts)


def test_one_instance_per_database_file(tmp_path):
    db = tmp_path / "l.sqlite3"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from fazhi_desktop.storage.lock import InstanceLock;"
        f"lock = InstanceLock(Path({str(db)!r})).acquire(); print('locked', flush=True); time.sleep(30)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseLockedError, match="请先关闭程序窗口"):
            InstanceLock(db).acquire()
    finally:
        holder.kill()  # like a crash: the OS drops the lock, nothing stale remains
        holder.wait()
    time.sleep(0.1)
    with InstanceLock(db):
        pass


def test_old_schema_databases_upgrade_with_their_data(tmp_path, data_dir):
    """Each committed database at an earlier (or the current) schema revision opens with its data intact."""
    from fazhi_desktop.services import stats
    from fazhi_desktop.services.units import get_unit
    from fazhi_desktop.storage import migrate

    fixtures = sorted((Path(__file__).parent / "data").glob("schema_*.sqlite3"))
    assert fixtures, "no fixture databases"
    for fixture in fixtures:
        path = tmp_path / fixture.name
        shutil.copyfile(fixture, path)
        revision = fixture.stem.split("_")[1]
        db = open_database(path)
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        with db.engine.connect() as conn:
            s = stats.compute(conn, get_unit(conn), 2023)
        assert (s["org.special_meetings"], s["publicity.ten_entries"], s["talent.law_leaders"]) == (4, 17, 43)
        db.dispose()
        if revision != migrate.head_revision():
            assert list((data_dir / "backups").glob(f"{path.stem}-*-before-upgrade-{revision}-*.sqlite3"))
