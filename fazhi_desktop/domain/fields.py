"""Field types and the ``Field`` declaration every ledger is built from.

A field knows its stable key (column name, Excel metadata, data packages), its Chinese label, its type, choices and
rules. Storage, forms, Excel and statistics all read these declarations; nothing else spells a label or choice list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fazhi_desktop.domain.kinds import KINDS, FieldType, Kind
from fazhi_desktop.domain.values import (  # noqa: F401 - the names every declaration and layer reads from here
    MAX_YEAR,
    MIN_YEAR,
    CoercionError,
    bad_character,
    full_width_brackets,
    parse_date,
)


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: FieldType
    required: bool = False
    choices: tuple[str, ...] = ()
    default: Any = None
    help: str = ""
    max_length: int | None = None  # characters of a text, or of each item of a list
    max_items: int | None = None  # items of a list (TEXTLIST) or sections of a map (TEXTMAP)
    extendable: bool = True  # a unit may add its own choices (not to a fixed scale such as 风险等级 or 状态)
    usual_max: int | None = None  # a count above this is possible but mostly a typo: asked before it is saved
    printed: bool = True  # a column of the printed 统计表 sheet (a working field such as 难易程度 is not)
    private_name: bool = False  # names private persons (parties, villagers): the 公开版 check looks for them
    # 台账汇编's photo caption (DA/T 50: 事由、时间、地点、人物、背景、摄影者): the field that gives a photo its 地点 or
    # 人物 (CAPTION_PLACE, CAPTION_PEOPLE); never a private name (a party is no caption's 人物)
    caption: str = ""
    # What this kind of field does (domain.kinds): every layer asks it instead of testing the type. Set once here:
    # an import of 10,000 rows asked it a million times (#38).
    kind: Kind = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", KINDS[self.type])

    @property
    def is_choice(self) -> bool:
        return self.type in (FieldType.CHOICE, FieldType.MULTICHOICE)

    @property
    def hint(self) -> str:
        """The field's help and, where it matters, how to type it (a list's separators)."""
        return "；".join(t for t in (self.help, self.kind.help) if t)


def coerce(f: Field, raw: Any) -> Any:
    """Turn a raw value (form text, Excel cell, Python value) into the field's canonical value, or raise."""
    return f.kind.coerce(f, raw)


CAPTION_PLACE, CAPTION_PEOPLE = "地点", "人物"


@dataclass(frozen=True)
class Material:
    """A document a record in some state must carry as its 佐证材料 (调解成功 by agreement → 调解协议书; 行政处罚 →
    处罚决定书): ``when`` is (field, values) pairs that must all hold, None among the values standing for a blank.
    An attachment is that document when the clerk named it so (材料名称), or its file name says it."""

    name: str
    when: tuple[tuple[str, tuple[Any, ...]], ...]

    def needed(self, record: dict[str, Any]) -> bool:
        return all((record.get(k) if record.get(k) not in ("", []) else None) in values for k, values in self.when)

    def held(self, atts: list[dict[str, Any]]) -> bool:
        return any(a.get("material") == self.name or self.name in str(a.get("name") or "") for a in atts)


@dataclass(frozen=True)
class RequiredWhen:
    """``target`` must be filled when ``when`` holds one of ``values``."""

    target: str
    when: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class RequireTrueWhen:
    """A bool ``target`` should be true when bool ``when`` is true; ``warning`` makes it advisory."""

    target: str
    when: str
    message: str
    warning: bool = True


@dataclass(frozen=True)
class NotBefore:
    """Date ``later`` may not be earlier than date ``earlier``."""

    later: str
    earlier: str


@dataclass(frozen=True)
class PatternWarning:
    """Warn (do not block) when a text field does not match ``pattern``."""

    target: str
    pattern: str
    message: str


@dataclass(frozen=True)
class MinorWarning:
    """Warn when the ID number in ``target`` is a child's (under ``age`` on date ``on``): 未成年人 are flagged.
    Where ``when`` holds one of ``values`` (a penalty, say) ``special`` says the rule the law sets for them."""

    target: str
    on: str
    message: str
    age: int = 14
    when: str | None = None
    values: tuple[Any, ...] = ()
    special: str = ""


RETENTION_YEARS: dict[str, int | None] = {"永久": None, "30年": 30, "10年": 10}

Rule = RequiredWhen | RequireTrueWhen | NotBefore | PatternWarning | MinorWarning


@dataclass(frozen=True)
class Ledger:
    """One ledger (台账): its key, Chinese name and fields, plus how its report year is found."""

    key: str
    name: str
    fields: tuple[Field, ...]
    year_from: str  # a DATE field (year derived) or a YEAR field (explicit)
    title_field: str  # the field that names a record in lists, history and messages
    rules: tuple[Rule, ...] = ()
    group: str = ""
    in_force: bool = False  # rosters/facilities: counted in every year from year_from on
    period: Any = None  # domain.periods.Period: counted for every year its service period overlaps
    activity: bool = True  # its records are work done in their year (a contract signed ahead, a roster, are not)
    sheet_order: str | None = None  # the field a printed sheet lists by (a roster by 小组职务), else year_from
    evidence: bool = False  # a record should have its 佐证材料 (photos, sign-in sheets): the 台账汇编 says 「缺」
    # 保管期限 (DA/T 22: 永久, 定期30年, 定期10年), the default a unit may change in 设置; personal data is kept no
    # longer than that (个人信息保护法第十九条), then destroyed with a 销毁 line in the history.
    retention: str = "30年"
    # 台账汇编 (DA/T 22-2015): a roster or list is bound as one 件 (「报表、名册、图册等，一册作为一件」); every other
    # record is a 件 of its own, its 题名 made by ``file_title`` ({field} slots) from fields that never name a private
    # person (a party's name is no title, and the 目录 is read by whoever opens the box).
    one_piece: bool = False
    file_title: str = ""
    materials: tuple[Material, ...] = ()  # documents a record in some state must carry (flagged 「缺」 where missing)
    _by_key: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({f.key: f for f in self.fields})
        assert len(self._by_key) == len(self.fields), f"duplicate field key in {self.key}"
        assert self.year_from in self._by_key and self.title_field in self._by_key
        for slot in self.title_slots:
            assert slot in self._by_key and not self._by_key[slot].private_name, (self.key, slot)
        assert self.one_piece or self.file_title, f"{self.key}: a 件 of its own needs a file_title"
        for f in self.fields:
            assert f.caption in ("", CAPTION_PLACE, CAPTION_PEOPLE) and not (f.caption and f.private_name), f.key
        for m in self.materials:  # a renamed choice must not leave a rule that never holds
            assert all(k in self._by_key and all(v is None or v in self._by_key[k].choices for v in values)
                       for k, values in m.when), (self.key, m.name)

    @property
    def title_slots(self) -> tuple[str, ...]:
        """The fields ``file_title`` names."""
        import re

        return tuple(re.findall(r"\{(\w+)\}", self.file_title))

    def field(self, key: str) -> Field:
        return self._by_key[key]

    def has(self, key: str) -> bool:
        return key in self._by_key

    @property
    def year_field(self) -> Field:
        return self._by_key[self.year_from]
