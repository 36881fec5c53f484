"""First run: create the unit (the same fields as `fazhi-desktop init`, generated from their declarations)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWizard, QWizardPage

from fazhi_desktop.domain.errors import UserError, ValidationError
from fazhi_desktop.domain.unit import FIRST_RUN_FIELDS
from fazhi_desktop.gui.ledger.form import RecordForm
from fazhi_desktop.services import units
from fazhi_desktop.services.context import Context
from fazhi_desktop.services.units import Unit


class _UnitPage(QWizardPage):
    def __init__(self, ctx: Context):
        super().__init__()
        self.ctx = ctx
        self.unit: Unit | None = None
        self.setTitle("欢迎使用法治建设台账")
        self.setSubTitle("请先填写本单位的基本信息。以后可以在“设置”中修改。")
        placeholder = Unit("", "", "镇", "", "", [], [])
        self.form = RecordForm(FIRST_RUN_FIELDS, placeholder)
        self.form.set_values({f.key: f.default for f in FIRST_RUN_FIELDS})
        self.message = QLabel()
        self.message.setStyleSheet("color: #c0392b;")
        self.message.setWordWrap(True)
        self.form.edited.connect(self.message.clear)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form.in_scroll_area(), 1)
        layout.addWidget(self.message)

    def validatePage(self) -> bool:
        try:
            # Before the window exists: no worker, no broadcast (nothing is listening yet).
            self.unit = units.create(self.ctx, self.form.values()).value
        except ValidationError as exc:
            self.form.show_problems(exc.problems)
            return False
        except UserError as exc:
            self.message.setText(str(exc))
            return False
        return True


class FirstRunWizard(QWizard):
    def __init__(self, ctx: Context, parent=None):
        super().__init__(parent)
        self.setWindowTitle("首次使用向导")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.page = _UnitPage(ctx)
        self.addPage(self.page)

    @property
    def unit(self) -> Unit | None:
        return self.page.unit
