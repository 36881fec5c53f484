"""Validation of one record against its declaration; every message is Chinese and names the field."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from fazhi_desktop.domain.errors import Problem
from fazhi_desktop.domain.fields import (
    CoercionError,
    Field,
    Ledger,
    MinorWarning,
    NotBefore,
    PatternWarning,
    RequiredWhen,
    RequireTrueWhen,
    bad_character,
)
from fazhi_desktop.domain.idcard import age_on
from fazhi_desktop.domain.kinds import CheckContext
from fazhi_desktop.domain.values import MAX_LONGTEXT, MAX_TEXT


def choices_for(f: Field, local_choices: Mapping[str, Iterable[str]] | None, ledger_key: str = "") -> tuple[str, ...]:
    """Declared choices plus the unit's locally added values (settings key ``ledger.field``), where the field may
    be extended (a fixed scale such as 风险等级 may not)."""
    if not f.extendable:
        return f.choices
    extra = tuple((local_choices or {}).get(f"{ledger_key}.{f.key}", ()))
    return f.choices + tuple(v for v in extra if v not in f.choices)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def validate_fields(
    fields: Iterable[Field],
    raw: Mapping[str, Any],
    *,
    villages: Iterable[str] = (),
    local_choices: Mapping[str, Iterable[str]] | None = None,
    ledger_key: str = "",
) -> tuple[dict[str, Any], list[Problem]]:
    """Coerce and check each field; returns the clean values and every problem found (errors and warnings)."""
    clean: dict[str, Any] = {}
    problems: list[Problem] = []
    for f, kind, choices, context in _checks(fields, villages, local_choices, ledger_key):
        if f.key not in raw:
            value = f.default
        else:
            try:
                value = kind.coerce(f, raw[f.key])
            except CoercionError as exc:
                problems.append(Problem(f.key, f.label, str(exc)))
                continue
        if _empty(value):
            if f.required:
                problems.append(Problem(f.key, f.label, "为必填项，不能为空"))
            clean[f.key] = kind.empty
            continue
        value = kind.spelled(value, choices)
        message = _text_problem(f, value) or kind.check(f, value, context)
        if message:
            problems.append(Problem(f.key, f.label, message))
            continue
        if isinstance(value, int) and kind.numeric and value > (f.usual_max or PLAUSIBLE_INT):
            usual = f"（一般不超过{f.usual_max}）" if f.usual_max else ""
            problems.append(Problem(f.key, f.label, f"数值{value}异常大{usual}，请核对是否多输了位数",
                                    warning=True, unusual=True))
        clean[f.key] = value
    return clean, problems


_Check = tuple[Field, Any, tuple[str, ...], CheckContext]
_CHECKS: dict[tuple[Any, ...], tuple[Any, tuple[_Check, ...]]] = {}


def _checks(fields: Iterable[Field], villages: Iterable[str], local_choices: Mapping[str, Iterable[str]] | None,
            ledger_key: str) -> tuple[_Check, ...]:
    """Each field with its kind, its choices and the context its check reads, built once per declaration, villages
    and local choices: an import validates 10,000 rows against the same ones (#38)."""
    villages = tuple(villages)
    key = (id(fields), ledger_key, villages,
           tuple((k, tuple(v)) for k, v in sorted((local_choices or {}).items())))
    hit = _CHECKS.get(key) if isinstance(fields, tuple) else None
    if hit is not None and hit[0] is fields:  # the same declaration, not another tuple that got its id
        return hit[1]
    village_set = frozenset(villages)
    checks = []
    for f in fields:
        choices = choices_for(f, local_choices, ledger_key)
        checks.append((f, f.kind, choices, CheckContext(village_set, choices)))
    if isinstance(fields, tuple):
        if len(_CHECKS) > 256:
            _CHECKS.clear()
        _CHECKS[key] = (fields, tuple(checks))
    return tuple(checks)


PLAUSIBLE_INT = 1_000_000  # no count a township keeps (people, copies, 人次) comes near this


def _text_problem(f: Field, value: Any) -> str | None:
    """What every text value is held to, whatever its kind: no characters outputs cannot carry, bounded length."""
    if not isinstance(value, str):
        return None
    problem = bad_character(value)
    if problem:
        return problem
    limit = f.max_length or (MAX_LONGTEXT if f.kind.storage == "longtext" else MAX_TEXT)
    if len(value) > limit:
        return f"内容过长（最多{limit}字，现为{len(value)}字）"
    return None


def validate_record(
    ledger: Ledger,
    raw: Mapping[str, Any],
    *,
    villages: Iterable[str] = (),
    local_choices: Mapping[str, Iterable[str]] | None = None,
) -> tuple[dict[str, Any], list[Problem]]:
    """Validate a whole record: per-field checks, then the ledger's cross-field rules."""
    clean, problems = validate_fields(
        ledger.fields, raw, villages=villages, local_choices=local_choices, ledger_key=ledger.key
    )
    bad_fields = {p.field for p in problems}
    for rule in ledger.rules:
        problem = _check_rule(ledger, rule, clean, bad_fields)
        if problem:
            problems.append(problem)
    return clean, problems


def _check_rule(ledger: Ledger, rule: Any, clean: Mapping[str, Any], bad: set[str]) -> Problem | None:
    if isinstance(rule, RequiredWhen):
        if rule.target in bad or rule.when in bad:
            return None
        when_value = clean.get(rule.when)
        if when_value in rule.values and _empty(clean.get(rule.target)):
            cond = ledger.field(rule.when)
            target = ledger.field(rule.target)
            return Problem(target.key, target.label, f"「{cond.label}」为「{when_value}」时必须填写")
    elif isinstance(rule, RequireTrueWhen):
        if clean.get(rule.when) and not clean.get(rule.target):
            target = ledger.field(rule.target)
            return Problem(target.key, target.label, rule.message, warning=rule.warning)
    elif isinstance(rule, NotBefore):
        later, earlier = clean.get(rule.later), clean.get(rule.earlier)
        if later and earlier and later < earlier:
            f_later, f_earlier = ledger.field(rule.later), ledger.field(rule.earlier)
            return Problem(f_later.key, f_later.label, f"不能早于「{f_earlier.label}」（{earlier.isoformat()}）")
    elif isinstance(rule, MinorWarning):
        age = age_on(clean.get(rule.target), clean.get(rule.on))
        if rule.target not in bad and age is not None and age < rule.age:
            special = rule.when is not None and clean.get(rule.when) in rule.values
            target = ledger.field(rule.target)
            return Problem(target.key, target.label, (rule.special if special else rule.message).format(age=age),
                           warning=True)
    elif isinstance(rule, PatternWarning):
        value = clean.get(rule.target)
        if value and not re.match(rule.pattern, value):
            target = ledger.field(rule.target)
            return Problem(target.key, target.label, rule.message, warning=True)
    return None


def report_year(ledger: Ledger, clean: Mapping[str, Any]) -> int | None:
    """The record's report year: the year of its main date, or its explicit 年度."""
    value = clean.get(ledger.year_from)
    if value is None:
        return None
    return value if isinstance(value, int) else value.year


def unmask(fields: Iterable[Field], values: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    """Forms show ID and phone numbers masked: one saved unchanged keeps the stored number. A masked value that is
    not the stored one's mask stays as typed (validation then says it is not a number)."""
    out = dict(values)
    for f in fields:
        raw = out.get(f.key)
        if f.kind.personal and f.kind.is_masked(raw):
            kept = f.kind.unmasked(raw, current.get(f.key))
            if kept is not None:
                out[f.key] = kept
    return out
