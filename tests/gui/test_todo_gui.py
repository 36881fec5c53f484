"""待办 on the overview (#20 point 1): each open deadline with days left, overdue ones in red, a double-click opens
the record it is about."""

from __future__ import annotations


def test_the_overview_lists_open_deadlines_and_opens_their_records(window, svc, qtbot):
    rid = svc.create("review_litigation", {"date": "2023-05-01", "kind": "行政诉讼", "applicant": "张三",
                                           "act": "处罚决定", "served_on": "2023-05-04"}).id
    svc.create("review_litigation", {"date": "2023-06-01", "kind": "行政复议", "applicant": "李四", "act": "责令改正",
                                     "served_on": "2023-06-02", "answered_on": "2023-06-08"})
    svc.create("rectification", {"source": "上级督察", "assigned_on": "2023-02-01", "problem": "台账不全",
                                 "measures": "补齐", "department": "党政办", "deadline": "2023-06-30", "status": "整改中"})
    overview = window.overview
    window.ui.tabs.setCurrentWidget(window.ui.tabs.widget(0))
    overview.mark_stale()
    qtbot.waitUntil(lambda: not overview.busy and overview.todo_table.rowCount() > 0, timeout=10000)
    rows = {overview.todo_table.item(r, 3).text(): r for r in range(overview.todo_table.rowCount())}
    assert not any("李四" in what for what in rows)  # answered: done, not listed
    row = next(r for what, r in rows.items() if "张三" in what)
    state = overview.todo_table.item(row, 0)
    assert state.text() == "已逾期" and state.foreground().color().name() == "#c0392b"
    assert overview.todo_table.item(row, 1).text() == "2023-05-19"
    assert overview.todo_table.item(row, 2).text().startswith("超过")
    fix = next(r for what, r in rows.items() if "台账不全" in what)  # an overdue 整改 item, in red too
    assert overview.todo_table.item(fix, 0).text() == "已逾期"
    assert overview.todo_table.item(fix, 3).foreground().color().name() == "#c0392b"
    overview.todo_table.itemActivated.emit(state)
    page = window.select_ledger("review_litigation")
    assert page.current_id == rid and page.isVisible()


def test_the_deadline_settings_are_edited_in_settings_and_checked(window, qtbot, monkeypatch):
    from types import SimpleNamespace

    from fazhi_desktop.gui.dialogs.settings_dialog import SettingsDialog

    from .test_window import fill

    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    assert dialog.ui.tabs.tabText(dialog.ui.tabs.indexOf(dialog.todo_page)) == "待办期限"
    form = dialog.todo_form
    assert form.values()["review_days"] == 15 and form.values()["dispute_days"] == 7  # the defaults shown
    page = SimpleNamespace(form=form)  # fill() types into a page's form
    fill(page, holidays="2023-10-02\n十月三日", report_due="3月15日")
    dialog.accept()
    assert "todo" not in window.session.unit.settings
    assert dialog.ui.tabs.currentWidget() is dialog.todo_page  # the mistake is shown, not the last tab
    assert "不是日期" in form.problem_text("holidays") and "月-日" in form.problem_text("report_due")
    fill(page, holidays="2023-10-02\n2023-10-03", report_due="03-15", dispute_days=3)
    dialog.accept()
    saved = window.session.unit.settings["todo"]
    assert saved["holidays"] == ["2023-10-02", "2023-10-03"] and saved["report_due"] == "03-15"
    assert saved["dispute_days"] == 3


def test_the_demo_years_deadlines_on_the_overview(qtbot, tmp_path):
    """The demo (2023) on the overview: each open deadline with its days left, and the 整改 items red once their
    时限 has passed."""
    import datetime as dt

    from PySide6.QtCore import QSettings

    from fazhi_desktop.gui.shell.main_window import MainWindow
    from fazhi_desktop.gui.shell.session import Session
    from fazhi_desktop.services import todo
    from fazhi_desktop.services.demo import load_demo
    from fazhi_desktop.storage.database import open_database

    db = open_database(tmp_path / "demo.sqlite3")
    unit = load_demo(db.engine)
    win = MainWindow(Session(db, unit, "测试员", 2023), QSettings(str(tmp_path / "g.ini"), QSettings.Format.IniFormat),
                     backup_on_exit=False)
    win.show()
    try:
        overview = win.overview
        qtbot.waitUntil(lambda: not overview.busy and overview.todo_table.rowCount() > 0, timeout=10000)
        with db.engine.connect() as conn:
            items = todo.items(conn, unit, 2023)

        def table(today):
            overview._show_todo(items, today)
            t = overview.todo_table
            return {t.item(r, 3).text(): [t.item(r, c) for c in range(3)] for r in range(t.rowCount())}

        rows = table(dt.date(2024, 3, 1))
        left = {what: cells[2].text() for what, cells in rows.items()}
        assert left["2023年度法治政府建设报告向社会公开"] == "31"
        assert [v for k, v in left.items() if k.startswith("整改问题")] == ["121"] * 4
        assert left["法律顾问「赵明远」合同到期：续签或另聘"] == "305"
        assert not any("答辩状" in k or "处罚决定" in k for k in left)  # done in time: not listed
        fixes = [cells for what, cells in table(dt.date(2024, 7, 1)).items() if what.startswith("整改问题")]
        assert len(fixes) == 4 and all(c[0].text() == "已逾期" and c[2].text() == "超过1天" for c in fixes)
        assert {c[0].foreground().color().name() for c in fixes} == {"#c0392b"}
    finally:
        win.close()
        win.deleteLater()
        db.dispose()
