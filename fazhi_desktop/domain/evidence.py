"""The records behind each sentence of the report (#34).

A ``Rows`` is a set of one ledger's records, chosen by a *scope* (the records of the year, the rosters in force at
its end, the facilities in use, the counsel contracts covering it) and by conditions on their fields — always every
record of the unit that meets them, never a hand-picked few. A ``Fact`` is one thing a sentence states about such a
set: how many there are, what a field sums to, that every one of them has a value, that a name is theirs, a rate.
A claim carries its facts; ``services.claim_check`` re-derives each from the cited records alone, in code that
shares nothing with this module but the ledger declarations.

Nothing here touches the database: the records are loaded once per report (``services.report_records``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

SCOPES = ("year", "in_force", "in_use", "window")
# Conditions a record may be chosen by; services.claim_check knows the same names.
OPS = ("eq", "ne", "in", "not_in", "has", "true", "not_true", "blank", "not_blank", "positive", "before", "in_year",
       "not_in_year", "in_time", "not_in_time")


def in_time(record: Mapping[str, Any], calendar_spec: tuple[Any, ...]) -> bool:
    """Answered by the day the law set: ``calendar_spec`` is (rule, the unit's extra days off, its extra days worked),
    so a claim carries the calendar it was judged by and a checker can judge it again."""
    from fazhi_desktop.domain import deadlines, holidays

    rule, off, worked = calendar_spec
    if rule != "disclosure_answer":
        raise ValueError(rule)
    return deadlines.answered_in_time(record, holidays.calendar(off, worked))


@dataclass(frozen=True)
class Cond:
    field: str
    op: str
    value: Any = None

    def holds(self, record: Mapping[str, Any]) -> bool:
        v = record.get(self.field)
        op = self.op
        if op == "eq":
            return v == self.value
        if op == "ne":
            return v != self.value
        if op == "in":
            return v in self.value
        if op == "not_in":
            return v not in self.value
        if op == "has":
            return isinstance(v, list | tuple) and self.value in v
        if op == "true":
            return v is True
        if op == "not_true":
            return v is not True
        if op == "blank":
            return v in (None, "", [])
        if op == "not_blank":
            return v not in (None, "", [])
        if op == "positive":
            return isinstance(v, int) and v > 0
        if op == "before":
            return isinstance(v, dt.date) and v < self.value
        if op == "in_year":
            return isinstance(v, dt.date) and v.year == self.value
        if op == "not_in_year":
            return not (isinstance(v, dt.date) and v.year == self.value)
        if op in ("in_time", "not_in_time"):
            return in_time(record, self.value) is (op == "in_time")
        raise ValueError(op)


@dataclass(frozen=True)
class Rows:
    """Every record of ``ledger`` in ``scope`` that meets ``conds``, in the order the report lists them."""

    ledger: str
    scope: str
    records: tuple[Mapping[str, Any], ...]
    conds: tuple[Cond, ...] = ()

    def __len__(self) -> int:
        return len(self.records)

    def __bool__(self) -> bool:
        return bool(self.records)

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        return iter(self.records)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r["id"] for r in self.records)

    def where(self, *conds: Cond) -> Rows:
        kept = tuple(r for r in self.records if all(c.holds(r) for c in conds))
        return Rows(self.ledger, self.scope, kept, self.conds + conds)

    def eq(self, name: str, value: Any) -> Rows:
        return self.where(Cond(name, "eq", value))

    def ne(self, name: str, value: Any) -> Rows:
        return self.where(Cond(name, "ne", value))

    def among(self, name: str, values: Iterable[Any]) -> Rows:
        return self.where(Cond(name, "in", tuple(values)))

    def besides(self, name: str, values: Iterable[Any]) -> Rows:
        return self.where(Cond(name, "not_in", tuple(values)))

    def has(self, name: str, value: Any) -> Rows:
        return self.where(Cond(name, "has", value))

    def true(self, name: str) -> Rows:
        return self.where(Cond(name, "true"))

    def not_true(self, name: str) -> Rows:
        return self.where(Cond(name, "not_true"))

    def blank(self, name: str) -> Rows:
        return self.where(Cond(name, "blank"))

    def filled(self, name: str) -> Rows:
        return self.where(Cond(name, "not_blank"))

    def positive(self, name: str) -> Rows:
        return self.where(Cond(name, "positive"))

    def before(self, name: str, day: dt.date) -> Rows:
        return self.where(Cond(name, "before", day))

    def in_year(self, name: str, year: int) -> Rows:
        return self.where(Cond(name, "in_year", year))

    def not_in_year(self, name: str, year: int) -> Rows:
        return self.where(Cond(name, "not_in_year", year))

    def in_time(self, calendar_spec: tuple[Any, ...]) -> Rows:
        return self.where(Cond("answered_on", "in_time", calendar_spec))

    def not_in_time(self, calendar_spec: tuple[Any, ...]) -> Rows:
        return self.where(Cond("answered_on", "not_in_time", calendar_spec))

    def total(self, name: str) -> int:
        return sum(r.get(name) or 0 for r in self.records)

    def values(self, name: str) -> list[Any]:
        """The field's distinct values, in record order (blanks left out)."""
        return list(dict.fromkeys(v for r in self.records if (v := r.get(name)) not in (None, "")))

    def each(self, name: str) -> list[Any]:
        """The distinct values of a multi-choice field, in record order."""
        return list(dict.fromkeys(v for r in self.records for v in (r.get(name) or [])))

    def by(self, name: str) -> dict[Any, Rows]:
        """The records grouped by a field's value, most frequent first (ties in first-seen order); blanks as None."""
        groups: dict[Any, list[Mapping[str, Any]]] = {}
        for r in self.records:
            v = r.get(name)
            groups.setdefault(None if v in (None, "") else v, []).append(r)
        order = sorted(groups, key=lambda k: -len(groups[k]))
        return {k: self.blank(name) if k is None else self.eq(name, k) for k in order}


@dataclass(frozen=True)
class Fact:
    """One thing a sentence states about ``rows``: ``kind`` is
    count — there are ``value`` of them (``shown`` as the text writes the number);
    sum — ``field`` adds up to ``value`` over them;
    every — each of them has ``value`` in ``field`` (for a yes/no field: True);
    names — each of ``value`` (a tuple) is ``field`` of one of them, and the text names it;
    none — there is none (a sentence that says something was not done);
    rate — ``value`` is the share of ``rows`` among ``base`` (shown as a percentage)."""

    kind: str
    rows: Rows
    value: Any
    field: str | None = None
    shown: str | None = None
    base: Rows | None = None

    @property
    def empty(self) -> bool:
        """A fact no sentence may rest on: no records, or a zero figure (unless it says there is none)."""
        if self.kind == "none":
            return bool(self.rows)
        if self.kind == "rate":
            return not self.base
        return not self.rows or self.value in (0, None, (), "")


def count(rows: Rows, shown: str | None = None) -> Fact:
    return Fact("count", rows, len(rows), shown=shown if shown is not None else str(len(rows)))


def total(rows: Rows, name: str, shown: str | None = None) -> Fact:
    value = rows.total(name)
    return Fact("sum", rows, value, name, shown if shown is not None else str(value))


def every(rows: Rows, name: str, value: Any = True) -> Fact:
    return Fact("every", rows, value, name)


def names(rows: Rows, name: str, shown: Iterable[str]) -> Fact:
    return Fact("names", rows, tuple(shown), name)


def none(rows: Rows) -> Fact:
    return Fact("none", rows, 0)


def share(rows: Rows, base: Rows, shown: str) -> Fact:
    return Fact("rate", rows, (len(rows) / len(base)) if base else None, shown=shown, base=base)


@dataclass
class YearRecords:
    """The records a report of one unit and year may cite, per ledger and scope (loaded once)."""

    unit_id: str
    year: int
    ref_date: dt.date
    scoped: dict[tuple[str, str], Rows] = field(default_factory=dict)

    def __call__(self, ledger: str, scope: str = "year") -> Rows:
        return self.scoped.get((ledger, scope)) or Rows(ledger, scope, ())
