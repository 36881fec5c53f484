"""Schema migrations: empty → head, head opens untouched, a newer or foreign database is refused."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from fazhi_desktop.domain.errors import DatabaseTooNewError, UserError
from fazhi_desktop.storage import migrate
from fazhi_desktop.storage.database import open_database


def test_empty_file_is_migrated_to_head(tmp_path):
    db = open_database(tmp_path / "new.sqlite3")
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    assert "dispute" in sa.inspect(db.engine).get_table_names()
    db.dispose()


def test_head_opens_without_migrating_or_backup(tmp_path, data_dir):
    path = tmp_path / "db.sqlite3"
    open_database(path).dispose()
    open_database(path).dispose()
    assert not (data_dir / "backups").exists() or not any((data_dir / "backups").iterdir())


def _stamp(path, revision):
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    con.commit()
    con.close()


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "db.sqlite3"
    open_database(path).dispose()
    _stamp(path, "9999_from_the_future")
    with pytest.raises(DatabaseTooNewError, match="更新版本"):
        open_database(path)


def test_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(UserError, match="不是本程序创建的"):
        open_database(path)


def test_upgrade_from_older_revision_takes_a_backup_first(tmp_path, data_dir, monkeypatch):
    """Simulate an older database by moving it to base; the upgrade must back it up before touching it."""
    path = tmp_path / "db.sqlite3"
    open_database(path).dispose()
    _stamp(path, "0000_older")
    # Pretend 0000_older is a known ancestor whose upgrade recreates the schema.
    from alembic import command
    from alembic.script import ScriptDirectory

    real_walk = ScriptDirectory.walk_revisions

    class Older:
        revision = "0000_older"

    monkeypatch.setattr(ScriptDirectory, "walk_revisions", lambda self: [*real_walk(self), Older()])
    monkeypatch.setattr(command, "upgrade", lambda cfg, rev: cfg.attributes["connection"].exec_driver_sql(
        f"UPDATE alembic_version SET version_num = '{migrate.head_revision()}'"))
    open_database(path).dispose()
    backups = list((data_dir / "backups").glob("*before-upgrade-0000_older*.sqlite3"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0000_older",)
    con.close()


def test_database_at_base_is_upgraded(tmp_path):
    """A file whose schema was downgraded to base (only alembic_version left) is ours and upgrades."""
    from alembic import command

    path = tmp_path / "db.sqlite3"
    db = open_database(path)
    with db.engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "base")
    db.dispose()
    db = open_database(path)
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    db.dispose()


def test_not_a_database_file(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"this is a text file, not a database" * 10)
    with pytest.raises(UserError, match="不是本程序的数据库文件"):
        open_database(path)


def test_corrupted_database_is_reported(tmp_path):
    path = tmp_path / "db.sqlite3"
    db = open_database(path)
    db.dispose()
    data = bytearray(path.read_bytes())
    for offset in range(4096, min(len(data), 4096 * 6)):
        data[offset] = 0xFF
    path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"db.sqlite3{suffix}").unlink(missing_ok=True)
    with pytest.raises(UserError, match="损坏"):
        open_database(path)


def test_head_constant_matches_alembic():
    assert migrate.head_revision() == migrate.HEAD


def test_0003_writes_the_stored_choice_with_full_width_brackets(tmp_path):
    import shutil
    from pathlib import Path

    path = tmp_path / "old.sqlite3"
    shutil.copyfile(Path(__file__).parent / "data" / "schema_0001.sqlite3", path)
    con = sqlite3.connect(path)
    before = con.execute("SELECT count(*) FROM enforcement WHERE method = '不予处罚(免罚清单)'").fetchone()[0]
    con.close()
    assert before > 0
    open_database(path).dispose()
    con = sqlite3.connect(path)
    counts = [con.execute("SELECT count(*) FROM enforcement WHERE method = ?", (m,)).fetchone()[0]
              for m in ("不予处罚(免罚清单)", "不予处罚（免罚清单）")]
    con.close()
    assert counts == [0, before]
