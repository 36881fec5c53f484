"""Property-based checks: whatever a clerk (or a broken workbook) types, the program never crashes and never stores
invalid data."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from fazhi_desktop.domain.errors import UserError, ValidationError
from fazhi_desktop.domain.fields import FieldType
from fazhi_desktop.domain.ledgers import LEDGERS
from fazhi_desktop.exchange.apply import run_import
from fazhi_desktop.exchange.layout import ID_HEADER, header_label
from fazhi_desktop.services.records import RecordService
from fazhi_desktop.services.units import create_unit
from fazhi_desktop.storage.database import open_database

NASTY_TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["'; DROP TABLE meeting; --", "\" OR 1=1 --", "😀🎉", "２０２３年２月３０日", "NULL", " ", "\x00",
                     "9" * 400, "-1", "1e309", "NaN", "2023-13-01", "0000-00-00", "31/12/2023", "是的", "√"]),
)
ANY_VALUE = st.one_of(
    st.none(), NASTY_TEXT, st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.lists(NASTY_TEXT, max_size=3),
)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("prop") / "p.sqlite3")
    with db.engine.begin() as conn:
        unit = create_unit(conn, {"name": "属性镇", "county": "县", "addressee": "县法治办", "issuers": ["党委"],
                                  "villages": ["东村", "西村"]}, "测试")
    yield db, unit, RecordService(db.engine, unit, "测试")
    db.dispose()


def _assert_stored_is_valid(svc, ledger, record_id):
    stored = svc.get(ledger.key, record_id)
    _clean, problems = svc.validate(ledger, {f.key: stored[f.key] for f in ledger.fields})
    assert [p for p in problems if not p.warning] == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_forms_never_crash_or_store_invalid_data(env, data):
    db, unit, svc = env
    ledger = data.draw(st.sampled_from(LEDGERS))
    values = {f.key: data.draw(ANY_VALUE, label=f.key) for f in ledger.fields if data.draw(st.booleans())}
    try:
        result = svc.create(ledger.key, values)
    except ValidationError as exc:
        assert exc.problems and all(p.label and p.message for p in exc.problems)
        return
    _assert_stored_is_valid(svc, ledger, result.id)


PRINTABLE = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=60)


def _plausible(f) -> st.SearchStrategy:
    """Values a clerk would type for this field: mixed with nasty ones, so that imports both pass and fail."""
    t = f.type
    if t is FieldType.CHOICE:
        return st.sampled_from(f.choices)
    if t is FieldType.MULTICHOICE:
        return st.lists(st.sampled_from(f.choices), min_size=1, max_size=3, unique=True).map("、".join)
    if t is FieldType.VILLAGE:
        return st.sampled_from(["东村", "西村"])
    if t is FieldType.DATE:
        return st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)).map(
            lambda d: d.strftime("%Y年%m月%d日") if d.day % 2 else d)
    if t in (FieldType.INT, FieldType.MONEY):
        return st.integers(min_value=0, max_value=100000)
    if t is FieldType.YEAR:
        return st.integers(min_value=2000, max_value=2030)
    if t is FieldType.BOOL:
        return st.sampled_from(["是", "否"])
    if t is FieldType.IDCARD:
        return st.just("11010519491231002X")
    if t is FieldType.PHONE:
        return st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
    return PRINTABLE.filter(lambda x: x.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_imports_never_crash_or_store_invalid_data(env, data, tmp_path_factory):
    db, unit, svc = env
    ledger = data.draw(st.sampled_from(LEDGERS))
    nasty = st.one_of(st.none(), PRINTABLE, st.integers(min_value=-(10**15), max_value=10**15),
                      st.floats(allow_nan=False, allow_infinity=False, width=32),
                      st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1)))
    clean = st.tuples(*(_plausible(f) for f in ledger.fields))
    messy = st.tuples(*(st.one_of(_plausible(f), nasty) for f in ledger.fields))
    row = st.one_of(clean, clean, messy)
    rows = data.draw(st.lists(row, min_size=1, max_size=5))
    wb = Workbook()
    ws = wb.active
    ws.title = ledger.name[:31]
    ws.append([ID_HEADER, *(header_label(f) for f in ledger.fields)])
    for r in rows:
        ws.append([None, *r])
    path = tmp_path_factory.mktemp("wb") / "p.xlsx"
    wb.save(path)
    before = svc.count(ledger.key)
    try:
        report = run_import(db.engine, path)
    except (ValidationError, UserError):
        event("import refused")
        assert svc.count(ledger.key) == before  # all or nothing
        return
    event("import written")
    # every row is stored, but for a row equal to a stored record (no 记录编号: the same workbook again)
    duplicates = sum(p.duplicates for p in report.plans)
    assert svc.count(ledger.key) == before + report.created == before + len(rows) - duplicates
    for plan in report.plans:
        for record_id, _clean in plan.creates:
            if record_id:
                _assert_stored_is_valid(svc, ledger, record_id)


def test_strings_that_look_like_sql_are_stored_verbatim(env):
    db, unit, svc = env
    text = "'); DELETE FROM meeting; --"
    rid = svc.create("meeting", {"date": "2023-01-01", "kind": "其他", "title": text}).id
    assert svc.get("meeting", rid)["title"] == text


def test_huge_numbers_are_refused_with_a_message(env):
    _db, _unit, svc = env
    with pytest.raises(ValidationError, match="数值过大"):
        svc.create("meeting", {"date": "2023-01-01", "kind": "其他", "title": "会", "attendees": 10**12})
