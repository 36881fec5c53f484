"""Tabs whose content is computed from the database recompute it when shown, not on every change elsewhere."""

from __future__ import annotations


class RefreshWhenVisible:
    """Mixin for a QWidget: ``mark_stale()`` on a data change; ``refresh_content()`` runs now if the widget is on
    screen, else the next time it is shown — so entering records on one tab never queues work on another."""

    _stale = True

    def refresh_content(self) -> None:
        raise NotImplementedError

    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():  # type: ignore[attr-defined]
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        self.refresh_content()

    def showEvent(self, event) -> None:
        super().showEvent(event)  # type: ignore[misc]
        if self._stale:
            self.refresh()
