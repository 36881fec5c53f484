"""County, round 2 (#36): what is built so far — the county follows each record's current year."""

from __future__ import annotations

import pytest
from countykit import township

from fazhi_desktop.exchange.package_read import merge_package
from fazhi_desktop.exchange.package_write import write_package
from fazhi_desktop.services import stats
from fazhi_desktop.services.records import RecordService
from fazhi_desktop.services.units import get_unit
from fazhi_desktop.storage.database import open_database


@pytest.fixture
def county_db(tmp_path):
    db = open_database(tmp_path / "county.sqlite3")
    yield db
    db.dispose()


def _found(db, name, year):
    with db.engine.connect() as conn:
        return stats.compute(conn, get_unit(conn, name), year)["disputes.found"]


def test_a_record_corrected_into_another_year_moves_there_at_the_county(county_db, tmp_path):
    """The issue's case: a dispute of 2023 whose date the township corrects into 2024. The township's next 2023
    package carries it (its history says it left 2023), and the county counts it in 2024, not 2023."""
    import sqlalchemy as sa

    from fazhi_desktop.storage.schema import ledger_table

    town = township(tmp_path, "太白镇", ["东村", "西村"], 3, red=1)
    d = ledger_table("dispute")
    with town.engine.connect() as conn:
        unit = get_unit(conn, "太白镇")
        moved = conn.execute(sa.select(d.c.id).where(d.c.status == "调处中")).scalar()  # not closed yet
    merge_package(county_db.engine, write_package(town.engine, unit, 2023, tmp_path / "a.zip").path, "县法治办")
    assert _found(county_db, "太白镇", 2023) == 3
    RecordService(town.engine, unit, "文书").update("dispute", moved, {"date": "2024-01-05"})
    assert (_found(town, "太白镇", 2023), _found(town, "太白镇", 2024)) == (2, 1)
    second = write_package(town.engine, unit, 2023, tmp_path / "b.zip")
    assert second.counts["dispute"] == 2  # the year's own records; the one that left follows uncounted
    merged = merge_package(county_db.engine, second.path, "县法治办")
    assert merged.updated == 1
    assert (_found(county_db, "太白镇", 2023), _found(county_db, "太白镇", 2024)) == (2, 1)
    town.dispose()
