"""The wheel scrolls the form, not the field under the mouse: a combo box or spin box changes with the wheel only
when it has the focus (the clerk clicked or tabbed into it). At 125% a form shows about six fields, so the wheel
passes over many of them, and the next Ctrl+S would save what it silently changed (难易程度, 风险等级, 保管期限).

One place for every such box, the field kinds' editors and every dialog's own: the application style hands each
widget it polishes to ``guard`` (gui.shell.style), which watches only those boxes' own events (a filter on the whole
application would run Python for every event of every widget: 20–40 ms of start-up)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QWidget

GUARDED = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Wheel and not watched.hasFocus():
            _scroll_around(watched, event)
            return True
        return False


_guard: WheelGuard | None = None


def guard(widget: QWidget) -> None:
    """A combo or spin box: no focus from the wheel (Qt's WheelFocus, a combo box's default, would give it the focus
    on the first turn), and the wheel handed to what holds it while it has none."""
    global _guard
    if not isinstance(widget, GUARDED):
        return
    if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if _guard is None:
        _guard = WheelGuard(QApplication.instance())
    widget.installEventFilter(_guard)  # installing twice keeps one


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
