"""Validation of one record against its declaration; every message is Chinese and names the field."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from fazhi_desktop.domain.errors import Problem
from fazhi_desktop.domain.fields import (
    CoercionError,
    Field,
    FieldType,
    Ledger,
    NotBefore,
    PatternWarning,
    RequiredWhen,
    RequireTrueWhen,
    bad_character,
    coerce,
    full_width_brackets,
    phone_problem,
)
from fazhi_desktop.domain.idcard import idcard_problem

MAX_TEXT = 200
MAX_LONGTEXT = 20000


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
    village_set = set(villages)
    for f in fields:
        if f.key not in raw:
            value = f.default
        else:
            try:
                value = coerce(f, raw[f.key])
            except CoercionError as exc:
                problems.append(Problem(f.key, f.label, str(exc)))
                continue
        if _empty(value):
            if f.required:
                problems.append(Problem(f.key, f.label, "为必填项，不能为空"))
            clean[f.key] = {FieldType.TEXTLIST: [], FieldType.TEXTMAP: {}}.get(f.type)
            continue
        choices = choices_for(f, local_choices, ledger_key)
        if f.type is FieldType.CHOICE and value not in choices:
            value = _known_spelling(value, choices)
        elif f.type is FieldType.MULTICHOICE:
            value = [_known_spelling(v, choices) for v in value]
        message = _check_value(f, value, village_set, choices)
        if message:
            problems.append(Problem(f.key, f.label, message))
            continue
        if f.type is FieldType.INT and value > PLAUSIBLE_INT:
            problems.append(Problem(f.key, f.label, f"数值{value}异常大，请核对是否多输了位数", warning=True))
        clean[f.key] = value
    return clean, problems


PLAUSIBLE_INT = 1_000_000  # no count a township keeps (people, copies, 人次) comes near this


def _known_spelling(value: str, choices: tuple[str, ...]) -> str:
    """A choice typed with half-width brackets is the same choice (不予处罚(免罚清单) → 不予处罚（免罚清单）)."""
    if value in choices:
        return value
    full = full_width_brackets(value)
    return full if full in choices else value


def _check_value(f: Field, value: Any, villages: set[str], choices: tuple[str, ...]) -> str | None:
    t = f.type
    if isinstance(value, str):
        problem = bad_character(value)
        if problem:
            return problem
        limit = f.max_length or (MAX_LONGTEXT if t is FieldType.LONGTEXT else MAX_TEXT)
        if len(value) > limit:
            return f"内容过长（最多{limit}字，现为{len(value)}字）"
    if t is FieldType.CHOICE and value not in choices:
        return f"「{value}」不是可选值，可选：{'、'.join(choices)}"
    if t is FieldType.MULTICHOICE:
        bad = [v for v in value if v not in choices]
        if bad:
            return f"「{'、'.join(bad)}」不是可选值，可选：{'、'.join(choices)}"
    if t is FieldType.VILLAGE and value not in villages:
        listed = "、".join(sorted(villages)) or "（尚未设置村名单）"
        return f"「{value}」不在本单位的村（社区）名单中：{listed}"
    if t is FieldType.IDCARD:
        return idcard_problem(value)
    if t is FieldType.PHONE:
        return phone_problem(value)
    if t is FieldType.TEXTLIST:
        if f.max_items and len(value) > f.max_items:
            return f"最多填写 {f.max_items} 项，现为 {len(value)} 项"
        for item in value:
            if len(item) > (f.max_length or MAX_TEXT) or bad_character(item):
                return f"「{item[:20]}」过长（每项最多 {f.max_length or MAX_TEXT} 字）或含有控制字符等特殊字符"
    if t is FieldType.TEXTMAP:
        if f.max_items and len(value) > f.max_items:
            return f"最多 {f.max_items} 个部分，现为 {len(value)} 个"
        for key, text in value.items():
            if len(text) > (f.max_length or MAX_LONGTEXT):
                return f"「{key[:20]}」部分过长（最多 {f.max_length or MAX_LONGTEXT} 字，现为 {len(text)} 字）"
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
