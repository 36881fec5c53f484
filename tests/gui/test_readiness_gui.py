"""报告体检 in the report tab: the list fills when the content is generated; an item jumps to the record to fix."""

from __future__ import annotations

RECT = {"source": "司法部反馈问题", "assigned_on": "2023-09-01", "problem": "执法记录不全", "measures": "配备记录仪",
        "department": "综合执法办", "deadline": "2023-11-30", "status": "整改中"}


def test_report_tab_lists_findings_and_jumps_to_the_record(window, svc, qtbot):
    rect = svc.create("rectification", RECT).id
    tab = window.show_report_tab()
    tab.refresh_content()
    qtbot.waitUntil(lambda: not tab.busy and tab.check_list.count() > 0, timeout=10000)
    assert "报告体检" in tab.check_label.text()
    row = next(i for i, f in enumerate(tab.findings) if f.record_id == rect)
    tab._go_to_finding(tab.check_list.item(row))
    page = window.pages["rectification"]
    assert window.ui.tabs.currentWidget() is not tab and page.current_id == rect
    assert page.form.values()["problem"] == "执法记录不全"
    row = next(i for i, f in enumerate(tab.findings) if f.field == "doc_date")
    window.show_report_tab()
    tab._go_to_finding(tab.check_list.item(row))
    assert tab.form.editors["doc_date"].widget.hasFocus() or window.ui.tabs.currentWidget() is not None
