"""Data safety round 2 (issue #10): backups that hold everything, restores that cannot destroy, writers that respect
the lock — each case on real files, most through the real command line."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import sandbox
from clikit import run_cli
from dbkit import live_meetings

from fazhi_desktop.domain import audit_actions
from fazhi_desktop.services import attachments, safety
from fazhi_desktop.services.demo import load_demo
from fazhi_desktop.services.records import RecordService
from fazhi_desktop.services.units import create_unit, get_unit
from fazhi_desktop.storage import backup_files, backups, identity, migrate, sqlite_file
from fazhi_desktop.storage.database import open_database
from fazhi_desktop.storage.lock import InstanceLock

FIXTURES = Path(__file__).parent / "data"
MEETING = {"date": "2023-04-01", "kind": "其他", "title": "会"}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    return run_cli(*args, env={"FAZHI_DATA_DIR": str(data_dir)})


def make_db(path: Path, unit_name: str = "甲镇", meetings: int = 1):
    db = open_database(path)
    with db.engine.begin() as conn:
        unit = create_unit(conn, {"name": unit_name, "county": "某县", "addressee": "县法治办",
                                  "issuers": [f"中共{unit_name}委员会"], "villages": ["东村"]}, "测试员")
    svc = RecordService(db.engine, unit, "测试员")
    for _ in range(meetings):
        svc.create("meeting", MEETING)
    return db, unit, svc


@pytest.fixture
def demo(tmp_path, data_dir) -> Path:
    path = tmp_path / "fazhi.sqlite3"
    db = open_database(path)
    load_demo(db.engine)
    db.dispose()
    return path


# 1. Outputs never overwrite a database -------------------------------------------------------------------------

def test_outputs_refuse_to_overwrite_any_database(demo, tmp_path, data_dir):
    backup = safety.backup_now(open_database(demo))
    foreign = tmp_path / "other.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.commit()
    con.close()
    before = {p: digest(p) for p in (demo, backup, foreign)}
    db = ["--db", str(demo)]
    attempts = [
        [*db, "report", "--year", "2023", "--out", str(demo)],
        [*db, "report", "--year", "2023", "--format", "docx", "--out", str(backup)],
        [*db, "tables", "--year", "2023", "--out", str(foreign)],
        [*db, "export", str(demo)],
        [*db, "template", "--out", str(backup)],
        [*db, "report", "--year", "2023", "--out", str(demo) + "-wal"],
    ]
    for args in attempts:
        proc = cli(*args, data_dir=data_dir)
        assert proc.returncode == 1, args
        assert "数据库" in proc.stderr and "不能用输出文件覆盖" in proc.stderr, proc.stderr
    assert {p: digest(p) for p in before} == before
    assert live_meetings(demo) > 0


def test_backup_out_never_overwrites_an_existing_file(demo, tmp_path, data_dir):
    existing = tmp_path / "u盘" / "数据.sqlite3"
    existing.parent.mkdir()
    existing.write_bytes(b"the clerk's other file")
    proc = cli("--db", str(demo), "backup", "--out", str(existing), data_dir=data_dir)
    assert proc.returncode == 1 and "已经存在" in proc.stderr
    assert existing.read_bytes() == b"the clerk's other file"
    first = cli("--db", str(demo), "backup", "--out", str(existing.parent), data_dir=data_dir)
    second = cli("--db", str(demo), "backup", "--out", str(existing.parent), data_dir=data_dir)
    assert first.returncode == second.returncode == 0
    assert len(list(existing.parent.glob("肖咀镇-备份-*.sqlite3"))) == 2  # same second: two files, none replaced


# 2. Backups belong to one database -------------------------------------------------------------------------------

def test_same_file_name_in_two_folders_keeps_two_backup_sets(tmp_path, data_dir):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a, _, _ = make_db(tmp_path / "a" / "fazhi.sqlite3", "甲镇", meetings=1)
    b, _, _ = make_db(tmp_path / "b" / "fazhi.sqlite3", "乙镇", meetings=2)
    folder = tmp_path / "backups"
    for _ in range(3):
        backups.make_backup(a.path, "daily", folder, keep=2)
    for _ in range(3):
        backups.make_backup(b.path, "daily", folder, keep=2)  # must not rotate A's away
    listed_a = backup_files.list_backups(a.path, folder)
    listed_b = backup_files.list_backups(b.path, folder)
    assert len(listed_a) == len(listed_b) == 2
    assert {x.units for x in listed_a} == {("甲镇",)} and {x.records for x in listed_a} == {1}
    assert {x.units for x in listed_b} == {("乙镇",)}
    with a.engine.connect() as conn_a, b.engine.connect() as conn_b:
        assert identity.read_id(conn_a) != identity.read_id(conn_b)
    a.dispose()
    b.dispose()
    # A is damaged: its backups are still found (the registry remembers which database lived there)
    raw = bytearray(a.path.read_bytes())
    raw[0:100] = b"\0" * 100
    a.path.write_bytes(bytes(raw))
    assert identity.file_id(a.path) is None
    assert {x.units for x in backup_files.list_backups(a.path, folder)} == {("甲镇",)}


def test_start_up_offer_restores_the_same_database_not_a_namesake(tmp_path, data_dir, monkeypatch, qapp):
    from PySide6.QtWidgets import QMessageBox

    from fazhi_desktop.domain.errors import DatabaseCorruptError
    from fazhi_desktop.gui.shell import app as gui_app

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a, _, _ = make_db(tmp_path / "a" / "fazhi.sqlite3", "甲镇", meetings=1)
    safety.backup_now(a)
    b, _, _ = make_db(tmp_path / "b" / "fazhi.sqlite3", "乙镇", meetings=5)
    safety.backup_now(b)  # newer, same file name, same backup folder
    a.dispose()
    b.dispose()
    raw = bytearray(a.path.read_bytes())
    for i in range(4096, len(raw)):
        raw[i] = 0x55
    a.path.write_bytes(bytes(raw))
    with pytest.raises(DatabaseCorruptError) as err:
        open_database(a.path)
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *args, **k: asked.append(args[2]) or QMessageBox.StandardButton.Yes))
    restored = gui_app.offer_restore(err.value, "测试员")
    assert "甲镇" in asked[0] and "乙镇" not in asked[0]
    with restored.db.engine.connect() as conn:
        assert get_unit(conn).name == "甲镇"
    restored.close()
    assert live_meetings(a.path) == 1 and live_meetings(b.path) == 5


# 3. Restore validates before it replaces anything ------------------------------------------------------------------

def _bad_backups(tmp_path: Path, demo: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    foreign = tmp_path / "foreign.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.commit()
    con.close()
    good = backups.copy_to(demo, tmp_path / "good.sqlite3")
    newer = tmp_path / "newer.sqlite3"
    shutil.copyfile(good, newer)
    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    text = tmp_path / "notes.sqlite3"
    text.write_text("这不是数据库" * 100, encoding="utf-8")
    return {"empty": (empty, "0 字节"), "foreign": (foreign, "其他软件"), "newer": (newer, "更新版本"),
            "truncated": (truncated, "损坏或不完整"), "text": (text, "不是本程序的备份")}


def test_restore_refuses_unusable_files_before_touching_anything(demo, tmp_path, data_dir):
    before = digest(demo)
    for name, (bad, message) in _bad_backups(tmp_path, demo).items():
        proc = cli("--db", str(demo), "restore", str(bad), data_dir=data_dir)
        assert proc.returncode == 1, name
        assert message in proc.stderr, (name, proc.stderr)
        assert digest(demo) == before, name
    assert not list((data_dir / "backups").glob("*safety*")), "nothing was saved because nothing was replaced"


def test_another_units_backup_needs_explicit_confirmation(tmp_path, data_dir):
    mine, _, _ = make_db(tmp_path / "mine.sqlite3", "甲镇", meetings=2)
    theirs, _, _ = make_db(tmp_path / "theirs.sqlite3", "乙镇", meetings=7)
    other = backups.copy_to(theirs.path, tmp_path / "乙镇备份.sqlite3")
    mine.dispose()
    theirs.dispose()
    before = digest(mine.path)
    proc = cli("--db", str(mine.path), "restore", str(other), data_dir=data_dir)
    assert proc.returncode == 1 and "乙镇" in proc.stderr and "甲镇" in proc.stderr
    assert digest(mine.path) == before
    proc = cli("--db", str(mine.path), "restore", str(other), "--other-unit", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    assert live_meetings(mine.path) == 7 and "恢复前的数据已另存为" in proc.stdout


def test_restore_of_an_older_schema_upgrades_keeps_identity_and_is_logged(tmp_path, data_dir):
    path = tmp_path / "fazhi.sqlite3"
    db = open_database(path)
    with db.engine.connect() as conn:
        own_id = identity.read_id(conn)
    db.dispose()  # an empty database (no unit yet): any backup may go in
    proc = cli("--db", str(path), "restore", str(FIXTURES / "schema_0001.sqlite3"), data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    assert "恢复前的数据已另存为" in proc.stdout
    db = open_database(path)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == migrate.HEAD
        assert identity.read_id(conn) == own_id  # the backup set stays this database's
        entry = conn.exec_driver_sql("SELECT action, changes FROM audit_log ORDER BY id DESC LIMIT 1").one()
    db.dispose()
    assert entry[0] == audit_actions.RESTORE_BACKUP and "schema_0001.sqlite3" in entry[1]
    log = cli("--db", str(path), "audit", "log", data_dir=data_dir)
    assert "restore-backup" in log.stdout and "schema_0001.sqlite3" in log.stdout
    assert cli("--db", str(path), "audit", "verify", data_dir=data_dir).returncode == 0


def test_restore_onto_a_new_pc_says_there_was_nothing_to_keep(demo, tmp_path, data_dir):
    copy = backups.copy_to(demo, tmp_path / "copy.sqlite3")
    target = tmp_path / "newpc" / "fazhi.sqlite3"
    target.parent.mkdir()
    proc = cli("--db", str(target), "restore", str(copy), data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    assert "无需另存" in proc.stdout and "肖咀镇" in proc.stdout
    assert live_meetings(target) == live_meetings(demo)


# 4. Every writer takes the lock -------------------------------------------------------------------------------------

def test_writing_commands_stop_while_the_window_holds_the_database(demo, tmp_path, data_dir):
    template = tmp_path / "模板.xlsx"
    assert cli("--db", str(demo), "export", str(template), data_dir=data_dir).returncode == 0
    copy = backups.copy_to(demo, tmp_path / "copy.sqlite3")
    link = tmp_path / "link.sqlite3"
    link.symlink_to(demo)
    before = digest(demo)
    with InstanceLock(link):  # the window opened the database through a symlink
        for args in (["import", str(template)], ["restore", str(copy)], ["demo"], ["backup"],
                     ["init", "--unit", "丙镇", "--county", "某县", "--addressee", "县法治办", "--issuer", "丙镇",
                      "--villages", "东村"]):
            proc = cli("--db", str(demo), *args, data_dir=data_dir)
            assert proc.returncode == 1, args
            assert "请先关闭程序窗口" in proc.stderr, (args, proc.stderr)
        # reading goes on beside the window
        assert cli("--db", str(demo), "stats", "--year", "2023", data_dir=data_dir).returncode == 0
        assert cli("--db", str(demo), "import", str(template), "--dry-run", data_dir=data_dir).returncode == 0
    assert digest(demo) == before
    assert cli("--db", str(demo), "backup", data_dir=data_dir).returncode == 0  # the window closed


# 5. Attachments are part of the data --------------------------------------------------------------------------------

def _attach(db, unit, tmp_path: Path, name: str, content: bytes) -> tuple[str, str]:
    svc = RecordService(db.engine, unit, "测试员")
    record = svc.create("meeting", MEETING).id
    source = tmp_path / name
    source.write_bytes(content)
    return record, attachments.add(db.engine, unit.id, "meeting", record, source, "测试员")


def _files(db, record: str) -> list[dict]:
    with db.engine.connect() as conn:
        return attachments.list_for(conn, record)


def test_attachments_are_kept_per_database_with_their_extension(tmp_path, data_dir):
    a, unit_a, _ = make_db(tmp_path / "a.sqlite3", "甲镇", meetings=0)
    b, unit_b, _ = make_db(tmp_path / "b.sqlite3", "乙镇", meetings=0)
    rec_a, att_a = _attach(a, unit_a, tmp_path, "会议照片.JPG", b"same picture")
    rec_b, _att_b = _attach(b, unit_b, tmp_path, "会议照片.jpg", b"same picture")
    path_a, path_b = _files(a, rec_a)[0]["path"], _files(b, rec_b)[0]["path"]
    assert path_a != path_b and path_a.suffix == ".jpg"
    attachments.remove(a.engine, att_a, "测试员")
    assert not path_a.exists()
    assert path_b.read_bytes() == b"same picture"  # removing in A never deletes B's file
    a.dispose()
    b.dispose()


def test_backup_remove_restore_gives_the_attachment_back(tmp_path, data_dir):
    db, unit, _ = make_db(tmp_path / "fazhi.sqlite3", "甲镇", meetings=0)
    record, att = _attach(db, unit, tmp_path, "整改方案.pdf", b"%PDF-1.4 rectification plan")
    snapshot = safety.backup_now(db)
    attachments.remove(db.engine, att, "测试员")
    assert _files(db, record) == []
    db.dispose()
    result = safety.restore(db.path, snapshot, "测试员")
    assert result.missing == []
    db = open_database(db.path)
    (restored,) = _files(db, record)
    assert restored["path"].read_bytes() == b"%PDF-1.4 rectification plan" and restored["path"].suffix == ".pdf"
    db.dispose()


def test_usb_backup_carries_the_attachments_to_a_new_pc(tmp_path, data_dir, monkeypatch):
    db, unit, _ = make_db(tmp_path / "fazhi.sqlite3", "甲镇", meetings=0)
    record, _ = _attach(db, unit, tmp_path, "签到表.xlsx", b"sign-in sheet" * 1000)
    usb = tmp_path / "usb"
    usb.mkdir()
    proc = cli("--db", str(db.path), "backup", "--out", str(usb), data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    db.dispose()
    (copy,) = usb.glob("*.sqlite3")
    new_pc = tmp_path / "newpc"
    monkeypatch.setenv("FAZHI_DATA_DIR", str(new_pc / "data"))  # nothing of the old PC's data folder is there
    new_pc.mkdir()
    proc = cli("--db", str(new_pc / "fazhi.sqlite3"), "restore", str(copy), data_dir=new_pc / "data")
    assert proc.returncode == 0, proc.stderr
    moved = open_database(new_pc / "fazhi.sqlite3")
    (found,) = _files(moved, record)
    assert found["path"].read_bytes() == b"sign-in sheet" * 1000
    assert str(found["path"]).startswith(str(new_pc / "data"))
    with moved.engine.connect() as conn:
        assert conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE name = 'backup_attachment_files'").scalar() == 0
    moved.dispose()


def test_rotation_removes_attachment_files_no_backup_needs(tmp_path, data_dir):
    db, unit, _ = make_db(tmp_path / "fazhi.sqlite3", "甲镇", meetings=0)
    folder = tmp_path / "backups"
    _record, att = _attach(db, unit, tmp_path, "old.png", b"old picture")
    backups.make_backup(db.path, "daily", folder, keep=2)
    assert len(list((folder / "attachments").glob("*/*"))) == 1
    attachments.remove(db.engine, att, "测试员")
    backups.make_backup(db.path, "daily", folder, keep=2)
    assert len(list((folder / "attachments").glob("*/*"))) == 1  # the older backup still needs it
    backups.make_backup(db.path, "daily", folder, keep=2)
    assert list((folder / "attachments").glob("*/*")) == []
    db.dispose()


# 6. Rotation never deletes the newest backup -------------------------------------------------------------------------

def test_clock_set_back_never_deletes_the_backup_just_written(tmp_path, data_dir):
    db, _, _ = make_db(tmp_path / "fazhi.sqlite3", meetings=1)
    folder = tmp_path / "backups"
    for _ in range(3):
        made = backups.make_backup(db.path, "daily", folder, keep=3)
        # written while the clock said 2027: its name sorts after anything written today
        made.rename(made.with_name(made.name.replace("-2026", "-2027").replace("-2025", "-2027")))
    newest = backups.make_backup(db.path, "exit", folder, keep=3)
    assert newest.exists() and sqlite_file.integrity_problem(newest) is None
    assert len(backup_files.list_backups(db.path, folder)) == 3
    db.dispose()


# 7. Disk full, unwritable folders ---------------------------------------------------------------------------------

@sandbox.needs_sandbox
def test_disk_full_and_read_only_targets_give_a_message_and_leave_nothing(demo, tmp_path, data_dir):
    full = tmp_path / "full"
    full.mkdir()
    listing = f"ls -A {full}"
    proc = sandbox.run("--db", str(demo), "backup", "--out", str(full), steps=[sandbox.tmpfs(full, 64)],
                       after=listing, data_dir=data_dir)
    assert proc.returncode == 1 and "磁盘空间不足" in proc.stderr, proc.stderr
    assert proc.after.split() == []  # no .part file on the full disk
    proc = sandbox.run("--db", str(demo), "tables", "--year", "2023", "--out", str(full / "统计表.xlsx"),
                       steps=[sandbox.tmpfs(full, 16)], after=listing, data_dir=data_dir)
    assert proc.returncode == 1 and "磁盘空间不足" in proc.stderr and len(proc.stderr.splitlines()) <= 3, proc.stderr
    assert proc.after.split() == []
    locked = tmp_path / "locked"
    locked.mkdir()
    for args in (["tables", "--year", "2023", "--out", str(locked / "t.xlsx")],
                 ["report", "--year", "2023", "--out", str(locked / "r.pdf")],
                 ["export", str(locked / "e.xlsx")],
                 ["backup", "--out", str(locked)]):
        proc = sandbox.run("--db", str(demo), *args, steps=[sandbox.read_only(locked)], data_dir=data_dir)
        errors = [ln for ln in proc.stderr.splitlines() if not ln.startswith("提示：")]  # report: readiness hints
        assert proc.returncode == 1 and "只读" in proc.stderr and len(errors) <= 3, proc.stderr
    assert list(locked.iterdir()) == []


@sandbox.needs_sandbox
def test_full_backup_folder_keeps_the_old_backups(demo, tmp_path, data_dir):
    folder = data_dir / "backups"
    assert cli("--db", str(demo), "backup", data_dir=data_dir).returncode == 0
    old = sorted(f"{digest(p)}  {p}" for p in folder.glob("*.sqlite3"))
    staged = tmp_path / "staged"
    shutil.copytree(folder, staged)
    # the backup folder becomes a nearly full disk that holds the old backups
    size_kb = sum(p.stat().st_size for p in staged.rglob("*") if p.is_file()) // 1024 + 48
    steps = [sandbox.tmpfs(folder, size_kb), f"cp -a {staged}/. {folder}/"]
    proc = sandbox.run("--db", str(demo), "backup", steps=steps, data_dir=data_dir,
                       after=f"sha256sum {folder}/*.sqlite3; ls -A {folder}")
    assert proc.returncode == 1 and "磁盘空间不足" in proc.stderr, proc.stderr
    after = proc.after.strip().splitlines()
    assert sorted(line for line in after if "  " in line) == old  # the old backup, byte for byte
    assert not [name for name in after if name.endswith(".part")]


# 8. Cannot open vs damaged; read-only media -------------------------------------------------------------------------

@sandbox.needs_sandbox
def test_check_tells_permissions_from_damage(demo, tmp_path, data_dir):
    demo.chmod(0)
    try:
        proc = sandbox.run("--db", str(demo), "check", steps=["true"], data_dir=data_dir, no_dac_override=True)
    finally:
        demo.chmod(0o600)
    assert proc.returncode == 1
    assert "无法打开" in proc.stderr and "权限" in proc.stderr and "restore" not in proc.stderr
    raw = bytearray(demo.read_bytes())
    for i in range(8192, 8192 * 4):
        raw[i] = 0x55
    demo.write_bytes(bytes(raw))
    proc = cli("--db", str(demo), "check", data_dir=data_dir)
    assert proc.returncode == 1 and "已损坏" in proc.stderr and "restore" in proc.stderr


@sandbox.needs_sandbox
def test_database_on_a_read_only_medium_opens_for_reading(demo, tmp_path, data_dir):
    expected = cli("--db", str(demo), "stats", "--year", "2023", "--format", "json", data_dir=data_dir).stdout
    medium = demo.parent
    out = tmp_path.parent / f"{tmp_path.name}-out"
    out.mkdir()
    ro = [sandbox.read_only(medium)]
    proc = sandbox.run("--db", str(demo), "stats", "--year", "2023", "--format", "json", steps=ro, data_dir=data_dir)
    assert proc.returncode == 0 and proc.stdout == expected and "只读" in proc.stderr
    proc = sandbox.run("--db", str(demo), "report", "--year", "2023", "--out", str(out / "r.pdf"), steps=ro,
                       data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    assert (out / "r.pdf").read_bytes().startswith(b"%PDF")
    proc = sandbox.run("--db", str(demo), "check", steps=ro, data_dir=data_dir)
    assert proc.returncode == 0 and "只读" in proc.stdout
    proc = sandbox.run("--db", str(demo), "demo", steps=ro, data_dir=data_dir)
    assert proc.returncode == 1 and "只读" in proc.stderr


def test_gui_on_a_read_only_database_says_so_instead_of_failing(demo, qtbot, monkeypatch, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from fazhi_desktop.gui.shell.main_window import MainWindow
    from fazhi_desktop.gui.shell.session import Session

    db = open_database(demo, read_only=True)
    with db.engine.connect() as conn:
        unit = get_unit(conn)
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda parent, title, text, *a: warned.append(text)))
    window = MainWindow(Session(db, unit, "测试员", 2023), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                        backup_on_exit=False)
    qtbot.addWidget(window)
    assert window.windowTitle().endswith("（只读）")
    with pytest.raises(Exception) as err:
        RecordService(db.engine, unit, "测试员").create("meeting", MEETING)
    from fazhi_desktop.gui.shell.errors import show_exception

    show_exception(window, err.value)
    assert warned and "只读" in warned[0] and "程序遇到意外错误" not in warned[0]
    db.dispose()


# 9. A mistyped --db never creates a database ------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["stats", "--year", "2023"], ["report", "--year", "2023", "--out", "r.pdf"],
                                  ["tables", "--year", "2023", "--out", "t.xlsx"], ["check"], ["export", "e.xlsx"],
                                  ["audit", "log"], ["backup"]])
def test_mistyped_database_path_is_named_not_created(args, tmp_path, data_dir):
    typo = tmp_path / "fazih.sqlite3"
    proc = subprocess.run([sys.executable, "-m", "fazhi_desktop", "--db", str(typo), *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=tmp_path, env=dict(os.environ, FAZHI_DATA_DIR=str(data_dir)))
    assert proc.returncode == 1 and str(typo) in proc.stderr and "不存在" in proc.stderr, proc.stderr
    assert not typo.exists()


# 10. Personal information is owner-only ---------------------------------------------------------------------------

@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_files_and_folders_are_private(tmp_path):
    data = tmp_path / "data"
    db = tmp_path / "fazhi.sqlite3"
    env = dict(os.environ, FAZHI_DATA_DIR=str(data))
    script = (
        "import os, sys; os.umask(0o022); from fazhi_desktop.cli import main;"
        f"assert main(['--db', {str(db)!r}, 'demo']) == 0; assert main(['--db', {str(db)!r}, 'backup']) == 0;"
        "from pathlib import Path; from fazhi_desktop.storage.database import open_database;"
        "from fazhi_desktop.services import attachments; from fazhi_desktop.services.units import get_unit;"
        f"d = open_database({str(db)!r}); conn = d.engine.connect(); u = get_unit(conn);"
        "rid = conn.exec_driver_sql('SELECT id FROM meeting LIMIT 1').scalar(); conn.close();"
        f"p = Path({str(tmp_path / 'photo.png')!r}); p.write_bytes(b'png');"
        "attachments.add(d.engine, u.id, 'meeting', rid, p, 'x'); d.dispose();"
        f"assert main(['--db', {str(db)!r}, 'report', '--year', '2023', '--out', {str(tmp_path / 'r.pdf')!r}]) == 0"
    )
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
    assert mode(db) == 0o600
    folders = [data, data / "backups", data / "logs", data / "attachments", *(data / "attachments").rglob("*"),
               data / "cache", data / "cache" / "fonts"]  # the report's fonts, parsed once
    for folder in (f for f in folders if f.is_dir()):
        assert mode(folder) == 0o700, folder
    files = [*data.rglob("*")]
    assert any(f.suffix == ".png" for f in files) and any(f.name.endswith(".log") for f in files)
    assert any(f.parent.name == "fonts" and f.suffix == ".bin" for f in files)
    for f in (f for f in files if f.is_file()):
        assert mode(f) == 0o600, f
