"""The report's 公开版 (督察工作规定: published by 4月1日, after a 保密审查; 个人信息保护法第五十五条: assessed before
personal information is made public).

Before the public PDF is written the report's text is scanned for what must not be published: the names of private
persons the ledgers hold (parties to disputes and cases, applicants, villagers on the rosters — the fields declared
``private_name``), ID and phone numbers, and the unit's own sensitive words (a setting). Each hit is listed with its
paragraph; the public PDF is written only when every hit is gone from the text (changed) or accepted by a 管理员
(kept, with who accepted it in the history).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.ledgers import LEDGERS
from fazhi_desktop.reports.model import Document
from fazhi_desktop.services.units import Unit, update_settings
from fazhi_desktop.storage.schema import ledger_table

ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
                       r"[0-9]{3}[0-9Xx](?![0-9])")
PHONE = re.compile(r"(?<![0-9])(?:1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})(?![0-9])")
_NAME_SPLIT = re.compile(r"[与和及、，,；;/\s]+")
MIN_NAME = 2


@dataclass(frozen=True)
class Hit:
    kind: str  # 当事人或村民姓名 | 身份证号 | 电话号码 | 敏感词
    text: str
    paragraph: int  # 1-based, as the report prints them
    excerpt: str

    def __str__(self) -> str:
        return f"第{self.paragraph}段 {self.kind}「{self.text}」：…{self.excerpt}…"


def private_names(conn: sa.Connection, unit: Unit) -> set[str]:
    """Every private person's name the unit's ledgers hold (a dispute's 「张三与李四」 gives both)."""
    names: set[str] = set()
    for ledger in LEDGERS:
        table = ledger_table(ledger.key)
        for f in ledger.fields:
            if not f.private_name:
                continue
            for value in conn.execute(sa.select(table.c[f.key]).distinct().where(
                    table.c.unit_id == unit.id, table.c.deleted.is_(sa.false()), table.c[f.key].is_not(None))).scalars():
                names.update(n for n in _NAME_SPLIT.split(str(value)) if len(n) >= MIN_NAME)
    return names


def sensitive_words(unit: Unit) -> list[str]:
    return [w for w in (unit.settings.get("sensitive_words") or []) if isinstance(w, str) and w.strip()]


def paragraphs(doc: Document) -> list[str]:
    return ["".join(span.text for span in p.spans) for p in doc.paragraphs]


def scan(conn: sa.Connection, unit: Unit, doc: Document) -> list[Hit]:
    names = private_names(conn, unit)
    words = sensitive_words(unit)
    hits: list[Hit] = []
    for n, text in enumerate([doc.title, *paragraphs(doc)]):
        found: list[tuple[int, str, str]] = []
        found += [(m.start(), "身份证号", m.group()) for m in ID_NUMBER.finditer(text)]
        found += [(m.start(), "电话号码", m.group()) for m in PHONE.finditer(text)
                  if not any(s <= m.start() < s + 18 for s, k, _ in found if k == "身份证号")]
        found += [(i, "当事人或村民姓名", name) for name in names for i in _all(text, name)]
        found += [(i, "敏感词", word) for word in words for i in _all(text, word)]
        for at, kind, what in sorted(found):
            hits.append(Hit(kind, what, n, text[max(0, at - 12):at + len(what) + 12]))
    return hits


def _all(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), text)]


def accepted(unit: Unit, year: int) -> set[str]:
    return set((unit.settings.get("public_accepted") or {}).get(str(year), []))


def pending(conn: sa.Connection, unit: Unit, year: int, doc: Document) -> list[Hit]:
    """The hits not yet accepted for ``year``."""
    kept = accepted(unit, year)
    return [h for h in scan(conn, unit, doc) if h.text not in kept]


def accept(conn: sa.Connection, unit: Unit, year: int, texts: list[str], actor: str) -> Unit:
    """Keep these words in the public version (a 管理员's decision after the 保密审查; logged as a settings change)."""
    marks = dict(unit.settings.get("public_accepted") or {})
    marks[str(year)] = sorted(accepted(unit, year) | {t for t in texts if t})
    return update_settings(conn, unit, {"public_accepted": marks}, actor)


def refuse_unhandled(conn: sa.Connection, unit: Unit, year: int, doc: Document) -> None:
    left = pending(conn, unit, year, doc)
    if left:
        shown = "\n".join(f"  {h}" for h in left[:50])
        raise UserError(f"公开版保密审查：报告中有 {len(left)} 处可能不宜公开的内容，请修改文稿，或确认可以公开后"
                        f"逐项接受，再生成公开版：\n{shown}")
