"""Claims: the only way generated report text is made.

A claim is a piece of text together with the facts it states about the year's records (``domain.evidence``): which
records, which fields, what figure. ``say`` refuses to make one when a fact has no records behind it or a zero
figure, so a sentence like 「调处0件」 or 「聘请法律顾问」 without a contract cannot be written; ``services.claim_check``
re-derives every fact from the cited records alone. The helpers below word what they join for how many there are
(one item: no ordinal, no 其中, no 等).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from fazhi_desktop.domain.evidence import Fact
from fazhi_desktop.reports.content import numbers


@dataclass(frozen=True)
class Claim:
    text: str
    facts: tuple[Fact, ...]

    @property
    def records(self) -> dict[str, tuple[str, ...]]:
        """The records the claim rests on, by ledger (the evidence view lists them)."""
        out: dict[str, dict[str, None]] = {}
        for f in self.facts:
            for rows in (f.rows, f.base):
                if rows is not None:
                    out.setdefault(rows.ledger, {}).update(dict.fromkeys(rows.ids))
        return {k: tuple(v) for k, v in out.items()}

    @property
    def fields(self) -> dict[str, tuple[str, ...]]:
        """The fields it reads, by ledger: those its facts are about and those its records were chosen by."""
        out: dict[str, dict[str, None]] = {}
        for f in self.facts:
            keys = [c.field for c in f.rows.conds] + ([f.field] if f.field else [])
            out.setdefault(f.rows.ledger, {}).update(dict.fromkeys(keys))
        return {k: tuple(v) for k, v in out.items()}


def say(text: str, *facts: Fact) -> Claim | None:
    """``text`` resting on ``facts``; None (nothing is written) when there is none or any has nothing behind it."""
    if not facts or any(f.empty for f in facts):
        return None
    return Claim(text, tuple(facts))


def joined(parts: Iterable[Claim | None], sep: str = "，", end: str = "") -> Claim | None:
    """The present parts as one claim (``sep`` between them, ``end`` after); None when none is present."""
    live = [p for p in parts if p is not None]
    if not live:
        return None
    return Claim(sep.join(p.text for p in live) + end, tuple(f for p in live for f in p.facts))


def sentence(*parts: Claim | None, sep: str = "，") -> Claim | None:
    """Clauses joined into one sentence ending in 。."""
    return joined(parts, sep, "。")


def prefixed(prefix: str, claim: Claim | None, end: str = "") -> Claim | None:
    """Text that only makes sense in front of a claim (``全年``, ``依托``…): written only with it."""
    return None if claim is None else Claim(prefix + claim.text + end, claim.facts)


@dataclass
class Item:
    """One numbered point of a section: 一是健全组织机构。…"""

    title: str
    body: list[Claim | None] = field(default_factory=list)

    @property
    def claims(self) -> list[Claim]:
        return [c for c in self.body if c is not None]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.claims)


def numbered(items: Sequence[Item], suffix: str = "是") -> tuple[str, list[Claim]]:
    """The items that have something to say, as 一是…二是…; a single one without ordinal or title."""
    live = [i for i in items if i.claims]
    claims = [c for i in live for c in i.claims]
    if len(live) == 1:
        return live[0].text, claims
    return "".join(f"{numbers.chinese(n)}{suffix}{i.title}。{i.text}" for n, i in enumerate(live, 1)), claims


def listing(names: Iterable[str]) -> str:
    """A、B、C — consecutive titles in 《》 take no 、 between them (GB/T 15834)."""
    return "、".join(names).replace("》、《", "》《")


def book(title: str) -> str:
    return f"《{title.strip().strip('《》')}》"


def counted(breakdown: Mapping[str, int], unit: str, label: Mapping[str, str] | None = None) -> list[str]:
    """婚姻家庭5件, 土地纠纷7件 … for the values that occur, in the breakdown's order."""
    return [f"{(label or {}).get(k, k)}{v}{unit}" for k, v in breakdown.items() if v]


def nonzero(breakdown: Mapping[str, int]) -> dict[str, int]:
    return {k: v for k, v in breakdown.items() if v}


def with_parts(total_text: str, total: int, parts: Mapping[str, int], unit: str, *, whole: str = "均为",
               one: str = "为", label: Mapping[str, str] | None = None) -> str:
    """「排查矛盾纠纷24件，其中婚姻家庭5件、…」; 「…1件，为土地纠纷」; 「…3件，均为土地纠纷」 — no 其中 for a
    single kind. ``parts`` that do not add up to ``total`` say only the kinds they have."""
    present = nonzero(parts)
    names = [(label or {}).get(k, k) for k in present]
    if not present:
        return total_text
    if len(present) == 1 and sum(present.values()) == total:
        return f"{total_text}，{one if total == 1 else whole}{names[0]}"
    return f"{total_text}，其中{listing(counted(present, unit, label))}"


def several(names: Sequence[str], noun: str) -> str:
    """「利用集日宣传、线上宣传等形式」 for two or more, 「利用集日宣传形式」 is wrong: one is named alone."""
    return f"{listing(names)}等{noun}" if len(names) > 1 else names[0]


def claim_at(text: str, claims: Sequence[Claim], position: int) -> Claim | None:
    """The claim whose words cover ``position`` in a section's text (the sentence a clerk clicked), the shortest
    when several do."""
    found: list[tuple[int, Claim]] = []
    for claim in claims:
        start = text.find(claim.text)
        while start >= 0:
            if start <= position < start + len(claim.text):
                found.append((len(claim.text), claim))
                break
            start = text.find(claim.text, start + 1)
    return min(found, key=lambda f: f[0])[1] if found else None


def evidence_rows(claim: Claim) -> list[dict[str, str]]:
    """The records a claim rests on, as the evidence view lists them: 台账, 记录, 日期, and every field the claim read
    from each with its value (ID and phone numbers masked, as on every screen but the form)."""
    from fazhi_desktop.domain.ledgers import ledger as get_ledger

    found: dict[str, tuple[str, Mapping, dict[str, None]]] = {}
    for fact in claim.facts:
        for rows in (fact.rows, fact.base):
            if rows is None:
                continue
            keys = [c.field for c in rows.conds] + ([fact.field] if fact.field and rows is fact.rows else [])
            for record in rows:
                entry = found.setdefault(record["id"], (rows.ledger, record, {}))
                entry[2].update(dict.fromkeys(keys))
    out: list[dict[str, str]] = []
    for rid, (key, record, keys) in found.items():
        lg = get_ledger(key)
        read = [f"{lg.field(k).label}：{lg.field(k).kind.cell(record.get(k)) or '（空）'}" for k in keys if lg.has(k)]
        when = record.get(lg.year_from) if lg.year_from else None
        out.append({"ledger": key, "id": rid, "台账": lg.name, "记录": str(record.get(lg.title_field) or "")[:30],
                    "日期": str(when or record.get("year") or ""), "依据": "；".join(read)})
    return out
