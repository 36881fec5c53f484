"""Long work off the UI thread: a job runs in the thread pool and reports back through signals.

Jobs get plain values and return plain values; they never touch widgets. A progress dialog appears only when a job
takes longer than ``PROGRESS_DELAY_MS``, so quick work does not flash a window.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

PROGRESS_DELAY_MS = 500


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object, str)
    progress = Signal(int, int)  # done, total


def _run(fn: Callable[[], Any], signals: _Signals, released: threading.Event) -> None:
    """On a pool thread: run the job and say how it went; ``released`` once the job is done with ``signals``."""
    try:
        try:
            result = fn()
        except BaseException as exc:  # reported to the UI thread, never lost
            signals.failed.emit(exc, "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
        else:
            signals.finished.emit(result)
    finally:
        released.set()


class Operation(QObject):
    """Run ``fn`` in the background; ``done(result)`` or ``error(exc, details)`` fire on the UI thread.

    The handlers ``run`` is given are kept here, not connected: they often hold the widget that started the job (a
    lambda over ``self``), and a widget PySide owns — every dialog after ``exec()`` returns — is destroyed when its last
    Python reference goes. Held by a connection, that reference went when the operation was destroyed, and the widget
    with it, from inside the operation's own destruction: the widget then destroyed its child, the operation, a second
    time and the window died (a crash CI saw twice in the 考核自评 dialog). So they are called from here and let go a
    turn of the event loop later, when no code of the operation is running and it is not being destroyed.
    """

    done = Signal(object)
    error = Signal(object, str)

    def __init__(self, parent: QWidget, label: str, fn: Callable[..., Any], counted: bool = False):
        """``counted``: ``fn`` takes a ``report(done, total)`` to say how far it is (a bar, not the busy sign)."""
        super().__init__(parent)
        # The signals live on this (the GUI) thread and are destroyed here only, never by the pool thread letting go
        # of its reference: Qt objects must die on their own thread. The application owns them, so a Python reference
        # dropped on the pool thread frees nothing; the operation has them destroyed once the job is done with them
        # (``_close``). Were the operation destroyed first (its window gone mid-job), they stay until the application
        # ends: one small object, instead of a job emitting through a destroyed one.
        self._signals = _Signals(QCoreApplication.instance())
        self._released = threading.Event()
        self._signals.finished.connect(self._finish, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._fail, Qt.ConnectionType.QueuedConnection)
        self._signals.progress.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        progress = self._signals.progress  # the job's way to say how far it is, not through this object
        self._fn = (lambda: fn(progress.emit)) if counted else fn
        self._dialog = QProgressDialog(label, None, 0, 0, parent)
        self._dialog.setWindowTitle("请稍候")
        self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        self._dialog.reset()
        self._timer = QTimer(self, singleShot=True, interval=PROGRESS_DELAY_MS)
        self._timer.timeout.connect(self._dialog.show)
        self.running = False
        self._handlers: tuple[Callable[[Any], None], Callable[[BaseException, str], None]] | None = None

    def deliver_to(self, on_done: Callable[[Any], None],
                   on_error: Callable[[BaseException, str], None] | None = None) -> None:
        """Who gets the result, and who the error (by default the one error presenter, over this operation's parent
        as it is when the error comes)."""
        self._handlers = (on_done, on_error or self._show_error)

    def _show_error(self, exc: BaseException, details: str) -> None:
        from fazhi_desktop.gui.shell.errors import show_exception

        show_exception(self.parent(), exc, details)

    def _deliver(self, which: int, *args: Any) -> None:
        handlers, self._handlers = self._handlers, None
        if handlers is None:
            return
        try:
            handlers[which](*args)
        finally:
            # Let go of the handlers (and what they hold) on a later turn of the event loop, not here in this
            # operation's slot, and not with this operation when it is destroyed.
            QTimer.singleShot(0, _Release(handlers))

    def start(self) -> Operation:
        self.running = True
        self._timer.start()
        # A plain callable, not a QRunnable subclass: PySide keeps a Python QRunnable (and its closure: the context,
        # the rows it returned) referenced for good when it is not auto-deleted, or when it finishes before start()
        # returns. That was one leak per list page, count or preview for as long as the window stayed open.
        fn, self._fn = self._fn, None
        QThreadPool.globalInstance().start(partial(_run, fn, self._signals, self._released))
        return self

    # Declared slots: a queued call from the pool thread is then Qt's own, held by this object's meta-object and
    # dropped with it, rather than one through a Python callable PySide wraps for the connection.
    @Slot(int, int)
    def _progress(self, done: int, total: int) -> None:
        if self.running:
            self._dialog.setMaximum(total)
            self._dialog.setValue(done)

    def _close(self) -> None:
        """Done: the operation, its timer and its progress dialog go (a page that counts or lists on every change
        would otherwise keep one hidden dialog per job for as long as the window is open)."""
        self.running = False
        self._timer.stop()
        self._dialog.reset()
        self._dialog.hide()
        self._dialog.deleteLater()
        # The job has emitted its last signal; it sets ``released`` right after, so this wait is that instant at most.
        self._released.wait()
        self._signals.deleteLater()
        self.deleteLater()

    @Slot(object)
    def _finish(self, result: Any) -> None:
        self._close()
        self.done.emit(result)
        self._deliver(0, result)

    @Slot(object, str)
    def _fail(self, exc: BaseException, details: str) -> None:
        self._close()
        self.error.emit(exc, details)
        self._deliver(1, exc, details)


class _Release:
    """Holds what is to be let go until the event loop calls it (once), then holds nothing."""

    def __init__(self, held: Any):
        self._held = held

    def __call__(self) -> None:
        self._held = None


def run(parent: QWidget, label: str, fn: Callable[..., Any], on_done: Callable[[Any], None],
        on_error: Callable[[BaseException, str], None] | None = None, *, counted: bool = False) -> Operation:
    """Start ``fn`` in the background; ``on_done`` gets its result, errors go to the one error presenter."""
    op = Operation(parent, label, fn, counted)
    op.deliver_to(on_done, on_error)
    return op.start()


def call(parent: QWidget, label: str, fn: Callable[[], Any]) -> Any:
    """Run ``fn`` on a worker thread and return its result (or raise its exception) here, keeping the window painted
    and responsive meanwhile: a short local event loop instead of blocking the UI thread.

    For quick database work whose caller needs the answer before going on (save, delete, history). ``parent`` is
    disabled while the job runs, so no click can start a second write or change the record under it; after
    ``PROGRESS_DELAY_MS`` the progress dialog says what is happening.
    """
    from PySide6.QtCore import QEventLoop

    outcome: dict[str, Any] = {}
    loop = QEventLoop()
    op = Operation(parent, label, fn)
    op.done.connect(lambda result: (outcome.__setitem__("result", result), loop.quit()))
    op.error.connect(lambda exc, _details: (outcome.__setitem__("error", exc), loop.quit()))
    was_enabled = parent.isEnabled()
    focus = parent.focusWidget()
    parent.setEnabled(False)
    try:
        op.start()
        if op.running:
            loop.exec()
    finally:
        parent.setEnabled(was_enabled)
        if focus is not None and focus.isVisible():
            focus.setFocus()
        op.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")

