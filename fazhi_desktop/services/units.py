"""Units (单位): the township whose ledgers a database holds; a county database holds many."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain.errors import CHOOSE_UNIT, NotFoundError, Problem, UserError, ValidationError
from fazhi_desktop.domain.fields import bad_character
from fazhi_desktop.domain.roles import SETTINGS, WRITE
from fazhi_desktop.domain.unit import UNIT_FIELDS, kind_from_name
from fazhi_desktop.domain.validation import unmask, validate_fields
from fazhi_desktop.services import accounts, audit
from fazhi_desktop.services.context import EVERYTHING, Changed, Context, Done
from fazhi_desktop.storage import derived
from fazhi_desktop.storage.database import Database
from fazhi_desktop.storage.schema import units


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str
    county: str
    addressee: str
    issuers: list[str]
    villages: list[str]
    contact: str | None = None
    phone: str | None = None
    basis_wording: str | None = None  # the unit's own report opening (domain.unit)
    opening_wording: str | None = None
    local_choices: dict[str, list[str]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Unit:
        return cls(**{k: row[k] for k in ("id", "name", "kind", "county", "addressee", "contact", "phone",
                                          "basis_wording", "opening_wording")},
                   issuers=list(row["issuers"] or []), villages=list(row["villages"] or []),
                   local_choices=dict(row["local_choices"] or {}), settings=dict(row["settings"] or {}))


def _validated(values: Mapping[str, Any]) -> dict[str, Any]:
    if not values.get("kind"):  # not given: the name decides (a 乡 is not written up as a 镇)
        values = {**values, "kind": kind_from_name(values.get("name")) or "镇"}
    clean, problems = validate_fields(UNIT_FIELDS, values)
    villages = clean.get("villages") or []
    if len(set(villages)) != len(villages):
        problems.append(Problem("villages", "村（社区）名单", "村名有重复"))
    if any(not p.warning for p in problems):
        raise ValidationError(problems)
    return clean


def _write(conn: sa.Connection, unit_id: str, values: Mapping[str, Any], actor: str,
           now: dt.datetime | None = None, action: str | None = SETTINGS) -> None:
    """The one way a unit row is changed: the actor's role is asked first (``action``; None for the program's own
    upkeep), every change stamps who and when (the history entry follows)."""
    if action is not None:
        accounts.require(conn, actor, action)
    now = now or dt.datetime.now().replace(microsecond=0)
    conn.execute(sa.update(units).where(units.c.id == unit_id).values(**values, updated_at=now, updated_by=actor))


def create_unit(conn: sa.Connection, values: Mapping[str, Any], actor: str, *, unit_id: str | None = None) -> Unit:
    """``unit_id``: the unit's own id where it came from (a township's package at its county)."""
    accounts.require(conn, actor, SETTINGS)
    clean = _validated(values)
    if conn.execute(sa.select(units.c.id).where(units.c.name == clean["name"])).first():
        raise UserError(f"单位「{clean['name']}」已经存在")
    now = dt.datetime.now().replace(microsecond=0)
    row = dict(clean, id=unit_id or str(uuid.uuid4()), local_choices={}, settings={},
               created_at=now, created_by=actor, updated_at=now, updated_by=actor)
    conn.execute(sa.insert(units).values(**row))
    audit.append(conn, actor, [audit.Change(row["id"], "unit", row["id"], "create",
                                            {k: (None, v) for k, v in clean.items()})])
    return Unit.from_row(row)


def _village_columns() -> list[tuple[str, str]]:
    """(ledger key, field key) of every field that names one of the unit's villages."""
    from fazhi_desktop.domain.fields import FieldType
    from fazhi_desktop.domain.ledgers import LEDGERS

    return [(lg.key, f.key) for lg in LEDGERS for f in lg.fields if f.type is FieldType.VILLAGE]


def village_usage(conn: sa.Connection, unit: Unit, village: str) -> int:
    """Records (the recycle bin's too) that name ``village``."""
    from fazhi_desktop.storage.schema import ledger_table

    total = 0
    for ledger_key, field_key in _village_columns():
        t = ledger_table(ledger_key)
        total += conn.execute(sa.select(sa.func.count()).where(t.c.unit_id == unit.id,
                                                                t.c[field_key] == village)).scalar_one()
    return total


def update_unit(conn: sa.Connection, unit: Unit, values: Mapping[str, Any], actor: str) -> Unit:
    current = {f.key: getattr(unit, f.key) for f in UNIT_FIELDS}
    if "villages" in values:
        # A village that records name cannot leave the list: every edit of those records would then fail.
        kept = set(coerce_villages(values["villages"]))
        used = [(v, n) for v in unit.villages if v not in kept and (n := village_usage(conn, unit, v))]
        if used:
            label = next(f.label for f in UNIT_FIELDS if f.key == "villages")
            raise ValidationError([Problem("villages", label, "、".join(
                f"「{v}」还有 {n} 条记录在用" for v, n in used) + "，不能删除；村名有变动时请用“村名改名”，记录会一并改过来")])
    values = unmask(UNIT_FIELDS, values, current)  # the office phone shows masked in 设置 like every phone
    clean = _validated({**current, **values})
    changes = {k: (current[k], v) for k, v in clean.items() if current[k] != v}
    if changes:
        now = dt.datetime.now().replace(microsecond=0)
        _write(conn, unit.id, clean, actor, now)
        audit.append(conn, actor, [audit.Change(unit.id, "unit", unit.id, "update", changes)])
    return get_unit(conn, unit_id=unit.id)


def coerce_villages(raw: Any) -> list[str]:
    from fazhi_desktop.domain.fields import coerce

    field = next(f for f in UNIT_FIELDS if f.key == "villages")
    try:
        return coerce(field, raw) or []
    except Exception:  # noqa: BLE001 - the full validation below reports it properly
        return []


def rename_village(conn: sa.Connection, unit: Unit, old: str, new: str, actor: str) -> tuple[Unit, int]:
    """Rename a village in the unit's list and in every record that names it; each changed record is logged.
    Returns the unit and the number of records changed."""
    from fazhi_desktop.storage.schema import ledger_table

    new = (new or "").strip()
    if old not in unit.villages:
        raise UserError(f"村（社区）名单中没有「{old}」")
    if not new or new == old:
        raise UserError("请填写新的村名")
    if new in unit.villages:
        raise UserError(f"村（社区）名单中已经有「{new}」；如要合并两个村，请先逐条修改记录")
    problem = bad_character(new)
    if problem:
        raise UserError(f"新村名{problem}")
    villages = [new if v == old else v for v in unit.villages]
    now = dt.datetime.now().replace(microsecond=0)
    _write(conn, unit.id, {"villages": villages}, actor, now)
    changes = [audit.Change(unit.id, "unit", unit.id, "update", {"villages": (unit.villages, villages)})]
    for ledger_key, field_key in _village_columns():
        t = ledger_table(ledger_key)
        ids = conn.execute(sa.select(t.c.id).where(t.c.unit_id == unit.id, t.c[field_key] == old)).scalars().all()
        if ids:
            conn.execute(sa.update(t).where(t.c.id.in_(ids)).values({field_key: new, "updated_at": now,
                                                                      "updated_by": actor}))
            derived.refresh(conn, ledger_key, ids)  # content changed: fingerprints and sort keys follow
            changes += [audit.Change(unit.id, ledger_key, rid, "update", {field_key: (old, new)}) for rid in ids]
    audit.append(conn, actor, changes)
    return get_unit(conn, unit_id=unit.id), len(changes) - 1


def list_units(conn: sa.Connection) -> list[Unit]:
    return [Unit.from_row(r) for r in conn.execute(sa.select(units).order_by(units.c.name)).mappings()]


def get_unit(conn: sa.Connection, name: str | None = None, *, unit_id: str | None = None) -> Unit:
    """The unit by name or id; without either, the database's only unit."""
    query = sa.select(units)
    if unit_id:
        query = query.where(units.c.id == unit_id)
    elif name:
        query = query.where(units.c.name == name)
    rows = conn.execute(query).mappings().all()
    if not rows:
        if name:
            raise NotFoundError(f"数据库中没有单位「{name}」")
        raise NotFoundError("数据库中还没有单位，请先运行 init 创建单位，或运行 demo 载入示例数据")
    if len(rows) > 1:
        names = "、".join(r["name"] for r in rows)
        raise UserError(f"数据库中有多个单位（{names}）", hint=CHOOSE_UNIT)
    return Unit.from_row(rows[0])


def add_local_choice(conn: sa.Connection, unit: Unit, ledger_key: str, field_key: str, value: str, actor: str) -> Unit:
    """Let a unit add its own value to a choice list (kept per unit, never altering the declared defaults)."""
    value = value.strip()
    if not value or "|" in value:
        raise UserError("可选值不能为空，也不能包含「|」")
    problem = bad_character(value)
    if problem:
        raise UserError(f"可选值{problem}")
    from fazhi_desktop.domain.ledgers import ledger as get_ledger

    declared = get_ledger(ledger_key).field(field_key)
    if not declared.extendable:
        raise UserError(f"「{declared.label}」只能从规定的选项中选择：{'、'.join(declared.choices)}")
    key = f"{ledger_key}.{field_key}"
    local = {k: list(v) for k, v in unit.local_choices.items()}
    if value in local.get(key, []):
        return unit
    local.setdefault(key, []).append(value)
    _write(conn, unit.id, {"local_choices": local}, actor, action=WRITE)
    audit.append(conn, actor, [audit.Change(unit.id, "unit", unit.id, "update",
                                            {"local_choices": (unit.local_choices, local)})])
    return get_unit(conn, unit_id=unit.id)


def update_settings(conn: sa.Connection, unit: Unit, changes: Mapping[str, Any], actor: str) -> Unit:
    """Merge ``changes`` into the unit's settings (fonts, backup folder, report switches…)."""
    for text in _strings(changes):
        problem = bad_character(text)
        if problem:
            raise UserError(f"设置内容{problem}")
    merged = {**unit.settings, **changes}
    if merged != unit.settings:
        _write(conn, unit.id, {"settings": merged}, actor)
        audit.append(conn, actor, [audit.Change(unit.id, "unit", unit.id, "update",
                                                {"settings": (unit.settings, merged)})])
    return get_unit(conn, unit_id=unit.id)


def _strings(value: Any) -> list[str]:
    """Every string inside a settings value (keys too): settings are free-form JSON."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def drop_local_keys(conn: sa.Connection, actor: str) -> dict[str, Any]:
    """Remove the settings that name places on a PC (backup folder, font files) from every unit — they belong to
    the PC (``storage.local_settings``), never to data that travels. Returns what the first unit that had any held."""
    from fazhi_desktop.storage.local_settings import KEYS

    found: dict[str, Any] = {}
    for unit in list_units(conn):
        dropped = {k: unit.settings[k] for k in KEYS if k in unit.settings}
        if dropped:
            found = found or dropped
            kept = {k: v for k, v in unit.settings.items() if k not in KEYS}
            _write(conn, unit.id, {"settings": kept}, actor, action=None)  # the program's upkeep at opening
            audit.append(conn, actor, [audit.Change(unit.id, "unit", unit.id, "update",
                                                    {"settings": (unit.settings, kept)})])
    return found


# -- operations (each owns its transaction and says what it changed) --------------------------------------------------
def load(ctx: Context) -> Unit:
    with ctx.engine.connect() as conn:
        return get_unit(conn, unit_id=ctx.unit.id)


def all_units(db: Database) -> list[Unit]:
    with db.engine.connect() as conn:
        return list_units(conn)


def pick(db: Database, name: str | None) -> Unit:
    """The unit to work on: by name, else the database's only one (a ``UserError`` with a hint otherwise)."""
    with db.engine.connect() as conn:
        return get_unit(conn, name)


def create(ctx: Context, values: Mapping[str, Any]) -> Done:
    """A township's own unit (the wizard, ``init``): its package signing key is made with it (#36)."""
    from fazhi_desktop.services import signing_key

    with ctx.engine.begin() as conn:
        unit = create_unit(conn, values, ctx.actor)
        signing_key.own_key(conn)
    return Done(unit, EVERYTHING)


def save(ctx: Context, values: Mapping[str, Any], settings: Mapping[str, Any] | None = None) -> Done:
    with ctx.engine.begin() as conn:
        unit = update_unit(conn, ctx.unit, values, ctx.actor)
        if settings:
            unit = update_settings(conn, unit, settings, ctx.actor)
    return Done(unit, Changed(unit=True))


def rename(ctx: Context, old: str, new: str) -> Done:
    with ctx.engine.begin() as conn:
        unit, changed = rename_village(conn, ctx.unit, old, new, ctx.actor)
    return Done((unit, changed), Changed(ledgers=frozenset(k for k, _f in _village_columns()), unit=True))


def add_choice(ctx: Context, ledger_key: str, field_key: str, value: str) -> Done:
    with ctx.engine.begin() as conn:
        unit = add_local_choice(conn, ctx.unit, ledger_key, field_key, value, ctx.actor)
    return Done(unit, Changed(unit=True))


def set_template(ctx: Context, name: str, source: str | None) -> Done:
    """Keep (``source``) or drop (None: back to the shipped wording) the unit's own wording of a report template."""
    templates = dict(ctx.unit.settings.get("templates") or {})
    if source is None:
        templates.pop(name, None)
    else:
        templates[name] = source
    with ctx.engine.begin() as conn:
        unit = update_settings(conn, ctx.unit, {"templates": templates}, ctx.actor)
    return Done(unit, Changed(unit=True, drafts=True))
