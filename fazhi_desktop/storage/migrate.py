"""Alembic migrations run in-process (they ship as package data, so a frozen build can run them too)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from fazhi_desktop.domain.errors import DatabaseTooNewError, UserError
from fazhi_desktop.storage.backups import make_backup

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def head_from_files(folder: Path = MIGRATIONS_DIR) -> str:
    """The newest revision, read from the revision files' names (``NNNN_what.py``, a linear chain — a test checks
    each name against its revision and parent), so opening an up-to-date database does not import Alembic (≈0.15 s
    of start-up) and a new revision can never be skipped by a constant someone forgot to change."""
    names = [p.name[:4] for p in (folder / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")]
    return max(names)


HEAD = head_from_files()


def stored_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(connection: sa.Connection | None = None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def script_directory():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None
    return head


def current_revision(engine: sa.Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    return {rev.revision for rev in script_directory().walk_revisions()}


def upgrade_to_head(db, *, take_backup: bool = True, database_id: str | None = None) -> str | None:
    """Bring the schema to head. Returns the path of the safety backup taken first, if one was needed.

    A database from before identities gets one here (``database_id`` or a new one); it is chosen before the upgrade
    so that the before-upgrade backup already belongs to the database it backs up.
    """
    if stored_revision(db.engine) == HEAD:
        return None
    from alembic import command

    script = script_directory()
    head = head_revision()
    current = current_revision(db.engine)
    if current == head:
        return None
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise DatabaseTooNewError(
            f"该数据库由更新版本的程序创建（结构版本 {current}），本程序无法打开。请升级程序后再使用。"
        )
    if current is None:
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        if tables:
            raise UserError("该数据库不是本程序创建的，无法打开（其中已有其他数据表）")
    from fazhi_desktop.storage import identity

    with db.engine.connect() as conn:
        database_id = identity.read_id(conn) or database_id or identity.new_id()
    backup = None
    if current is not None and db.is_sqlite and take_backup:
        from fazhi_desktop.storage.local_settings import backup_policy

        folder = backup_policy(database_id)[0]
        backup = make_backup(db.path, f"before-upgrade-{current}", folder, database_id=database_id)
    with db.engine.begin() as conn:
        cfg = alembic_config(conn)
        cfg.attributes["database_id"] = database_id
        command.upgrade(cfg, "head")
    return str(backup) if backup else None
