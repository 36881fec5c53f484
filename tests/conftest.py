from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from fazhi_desktop.services.records import RecordService  # noqa: E402
from fazhi_desktop.services.units import create_unit  # noqa: E402
from fazhi_desktop.storage.database import open_database  # noqa: E402

VILLAGES = ["东村", "西村", "南村"]


@pytest.fixture(autouse=True)
def accepted_packages_restore(monkeypatch, tmp_path_factory):
    """#33: accepted means restorable. After every package a test merges into a SQLite database, that database is
    backed up and the backup restored into a new file, with every check a restore makes; a value a package brought
    that a restore refuses fails the test that merged it."""
    from fazhi_desktop.exchange import package_read
    from fazhi_desktop.storage import restore as restoring
    from fazhi_desktop.storage.backups import backup_sqlite

    merge = package_read._merge

    def merged_then_restored(engine, *args, **kwargs):
        result = merge(engine, *args, **kwargs)
        if engine.dialect.name == "sqlite" and engine.url.database:
            folder = tmp_path_factory.mktemp("restored")
            copy = backup_sqlite(Path(engine.url.database), folder / "county-backup.sqlite3")
            restoring.restore(folder / "restored.sqlite3", copy, folder / "safety")
        return result

    monkeypatch.setattr(package_read, "_merge", merged_then_restored)


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """Every test gets its own per-user data folder (logs, backups), never the real one."""
    folder = tmp_path / "data"
    monkeypatch.setenv("FAZHI_DATA_DIR", str(folder))
    monkeypatch.delenv("FAZHI_DB_URL", raising=False)
    return folder


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "test.sqlite3")
    yield database
    database.dispose()


@pytest.fixture
def unit(db):
    with db.engine.begin() as conn:
        return create_unit(conn, {"name": "测试镇", "county": "测试县", "addressee": "县法治办",
                                  "issuers": ["中共测试镇委员会"], "villages": VILLAGES}, "测试员")


@pytest.fixture
def svc(db, unit):
    return RecordService(db.engine, unit, "测试员")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """One demo database shared by read-only tests."""
    from fazhi_desktop.services.demo import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database = open_database(path)
    load_demo(database.engine)
    yield database
    database.dispose()


# The level of each test module (pyproject.toml's markers); tests/gui is "gui". Tests that need an outside tool or
# condition carry ``external`` themselves, wherever they live.
LEVELS = {
    "unit": {"test_numbers.py", "test_validation.py", "test_declarations.py", "test_layering.py", "test_bundle_rules.py",
             "test_portable_formats.py",
             "test_dependency_pins.py"},
    "cli": {"test_cli.py"},
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = item.path
        if "gui" in path.parts:
            level = "gui"
        else:
            level = next((lv for lv, names in LEVELS.items() if path.name in names), "service")
        item.add_marker(getattr(pytest.mark, level))


# -- a test worker that dies (a crash in Qt) says where: its Python stacks are kept and shown with the failure ----------
CRASH_LOG = pytest.StashKey()


def _crash_log(workerinput: dict) -> Path:
    import tempfile

    return Path(tempfile.gettempdir()) / f"fazhi-tests-{workerinput['testrunuid']}-{workerinput['workerid']}.log"


@pytest.hookimpl(trylast=True)  # after pytest's own faulthandler set-up, which points at stderr
def pytest_configure(config):
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:  # an xdist worker: its stderr is lost with it, so the stacks go to a file
        import faulthandler

        config.stash[CRASH_LOG] = _crash_log(workerinput).open("w")
        faulthandler.enable(file=config.stash[CRASH_LOG], all_threads=True)


@pytest.hookimpl(tryfirst=True)
def pytest_unconfigure(config):
    log = config.stash.get(CRASH_LOG, None)
    if log is not None:
        import faulthandler

        faulthandler.disable()
        log.close()
        Path(log.name).unlink(missing_ok=True)


@pytest.hookimpl(optionalhook=True)
def pytest_handlecrashitem(crashitem, report, sched):
    log = _crash_log(report.node.workerinput)
    if log.exists():
        report.longrepr = f"{report.longrepr}\n{log.read_text(errors='replace')[-20000:]}"
        log.unlink()


@pytest.fixture(autouse=True)
def collection_as_the_process_has_it(request):
    """The window's application collects cycles on its own thread only (gui.shell.collector); a test without the
    window runs as the command line does, with Python's own collection, even in a worker that ran a window before."""
    import gc

    if "qapp" in request.fixturenames or gc.isenabled():
        yield
        return
    gc.enable()
    try:
        yield
    finally:
        gc.disable()


# -- a county's database: SQLite, and a real PostgreSQL server at the external level (test_county*.py) -------------
@pytest.fixture(scope="module")
def pg_server():
    from pgserver import available, new_server

    if not available():
        pytest.skip("PostgreSQL or psycopg is not installed")
    server = new_server()
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.external)])
def county_db(request, tmp_path):
    if request.param == "sqlite":
        db = open_database(tmp_path / "county.sqlite3")
    else:
        import sqlalchemy as sa

        url = request.getfixturevalue("pg_server")
        name = f"county_{abs(hash(request.node.nodeid)) % 10**8}"
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
        db = open_database(db_url=url.rsplit("/", 1)[0] + f"/{name}")
    yield db
    db.dispose()
