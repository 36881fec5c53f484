"""One log file in the data folder; tracebacks go there, never to the user."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from fazhi_desktop.storage import paths

_configured: Path | None = None


def setup_logging() -> Path | None:
    """Log to ``<data>/logs/fazhi.log`` (rotating). Returns the file, or None when the folder cannot be written."""
    global _configured
    if _configured:
        return _configured
    folder = paths.log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(folder / "fazhi.log", maxBytes=2_000_000, backupCount=3,
                                                       encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _configured = folder / "fazhi.log"
    return _configured
