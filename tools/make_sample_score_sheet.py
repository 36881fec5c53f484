"""Write resources/考核细则示例.xlsx: a sample of the 考核细则 a county writes once (domain.scoring explains the columns).
Usage: python tools/make_sample_score_sheet.py"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

OUT = Path(__file__).resolve().parents[1] / "resources" / "考核细则示例.xlsx"
HEADERS = ("考核项目", "考核内容", "分值", "评分标准", "考核依据", "统计指标", "达标值", "每少一个单位扣分")
ROWS = (
    ("组织领导", "党委（党工委）每年专题研究法治建设工作", 2, "召开法治建设专题会议不少于4次，每少1次扣0.5分",
     "《法治政府建设与责任落实督察工作规定》", "法治建设专题会议", 4, 0.5),
    ("组织领导", "制定年度法治建设工作计划、方案等制度文件", 1, "制定制度文件不少于3份，每少1份扣0.5分", "县考核细则",
     "制度文件", 3, 0.5),
    ("学法述法", "党委理论学习中心组集体学法", 2, "全年不少于4次，每少1次扣0.5分", "《关于完善国家工作人员学法用法制度的意见》",
     "党委理论学习中心组学法", 4, 0.5),
    ("学法述法", "领导班子成员年度述法", 2, "班子成员全部述法；每少1人扣0.5分", "《关于建立领导干部应知应会党内法规和国家法律清单制度的意见》",
     "班子成员述法", 5, 0.5),
    ("普法宣传", "开展“法律十进”活动", 3, "全年不少于12场次，每少1场次扣0.25分", "“八五”普法规划", "法律十进活动", 12, 0.25),
    ("行政执法", "落实执法全过程记录制度", 3, "全过程记录率达到100%，否则不得分", "行政执法三项制度", "全过程记录率", 100, None),
    ("法律顾问", "重大决策、规范性文件经合法性审查", 2, "开展合法性审查不少于1件，否则不得分", "《重大行政决策程序暂行条例》",
     "合法性审查", 1, None),
    ("矛盾纠纷", "矛盾纠纷排查化解", 3, "调解成功率不低于90%，每低1个百分点扣0.1分", "《关于加强新时代人民调解工作的意见》",
     "调解成功率", 90, 0.1),
    ("报告报送", "按时报送年度法治政府建设报告并向社会公开", 2, "4月1日前公开；由考核组核实", "《法治政府建设与责任落实督察工作规定》",
     None, None, None),
)


def main() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "考核细则"
    ws.append(["某县乡镇（街道）法治政府建设考核细则（示例）"])
    ws.append(list(HEADERS))
    for row in ROWS:
        ws.append(list(row))
    ws["A1"].font = Font(bold=True, size=14)
    for c in ws[2]:
        c.font = Font(bold=True)
    for col, width in zip("ABCDEFGH", (10, 30, 6, 34, 30, 20, 8, 10), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=3):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="center")
    wb.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
