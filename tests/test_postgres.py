"""The same code on a PostgreSQL server: migrations, demo, statistics, report and Excel round trip.

Runs against a throwaway server on 127.0.0.1 when PostgreSQL and psycopg are installed (CI installs both).
"""

from __future__ import annotations

import pytest
from pgserver import available, new_server

from fazhi_desktop.services import stats
from fazhi_desktop.services.units import get_unit
from fazhi_desktop.storage.database import open_database

pytestmark = [pytest.mark.external, pytest.mark.skipif(not available(), reason="PostgreSQL or psycopg is not installed")]


@pytest.fixture(scope="module")
def pg_url():
    server = new_server()
    try:
        yield server.start()
    finally:
        server.stop()


def test_demo_stats_report_and_excel_on_postgresql(pg_url, demo_db, tmp_path):
    from fazhi_desktop.exchange.apply import run_import
    from fazhi_desktop.exchange.writer import export_workbook
    from fazhi_desktop.reports.render import write_report
    from fazhi_desktop.services import listing
    from fazhi_desktop.services.demo import load_demo
    from fazhi_desktop.storage import migrate

    pg = open_database(db_url=pg_url)
    assert pg.engine.dialect.name == "postgresql" and not pg.is_sqlite
    assert migrate.current_revision(pg.engine) == migrate.HEAD
    unit = load_demo(pg.engine)
    with pg.engine.connect() as conn, demo_db.engine.connect() as lite:
        assert stats.compute(conn, unit, 2023) == stats.compute(lite, get_unit(lite), 2023)
        # names in pinyin order on the server too: the stored sort key, compared as bytes (domain.sort_keys)
        by_name = listing.ListQuery("dispute", year=2023, sort_key="parties")
        names = [r["parties"] for r in listing.page(conn, unit, by_name, 0, 50)]
        assert len(names) > 20 and names[:2] == ["曹梅与陈芳峰", "曹平与高永宝"]  # c before d, g, …
        assert names == [r["parties"] for r in listing.page(lite, get_unit(lite), by_name, 0, 50)]
    result = write_report(pg.engine, unit, 2023, tmp_path / "pg.pdf")
    assert result.pages >= 3
    out = tmp_path / "pg.xlsx"
    export_workbook(pg.engine, unit, out)
    again = run_import(pg.engine, out)
    assert (again.created, again.updated) == (0, 0)
    pg.dispose()
