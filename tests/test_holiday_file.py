"""#35: next year's holiday calendar from a small file a county hands out — written by the county from the days it
typed, read by a township (the year's typed days replaced, a history line), and refused whole when anything in it is
wrong, with nothing changed. The 2027 days below are a test calendar, not a notice."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from clikit import run_cli

from fazhi_desktop.domain import holiday_file
from fazhi_desktop.services import todo

D = dt.date
OFF_2027 = [f"2027-10-0{d}" for d in range(1, 8)]  # a test 国庆: Friday 10-01 to Thursday 10-07
WORKED_2027 = ["2027-09-26", "2027-10-09"]  # Sunday and Saturday worked
NOTICE = "测试用通知（2026年11月）"


def _county_typed(db, unit):
    from fazhi_desktop.services.units import update_settings

    with db.engine.begin() as conn:
        update_settings(conn, unit, {"todo": todo.clean_settings({"holidays": OFF_2027, "workdays": WORKED_2027}),
                                     "holiday_notices": {"2027": NOTICE}}, "县法治办")


def _settings(db):
    from fazhi_desktop.storage.schema import units

    with db.engine.connect() as conn:
        return conn.execute(sa.select(units.c.settings)).scalar()


def test_a_county_writes_the_file_and_a_township_counts_its_deadlines_by_it(tmp_path, data_dir):
    """Through the real command line: the county exports 2027, the township imports it, and a 复议 served on
    2027-09-29 is due 10-19 by the file (10-13 counting weekdays only)."""
    county, town = tmp_path / "county.sqlite3", tmp_path / "town.sqlite3"
    env = {"FAZHI_DATA_DIR": str(data_dir)}
    for db, name in ((county, "甲县法治办"), (town, "乙镇")):
        made = run_cli("--db", str(db), "init", "--unit", name, "--county", "甲县", "--addressee", "县法治办",
                       "--issuer", name, "--villages", "东村", env=env)
        assert made.returncode == 0, made.stderr
    from fazhi_desktop.services.units import get_unit
    from fazhi_desktop.storage.database import open_database

    opened = open_database(county)
    try:
        with opened.engine.connect() as conn:
            _county_typed(opened, get_unit(conn))
    finally:
        opened.dispose()
    out = tmp_path / "2027年节假日安排.json"
    made = run_cli("--db", str(county), "holidays", "export", "--year", "2027", "--out", str(out), env=env)
    assert made.returncode == 0 and "已写出2027年节假日安排" in made.stdout, made.stderr
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["notice"] == NOTICE and written["days_off"] == OFF_2027 and written["days_worked"] == WORKED_2027

    opened = open_database(town)
    try:
        from fazhi_desktop.services.records import RecordService

        with opened.engine.connect() as conn:
            unit = get_unit(conn)
        RecordService(opened.engine, unit, "文书").create("review_litigation", {
            "date": "2027-09-29", "kind": "行政复议", "applicant": "某公司", "act": "处罚", "served_on": "2027-09-29"})
        with opened.engine.connect() as conn:
            before = next(i for i in todo.items(conn, unit, 2027) if "某公司" in i.what)
    finally:
        opened.dispose()
    assert before.due == D(2027, 10, 13)
    made = run_cli("--db", str(town), "holidays", "import", str(out), env=env)
    assert made.returncode == 0 and "已导入2027年节假日安排（测试用通知" in made.stdout, made.stderr
    listed = run_cli("--db", str(town), "todo", "--year", "2027", "--today", "2027-10-14", env=env)
    assert "2027-10-19" in listed.stdout and "某公司" in listed.stdout, listed.stdout
    history = run_cli("--db", str(town), "audit", "verify", env=env)
    assert history.returncode == 0, history.stdout + history.stderr


@pytest.mark.parametrize(("change", "says"), [
    (lambda d: {**d, "days_worked": ["2027-10-08"]}, "不是周末"),  # a Friday
    (lambda d: {**d, "days_off": ["2028-10-01"]}, "不属于2027年"),
    (lambda d: {**d, "days_off": ["2027-10-01", "2027-13-01"]}, "不是日期"),
    (lambda d: {**d, "days_worked": ["2027-10-02"], "days_off": ["2027-10-02"]}, "既是放假日又是调休上班日"),
    (lambda d: {**d, "notice": "国办\x07发明电"}, "不可打印"),
    (lambda d: {**d, "format": "其他"}, "不是本程序导出"),
    (lambda d: {**d, "year": 2024}, "已内置2024年"),
    (lambda d: {**d, "days_off": ["2027-01-01"] * 100_000}, "过大"),
])
def test_a_hostile_or_wrong_calendar_file_is_refused_whole_with_nothing_changed(svc, db, unit, tmp_path, change, says):
    from fazhi_desktop.domain.errors import UserError
    from fazhi_desktop.services import holiday_files
    from fazhi_desktop.services.context import Context

    good = json.loads(holiday_file.write(2027, NOTICE, [D.fromisoformat(d) for d in OFF_2027],
                                         [D.fromisoformat(d) for d in WORKED_2027]))
    if says == "已内置2024年":
        good = {**good, "days_off": ["2024-10-01"], "days_worked": []}
    path = tmp_path / "节假日.json"
    path.write_text(json.dumps(change(good), ensure_ascii=False), encoding="utf-8")
    before = _settings(db)
    with pytest.raises(UserError, match=says):
        holiday_files.import_file(Context(db, unit, "文书"), path)
    assert _settings(db) == before


def test_importing_again_replaces_the_years_typed_days(svc, db, unit, tmp_path):
    from fazhi_desktop.services import holiday_files
    from fazhi_desktop.services.context import Context
    from fazhi_desktop.services.units import get_unit, update_settings

    with db.engine.begin() as conn:  # a clerk typed one 2027 day by hand, and one of 2028
        unit = update_settings(conn, unit, {"todo": {"holidays": ["2027-05-03", "2028-01-03"]}}, "文书")
    path = tmp_path / "节假日.json"
    path.write_bytes(holiday_file.write(2027, NOTICE, [D.fromisoformat(d) for d in OFF_2027],
                                        [D.fromisoformat(d) for d in WORKED_2027]))
    holiday_files.import_file(Context(db, unit, "文书"), path)
    with db.engine.connect() as conn:
        cfg = todo.settings_of(get_unit(conn, unit_id=unit.id))
    assert sorted(cfg["holidays"]) == sorted(["2028-01-03", *OFF_2027]) and cfg["workdays"] == WORKED_2027
