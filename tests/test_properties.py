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


SHEET_CELL = st.one_of(
    st.none(), NASTY_TEXT, st.integers(min_value=-(10**12), max_value=10**12), st.floats(allow_nan=True),
    st.sampled_from(["6分", "+2", "加分项，最高2分", "一票否决", "合计", "组织领导", "0.5", "100%", "最高3分", "否决",
                     "法治建设专题会议", "逾期未销号", "少者为好", "加分", "不适用", "得满分", "3", 3, 0, -1]))
RULE_HEADER = ["行号", "考核内容（核对用）", "统计指标", "规则", "分值", "达标值", "每单位分值", "上限", "无可计算数据时"]


USUAL_POINTS = st.sampled_from(["6分", 3, "2", "加分项，最高2分", "一票否决", None, 0.5, "1.5分"])
POINTS = st.one_of(USUAL_POINTS, USUAL_POINTS, USUAL_POINTS, USUAL_POINTS, USUAL_POINTS, USUAL_POINTS, SHEET_CELL)
WORDS = st.one_of(st.sampled_from(["组织领导", "专题研究法治建设", "", "每少1次扣0.5分", "合计", "加分项", "一票否决"]),
                  st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12))
ITEM_ROW = st.tuples(st.integers(1, 30), WORDS, WORDS, POINTS, WORDS, st.none(), st.none()).map(list)
SHEET_ROW = st.one_of(ITEM_ROW, ITEM_ROW, ITEM_ROW, st.lists(SHEET_CELL, max_size=7))
USUAL_RULE = st.tuples(
    st.integers(3, 6), st.just(""), st.sampled_from(["法治建设专题会议", "逾期未销号", "全过程记录率", "", "无此指标"]),
    st.sampled_from(["多者为好", "少者为好", "加分", "一票否决", "", "别的"]),
    *[st.one_of(st.none(), st.sampled_from([0, 1, 2, 3, 0.5, 100, "2分", "x"])) for _ in range(4)],
    st.sampled_from(["", "不适用", "得满分", "不得分", "随便"])).map(list)
RULE_LINE = st.one_of(USUAL_RULE, USUAL_RULE, USUAL_RULE, USUAL_RULE, st.lists(SHEET_CELL, min_size=9, max_size=9))


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(SHEET_ROW, min_size=1, max_size=8), rules=st.lists(RULE_LINE, max_size=4),
       values=st.lists(st.one_of(st.none(), st.integers(0, 50), st.floats(0, 1)), min_size=3, max_size=3))
def test_any_county_sheet_reads_scores_and_prints_or_is_refused_in_words(rows, rules, values, tmp_path_factory):
    """#37: whatever a county's 考核细则 and its 自评规则 hold, reading them ends in a ScoreSheet or a UserError that
    names the place (never an internal error), and what was read scores, totals and prints."""
    from fazhi_desktop.domain.scoring import Figure, score, total
    from fazhi_desktop.exchange.scoring_sheet import _sheet, _with_rules
    from fazhi_desktop.reports.render.score_xlsx import write_score_workbook
    from fazhi_desktop.services.units import Unit

    header = ["序号", "考核项目", "考核内容", "标准分", "考核方法", "自评得分", "备注"]
    grid = [["某县考核细则"], header, *rows]
    try:
        sheet = _sheet("细则.xlsx", "考核细则", grid, 1, header)
        sheet = _with_rules(sheet, [RULE_HEADER, *rules])
    except UserError as exc:
        assert "「" in str(exc) or "第" in str(exc)
        event("refused")
        return
    figures = {name: Figure(name, v, "次", rate=isinstance(v, float))
               for name, v in zip(("法治建设专题会议", "逾期未销号", "全过程记录率"), values, strict=True)}
    scored = score(sheet.items, figures)
    t = total(scored)
    assert t.own >= 0 and t.applicable <= t.points
    unit = Unit(id="u", name="属性镇", kind="镇", county="县", addressee="县法治办", issuers=["党委"], villages=[])
    write_score_workbook(unit, 2023, sheet, scored, tmp_path_factory.mktemp("score") / "自评.xlsx")
    event("scored")


def _outcome(parse, raw):
    from fazhi_desktop.domain.values import CoercionError

    try:
        return parse(raw)
    except CoercionError as exc:
        return str(exc)


@settings(max_examples=400, deadline=None)
@given(year=st.integers(0, 9999), month=st.integers(0, 99), day=st.integers(0, 99),
       separators=st.sampled_from(["-", "/", ".", "-/", "/.", "年"]), padded=st.booleans(), tail=st.sampled_from(
           ["", "\n", " ", "x", "日"]))
def test_a_plainly_typed_date_reads_as_the_full_clean_up_reads_it(year, month, day, separators, padded, tail):
    """``parse_date`` reads 2023-05-04, 2023/5/4 and 2023.5.4 without its clean-up (#38: a third of an import's
    validation); the result, or the message, is the one the clean-up gives the same text (a leading space sends it
    there: the clean-up strips it)."""
    from fazhi_desktop.domain.values import parse_date

    first, second = separators[0], separators[-1]
    width = 2 if padded else 1
    raw = f"{year:04d}{first}{month:0{width}d}{second}{day:0{width}d}{tail}"
    assert _outcome(parse_date, raw) == _outcome(parse_date, " " + raw)
