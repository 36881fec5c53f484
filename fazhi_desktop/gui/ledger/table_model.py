"""A table model that pages rows from SQL on demand: the view asks for rows, the model fetches their page."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from fazhi_desktop.domain.fields import Field, Ledger
from fazhi_desktop.services import listing
from fazhi_desktop.services.context import Context

PAGE_SIZE = 200
CACHED_PAGES = 20
RecordRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2


def display(f: Field, value: Any) -> str:
    return f.kind.display(value)


class LedgerTableModel(QAbstractTableModel):
    def __init__(self, context: Callable[[], Context], ledger: Ledger, parent=None):
        """``context``: the session's current operation context (its unit may change while the model lives)."""
        super().__init__(parent)
        self.context = context
        self.ledger = ledger
        self.columns: list[Field] = list(ledger.fields)
        self.query = listing.ListQuery(ledger.key)
        self._count = 0
        self._pages: OrderedDict[int, list[dict[str, Any]]] = OrderedDict()

    # -- query -------------------------------------------------------------------------------------------------------
    def set_query(self, **changes: Any) -> None:
        for key, value in changes.items():
            setattr(self.query, key, value)
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        # On the UI thread, page by page: a count and 200 rows from an index take milliseconds locally.
        self._count = listing.count_of(self.context(), self.query)
        self.endResetModel()

    def _row(self, row: int) -> dict[str, Any]:
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            page = listing.page_of(self.context(), self.query, page_no * PAGE_SIZE, PAGE_SIZE)
            self._pages[page_no] = page
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        offset = row - page_no * PAGE_SIZE
        return page[offset] if offset < len(page) else {}

    def record_at(self, row: int) -> dict[str, Any]:
        return self._row(row)

    def row_of(self, record_id: str) -> int | None:
        """Row of a record: among the loaded pages, else asked of the database (a record far down the list, or
        a list just reloaded that has no page yet)."""
        for page_no, rows in self._pages.items():
            for i, r in enumerate(rows):
                if r.get("id") == record_id:
                    return page_no * PAGE_SIZE + i
        return listing.position_of(self.context(), self.query, record_id)

    # -- Qt API ------------------------------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return self.columns[section].label
            return str(section + 1)
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        f = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(f, self._row(index.row()).get(f.key))
        if role == Qt.ItemDataRole.TextAlignmentRole and f.kind.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == IdRole:
            return self._row(index.row()).get("id")
        if role == RecordRole:
            return self._row(index.row())
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in SQL (numbers and dates by value, names in pinyin order). Column -1: newest first."""
        if column < 0:
            self.set_query(sort_key=None, descending=False)
            return
        self.set_query(sort_key=self.columns[column].key, descending=order == Qt.SortOrder.DescendingOrder)
