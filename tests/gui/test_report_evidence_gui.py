"""#34: the clerk sees what a sentence rests on. On the 年度报告 page a click in the generated text lists the records
behind the sentence under the pointer, with the fields it read; a double-click on one opens it in its ledger."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor


def _dispute(svc, unit, parties: str, status: str) -> str:
    return svc.create("dispute", {"date": "2023-05-06", "source": "排查发现", "village": unit.villages[0],
                                  "category": "土地纠纷", "parties": parties, "summary": "地界", "risk": "黄",
                                  "status": status, **({"closed_on": "2023-05-20"} if status == "调解成功" else {})}).id


def _click_at(qtbot, view, text: str) -> None:
    """A click on the first character of ``text`` in a read-only text view, where a person would put the pointer."""
    position = view.toPlainText().index(text)
    cursor = QTextCursor(view.document())
    cursor.setPosition(position + 1)
    point = view.cursorRect(cursor).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_a_clicked_sentence_lists_its_records_and_one_opens_on_a_double_click(window, svc, unit, qtbot):
    ids = {_dispute(svc, unit, "张甲与李乙", "调解成功"), _dispute(svc, unit, "王丙与赵丁", "调解成功"),
           _dispute(svc, unit, "孙戊与周己", "调处中")}
    svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"})
    tab = window.show_report_tab()
    tab.mark_stale()
    tab.refresh()
    qtbot.waitUntil(lambda: not tab.busy and bool(tab.generated), timeout=20000)
    row = next(i for i in range(tab.section_list.count())
               if tab.section_list.item(i).data(Qt.ItemDataRole.UserRole) == "disputes")
    item = tab.section_list.item(row)
    qtbot.mouseClick(tab.section_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=tab.section_list.visualItemRect(item).center())
    assert tab.generated_view.toPlainText().startswith("2023年共排查矛盾纠纷3件")
    assert tab.evidence.table.rowCount() == 0  # nothing clicked yet
    _click_at(qtbot, tab.generated_view, "调处2件")
    table = tab.evidence.table
    assert table.rowCount() == 3, tab.evidence.label.text()
    shown = {table.item(r, 1).text() for r in range(3)}
    assert shown == {"张甲与李乙", "王丙与赵丁", "孙戊与周己"}
    assert all(table.item(r, 0).text() == "矛盾纠纷排查调处台账" for r in range(3))
    assert "状态：调解成功" in " ".join(table.item(r, 3).text() for r in range(3))  # the field the sentence read
    assert "调处2件" in tab.evidence.label.text()
    # a double-click opens the record in its ledger
    target = next(r for r in range(3) if table.item(r, 1).text() == "孙戊与周己")
    cell = table.visualItemRect(table.item(target, 1)).center()
    # a person's double-click is a press and release, then the second press: Qt opens on the second
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    page = window.holders["dispute"].page
    qtbot.waitUntil(lambda: page.current_id in ids and page.isVisible(), timeout=10000)
    assert page.form.values()["parties"] == "孙戊与周己"
