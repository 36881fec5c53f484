"""Pinyin sort keys, stored beside the short text fields a list sorts by (#38).

A list sorted by a name, a place or a title orders its records by the text's GB18030 bytes, in whose order the 3755
common (level-1) hanzi of GB2312 stand by pinyin. Computed at each header click, the key costs a Python call per
record of the year (0.19 s for a year of 66,000 records); stored with the record and indexed after its unit and year,
the list's first page is read in order from the index.

Only short texts carry a stored key (a name, a village, a case number: ``text`` storage), and only in ledgers whose
year's list holds that year's records. Long texts (摘要, 备注) and multi-choice values keep the key computed while
sorting: they are seldom sorted by, and an index of every long text would add a copy of it to the file. Rosters and
contracts (a list of everyone registered or in force by the year) keep it too: their lists are as long as the roster,
not as the years of work stored, and without statistics SQLite's planner reads them through their year range anyway.
Single choices sort in their declared order (services.listing), not by pinyin.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fazhi_desktop.domain.fields import Field, Ledger

SUFFIX = "__pinyin"


def pinyin_key(text: Any) -> bytes | None:
    """A text's pinyin sort key: its GB18030 bytes (None for a blank)."""
    return None if text is None else str(text).encode("gb18030", "replace")


def lists_one_year(ledger: Ledger) -> bool:
    """Whether a year's list holds only the records of that year (an index on unit, year and key serves its sort);
    a roster lists everyone registered by the year, a contract every one in force in it."""
    return ledger.period is None and not ledger.in_force


def _keyed(ledger: Ledger, f: Field) -> bool:
    return (lists_one_year(ledger) and f.kind.text_sort and f.kind.storage == "text"
            and not (f.choices and not f.kind.multiple))


_FIELDS: dict[str, tuple[Field, ...]] = {}


def keyed_fields(ledger: Ledger) -> tuple[Field, ...]:
    """The fields whose records carry a stored key."""
    found = _FIELDS.get(ledger.key)
    if found is None:
        found = _FIELDS[ledger.key] = tuple(f for f in ledger.fields if _keyed(ledger, f))
    return found


def stored(ledger: Ledger, field_key: str) -> bool:
    return any(f.key == field_key for f in keyed_fields(ledger))


def column(field_key: str) -> str:
    """The stored key's column: derived from the records' values, never part of a record's state or of an export."""
    return field_key + SUFFIX


_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {}


def keys(ledger: Ledger, stored_row: Mapping[str, Any]) -> dict[str, bytes | None]:
    """The stored keys of a record's values in their stored form (once per record of every import and merge)."""
    pairs = _COLUMNS.get(ledger.key)
    if pairs is None:
        pairs = _COLUMNS[ledger.key] = tuple((f.key, column(f.key)) for f in keyed_fields(ledger))
    return {name: pinyin_key(stored_row.get(key)) for key, name in pairs}
