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
    assert dialog.ui.tabs.tabText(dialog.ui.tabs.count() - 1) == "待办期限"
    form = dialog.todo_form
    assert form.values()["review_days"] == 15 and form.values()["dispute_days"] == 7  # the defaults shown
    page = SimpleNamespace(form=form)  # fill() types into a page's form
    fill(page, holidays="2023-10-02\n十月三日", report_due="3月15日")
    dialog.accept()
    assert "todo" not in window.session.unit.settings
    assert "不是日期" in form.problem_text("holidays") and "月-日" in form.problem_text("report_due")
    fill(page, holidays="2023-10-02\n2023-10-03", report_due="03-15", dispute_days=3)
    dialog.accept()
    saved = window.session.unit.settings["todo"]
    assert saved["holidays"] == ["2023-10-02", "2023-10-03"] and saved["report_due"] == "03-15"
    assert saved["dispute_days"] == 3
