"""Record forms generated from the ledger declarations: one widget per field, chosen by its type."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.domain.errors import Problem
from fazhi_desktop.domain.fields import Field
from fazhi_desktop.domain.validation import choices_for
from fazhi_desktop.gui.ledger import editors
from fazhi_desktop.gui.ledger.editors import FieldEditor
from fazhi_desktop.gui.ledger.widgets import ChoiceCombo, EnterMovesFocus, NullableDateEdit
from fazhi_desktop.services.units import Unit


class RecordForm(QWidget):
    """Edits one record of a ledger (or any tuple of declared fields). Emits ``edited`` on every user change."""

    edited = Signal()

    def __init__(self, fields: tuple[Field, ...], unit: Unit, ledger_key: str = "",
                 add_choice: Callable[[str, str], bool] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.fields = fields
        self.ledger_key = ledger_key
        self._unit = unit
        self._add_choice = add_choice
        self._enter = EnterMovesFocus(self)
        self._loading = False
        self.dirty = False
        self.editors: dict[str, FieldEditor] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for f in fields:
            editor = self._make(f)
            self.editors[f.key] = editor
            box = QWidget()
            inner = QVBoxLayout(box)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.setSpacing(2)
            inner.addWidget(editor.widget)
            inner.addWidget(editor.error)
            label = QLabel(f"{f.label}{' *' if f.required else ''}：")
            label.setBuddy(editor.widget)
            if f.help:
                label.setToolTip(f.help)
                editor.widget.setToolTip(f.help)
            layout.addRow(label, box)

    def set_year(self, year: int) -> None:
        """The year being entered: where an empty date's calendar opens."""
        for editor in self.editors.values():
            if isinstance(editor.widget, NullableDateEdit):
                editor.widget.year_hint = year

    def in_scroll_area(self) -> QScrollArea:
        """The form inside a scroll area: messages under fields make it taller than its place, and a squeezed form
        lets a message lie over its own text box (seen in the first-run wizard)."""
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Not a stop of its own: Enter or Tab from the field before the form lands in its first field, not on an
        # invisible frame that swallows what the clerk types next
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(self)
        return scroll

    # -- building ----------------------------------------------------------------------------------------------------
    def _changed(self, *_args) -> None:
        if not self._loading:
            self.dirty = True
            editor = self._editor_of(self.sender())
            if editor is not None and editor.live_check is None and not editor.error.isHidden():
                self._show(editor, None)  # the clerk is fixing it: the message goes (ID numbers check as typed)
            self.edited.emit()

    def _editor_of(self, widget: QObject | None) -> FieldEditor | None:
        while widget is not None:
            for editor in self.editors.values():
                if editor.widget is widget:
                    return editor
            widget = widget.parent()
        return None

    def _make(self, f: Field) -> FieldEditor:
        adder = None
        if f.kind.open_choices and self._add_choice and f.extendable:
            adder = lambda value, key=f.key: self._add_choice(key, value)  # noqa: E731
        options = f.kind.options(f, choices_for(f, self._unit.local_choices, self.ledger_key), self._unit.villages)
        editor = editors.make(f, editors.EditorContext(tuple(options or ()), adder, self._changed))
        if f.kind.name in editors.ONE_LINE:
            editor.focus.installEventFilter(self._enter)
        if editor.live_check is not None:
            editor.widget.textEdited.connect(lambda text, e=editor: self._show(e, e.live_check(text)))
        return editor

    # -- values ------------------------------------------------------------------------------------------------------
    def set_values(self, values: Mapping[str, Any] | None) -> None:
        self._loading = True
        try:
            for key, editor in self.editors.items():
                value = (values or {}).get(key, editor.field.default if values is None else None)
                editor.set(value)
            self.clear_problems()
        finally:
            self._loading = False
        self.dirty = False

    def values(self) -> dict[str, Any]:
        return {key: editor.get() for key, editor in self.editors.items()}

    def refresh_choices(self, unit: Unit) -> None:
        self._unit = unit
        for editor in self.editors.values():
            f = editor.field
            if isinstance(editor.widget, ChoiceCombo):
                choices = f.kind.options(f, choices_for(f, unit.local_choices, self.ledger_key), unit.villages) or ()
                self._loading = True
                editor.widget.set_choices(choices)
                self._loading = False

    # -- problems ----------------------------------------------------------------------------------------------------
    def _show(self, editor: FieldEditor, message: str | None) -> None:
        editor.error.setText(message or "")
        editor.error.setVisible(bool(message))

    def clear_problems(self) -> None:
        for editor in self.editors.values():
            self._show(editor, None)

    def show_problems(self, problems: list[Problem]) -> None:
        """Each message beside its field; the first bad field gets the focus."""
        self.clear_problems()
        first = None
        for p in problems:
            editor = self.editors.get(p.field)
            if editor is None:
                continue
            text = (editor.error.text() + "\n" if not editor.error.isHidden() else "") + p.message
            self._show(editor, text)
            first = first or editor
        if first:
            self._focus(first.widget)

    def focus_first(self) -> None:
        """A new record: the cursor in the first field (日期), and that field in view."""
        self._focus(next(iter(self.editors.values())).widget)

    def _focus(self, widget: QWidget) -> None:
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        area = widget.parent()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parent()
        if area is not None:  # a long form: the field is brought into view, never typed into below the fold
            area.ensureWidgetVisible(widget)

    def problem_text(self, key: str) -> str:
        editor = self.editors[key]
        return "" if editor.error.isHidden() else editor.error.text()
