"""One log file in the data folder; tracebacks go there, never to the user."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from fazhi_desktop.storage import paths

_handler: logging.Handler | None = None
_path: Path | None = None


def setup_logging() -> Path | None:
    """Log to ``<data>/logs/fazhi.log`` (rotating). Returns the file, or None when the folder cannot be written.

    Calling it again is cheap; if the data folder has changed (``FAZHI_DATA_DIR``), logging moves there.
    """
    global _handler, _path
    target = paths.log_dir() / "fazhi.log"
    if _handler is not None and _path == target:
        return _path
    try:
        paths.private_dir(target.parent)
        handler = logging.handlers.RotatingFileHandler(target, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _handler, _path = handler, target
    return _path
