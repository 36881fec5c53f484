"""The independent check of the report's claims (#34): each fact a sentence states is re-derived from the records it
cites, read here straight from the database, by code that shares nothing with the writer but the ledger names.

For every fact: each cited record exists, is the unit's, is not deleted and lies in the scope the fact names (the
year, the rosters in force, the facilities in use, the counsel contracts covering the report's days); every one meets
the conditions it was chosen by; no record of the unit that meets them was left out; and the figure, name or share
the sentence states is what those records give. A problem is a Chinese sentence quoting the claim.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.storage.schema import ledger_table

_CHUNK = 500


def _raw(value: Any) -> Any:
    """A multi-choice value is stored as ``|a|b|``: its members."""
    if isinstance(value, str) and value.startswith("|") and value.endswith("|") and len(value) > 1:
        return [v for v in value.split("|") if v]
    return value


def _meets(row: Mapping[str, Any], name: str, op: str, want: Any) -> bool:  # noqa: PLR0911 - one test per condition
    v = _raw(row.get(name))
    if op == "eq":
        return v == want
    if op == "ne":
        return v != want
    if op == "in":
        return v in want
    if op == "not_in":
        return v not in want
    if op == "has":
        return isinstance(v, list) and want in v
    if op in ("true", "not_true"):
        return (v is True or v == 1) is (op == "true")
    if op in ("blank", "not_blank"):
        return (v is None or v == "" or v == []) is (op == "blank")
    if op == "positive":
        return isinstance(v, int) and not isinstance(v, bool) and v > 0
    if op == "before":
        return isinstance(v, dt.date) and v < want
    if op in ("in_year", "not_in_year"):
        return (isinstance(v, dt.date) and v.year == want) is (op == "in_year")
    if op in ("in_time", "not_in_time"):
        return _answered_in_time(row, want) is (op == "in_time")
    raise ValueError(op)


def _answered_in_time(row: Mapping[str, Any], spec: Any) -> bool:
    """Judged again from the stored row and the law as data (domain.deadlines, the shipped holiday calendar and the
    days the claim says the unit added): the statute is shared with the writer, the records are not."""
    from fazhi_desktop.domain import deadlines, holidays

    rule, off, worked = spec
    if rule != "disclosure_answer":
        raise ValueError(rule)
    return deadlines.answered_in_time(row, holidays.calendar(off, worked))


class _Scope:
    """Which of the unit's records a scope holds, decided row by row (the rules indicators.md gives)."""

    def __init__(self, year: int, ref_date: dt.date):
        self.year, self.first = year, dt.date(year, 1, 1)
        self.last = max(dt.date(year, 12, 31), ref_date)

    def holds(self, scope: str, row: Mapping[str, Any]) -> bool:
        y = row.get("year")
        if scope == "year":
            return y == self.year
        if scope == "in_force":
            left = row.get("left_year")
            return y is not None and y <= self.year and (left is None or left > self.year)
        if scope == "in_use":
            return row.get("in_use") in (None, True, 1) and (y is None or y <= self.year)
        if scope == "window":
            start = row.get("service_from") or row.get("signed_on")
            end = row.get("service_to")
            return (start is None or start <= self.last) and (end is None or end >= self.first)
        return False


def _figure(shown: str, value: Any) -> bool:
    """``shown`` writes ``value``: the number itself, or its first two digits and 多/余 (3500多 for 3560)."""
    m = re.fullmatch(r"(\d+)([多余]?)", shown)
    if not m or not isinstance(value, int):
        return False
    n = int(m[1])
    if not m[2]:
        return n == value
    step = 10 ** max(len(str(value)) - 2, 0)
    return n < value and value - n < step


def _percent(shown: str, value: float) -> bool:
    m = re.fullmatch(r"(\d+(?:\.\d)?)%", shown)
    return bool(m) and abs(float(m[1]) - round(value * 100, 1)) < 0.051


class Checker:
    def __init__(self, conn: sa.Connection, unit_id: str, year: int, ref_date: dt.date):
        self.conn, self.unit_id = conn, unit_id
        self.scope = _Scope(year, ref_date)
        self._unit_rows: dict[str, list[dict[str, Any]]] = {}
        self._pools: dict[str, dict[str, dict[str, Any]]] = {}
        self._meeting: dict[tuple, set[str]] = {}  # the ids meeting a set of conditions, worked out once

    def _all(self, ledger: str, scope: str) -> list[dict[str, Any]]:
        """The unit's live records of one ledger that may lie in the scope, as stored: the year's for "year" (the
        rows are judged by ``_Scope`` all the same; the query only spares reading other years)."""
        key = f"{ledger}:{scope}"
        if key not in self._unit_rows:
            t = ledger_table(ledger)
            where = [t.c.unit_id == self.unit_id, t.c.deleted.is_(sa.false())]
            if scope == "year":
                where.append(t.c.year == self.scope.year)
            elif scope in ("in_force", "in_use"):
                where.append(sa.or_(t.c.year.is_(None), t.c.year <= self.scope.year))
            self._unit_rows[key] = [dict(r) for r in self.conn.execute(sa.select(t).where(*where)).mappings()]
        return self._unit_rows[key]

    def _pool(self, ledger: str, scope: str) -> dict[str, dict[str, Any]]:
        key = f"pool:{ledger}:{scope}"
        if key not in self._pools:
            self._pools[key] = {r["id"]: r for r in self._all(ledger, scope)}
        return self._pools[key]

    def _cited(self, ledger: str, scope: str, ids: Iterable[str]) -> tuple[list[dict[str, Any]], list[str]]:
        """The cited records as stored: those read for the scope already, the rest (another year's, another unit's,
        a deleted one — or none at all) asked for by id."""
        t = ledger_table(ledger)
        ids = list(ids)
        pool = self._pool(ledger, scope)
        found: dict[str, dict[str, Any]] = {i: pool[i] for i in ids if i in pool}
        rest = [i for i in ids if i not in found]
        for i in range(0, len(rest), _CHUNK):
            for r in self.conn.execute(sa.select(t).where(t.c.id.in_(rest[i:i + _CHUNK]))).mappings():
                found[r["id"]] = dict(r)
        problems = []
        for rid in ids:
            row = found.get(rid)
            if row is None:
                problems.append(f"引用的记录 {rid[:8]} 不存在")
            elif row["unit_id"] != self.unit_id or row["deleted"]:
                problems.append(f"引用的记录 {rid[:8]} 不是本单位的在用记录")
        return [found[i] for i in ids if i in found], problems

    def rows(self, rows) -> tuple[list[dict[str, Any]], list[str]]:
        """The cited records after every check of membership; problems when any fails."""
        cited, problems = self._cited(rows.ledger, rows.scope, rows.ids)
        conds = tuple((c.field, c.op, c.value if not isinstance(c.value, list) else tuple(c.value)) for c in rows.conds)
        key = (rows.ledger, rows.scope, conds)
        everyone = self._meeting.get(key)
        if everyone is None:
            everyone = self._meeting[key] = {
                r["id"] for r in self._all(rows.ledger, rows.scope) if self.scope.holds(rows.scope, r)
                and all(_meets(r, name, op, want) for name, op, want in conds)}
        for row in cited:
            if row["id"] in everyone:
                continue  # in scope and meeting every condition: worked out once for all the facts citing it
            if not self.scope.holds(rows.scope, row):
                problems.append(f"引用的记录 {row['id'][:8]} 不在报告所说的范围内")
            bad = [name for name, op, want in conds if not _meets(row, name, op, want)]
            if bad:
                problems.append(f"引用的记录 {row['id'][:8]} 不符合条件（{'、'.join(bad)}）")
        left_out = everyone - set(rows.ids)
        if left_out:
            problems.append(f"漏了 {len(left_out)} 条符合条件的记录")
        return cited, problems

    def fact(self, fact, text: str) -> list[str]:
        cited, problems = self.rows(fact.rows)
        kind, value = fact.kind, fact.value
        if kind == "count":
            if value != len(cited):
                problems.append(f"说的是 {value} 条，记录是 {len(cited)} 条")
        elif kind == "sum":
            found = sum(_raw(r.get(fact.field)) or 0 for r in cited)
            if value != found:
                problems.append(f"「{fact.field}」合计是 {found}，不是 {value}")
        elif kind == "every":
            wrong = [r for r in cited if not (_raw(r.get(fact.field)) in value if isinstance(value, tuple)
                                              else _meets(r, fact.field, "true", None) if value is True
                                              else _raw(r.get(fact.field)) == value)]
            if wrong or not cited:
                problems.append(f"并非每条记录的「{fact.field}」都是「{value}」")
        elif kind == "names":
            for name in value:
                holders = [r for r in cited if name in (_raw(r.get(fact.field)) or "")]
                if not holders:
                    problems.append(f"「{name}」不是所引记录的「{fact.field}」")
                if name not in text:
                    problems.append(f"句中没有写出「{name}」")
        elif kind == "none":
            if cited:
                problems.append("说没有，但有记录")
        elif kind == "rate":
            base, base_problems = self.rows(fact.base)
            problems += base_problems
            if not base or not _percent(fact.shown or "", len(cited) / len(base)):
                problems.append(f"比率「{fact.shown}」与记录不符")
        if fact.shown and kind in ("count", "sum"):
            if fact.shown not in text:
                problems.append(f"句中没有写出「{fact.shown}」")
            elif not _figure(fact.shown, value):
                problems.append(f"「{fact.shown}」写的不是 {value}")
        return problems


def check(conn: sa.Connection, unit_id: str, year: int, ref_date: dt.date, claims: Iterable,
          checker: Checker | None = None) -> list[str]:
    """Each claim whose facts the cited records do not bear out, with what is wrong. ``checker``: one already reading
    this unit and year (its records are read once for all the sections checked with it)."""
    checker = checker or Checker(conn, unit_id, year, ref_date)
    out = []
    for claim in claims:
        problems = [p for fact in claim.facts for p in checker.fact(fact, claim.text)]
        if problems:
            quoted = claim.text if len(claim.text) <= 40 else claim.text[:40] + "…"
            out.append(f"「{quoted}」：{'；'.join(dict.fromkeys(problems))}")
    return out
