"""What every tab needs: the database, the unit, who is working, the selected year — and one change signal.

``changed`` carries what an operation changed (``services.context.Changed``), emitted once by ``gui.shell.ops``
after every write; each tab decides from it what to refresh. ``year_changed`` follows the year box.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, Signal

from fazhi_desktop.services import records, units
from fazhi_desktop.services.actor import default_actor
from fazhi_desktop.services.context import EVERYTHING, Changed, Context
from fazhi_desktop.services.records import RecordService
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage.database import Database


class Session(QObject):
    year_changed = Signal(int)
    changed = Signal(object)  # services.context.Changed

    def __init__(self, db: Database, unit: Unit, actor: str | None = None, year: int | None = None,
                 account: str | None = None):
        super().__init__()
        self.db = db
        self.unit = unit
        # Logged in to an account: that name, which the services check the role of, is who works.
        self.account = account
        self.actor = account or actor or default_actor()
        self.year = year or dt.date.today().year

    @property
    def role(self) -> str | None:
        """The logged-in account's role (None without accounts: one person does everything)."""
        if not self.account:
            return None
        from fazhi_desktop.services import accounts

        with self.db.engine.connect() as conn:
            return accounts.role_of(conn, self.account)

    def may(self, action: str) -> bool:
        """Whether the role allows ``action`` (domain.roles): what the window offers, the services enforce."""
        if not self.account:
            return True
        from fazhi_desktop.domain.roles import allows

        return allows(self.role, action)

    @property
    def read_only_role(self) -> bool:
        """Logged in as a 查看 account (the services refuse its writes; pages hide their write buttons)."""
        from fazhi_desktop.domain.roles import VIEWER

        return bool(self.account) and self.role == VIEWER

    def context(self) -> Context:
        return Context(self.db, self.unit, self.actor)

    def records(self) -> RecordService:
        return records.service(self.context())

    def set_year(self, year: int) -> None:
        if year != self.year:
            self.year = year
            self.year_changed.emit(year)

    def apply(self, changed: Changed) -> None:
        """After a write: the unit is read again when it changed, then every tab hears what changed, once."""
        if not changed:
            return
        if changed.unit_changed and self.unit is not None:  # a county's own window has no unit to read again
            self.unit = units.load(self.context())
        self.changed.emit(changed)

    def everything_changed(self) -> None:
        """After a restore or an import into the whole database."""
        self.apply(EVERYTHING)
