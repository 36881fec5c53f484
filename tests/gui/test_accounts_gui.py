"""Accounts in the GUI (#21): the login once accounts exist, the idle lock, 修改密码; the role is the services'
(a 查看 account's save is refused by them, not by a hidden button)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from fazhi_desktop.services import accounts

ADMIN_PW, VIEWER_PW = "admin-2024a", "viewer-2024c"


@pytest.fixture
def staffed(db, unit):
    with db.engine.begin() as conn:
        accounts.add(conn, "张主任", "管理员", ADMIN_PW, "x")
        accounts.add(conn, "王五", "查看", VIEWER_PW, "张主任")
    return db


def test_login_dialog_refuses_a_wrong_password_and_stays_open(staffed, qtbot):
    from fazhi_desktop.gui.dialogs.login import LoginDialog

    dialog = LoginDialog(staffed.engine, "王五")
    qtbot.addWidget(dialog)
    dialog.password_edit.setText("not-it-123")
    dialog.accept()
    assert dialog.account is None and "账户名或密码不正确" in dialog.error.text() and not dialog.password_edit.text()
    dialog.password_edit.setText(VIEWER_PW)
    dialog.accept()
    assert dialog.account.name == "王五" and dialog.account.role == "查看" and dialog.result() == 1


def test_startup_asks_for_a_login_once_accounts_exist(staffed, unit, monkeypatch):
    from fazhi_desktop.gui.dialogs import login
    from fazhi_desktop.gui.shell.app import Startup
    from fazhi_desktop.services import actor

    offered = []

    def fake_exec(dialog):
        offered.append(dialog.name_edit.text())
        if not dialog.name_edit.text():
            dialog.name_edit.setText("王五")
        dialog.password_edit.setText(VIEWER_PW)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(login.LoginDialog, "exec", fake_exec)
    start = Startup.__new__(Startup)
    start.db, start.account = staffed, None
    try:
        assert start.log_in("Administrator") == "王五"
        session = start.session(unit, "系统用户")
        assert session.account == session.actor == "王五"
        # #31.8: the computer's login name is not offered (a first try that fails counts towards the lockout);
        # the account that last logged in here is
        assert start.log_in("Administrator") == "王五"
        assert offered == ["", "王五"]
    finally:
        actor.act_as(None)
    monkeypatch.setattr(login.LoginDialog, "exec", lambda dialog: 0)  # 退出程序
    assert Startup.log_in(start, "王五") is None


def test_a_viewer_session_is_refused_by_the_services(staffed, unit, qtbot, tmp_path):
    from fazhi_desktop.domain.errors import AccessDenied
    from fazhi_desktop.gui.shell.session import Session

    session = Session(staffed, unit, "系统用户", 2023, account="王五")
    with pytest.raises(AccessDenied, match="查看"):
        session.records().create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"})


def test_idle_lock_hides_the_records_and_asks_for_the_password(staffed, unit, qtbot, tmp_path, monkeypatch):
    from fazhi_desktop.gui.dialogs import login
    from fazhi_desktop.gui.shell.main_window import MainWindow
    from fazhi_desktop.gui.shell.session import Session

    asked = []

    def fake_exec(dialog):
        asked.append((dialog.windowTitle(), dialog.name_edit.text(), dialog.name_edit.isReadOnly(),
                      win.centralWidget().isVisible()))
        dialog.password_edit.setText(ADMIN_PW)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(login.LoginDialog, "exec", fake_exec)
    win = MainWindow(Session(staffed, unit, "x", 2023, account="张主任"),
                     QSettings(str(tmp_path / "g.ini"), QSettings.Format.IniFormat), backup_on_exit=False)
    win.show()
    try:
        lock = win.idle_lock
        assert lock is not None and lock.minutes == login.DEFAULT_IDLE_MINUTES and win.password_action.isVisible()
        now = [1000.0]
        lock.clock, lock.last = (lambda: now[0]), now[0]
        now[0] += 9 * 60
        lock.check()
        assert not asked  # 9 minutes: still open
        qtbot.keyClick(win, "a")  # a key press counts as being there
        now[0] += 9 * 60
        lock.check()
        assert not asked
        now[0] += 2 * 60  # 11 minutes since the key
        lock.check()
        assert asked == [("已锁定 — 请输入密码", "张主任", True, False)]  # the records hidden behind it
        assert win.centralWidget().isVisible() and win.isVisible()  # unlocked
    finally:
        win.idle_lock.stop()
        win.close()
        win.deleteLater()


def test_change_password_dialog(staffed, qtbot):
    from fazhi_desktop.gui.dialogs.login import PasswordDialog

    dialog = PasswordDialog(staffed.engine, "王五")
    qtbot.addWidget(dialog)
    dialog.old_edit.setText(VIEWER_PW)
    dialog.new_edit.setText("brand-new-77")
    dialog.again_edit.setText("brand-new-78")
    dialog.accept()
    assert "不一致" in dialog.error.text()
    dialog.again_edit.setText("brand-new-77")
    dialog.accept()
    assert dialog.result() == 1
    assert accounts.login(staffed.engine, "王五", "brand-new-77").name == "王五"


def test_a_viewer_is_not_offered_the_write_buttons(staffed, unit, qtbot, tmp_path):
    from fazhi_desktop.gui.shell.main_window import MainWindow
    from fazhi_desktop.gui.shell.session import Session

    for account, shown in (("王五", False), ("张主任", True)):
        win = MainWindow(Session(staffed, unit, "x", 2023, account=account),
                         QSettings(str(tmp_path / f"{account}.ini"), QSettings.Format.IniFormat), backup_on_exit=False)
        win.show()
        try:
            page = win.select_ledger("meeting")
            assert page.new_button.isVisible() is shown and page.save_button.isVisible() is shown
            assert page.delete_button.isVisible() is shown
        finally:
            win.idle_lock.stop()
            win.close()
            win.deleteLater()


def test_an_admin_reveals_a_number_in_the_form_and_it_is_logged(window, svc, unit, qtbot):
    import sqlalchemy as sa

    from fazhi_desktop.storage.schema import audit_log

    rid = svc.create("legal_talent", {"year": 2023, "name": "张三", "village": "东村", "category": "法律明白人",
                                      "id_number": "11010519491231002X", "phone": "13912345678"}).id
    page = window.select_ledger("legal_talent")
    page.reload()
    page.show_record(rid)
    assert page.form.editors["id_number"].widget.text() == "110105********002X"
    assert page.reveal_button.isVisible()
    page.reveal_numbers()  # no accounts: the one user of the PC is its 管理员
    assert page.form.editors["id_number"].widget.text() == "11010519491231002X"
    assert page.form.editors["phone"].widget.text() == "13912345678"
    with window.session.db.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).where(audit_log.c.action == "reveal")).scalar() == 2


def test_accounts_are_managed_in_the_gui_and_the_first_one_logs_the_clerk_in(window, qtbot, answer, monkeypatch):
    from fazhi_desktop.gui.dialogs import accounts_dialog
    from fazhi_desktop.gui.dialogs.accounts_dialog import AccountsDialog, NewAccountDialog
    from fazhi_desktop.services import actor

    shown = []
    monkeypatch.setattr(accounts_dialog, "show_user_error", lambda parent, text: shown.append(text))
    first = NewAccountDialog(True)
    qtbot.addWidget(first)
    assert [first.role_combo.itemText(i) for i in range(first.role_combo.count())] == ["管理员"]
    dialog = AccountsDialog(window.session, window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0 and "还没有账户" in dialog.summary.text()
    try:
        dialog.add_account(("张主任", "管理员", ADMIN_PW))
        assert window.session.account == window.session.actor == actor.default_actor() == "张主任"
        assert window.idle_lock is not None and window.password_action.isVisible()
        dialog.add_account(("李四", "录入员", "short"))
        assert shown and "至少8位" in shown[-1]
        dialog.add_account(("李四", "录入员", "clerk-2024b"))
        assert [dialog.table.item(r, 1).text() for r in range(2)] == ["管理员", "录入员"]
        dialog.table.selectRow(1)
        dialog.disable_selected()
        assert "停用账户「李四」" in answer.questions[-1] and dialog.table.item(1, 2).text() == "已停用"
        dialog.table.selectRow(0)
        dialog.disable_selected()  # the only 管理员 stays
        assert "唯一" in shown[-1] and dialog.table.item(0, 2).text() == "在用"
        # the services took the new login: the clerk's next save is signed 张主任 and allowed
        window.session.records().create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"})
    finally:
        actor.act_as(None)
        window.idle_lock.stop()


def test_the_new_account_button_makes_an_account_when_clicked(window, qtbot):
    """#31.1: the button's clicked(bool) reached the slot as its ``values`` and every click ended in 程序出错."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from fazhi_desktop.gui.dialogs.accounts_dialog import AccountsDialog, NewAccountDialog
    from fazhi_desktop.services import actor
    from tests.gui.guikit import when_modal

    dialog = AccountsDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    typed = []

    def type_into_the_new_account_dialog(new):
        new.name_edit.setText("张主任")
        new.password_edit.setText(ADMIN_PW)
        new.again_edit.setText(ADMIN_PW)
        ok = new.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        typed.append(True)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    when_modal(NewAccountDialog, type_into_the_new_account_dialog)
    try:
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        assert typed
        assert dialog.table.rowCount() == 1 and dialog.table.item(0, 0).text() == "张主任"
        assert window.session.account == "张主任"
    finally:
        actor.act_as(None)
        if window.idle_lock is not None:
            window.idle_lock.stop()


def test_quitting_from_the_lock_and_cancelling_the_unsaved_prompt_locks_again(staffed, unit, qtbot, tmp_path,
                                                                              monkeypatch):
    """#31.2: 退出程序 → 「尚未保存」 → 取消 left the program open and unlocked."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox, QPushButton

    from fazhi_desktop.gui.dialogs.login import LoginDialog
    from fazhi_desktop.gui.shell import dialogs
    from fazhi_desktop.gui.shell.main_window import MainWindow
    from fazhi_desktop.gui.shell.session import Session
    from tests.gui.guikit import when_modal

    prompts = []
    monkeypatch.setattr(dialogs, "ask_unsaved", lambda parent, what: prompts.append(what) or dialogs.CANCEL)
    win = MainWindow(Session(staffed, unit, "x", 2023, account="张主任"),
                     QSettings(str(tmp_path / "g.ini"), QSettings.Format.IniFormat), backup_on_exit=False)
    win.show()
    page = win.select_ledger("meeting")
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    from tests.gui.guikit import type_chinese

    type_chinese(qtbot, page.form.editors["title"].widget, "半截的会议")  # typed, not saved
    assert page.form.dirty
    seen = []

    def answer_the_lock(dialog):
        seen.append(win.centralWidget().isVisible())
        box = dialog.findChild(QDialogButtonBox)
        if len(seen) == 1:  # the first time: 退出程序
            quit_button = next(b for b in box.findChildren(QPushButton) if b.text() == "退出程序")
            when_modal(LoginDialog, answer_the_lock)
            qtbot.mouseClick(quit_button, Qt.MouseButton.LeftButton)
        else:  # the lock is back: the password
            dialog.password_edit.setText(ADMIN_PW)
            unlock = next(b for b in box.findChildren(QPushButton) if b.text() == "解锁")
            qtbot.mouseClick(unlock, Qt.MouseButton.LeftButton)

    try:
        lock = win.idle_lock
        now = [1000.0]
        lock.clock, lock.last = (lambda: now[0]), now[0]
        now[0] += 11 * 60
        when_modal(LoginDialog, answer_the_lock)
        lock.timer.timeout.emit()  # the lock's own timer fires after 11 idle minutes
        assert prompts, "退出程序 asked about the unsaved record"
        assert seen == [False, False], "the lock came back, the records hidden behind it, until the password"
        assert win.isVisible() and win.centralWidget().isVisible() and page.form.dirty
    finally:
        win.idle_lock.stop()
        page.form.dirty = False
        win.close()
        win.deleteLater()
