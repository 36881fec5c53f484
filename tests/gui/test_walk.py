"""The walk (#31): every menu action, clicked in its menu as each role, at 125% of 1366×768 and at 100% with a 40 px
taskbar. Each offered action opens what it should; every dialog it opens fits the screen and speaks Chinese."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTabWidget,
)

from fazhi_desktop.domain.roles import allows
from fazhi_desktop.services import accounts

SCREENS = {"125%": (1093, 614 - 32), "100% with a taskbar": (1366, 768 - 40)}
# Words a Chinese office reads as they are: file kinds, keys, units, standards' names
ALLOWED = re.compile(r"PDF|Word|Excel|WPS|DOCX|XLSX|xlsx|docx|pdf|zip|jpg|png|U盘|Ctrl|Shift|Alt|Esc|Tab|Enter|Del|"
                     r"F\d+|KB|MB|GB/T|DA/T|ID|Argon2id|SQLite|Fandol|Droid Sans Fallback|GPL|Apache|Qt|Python|MIT|[A-Z]:\\\\|&[A-Za-z]")
ROLES = {"管理员": "admin-2024a", "录入员": "clerk-2024b", "查看": "viewer-2024c"}
ROLE_OF = {"张主任": "管理员", "李四": "录入员", "王五": "查看"}


def english(text: str) -> str:
    rest = ALLOWED.sub("", text)
    return rest if re.search(r"[A-Za-z]{2,}", rest) else ""


def visible_texts(dialog) -> list[str]:
    texts = [dialog.windowTitle()]
    texts += [w.text() for w in dialog.findChildren(QLabel) if w.isVisible() and "/" not in w.text()]
    texts += [w.text() for w in dialog.findChildren(QAbstractButton) if w.isVisible()]
    texts += [w.title() for w in dialog.findChildren(QGroupBox) if w.isVisible()]
    for tabs in dialog.findChildren(QTabWidget):
        texts += [tabs.tabText(i) for i in range(tabs.count())]
    for table in dialog.findChildren(QTableWidget):
        texts += [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())
                  if table.horizontalHeaderItem(c)]
    for combo in dialog.findChildren(QComboBox):
        if combo.isVisible() and not combo.isEditable():
            texts += [combo.itemText(i) for i in range(combo.count())]
    return [t for t in texts if t and not t.startswith(("/", "\\")) and not re.match(r"[A-Z]:\\", t)]  # paths


@pytest.fixture
def staffed(db, unit, svc):
    svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "一季度专题会"})  # before accounts
    with db.engine.begin() as conn:
        accounts.add(conn, "张主任", "管理员", ROLES["管理员"], "x")
        accounts.add(conn, "李四", "录入员", ROLES["录入员"], "张主任")
        accounts.add(conn, "王五", "查看", ROLES["查看"], "张主任")
    return db


@pytest.mark.parametrize("role", list(ROLES))
def test_every_menu_action_as_each_role_at_both_scales(staffed, unit, qtbot, tmp_path, monkeypatch, role):
    from fazhi_desktop.gui.shell.main_window import MainWindow
    from fazhi_desktop.gui.shell.session import Session

    opened: list = []

    def record(dialog):
        opened.append(dialog)
        return 0  # 关闭 / 取消

    monkeypatch.setattr(QDialog, "exec", record)
    monkeypatch.setattr(QFileDialog, "exec", record)
    account = {"管理员": "张主任", "录入员": "李四", "查看": "王五"}[role]
    for scale, usable in SCREENS.items():
        monkeypatch.setattr(QScreen, "availableGeometry", lambda self, usable=usable: QRect(0, 0, *usable))
        win = MainWindow(Session(staffed, unit, "x", 2023, account=account),
                         QSettings(str(tmp_path / f"{role}{len(opened)}.ini"), QSettings.Format.IniFormat),
                         backup_on_exit=False)
        win.show_on_screen()
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow, timeout=10000)
        try:
            # what is offered follows the declarations (win.action_needs, domain.roles), for every menu action
            everyone = {win.ui.actionQuit, win.password_action, *win.ui.menuHelp.actions()}
            for menu in (win.ui.menuFile, win.ui.menuSettings):
                for action in menu.actions():
                    if not action.isSeparator() and action not in everyone:
                        assert action in win.action_needs, (role, action.text())
            for action, need in win.action_needs.items():
                assert action.isVisible() is allows(ROLE_OF[account], need), (role, action.text(), need)
            for menu in (win.ui.menuFile, win.ui.menuSettings, win.ui.menuHelp):
                for action in menu.actions():
                    if action.isSeparator() or not action.isVisible() or action is win.ui.actionQuit:
                        continue
                    before = len(opened)
                    shown_before = {w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog)
                                    and w.isVisible()}
                    menu.popup(win.mapToGlobal(win.rect().topLeft()))
                    qtbot.waitExposed(menu)
                    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())

                    def modeless(shown_before=shown_before):  # a dialog shown beside the window (用户手册)
                        return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
                                and w not in shown_before and w not in opened]

                    qtbot.waitUntil(lambda before=before, m=modeless: len(opened) > before or bool(m()),
                                    timeout=15000)
                    dialog = opened[-1] if len(opened) > before else modeless()[0]
                    refused = dialog.text() if isinstance(dialog, QMessageBox) else ""
                    assert "不能" not in refused or "账户" not in refused, (role, action.text(), refused)
                    dialog.show()
                    qtbot.wait(5)
                    where = f"{role}, {scale}: {action.text()} → {dialog.windowTitle()}"
                    hint = dialog.minimumSizeHint()
                    assert hint.width() <= usable[0] and hint.height() <= usable[1], (where, hint)
                    assert dialog.width() <= usable[0] and dialog.height() <= usable[1], (where, dialog.size())
                    assert not [t for t in visible_texts(dialog) if english(t)], (
                        where, [t for t in visible_texts(dialog) if english(t)])
                    dialog.close()
                    QApplication.processEvents()

        finally:
            if win.idle_lock is not None:
                win.idle_lock.stop()
            for editor in win.all_editors():
                editor.form.dirty = False
            win.close()
            win.deleteLater()
