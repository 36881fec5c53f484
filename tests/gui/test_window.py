"""Driving the real main window (offscreen): forms, validation, unsaved prompts, recycle bin, lists, overview."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QToolButton,
    QTreeView,
)

from fazhi_desktop.domain.ledgers import LEDGERS

from .guikit import roll_wheel


def page_of(window, key):
    return window.select_ledger(key)


def click_header(qtbot, view, column: int) -> None:
    """Click a list's column title, as a clerk does to sort by it: first rolling the wheel sideways over the list
    until the title is on screen (the list beside the form is narrower than its columns)."""
    header = view.horizontalHeader()

    def middle() -> int:
        return header.sectionViewportPosition(column) + header.sectionSize(column) // 2

    for _notch in range(100):
        if 0 <= middle() < header.viewport().width():
            break
        roll_wheel(view.viewport(), -1 if middle() >= header.viewport().width() else 1, sideways=True)
    assert 0 <= middle() < header.viewport().width(), "the column's title is on screen"
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(middle(), header.height() // 2))


def fill(page, **values):
    for key, value in values.items():
        editor = page.form.editors[key]
        w = editor.widget
        if hasattr(w, "edit"):  # nullable date
            w.edit.setText(value)
            w.changed.emit()
        elif hasattr(w, "set_values"):
            w.set_values(value)
        elif hasattr(w, "set_number"):
            w.set_number(value)
        elif hasattr(w, "set_value"):
            w.set_value(value)
        elif hasattr(w, "setPlainText"):
            w.setPlainText(value)
        else:
            w.setText(value)  # keyClicks cannot type Chinese
            w.textEdited.emit(value)
    page.form.dirty = True


def test_title_and_every_ledger_has_a_page(window):
    assert window.windowTitle() == "法治建设台账 — 测试镇"
    assert set(window.pages) == {lg.key for lg in LEDGERS}
    assert not any(h.created for h in window.holders.values() if not h.isVisible())  # built on demand
    for key, page in window.pages.items():
        assert set(page.form.editors) == {f.key for f in page.ledger.fields}, key
        assert page.model.columnCount() == len(page.ledger.fields)


def test_create_records_in_three_ledgers(window, svc):
    meeting = page_of(window, "meeting")
    fill(meeting, date="2023-03-01", kind="法治建设专题会议", title="研究年度法治工作", attendees=25)
    assert meeting.save()
    dispute = page_of(window, "dispute")
    fill(dispute, date="2023年4月2日", source="群众来访", village="东村", category="土地纠纷", parties="张三与李四",
         summary="地界争议", risk="黄", status="调处中")
    assert dispute.save()
    publicity = page_of(window, "publicity")
    fill(publicity, date="2023/5/6", kind="法律十进", target="进学校", place="东村小学", topics=["宪法", "民法典"],
         materials=120)
    assert publicity.save()
    assert (svc.count("meeting"), svc.count("dispute"), svc.count("publicity")) == (1, 1, 1)
    assert publicity.model.rowCount() == 1
    assert meeting.model.data(meeting.model.index(0, 2)) == "研究年度法治工作"
    assert "已保存" in publicity.notice_label.text()
    assert "新建" in publicity.history.toPlainText()


def test_validation_error_is_shown_at_the_field_and_nothing_is_saved(window, svc, qtbot):
    page = page_of(window, "publicity")
    fill(page, date="2023-02-30", kind="法律十进", place="东村")
    assert not page.save()
    assert "不存在" in page.form.problem_text("date")
    assert "必须填写" in page.form.problem_text("target")
    assert page.form.problem_text("place") == ""
    assert svc.count("publicity") == 0
    assert "未保存" in page.notice_label.text()


def test_unsaved_prompt_cancel_keeps_the_edit(window, svc, answer):
    page = page_of(window, "meeting")
    fill(page, date="2023-03-01", kind="其他", title="第一条")
    assert page.save()
    first_id = page.current_id
    fill(page, title="改了但没保存")
    answer(QMessageBox.StandardButton.Cancel)
    page.new_record()
    assert answer.questions == ["会议台账中的当前记录有修改尚未保存，要保存吗？"]
    assert page.current_id == first_id
    assert page.form.values()["title"] == "改了但没保存"
    # Switching tabs asks too, and Cancel stays on the page.
    index = window.ui.tabs.currentIndex()
    window.ui.tabs.setCurrentIndex(0)
    assert window.ui.tabs.currentIndex() == index
    # Discard lets go and the stored record is unchanged.
    answer(QMessageBox.StandardButton.Discard)
    page.new_record()
    assert page.current_id is None
    assert svc.get("meeting", first_id)["title"] == "第一条"


def test_close_with_unsaved_edit_asks(window, answer):
    page = page_of(window, "meeting")
    fill(page, title="未保存")
    answer(QMessageBox.StandardButton.Cancel)
    assert not window.close()
    answer(QMessageBox.StandardButton.Discard)
    assert window.close()


def test_delete_recycle_bin_restore(window, svc, answer):
    page = page_of(window, "meeting")
    fill(page, date="2023-03-01", kind="其他", title="要删除的会议")
    assert page.save()
    rid = page.current_id
    answer(QMessageBox.StandardButton.Yes)
    page.delete_current()
    assert svc.count("meeting") == 0 and page.model.rowCount() == 0
    page.recycle_toggle.setChecked(True)
    assert page.model.rowCount() == 1
    page.view.selectRow(0)
    assert page.current_id == rid and page.restore_button.isEnabled()
    page.restore_current()
    assert svc.count("meeting") == 1
    page.recycle_toggle.setChecked(False)
    assert page.model.rowCount() == 1


def test_sort_and_filter_in_sql(window, svc, qtbot):
    for name, village, n in [("王五", "东村", 5), ("李四", "西村", 30), ("张三", "东村", 100), ("阿二", "南村", 7)]:
        svc.create("dispute", {"date": "2023-05-01", "source": "排查发现", "village": village, "category": "其他",
                               "parties": name, "summary": "事", "risk": "绿", "status": "调处中"})
        svc.create("meeting", {"date": "2023-05-01", "kind": "其他", "title": name, "attendees": n})
    meetings = page_of(window, "meeting")
    meetings.reload()
    col = [f.key for f in meetings.ledger.fields].index("attendees")
    click_header(qtbot, meetings.view, col)
    assert [meetings.model.data(meetings.model.index(r, col)) for r in range(4)] == ["5", "7", "30", "100"]
    disputes = page_of(window, "dispute")
    disputes.reload()
    name_col = [f.key for f in disputes.ledger.fields].index("parties")

    def names():
        return [disputes.model.data(disputes.model.index(r, name_col)) for r in range(4)]

    click_header(qtbot, disputes.view, name_col)
    # Pinyin order: 阿(a) 李(li) 王(wang) 张(zhang) — not code-point order (read from the stored key's index).
    assert names() == ["阿二", "李四", "王五", "张三"]
    click_header(qtbot, disputes.view, name_col)  # a second click: the other way round
    assert names() == ["张三", "王五", "李四", "阿二"]
    disputes.filters["village"].setCurrentText("东村")
    assert disputes.model.rowCount() == 2
    disputes.search_edit.setText("张")
    qtbot.waitUntil(lambda: disputes.model.rowCount() == 1, timeout=3000)


def test_year_switch_changes_overview(window, svc, qtbot):
    svc.create("meeting", {"date": "2023-05-01", "kind": "法治建设专题会议", "title": "会"})
    svc.create("meeting", {"date": "2022-05-01", "kind": "法治建设专题会议", "title": "会"})
    svc.create("meeting", {"date": "2022-06-01", "kind": "法治建设专题会议", "title": "会"})
    window.overview.refresh()
    qtbot.waitUntil(lambda: not window.overview.busy, timeout=5000)
    assert window.overview.current["org.special_meetings"] == 1
    window.select_year(2022)
    qtbot.waitUntil(lambda: not window.overview.busy and window.overview.current["org.special_meetings"] == 2,
                    timeout=5000)
    table = window.overview.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 1).text() == "法治建设专题会议")
    assert table.item(r := row, 2).text() == "2次" and table.item(r, 3).text() == "—"  # 2021 holds no record
    assert window.pages["meeting"].model.rowCount() == 2


def test_enter_moves_to_the_next_field(window, qtbot):
    page = page_of(window, "meeting")
    title = page.form.editors["title"].widget

    def clicked_into() -> bool:
        """The clerk clicks into the field. Focus needs the active window, which under load an earlier test's window
        may take back for a moment (a CI run lost the focus once in 5 s): asked and clicked again until it holds."""
        if not title.hasFocus():
            window.activateWindow()
            qtbot.mouseClick(title, Qt.MouseButton.LeftButton)
        return title.hasFocus()

    try:
        qtbot.waitUntil(clicked_into, timeout=10000)
    except qtbot.TimeoutError:
        others = [w.objectName() or type(w).__name__ for w in QApplication.topLevelWidgets() if w.isVisible()]
        raise AssertionError(f"the field never held the focus; active window {QApplication.activeWindow()!r}, "
                             f"modal {QApplication.activeModalWidget()!r}, visible windows {others}") from None
    qtbot.keyClick(title, Qt.Key.Key_Return)
    assert not title.hasFocus()


def test_qt_buttons_are_chinese(qapp):
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.No
                           | QDialogButtonBox.StandardButton.Cancel)
    texts = [b.text().replace("(&Y)", "").replace("(&N)", "").replace("&", "") for b in box.buttons()]
    assert set(texts) == {"是", "否", "取消"}


@pytest.mark.parametrize("mode", [QFileDialog.AcceptMode.AcceptOpen, QFileDialog.AcceptMode.AcceptSave])
def test_qt_file_dialog_is_chinese(qapp, mode):
    """Linux desktops without a native dialog get Qt's own: every label, button and header text in Chinese."""
    dialog = QFileDialog(None, "保存到")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(mode)
    dialog.setNameFilter("Excel 工作簿 (*.xlsx)")
    texts = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QPushButton)]
    texts += [w.toolTip() for w in dialog.findChildren(QToolButton)]
    texts += [a.text() for a in dialog.findChildren(QAction)]
    model = dialog.findChild(QTreeView).model()
    texts += [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]
    english = [t for t in texts if re.search("[A-Za-z]{2,}", t.replace("&", ""))]
    assert not english and "查找范围(&L)：" in texts


@pytest.mark.parametrize("key", ["meeting", "legal_talent", "counsel"])
def test_new_record_defaults(window, key):
    page = page_of(window, key)
    page.new_record()
    values = page.form.values()
    if page.ledger.year_field.type.value == "year":
        assert values[page.ledger.year_from] == 2023
    else:
        assert values[page.ledger.year_from] == ""


def test_lists_open_newest_first(window, svc):
    """Qt asks the model to sort by column -1 when no header was clicked: that once meant the last column (备注)."""
    for day in ("2023-03-05", "2023-11-20", "2023-07-01"):
        svc.create("meeting", {"date": day, "kind": "其他", "title": day})
    page = page_of(window, "meeting")
    page.reload()
    assert [page.model.data(page.model.index(r, 0)) for r in range(3)] == ["2023-11-20", "2023-07-01", "2023-03-05"]


def test_ctrl_s_saves_and_esc_reverts(window, svc, qtbot, answer):
    """Shortcuts are scoped to their page: with several pages built, Ctrl+S once was ambiguous and did nothing."""
    page_of(window, "dispute")
    page = page_of(window, "meeting")
    window.activateWindow()  # shortcuts belong to the active window
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    fill(page, date="2023-03-01", kind="其他", title="键盘保存")
    title = page.form.editors["title"].widget
    title.setFocus()
    qtbot.keyClick(title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert svc.count("meeting") == 1 and not page.form.dirty
    title.setText("改了又撤销")
    title.textEdited.emit("改了又撤销")
    answer(QMessageBox.StandardButton.No)  # Esc asks first; "no" keeps the typing
    qtbot.keyClick(title, Qt.Key.Key_Escape)
    assert "放弃这些修改" in answer.questions[-1]
    assert page.form.values()["title"] == "改了又撤销" and page.form.dirty
    answer(QMessageBox.StandardButton.Yes)
    qtbot.keyClick(title, Qt.Key.Key_Escape)
    assert page.form.values()["title"] == "键盘保存" and not page.form.dirty


def test_unexpected_error_dialog_has_copyable_details(qapp, monkeypatch, data_dir):
    import sys

    from fazhi_desktop.gui.shell.errors import install_excepthook

    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append((self.text(), self.detailedText())) or 0)
    install_excepthook()
    try:
        raise RuntimeError("内部细节")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    from fazhi_desktop.logs import setup_logging

    text, details = shown[0]
    assert "意外错误" in text and "RuntimeError: 内部细节" in details
    assert "RuntimeError: 内部细节" in setup_logging().read_text(encoding="utf-8")  # the process's one log file


def test_delete_key_in_a_text_field_does_not_delete_the_record(window, svc, answer, qtbot):
    page = page_of(window, "meeting")
    fill(page, date="2023-03-01", kind="其他", title="不要删")
    assert page.save()
    window.activateWindow()
    title = page.form.editors["title"].widget
    title.setFocus()
    qtbot.keyClick(title, Qt.Key.Key_Delete)
    assert answer.questions == [] and svc.count("meeting") == 1


def test_overview_recounts_when_shown_not_on_every_save(window, svc, qtbot):
    overview = window.overview
    page = page_of(window, "meeting")  # the overview is now hidden
    calls = []
    original = overview.refresh
    overview.refresh = lambda: (calls.append(1), original())
    for title in ("甲", "乙"):
        fill(page, date="2023-03-01", kind="法治建设专题会议", title=title)
        assert page.save()
        page.new_record()
    assert calls == []
    window.ui.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: not overview.busy and overview.current.get("org.special_meetings") == 2, timeout=5000)
    assert len(calls) == 1


def test_window_size_and_last_tab_are_remembered(db, unit, tmp_path, qtbot):
    from PySide6.QtCore import QSettings

    from fazhi_desktop.gui.shell.main_window import MainWindow
    from fazhi_desktop.gui.shell.session import Session

    settings = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    first = MainWindow(Session(db, unit, "测试员", 2023), settings, backup_on_exit=False)
    first.resize(700, 500)  # inside the offscreen platform's 800×600 screen
    first.show()
    first.ui.tabs.setCurrentIndex(7)
    assert first.close()
    second = MainWindow(Session(db, unit, "测试员", 2023), settings, backup_on_exit=False)
    qtbot.addWidget(second)
    assert second.ui.tabs.currentIndex() == 7
    assert (second.width(), second.height()) == (700, 500)


def test_window_never_larger_than_the_screen(db, unit, tmp_path, qtbot):
    """The design's 1100×680 on a smaller usable area (a 1366×768 laptop at 125%; the test screen is smaller still)
    is clamped to it, and so is a size saved on a big monitor."""
    from PySide6.QtCore import QSettings

    from fazhi_desktop.gui.shell.main_window import MainWindow
    from fazhi_desktop.gui.shell.session import Session

    for name, saved in (("fresh.ini", None), ("big.ini", (-200, -100, 4000, 3000))):
        settings = QSettings(str(tmp_path / name), QSettings.Format.IniFormat)
        if saved:
            first = MainWindow(Session(db, unit, "测试员", 2023), settings, backup_on_exit=False)
            qtbot.addWidget(first)
            first.setGeometry(*saved)
            settings.setValue("main/geometry", first.saveGeometry())
        window = MainWindow(Session(db, unit, "测试员", 2023), settings, backup_on_exit=False)
        qtbot.addWidget(window)
        avail = window.screen().availableGeometry()
        assert avail.width() < 1100 or avail.height() < 680  # the test means something only on a small screen
        frame = window.frameGeometry()
        assert frame.width() <= avail.width() and frame.height() <= avail.height(), (name, frame, avail)
        assert frame.x() >= avail.x() and frame.y() >= avail.y(), (name, frame, avail)
    page = window.select_ledger("dispute")
    assert page.search_edit.minimumWidth() >= 180
    # The widest page (six filters) fits a 1366×768 screen at 125% (1093 logical pixels less the frame).
    assert page.minimumSizeHint().width() <= 1060, page.minimumSizeHint()
    assert window.minimumSizeHint().width() <= 1080, window.minimumSizeHint()


def test_a_record_saved_into_another_year_does_not_vanish(window, svc, qtbot, answer):
    page = page_of(window, "meeting")
    fill(page, date="2099-03-01", kind="其他", title="手误")
    answer(QMessageBox.StandardButton.No)  # "2099 is later than today — sure?" no: nothing saved
    assert not page.save() and svc.count("meeting") == 0 and "晚于今天" in answer.questions[-1]
    fill(page, date="2022-03-01", kind="其他", title="上一年的会")
    answer(QMessageBox.StandardButton.Yes)  # sure; then "switch to 2022 to see it?" yes
    assert page.save()
    assert "属于2022年" in answer.questions[-1] and window.session.year == 2022
    saved = page.current_id
    qtbot.waitUntil(lambda: page.model.row_of(saved) is not None, timeout=5000)  # the list shows it
    assert page.form.values()["title"] == "上一年的会"


def test_whole_numbers_are_kept_as_typed_and_checked(window, svc, qtbot, answer):
    page = page_of(window, "meeting")
    fill(page, date="2023-03-01", kind="其他", title="人数")
    attendees = page.form.editors["attendees"].widget
    for typed, message in (("1.5", "整数"), ("99999999999", "数值过大")):
        attendees.setText(typed)
        attendees.textEdited.emit(typed)
        assert not page.save(), typed
        assert message in page.form.editors["attendees"].error.text(), typed
    attendees.setText("2000000")
    attendees.textEdited.emit("2000000")
    assert page.save() and "请核对" in page.notice_label.text()
    assert "参会人数" in answer.questions[-1]  # asked before saving (#25), and the clerk said yes
    assert svc.get("meeting", page.current_id)["attendees"] == 2000000


def test_history_puts_back_the_values_from_before_the_last_change(window, svc, qtbot):
    record = svc.create("meeting", {"date": "2023-03-01", "kind": "其他", "title": "原来的名称", "attendees": 12}).id
    svc.update("meeting", record, {"date": "2023-03-01", "kind": "其他", "title": "改错的名称", "attendees": 120})
    page = page_of(window, "meeting")
    page.reload()
    page.load(record)
    assert page.undo_button.isEnabled()
    page.undo_button.click()
    values = page.form.values()
    assert values["title"] == "原来的名称" and values["attendees"] == 12 and page.form.dirty
    assert "核对后请保存" in page.notice_label.text()
    assert page.save()
    assert svc.get("meeting", record)["title"] == "原来的名称"


def test_fixed_scales_offer_no_custom_values_and_ctrl_f_finds(window, db, unit, qtbot):
    from fazhi_desktop.domain.errors import UserError
    from fazhi_desktop.gui.ledger.widgets import ADD_CHOICE
    from fazhi_desktop.services.units import add_local_choice

    page = page_of(window, "dispute")
    items = lambda key: [page.form.editors[key].widget.itemText(i)  # noqa: E731
                         for i in range(page.form.editors[key].widget.count())]
    assert ADD_CHOICE not in items("risk") and ADD_CHOICE not in items("status")
    assert ADD_CHOICE in items("category")  # a unit may add its own kinds of dispute
    with db.engine.begin() as conn, pytest.raises(UserError, match="只能从规定的选项中选择"):
        add_local_choice(conn, unit, "dispute", "risk", "橙", "测试员")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    page.form.editors["parties"].widget.setFocus()
    qtbot.keyClick(page.form.editors["parties"].widget, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search_edit.hasFocus()


def test_history_says_a_record_came_from_an_import(window, db, unit, tmp_path):
    from openpyxl import Workbook

    from fazhi_desktop.exchange.apply import run_import

    wb = Workbook()
    ws = wb.active
    ws.title = "会议台账"
    ws.append(["日期", "会议类型", "会议名称/议题"])
    ws.append(["2023-03-01", "其他", "导入的会"])
    wb.save(tmp_path / "m.xlsx")
    run_import(db.engine, tmp_path / "m.xlsx", actor="测试员")
    page = page_of(window, "meeting")
    page.reload()
    from fazhi_desktop.gui.ledger.table_model import IdRole

    page.load(page.model.data(page.model.index(0, 0), IdRole))
    assert "从 Excel 导入" in page.history.toPlainText()


def test_help_lists_every_shortcut(window, qtbot, monkeypatch):
    """Every key bound anywhere in the window — pages, report, preview, menus — is in 帮助 → 快捷键."""
    from PySide6.QtGui import QKeySequence, QShortcut
    from PySide6.QtWidgets import QDialog, QTableWidget

    for key in window.holders:
        window.select_ledger(key)
    report = window.show_report_tab()
    qtbot.waitUntil(lambda: not report.busy, timeout=10000)
    bound = {s.key().toString() for s in window.findChildren(QShortcut)}
    bound |= {a.shortcut().toString() for a in window.findChildren(QAction) if not a.shortcut().isEmpty()}
    bound |= {QKeySequence(QKeySequence.StandardKey.ZoomIn).toString(), QKeySequence(QKeySequence.StandardKey.ZoomOut)
              .toString()}  # the preview's
    shown = []
    monkeypatch.setattr(QDialog, "exec", lambda self: shown.append(self) or 0)
    window.shortcuts_action.trigger()
    table = shown[0].findChild(QTableWidget)
    listed = {k.strip() for r in range(table.rowCount()) for k in table.item(r, 0).text().split(" / ")}
    assert bound and bound <= listed, bound - listed
    assert {"Ctrl+S", "Ctrl+N", "Ctrl+F", "Esc", "Del", "F1", "Tab", "Enter"} <= listed


def test_figures_of_a_year_left_behind_are_never_painted(window, svc, qtbot, db, unit):
    from fazhi_desktop.services import stats

    svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"})
    overview = window.overview
    window.ui.tabs.setCurrentWidget(window.ui.tabs.widget(0))
    window.show()
    window.select_year(2022)
    qtbot.waitUntil(lambda: getattr(overview, "shown_year", None) == 2022 and not overview.busy, timeout=10000)
    painted = [overview.table.item(r, 2).text() for r in range(overview.table.rowCount())]
    with db.engine.connect() as conn:
        late = (2023, stats.compute_with_previous(conn, unit, 2023), [])  # a count started before the switch
    overview._arrived(late)
    qtbot.waitUntil(lambda: not overview.busy, timeout=10000)
    assert overview.shown_year == 2022
    assert [overview.table.item(r, 2).text() for r in range(overview.table.rowCount())] == painted


def test_a_field_message_goes_once_the_field_is_fixed(window, svc, qtbot):
    page = page_of(window, "meeting")
    fill(page, date="2023-03-01", kind="其他")
    assert not page.save()  # 会议名称 is required
    title = page.form.editors["title"]
    assert "必填" in page.form.problem_text("title")
    title.widget.setText("补上名称")
    title.widget.textEdited.emit("补上名称")
    assert page.form.problem_text("title") == ""


def test_help_shows_the_user_manual_with_its_pictures(window, qtbot):
    window.manual_action.trigger()
    dialog = window.manual_dialog
    qtbot.addWidget(dialog)
    browser = dialog.findChild(QTextBrowser)
    text = browser.toPlainText()
    assert "换电脑" in text and "实际大小" in text and "备份与恢复" in text
    html = browser.toHtml()
    picture = re.search(r'src="(screenshots/[^"]+)"', html).group(1)
    assert not browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(picture)).isNull()


def test_saving_deleting_and_history_run_off_the_ui_thread(window, svc, qtbot, monkeypatch, answer):
    """A slow disk must not freeze the window: the write and the history read happen on a worker thread while the
    UI thread keeps processing events (a timer keeps ticking), and the page takes no clicks meanwhile."""
    import threading
    import time

    from PySide6.QtCore import QTimer

    from fazhi_desktop.services import audit
    from fazhi_desktop.services.records import RecordService

    page = page_of(window, "meeting")
    seen: dict[str, tuple[bool, bool]] = {}
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(page.isEnabled()))
    timer.start(20)

    def slow(name, original):
        def wrapper(*args, **kwargs):
            seen[name] = (threading.current_thread() is threading.main_thread(), False)
            time.sleep(0.3)
            return original(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(RecordService, "create", slow("create", RecordService.create))
    monkeypatch.setattr(RecordService, "delete", slow("delete", RecordService.delete))
    monkeypatch.setattr(audit, "history", slow("history", audit.history))
    fill(page, date="2023-03-01", kind="其他", title="慢盘上的会")
    assert page.save() and svc.count("meeting") == 1
    assert "新建" in page.history.toPlainText()  # the history, read after the save, shows it
    answer(QMessageBox.StandardButton.Yes)
    page.delete_current()
    timer.stop()
    assert svc.count("meeting") == 0
    assert set(seen) == {"create", "delete", "history"}
    assert not any(on_main for on_main, _ in seen.values())
    assert sum(1 for enabled in ticks if not enabled) >= 10  # the event loop ran during the work; the page was off
    assert page.isEnabled()


def test_fcitx_desktops_get_the_ibus_input_context_qt_ships(tmp_path):
    """Qt's wheels have no fcitx input context: QT_IM_MODULE=fcitx would leave the clerk unable to type Chinese."""
    import sys

    from fazhi_desktop.gui.shell.app import choose_input_method

    if not sys.platform.startswith("linux"):
        pytest.skip("Linux input methods")
    folder = tmp_path / "platforminputcontexts"
    folder.mkdir()
    (folder / "libibusplatforminputcontextplugin.so").write_bytes(b"")
    env = {"QT_IM_MODULE": "fcitx"}
    assert choose_input_method(env, folder) == "ibus" and env["QT_IM_MODULE"] == "ibus"
    env = {"QT_IM_MODULE": "fcitx5"}
    (folder / "libfcitx5platforminputcontextplugin.so").write_bytes(b"")
    assert choose_input_method(env, folder) is None and env["QT_IM_MODULE"] == "fcitx5"
    env = {"QT_IM_MODULE": "ibus"}
    assert choose_input_method(env, folder) is None and env == {"QT_IM_MODULE": "ibus"}
    assert choose_input_method({}, folder) is None
