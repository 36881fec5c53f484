"""The shape every operation has: it runs in a context (which database, which unit, who), owns its transaction, and
says what it changed — so a front end can refresh exactly what depends on it, once.

The GUI runs operations through ``gui.shell.ops`` (a worker thread, delayed progress, one error presenter, one
broadcast of ``Changed``); the command line runs the same operations one after another.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlalchemy as sa

    from fazhi_desktop.services.units import Unit
    from fazhi_desktop.storage.database import Database


@dataclass(frozen=True)
class Changed:
    """What an operation changed: records of some ledgers, the unit (details, settings, choices), report drafts."""

    ledgers: frozenset[str] = field(default_factory=frozenset)
    unit: bool = False
    drafts: bool = False
    everything: bool = False

    def __or__(self, other: Changed) -> Changed:
        return Changed(self.ledgers | other.ledgers, self.unit or other.unit, self.drafts or other.drafts,
                       self.everything or other.everything)

    def __bool__(self) -> bool:
        return bool(self.ledgers or self.unit or self.drafts or self.everything)

    def touches(self, ledger_key: str) -> bool:
        return self.everything or ledger_key in self.ledgers

    @property
    def unit_changed(self) -> bool:
        return self.unit or self.everything


NOTHING = Changed()
EVERYTHING = Changed(unit=True, drafts=True, everything=True)


def records_of(*ledger_keys: str) -> Changed:
    return Changed(ledgers=frozenset(ledger_keys))


@dataclass(frozen=True)
class Done:
    """An operation's result and what it changed."""

    value: Any = None
    changed: Changed = NOTHING


@dataclass(frozen=True)
class Context:
    """Which database, which unit and who: handed to every operation (later also the account's role)."""

    db: Database
    unit: Unit | None
    actor: str

    @property
    def engine(self) -> sa.Engine:
        return self.db.engine

    def with_unit(self, unit: Unit | None) -> Context:
        return replace(self, unit=unit)


def changed_by(result: Any) -> Changed:
    """What a finished operation changed: a ``Done``'s, or the ``changed`` a result carries."""
    if isinstance(result, Done):
        return result.changed
    if isinstance(result, Changed):
        return result
    found = getattr(result, "changed", NOTHING)
    return found if isinstance(found, Changed) else NOTHING


def value_of(result: Any) -> Any:
    return result.value if isinstance(result, Done) else result
