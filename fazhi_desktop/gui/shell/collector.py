"""Python's cycle collector, run on the GUI thread only.

CPython collects reference cycles in whichever thread crosses the allocation threshold. The window's background jobs
(a page's count, a report's preview, an import) allocate a lot on the thread pool, so a collection often starts there,
and any Qt object caught in a cycle the GUI thread left behind is then destroyed on a pool thread. Qt objects must be
destroyed on their own thread: a widget or timer destroyed elsewhere corrupts Qt's state and the window dies later, at
a random place (a CI run lost a test worker that way). So automatic collection is turned off while the window runs, and
a timer on the GUI thread collects as the automatic collector would have: the youngest generation over its threshold,
with the younger ones. Plain reference counting, which frees almost everything, is not affected.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Installed once per application; ``check`` is what each tick runs."""

    def __init__(self, parent: QObject):
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self, interval=INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return


def install(app: QObject) -> GuiThreadCollector:
    """The application's collector (one, however often the application is set up)."""
    found = app.findChild(GuiThreadCollector)
    return found if found is not None else GuiThreadCollector(app)
