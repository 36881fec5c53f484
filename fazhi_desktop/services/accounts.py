"""Accounts, logins and the one check every write, reveal and export passes (个人信息保护法第五十一条: 操作权限).

There are no accounts by default: a one-person PC works as before and whoever runs the program may do everything.
Once one exists, every front end asks who is working (the GUI a login, the command line the password) and hands the
account's name to the services as the actor; ``require`` then looks up its role, so the command line and the GUI
obey the same rules and a hidden button is never the only guard. Passwords are Argon2id hashes (argon2-cffi), never
stored or logged in clear; five wrong passwords in a row lock the account for 15 minutes.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from fazhi_desktop.domain import audit_actions as A
from fazhi_desktop.domain.errors import AccessDenied, LoginError, UserError
from fazhi_desktop.domain.roles import ACTIONS, ADMIN, ADMIN_ONLY, ROLES, allows
from fazhi_desktop.domain.values import bad_character
from fazhi_desktop.services import audit
from fazhi_desktop.storage.schema import accounts

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 8


@functools.cache
def _kdf():
    """Argon2id (RFC 9106's low-memory profile: 64 MiB, 3 passes), loaded on first use: every record write imports
    this module, and start-up need not load the KDF."""
    from argon2 import PasswordHasher

    return PasswordHasher()


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    disabled: bool
    locked_until: dt.datetime | None
    created_at: dt.datetime


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def has_accounts(conn: sa.Connection) -> bool:
    return conn.execute(sa.select(sa.func.count()).select_from(accounts)).scalar_one() > 0


def _row(conn: sa.Connection, name: str):
    return conn.execute(sa.select(accounts).where(accounts.c.name == name)).mappings().first()


def role_of(conn: sa.Connection, actor: str) -> str | None:
    """The actor's role; ``ADMIN`` while the database has no accounts (one person does everything); None for a
    name that is not a working account."""
    if not has_accounts(conn):
        return ADMIN
    row = _row(conn, actor)
    return None if row is None or row["disabled"] else row["role"]


def require(conn: sa.Connection, actor: str, action: str) -> None:
    """Refuse (``AccessDenied``) unless ``actor`` may do ``action``: the service layer calls this before it writes,
    reveals or exports."""
    tx = conn.get_transaction()
    known = conn.info.get("access")
    if tx is not None and known is not None and known[0] is tx and (actor, action) in known[1]:
        return  # asked already in this transaction (an import's thousands of rows ask once)
    role = role_of(conn, actor)
    if role is None:
        raise AccessDenied(f"「{actor}」不是本数据库的有效账户，不能{ACTIONS[action]}。请用自己的账户登录。")
    if not allows(role, action):
        raise AccessDenied(f"账户「{actor}」是「{role}」，不能{ACTIONS[action]}。如需办理，请联系管理员。")
    if tx is not None:
        if known is None or known[0] is not tx:
            known = conn.info["access"] = (tx, set())
        known[1].add((actor, action))


def read_only_engine(path) -> sa.Engine:
    """A SQLite file's accounts read without touching it (a file about to be restored over, maybe damaged, with
    its WAL, must stay exactly as it is)."""
    import sqlite3
    from pathlib import Path

    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    return sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))


def may(engine: sa.Engine, actor: str, action: str) -> bool:
    """Whether ``actor`` may do ``action`` (asking, not refusing)."""
    with engine.connect() as conn:
        return allows(role_of(conn, actor), action)


def require_engine(engine: sa.Engine, actor: str, action: str) -> None:
    with engine.connect() as conn:
        require(conn, actor, action)


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"密码至少{MIN_PASSWORD}位"
    if password.strip() != password or not password.isprintable():
        return "密码不能以空格开头或结尾，也不能含有控制字符"
    if password.isdigit() or password.isalpha():
        return "密码不能全是数字或全是字母，请混合使用字母和数字"
    return None


def _log(conn: sa.Connection, actor: str, account_id: str, action: str, changes: dict) -> None:
    audit.append(conn, actor, [audit.Change(None, "account", account_id, action, changes)])


def add(conn: sa.Connection, name: str, role: str, password: str, actor: str) -> Account:
    """A new account. The first one must be a 管理员 (else nobody could manage the others); after that only a
    管理员 may add one."""
    name = (name or "").strip()
    if not name or len(name) > 64 or bad_character(name) or any(ch.isspace() for ch in name):
        raise UserError("账户名不能为空，不能含有空格或控制字符，最长64个字")
    if role not in ROLES:
        raise UserError(f"角色应为{'、'.join(ROLES)}之一，不能是「{role}」")
    first = not has_accounts(conn)
    if first and role != ADMIN:
        raise UserError("第一个账户必须是管理员，否则没有人能管理账户")
    if not first:
        require(conn, actor, ADMIN_ONLY)
    if _row(conn, name) is not None:
        raise UserError(f"账户「{name}」已经存在")
    problem = password_problem(password)
    if problem:
        raise UserError(problem)
    now, account_id = _now(), str(uuid.uuid4())
    conn.execute(sa.insert(accounts).values(id=account_id, name=name, role=role, password_hash=_kdf().hash(password),
                                            disabled=False, failures=0, created_at=now,
                                            created_by=actor, password_changed_at=now))
    _log(conn, actor, account_id, A.ACCOUNT_ADD, {"name": (None, name), "role": (None, role)})
    return Account(name, role, False, None, now)


def list_accounts(conn: sa.Connection) -> list[Account]:
    rows = conn.execute(sa.select(accounts).order_by(accounts.c.created_at, accounts.c.name)).mappings()
    return [Account(r["name"], r["role"], r["disabled"], r["locked_until"], r["created_at"]) for r in rows]


def disable(conn: sa.Connection, name: str, actor: str) -> None:
    require(conn, actor, ADMIN_ONLY)
    row = _row(conn, name)
    if row is None:
        raise UserError(f"没有账户「{name}」")
    if row["disabled"]:
        return
    admins = conn.execute(sa.select(sa.func.count()).select_from(accounts).where(
        accounts.c.role == ADMIN, accounts.c.disabled.is_(sa.false()))).scalar_one()
    if row["role"] == ADMIN and admins <= 1:
        raise UserError("这是唯一在用的管理员账户，停用后就没有人能管理账户了。请先另建一个管理员账户")
    conn.execute(sa.update(accounts).where(accounts.c.id == row["id"]).values(disabled=True))
    _log(conn, actor, row["id"], A.ACCOUNT_DISABLE, {"disabled": (False, True)})


def login(engine: sa.Engine, name: str, password: str, now: Callable[[], dt.datetime] = _now) -> Account:
    """Check a password. A failure is counted (and committed) before the refusal is raised. Every refusal says only
    what the user can act on; a wrong name and a wrong password read alike."""
    # One attempt at a time per database: the count is read, the password checked and the count written under one
    # write lock (SQLite: BEGIN IMMEDIATE; a server: the row locked), so parallel guesses cannot each read the same
    # count and get five tries apiece
    with engine.connect().execution_options(immediate=True) as conn, conn.begin():
        outcome = _attempt(conn, name, password, now())
    if isinstance(outcome, LoginError):
        raise outcome
    return outcome


def _attempt(conn: sa.Connection, name: str, password: str, at: dt.datetime) -> Account | LoginError:
    row = conn.execute(sa.select(accounts).where(accounts.c.name == (name or "").strip())
                       .with_for_update()).mappings().first()
    if row is None:
        _kdf().hash(password or "x")  # as slow as a real check: the time does not tell which names exist
        return LoginError("账户名或密码不正确")
    if row["disabled"]:
        return LoginError(f"账户「{row['name']}」已停用，请联系管理员")
    if row["locked_until"] is not None and at < row["locked_until"]:
        return LoginError(f"密码连续输错{MAX_FAILURES}次，账户已锁定，请于{row['locked_until']:%H:%M}后再试")
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        _kdf().verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):  # VerifyMismatchError is a VerificationError
        failures = row["failures"] + 1
        locked = at + dt.timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILURES else None
        conn.execute(sa.update(accounts).where(accounts.c.id == row["id"]).values(
            failures=0 if locked else failures, locked_until=locked))
        _log(conn, row["name"], row["id"], A.LOGIN_FAILED, {"failures": (row["failures"], failures)})
        if locked:
            return LoginError(f"密码连续输错{MAX_FAILURES}次，账户已锁定{LOCK_MINUTES}分钟")
        return LoginError(f"账户名或密码不正确（再输错{MAX_FAILURES - failures}次将锁定账户）")
    rehash = _kdf().check_needs_rehash(row["password_hash"])  # the KDF's parameters were raised since
    if row["failures"] or row["locked_until"] is not None or rehash:
        conn.execute(sa.update(accounts).where(accounts.c.id == row["id"]).values(
            failures=0, locked_until=None, password_hash=_kdf().hash(password) if rehash else row["password_hash"]))
        _log(conn, row["name"], row["id"], A.LOGIN, {"failures": (row["failures"], 0)})
    return Account(row["name"], row["role"], False, None, row["created_at"])


def snapshot(conn: sa.Connection) -> list[dict]:
    """Every account as stored (to be kept through a restore)."""
    return [dict(r) for r in conn.execute(sa.select(accounts).order_by(accounts.c.name)).mappings()]


def adopt(conn: sa.Connection, kept: list[dict], actor: str) -> int:
    """A restored database takes the accounts the database had before the restore: an older backup (or one with
    its accounts emptied) must not leave the data with no accounts, where anyone is 管理员, nor with passwords and
    roles of the past. Each account that differs is a history entry. Returns how many did."""
    before = {r["id"]: r for r in snapshot(conn)}
    conn.execute(sa.delete(accounts))
    if kept:
        conn.execute(sa.insert(accounts), kept)
    changes = [audit.Change(None, "account", r["id"], A.ACCOUNTS_KEPT, {"账户": (None, r["name"])})
               for r in kept if before.get(r["id"]) != r]
    changes += [audit.Change(None, "account", rid, A.ACCOUNTS_KEPT, {"账户": (r["name"], None)})
                for rid, r in before.items() if rid not in {k["id"] for k in kept}]
    if changes:
        audit.append(conn, actor, changes)
    return len(changes)


def change_password(engine: sa.Engine, name: str, old: str, new: str) -> None:
    login(engine, name, old)
    problem = password_problem(new)
    if problem:
        raise UserError(problem)
    if new == old:
        raise UserError("新密码不能与原密码相同")
    with engine.begin() as conn:
        row = _row(conn, name)
        conn.execute(sa.update(accounts).where(accounts.c.id == row["id"]).values(
            password_hash=_kdf().hash(new), password_changed_at=_now()))
        _log(conn, name, row["id"], A.PASSWORD, {"password": ("（已隐藏）", "（已隐藏）")})
