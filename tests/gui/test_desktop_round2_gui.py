"""Desktop round 2 (#25): the pages and dialogs fit a 1366×768 laptop at 125%, 报告体检 reads as a ranked list and
printing with open items asks once."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from .guikit import checked_import, fill_wizard

# 1366×768 at 125% is 1093×614 logical pixels; less a 40 px taskbar (32 at 125%) and a window frame with its title
# bar (≈ 32), a page may ask for 1093 − 16 by 614 − 32 − 32.
AT_125 = (1093 - 16, 614 - 32 - 32)
AT_100 = (1366 - 16, 768 - 40 - 32)  # 100% with a 40 px taskbar


def fits(widget, limit) -> bool:
    hint = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    return hint.width() <= limit[0] and hint.height() <= limit[1]


def test_1_every_tab_fits_the_screen_at_125_percent(window, qtbot):
    tabs = window.ui.tabs
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        qtbot.wait(10)
        for limit in (AT_125, AT_100):
            assert fits(window, limit), (tabs.tabText(i), window.minimumSizeHint(), limit)
    report = window.show_report_tab()
    qtbot.waitUntil(lambda: not report.busy, timeout=10000)
    assert fits(window, AT_125), window.minimumSizeHint()  # with its findings and sections filled in
    for button in (report.save_button, report.preview_button, report.pdf_button, report.docx_button,
                   report.tables_button):
        assert button.isVisible()


def test_1_every_dialog_fits_the_screen_at_125_percent(window, qtbot):
    from fazhi_desktop.gui.dialogs.backup_dialog import BackupDialog
    from fazhi_desktop.gui.dialogs.export_dialog import ExportDialog
    from fazhi_desktop.gui.dialogs.import_dialog import ImportDialog
    from fazhi_desktop.gui.dialogs.settings_dialog import SettingsDialog
    from fazhi_desktop.gui.dialogs.wizard import FirstRunWizard
    from fazhi_desktop.gui.report.template_dialog import TemplateDialog
    from fazhi_desktop.services.context import Context

    dialogs = [BackupDialog(window.session, window), ImportDialog(window.session, window),
               ExportDialog(window.session, window),
               SettingsDialog(window.session, window), TemplateDialog(window.session, "三段式", window),
               FirstRunWizard(Context(window.session.db, None, "测试员"))]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        for limit in (AT_125, AT_100):
            assert fits(dialog, limit), (type(dialog).__name__, dialog.minimumSizeHint(), limit)


def test_9_findings_wrap_whole_and_the_most_important_come_first(window, db, unit, svc, qtbot):
    import datetime as dt

    from fazhi_desktop.reports import readiness
    from fazhi_desktop.services import reports_text

    svc.create("rectification", {"source": "上级督察", "assigned_on": dt.date(2023, 2, 1), "problem": "台账不全",
                                 "measures": "补齐", "department": "党政办", "deadline": dt.date(2023, 6, 30),
                                 "status": "整改中"})
    with db.engine.begin() as conn:
        reports_text.save_report_text(conn, unit, 2023, {"doc_date": dt.date(2026, 1, 5)}, "测试员")
    tab = window.show_report_tab()
    tab.mark_stale()
    tab.refresh()
    qtbot.waitUntil(lambda: not tab.busy and bool(tab.findings), timeout=10000)
    ranks = [readiness.rank(f) for f in tab.findings]
    assert ranks == sorted(ranks) and ranks[0] == 0 and 1 in ranks and 2 in ranks, ranks
    assert "成文日期" in tab.findings[0].message  # a date two years on is printed wrong: first
    assert tab.check_list.wordWrap() and tab.check_list.item(0).text() == tab.findings[0].message


def test_9_printing_with_open_findings_asks_once(window, svc, qtbot, tmp_path, monkeypatch, answer):
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    tab = window.show_report_tab()
    qtbot.waitUntil(lambda: not tab.busy and bool(tab.findings), timeout=10000)
    answer(QMessageBox.StandardButton.No)
    tab.generate("pdf", str(tmp_path / "a.pdf"))
    assert len(answer.questions) == 1 and f"{len(tab.findings)} 项" in answer.questions[0]
    assert not tab.busy and not (tmp_path / "a.pdf").exists() and "未生成" in tab.status.text()
    answer(QMessageBox.StandardButton.Yes)
    tab.generate("pdf", str(tmp_path / "b.pdf"))
    qtbot.waitUntil(lambda: not tab.busy and (tmp_path / "b.pdf").exists(), timeout=20000)
    tab.generate("docx", str(tmp_path / "c.docx"))  # the same items: not asked again
    qtbot.waitUntil(lambda: not tab.busy and (tmp_path / "c.docx").exists(), timeout=20000)
    assert len(answer.questions) == 2


@pytest.mark.parametrize("kind", ["tables"])
def test_9_the_tables_are_not_held_back_by_report_findings(window, qtbot, tmp_path, monkeypatch, answer, kind):
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    tab = window.show_report_tab()
    qtbot.waitUntil(lambda: not tab.busy and bool(tab.findings), timeout=10000)
    tab.generate("xlsx", str(tmp_path / "t.xlsx"))
    qtbot.waitUntil(lambda: not tab.busy and (tmp_path / "t.xlsx").exists(), timeout=20000)
    assert answer.questions == []


def test_7_an_unusual_count_is_asked_about_before_it_is_saved(window, svc, qtbot, answer):
    from .test_window import fill, page_of

    page = page_of(window, "meeting")
    page.new_record()
    fill(page, date="2023-03-01", kind="法治建设专题会议", title="专题会", attendees=99999)
    answer(QMessageBox.StandardButton.No)
    assert not page.save()
    assert answer.questions and "参会人数" in answer.questions[-1] and "99999" in answer.questions[-1]
    assert svc.count("meeting", 2023) == 0 and "参会人数" in page.notice_label.text()
    answer(QMessageBox.StandardButton.Yes)
    assert page.save() and svc.count("meeting", 2023) == 1
    # an ordinary count is not asked about
    page.new_record()
    fill(page, date="2023-04-01", kind="法治建设专题会议", title="第二次", attendees=35)
    asked = len(answer.questions)
    assert page.save() and len(answer.questions) == asked


def test_6_a_failed_save_names_the_field_and_brings_it_into_view(window, qtbot):
    from .test_window import fill, page_of

    page = page_of(window, "dispute")
    page.new_record()
    fill(page, date="2023-03-01", source="排查发现")  # 所在村, 纠纷类别 … missing
    assert not page.save()
    text = page.notice_label.text()
    assert "未保存：" in text and "「当事人」" in text, text
    focused = window.focusWidget() if window.isActiveWindow() else None
    first_bad = next(e for e in page.form.editors.values() if not e.error.isHidden())
    assert focused in (None, first_bad.widget)


def test_8_the_clerk_gives_her_name_and_it_signs_the_change_log(window, db, unit, qtbot):
    from fazhi_desktop.gui.dialogs.settings_dialog import SettingsDialog
    from fazhi_desktop.services import audit, local

    from .test_window import fill, page_of

    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    assert "登录名" in dialog.clerk_edit.placeholderText()
    dialog.clerk_edit.setText("王小红")
    dialog.accept()
    assert local.clerk(db) == "王小红" and window.session.actor == "王小红"
    page = page_of(window, "meeting")
    page.new_record()
    fill(page, date="2023-03-01", kind="法治建设专题会议", title="专题会")
    assert page.save()
    with db.engine.connect() as conn:
        entries = audit.history(conn, page.current_id)
    assert entries and entries[-1]["actor"] == "王小红"
    # kept on this PC for the next start; cleared, the login signs again
    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    assert dialog.clerk_edit.text() == "王小红"
    dialog.clerk_edit.setText("")
    dialog.accept()
    assert local.clerk(db) is None and window.session.actor != "王小红"


def test_8_the_first_run_wizard_asks_for_the_name_too(qtbot, tmp_path):
    from fazhi_desktop.gui.dialogs.wizard import FirstRunWizard
    from fazhi_desktop.services import audit, local
    from fazhi_desktop.services.context import Context
    from fazhi_desktop.storage.database import open_database

    db = open_database(tmp_path / "new.sqlite3")
    wizard = FirstRunWizard(Context(db, None, "Administrator"))
    qtbot.addWidget(wizard)
    fill_wizard(wizard, "中共新镇委员会", "甲村\n乙村")
    wizard.page.clerk_edit.setText("李明")
    assert wizard.page.validatePage()
    assert local.clerk(db) == "李明"
    with db.engine.connect() as conn:
        assert {e["actor"] for e in audit.recent(conn)} == {"李明"}
    db.dispose()


def test_6_enter_on_the_multi_select_moves_to_the_next_field(window, qtbot):
    from PySide6.QtCore import Qt

    from .test_window import page_of

    page = page_of(window, "publicity")
    page.new_record()
    window.activateWindow()
    multi = next(e for e in page.form.editors.values() if e.field.kind.name == "multichoice")
    multi.focus.setFocus()
    qtbot.waitUntil(multi.focus.hasFocus, timeout=5000)
    qtbot.keyClick(multi.focus, Qt.Key.Key_Return)
    assert not multi.focus.hasFocus() and page.form.focusWidget() is not None


def test_6_a_year_switch_does_not_keep_the_other_years_record(window, svc, qtbot):
    from .test_window import page_of

    record = svc.create("meeting", {"date": "2023-03-01", "kind": "其他", "title": "二〇二三年的会"}).id
    page = page_of(window, "meeting")
    page.reload()
    page.load(record)
    assert page.current_id == record and page.delete_button.isEnabled()
    window.session.set_year(2024)
    assert page.current_id is None and not page.delete_button.isEnabled()
    assert page.form.values()["title"] in (None, "")
    window.session.set_year(2023)
    page.load(record)
    assert page.form.values()["title"] == "二〇二三年的会"


def test_10_last_year_without_records_shows_a_dash_and_rates_change_in_points(window, svc, qtbot):
    import datetime as dt

    def dispute(day, status):
        svc.create("dispute", {"date": day, "source": "排查发现", "village": window.session.unit.villages[0],
                               "category": "土地纠纷", "parties": "甲与乙", "summary": "地界", "risk": "绿",
                               "status": status, "closed_on": day + dt.timedelta(days=10)})

    dispute(dt.date(2023, 3, 1), "调解成功")
    overview = window.overview
    overview.refresh()
    qtbot.waitUntil(lambda: not overview.busy and overview.shown_year == 2023, timeout=5000)
    table = overview.table
    assert {table.item(r, 3).text() for r in range(table.rowCount())} == {"—"}  # 2022: nothing recorded
    dispute(dt.date(2022, 3, 1), "调解成功")
    dispute(dt.date(2022, 4, 1), "调解不成")
    overview.mark_stale()
    overview.refresh()
    qtbot.waitUntil(lambda: not overview.busy and overview.previous is not None, timeout=5000)
    rows = {table.item(r, 1).text(): r for r in range(table.rowCount())}
    rate_rows = [r for label, r in rows.items() if "率" in label and table.item(r, 4).text() != "—"]
    assert rate_rows and all(table.item(r, 4).text().endswith("个百分点") for r in rate_rows)
    assert any(table.item(r, 4).text() == "+50.0个百分点" for r in rate_rows)  # 100% against 50%


def test_10_the_year_box_is_newest_first_and_offers_next_year(window, qtbot):
    import datetime as dt

    combo = window.ui.yearCombo
    years = [combo.itemData(i) for i in range(combo.count())]
    assert years == sorted(years, reverse=True) and dt.date.today().year + 1 in years
    window.select_year(2015)  # a record saved into an old year: the box takes the year in its place
    years = [combo.itemData(i) for i in range(combo.count())]
    assert years == sorted(years, reverse=True) and window.session.year == 2015


def test_10_preview_files_are_removed_when_the_window_closes(window, svc, qtbot):
    svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"})
    tab = window.show_report_tab()
    qtbot.waitUntil(lambda: not tab.busy, timeout=5000)
    tab.preview()
    qtbot.waitUntil(lambda: not tab.busy and hasattr(tab, "preview_dialog"), timeout=20000)
    pdf = tab.preview_dialog.pdf
    assert pdf.exists()
    tab.preview_dialog.close()
    window.close()
    assert not pdf.exists() and not pdf.parent.exists()


def test_10_the_import_dialog_opens_on_the_first_sheet_with_rows(window, qtbot, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    empty = wb.active
    empty.title = "会议台账"
    empty.append(["记录编号", "日期*", "会议类型*", "会议名称/议题*"])  # a template's sheet left empty
    ws = wb.create_sheet("制度文件台账")
    from fazhi_desktop.domain.ledgers import ledger
    from fazhi_desktop.exchange.layout import header_label

    fields = ledger("document").fields
    ws.append(["记录编号", *(header_label(f) for f in fields)])
    values = {"date": "2023-03-01", "title": "依法治镇实施方案", "kind": "实施方案"}
    ws.append([None, *(values.get(f.key) for f in fields)])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    dialog = checked_import(window, qtbot, path)
    assert dialog.problem_table.rowCount() == 0, [dialog.problem_table.item(0, c).text() for c in range(4)]
    assert dialog.sheets.currentRow() == 1 and dialog.preview.rowCount() == 1


def test_5_the_template_editor_shows_text_and_names_and_asks_before_throwing_edits_away(window, qtbot, answer):
    from PySide6.QtCore import Qt

    from fazhi_desktop.gui.report.template_dialog import TemplateDialog

    dialog = TemplateDialog(window.session, "三段式", window)
    qtbot.addWidget(dialog)
    dialog.show()
    shown = dialog.editor.toPlainText()
    assert "{%" not in shown and "{{" not in shown  # no template code
    # no developer's English anywhere a clerk reads in the dialog
    from PySide6.QtWidgets import QLabel

    visible = shown + "".join(label.text() for label in dialog.findChildren(QLabel))
    assert not any("a" <= ch.lower() <= "z" for ch in visible), visible
    # a name from the list goes in at the cursor, in braces
    dialog.editor.moveCursor(dialog.editor.textCursor().MoveOperation.End)
    item = next(dialog.names.item(i) for i in range(dialog.names.count())
                if dialog.names.item(i).text() == "法治建设专题会议")
    dialog.names.itemActivated.emit(item)
    assert dialog.editor.toPlainText().endswith("{法治建设专题会议}")
    # 取消 with edits asks; answering 否 keeps the dialog and the text
    answer(QMessageBox.StandardButton.No)
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert answer.questions and "尚未保存" in answer.questions[-1] and dialog.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc asks too
    assert len(answer.questions) == 2 and dialog.isVisible()
    answer(QMessageBox.StandardButton.Yes)
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert not dialog.isVisible()
    # without edits nothing is asked
    untouched = TemplateDialog(window.session, "三段式", window)
    qtbot.addWidget(untouched)
    untouched.show()
    untouched.buttons.button(untouched.buttons.StandardButton.Cancel).click()
    assert len(answer.questions) == 3 and not untouched.isVisible()


def test_5_a_template_kept_in_the_old_syntax_is_not_shown_as_code(window, qtbot):
    """A unit's template in Jinja (an earlier version's, or a restored backup's) opens as the shipped outline, with a
    note that saving replaces it."""
    from PySide6.QtWidgets import QLabel

    from fazhi_desktop.gui.report.template_dialog import TemplateDialog
    from fazhi_desktop.gui.shell import ops
    from fazhi_desktop.reports.content.builder import shipped_outline
    from fazhi_desktop.services import units

    ops.call_write(window, window.session, "…", lambda ctx: units.set_template(ctx, "三段式", "# 一、甲\n{{ parts.org }}\n"))
    assert "{{" in window.session.unit.settings["templates"]["三段式"]
    dialog = TemplateDialog(window.session, "三段式", window)
    qtbot.addWidget(dialog)
    assert dialog.editor.toPlainText() == shipped_outline("三段式")
    assert any("旧版程序的写法" in label.text() for label in dialog.findChildren(QLabel))


def _selected_ids(page) -> list[str]:
    from fazhi_desktop.gui.ledger.table_model import IdRole

    return [index.data(IdRole) for index in page.view.selectionModel().selectedRows()]


def test_10_the_shown_record_stays_selected_after_save_and_after_a_jump(window, svc, qtbot):
    import datetime as dt

    from .test_window import fill, page_of

    for day in range(1, 30):
        svc.create("meeting", {"date": dt.date(2023, 3, day), "kind": "其他", "title": f"会议{day}"})
    page = page_of(window, "meeting")
    page.reload()
    page.new_record()
    fill(page, date="2023-05-06", kind="其他", title="新会议")
    assert page.save()
    qtbot.wait(50)
    assert page.current_id and _selected_ids(page) == [page.current_id]
    view_row = page.model.row_of(page.current_id)
    assert page.view.currentIndex().row() == view_row
    # edit, save again: still selected
    fill(page, title="新会议（改）")
    assert page.save()
    qtbot.wait(50)
    assert _selected_ids(page) == [page.current_id]
    # a jump from elsewhere (报告体检) to a record far down the list selects it and scrolls it into view
    last = svc.create("meeting", {"date": dt.date(2023, 1, 2), "kind": "其他", "title": "最早的会议"}).id
    page.show_record(last)
    qtbot.wait(50)
    assert page.current_id == last and _selected_ids(page) == [last]
    rect = page.view.visualRect(page.view.currentIndex())
    assert page.view.viewport().rect().intersects(rect)


def test_10_the_calendar_of_an_empty_date_opens_in_the_year_being_entered(window, qtbot):
    import datetime as dt

    from .test_window import page_of

    page = page_of(window, "meeting")
    window.select_year(2021)
    page.new_record()
    date = page.form.editors["date"].widget
    date._sync_calendar()
    shown = date.calendar.selectedDate().toPython()
    assert shown.year == window.session.year == 2021
    assert (shown.month, shown.day) == (dt.date.today().month, min(dt.date.today().day, shown.day))
    date.set_value(dt.date(2021, 7, 9))
    date._sync_calendar()
    assert date.calendar.selectedDate().toPython() == dt.date(2021, 7, 9)


def test_10_restoring_from_the_recycle_bin_returns_to_the_list_and_says_so(window, svc, qtbot, answer):
    import datetime as dt

    from .test_window import page_of

    record = svc.create("meeting", {"date": dt.date(2023, 3, 1), "kind": "其他", "title": "误删的会议"}).id
    svc.delete("meeting", record)
    page = page_of(window, "meeting")
    page.recycle_toggle.setChecked(True)
    row = page.model.row_of(record)
    page.view.selectRow(row)
    assert page.current_id == record
    page.restore_button.click()
    assert not page.in_recycle_bin and page.form.isEnabled()
    assert page.current_id == record and _selected_ids(page) == [record]
    assert "已恢复" in page.notice_label.text()


def _ring_pixels(widget) -> int:
    from fazhi_desktop.gui.shell.style import RING_COLOR

    image = widget.grab().toImage()
    near = 0
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            if abs(c.red() - RING_COLOR.red()) + abs(c.green() - RING_COLOR.green()) \
                    + abs(c.blue() - RING_COLOR.blue()) < 60:
                near += 1
    return near


def test_10_the_focused_button_shows_a_ring_the_clerk_can_see(qtbot):
    from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QWidget

    from fazhi_desktop.gui.shell.style import FocusRingStyle

    style = FocusRingStyle()
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QHBoxLayout(holder)
    save, cancel, check = QPushButton("保存"), QPushButton("取消"), QCheckBox("统计表含完整名册")
    for w in (save, cancel, check):
        w.setStyle(style)
        layout.addWidget(w)
    holder.show()
    qtbot.waitExposed(holder)
    holder.activateWindow()
    save.setFocus()
    qtbot.waitUntil(save.hasFocus)
    perimeter = 2 * (save.width() + save.height())  # a ring all round, 2 px wide, less its rounded corners
    assert _ring_pixels(save) >= 0.75 * perimeter and _ring_pixels(cancel) < perimeter // 10
    check.setFocus()
    qtbot.waitUntil(check.hasFocus)
    assert _ring_pixels(check) >= 0.75 * 2 * (check.width() + check.height()) and _ring_pixels(save) < perimeter // 10


def test_10_file_dialogs_show_removable_drives_and_readable_names(qtbot, monkeypatch):
    import sys

    from PySide6.QtWidgets import QTreeView

    from fazhi_desktop.gui.shell import file_dialogs

    monkeypatch.setattr(sys, "platform", "linux")
    volumes = [("/", True), ("/media/clerk/KINGSTON", True), ("/run/media/clerk/U盘", True), ("/boot/efi", True),
               ("/media/clerk/光盘", False)]
    assert file_dialogs.removable_places(volumes) == ["/media/clerk/KINGSTON", "/run/media/clerk/U盘"]
    monkeypatch.setattr(file_dialogs, "removable_places", lambda volumes=None: ["/media/clerk/KINGSTON"])
    dialog = file_dialogs.make(None, "选择U盘或其他文件夹", "/")
    qtbot.addWidget(dialog)
    assert "/media/clerk/KINGSTON" in [u.toLocalFile() for u in dialog.sidebarUrls()]
    tree = dialog.findChild(QTreeView)
    name = "法治建设台账备份-肖咀镇-20240320-0930.sqlite3"
    assert tree.header().sectionSize(0) >= tree.fontMetrics().horizontalAdvance(name) + 24  # the icon's room


def test_10_the_wizard_shows_every_field_without_scrolling_and_enter_finishes(qtbot, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QScrollArea

    from fazhi_desktop.gui.dialogs.wizard import FirstRunWizard
    from fazhi_desktop.services.context import Context
    from fazhi_desktop.storage.database import open_database

    db = open_database(tmp_path / "new.sqlite3")
    wizard = FirstRunWizard(Context(db, None, "测试员"))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    assert fits(wizard, AT_125), wizard.minimumSizeHint()
    wizard.resize(wizard.minimumSizeHint())
    qtbot.wait(20)
    assert wizard.page.findChild(QScrollArea).verticalScrollBar().maximum() == 0
    fill_wizard(wizard, "中共新镇委员会", "甲村")
    wizard.page.clerk_edit.setFocus()
    qtbot.keyClick(wizard.page.clerk_edit, Qt.Key.Key_Return)  # Enter moves on from the first field …
    assert wizard.isVisible() and not wizard.page.clerk_edit.hasFocus()
    phone = wizard.page.form.editors["phone"].focus
    phone.setFocus()
    qtbot.keyClick(phone, Qt.Key.Key_Return)  # … and finishes from the last
    assert not wizard.isVisible() and wizard.unit is not None and wizard.unit.name == "新镇"
    db.dispose()


def test_10_tab_in_my_draft_moves_on(window, qtbot):
    from PySide6.QtCore import Qt

    report = window.show_report_tab()
    qtbot.waitUntil(lambda: not report.busy, timeout=10000)
    report.own_edit.setFocus()
    qtbot.keyClick(report.own_edit, Qt.Key.Key_Tab)
    assert not report.own_edit.hasFocus() and "\t" not in report.own_edit.toPlainText()


def test_10_export_offers_year_and_ledger(window, svc, qtbot, tmp_path, monkeypatch):
    from openpyxl import load_workbook
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog

    from fazhi_desktop.gui.dialogs import export_dialog
    from fazhi_desktop.gui.shell import file_dialogs

    svc.create("meeting", {"date": "2022-03-01", "kind": "其他", "title": "去年的会"})
    svc.create("meeting", {"date": "2023-03-01", "kind": "其他", "title": "今年的会"})
    svc.create("study", {"date": "2022-04-01", "form": "会前学法", "content": "宪法", "participants": 10})
    asked = {}

    def choose(dialog):
        assert dialog.year_combo.currentData() == 2023  # the year shown is offered first
        assert dialog.year_combo.itemText(0) == "全部年度" and dialog.year_combo.findData(2022) > 0
        dialog.year_combo.setCurrentIndex(dialog.year_combo.findData(2022))
        dialog.none_button.click()
        assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()  # nothing chosen: no export
        dialog.ledger_list.findItems("会议台账", Qt.MatchFlag.MatchExactly)[0].setCheckState(Qt.CheckState.Checked)
        return QDialog.DialogCode.Accepted

    out = tmp_path / "out.xlsx"
    monkeypatch.setattr(export_dialog.ExportDialog, "exec", choose)
    monkeypatch.setattr(file_dialogs, "save_file_name",
                        lambda parent, title, suggested, pattern: asked.setdefault("name", suggested) and str(out))
    window.export_ledgers()
    qtbot.waitUntil(out.exists, timeout=10000)
    qtbot.waitUntil(lambda: "已保存" in window.statusBar().currentMessage(), timeout=10000)
    assert asked["name"].endswith("2022年会议台账导出.xlsx")
    wb = load_workbook(out, read_only=True)
    assert "会议台账" in wb.sheetnames and "学法台账" not in wb.sheetnames
    titles = [row[3] for row in wb["会议台账"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert titles == ["去年的会"]


def test_a_record_saved_elsewhere_since_it_was_opened_is_not_overwritten(window, db, unit, qtbot, monkeypatch):
    """Two clerks on one server database (#19 point 4): the form's save is refused with who saved it, the form
    keeps what was typed, and nothing is written."""
    from fazhi_desktop.gui.shell import errors as gui_errors
    from fazhi_desktop.services.records import RecordService

    from .test_window import fill, page_of

    other = RecordService(db.engine, unit, "王会计")
    rid = other.create("meeting", {"date": "2023-03-01", "kind": "其他", "title": "原题"}).id
    page = page_of(window, "meeting")
    page.show_record(rid)
    other.update("meeting", rid, {"title": "王会计改的"})
    told = []
    monkeypatch.setattr(gui_errors, "show_user_error", lambda parent, msg: told.append(msg))
    fill(page, title="我改的")
    assert not page.save()
    assert told and "王会计" in told[0] and "没有保存" in told[0]
    assert other.get("meeting", rid)["title"] == "王会计改的"
    assert page.form.values()["title"] == "我改的" and page.form.dirty
