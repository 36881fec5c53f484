"""Reading a database file back with the plain sqlite3 module, outside the program's own layers."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def live_meetings(path: Path) -> int:
    """Meetings in the file that are not in the recycle bin."""
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM meeting WHERE deleted = 0").fetchone()[0]
    finally:
        con.close()
