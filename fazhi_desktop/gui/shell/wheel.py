"""The wheel scrolls the form, not the field under the mouse: a combo box or spin box changes with the wheel only
when it has the focus (the clerk clicked or tabbed into it). At 125% a form shows about six fields, so the wheel
passes over many of them, and the next Ctrl+S would save what it silently changed (难易程度, 风险等级, 保管期限).

One application-wide filter covers every such editor the field kinds make and every dialog's own boxes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox

GUARDED = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, GUARDED):
            # Qt's WheelFocus (a combo box's default) would give it the focus on the first turn of the wheel
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif kind == QEvent.Type.Wheel and isinstance(watched, GUARDED) and not watched.hasFocus():
            _scroll_around(watched, event)
            return True
        return False


def _scroll_around(widget, event: QWheelEvent) -> None:
    """The wheel goes to the nearest scroll area holding ``widget`` (Qt passes a wheel event a widget ignores to its
    parent only when it came from the window system, so it is handed on here, the same way for both)."""
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QAbstractScrollArea):
        area = area.parentWidget()
    if area is None:
        return
    viewport = area.viewport()
    position = QPointF(viewport.mapFromGlobal(event.globalPosition().toPoint()))
    QApplication.sendEvent(viewport, QWheelEvent(
        position, event.globalPosition(), event.pixelDelta(), event.angleDelta(), event.buttons(), event.modifiers(),
        event.phase(), event.inverted()))


def install(app: QApplication) -> None:
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    app.setProperty("wheel_guard_installed", True)
