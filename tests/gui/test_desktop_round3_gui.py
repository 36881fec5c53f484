"""Desktop round 3 (#31): what a clerk does by mouse or keyboard cannot change or lose anything by accident."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QScrollArea

from .guikit import roll_wheel

AT_125 = (1093, 614)  # 1366×768 at 125%, in logical pixels


def scroll_area_of(widget) -> QScrollArea:
    area = widget.parentWidget()
    while not isinstance(area, QScrollArea):
        area = area.parentWidget()
    return area


def test_3_the_wheel_over_a_combo_box_scrolls_the_form_and_changes_nothing_until_it_is_focused(window, qtbot):
    record = window.session.records().create("dispute", {
        "date": "2023-05-06", "source": "排查发现", "village": window.session.unit.villages[0], "category": "土地纠纷",
        "parties": "甲与乙", "summary": "地界", "risk": "红", "complexity": "复杂", "status": "调处中"})
    window.resize(*AT_125)
    page = window.select_ledger("dispute")
    assert page.show_record(record.id)
    qtbot.wait(20)
    combos = [page.form.editors[key].widget for key in ("complexity", "risk")]
    assert [c.currentText() for c in combos] == ["复杂", "红"]
    page.view.setFocus()  # the clerk's focus is in the list, as after clicking the record
    area = scroll_area_of(combos[0])
    bar = area.verticalScrollBar()
    bar.setValue(0)
    for combo in combos:
        roll_wheel(combo, -1)
        roll_wheel(combo, -2)
    assert [c.currentText() for c in combos] == ["复杂", "红"] and not page.form.dirty
    assert bar.maximum() == 0 or bar.value() > 0, "the wheel went to the form's scroll area"
    # tabbed into, the combo box is the clerk's to roll
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=10000)
    combos[1].setFocus(Qt.FocusReason.TabFocusReason)
    assert combos[1].hasFocus()
    roll_wheel(combos[1], -1)
    assert combos[1].currentText() != "红" and page.form.dirty
    page.form.dirty = False


def test_3_a_setting_under_the_wheel_keeps_its_value(window, qtbot):
    from fazhi_desktop.gui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.resize(*AT_125)
    dialog.show()
    dialog.ui.tabs.setCurrentWidget(dialog.privacy_page)
    qtbot.wait(10)
    boxes = [w for w in dialog.findChildren(QComboBox) + dialog.findChildren(QAbstractSpinBox) if w.isEnabled()]
    assert len(boxes) >= 3
    before = [b.currentText() if isinstance(b, QComboBox) else b.text() for b in boxes]
    dialog.ui.buttonBox.setFocus()
    for box in boxes:
        roll_wheel(box, -1)
    assert [b.currentText() if isinstance(b, QComboBox) else b.text() for b in boxes] == before
    for box in boxes:
        assert box.focusPolicy() != Qt.FocusPolicy.WheelFocus


def test_6_adopting_the_generated_text_asks_before_replacing_the_clerks_draft_and_ctrl_z_undoes_it(
        window, svc, qtbot, answer):
    from PySide6.QtWidgets import QMessageBox

    svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "一季度专题会"})
    tab = window.show_report_tab()
    tab.refresh_content()
    qtbot.waitUntil(lambda: not tab.busy and tab.section_list.count() > 0, timeout=10000)
    tab.section_list.setCurrentRow(0)
    mine = "本镇自己写的这一部分，改了三遍。"
    tab.own_edit.setPlainText(mine)
    assert tab.save()
    assert tab.generated_view.toPlainText() and tab.own_edit.toPlainText() == mine
    answer(QMessageBox.StandardButton.No)
    qtbot.mouseClick(tab.adopt_button, Qt.MouseButton.LeftButton)
    assert answer.questions and "已有您写的文字" in answer.questions[-1]
    assert tab.own_edit.toPlainText() == mine and not tab.dirty
    answer(QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(tab.adopt_button, Qt.MouseButton.LeftButton)
    assert tab.own_edit.toPlainText() == tab.generated_view.toPlainText() and tab.dirty
    assert tab.own_edit.hasFocus() or not window.isActiveWindow()
    tab.own_edit.setFocus()
    qtbot.keyClick(tab.own_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert tab.own_edit.toPlainText() == mine


def test_5_enter_after_the_clerks_name_goes_to_the_unit_name_and_what_is_typed_lands_there(db, qtbot):
    from fazhi_desktop.gui.dialogs.wizard import FirstRunWizard
    from fazhi_desktop.services.context import Context
    from tests.gui.guikit import type_chinese

    wizard = FirstRunWizard(Context(db, None, "Administrator"))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=10000)
    type_chinese(qtbot, wizard.page.clerk_edit, "李明")
    qtbot.keyClick(wizard.page.clerk_edit, Qt.Key.Key_Return)
    name = wizard.page.form.editors["name"].widget
    assert QApplication.focusWidget() is name
    event_target = QApplication.focusWidget()
    from PySide6.QtGui import QInputMethodEvent

    typed = QInputMethodEvent("", [])
    typed.setCommitString("新镇")
    QApplication.sendEvent(event_target, typed)
    assert name.text() == "新镇"
    # Tab from the clerk's name goes the same way
    wizard.page.clerk_edit.setFocus()
    qtbot.keyClick(wizard.page.clerk_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is name


def test_8_esc_in_the_wizard_asks_before_dropping_what_was_typed(db, qtbot, answer):
    from PySide6.QtWidgets import QMessageBox

    from fazhi_desktop.gui.dialogs.wizard import FirstRunWizard
    from fazhi_desktop.services.context import Context
    from tests.gui.guikit import type_chinese

    wizard = FirstRunWizard(Context(db, None, "Administrator"))
    qtbot.addWidget(wizard)
    wizard.show()
    type_chinese(qtbot, wizard.page.form.editors["name"].widget, "新镇")
    answer(QMessageBox.StandardButton.No)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert answer.questions and "还没有保存" in answer.questions[-1]
    assert wizard.isVisible() and wizard.page.form.editors["name"].widget.text() == "新镇"
    answer(QMessageBox.StandardButton.Yes)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert not wizard.isVisible()


def test_8_a_new_idle_lock_time_holds_at_once(db, unit, qtbot, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QDialogButtonBox

    from fazhi_desktop.gui.dialogs.settings_dialog import SettingsDialog
    from fazhi_desktop.gui.shell.main_window import MainWindow
    from fazhi_desktop.gui.shell.session import Session
    from fazhi_desktop.services import accounts

    with db.engine.begin() as conn:
        accounts.add(conn, "张主任", "管理员", "admin-2024a", "x")
    win = MainWindow(Session(db, unit, "x", 2023, account="张主任"),
                     QSettings(str(tmp_path / "g.ini"), QSettings.Format.IniFormat), backup_on_exit=False)
    win.show()
    try:
        assert win.idle_lock.minutes == 10
        dialog = SettingsDialog(win.session, win)
        qtbot.addWidget(dialog)
        dialog.show()
        minutes = dialog.privacy_form.editors["idle_lock_minutes"].widget
        minutes.selectAll()
        qtbot.keyClicks(minutes, "3")
        qtbot.mouseClick(dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        assert win.idle_lock.minutes == 3
    finally:
        win.idle_lock.stop()
        win.close()
        win.deleteLater()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key as the clerk presses it: to whatever has the focus (the window when nothing has)."""
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None, "nothing has the focus and no window is active"
    qtbot.keyClick(target, key, modifier)


def make_active(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=10000)
    qtbot.wait(10)  # the deferred focus into the page


def test_5_ctrl_tab_works_from_the_start_and_ctrl_n_wherever_the_focus_is(window, svc, qtbot):
    for i in range(30):  # a long list: the form of the shown record is scrolled
        svc.create("meeting", {"date": f"2023-03-{i % 28 + 1:02d}", "kind": "法治建设专题会议", "title": f"会{i}"})
    window.resize(*AT_125)
    make_active(window, qtbot)
    tabs = window.ui.tabs
    start = tabs.currentIndex()
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentIndex() == (start + 1) % tabs.count(), "Ctrl+Tab right after start"
    page = window.select_ledger("meeting")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=5000)
    qtbot.wait(10)
    window.ui.yearCombo.setFocus()  # the focus outside the page (the year box), as after a dialog or a click
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    first = next(iter(page.form.editors.values()))
    assert page.current_id is None, "Ctrl+N opened a new record"
    assert first.widget.hasFocus() or first.widget.isAncestorOf(QApplication.focusWidget())
    area = scroll_area_of(first.widget)
    top_left = first.widget.mapTo(area.widget(), first.widget.rect().topLeft())
    visible = area.viewport().rect().translated(0, area.verticalScrollBar().value())
    assert visible.contains(top_left), "日期 is in view when the clerk starts typing"
    # on a page that is no ledger, Ctrl+N says where it works
    window.ui.tabs.setCurrentIndex(0)
    qtbot.wait(10)
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert "Ctrl+N" in window.statusBar().currentMessage()


def test_5_building_a_page_never_flashes_a_window_that_takes_the_keyboard(window, qtbot):
    """A ledger page's filter row was shown before it had a parent: for a moment a window of its own, which took the
    activation from the main window (the next Ctrl+N or Ctrl+Tab went nowhere). The one window that may show is the
    busy sign (「请稍候」) of a job that runs past its delay (gui.shell.workers): under a loaded CI machine a page's
    first count or the report's preview sometimes does."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QProgressDialog

    def busy_sign(obj) -> bool:
        return isinstance(obj, QProgressDialog) and obj.windowTitle() == "请稍候" and obj.parentWidget() is not None

    shown, busy = [], []

    class Spy(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Show and obj.isWidgetType() and obj.isWindow() and obj is not window:
                (busy if busy_sign(obj) else shown).append(type(obj).__name__)
            return False

    make_active(window, qtbot)
    spy = Spy()
    QApplication.instance().installEventFilter(spy)
    try:
        for key in window.holders:
            window.select_ledger(key)
            qtbot.wait(5)
        window.show_report_tab()
        qtbot.wait(20)
    finally:
        QApplication.instance().removeEventFilter(spy)
    assert shown == []
    if busy:  # once the busy sign closed, the platform gives the activation back (offscreen Qt does not: as a click)
        qtbot.waitUntil(lambda: not any(w.isVisible() for w in QApplication.topLevelWidgets() if busy_sign(w)),
                        timeout=10000)
        make_active(window, qtbot)
    assert window.isActiveWindow()


SCREENS = {"125%": (1093, 614 - 32), "100% with a taskbar": (1366, 768 - 40)}  # usable area, logical pixels


def on_screen(monkeypatch, usable) -> None:
    """The screen a clerk has: its usable area (what sized dialogs and the window are fitted to)."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen

    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, *usable))


def within(dialog, widgets, usable) -> None:
    assert dialog.frameGeometry().height() <= usable[1] and dialog.frameGeometry().width() <= usable[0], (
        type(dialog).__name__, dialog.frameGeometry(), usable)
    for w in widgets:
        bottom = w.mapTo(dialog, w.rect().bottomLeft()).y()
        assert w.isVisible() and bottom <= dialog.height(), (w.text(), bottom, dialog.height())


def test_4_the_import_dialog_with_a_workbook_loaded_and_the_preview_fit_the_screen(window, svc, qtbot, tmp_path,
                                                                                    monkeypatch):
    from openpyxl import Workbook

    from tests.gui.guikit import checked_import

    wb = Workbook()
    ws = wb.active
    ws.title = "会议台账"
    ws.append(["记录编号", "日期*", "会议类型*", "会议名称/议题*"])
    for i in range(40):
        ws.append([None, "2023-13-01" if i % 3 == 0 else "2023-03-01", "法治建设专题会议", f"会{i}"])  # problems too
    path = tmp_path / "book.xlsx"
    wb.save(path)
    svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"})
    for name, usable in SCREENS.items():
        on_screen(monkeypatch, usable)
        dialog = checked_import(window, qtbot, path)
        dialog.show()
        qtbot.wait(10)
        assert dialog.problem_table.rowCount() > 0, name  # as the clerk sees it: a workbook checked, problems listed
        within(dialog, [b for b in dialog.buttons.buttons() if b.isVisible()], usable)
        dialog.close()
        tab = window.show_report_tab()
        qtbot.waitUntil(lambda tab=tab: not tab.busy, timeout=10000)
        qtbot.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda tab=tab: not tab.busy and hasattr(tab, "preview_dialog"), timeout=20000)
        preview = tab.preview_dialog
        qtbot.wait(10)
        within(preview, [preview.zoom_in, preview.zoom_out, preview.print_button], usable)
        preview.close()
        del tab.preview_dialog


def test_9_the_first_start_on_a_laptop_is_maximised_and_the_report_parts_are_in_view(db, unit, qtbot, tmp_path,
                                                                                    monkeypatch):
    from PySide6.QtCore import QSettings

    from fazhi_desktop.gui.shell.main_window import MainWindow
    from fazhi_desktop.gui.shell.session import Session

    on_screen(monkeypatch, SCREENS["125%"])
    win = MainWindow(Session(db, unit, "x", 2023), QSettings(str(tmp_path / "first.ini"), QSettings.Format.IniFormat),
                     backup_on_exit=False)
    qtbot.addWidget(win)
    win.show_on_screen()
    assert win.isMaximized()
    win.showNormal()
    win.resize(*AT_125)
    tab = win.show_report_tab()
    qtbot.waitUntil(lambda: not tab.busy, timeout=10000)
    qtbot.wait(10)
    top = tab.section_list.mapTo(tab, tab.section_list.rect().topLeft()).y()
    assert top + 60 <= tab.height(), "the 各部分文稿 list starts within the tab, not below the fold"


# What each role is offered in the 文件 menu (domain.roles: 录入员 records, imports and exports; 查看 reads and prints;
# accounts, 到期销毁, merging packages, the unit's settings and a database copy or restore are a 管理员's).
HIDDEN = {
    "管理员": set(),
    "录入员": {"设置", "导入乡镇数据包", "到期销毁", "账户管理"},
    "查看": {"设置", "导入乡镇数据包", "到期销毁", "账户管理", "导入", "导出台账", "导出数据包", "台账汇编", "新增记录"},
}


def test_8_each_role_is_offered_only_what_it_may_do(db, unit, qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from fazhi_desktop.gui.dialogs.backup_dialog import BackupDialog
    from fazhi_desktop.gui.shell.main_window import MainWindow
    from fazhi_desktop.gui.shell.session import Session
    from fazhi_desktop.services import accounts

    with db.engine.begin() as conn:
        accounts.add(conn, "张主任", "管理员", "admin-2024a", "x")
        accounts.add(conn, "李四", "录入员", "clerk-2024b", "张主任")
        accounts.add(conn, "王五", "查看", "viewer-2024c", "张主任")
    for account, role in (("张主任", "管理员"), ("李四", "录入员"), ("王五", "查看")):
        win = MainWindow(Session(db, unit, "x", 2023, account=account),
                         QSettings(str(tmp_path / f"{account}.ini"), QSettings.Format.IniFormat), backup_on_exit=False)
        win.show()
        try:
            names = {win.ui.actionSettings: "设置", win.package_import_action: "导入乡镇数据包",
                     win.retention_action: "到期销毁", win.accounts_action: "账户管理", win.ui.actionImport: "导入",
                     win.ui.actionExport: "导出台账", win.package_export_action: "导出数据包",
                     win.binder_action: "台账汇编", win.new_record_action: "新增记录"}
            hidden = {name for action, name in names.items() if not action.isVisible()}
            assert hidden == HIDDEN[role], role
            # every action of the 文件 menu has its need declared: none is left offered by default
            for action in win.ui.menuFile.actions():
                if action.isSeparator() or action in (win.ui.actionQuit, win.password_action):
                    continue
                assert action in win.action_needs, action.text()
            dialog = BackupDialog(win.session, win)
            qtbot.addWidget(dialog)
            dialog.show()
            assert dialog.usb_button.isVisible() is (role == "管理员")
            assert dialog.file_button.isVisible() is (role == "管理员")
        finally:
            win.idle_lock.stop()
            win.close()
            win.deleteLater()


def test_10_qts_file_dialog_speaks_chinese_and_still_opens_folders(qtbot, tmp_path):
    import sys

    import pytest
    from PySide6.QtWidgets import QTreeView

    from fazhi_desktop.gui.shell import file_dialogs

    if sys.platform == "win32":
        pytest.skip("Windows keeps its own file dialog")
    (tmp_path / "子文件夹").mkdir()
    (tmp_path / "子文件夹" / "里面.xlsx").write_bytes(b"x" * 3000)
    (tmp_path / "台账.xlsx").write_bytes(b"x" * 5000)
    (tmp_path / "说明.abc").write_bytes(b"x")
    dialog = file_dialogs.make(None, "选择", str(tmp_path), "全部文件 (*)")
    qtbot.addWidget(dialog)
    dialog.show()
    tree = dialog.findChild(QTreeView, "treeView")
    model = tree.model()

    def rows():
        root = tree.rootIndex()
        return {model.data(model.index(r, 0, root)): [model.data(model.index(r, c, root)) for c in range(1, 4)]
                for r in range(model.rowCount(root))}

    qtbot.waitUntil(lambda: len(rows()) == 3, timeout=5000)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["名称", "大小", "类型", "修改日期"]
    shown = rows()
    assert shown["子文件夹"][:2] == ["", "文件夹"]
    assert shown["台账.xlsx"][0] == "4 KB"
    assert not any("a" <= ch.lower() <= "z" for ch in shown["说明.abc"][1].replace("abc", ""))
    for size, _kind, modified in shown.values():
        shown_text = size.replace("KB", "").replace("MB", "") + modified  # KB and MB as Chinese office software says
        assert not any("a" <= ch.lower() <= "z" for ch in shown_text), (size, modified)
        assert modified[:4].isdigit() and modified[4] == "-"
    # the proxy keeps the dialog working: the folder chosen with the arrow keys opens with Enter
    root = tree.rootIndex()
    folder = next(model.index(r, 0, root) for r in range(model.rowCount(root))
                  if model.data(model.index(r, 0, root)) == "子文件夹")
    tree.setFocus()
    tree.setCurrentIndex(folder)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.directory().dirName() == "子文件夹", timeout=5000)
    qtbot.waitUntil(lambda: "里面.xlsx" in rows(), timeout=5000)
