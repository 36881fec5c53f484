"""Security round 3 (issue #23): a handed backup, a copied database or a planted file can never write, read, delete
or lose anything. Each case builds the hostile file by hand and checks the live data, the attachment store and a
stand-in home folder byte for byte afterwards."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from clikit import run_cli
from dbkit import live_meetings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.services import attachments, safety
from fazhi_desktop.services.records import RecordService
from fazhi_desktop.services.units import create_unit
from fazhi_desktop.storage import backup_files, backups, blobstore, identity, local_settings
from fazhi_desktop.storage.database import open_database

MEETING = {"date": "2023-04-01", "kind": "其他", "title": "会"}
PAYLOAD = b"[Desktop Entry]\nType=Application\nExec=sh -c 'echo owned > /tmp/owned'\n"
PICTURE = b"\x89PNG\r\n\x1a\n a meeting photo"


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (links included, not followed) with a digest of its bytes."""
    out = {}
    if not folder.exists():
        return out
    for root, dirs, names in os.walk(folder):
        for name in names + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            p = Path(root, name)
            rel = str(p.relative_to(folder))
            out[rel] = ("link:" + os.readlink(p)) if p.is_symlink() else hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A stand-in home folder with the clerk's own files, for the commands run here."""
    folder = tmp_path / "home"
    (folder / ".ssh").mkdir(parents=True)
    (folder / ".ssh" / "id_rsa").write_text("-----BEGIN PRIVATE KEY-----\nsecret\n")
    (folder / "Documents").mkdir()
    (folder / "Documents" / "工作总结.docx").write_bytes(b"PK the clerk's own summary")
    (folder / ".config" / "autostart").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(folder))
    return folder


def cli(*args: str, data_dir: Path, home: Path | None = None):
    env = {"FAZHI_DATA_DIR": str(data_dir)}
    if home is not None:
        env["HOME"] = str(home)
    return run_cli(*args, env=env)


def make_db(path: Path, unit_name: str = "甲镇"):
    db = open_database(path)
    with db.engine.begin() as conn:
        unit = create_unit(conn, {"name": unit_name, "county": "某县", "addressee": "县法治办",
                                  "issuers": [f"中共{unit_name}委员会"], "villages": ["东村"]}, "测试员")
    return db, unit


def with_photo(db, unit, tmp_path: Path) -> tuple[str, str]:
    record = RecordService(db.engine, unit, "测试员").create("meeting", MEETING).id
    source = tmp_path / "会议照片.png"
    source.write_bytes(PICTURE)
    return record, attachments.add(db.engine, unit.id, "meeting", record, source, "测试员")


@pytest.fixture
def live(tmp_path, data_dir):
    """The clerk's database with one photo, closed."""
    (tmp_path / "live").mkdir()
    db, unit = make_db(tmp_path / "live" / "fazhi.sqlite3")
    with_photo(db, unit, tmp_path)
    db.dispose()
    return db.path


def usb_backup(db_path: Path, target: Path) -> Path:
    return backups.copy_to(db_path, target)


def tamper(backup: Path, *statements: tuple[str, tuple], lenient: bool = False) -> None:
    con = sqlite3.connect(backup)
    for sql, params in statements:
        try:
            con.execute(sql, params)
        except sqlite3.IntegrityError:  # a mutation the file's own constraints forbid: nothing to try
            if not lenient:
                raise
    con.commit()
    con.close()


def state(live: Path, data_dir: Path, home: Path) -> tuple:
    return (hashlib.sha256(live.read_bytes()).hexdigest(), tree(data_dir / "attachments"), tree(home))


# 1 + 2. Hashes that are paths -------------------------------------------------------------------------------------

HOSTILE_DIGESTS = {
    "relative": "../../../../.config/autostart/fazhi-update",
    "absolute": "/tmp/fazhi-owned",
    "drive": "C:\\Users\\Public\\Start Menu\\Programs\\Startup\\x.bat",
    "unc": "\\\\server\\share\\x",
    "nul": "0" * 30 + "\x00" + "0" * 33,
    "ssh key": "../../../../home/.ssh/id_rsa",
    "upper-case digest": "A" * 64,
    "short": "ab" * 10,
}


@pytest.mark.parametrize("case", list(HOSTILE_DIGESTS))
def test_an_attachment_digest_that_is_a_path_refuses_the_whole_restore(case, live, tmp_path, data_dir, home):
    bad = HOSTILE_DIGESTS[case]
    backup = usb_backup(live, tmp_path / "handed.sqlite3")
    tamper(backup, ("UPDATE attachments SET sha256 = ?", (bad,)),
           ("UPDATE backup_attachment_files SET sha256 = ?, data = ?", (bad, PAYLOAD)))
    before = state(live, data_dir, home)
    proc = cli("--db", str(live), "restore", str(backup), "--other-unit", data_dir=data_dir, home=home)
    assert proc.returncode == 1
    assert "佐证材料" in proc.stderr and "会议照片.png" in proc.stderr and "没有任何改动" in proc.stderr, proc.stderr
    assert state(live, data_dir, home) == before
    assert not Path("/tmp/fazhi-owned").exists()
    assert not list((data_dir / "backups").glob("*safety*")), "refused before the current data was even copied"


def test_bytes_that_do_not_match_their_digest_are_refused(live, tmp_path, data_dir, home):
    backup = usb_backup(live, tmp_path / "handed.sqlite3")
    tamper(backup, ("UPDATE backup_attachment_files SET data = ?", (PAYLOAD,)))
    before = state(live, data_dir, home)
    proc = cli("--db", str(live), "restore", str(backup), data_dir=data_dir, home=home)
    assert proc.returncode == 1 and "内容与校验值不符" in proc.stderr, proc.stderr
    assert state(live, data_dir, home) == before


def test_a_planted_database_can_neither_carry_away_nor_delete_the_clerks_files(tmp_path, data_dir, home):
    """Rows pointing at the clerk's own files by a relative "digest": the database is refused, so 备份到U盘 carries
    nothing away, and removing the row through the service deletes nothing outside the store."""
    db, unit = make_db(tmp_path / "planted.sqlite3")
    record, att = with_photo(db, unit, tmp_path)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE attachments SET sha256 = ? WHERE id = ?", ("../../../../home/.ssh/id_rsa", att))
    before = tree(home)
    usb = tmp_path / "usb"
    usb.mkdir()
    proc = cli("--db", str(db.path), "backup", "--out", str(usb), data_dir=data_dir, home=home)
    assert proc.returncode == 1 and "校验值" in proc.stderr, proc.stderr
    assert list(usb.iterdir()) == []
    with pytest.raises(UserError):
        attachments.remove(db.engine, att, "测试员")
    assert tree(home) == before
    db.dispose()


def test_a_digest_from_a_backup_never_leaves_the_store_even_inside_the_program():
    store = blobstore.Store(Path("/nonexistent/store"))
    for bad in HOSTILE_DIGESTS.values():
        with pytest.raises(UserError):
            store.path(bad, "x.png")
    assert blobstore.safe_suffix("a.bat") == "" and blobstore.safe_suffix("x.desktop") == ""
    assert blobstore.safe_suffix("a/../../b.sh") == "" and blobstore.safe_suffix("scan.JPG") == ".jpg"
    with pytest.raises(UserError):
        blobstore.database_store("../../etc")


def test_a_script_attached_in_a_handed_backup_is_never_stored_or_opened_as_a_program(tmp_path, data_dir):
    db, unit = make_db(tmp_path / "fazhi.sqlite3")
    record = RecordService(db.engine, unit, "测试员").create("meeting", MEETING).id
    script = tmp_path / "更新.bat"
    script.write_bytes(b"del /q C:\\*")
    attachments.add(db.engine, unit.id, "meeting", record, script, "测试员")
    with db.engine.connect() as conn:
        (found,) = attachments.list_for(conn, record)
    assert found["path"].suffix == "" and found["openable"] is False
    db.dispose()


def test_another_database_with_the_same_unit_name_is_asked_about(live, tmp_path, data_dir):
    other, _unit = make_db(tmp_path / "other.sqlite3")  # also 甲镇, but another database
    RecordService(other.engine, _unit, "测试员").create("meeting", MEETING)
    other.dispose()
    handed = usb_backup(other.path, tmp_path / "handed.sqlite3")
    before = hashlib.sha256(live.read_bytes()).hexdigest()
    proc = cli("--db", str(live), "restore", str(handed), data_dir=data_dir)
    assert proc.returncode == 1 and "另一个数据库" in proc.stderr, proc.stderr
    assert hashlib.sha256(live.read_bytes()).hexdigest() == before
    assert cli("--db", str(live), "restore", str(handed), "--other-unit", data_dir=data_dir).returncode == 0


# 3. A copy never shares the original's identity ------------------------------------------------------------------

def test_a_copied_database_gets_an_identity_and_attachments_of_its_own(live, tmp_path, data_dir):
    original = open_database(live)
    original_id = original.database_id
    folder, _keep = local_settings.backup_policy(original_id)
    for _ in range(3):
        safety.backup_now(original)
    original.dispose()
    own_backups = tree(folder)
    copy = tmp_path / "copy" / "fazhi.sqlite3"
    copy.parent.mkdir()
    shutil.copyfile(live, copy)  # a copy made in Explorer
    proc = cli("--db", str(copy), "stats", "--year", "2023", data_dir=data_dir)  # reading changes nothing
    assert proc.returncode == 0 and identity.file_id(copy) == original_id
    proc = cli("--db", str(copy), "backup", data_dir=data_dir)
    assert proc.returncode == 0 and "副本" in proc.stderr, proc.stderr
    copy_id = identity.file_id(copy)
    assert copy_id and copy_id != original_id and identity.file_id(live) == original_id
    db = open_database(copy)
    with db.engine.connect() as conn:
        record = conn.exec_driver_sql("SELECT record_id FROM attachments").scalar()
        (photo,) = attachments.list_for(conn, record)
        att = photo["id"]
    assert copy_id in str(photo["path"]) and photo["path"].read_bytes() == PICTURE
    attachments.remove(db.engine, att, "测试员")
    for _ in range(40):  # the copy's rotation
        safety.backup_now(db)
    db.dispose()
    mine = open_database(live)
    with mine.engine.connect() as conn:
        (kept,) = attachments.list_for(conn, record)
    assert kept["path"].read_bytes() == PICTURE  # removing it in the copy did not delete the original's file
    assert {k: v for k, v in tree(folder).items() if k in own_backups} == own_backups
    assert cli("--db", str(copy), "audit", "log", data_dir=data_dir).stdout.count("reidentify") == 1
    mine.dispose()


def test_a_backup_restored_into_a_new_file_beside_the_original_gets_its_own_identity(live, tmp_path, data_dir):
    handed = usb_backup(live, tmp_path / "u盘备份.sqlite3")
    target = tmp_path / "second" / "fazhi.sqlite3"
    target.parent.mkdir()
    proc = cli("--db", str(target), "restore", str(handed), data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    assert identity.file_id(target) not in (None, identity.file_id(live))


# 4. Restore over damage keeps the WAL -------------------------------------------------------------------------------

def test_restore_over_a_damaged_database_keeps_its_wal_with_the_damaged_copy(tmp_path, data_dir):
    (tmp_path / "work").mkdir()
    db, unit = make_db(tmp_path / "work" / "fazhi.sqlite3")
    good = safety.backup_now(db)
    db.dispose()
    # Committed work that lives only in the WAL: a connection holds the file open so nothing is checkpointed.
    holder = sqlite3.connect(db.path)
    holder.execute("PRAGMA wal_autocheckpoint=0")
    for n in range(50):
        holder.execute("INSERT INTO meeting (id, unit_id, year, date, kind, title, created_at, created_by, updated_at,"
                       " updated_by, deleted) VALUES (?, ?, 2023, '2023-05-01', '其他', ?, '2023-05-01', 'x',"
                       " '2023-05-01', 'x', 0)", (f"m{n}", unit.id, f"会{n}"))
        holder.commit()
    damaged = tmp_path / "damaged" / "fazhi.sqlite3"
    damaged.parent.mkdir()
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(str(db.path) + suffix, str(damaged) + suffix)
    holder.close()
    raw = bytearray(damaged.read_bytes())
    raw[4096 * 2: 4096 * 3] = b"\xff" * 4096  # a damaged page in the main file; the WAL is intact
    damaged.write_bytes(bytes(raw))
    # (The -shm is an index SQLite rebuilds from the WAL; readers may touch it, so only its presence is checked.)
    originals = {s: Path(str(damaged) + s).read_bytes() for s in ("", "-wal")}
    identity.remember(damaged, identity.file_id(db.path) or unit.id)
    proc = cli("--db", str(damaged), "restore", str(good), "--other-unit", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    kept = next((data_dir / "backups").glob("*safety-damaged*.sqlite3"))
    for suffix, content in originals.items():
        assert Path(str(kept) + suffix).read_bytes() == content, suffix
    assert Path(str(kept) + "-shm").exists()
    con = sqlite3.connect(kept)  # what the WAL held is there to be salvaged
    assert con.execute("SELECT count(*) FROM meeting WHERE title LIKE '会%'").fetchone()[0] >= 1
    con.close()


# 5. Triggers and views --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sql, word", [
    ("CREATE TRIGGER hide AFTER INSERT ON audit_log BEGIN DELETE FROM audit_log; END", "触发器"),
    ("CREATE TRIGGER slow BEFORE INSERT ON meeting BEGIN SELECT 1; END", "触发器"),
    ("CREATE VIEW extra AS SELECT 1", "视图"),
    ("CREATE TABLE extra (x)", "数据表"),
    ("CREATE INDEX ix_meeting_title ON meeting (lower(title))", "索引"),
])
def test_schema_objects_the_program_never_makes_refuse_the_restore(sql, word, live, tmp_path, data_dir):
    backup = usb_backup(live, tmp_path / "handed.sqlite3")
    tamper(backup, (sql, ()))
    before = hashlib.sha256(live.read_bytes()).hexdigest()
    proc = cli("--db", str(live), "restore", str(backup), data_dir=data_dir)
    assert proc.returncode == 1 and word in proc.stderr, proc.stderr
    assert hashlib.sha256(live.read_bytes()).hexdigest() == before
    planted = tmp_path / "planted.sqlite3"
    shutil.copyfile(backup, planted)
    proc = cli("--db", str(planted), "stats", "--year", "2023", data_dir=data_dir)
    assert proc.returncode == 1 and word in proc.stderr, proc.stderr


def test_a_view_standing_in_for_a_table_is_refused_at_once(live, tmp_path, data_dir):
    backup = usb_backup(live, tmp_path / "handed.sqlite3")
    tamper(backup, ("DROP TABLE meeting", ()),
           ("CREATE VIEW meeting AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n AS id,"
            " n AS deleted FROM r", ()))
    started = time.monotonic()
    proc = cli("--db", str(live), "restore", str(backup), data_dir=data_dir)
    assert proc.returncode == 1 and "视图" in proc.stderr, proc.stderr
    assert time.monotonic() - started < 30
    for what in (backup_files.summarize(backup), identity.file_id(backup)):
        assert what is None  # listing and identity lookups refuse it too, instead of hanging


def test_a_backup_with_two_revision_rows_is_refused(live, tmp_path, data_dir):
    backup = usb_backup(live, tmp_path / "handed.sqlite3")
    tamper(backup, ("INSERT INTO alembic_version VALUES ('0001')", ()))
    proc = cli("--db", str(live), "restore", str(backup), data_dir=data_dir)
    assert proc.returncode == 1 and "结构版本" in proc.stderr, proc.stderr


def test_a_malformed_identity_is_refused(live, tmp_path, data_dir):
    backup = usb_backup(live, tmp_path / "handed.sqlite3")
    tamper(backup, ("UPDATE database_info SET value = '../../x' WHERE key = 'database_id'", ()))
    proc = cli("--db", str(live), "restore", str(backup), data_dir=data_dir)
    assert proc.returncode == 1 and "数据库标识" in proc.stderr, proc.stderr


# 6. Attachments are stashed before a backup is visible --------------------------------------------------------------

def test_a_backup_never_becomes_visible_before_its_attachments_are_stashed(live, data_dir, monkeypatch):
    db = open_database(live)
    folder, _keep = local_settings.backup_policy(db.database_id)

    def killed(*_args, **_kwargs):
        assert not list(folder.glob("*.sqlite3")), "the backup was visible before its attachments were stashed"
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "stash_attachments", killed)
    with pytest.raises(UserError):
        safety.backup_now(db)
    assert not list(folder.glob("*.sqlite3")) and not list(folder.glob(".*.part"))
    db.dispose()


# 7. Planted files ---------------------------------------------------------------------------------------------------

def test_a_symlink_planted_at_the_temporary_name_never_redirects_an_output(live, tmp_path, data_dir):
    out = tmp_path / "报告.pdf"
    (tmp_path / ".报告.pdf.part").symlink_to(live)
    before = hashlib.sha256(live.read_bytes()).hexdigest()
    proc = cli("--db", str(live), "report", "--year", "2023", "--out", str(out), data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    assert hashlib.sha256(live.read_bytes()).hexdigest() == before and out.read_bytes()[:4] == b"%PDF"


def test_a_lock_file_that_is_a_link_never_truncates_its_target(live, tmp_path, data_dir):
    victim = tmp_path / "重要文件.docx"
    victim.write_bytes(b"the clerk's document")
    Path(str(live) + ".lock").symlink_to(victim)
    assert cli("--db", str(live), "backup", data_dir=data_dir).returncode == 0
    assert victim.read_bytes() == b"the clerk's document"


def test_a_hard_link_cannot_get_round_the_lock(live, tmp_path, data_dir):
    other_name = tmp_path / "另一个名字.sqlite3"
    os.link(live, other_name)
    for name in (live, other_name):
        proc = cli("--db", str(name), "backup", data_dir=data_dir)
        assert proc.returncode == 1 and "硬链接" in proc.stderr, proc.stderr


@pytest.mark.parametrize("name", ["台账%41.sqlite3", "台账?x=1.sqlite3", "台账#1.sqlite3"])
def test_odd_characters_in_the_file_name_open_that_very_file(name, tmp_path, data_dir):
    path = tmp_path / name
    proc = cli("--db", str(path), "init", "--unit", "甲镇", "--county", "某县", "--addressee", "县法治办", "--issuer",
               "中共甲镇委员会", "--villages", "东村", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".sqlite3") == [name]
    assert path.with_name(name + ".lock").exists()


def test_restore_through_a_link_replaces_the_database_not_the_link(live, tmp_path, data_dir):
    link = tmp_path / "快捷方式.sqlite3"
    link.symlink_to(live)
    backup = usb_backup(live, tmp_path / "b.sqlite3")
    assert cli("--db", str(link), "restore", str(backup), data_dir=data_dir).returncode == 0
    assert link.is_symlink() and os.readlink(link) == str(live) and live.is_file()


# 8. Rotation only removes what the program wrote --------------------------------------------------------------------

def test_rotation_never_touches_the_clerks_own_files_in_a_chosen_backup_folder(live, tmp_path, data_dir):
    folder = tmp_path / "我的资料"
    (folder / "attachments" / "ab").mkdir(parents=True)
    (folder / "attachments" / "ab" / "合同扫描件.pdf").write_bytes(b"%PDF the clerk's scan")
    (folder / "attachments" / "cd").mkdir()
    (folder / "attachments" / "cd" / ("cd" + "0" * 62)).write_bytes(b"looks like ours")
    (folder / "甲镇-00000000-daily-20200101-000000-000000.sqlite3").write_bytes(b"not a database")
    before = tree(folder)
    db = open_database(live)
    local_settings.update(db.database_id, {"backup_dir": str(folder), "backup_keep": 2})
    for _ in range(4):
        safety.backup_now(db)
    db.dispose()
    after = tree(folder)
    assert {k: v for k, v in after.items() if k in before} == before


def test_a_clock_set_back_keeps_the_newest_backups_not_only_the_last(live, data_dir, monkeypatch):
    import datetime as dt

    db = open_database(live)
    folder, _keep = local_settings.backup_policy(db.database_id)
    for _ in range(3):
        backups.make_backup(db.path, "daily", folder, keep=3, database_id=db.database_id)
    real_now = dt.datetime.now()

    class SetBack(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return real_now - dt.timedelta(days=400)

    monkeypatch.setattr(backup_files.dt, "datetime", SetBack)
    made = [backups.make_backup(db.path, "daily", folder, keep=3, database_id=db.database_id) for _ in range(3)]
    db.dispose()
    assert sorted(p.name for p in folder.glob("*.sqlite3")) == sorted(p.name for p in made)


# 9. Leftovers of killed runs ----------------------------------------------------------------------------------------

def test_temporary_files_of_a_killed_run_are_cleaned_at_start(live, data_dir):
    leftover = live.with_name(f".{live.name}.k3j2h1.part")
    leftover.write_bytes(live.read_bytes())
    db = open_database(live)
    folder, _keep = local_settings.backup_policy(db.database_id)
    db.dispose()
    folder.mkdir(parents=True, exist_ok=True)
    stale_backup = folder / f".fazhi-{identity.short(identity.file_id(live))}-daily-x.sqlite3.abc.part"
    stale_backup.write_bytes(b"half a backup")
    assert cli("--db", str(live), "backup", data_dir=data_dir).returncode == 0
    assert not leftover.exists() and not stale_backup.exists()


# Fuzz: any mutation of a backup's rows is either harmless or refused ------------------------------------------------

VALUES = st.one_of(st.none(), st.integers(-2**40, 2**40), st.binary(max_size=40),
                   st.sampled_from(list(HOSTILE_DIGESTS.values()) + ["0" * 64, "x.bat", "", "肖咀镇"]),
                   st.text(max_size=30))
TARGETS = [("attachments", "sha256"), ("attachments", "name"), ("attachments", "size"),
           ("backup_attachment_files", "sha256"), ("backup_attachment_files", "data"), ("database_info", "value"),
           ("alembic_version", "version_num"), ("units", "name"), ("units", "settings")]


@settings(max_examples=int(os.environ.get("FAZHI_FUZZ_EXAMPLES", "40")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(st.tuples(st.sampled_from(TARGETS), VALUES), min_size=1, max_size=3))
def test_mutated_backup_rows_are_refused_or_harmless(mutations, tmp_path_factory, monkeypatch):
    work = tmp_path_factory.mktemp("fuzz")
    monkeypatch.setenv("FAZHI_DATA_DIR", str(work / "data"))
    home = work / "home"
    home.mkdir()
    (home / "secret.txt").write_text("mine")
    db, unit = make_db(work / "fazhi.sqlite3")
    with_photo(db, unit, work)
    db.dispose()
    backup = usb_backup(db.path, work / "handed.sqlite3")
    tamper(backup, *((f'UPDATE "{table}" SET "{column}" = ?', (value,)) for (table, column), value in mutations),
           lenient=True)
    before = state(db.path, work / "data", home)
    try:
        safety.restore(db.path, backup, "测试员", allow_other_unit=True)
    except UserError:
        assert state(db.path, work / "data", home) == before
    else:
        assert tree(home) == before[2]
        for stored in tree(work / "data" / "attachments"):
            assert ".." not in stored and not Path(stored).is_absolute()
        assert live_meetings(db.path) == 1
        open_database(db.path).dispose()


# Kill loops ---------------------------------------------------------------------------------------------------------

KILL_SCRIPT = """
import sys, itertools
from pathlib import Path
from fazhi_desktop.services import safety
from fazhi_desktop.storage.database import open_database
db_path, job = Path(sys.argv[1]), sys.argv[2]
if job == "backup":
    db = open_database(db_path)
    while True:
        safety.backup_now(db, "manual")
else:
    backups = [Path(p) for p in sys.argv[3:]]
    for b in itertools.cycle(backups):
        safety.restore(db_path, b, "测试员", allow_other_unit=True)
"""


def _kill_loop(tmp_path, data_dir, job: str, rounds: int, extra: list[str]) -> None:
    import random
    import subprocess
    import sys

    db = open_database(Path(tmp_path / "live" / "fazhi.sqlite3"))
    folder, _keep = local_settings.backup_policy(db.database_id)
    store = blobstore.database_store(db.database_id)
    db.dispose()
    rng = random.Random(23)
    for _ in range(rounds):
        proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(db.path), job, *extra],
                                env=dict(os.environ, FAZHI_DATA_DIR=str(data_dir)))
        time.sleep(rng.uniform(0.3, 1.5))
        proc.kill()
        proc.wait()
        # The live database opens and is whole, with every attachment it names in its store.
        assert sqlite3.connect(db.path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con = sqlite3.connect(db.path)
        names = con.execute("SELECT sha256, name FROM attachments").fetchall()
        con.close()
        assert names and all(store.find(sha, name) is not None for sha, name in names)
        # Every backup listed is whole and has its attachments in the stash.
        for b in backup_files.list_backups(db.path, folder):
            assert b.records is not None, b.path
            con = sqlite3.connect(b.path)
            shas = [r[0] for r in con.execute("SELECT sha256 FROM attachments")]
            con.close()
            assert all(blobstore.Stash(folder).find(s) for s in shas), b.path


@pytest.mark.slow
def test_kill_during_backup_30_rounds(live, tmp_path, data_dir):
    _kill_loop(tmp_path, data_dir, "backup", 30, [])


@pytest.mark.slow
def test_kill_during_restore_30_rounds(live, tmp_path, data_dir):
    first = usb_backup(live, tmp_path / "a.sqlite3")
    db = open_database(live)
    unit_row = db.engine.connect().exec_driver_sql("SELECT id FROM units").scalar()
    db.dispose()
    from fazhi_desktop.services.units import get_unit

    db = open_database(live)
    with db.engine.connect() as conn:
        unit = get_unit(conn, unit_id=unit_row)
    RecordService(db.engine, unit, "测试员").create("meeting", MEETING)
    db.dispose()
    second = usb_backup(live, tmp_path / "b.sqlite3")
    _kill_loop(tmp_path, data_dir, "restore", 30, [str(first), str(second)])


@pytest.mark.parametrize("sql", [
    "UPDATE meeting SET date = 'xyz'",
    "UPDATE meeting SET date = '2023-02-31'",
    "UPDATE meeting SET attendees = 'many'",
    "UPDATE units SET villages = x'80'",
    "UPDATE units SET settings = '1'",
    "UPDATE meeting SET created_at = 'yesterday'",
    "UPDATE meeting SET fingerprint = hex(randomblob(5000))",  # a derived column, bounded like the others
])
def test_a_stored_value_of_the_wrong_type_refuses_the_restore(sql, live, tmp_path, data_dir):
    backup = usb_backup(live, tmp_path / "handed.sqlite3")
    tamper(backup, (sql, ()))
    before = hashlib.sha256(live.read_bytes()).hexdigest()
    proc = cli("--db", str(live), "restore", str(backup), data_dir=data_dir)
    assert proc.returncode == 1 and "不是本程序写入的" in proc.stderr, proc.stderr
    assert hashlib.sha256(live.read_bytes()).hexdigest() == before
