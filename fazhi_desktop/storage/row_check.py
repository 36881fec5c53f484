"""Every stored value of a file from elsewhere, checked against its declared type before the program reads it.

A backup is a SQLite file anyone can edit: a date column holding ``"xyz"``, a JSON column holding bytes, a count
holding text would each stop the program the first time it read that row. The checks are SQL over the raw file,
one statement per column, derived from the declarations (so a new field is checked without touching this module).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

from fazhi_desktop.domain.fields import Field
from fazhi_desktop.domain.fingerprint import LENGTH as FINGERPRINT_LENGTH
from fazhi_desktop.domain.sort_keys import column, keyed_fields, pinyin_key
from fazhi_desktop.domain.values import MAX_LONGTEXT, MAX_TEXT

_DATE = "[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]"
_STAMP = _DATE + " [0-2][0-9]:[0-5][0-9]:[0-5][0-9]*"


def _text(col: str, limit: int) -> str:
    return f"typeof({col}) NOT IN ('null', 'text') OR length({col}) > {limit}"


def _date(col: str) -> str:
    return f"typeof({col}) NOT IN ('null', 'text') OR ({col} IS NOT NULL AND ({col} NOT GLOB '{_DATE}' " \
           f"OR length({col}) != 10 OR date({col}, '+0 days') IS NOT {col}))"


def _stamp(col: str, nullable: bool = False) -> str:
    null = "'null', " if nullable else ""
    return f"typeof({col}) NOT IN ({null}'text') OR ({col} IS NOT NULL AND ({col} NOT GLOB '{_STAMP}' " \
           f"OR datetime(substr({col}, 1, 19), '+0 days') IS NOT substr({col}, 1, 19)))"


def _integer(col: str, lo: int | None = None, hi: int | None = None) -> str:
    out = f"typeof({col}) NOT IN ('null', 'integer')"
    if lo is not None:
        out += f" OR {col} < {lo}"
    if hi is not None:
        out += f" OR {col} > {hi}"
    return out


def _json(col: str, kind: str, element: str | None = None) -> str:
    out = f"typeof({col}) NOT IN ('null', 'text') OR ({col} IS NOT NULL AND (NOT json_valid({col}) " \
          f"OR json_type({col}) != '{kind}'"
    if element:
        out += f" OR EXISTS (SELECT 1 FROM json_each({col}) WHERE type != '{element}')"
    return out + "))"


def field_check(f: Field) -> str:
    """The SQL condition that is true for a stored value this field's kind could never have written."""
    col = f'"{f.key}"'
    kind = f.kind
    storage = kind.storage
    if storage in ("text", "idcard"):
        return _text(col, f.max_length or MAX_TEXT)
    if storage == "longtext":
        return _text(col, f.max_length or MAX_LONGTEXT)
    if storage == "date":
        return _date(col)
    if storage == "int":
        return _integer(col, getattr(kind, "lo", 0), getattr(kind, "hi", None))
    if storage == "money":
        return _integer(col, 0)
    if storage == "bool":
        return _integer(col, 0, 1)
    if storage == "json":
        return _json(col, "object" if isinstance(kind.empty, dict) else "array", "text")
    raise AssertionError(f"no stored-value check for {storage}")


def _record_checks() -> Iterator[tuple[str, str, str]]:
    """(table, column label, SQL condition true for a bad row)."""
    from fazhi_desktop.domain.ledgers import LEDGERS
    from fazhi_desktop.domain.unit import REPORT_TEXT_FIELDS, UNIT_FIELDS

    common = [("id", _text("id", 36) + " OR id IS NULL"), ("created_at", _stamp("created_at")),
              ("updated_at", _stamp("updated_at")), ("created_by", _text("created_by", 64)),
              ("updated_by", _text("updated_by", 64))]
    for lg in LEDGERS:
        checks = [*common, ("unit_id", _text("unit_id", 36) + " OR unit_id IS NULL"),
                  ("deleted", _integer("deleted", 0, 1) + " OR deleted IS NULL"),
                  ("deleted_at", _stamp("deleted_at", nullable=True)),
                  ("内容摘要", _text("fingerprint", FINGERPRINT_LENGTH))]
        if not lg.has("year"):
            checks.append(("year", _integer('"year"', 1949, 2100)))
        for table_col, cond in checks:
            yield lg.key, table_col, cond
        for f in lg.fields:
            yield lg.key, f.label, field_check(f)
        for f in keyed_fields(lg):  # a wrong key would only misorder a list, but it is not what the program wrote
            key = f'"{column(f.key)}"'
            yield lg.key, f"{f.label}（排序键）", f"typeof({key}) NOT IN ('null', 'blob') OR {key} IS NOT pinyin_key(\"{f.key}\")"
    for table_col, cond in common:
        yield "units", table_col, cond
    for f in UNIT_FIELDS:
        yield "units", f.label, field_check(f)
    yield "units", "local_choices", _json("local_choices", "object")
    yield "units", "settings", _json("settings", "object")
    for table_col, cond in common:
        yield "report_texts", table_col, cond
    yield "report_texts", "year", _integer('"year"', 1949, 2100) + ' OR "year" IS NULL'
    for f in REPORT_TEXT_FIELDS:
        yield "report_texts", f.label, field_check(f)
    yield from _account_checks()
    yield from _receipt_checks()
    yield "audit_log", "at", _stamp("at")
    yield "audit_log", "changes", _json("changes", "object")
    for col in ("prev_hash", "hash"):
        yield "audit_log", col, _text(col, 64) + f" OR {col} IS NULL"


# Control characters (NUL aside, which SQLite text cannot hold): never in a name the program wrote.
_CONTROL = "char(" + ", ".join(str(c) for c in [*range(1, 32), 127]) + ")"


def _name(col: str, limit: int) -> str:
    return _text(col, limit) + f" OR {col} IS NULL OR {col} = '' OR {col} GLOB '*[' || {_CONTROL} || ']*'"


def _account_checks() -> Iterator[tuple[str, str, str]]:
    """An account the program could not have written would lock everyone out once restored (#33 M4): a role it does
    not know, a password hash argon2 cannot read, a lock until the far future."""
    from fazhi_desktop.domain.roles import ROLES

    roles = ", ".join(f"'{r}'" for r in ROLES)
    yield "accounts", "id", _text("id", 36) + " OR id IS NULL"
    yield "accounts", "账户名", _name("name", 64)
    yield "accounts", "角色", _text("role", 10) + f" OR role IS NULL OR role NOT IN ({roles})"
    yield "accounts", "密码", _text("password_hash", 200) + " OR password_hash IS NULL " \
                             "OR password_hash NOT GLOB '$argon2id$v=*$m=*,t=*,p=*$*$*'"
    yield "accounts", "停用", _integer("disabled", 0, 1) + " OR disabled IS NULL"
    yield "accounts", "输错次数", _integer("failures", 0, 100) + " OR failures IS NULL"
    # A lock lasts minutes from the moment it was written, which is no later than now.
    yield "accounts", "锁定到", _stamp("locked_until", nullable=True) + \
        " OR locked_until > datetime('now', '+1 day')"
    for col, label in (("created_at", "建立时间"), ("password_changed_at", "改密码时间")):
        yield "accounts", label, _stamp(col)
    yield "accounts", "建立人", _text("created_by", 64) + " OR created_by IS NULL"


def _receipt_checks() -> Iterator[tuple[str, str, str]]:
    """The county's record of each package received (its 报送 table reads every row)."""
    yield "package_receipts", "id", _text("id", 36) + " OR id IS NULL"
    yield "package_receipts", "unit_id", _text("unit_id", 36) + " OR unit_id IS NULL"
    yield "package_receipts", "年度", _integer('"year"', 1949, 2100) + ' OR "year" IS NULL'
    for col, label in (("received_at", "接收时间"), ("created_at", "数据包生成时间")):
        yield "package_receipts", label, _stamp(col)
    yield "package_receipts", "接收人", _name("received_by", 64)
    yield "package_receipts", "校验值", _text("sha256", 64) + " OR length(sha256) != 64 OR sha256 GLOB '*[^0-9a-f]*'"
    for col in ("program_version", "schema_revision"):
        yield "package_receipts", col, _text(col, 20) + f" OR {col} IS NULL"
    yield "package_receipts", "各台账记录数", _json("counts", "object") + " OR counts IS NULL"
    for col, label in (("findings_open", "体检未处理事项"), ("created", "新增"), ("updated", "更新")):
        yield "package_receipts", label, _integer(col, 0) + f" OR {col} IS NULL"
    yield "package_receipts", "含报告", _integer("has_report", 0, 1) + " OR has_report IS NULL"
    yield "package_documents", "id", _text("id", 36) + " OR id IS NULL"
    yield "package_documents", "receipt_id", _text("receipt_id", 36) + " OR receipt_id IS NULL"
    from fazhi_desktop.storage.schema import DOCUMENT_KINDS

    kinds = ", ".join(f"'{k}'" for k in DOCUMENT_KINDS)
    yield "package_documents", "类别", f"kind IS NULL OR kind NOT IN ({kinds})"
    yield "package_documents", "校验值", _text("sha256", 64) + " OR length(sha256) != 64 OR sha256 GLOB '*[^0-9a-f]*'"
    yield "package_documents", "大小", _integer("size", 0) + " OR size IS NULL"
    yield "package_documents", "PDF", "typeof(data) != 'blob' OR length(data) != size OR substr(data, 1, 5) != X'255044462D'"


def _accounts_problem(con: sqlite3.Connection) -> str | None:
    """Accounts, when there are any, keep at least one usable 管理员: else no one could ever manage them again."""
    from fazhi_desktop.domain.roles import ADMIN

    total = con.execute("SELECT count(*) FROM accounts").fetchone()[0]
    admins = con.execute("SELECT count(*) FROM accounts WHERE role = ? AND disabled = 0", (ADMIN,)).fetchone()[0]
    if total and not admins:
        return f"数据表「accounts」有 {total} 个账户，却没有一个可用的管理员"
    return None


def problem(con: sqlite3.Connection) -> str | None:
    """None when every stored value has its declared type; else which table, column and row does not."""
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    con.create_function("pinyin_key", 1, pinyin_key, deterministic=True)  # the sort keys are checked against it
    columns: dict[str, set[str]] = {}
    for table, label, cond in _record_checks():
        if table not in tables:
            continue
        if table not in columns:
            columns[table] = {r[1] for r in con.execute(f'PRAGMA table_info("{table}")')}
        col = _column_of(cond)
        if col not in columns[table]:
            continue  # an older revision without this column
        row = con.execute(f'SELECT rowid FROM "{table}" WHERE {cond} LIMIT 1').fetchone()  # noqa: S608
        if row:
            return f"数据表「{table}」第 {row[0]} 行的「{label}」不是本程序写入的值"
    if "accounts" in tables and (found := _accounts_problem(con)):
        return found
    if "units" in tables:
        return _units_problem(con)
    return None


def _column_of(cond: str) -> str:
    inner = cond[cond.index("(") + 1:cond.index(")")]
    return inner.strip('"')


def _units_problem(con: sqlite3.Connection) -> str | None:
    """Units are few: their JSON parts are parsed and validated through the declarations as well."""
    from fazhi_desktop.domain.unit import UNIT_FIELDS
    from fazhi_desktop.domain.validation import validate_fields

    present = {r[1] for r in con.execute('PRAGMA table_info("units")')}
    fields = tuple(f for f in UNIT_FIELDS if f.key in present)  # an older revision lacks the newer columns
    cols = [f.key for f in fields]
    for row in con.execute(f"SELECT {', '.join(cols)}, local_choices, settings FROM units"):  # noqa: S608
        values = dict(zip(cols, row[:len(cols)], strict=True))
        for key in ("issuers", "villages"):
            values[key] = json.loads(values[key]) if values[key] else []
        _clean, found = validate_fields(fields, values)
        bad = [p for p in found if not p.warning]
        if bad:
            return f"单位「{str(values.get('name'))[:40]}」的设置不是本程序写入的（{bad[0]}）"
        local = json.loads(row[-2]) if row[-2] else {}
        if not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in local.values()):
            return f"单位「{str(values.get('name'))[:40]}」的自定义可选值异常"
    return None
