"""#35 in 设置 → 待办期限: a township imports the county's calendar file with the button, sees the days in the form,
and a wrong file is refused by name with nothing changed; a county writes the file with the other button."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import Qt

D = dt.date
OFF = [f"2027-10-0{d}" for d in range(1, 8)]
WORKED = ["2027-09-26", "2027-10-09"]


def _dialog(window, qtbot):
    from fazhi_desktop.gui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ui.tabs.setCurrentWidget(dialog.todo_page)
    return dialog


def test_the_import_button_reads_the_countys_file_and_a_wrong_one_changes_nothing(window, qtbot, tmp_path, monkeypatch,
                                                                                 boxes, db):
    from fazhi_desktop.domain import holiday_file
    from fazhi_desktop.gui.dialogs import settings_dialog
    from fazhi_desktop.gui.shell import file_dialogs
    from fazhi_desktop.services import todo
    from fazhi_desktop.services.units import get_unit

    good = tmp_path / "2027年节假日安排.json"
    good.write_bytes(holiday_file.write(2027, "测试用通知", [D.fromisoformat(d) for d in OFF],
                                        [D.fromisoformat(d) for d in WORKED]))
    bad = tmp_path / "坏.json"
    bad.write_text(json.dumps({**json.loads(good.read_bytes()), "days_worked": ["2027-10-08"]}), encoding="utf-8")
    errors: list[str] = []
    monkeypatch.setattr(settings_dialog, "show_user_error", lambda _parent, message: errors.append(message))
    dialog = _dialog(window, qtbot)
    chosen = [str(bad)]
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: chosen[0])
    qtbot.mouseClick(dialog.holidays_import_button, Qt.MouseButton.LeftButton)
    assert errors and "2027-10-08 不是周末" in errors[0] and not boxes
    with db.engine.connect() as conn:
        assert not todo.settings_of(get_unit(conn))["holidays"]
    chosen[0] = str(good)
    qtbot.mouseClick(dialog.holidays_import_button, Qt.MouseButton.LeftButton)
    assert boxes and boxes[-1][0] == "导入节假日安排" and "放假 7 天，调休上班 2 天" in boxes[-1][1]
    assert dialog.todo_form.values()["holidays"] == OFF and dialog.todo_form.values()["workdays"] == WORKED
    with db.engine.connect() as conn:
        assert todo.settings_of(get_unit(conn))["holidays"] == OFF
    dialog.accept()  # saving the dialog afterwards keeps what was imported
    with db.engine.connect() as conn:
        saved = get_unit(conn)
    assert todo.settings_of(saved)["workdays"] == WORKED and saved.settings["holiday_notices"] == {"2027": "测试用通知"}


def test_the_export_button_writes_a_file_a_township_accepts(window, qtbot, tmp_path, monkeypatch, boxes):
    from PySide6.QtWidgets import QInputDialog

    from fazhi_desktop.domain import holiday_file
    from fazhi_desktop.gui.shell import file_dialogs

    out = tmp_path / "2024年节假日安排.json"
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (2024, True))
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(out))
    dialog = _dialog(window, qtbot)
    qtbot.mouseClick(dialog.holidays_export_button, Qt.MouseButton.LeftButton)
    assert boxes and boxes[-1][0] == "导出节假日安排"
    read = holiday_file.read(out.read_bytes())  # the shipped 2024: its notice and its days
    assert read.year == 2024 and "国办发明电〔2023〕7号" in read.notice and D(2024, 10, 7) in read.off
