"""A record's content fingerprint: a digest of its declared values as stored.

Importing a workbook again must not double a year's counts, so a new row equal in every field to a stored record is
not created twice (``exchange.plan``). The fingerprint, stored beside each record and indexed with its unit, finds
those equal records by looking up the rows brought, never by reading a ledger's live records. Blank values are left
out, so a field added later (blank in the records before it) changes no fingerprint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from fazhi_desktop.domain.fields import Ledger

COLUMN = "fingerprint"
LENGTH = 32  # hex digits: 128 bits; a match is confirmed on the values themselves anyway


def _text(value: Any) -> str:
    """One stored value as text, its type first: no two different values (nor 1 and "1") give the same text."""
    kind = type(value)
    if kind is str:
        return repr(value)  # quoted and escaped: no separator inside a value survives as one
    if kind is int:
        return f"i{value}"
    if kind is bool:
        return "T" if value else "F"
    if kind is Decimal:
        return f"d{value.normalize()}"  # 12.5 and 12.50 (money as read back) are one amount
    if kind is dt.date or kind is dt.datetime:
        return f"D{value.isoformat()}"
    return "j" + json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


_KEYS: dict[str, tuple[str, ...]] = {}


def canonical(ledger: Ledger, stored: Mapping[str, Any]) -> str:
    """The declared values of a record in their stored form (``services.records.to_storage``, or a row as read),
    as one text, in the order of the fields' keys (fields may be declared in another order later)."""
    keys = _KEYS.get(ledger.key)
    if keys is None:
        keys = _KEYS[ledger.key] = tuple(sorted(f.key for f in ledger.fields))
    return "\x1f".join(f"{key}={_text(v)}" for key in keys if (v := stored.get(key)) is not None and v != "" and v != [])


def fingerprint(ledger: Ledger, stored: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(ledger, stored).encode("utf-8")).hexdigest()[:LENGTH]
