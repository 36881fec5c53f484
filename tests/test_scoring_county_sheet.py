"""考核自评 from a county's sheet as it arrives (#37): its own five columns (序号, 考核项目 merged over two rows,
考核内容, 标准分 with 「6分」, 考核方法) and title; unmapped it scores nothing and says so (it used to end in 「程序内部错误」);
mapped in its hidden 「自评规则」 sheet it scores a two-criterion row, a fewer-is-better item, a not-applicable item, 学时,
a breakdown's part, a bonus from evidence and a 一票否决 item, and prints in the county's own columns."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.scoring import BONUS, FEWER, FULL, MORE, VETO, Criterion, Figure, ScoreItem, score, total
from fazhi_desktop.exchange.scoring_sheet import apply_rules, read_sheet, write_rules
from fazhi_desktop.reports.render.score_xlsx import write_score_workbook
from fazhi_desktop.services import attachments, score_figures

TITLE = "某县2023年度乡镇（街道）法治政府建设考核细则"
HEADER = ["序号", "考核项目", "考核内容", "标准分", "考核方法"]
ROWS = [
    [1, "组织领导", "成立法治建设领导小组并明确专职人员", "6分", "领导小组3分，专职人员3分"],
    [2, None, "专题研究法治建设工作", "4分", "不少于4次，每少1次扣1分"],  # 组织领导 merged over rows 3 and 4
    [3, "整改落实", "问题整改按期销号", 3, "逾期未销号的，每个扣1分"],
    [4, "行政执法", "重大执法决定法制审核", "2分", "审核率100%；无重大执法决定的不计分"],
    [5, "学法用法", "干部学法学时", "2分", "全年不少于10学时，每少1学时扣0.2分"],
    [6, "普法宣传", "法治宣传进学校", "2分", "不少于2场次"],
    [7, "加分项", "会议佐证材料齐全", "加分项，最高2分", "每件加1分"],
    [8, "一票否决", "发生行政复议诉讼被纠错", "一票否决", "发生的实行一票否决"],
    [9, "报告报送", "按时报送年度报告", "2分", "由考核组核实"],
    ["合计", None, None, "21分", None],
]
RULES = {
    3: [Criterion("领导小组成员", MORE, Decimal(3), Decimal(5)), Criterion("法律顾问", MORE, Decimal(3), Decimal(1))],
    4: [Criterion("法治建设专题会议", MORE, None, Decimal(4), Decimal(1))],
    5: [Criterion("逾期未销号", FEWER, None, None, Decimal(1))],
    6: [Criterion("重大执法决定法制审核率", MORE, None, Decimal(100))],
    7: [Criterion("学法学时", MORE, None, Decimal(10), Decimal("0.2"))],
    8: [Criterion("法律十进（分对象）：进学校", MORE, None, Decimal(2))],
    9: [Criterion("会议台账（有佐证材料）", BONUS, None, None, Decimal(1))],
    10: [Criterion("行政复议/诉讼被纠错", VETO)],
}


def county_sheet(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "考核细则"
    ws.append([TITLE])
    ws.merge_cells("A1:E1")
    ws.append(HEADER)
    for row in ROWS:
        ws.append(row)
    ws.merge_cells("B3:B4")
    wb.save(path)
    return path


@pytest.fixture
def township(svc, db, unit, tmp_path):
    """A township's 2023: 5 of a leading group, a counsel, 3 of 4 专题会议 (one with its photo), 2 整改 overdue, 7 学时,
    1 法律十进 进学校, no 重大执法决定, no 复议/诉讼."""
    for n, role in enumerate(("组长", "副组长", "成员", "成员", "成员")):
        svc.create("leading_group", {"year": 2023, "name": f"成员{n}", "post": "干部", "role": role})
    svc.create("counsel", {"name": "王律师", "firm": "某律师事务所", "signed_on": "2023-01-01",
                           "service_from": "2023-01-01", "service_to": "2023-12-31"})
    meetings = [svc.create("meeting", {"date": f"2023-0{m}-10", "kind": "法治建设专题会议", "title": f"专题会{m}"}).id
                for m in (3, 6, 9)]
    from PIL import Image

    Image.new("RGB", (40, 30), "red").save(tmp_path / "会.jpg")
    attachments.add(db.engine, unit.id, "meeting", meetings[0], tmp_path / "会.jpg", "测试员")
    for n in range(2):
        svc.create("rectification", {"source": "自查发现", "assigned_on": "2023-03-01", "problem": f"问题{n}",
                                     "measures": "整改", "department": "党政办", "deadline": "2023-06-30"})
    for hours in (4, 3):
        svc.create("study", {"date": "2023-05-01", "form": "会前学法", "content": "宪法", "hours": hours})
    svc.create("publicity", {"date": "2023-04-01", "kind": "法律十进", "target": "进学校", "place": "中心小学",
                             "topics": ["宪法"]})
    return unit


def test_the_sheet_as_it_arrives_is_read_with_its_own_columns_and_title(tmp_path):
    sheet = read_sheet(county_sheet(tmp_path / "细则.xlsx"))
    assert sheet.title == TITLE and list(sheet.columns) == HEADER
    assert [i.row for i in sheet.items] == list(range(3, 12))  # the 合计 row is not an item
    assert sheet.items[1].texts[1] == "组织领导"  # the merged 考核项目 read for its second row too
    assert sheet.items[0].points == 6 and sheet.items[6].bonus and sheet.items[6].points == 2
    assert sheet.items[7].veto and sheet.items[7].points is None
    assert not sheet.rules_found and len(sheet.unmapped) == 9


def test_unmapped_it_scores_nothing_and_says_why_never_an_internal_error(tmp_path, data_dir):
    from clikit import run_cli

    env = {"FAZHI_DATA_DIR": str(data_dir)}
    db = str(tmp_path / "d.sqlite3")
    assert run_cli("--db", db, "demo", env=env).returncode == 0
    out = tmp_path / "自评.xlsx"
    proc = run_cli("--db", db, "score", "--year", "2023", "--sheet", str(county_sheet(tmp_path / "细则.xlsx")),
                   "--out", str(out), env=env)
    assert proc.returncode == 0, proc.stderr
    assert "自评 0 分" in proc.stdout and "还没有自评规则" in proc.stdout and "内部错误" not in proc.stdout + proc.stderr
    ws = load_workbook(out).active
    assert [c.value for c in ws[3]] == [*HEADER, "自评得分", "考核得分", "自评说明"]
    assert TITLE in ws["A1"].value


def test_mapped_once_in_the_workbook_it_scores_every_kind_of_rule(township, svc, db, tmp_path):
    source = county_sheet(tmp_path / "细则.xlsx")
    mapped = write_rules(source, read_sheet(source), RULES, tmp_path / "细则（含自评规则）.xlsx")
    book = load_workbook(mapped)
    assert book["自评规则"].sheet_state == "hidden" and book["考核细则"]["C3"].value == ROWS[0][2]  # the county's kept
    sheet = read_sheet(mapped)
    assert sheet.rules_found and [i.row for i in sheet.unmapped] == [11]
    with db.engine.connect() as conn:
        scored = {s.item.row: s for s in score_figures.score_unit(conn, township, 2023, sheet)}
    assert scored[3].score == 6 and "领导小组成员5人" in scored[3].note and "法律顾问1名" in scored[3].note
    assert scored[4].score == 3 and "少1次" in scored[4].note  # 3 of 4 meetings, 1 off for the one short
    assert scored[5].score == 1 and "逾期未销号2个" in scored[5].note  # fewer is better: 2 overdue cost 2 of 3
    assert scored[6].score is None and scored[6].applicable == 0 and "不适用" in scored[6].note  # nothing to review
    assert scored[7].score == Decimal("1.4")  # 7 学时 of 10: 3 short × 0.2
    assert scored[8].score == 0  # 1 进学校 of 2, all or nothing
    assert scored[9].score == 1 and scored[9].applicable == 0  # the photo's meeting earns the bonus
    assert scored[10].score is None and not scored[10].vetoed
    assert scored[11].score is None and "考核组" in scored[11].note
    t = total(list(scored.values()))
    assert (t.points, t.applicable, t.own, t.bonus, t.manual, t.vetoed) == (21, 17, Decimal("12.4"), 1, 1, False)

    out = write_score_workbook(township, 2023, sheet, list(scored.values()), tmp_path / "自评.xlsx")
    rows = list(load_workbook(out).active.iter_rows(min_row=3, values_only=True))
    assert list(rows[0]) == [*HEADER, "自评得分", "考核得分", "自评说明"]
    by_no = {r[0]: r for r in rows[1:]}
    assert by_no[1][3] == 6 and by_no[1][4] == "领导小组3分，专职人员3分" and by_no[1][5] == 6
    assert by_no[2][1] == "组织领导" and by_no[4][5] is None and "不适用" in by_no[4][7]
    assert by_no[8][3] == "一票否决" and by_no[7][5] == 1
    assert by_no["合计"][3] == 21 and by_no["合计"][5] == 12.4 and all(r[6] is None for r in rows[1:])


def test_rules_rewritten_after_the_county_inserts_a_row_are_refused_by_their_words(tmp_path):
    source = county_sheet(tmp_path / "细则.xlsx")
    mapped = write_rules(source, read_sheet(source), RULES, tmp_path / "m.xlsx")
    wb = load_workbook(mapped)
    wb["考核细则"].insert_rows(4)
    wb["考核细则"]["C4"] = "新增的考核内容"
    wb["考核细则"]["D4"] = 1
    wb.save(mapped)
    with pytest.raises(UserError, match="第 4 行现在是.*新增的考核内容.*重新设置自评规则"):
        read_sheet(mapped)


def test_two_rules_on_a_row_must_share_its_points(tmp_path):
    sheet = read_sheet(county_sheet(tmp_path / "细则.xlsx"))
    with pytest.raises(UserError, match="第 3 行各条自评规则的分值合计 5 分，与该行的分值 6 分不符"):
        apply_rules(sheet, {3: [Criterion("领导小组成员", MORE, Decimal(3)), Criterion("法律顾问", MORE, Decimal(2))]})
    with pytest.raises(UserError, match="第 3 行有 2 条自评规则：每条都要写它占的「分值」"):
        apply_rules(sheet, {3: [Criterion("领导小组成员", MORE), Criterion("法律顾问", MORE)]})


@pytest.mark.parametrize(("kind", "target", "per_unit", "cap", "value", "expected"), [
    (FEWER, None, "1", None, 2, "1"),  # 2 over 0, 1 each
    (FEWER, None, "1", "2", 5, "1"),  # capped: never more than 2 off
    (FEWER, "1", None, None, 1, "3"),  # up to the allowed one costs nothing
    (FEWER, None, None, None, 1, "0"),  # all or nothing
    (MORE, "4", "0.5", "1", 0, "2"),  # 4 short × 0.5 = 2, capped at 1
    (BONUS, None, "0.5", None, 9, "3"),  # a bonus never passes the row's points
])
def test_each_rule_by_hand(kind, target, per_unit, cap, value, expected):
    def d(x):
        return None if x is None else Decimal(x)

    item = ScoreItem(5, ("x",), Decimal(3), (Criterion("逾期未销号", kind, None, d(target), d(per_unit), d(cap)),),
                     bonus=kind == BONUS)
    (s,) = score([item], {"逾期未销号": Figure("逾期未销号", value, "个")})
    assert s.score == Decimal(expected)


def test_not_applicable_as_the_sheet_says_and_a_veto():
    item = ScoreItem(6, ("x",), Decimal(2), (Criterion("负责人出庭应诉率", MORE, None, Decimal(100), when_none=FULL),))
    (s,) = score([item], {"负责人出庭应诉率": Figure("负责人出庭应诉率", None, "%", rate=True)})
    assert s.score == 2 and "得满分" in s.note
    veto = ScoreItem(10, ("x",), None, (Criterion("行政复议/诉讼被纠错", VETO),), veto=True)
    scored = score([item, veto], {"负责人出庭应诉率": Figure("负责人出庭应诉率", None, "%", rate=True),
                                  "行政复议/诉讼被纠错": Figure("行政复议/诉讼被纠错", 1, "件")})
    assert scored[1].vetoed and total(scored).vetoed
