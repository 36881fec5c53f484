"""Report tab, first-run wizard, settings, attachments — driven through the real widgets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtWidgets import QMessageBox
from reportkit import pdf_text

from fazhi_desktop.services.context import Context
from fazhi_desktop.services.units import get_unit, list_units
from fazhi_desktop.storage import backup_files

from .guikit import checked_import, fill_wizard

ROOT = Path(__file__).resolve().parents[2]


def test_report_tab_writes_a_pdf_through_the_worker(window, svc, qtbot, tmp_path, monkeypatch, answer):
    svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"})
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    tab = window.show_report_tab()
    qtbot.waitUntil(lambda: not tab.busy, timeout=5000)
    tab.form.editors["basis"].widget.setText("县法治办（2023）16号")
    tab.form.dirty = True
    out = tmp_path / "报告.pdf"
    tab.generate("pdf", str(out))
    assert tab.busy  # the work runs on the pool, not on the UI thread
    qtbot.waitUntil(lambda: not tab.busy and tab.last_output == out, timeout=20000)
    with pdfplumber.open(out) as pdf:
        text = pdf_text(pdf)
    assert "关于上报测试镇2023年法治政府建设工作的报告" in text
    assert "法治建设专题会议1次" in text and "县法治办〔2023〕16号" in text  # 文号 in 〔〕 (GB/T 9704)
    assert shown and str(out) in shown[0]


def test_report_tab_sections_show_generated_text_and_keep_own_text(window, db, unit, qtbot):
    from fazhi_desktop.services import reports_text

    assert window._report_tab.created is None  # nothing built until the tab is opened
    tab = window.show_report_tab()
    qtbot.waitUntil(lambda: not tab.busy and tab.section_list.count() > 0, timeout=5000)
    labels = [tab.section_list.item(i).text() for i in range(tab.section_list.count())]
    assert labels[:2] == ["开头", "组织领导"]
    tab.section_list.setCurrentRow(1)
    assert tab.generated_view.toPlainText() == ""  # nothing recorded: the item is left out of the report
    tab.own_edit.setPlainText("本单位自己写的组织领导部分。")
    assert tab.dirty and tab.save()
    with db.engine.connect() as conn:
        draft = reports_text.load_report_text(conn, unit, 2023)
    assert draft["sections"] == {"org": "本单位自己写的组织领导部分。"}


def test_first_run_wizard_creates_the_unit(qtbot, db):
    from fazhi_desktop.gui.dialogs.wizard import FirstRunWizard

    wizard = FirstRunWizard(Context(db, None, "测试员"))
    qtbot.addWidget(wizard)
    form = wizard.page.form
    fill_wizard(wizard, "中共新镇委员会", "")
    assert not wizard.page.validatePage()  # no villages yet
    assert "必填" in form.problem_text("villages")
    form.editors["villages"].widget.setPlainText("甲村\n乙村")
    assert wizard.page.validatePage()
    with db.engine.connect() as conn:
        unit = get_unit(conn, "新镇")
    assert unit.villages == ["甲村", "乙村"] and unit.addressee == "县法治办"


def test_settings_dialog_updates_unit_and_fonts(window, qtbot, tmp_path, db):
    from fazhi_desktop.gui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.unit_form.editors["villages"].widget.setPlainText("东村\n西村\n南村\n北村")
    dialog.font_edits["fangsong"].setText(str(tmp_path / "missing.ttf"))
    shown = []
    from fazhi_desktop.gui.dialogs import settings_dialog

    settings_dialog.show_user_error = lambda parent, msg: shown.append(msg)
    dialog.accept()
    assert shown and "missing.ttf" in shown[0]
    dialog.font_edits["fangsong"].setText("")
    dialog.ui.h3BoldCheck.setChecked(True)
    dialog.accept()
    with db.engine.connect() as conn:
        unit = list_units(conn)[0]
    assert unit.villages[-1] == "北村" and unit.settings["h3_bold"] is True
    assert "北村" in [window.pages["dispute"].filters["village"].itemText(i)
                     for i in range(window.pages["dispute"].filters["village"].count())]


def _meeting_with_a_photo_to_add(window, svc, photo):
    """A meeting open in its tab, and a small red PNG at ``photo`` to attach to it."""
    from PySide6.QtGui import QColor, QImage

    rid = svc.create("meeting", {"date": "2023-03-01", "kind": "其他", "title": "带照片的会"}).id
    page = window.pages["meeting"]
    page.reload()
    page.load(rid)
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    image.save(str(photo))
    return page, photo


def test_attachments_are_stored_by_hash_and_listed(window, svc, tmp_path, data_dir, qtbot):
    page, photo = _meeting_with_a_photo_to_add(window, svc, tmp_path / "现场照片.png")
    page.add_attachment([str(photo)])
    assert page.attaching  # hashed and copied on a worker: the window stays responsive
    qtbot.waitUntil(lambda: not page.attaching and page.attachment_list.count() == 1, timeout=10000)
    item = page.attachment_list.item(0)
    assert item.text() == "现场照片.png" and not item.icon().isNull()
    stored = list((data_dir / "attachments").rglob("*"))
    assert any(p.is_file() and p.read_bytes() == photo.read_bytes() for p in stored)
    assert "添加佐证材料" in page.history.toPlainText()
    # Removing it (after the confirmation) drops the file too, since no other record uses it.
    from fazhi_desktop.gui.shell import dialogs

    page.attachment_list.setCurrentRow(0)
    original_confirm = dialogs.confirm
    dialogs.confirm = lambda *a: True
    try:
        page.remove_attachment()
    finally:
        dialogs.confirm = original_confirm
    assert page.attachment_list.count() == 0
    assert not any(p.is_file() for p in (data_dir / "attachments").rglob("*"))
    assert "移除佐证材料" in page.history.toPlainText()


def test_id_numbers_are_masked_in_lists(window, svc):
    svc.create("legal_talent", {"year": 2023, "name": "张三", "village": "东村", "category": "法律明白人",
                                "id_number": "11010519491231002X"})
    page = window.pages["legal_talent"]
    page.reload()
    col = [f.key for f in page.ledger.fields].index("id_number")
    assert page.model.data(page.model.index(0, col)) == "110105********002X"  # 6+4, the one rule (#21)


def test_generated_ui_modules_are_up_to_date():
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "build_ui.py"), "--check"], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_import_dialog_previews_problems_then_imports(window, svc, qtbot, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "会议台账"
    ws.append(["记录编号", "日期*", "会议类型*", "会议名称/议题*"])
    ws.append([None, "2023-02-30", "其他", "坏日期"])
    ws.append([None, "2023-03-01", "法治建设专题会议", "好会议"])
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    dialog = checked_import(window, qtbot, bad)
    assert dialog.problem_table.rowCount() == 1
    assert [dialog.problem_table.item(0, c).text() for c in range(3)] == ["会议台账", "2", "日期"]
    assert not dialog.import_button.isEnabled() and svc.count("meeting") == 0
    ws["B2"] = "2023-02-28"
    good = tmp_path / "good.xlsx"
    wb.save(good)
    dialog.path_edit.setText(str(good))
    dialog.check()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert dialog.import_button.isEnabled() and dialog.preview.rowCount() == 2
    assert dialog.preview.item(0, 0).text() == "新增"
    dialog.show()
    dialog.do_import()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert svc.count("meeting") == 2
    # the result stays on screen until the clerk closes the dialog
    assert dialog.isVisible() and dialog.imported and "导入完成：新增 2 条" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    assert window.pages["meeting"].model.rowCount() == 2  # the window heard about the new data


def test_backup_dialog_lists_and_restores(window, svc, qtbot, answer, tmp_path):
    from fazhi_desktop.gui.dialogs.backup_dialog import BackupDialog

    svc.create("meeting", {"date": "2023-03-01", "kind": "其他", "title": "备份前"})
    dialog = BackupDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.backup_now()
    qtbot.waitUntil(lambda: not dialog.busy and not dialog.listing and dialog.table.rowCount() == 1, timeout=10000)
    assert dialog.table.item(0, 1).text() == "手动" and dialog.table.item(0, 4).text() == "1"
    assert dialog.table.item(0, 2).text() == "测试镇"  # whose data it is
    svc.create("meeting", {"date": "2023-03-02", "kind": "其他", "title": "备份后"})
    window.pages["meeting"].reload()
    assert window.pages["meeting"].model.rowCount() == 2
    dialog.table.selectRow(0)
    answer(QMessageBox.StandardButton.Yes)
    dialog.restore_selected()
    assert "替换现在的数据" in answer.questions[-1]
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)  # restored on a worker thread
    assert svc.count("meeting") == 1
    assert window.pages["meeting"].model.rowCount() == 1
    assert "另存为" in dialog.info.text()
    qtbot.waitUntil(lambda: not dialog.listing, timeout=10000)  # the list is read on a worker
    restored = dialog.items[dialog.table.currentRow()]
    assert restored.reason == "manual" and restored.records == 1  # the selection stays on the backup just used


def test_backup_to_usb_button_asks_for_a_folder(window, svc, qtbot, monkeypatch, tmp_path):
    """The button's clicked(bool) once arrived as the target folder (False): an internal error, no folder picker."""
    from PySide6.QtCore import Qt

    from fazhi_desktop.gui.dialogs.backup_dialog import BackupDialog
    from fazhi_desktop.gui.shell import file_dialogs

    svc.create("meeting", {"date": "2023-03-01", "kind": "其他", "title": "备份"})
    usb = tmp_path / "usb"
    usb.mkdir()
    asked = []
    monkeypatch.setattr(file_dialogs, "existing_folder", lambda *a, **k: asked.append(a[1]) or str(usb))
    dialog = BackupDialog(window.session, window)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.usb_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy and "已备份到" in dialog.info.text(), timeout=10000)
    assert asked == ["选择U盘或其他文件夹"]
    copies = list(usb.glob("*.sqlite3"))
    assert len(copies) == 1 and backup_files.summarize(copies[0]).records == 1
    qtbot.mouseClick(dialog.usb_button, Qt.MouseButton.LeftButton)  # a second copy the same second: a new name
    qtbot.waitUntil(lambda: not dialog.busy and len(list(usb.glob("*.sqlite3"))) == 2, timeout=10000)


def test_corrupted_database_offers_the_newest_good_backup(tmp_path, monkeypatch, data_dir, qapp):
    from fazhi_desktop.domain.errors import DatabaseCorruptError
    from fazhi_desktop.gui.shell import app as gui_app
    from fazhi_desktop.services import safety
    from fazhi_desktop.services.demo import load_demo
    from fazhi_desktop.storage.database import open_database

    path = tmp_path / "c.sqlite3"
    db = open_database(path)
    load_demo(db.engine)
    safety.backup_now(db)
    db.dispose()
    data = bytearray(path.read_bytes())
    for i in range(8192, 8192 * 4):
        data[i] = 0x55
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorruptError) as err:
        open_database(path)
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes))
    restored = gui_app.offer_restore(err.value, "测试员")
    assert restored is not None and "是否用最近的完好备份恢复" in asked[0]
    with restored.db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM meeting").scalar() == 11
    restored.close()
    assert list((data_dir / "backups").glob("c-*-safety-damaged-*.sqlite3"))


def test_report_preview_shows_the_pages(window, svc, qtbot, monkeypatch):
    svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"})
    tab = window.show_report_tab()
    qtbot.waitUntil(lambda: not tab.busy, timeout=5000)
    tab.preview()
    qtbot.waitUntil(lambda: not tab.busy and hasattr(tab, "preview_dialog"), timeout=20000)
    dialog = tab.preview_dialog
    assert dialog.labels
    pixmap = dialog.labels[0].pixmap()
    assert abs(pixmap.height() / pixmap.width() - 297 / 210) < 0.01  # A4 portrait
    image = pixmap.toImage()
    dark = sum(1 for x in range(0, image.width(), 4) for y in range(0, image.height() // 4, 4)
               if image.pixelColor(x, y).lightness() < 128)
    assert dark > 50  # the title and the first lines are there, not a blank page
    width = pixmap.width()
    dialog.zoom_in.click()
    assert dialog.labels[0].pixmap().width() > width and dialog.zoom_label.text() == "125%"
    dialog.zoom_out.click()
    dialog.zoom_out.click()
    assert dialog.labels[0].pixmap().width() < width and dialog.zoom_label.text() == "75%"
    from fazhi_desktop.gui.shell import errors as gui_errors
    from fazhi_desktop.gui.shell import files

    printed, told = [], []
    monkeypatch.setattr(files, "print_file", lambda path: printed.append(path) or False)  # no viewer here
    monkeypatch.setattr(gui_errors, "show_user_error", lambda parent, msg: told.append(msg))
    dialog.print_button.click()
    assert printed and printed[0].suffix == ".pdf" and told and "没有找到可以打开并打印" in told[0]
    dialog.close()


def template_editor(window, qtbot, monkeypatch, template: str):
    """The template dialog for ``template``, with the messages it shows collected instead of popped up."""
    from fazhi_desktop.gui.report import template_dialog
    from fazhi_desktop.gui.report.template_dialog import TemplateDialog

    errors: list[str] = []
    monkeypatch.setattr(template_dialog, "show_user_error", lambda parent, msg: errors.append(msg))
    dialog = TemplateDialog(window.session, template, window)
    qtbot.addWidget(dialog)
    return dialog, errors


def test_template_dialog_saves_checked_wording(window, qtbot, monkeypatch, answer):
    dialog, errors = template_editor(window, qtbot, monkeypatch, "三段式")
    original = dialog.editor.toPlainText()
    code = original + "\n{% for x in range(10) %}"  # template code is no longer accepted
    dialog.editor.setPlainText(code)
    dialog.save()
    assert errors and "模板未保存" in errors[0] and f"第 {len(code.splitlines())} 行" in errors[0]
    assert "模板程序写法" in errors[0]
    assert "templates" not in window.session.unit.settings
    dialog.editor.setPlainText(original.replace("三、未来的工作打算", "三、下一步工作打算"))
    dialog.save()
    qtbot.waitUntil(lambda: "templates" in window.session.unit.settings, timeout=10000)
    assert "三、下一步工作打算" in window.session.unit.settings["templates"]["三段式"]
    dialog.restore_default()
    assert answer.questions and "恢复为程序自带的模板" in answer.questions[-1]
    assert window.session.unit.settings["templates"] == {}
    assert dialog.editor.toPlainText() == original


def test_template_editor_shows_named_figures_and_points_at_the_wrong_line(window, qtbot, monkeypatch):
    dialog, errors = template_editor(window, qtbot, monkeypatch, "督察规定五项")
    shown = dialog.editor.toPlainText()
    assert "{第一责任人部分}" in shown and "parts" not in shown  # a generated section, by name
    lines = shown.splitlines()
    lines.insert(3, "全年共召开{专题会议次数}次。")  # a name that is no figure
    dialog.editor.setPlainText("\n".join(lines))
    dialog.save()
    assert errors and "第 4 行" in errors[-1] and "专题会议次数" in errors[-1]
    assert dialog.editor.textCursor().block().blockNumber() == 3  # the cursor is on the line to fix
    dialog.editor.setPlainText(shown.replace("{第一责任人部分}", "{第一责任人部分}全年召开专题会议{法治建设专题会议}次。"))
    dialog.save()
    qtbot.waitUntil(lambda: "templates" in window.session.unit.settings, timeout=10000)
    saved = window.session.unit.settings["templates"]["督察规定五项"]
    assert "{第一责任人部分}全年召开专题会议{法治建设专题会议}次。" in saved


def test_wizard_messages_never_squeeze_or_cover_fields(qtbot, db):
    """Every field wrong at once, on a small screen: each field keeps its full height, no message lies over another
    field, and a message goes once its field is corrected."""
    from PySide6.QtCore import QRect

    from fazhi_desktop.gui.dialogs.wizard import FirstRunWizard

    wizard = FirstRunWizard(Context(db, None, "测试员"))
    qtbot.addWidget(wizard)
    wizard.resize(640, 480)
    wizard.show()
    qtbot.waitExposed(wizard)
    form = wizard.page.form
    for editor in form.editors.values():
        if hasattr(editor.widget, "setPlainText"):
            editor.widget.setPlainText("")
        elif hasattr(editor.widget, "setText"):
            editor.widget.setText("")
    assert not wizard.page.validatePage()
    qtbot.wait(50)
    shown = [e for e in form.editors.values() if not e.error.isHidden()]
    assert len(shown) >= 3

    def area(widget) -> QRect:
        return QRect(widget.mapTo(form, widget.rect().topLeft()), widget.size())

    for editor in form.editors.values():
        assert editor.widget.height() >= editor.widget.minimumSizeHint().height(), editor.field.label
        for other in shown:  # its own message included: it once lay over the lower half of 落款机关's box
            assert not area(other.error).intersects(area(editor.widget)), (other.field.label, editor.field.label)
    name = form.editors["name"]
    name.widget.setText("新镇")
    name.widget.textEdited.emit("新镇")
    assert name.error.isHidden()


def test_file_dialogs_start_in_documents_then_desktop(window, qtbot, monkeypatch, tmp_path):
    """Never the program's own folder: 文档 when it exists, else 桌面, and the save dialog proposes a name there."""
    from fazhi_desktop.gui.shell import files

    home = tmp_path / "home"
    (home / "Desktop").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(home / "Documents"))
    monkeypatch.setenv("XDG_DESKTOP_DIR", str(home / "Desktop"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert files.default_folder() == str(home / "Desktop")  # no 文档 folder yet
    (home / "Documents").mkdir()
    assert files.default_folder() == str(home / "Documents")


def test_backup_dialog_closes_with_its_button(window, qtbot):
    from fazhi_desktop.gui.dialogs.backup_dialog import BackupDialog

    dialog = BackupDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.listing, timeout=10000)
    dialog.close_button.click()
    assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Rejected


def test_a_file_is_described_when_added_and_with_the_describe_button(window, svc, db, tmp_path, qtbot, monkeypatch):
    """#37: 添加… asks what the files are and who took the photo (printed in the binder's caption); 说明… changes it
    later, with a line in the record's history."""
    import sqlalchemy as sa
    from PySide6.QtCore import Qt

    from fazhi_desktop.gui.dialogs.attachment_info_dialog import AttachmentInfoDialog
    from fazhi_desktop.gui.shell import file_dialogs
    from fazhi_desktop.storage.schema import attachments

    from .guikit import type_chinese, when_modal

    page, photo = _meeting_with_a_photo_to_add(window, svc, tmp_path / "现场.png")
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(photo)])

    def describe(dialog):
        dialog.material.setFocus()
        qtbot.keyClick(dialog.material, Qt.Key.Key_Down)  # the first named material after the blank
        type_chinese(qtbot, dialog.photographer, "王摄影")
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)

    when_modal(AttachmentInfoDialog, describe)
    qtbot.mouseClick(page.add_attachment_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.attaching and page.attachment_list.count() == 1, timeout=10000)

    def stored():
        with db.engine.connect() as conn:
            return conn.execute(sa.select(attachments.c.material, attachments.c.photographer,
                                          attachments.c.background)).one()

    assert stored() == ("照片", "王摄影", None)
    assert "摄影者：王摄影" in page.attachment_list.item(0).toolTip()

    def add_background(dialog):
        assert dialog.photographer.text() == "王摄影"  # what was said before, to change
        type_chinese(qtbot, dialog.background, "县法治办到会指导")
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)

    page.attachment_list.setCurrentRow(0)
    when_modal(AttachmentInfoDialog, add_background)
    qtbot.mouseClick(page.describe_attachment_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: stored()[2] == "县法治办到会指导", timeout=5000)
    assert "背景" in page.history.toPlainText()
