"""#36: a PC set up 「本机用于县级汇总」 — from the first-run wizard, no township of its own: its roster, and the
county's own window with the 县级汇总 tab, which imports packages from its file menu."""

from __future__ import annotations

import argparse

from countykit import township
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox


def _answer_roster_dialog(qtbot, county: str, townships: str, deadline: str) -> None:
    """When the roster dialog shows (modal), type into it and press 保存, as the clerk would."""
    from fazhi_desktop.gui.county.county_tab import RosterDialog

    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RosterDialog):
            QTimer.singleShot(20, answer)
            return
        dialog.county_edit.setText(county)  # QTest types Latin-1 only
        dialog.townships_edit.setPlainText(townships)
        qtbot.keyClicks(dialog.deadline_edit, deadline)
        qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)


def _shown(qtbot, db):
    """The county's window over ``db`` for 2023, its tab loaded."""
    from fazhi_desktop.gui.county.county_window import CountyWindow
    from fazhi_desktop.gui.shell.session import Session

    window = CountyWindow(Session(db, None, "县法治办", 2023))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.tab.busy and window.tab.view is not None, timeout=10000)
    return window, window.tab


def test_the_first_run_wizard_sets_up_a_county_with_no_township_of_its_own(qtbot, tmp_path, data_dir):
    from fazhi_desktop.gui.dialogs.wizard import FirstRunWizard
    from fazhi_desktop.gui.shell.app import COUNTY, Startup
    from fazhi_desktop.services import county, units
    from fazhi_desktop.services.context import Context
    from fazhi_desktop.storage.database import open_database

    db = open_database(tmp_path / "county.sqlite3")
    wizard = FirstRunWizard(Context(db, None, "县法治办"))
    qtbot.addWidget(wizard)
    wizard.show()
    _answer_roster_dialog(qtbot, "合水县", "西华街道\n太白镇\n柳树乡", "03-25")
    qtbot.mouseClick(wizard.county_button, Qt.MouseButton.LeftButton)
    assert wizard.result() == wizard.DialogCode.Accepted and wizard.unit is None
    assert wizard.county.county == "合水县" and wizard.county.names == ["西华街道", "太白镇", "柳树乡"]
    assert units.all_units(db) == []  # no placeholder township
    with db.engine.connect() as conn:
        assert county.stored_deadline(conn) == (3, 25)
    db.dispose()
    start = Startup(argparse.Namespace(db=str(tmp_path / "county.sqlite3"), db_url=None, unit=None))
    assert start.open()
    try:
        assert start.unit("县法治办") is COUNTY  # the next start opens the county's window, no wizard
    finally:
        start.close()


def test_the_countys_window_lists_its_roster_and_imports_from_its_file_menu(qtbot, tmp_path, data_dir, monkeypatch,
                                                                          boxes):
    from fazhi_desktop.exchange.package_write import write_package
    from fazhi_desktop.gui.shell import file_dialogs
    from fazhi_desktop.services import county
    from fazhi_desktop.services.context import Context
    from fazhi_desktop.services.units import get_unit
    from fazhi_desktop.storage.database import open_database

    db = open_database(tmp_path / "county.sqlite3")
    county.setup(Context(db, None, "县法治办"), "合水县", "西华街道,太白镇")
    town = township(tmp_path, "太白镇", ["东村", "西村"], 2)
    with town.engine.connect() as conn:
        made = write_package(town.engine, get_unit(conn, "太白镇"), 2023, tmp_path / "太白镇.zip").path
    town.dispose()
    window, tab = _shown(qtbot, db)
    assert window.windowTitle().endswith("合水县县级汇总") and tab.view.units == ["西华街道", "太白镇"]
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(made)])
    window.import_action.trigger()  # 文件 → 导入乡镇数据包
    qtbot.waitUntil(lambda: bool(boxes) and not tab.busy and tab.view.submissions[1].received_at is not None,
                    timeout=20000)
    table = tab.tables["报送情况"]
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["西华街道", "太白镇"]
    assert table.item(0, 1).text() in ("未报送", "逾期未报送")
    window.year_combo.setCurrentIndex(window.year_combo.findData(2022))
    qtbot.waitUntil(lambda: not tab.busy and tab.view.year == 2022, timeout=10000)
    window.close()
    db.dispose()


def test_the_county_scores_every_township_and_relinks_a_rebuilt_one_from_its_window(qtbot, tmp_path, data_dir,
                                                                                    monkeypatch, boxes):
    """按考核细则打分… writes the county workbook with its 考核汇总 sheet; 重新关联乡镇… gives a 管理员's logged leave for a
    rebuilt township's new key, and its package then merges into the township the county knows."""
    from pathlib import Path

    from openpyxl import load_workbook
    from PySide6.QtWidgets import QInputDialog

    from fazhi_desktop.exchange.package_write import write_package
    from fazhi_desktop.gui.shell import file_dialogs
    from fazhi_desktop.services import county
    from fazhi_desktop.services.context import Context
    from fazhi_desktop.services.units import all_units, get_unit
    from fazhi_desktop.storage.database import open_database

    db = open_database(tmp_path / "county.sqlite3")
    county.setup(Context(db, None, "县法治办"), "合水县", "太白镇,柳树乡")
    packages = []
    for folder in ("old", "rebuilt"):
        (tmp_path / folder).mkdir()
        town = township(tmp_path / folder, "太白镇", ["东村", "西村"], 2)
        with town.engine.connect() as conn:
            packages.append(write_package(town.engine, get_unit(conn, "太白镇"), 2023, tmp_path / f"{folder}.zip"))
        town.dispose()
    window, tab = _shown(qtbot, db)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(packages[0].path)])
    window.import_action.trigger()
    qtbot.waitUntil(lambda: bool(boxes) and not tab.busy and tab.view.submissions[0].received_at is not None,
                    timeout=20000)
    # 考核汇总 from the shipped sample sheet
    sheet = Path(__file__).resolve().parents[2] / "resources" / "考核细则示例.xlsx"
    out = tmp_path / "县.xlsx"
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(sheet))
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(out))
    qtbot.mouseClick(tab.score_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已保存" in tab.status.text(), timeout=20000)
    rows = [r for r in load_workbook(out)["考核汇总"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert [r[0] for r in rows] == ["太白镇", "柳树乡"] and rows[0][-1] == 1 and rows[1][-2] == "未报送"
    # the rebuilt PC: refused, then re-linked by its fingerprint
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(packages[1].path)])
    window.import_action.trigger()
    qtbot.waitUntil(lambda: len(boxes) >= 2, timeout=20000)
    assert "未导入 1 个" in boxes[-1][1] and "county relink" in boxes[-1][1]
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("太白镇", True))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (packages[1].fingerprint, True))
    qtbot.mouseClick(tab.relink_button, Qt.MouseButton.LeftButton)
    assert boxes[-1][0] == "重新关联乡镇" and packages[1].fingerprint in boxes[-1][1]
    window.import_action.trigger()
    qtbot.waitUntil(lambda: len(boxes) >= 4, timeout=20000)
    assert "已导入 1 个数据包" in boxes[-1][1], boxes[-1]
    assert [u.name for u in all_units(db)] == ["太白镇"]
    window.close()
    db.dispose()
