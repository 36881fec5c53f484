"""Process-wide settings made once at start-up, before any file is created."""

from __future__ import annotations

import os

PRIVATE_UMASK = 0o077


def restrict_new_files() -> None:
    """Files and folders the process creates from now on (SQLite's -wal/-shm, logs, backups) are owner-only; the
    documents meant for colleagues are given their wider mode when written (storage.atomic)."""
    if os.name != "nt":
        os.umask(PRIVATE_UMASK)


def end_now(code: int) -> None:
    """End a finished command's process without tearing down its objects one by one.

    At a normal exit Python frees every module and object the command loaded (SQLAlchemy, the ledgers' tables, the
    fonts…): 50–60 ms of the ``report`` command, spent after its work is written and its database closed. What an exit
    must still do is done here: the exit functions (the log's last lines, temporary folders' finalizers) and the
    console's buffered output. Only when the main thread is the last one running: another thread is left to end as
    Python ends it (the caller then returns the code)."""
    import atexit
    import sys
    import threading

    if any(t is not threading.main_thread() and t.is_alive() and not t.daemon for t in threading.enumerate()):
        return
    # Not public API, yet the one place that runs what atexit.register was given (logging.shutdown among them). Files
    # the commands write are closed by then (with-blocks, storage.atomic), their databases disposed (cli.commands).
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe, a closed stream: nothing more can be said there
            pass
    os._exit(code)
