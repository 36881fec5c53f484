"""package export: a township's year, from its own ledgers, as one file for the county (``package_format``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from fazhi_desktop import __version__
from fazhi_desktop.domain.fields import Field
from fazhi_desktop.domain.ledgers import LEDGERS
from fazhi_desktop.domain.ledgers import ledger as get_ledger
from fazhi_desktop.domain.unit import REPORT_TEXT_FIELDS, UNIT_FIELDS
from fazhi_desktop.exchange import package_format as pf
from fazhi_desktop.services import attachments as attachment_files
from fazhi_desktop.services import listing, privacy, reports_text, signing_key
from fazhi_desktop.services.actor import default_actor
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage import migrate
from fazhi_desktop.storage.atomic import atomic_stream
from fazhi_desktop.storage.schema import attachments, ledger_table

META = ("created_at", "created_by", "updated_at", "updated_by", "deleted", "deleted_at", "version")


@dataclass
class Written:
    path: Path
    counts: dict[str, int]
    attachments: int
    fingerprint: str = ""  # of the key that signed it: the county checks it against what it pinned
    created_at: dt.datetime | None = None
    with_report: bool = False


def _values(fields: tuple[Field, ...], record: dict[str, Any], *, full: bool = False) -> dict[str, Any]:
    """Values as the import reads them; ID and phone numbers masked (the county needs no full number) — but for
    the unit's own office phone (``full``), which is no person's."""
    return {f.key: f.kind.cell(record.get(f.key), full_id=full) for f in fields
            if record.get(f.key) not in (None, [], {}, "")}


def _records(conn: sa.Connection, unit: Unit, ledger_key: str, year: int,
             ref_date: dt.date | None) -> Iterator[dict[str, Any]]:
    """The year's records by the year rule the statistics use (up to the report's 成文日期), the deleted ones too
    (a deletion must travel)."""
    from fazhi_desktop.services.records import from_storage

    ledger = get_ledger(ledger_key)
    t = ledger_table(ledger_key)
    for deleted in (False, True):
        q = listing.ListQuery(ledger_key, year=year, deleted=deleted, ref_date=ref_date)
        statement = sa.select(t).where(*listing.where_of(unit, q)).order_by(t.c.created_at, t.c.id)
        for row in conn.execute(statement).mappings():
            yield from_storage(ledger, row)


def _left_the_year(conn: sa.Connection, unit: Unit, year: int) -> dict[str, set[str]]:
    """Per ledger, the records whose history shows a change of their year's date away from ``year`` — one pass over
    the unit's update entries for every ledger, never by reading every record of the unit."""
    from fazhi_desktop.domain.audit_actions import UPDATE
    from fazhi_desktop.domain.fields import FieldType
    from fazhi_desktop.storage.schema import audit_log

    def was(ledger) -> str:
        key = ledger.year_from
        return f'"{key}":["{year}-' if ledger.field(key).type == FieldType.DATE else f'"{key}":[{year},'

    found: dict[str, set[str]] = {}
    rows = conn.execute(sa.select(audit_log.c.ledger, audit_log.c.record_id).distinct().where(
        audit_log.c.unit_id == unit.id, audit_log.c.action == UPDATE,
        sa.or_(*(sa.and_(audit_log.c.ledger == lg.key, audit_log.c.changes.like(f"%{was(lg)}%")) for lg in LEDGERS))))
    for ledger_key, record_id in rows:
        found.setdefault(ledger_key, set()).add(record_id)
    return found


def _moved_out(conn: sa.Connection, unit: Unit, ledger_key: str, year: int, ids: set[str]) -> Iterator[dict[str, Any]]:
    """The records of ``ids`` no longer in ``year``: they travel with the year they left, so the county moves them
    too instead of counting them in a year they no longer belong to (#36)."""
    from fazhi_desktop.services.records import from_storage

    ledger, t, ids_ = get_ledger(ledger_key), ledger_table(ledger_key), sorted(ids)
    for i in range(0, len(ids_), 500):
        for row in conn.execute(sa.select(t).where(t.c.unit_id == unit.id, t.c.id.in_(ids_[i:i + 500]),
                                                  t.c.year != year).order_by(t.c.created_at, t.c.id)).mappings():
            yield from_storage(ledger, row)


def write_package(engine: sa.Engine, unit: Unit, year: int, out: str | os.PathLike, *, findings_open: int = 0,
                  report_pdf: Path | None = None, public_pdf: Path | None = None, actor: str | None = None) -> Written:
    """Write the package (atomically: a half-written file never exists under its name); the export is logged."""
    actor = actor or default_actor()
    privacy.check_export(engine, actor)
    counts: dict[str, int] = {}
    parts: dict[str, dict[str, Any]] = {}
    with engine.begin() as conn:  # made on first use, kept in this database
        key = signing_key.own_key(conn)
    public = signing_key.public_hex(key)
    with engine.connect() as conn, atomic_stream(out) as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:

        def put(name: str, data: bytes) -> None:
            parts[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            zf.writestr(name, data)

        unit_values = _values(UNIT_FIELDS, vars(unit), full=True)
        put(pf.UNIT, pf.dumps({"id": unit.id, "values": unit_values,
                               "local_choices": unit.local_choices}).encode("utf-8"))
        draft = reports_text.load_report_text(conn, unit, year)
        record_ids: dict[str, str] = {}
        left = _left_the_year(conn, unit, year)
        for ledger in LEDGERS:
            lines = []
            for record in _records(conn, unit, ledger.key, year, (draft or {}).get("doc_date")):
                record_ids[record["id"]] = ledger.key
                lines.append(pf.dumps({"id": record["id"], "meta": {k: record.get(k) for k in META},
                                       "values": _values(ledger.fields, record)}))
            counts[ledger.key] = len(lines)  # the year's own records; those that left it follow uncounted
            for record in _moved_out(conn, unit, ledger.key, year, {i for i in left.get(ledger.key, ()) if i not in record_ids}):
                lines.append(pf.dumps({"id": record["id"], "meta": {k: record.get(k) for k in META},
                                       "values": _values(ledger.fields, record)}))
            put(f"records/{ledger.key}.jsonl", ("\n".join(lines) + "\n" if lines else "").encode("utf-8"))
        files = attachment_files.store(conn)
        rows = [dict(r) for r in conn.execute(sa.select(attachments).where(
            attachments.c.unit_id == unit.id).order_by(attachments.c.added_at, attachments.c.id)).mappings()
            if r["record_id"] in record_ids]
        kept = []
        for row in rows:
            name = f"files/{row['sha256']}"
            if name not in parts:
                path = files.find(row["sha256"], row["name"])
                if path is None:
                    continue  # the file is gone from this PC: the record travels without it
                with open(path, "rb") as fh:
                    digest = hashlib.sha256()
                    with zf.open(name, "w", force_zip64=True) as target:
                        for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                            digest.update(chunk)
                            target.write(chunk)
                parts[name] = {"sha256": digest.hexdigest(), "size": path.stat().st_size}
            kept.append({k: row[k] for k in ("id", "ledger", "record_id", "name", "sha256", "size", "added_at",
                                             "added_by", "material", "photographer", "background")})
        put(pf.ATTACHMENTS, "".join(pf.dumps(k) + "\n" for k in kept).encode("utf-8"))
        if draft:
            put(pf.REPORT_TEXT, pf.dumps({"values": _values(REPORT_TEXT_FIELDS, draft),
                                          "updated_at": draft["updated_at"]}).encode("utf-8"))
        if report_pdf is not None:
            put(pf.REPORT_PDF, Path(report_pdf).read_bytes())
        if public_pdf is not None:
            put(pf.PUBLIC_PDF, Path(public_pdf).read_bytes())
        manifest = {
            "format": pf.FORMAT, "format_version": pf.FORMAT_VERSION, "program_version": __version__,
            "schema_revision": migrate.HEAD, "created_at": dt.datetime.now().replace(microsecond=0),
            "unit": {"id": unit.id, "name": unit.name, "kind": unit.kind, "county": unit.county},
            "year": year, "counts": counts, "attachments": len(kept), "findings_open": findings_open,
            "doc_date": (draft or {}).get("doc_date"), "has_report": report_pdf is not None, "parts": parts,
            "signer": {"public_key": public, "fingerprint": signing_key.fingerprint(public)},
        }
        data = pf.dumps(manifest).encode("utf-8")
        zf.writestr(pf.MANIFEST, data)
        zf.writestr(pf.SIGNATURE, signing_key.sign(key, data).encode("ascii"))
    privacy.log_export(engine, unit, actor, f"{year}年度数据包", out, sum(counts.values()))
    return Written(Path(out), counts, len(kept), signing_key.fingerprint(public), manifest["created_at"],
                   report_pdf is not None)
