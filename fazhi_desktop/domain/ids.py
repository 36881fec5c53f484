"""Ids of the rows the program adds to ledgers and their history: UUIDs whose first 48 bits are the time.

RFC 9562 version 7: Unix milliseconds, the version, 12 random bits, the variant, 62 random bits. Ids made in the same
moment sort next to each other, so the rows of one import or merge go to a few pages at the end of every index on an
id (the primary key, the history's record index) instead of one page each anywhere in it: a version 4 id lands at
random, and in a database of a million records that was a page read and written per row (#38). An id says when its
record was made, which the record's 创建时间 says too; it is never a secret.
"""

from __future__ import annotations

import os
import time

_RANDOM_B = (1 << 62) - 1


def new_id() -> str:
    millis = time.time_ns() // 1_000_000 & ((1 << 48) - 1)
    rand = int.from_bytes(os.urandom(10), "big")  # 80 bits: 12 go to rand_a, 62 to rand_b
    h = f"{millis << 80 | 0x7 << 76 | (rand >> 68) << 64 | 0b10 << 62 | rand & _RANDOM_B:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"  # str(uuid.UUID(...)), without its checks
