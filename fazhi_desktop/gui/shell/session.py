"""What every tab needs: the database engine, the unit, who is working, the selected year — and change signals."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from PySide6.QtCore import QObject, Signal

from fazhi_desktop.services.actor import default_actor
from fazhi_desktop.services.records import RecordService
from fazhi_desktop.services.units import Unit, get_unit
from fazhi_desktop.storage.database import Database


class Session(QObject):
    year_changed = Signal(int)
    data_changed = Signal(str)  # ledger key (or "" for everything)
    unit_changed = Signal()

    def __init__(self, db: Database, unit: Unit, actor: str | None = None, year: int | None = None):
        super().__init__()
        self.db = db
        self.unit = unit
        self.actor = actor or default_actor()
        self.year = year or dt.date.today().year

    @property
    def engine(self) -> sa.Engine:
        return self.db.engine

    def records(self) -> RecordService:
        return RecordService(self.engine, self.unit, self.actor)

    def set_year(self, year: int) -> None:
        if year != self.year:
            self.year = year
            self.year_changed.emit(year)

    def reload_unit(self) -> None:
        with self.engine.connect() as conn:
            self.unit = get_unit(conn, unit_id=self.unit.id)
        self.unit_changed.emit()
