"""Every database read and write of the window goes through here: on a worker thread, with a progress dialog only
when it takes a while, errors to the one presenter, and — for writes — one broadcast of what changed, so each tab
refreshes what depends on it (``Session.changed``) and nothing has to remember to tell the others.

A job is a function of the operation context (``services.context.Context``) that returns its result; a write's
result says what it changed (``Done``, or a result with ``changed``). Jobs never touch widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from fazhi_desktop.gui.shell import workers
from fazhi_desktop.services.context import Context, changed_by, value_of

if TYPE_CHECKING:
    from fazhi_desktop.gui.shell.session import Session

Job = Callable[[Context], Any]


def read(parent: QWidget, session: Session, label: str, job: Job, on_done: Callable[[Any], None],
         on_error: Callable[[BaseException, str], None] | None = None) -> workers.Operation:
    ctx = session.context()
    return workers.run(parent, label, lambda: job(ctx), on_done, on_error)


def write(parent: QWidget, session: Session, label: str, job: Job, on_done: Callable[[Any], None] | None = None,
          on_error: Callable[[BaseException, str], None] | None = None) -> workers.Operation:
    ctx = session.context()

    def finished(result: Any) -> None:
        session.apply(changed_by(result))
        if on_done is not None:
            on_done(value_of(result))

    return workers.run(parent, label, lambda: job(ctx), finished, on_error)


def call_read(parent: QWidget, session: Session, label: str, job: Job) -> Any:
    """Wait for a quick read (the window keeps painting; ``parent`` is disabled meanwhile) and return its result."""
    ctx = session.context()
    return workers.call(parent, label, lambda: job(ctx))


def call_write(parent: QWidget, session: Session, label: str, job: Job) -> Any:
    """Wait for a quick write, broadcast what it changed, return its result (its value for a ``Done``)."""
    ctx = session.context()
    result = workers.call(parent, label, lambda: job(ctx))
    session.apply(changed_by(result))
    return value_of(result)
