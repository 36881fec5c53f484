"""Hostile input through the window: the import dialog refuses a killer workbook and the window stays up."""

from __future__ import annotations

from hostile_files import BYPASSES, KILLERS


def test_gui_import_of_a_killer_file_shows_a_message_and_the_window_stays(window, qtbot, monkeypatch, tmp_path):
    from fazhi_desktop.gui.dialogs import import_dialog
    from fazhi_desktop.gui.dialogs.import_dialog import ImportDialog

    shown = []
    monkeypatch.setattr(import_dialog, "show_exception", lambda parent, exc, details=None: shown.append(str(exc)))
    book = KILLERS["one cell at XFD1048576"][0](tmp_path / "k.xlsx")
    window.show()
    dialog = ImportDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(book))
    dialog.check()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20000)
    assert shown and "无法导入" in shown[0]
    assert "无法导入" in dialog.summary.text() and not dialog.import_button.isEnabled()
    assert window.isVisible() and window.session.db.engine  # the program is still there, the database still open


def test_gui_import_of_a_bypass_shows_a_message_and_the_window_stays(window, qtbot, monkeypatch, tmp_path):
    from fazhi_desktop.gui.dialogs import import_dialog
    from fazhi_desktop.gui.dialogs.import_dialog import ImportDialog

    shown = []
    monkeypatch.setattr(import_dialog, "show_exception", lambda parent, exc, details=None: shown.append(str(exc)))
    book = BYPASSES["one shared string reused by 3,000 cells"][0](tmp_path / "k.xlsx")
    dialog = ImportDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(book))
    dialog.check()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30000)
    assert shown and "无法导入" in shown[0]
    assert window.isVisible()
