"""Create, update, soft-delete, restore and purge ledger records — validated, stamped and logged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain.audit_actions import CREATE, DELETE, PURGE, RESTORE, UPDATE
from fazhi_desktop.domain.errors import ConflictError, NotFoundError, Problem, ValidationError
from fazhi_desktop.domain.fields import Ledger
from fazhi_desktop.domain.fingerprint import COLUMN as FINGERPRINT
from fazhi_desktop.domain.fingerprint import fingerprint
from fazhi_desktop.domain.ids import new_id
from fazhi_desktop.domain.ledgers import ledger as get_ledger
from fazhi_desktop.domain.roles import ADMIN_ONLY, WRITE
from fazhi_desktop.domain.sort_keys import keys as sort_keys
from fazhi_desktop.domain.validation import report_year, unmask, validate_record
from fazhi_desktop.services import accounts, audit
from fazhi_desktop.services.actor import default_actor
from fazhi_desktop.services.context import NOTHING, Changed, Context, records_of
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage import bulk
from fazhi_desktop.storage.schema import ledger_table


@dataclass
class SaveResult:
    id: str
    warnings: list[Problem] = field(default_factory=list)
    changed: Changed = NOTHING


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def to_storage(ledger: Ledger, clean: Mapping[str, Any]) -> dict[str, Any]:
    """The stored columns of validated values: the declared fields, the report year, the content fingerprint and the
    pinyin sort keys."""
    row = {f.key: f.kind.stored(clean.get(f.key)) for f in ledger.fields}
    row[FINGERPRINT] = fingerprint(ledger, row)
    row.update(sort_keys(ledger, row))
    if not ledger.has("year"):
        row["year"] = report_year(ledger, clean)
    return row


def from_storage(ledger: Ledger, row: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for f in ledger.fields:
        if f.key in out:
            out[f.key] = f.kind.loaded(out[f.key])
    return out


class RecordService:
    """All record writes for one unit go through here; each call is one transaction."""

    def __init__(self, engine: sa.Engine, unit: Unit, actor: str | None = None):
        self.engine = engine
        self.unit = unit
        self.actor = actor or default_actor()

    # -- validation ------------------------------------------------------------------------------------------------
    def validate(self, ledger: Ledger, values: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
        return validate_record(ledger, values, villages=self.unit.villages, local_choices=self.unit.local_choices)

    def _checked(self, ledger: Ledger, values: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
        clean, problems = self.validate(ledger, values)
        if any(not p.warning for p in problems):
            raise ValidationError(problems)
        return clean, [p for p in problems if p.warning]

    # -- writes ------------------------------------------------------------------------------------------------------
    def create(self, ledger_key: str, values: Mapping[str, Any], *, record_id: str | None = None) -> SaveResult:
        ledger = get_ledger(ledger_key)
        clean, warnings = self._checked(ledger, values)
        with self.engine.begin() as conn:
            rid = self.insert_clean(conn, ledger, [(record_id, clean)])[0]
        return SaveResult(rid, warnings, records_of(ledger_key))

    def bulk_create(self, ledger_key: str, rows: Sequence[Mapping[str, Any]], conn: sa.Connection | None = None) -> list[str]:
        """Validate every row first (all problems at once, with 1-based row numbers), then insert all in one go."""
        ledger = get_ledger(ledger_key)
        cleaned, problems = [], []
        for n, values in enumerate(rows, start=1):
            clean, found = self.validate(ledger, values)
            problems += [Problem(p.field, p.label, p.message, p.warning, row=n) for p in found if not p.warning]
            cleaned.append((values.get("id"), clean))
        if problems:
            raise ValidationError(problems)
        if conn is not None:
            return self.insert_clean(conn, ledger, cleaned)
        with self.engine.begin() as own:
            return self.insert_clean(own, ledger, cleaned)

    def insert_clean(self, conn: sa.Connection, ledger: Ledger,
                     items: Iterable[tuple[str | None, dict[str, Any]]], action: str = CREATE,
                     stored: Sequence[dict[str, Any]] | None = None) -> list[str]:
        """Insert already validated records in the caller's transaction (``action`` names it in the history:
        create, or import). ``stored``: each item's ``to_storage`` columns when the caller has them already."""
        accounts.require(conn, self.actor, WRITE)
        now = _now()
        rows, changes = [], []
        for i, (rid, clean) in enumerate(items):
            rid = rid or new_id()
            # A microsecond apart: the rows of one import keep their order (rosters list 组长 first, as typed).
            rows.append(dict(stored[i] if stored else to_storage(ledger, clean), id=rid, unit_id=self.unit.id,
                             created_at=now + dt.timedelta(microseconds=i),
                             created_by=self.actor, updated_at=now, updated_by=self.actor, deleted=False))
            changes.append(audit.Change(self.unit.id, ledger.key, rid, action,
                                        {k: (None, v) for k, v in clean.items() if v not in (None, [], "")}))
        if rows:
            bulk.insert_rows(conn, ledger_table(ledger.key), rows)  # one executemany, parameters made once
            audit.append(conn, self.actor, changes, at=now)
        return [r["id"] for r in rows]

    def update(self, ledger_key: str, record_id: str, values: Mapping[str, Any], *,
               expected_version: int | None = None) -> SaveResult:
        """``expected_version``: the record's ``version`` when it was opened; if someone has saved it since (two
        clerks on one server database), nothing is written and ``ConflictError`` says who and when."""
        ledger = get_ledger(ledger_key)
        with self.engine.begin() as conn:
            current = self._fetch(conn, ledger, record_id)
            if expected_version is not None:
                self._same_version(ledger, current, expected_version)
            merged = {f.key: current[f.key] for f in ledger.fields} | unmask(ledger.fields, values, current)
            clean, warnings = self._checked(ledger, merged)
            self.update_clean(conn, ledger, record_id, clean, current, expected_version=expected_version)
        return SaveResult(record_id, warnings, records_of(ledger_key))

    @staticmethod
    def _same_version(ledger: Ledger, current: Mapping[str, Any], expected: int) -> None:
        if (current.get("version") or 0) != expected:
            when = current["updated_at"]
            raise ConflictError(f"这条{ledger.name.removesuffix('台账')}记录在您打开之后已被「{current['updated_by']}」"
                                f"于{when:%Y-%m-%d %H:%M}修改。为免覆盖对方的修改，这次没有保存。"
                                "请重新打开这条记录，核对后再修改。")

    def update_clean(self, conn: sa.Connection, ledger: Ledger, record_id: str, clean: Mapping[str, Any],
                     current: Mapping[str, Any] | None = None, *, expected_version: int | None = None) -> None:
        """Write validated values over a stored record in the caller's transaction; log only what changed. The
        row is written only while its version is still the one read (or ``expected_version``): a save that
        raced another one on a server fails instead of overwriting it."""
        accounts.require(conn, self.actor, WRITE)
        current = current or self._fetch(conn, ledger, record_id)
        diff = {k: (current[k], v) for k, v in clean.items() if current[k] != v}
        if diff:
            table = ledger_table(ledger.key)
            version = (current.get("version") or 0) if expected_version is None else expected_version
            done = conn.execute(sa.update(table).where(
                table.c.id == record_id, sa.func.coalesce(table.c.version, 0) == version).values(
                **to_storage(ledger, clean), updated_at=_now(), updated_by=self.actor, version=version + 1))
            if done.rowcount != 1:  # saved by someone else between the read and this write
                self._same_version(ledger, self._fetch(conn, ledger, record_id), version)
                raise ConflictError(f"这条{ledger.name.removesuffix('台账')}记录刚被其他人修改，这次没有保存。请重新打开后再修改。")
            audit.append(conn, self.actor, [audit.Change(self.unit.id, ledger.key, record_id, UPDATE, diff)])

    def _set_deleted(self, ledger_key: str, record_id: str, deleted: bool) -> Changed:
        ledger = get_ledger(ledger_key)
        table = ledger_table(ledger_key)
        with self.engine.begin() as conn:
            accounts.require(conn, self.actor, WRITE)
            current = self._fetch(conn, ledger, record_id)
            if current["deleted"] == deleted:
                return NOTHING
            conn.execute(sa.update(table).where(table.c.id == record_id).values(
                deleted=deleted, deleted_at=_now() if deleted else None, updated_at=_now(), updated_by=self.actor,
                version=sa.func.coalesce(table.c.version, 0) + 1))
            audit.append(conn, self.actor, [audit.Change(self.unit.id, ledger_key, record_id,
                                                         DELETE if deleted else RESTORE,
                                                         {"deleted": (not deleted, deleted)})])
        return records_of(ledger_key)

    def delete(self, ledger_key: str, record_id: str) -> Changed:
        """Soft delete: the record moves to the 回收站 and stops counting."""
        return self._set_deleted(ledger_key, record_id, True)

    def restore(self, ledger_key: str, record_id: str) -> Changed:
        return self._set_deleted(ledger_key, record_id, False)

    def purge(self, ledger_key: str, record_id: str) -> Changed:
        """Remove a record from the 回收站 for good; the change log keeps what it held."""
        ledger = get_ledger(ledger_key)
        table = ledger_table(ledger_key)
        with self.engine.begin() as conn:
            accounts.require(conn, self.actor, ADMIN_ONLY)
            current = self._fetch(conn, ledger, record_id)
            if not current["deleted"]:
                raise ValidationError([Problem("", "", "只能彻底删除回收站中的记录，请先删除")])
            conn.execute(sa.delete(table).where(table.c.id == record_id))
            audit.append(conn, self.actor, [audit.Change(self.unit.id, ledger_key, record_id, PURGE,
                                                         {f.key: (current[f.key], None) for f in ledger.fields})])
        return records_of(ledger_key)

    # -- reads -------------------------------------------------------------------------------------------------------
    def _fetch(self, conn: sa.Connection, ledger: Ledger, record_id: str) -> dict[str, Any]:
        table = ledger_table(ledger.key)
        row = conn.execute(sa.select(table).where(table.c.id == record_id, table.c.unit_id == self.unit.id)).mappings().first()
        if row is None:
            raise NotFoundError(f"{ledger.name}中找不到该记录（{record_id}）")
        return from_storage(ledger, row)

    def get(self, ledger_key: str, record_id: str) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return self._fetch(conn, get_ledger(ledger_key), record_id)

    def count(self, ledger_key: str, year: int | None = None, *, deleted: bool = False) -> int:
        table = ledger_table(ledger_key)
        query = sa.select(sa.func.count()).select_from(table).where(table.c.unit_id == self.unit.id,
                                                                     table.c.deleted == deleted)
        if year is not None:
            query = query.where(table.c.year == year)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()


def service(ctx: Context) -> RecordService:
    """The record service of an operation context (every record write of the window and the commands)."""
    return RecordService(ctx.engine, ctx.unit, ctx.actor)
