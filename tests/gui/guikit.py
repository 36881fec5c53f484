"""Steps several GUI tests share: filling the first-run wizard, checking a workbook in the import dialog."""

from __future__ import annotations


def fill_wizard(wizard, issuers: str, villages: str, name: str = "新镇") -> None:
    form = wizard.page.form
    form.editors["name"].widget.setText(name)
    form.editors["county"].widget.setText("某县")
    form.editors["issuers"].widget.setPlainText(issuers)
    form.editors["villages"].widget.setPlainText(villages)


def checked_import(window, qtbot, path):
    """The import dialog with ``path`` checked (the check runs on a worker): the dialog, ready to look at."""
    from fazhi_desktop.gui.dialogs.import_dialog import ImportDialog

    dialog = ImportDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(path))
    dialog.check()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    return dialog


def type_chinese(qtbot, widget, text: str) -> None:
    """Type ``text`` into ``widget`` as an input method commits it (qtbot.keyClicks aborts on non-ASCII text)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def roll_wheel(widget, notches: int, *, sideways: bool = False) -> None:
    """The real wheel over ``widget``: negative notches roll towards the clerk (down the page), or, ``sideways``
    (a tilting wheel, a touchpad), towards the right-hand side."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    center = widget.rect().center()
    delta = QPoint(120 * notches, 0) if sideways else QPoint(0, 120 * notches)
    event = QWheelEvent(QPointF(center), QPointF(widget.mapToGlobal(center)), QPoint(0, 0), delta,
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def when_modal(kind, act) -> None:
    """Once a modal dialog of ``kind`` is up (its own event loop running), ``act(dialog)`` — as a person answers a
    dialog a click opened. Call it before the click: the click does not return until the dialog closes."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            act(dialog)
        else:
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)
