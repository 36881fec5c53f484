"""The data package a township sends its county: one zip, every part listed with its checksum in the manifest.

    manifest.json            format, program and schema, unit, year, counts, findings left open, sha256 of each part
    unit.json                the unit's fields and its own choice values
    records/<ledger>.jsonl   one record a line (deleted ones too): id, stamps, values as the import reads them
    attachments.jsonl        the records' attachments: id, record, name, sha256, size
    files/<sha256>           the attachments' bytes
    report_text.json         the year's draft (成文日期, text, 审议/公开), if any
    report.pdf               the generated report, if asked for

Reading one is done by ``package_read`` as a hostile file: only these names, bounded sizes, every checksum.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fazhi_desktop.domain.ledgers import LEDGERS
from fazhi_desktop.domain.values import json_text

FORMAT = "fazhi-desktop-package"
FORMAT_VERSION = 1
SUFFIX = ".zip"

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"  # the township's Ed25519 signature of the manifest's bytes, as hex (#36)
MAX_SIGNATURE_BYTES = 1024
UNIT = "unit.json"
ATTACHMENTS = "attachments.jsonl"
REPORT_TEXT = "report_text.json"
REPORT_PDF = "report.pdf"
PUBLIC_PDF = "report-public.pdf"  # the 公开版, where the township made one (#36)
REPORT_PARTS = (REPORT_PDF, PUBLIC_PDF)
LEDGER_PARTS = {f"records/{lg.key}.jsonl": lg.key for lg in LEDGERS}
FILE_PART = re.compile(r"files/([0-9a-f]{64})")

MAX_FILE_BYTES = 8 * 1024**3  # photos of a whole year
MAX_PARTS = 50_000
MAX_MANIFEST_BYTES = 1024**2
MAX_JSON_PART_BYTES = 512 * 1024**2  # one ledger's lines
# All the records' and other text parts together (declared sizes, before anything is read): one township's year is a
# few MB; the parts are read as streams, line by line, so this bounds time more than memory (#33 H3).
MAX_JSON_TOTAL_BYTES = 1024**3
MAX_LINE_BYTES = 1024**2
MAX_BLOB_BYTES = 200 * 1024**2  # an attachment (services.attachments.MAX_SIZE)
MAX_PDF_BYTES = 100 * 1024**2
MAX_RECORDS = 1_000_000  # of one ledger
MAX_TEXT = 200  # actor names, program versions and the like
# What a part may expand to, against its compressed bytes: photos and PDFs barely compress, a year's records about
# 10–30 to 1; a part of zeros reaches 1,000 to 1 (deflate's limit). Parts under 1 MiB are not asked.
MAX_RATIO = 200
RATIO_FROM_BYTES = 1024**2


def known_part(name: str) -> bool:
    return (name in (UNIT, ATTACHMENTS, REPORT_TEXT, *REPORT_PARTS) or name in LEDGER_PARTS
            or FILE_PART.fullmatch(name) is not None)


def part_limit(name: str) -> int:
    if name.startswith("files/"):
        return MAX_BLOB_BYTES
    if name in REPORT_PARTS:
        return MAX_PDF_BYTES
    return MAX_JSON_PART_BYTES


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=json_text)


def package_name(unit_name: str, year: int) -> str:
    return f"{unit_name}{year}年法治建设数据包{SUFFIX}"
