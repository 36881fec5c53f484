from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from fazhi_desktop.gui.shell.app import make_app


@pytest.fixture(scope="session")
def qapp():
    """pytest-qt's application, with Qt's Chinese translation installed as the real program does."""
    return make_app()


@pytest.fixture(autouse=True)
def no_error_box(monkeypatch):
    """A modal box (程序出错, a question) would wait for a click for ever in a test: it fails the test instead, with
    what it would have shown (a test that expects a box patches ``exec`` itself)."""
    from PySide6.QtWidgets import QMessageBox

    def refuse(box):
        raise AssertionError(f"a modal box was opened: {box.text()}\n{box.detailedText()}")

    def refuse_static(parent, title, text, *args, **kwargs):
        raise AssertionError(f"a modal question or message was opened: {title}: {text}")

    monkeypatch.setattr(QMessageBox, "exec", refuse)
    # A file dialog would wait for a click too (tests give the path through gui.shell.file_dialogs).
    from PySide6.QtWidgets import QFileDialog

    def refuse_file_dialog(dialog):
        raise AssertionError(f"a file dialog was opened: {dialog.windowTitle()}")

    monkeypatch.setattr(QFileDialog, "exec", refuse_file_dialog)
    # The static ones too (a test that expects one uses ``answer`` or patches it): never a hang, a failure.
    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse_static))


@pytest.fixture
def window(qtbot, db, unit, tmp_path):
    from fazhi_desktop.gui.shell.main_window import MainWindow
    from fazhi_desktop.gui.shell.session import Session

    settings = QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(Session(db, unit, "测试员", 2023), settings, backup_on_exit=False)
    win.resize(1366, 768)
    win.show()
    qtbot.waitUntil(lambda: not win.overview.busy, timeout=10000)
    yield win
    # Closed here, not by qtbot: a test that left an edit unsaved must not open a real (modal) prompt.
    for editor in win.all_editors():
        editor.form.dirty = False
        if hasattr(editor, "_dirty_sections"):
            editor._dirty_sections = False
    win.close()  # waits for background jobs
    win.deleteLater()


@pytest.fixture
def answer(monkeypatch):
    """Pre-answer QMessageBox.question; records every question asked."""
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []
    reply = {"value": QMessageBox.StandardButton.Yes}

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return reply["value"]

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))

    class Answer:
        questions = asked

        def __call__(self, button):
            reply["value"] = button

    return Answer()


@pytest.fixture
def boxes(monkeypatch):
    """Result boxes (gui.shell.dialogs.finished) are read and closed as the clerk would: their title and text are
    recorded, and 确定 is the answer."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def read_and_close(box):
        shown.append((box.windowTitle(), box.text()))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", read_and_close)
    return shown
