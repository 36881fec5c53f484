"""The redesign step (issue #22) through the window: one list rule in the wizard, one backup policy per database,
one broadcast after every write."""

from __future__ import annotations

import datetime as dt

from fazhi_desktop.services import local, safety
from fazhi_desktop.services.context import Context
from fazhi_desktop.services.units import create_unit

from .guikit import fill_wizard


def test_the_wizard_takes_villages_and_issuers_as_its_help_says(qtbot, db):
    from fazhi_desktop.gui.dialogs.wizard import FirstRunWizard

    wizard = FirstRunWizard(Context(db, None, "测试员"))
    qtbot.addWidget(wizard)
    fill_wizard(wizard, "中共新镇委员会、新镇人民政府", "东村、西村、南村")
    assert "顿号" in wizard.page.form.editors["villages"].widget.placeholderText()
    assert wizard.page.validatePage()
    assert wizard.unit.villages == ["东村", "西村", "南村"]
    assert wizard.unit.issuers == ["中共新镇委员会", "新镇人民政府"]


def test_backup_settings_belong_to_the_database_whichever_unit_set_them(window, db, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from fazhi_desktop.gui.dialogs.settings_dialog import SettingsDialog

    with db.engine.begin() as conn:  # a second unit that sorts first (乙 < 测)
        create_unit(conn, {"name": "乙镇", "county": "某县", "addressee": "县法治办", "issuers": ["乙镇"],
                           "villages": ["东村"]}, "测试员")
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: None))
    folder = tmp_path / "本单位备份"
    folder.mkdir()
    dialog = SettingsDialog(window.session, window)  # the window shows 测试镇
    qtbot.addWidget(dialog)
    dialog.ui.backupDirEdit.setText(str(folder))
    dialog.ui.keepSpin.setValue(5)
    dialog.accept()
    assert local.policy(db) == (folder, 5)
    made = safety.backup_now(db)
    assert made.parent == folder


def test_saving_the_report_date_refreshes_the_figures_that_depend_on_it(window, svc, qtbot):
    svc.create("counsel", {"name": "甲", "firm": "县金桥律师事务所", "signed_on": "2024-01-10"})
    overview = window.overview
    overview.refresh()
    qtbot.waitUntil(lambda: not overview.busy and "counsel.count" in overview.current, timeout=10000)
    assert overview.current["counsel.count"] == 0  # 2023 ends before the contract starts
    tab = window.show_report_tab()
    tab.form.editors["doc_date"].set(dt.date(2024, 2, 1))
    tab.form.dirty = True
    assert tab.save()
    window.ui.tabs.setCurrentIndex(0)  # back on the overview: it counts again, with the report's 成文日期
    qtbot.waitUntil(lambda: not overview.busy and overview.current.get("counsel.count") == 1, timeout=10000)
