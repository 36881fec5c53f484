"""考核自评 and 台账汇编 from the file menu (#20 points 2 and 3)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "考核细则示例.xlsx"


def test_self_scoring_from_the_file_menu(window, qtbot, tmp_path, monkeypatch, boxes):
    from fazhi_desktop.gui.shell import file_dialogs

    out = tmp_path / "自评.xlsx"
    from PySide6.QtCore import Qt

    from fazhi_desktop.gui.dialogs.score_rules_dialog import ScoreRulesDialog

    from .guikit import when_modal

    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(SAMPLE))
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(out))
    seen = []

    def read_the_rules_and_score(dialog):
        # the sample's own rule columns, shown as rules: 8 rows with a figure, the 报告报送 row left to the reviewers
        seen.append(sum(1 for r in range(dialog.table.rowCount()) if dialog._combo(r, 3).currentIndex() > 0))
        qtbot.mouseClick(dialog.score_button, Qt.MouseButton.LeftButton)

    when_modal(ScoreRulesDialog, read_the_rules_and_score)
    window.score_action.trigger()
    qtbot.waitUntil(lambda: bool(boxes), timeout=20000)
    assert seen == [8]
    assert boxes[0][0] == "考核自评" and "已生成考核自评表" in boxes[0][1]  # in a box the clerk closes (#31.7)
    rows = [r for r in load_workbook(out).active.iter_rows(min_row=4, values_only=True) if r[0]]
    assert rows[-1][0] == "合计" and len(rows) == 10


def test_the_binder_from_the_file_menu(window, svc, qtbot, tmp_path, monkeypatch, boxes):
    import pdfplumber

    from fazhi_desktop.gui.shell import file_dialogs

    svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"})
    out = tmp_path / "汇编.pdf"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(out))
    window.binder_action.trigger()
    qtbot.waitUntil(lambda: bool(boxes), timeout=30000)
    title, text = boxes[0]
    assert title == "台账汇编" and "已生成台账汇编" in text and "1 件缺佐证材料" in text  # the meeting has no photo
    with pdfplumber.open(out) as pdf:
        assert "归档文件目录" in pdf.pages[1].extract_text() and "专题会" in pdf.pages[2].extract_text()


def test_a_counted_job_moves_its_progress_bar(window, qtbot):
    import threading

    from fazhi_desktop.gui.shell import workers

    go = threading.Event()
    results = []

    def job(report):
        report(3, 10)
        go.wait(5)
        return "done"

    op = workers.run(window, "正在生成台账汇编…", job, results.append, counted=True)
    qtbot.waitUntil(lambda: op._dialog.maximum() == 10 and op._dialog.value() == 3, timeout=5000)
    go.set()
    qtbot.waitUntil(lambda: results == ["done"], timeout=5000)


def test_a_county_sheet_is_mapped_in_the_dialog_saved_with_its_rules_and_scored(window, svc, qtbot, tmp_path,
                                                                                monkeypatch, boxes):
    """#37: the county's five-column sheet, with no rules, opened from the menu; the clerk picks 逾期未销号 for the
    整改 row with the keyboard, chooses 少者为好, types 1 point off for each, saves the rules into the sheet for the
    county and scores: the row is scored by the rule, the others are left to the 考核组."""
    from PySide6.QtCore import Qt
    from test_scoring_county_sheet import county_sheet

    from fazhi_desktop.domain.scoring import FEWER, KINDS
    from fazhi_desktop.gui.dialogs.score_rules_dialog import FIGURE_COL, KIND_COL, PER_UNIT_COL, ScoreRulesDialog
    from fazhi_desktop.gui.shell import file_dialogs

    from .guikit import when_modal

    svc.create("rectification", {"source": "自查发现", "assigned_on": "2023-03-01", "problem": "问题",
                                 "measures": "整改", "department": "党政办", "deadline": "2023-06-30"})
    sheet = county_sheet(tmp_path / "细则.xlsx")
    rules_out, out = tmp_path / "细则（含自评规则）.xlsx", tmp_path / "自评.xlsx"
    saves = [str(rules_out), str(out)]
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(sheet))
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: saves.pop(0))

    def map_one_row(dialog):
        dialog.resize(1180, 560)
        table = dialog.table
        line = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "5")
        figure = dialog._combo(line, FIGURE_COL)
        figure.setFocus()
        for _ in range(dialog.names.index("逾期未销号") + 1):
            qtbot.keyClick(figure, Qt.Key.Key_Down)
        kind = dialog._combo(line, KIND_COL)
        kind.setFocus()
        for _ in range(KINDS.index(FEWER)):
            qtbot.keyClick(kind, Qt.Key.Key_Down)
        table.setCurrentCell(line, PER_UNIT_COL)
        qtbot.keyClick(table, Qt.Key.Key_F2)  # edit the cell, as a person does from the keyboard
        qtbot.waitUntil(lambda: table.viewport().findChild(QLineEdit) is not None, timeout=3000)
        editor = table.viewport().findChild(QLineEdit)  # the cell's editor
        qtbot.keyClicks(editor, "1")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: table.item(line, PER_UNIT_COL).text() == "1", timeout=3000)  # committed (queued)
        assert "已为 1 个设了自评规则" in dialog.summary.text()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(boxes), timeout=10000)
        qtbot.mouseClick(dialog.score_button, Qt.MouseButton.LeftButton)

    from PySide6.QtWidgets import QLineEdit

    when_modal(ScoreRulesDialog, map_one_row)
    window.score_action.trigger()
    qtbot.waitUntil(lambda: len(boxes) == 2, timeout=20000)
    assert boxes[0][0] == "保存自评规则" and boxes[1][0] == "考核自评"
    rules = [r for r in load_workbook(rules_out)["自评规则"].iter_rows(min_row=2, values_only=True) if r[2]]
    assert rules == [(5, "整改落实 问题整改按期销号", "逾期未销号", FEWER, None, None, 1, None, "不适用")]
    rows = {r[0]: r for r in load_workbook(out).active.iter_rows(min_row=4, values_only=True)}
    assert rows[3][5] == 2 and "逾期未销号1个，多1个，扣1分" in rows[3][7]  # 1 overdue of 0 allowed: 3 - 1
    assert rows[1][5] is None and "考核组" in rows[1][7]


def test_the_new_dialogs_fit_both_screens_with_their_content_loaded(window, db, unit, qtbot, tmp_path, monkeypatch):
    """#37's dialogs as a clerk sees them: the mapping step with the county's sheet and this year's figures loaded,
    the file description with a photo's name, at 125% of 1366×768 and at 100% with a taskbar, all in Chinese."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen
    from test_scoring_county_sheet import county_sheet

    from fazhi_desktop.exchange.scoring_sheet import read_sheet
    from fazhi_desktop.gui.dialogs.attachment_info_dialog import AttachmentInfoDialog
    from fazhi_desktop.gui.dialogs.score_rules_dialog import ScoreRulesDialog
    from fazhi_desktop.services import score_figures

    from .test_walk import SCREENS, english, visible_texts

    source = county_sheet(tmp_path / "细则.xlsx")
    sheet = read_sheet(source)
    with db.engine.connect() as conn:
        figures = score_figures.figures(conn, unit, 2023)
    for usable in SCREENS.values():
        monkeypatch.setattr(QScreen, "availableGeometry", lambda self, usable=usable: QRect(0, 0, *usable))
        for dialog in (ScoreRulesDialog(sheet, figures, source, window),
                       AttachmentInfoDialog("dispute", ["现场照片.jpg"], None, window)):
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
            hint = dialog.minimumSizeHint()
            assert hint.width() <= usable[0] and hint.height() <= usable[1], (dialog.windowTitle(), hint)
            assert dialog.width() <= usable[0] and dialog.height() <= usable[1], (dialog.windowTitle(), dialog.size())
            assert not [t for t in visible_texts(dialog) if english(t)], [t for t in visible_texts(dialog) if english(t)]
            dialog.close()
