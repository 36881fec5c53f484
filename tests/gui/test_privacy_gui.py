"""#21 in the GUI: 设置 → 个人信息 (idle lock, 保管期限), 到期销毁, and the 公开版's 保密审查."""

from __future__ import annotations

from types import SimpleNamespace

from .test_window import fill


def test_privacy_settings_are_edited_and_checked(window, qtbot):
    from fazhi_desktop.gui.dialogs.settings_dialog import SettingsDialog
    from fazhi_desktop.services import retention

    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    form = dialog.privacy_form
    page = SimpleNamespace(form=form)
    assert form.values()["dispute"] == "10年" and form.values()["idle_lock_minutes"] == 10  # the declared defaults
    fill(page, idle_lock_minutes="五分钟")
    dialog.accept()
    assert dialog.ui.tabs.currentWidget() is dialog.privacy_page and form.problem_text("idle_lock_minutes")
    fill(page, idle_lock_minutes="5", dispute="30年", sensitive_words="内部讨论\n未定稿")
    dialog.accept()
    unit = window.session.unit
    assert unit.settings["idle_lock_minutes"] == 5 and retention.classes_of(unit)["dispute"] == "30年"
    assert unit.settings["sensitive_words"] == ["内部讨论", "未定稿"]


def test_the_due_list_and_its_destruction(window, svc, unit, answer, qtbot):
    from fazhi_desktop.gui.dialogs.retention_dialog import RetentionDialog

    svc.create("study", {"date": "2010-04-01", "form": "党委理论学习中心组学法", "content": "宪法", "participants": 12})
    dialog = RetentionDialog(window.session, window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 0).text() == "学法台账"
    assert dialog.table.item(0, 2).text() == "2010" and dialog.table.item(0, 4).text() == "2021"
    dialog.destroy_due()
    assert "无法恢复" in answer.questions[-1]
    assert dialog.table.rowCount() == 0 and "已销毁 1 条" in dialog.summary.text()
    assert svc.count("study") == 0 and svc.count("study", deleted=True) == 0


def test_destroying_offers_to_purge_the_backups_that_still_hold_the_record(window, svc, unit, answer, qtbot):
    """M6 as a 管理员 meets it: 销毁这些记录 clicked, confirmed, then the offer for this PC's backups, accepted."""
    from PySide6.QtCore import Qt

    from fazhi_desktop.gui.dialogs.retention_dialog import RetentionDialog
    from fazhi_desktop.services import retention_backups, safety

    svc.create("study", {"date": "2010-04-01", "form": "党委理论学习中心组学法", "content": "宪法（旧）", "participants": 12})
    backup = safety.backup_now(window.session.db, "manual")
    dialog = RetentionDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.destroy_button, Qt.MouseButton.LeftButton)
    assert "无法恢复" in answer.questions[0]
    assert "本机还有 1 份备份含有已销毁的记录" in answer.questions[1]
    qtbot.waitUntil(lambda: "已从 1 份本机备份中清除" in dialog.summary.text(), timeout=10000)
    assert "已销毁 1 条" in dialog.summary.text()
    assert "宪法（旧）".encode() not in backup.read_bytes()
    assert retention_backups.holding(window.session.db) == []


def test_the_public_version_asks_about_each_hit(window, svc, unit, qtbot, monkeypatch, tmp_path):
    from pypdf import PdfReader

    from fazhi_desktop.gui.report import public_check
    from fazhi_desktop.services import reports_text

    svc.create("dispute", {"date": "2023-05-06", "source": "排查发现", "village": unit.villages[0],
                           "category": "邻里关系", "parties": "赵大宝与钱二", "summary": "排水", "risk": "绿",
                           "status": "调处中"})
    with window.session.db.engine.begin() as conn:
        reports_text.save_report_text(conn, unit, 2023, {"doc_date": "2024-03-20",
                                                         "problems": ["赵大宝反映的排水问题尚未彻底解决"]}, "测试员")
    seen = []

    def first_time(dialog):  # the clerk accepts nothing: the PDF is not written
        seen.append([(h.kind, h.text) for h in dialog.hits])
        return 0

    monkeypatch.setattr(public_check.PublicCheckDialog, "exec", first_time)
    tab = window.show_report_tab()
    out = tmp_path / "公开版.pdf"
    tab.generate_public(str(out))
    assert seen == [[("当事人或村民姓名", "赵大宝")]] and not out.exists()

    def accept_all(dialog):
        dialog.set_accepted(0)
        return 1

    monkeypatch.setattr(public_check.PublicCheckDialog, "exec", accept_all)
    monkeypatch.setattr(type(tab), "_generated", lambda self, result: seen.append(result))
    tab.generate_public(str(out))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=20000)
    assert out.exists() and "赵大宝" in "".join(p.extract_text() for p in PdfReader(out).pages).replace("\n", "")
    assert window.session.unit.settings["public_accepted"] == {"2023": ["赵大宝"]}


def test_the_archive_numbers_parts_are_typed_in_settings_and_file_the_binder(window, db, qtbot):
    """#37: 全宗号 and 机构（问题）代码 typed beside the 保管期限, saved with 确定, and the binder's 档号 built from them."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from fazhi_desktop.gui.dialogs.settings_dialog import SettingsDialog
    from fazhi_desktop.reports.render.binder_pdf import gather

    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    fill(SimpleNamespace(form=dialog.privacy_form), fonds="Z109", org_code="FZ")
    qtbot.mouseClick(dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    unit = window.session.unit
    assert unit.settings["archive"] == {"fonds": "Z109", "org_code": "FZ"}
    with db.engine.connect() as conn:
        binder = gather(conn, unit, 2023)
    assert (binder.fonds, binder.org_code) == ("Z109", "FZ")
