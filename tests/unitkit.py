"""Random units and records for property tests of the report: any kind of unit, any mix of ledgers, thin or empty
years — every record valid by the ledgers' declarations (drawn from a seeded ``random.Random``)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from fazhi_desktop.domain.errors import ValidationError
from fazhi_desktop.domain.fields import Field, FieldType, Ledger
from fazhi_desktop.domain.idcard import check_digit
from fazhi_desktop.domain.ledgers import LEDGERS
from fazhi_desktop.services.records import RecordService
from fazhi_desktop.services.units import Unit, create_unit

SURNAMES = "王李张刘赵杨马何陈郭牛段"
WORDS = ["土地承包", "宅基地", "安全生产", "森林防火", "婚姻家庭", "民间借贷", "村规民约", "扫黑除恶", "禁毒宣传", "普法讲座"]
# Posts as offices type them, the two heads with and without their organ (乡党委书记, 镇长) among them (#34).
COMMON_POSTS = ["人大主席", "纪委书记", "司法所长", "村党支部书记", "党委副书记"]
POSTS = {"镇": ["党委书记", "镇党委书记", "党委副书记、镇长", "镇长", "副镇长", *COMMON_POSTS],
         "乡": ["党委书记", "乡党委书记", "党委副书记、乡长", "乡长", "副乡长", *COMMON_POSTS],
         "街道": ["党工委书记", "街道党工委书记", "街道办事处主任", "主任", "副主任", "人大工委主任", "纪工委书记",
                  "司法所长", "社区党委书记"]}
AUDIENCES = ["县委依法治县委员会", "区委依法治区委员会", "县委全面依法治县委员会办公室"]
BATCHES = ["县委巡察反馈问题整改方案", "2023年第二季度督查", "司法部反馈问题整改清单", "市级督察"]
KINDS = ("镇", "乡", "街道")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample("建国明华平英强军红兰", rng.choice((1, 2))))


def _value(f: Field, rng: random.Random, year: int, villages: list[str], base: dt.date, kind: str = "镇") -> Any:
    t = f.type
    if t is FieldType.DATE:
        return base + dt.timedelta(days=rng.randint(0, 60)) if f.key != "date" else base
    if t is FieldType.YEAR:
        return year if f.key != "left_year" else rng.choice((year + 1, year + 2))
    if t is FieldType.INT:
        return rng.randint(1, 300)
    if t is FieldType.MONEY:
        return rng.randint(0, 5000)
    if t is FieldType.BOOL:
        return rng.random() < 0.6
    if t is FieldType.CHOICE:
        return rng.choice(f.choices)
    if t is FieldType.MULTICHOICE:
        return rng.sample(f.choices, rng.randint(1, 3))
    if t is FieldType.VILLAGE:
        return rng.choice(villages)
    if t is FieldType.PHONE:
        return f"13{rng.randint(100000000, 999999999)}"
    if t is FieldType.IDCARD:
        first = f"621024{rng.randint(1960, 1999)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
        return first + check_digit(first)
    if f.key in ("host", "speaker", "head_name"):  # a post, or a person's name
        return rng.choice(POSTS[kind]) if rng.random() < 0.7 else _name(rng)
    if f.key in ("person", "name", "party", "parties", "applicant", "client", "leader"):
        return _name(rng)
    if f.key == "post":
        return rng.choice(POSTS[kind])
    if f.key == "audience":
        return rng.choice(AUDIENCES)
    if f.key == "batch":
        return rng.choice(BATCHES)
    return "".join(rng.sample(WORDS, rng.randint(1, 3)))


def record(ledger: Ledger, rng: random.Random, year: int, villages: list[str], kind: str = "镇") -> dict[str, Any]:
    base = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    return {f.key: _value(f, rng, year, villages, base, kind) for f in ledger.fields
            if f.required or rng.random() < 0.6 or f.key in ("closed_on", "village", "target")}


def add_records(svc: RecordService, ledger: Ledger, rng: random.Random, year: int, n: int) -> int:
    """``n`` valid records of ``ledger`` (a value the rules refuse is drawn again, then left out)."""
    made = 0
    for _ in range(n):
        kind = svc.unit.kind if svc.unit.kind in POSTS else "镇"
        values = record(ledger, rng, year, svc.unit.villages, kind)
        for _attempt in range(6):
            try:
                svc.create(ledger.key, values)
                made += 1
                break
            except ValidationError as exc:
                for p in exc.problems:
                    if p.field in values and not ledger.field(p.field).required:
                        values.pop(p.field)
                    else:
                        values[p.field] = _value(ledger.field(p.field), rng, year, svc.unit.villages,
                                                 dt.date(year, 12, 31), kind)
    return made


def random_unit(engine, rng: random.Random, serial: int) -> Unit:
    kind = rng.choice(KINDS)
    stem = rng.choice(["东风", "城关", "太白", "柳林", "红星", "青山"])
    name = f"{stem}{serial}{'街道' if kind == '街道' else kind}"
    place = "社区" if kind == "街道" else "村"
    villages = [f"{v}{place}" for v in rng.sample(["东", "西", "南", "北", "前", "后"], rng.randint(1, 4))]
    issuers = [f"中共{name}委员会"] + ([f"{name}{'办事处' if kind == '街道' else '人民政府'}"] if rng.random() < 0.4 else [])
    with engine.begin() as conn:
        return create_unit(conn, {"name": name, "kind": kind, "county": rng.choice(["合水县", "西峰区", "庆城县"]),
                                  "addressee": "县法治办", "issuers": issuers, "villages": villages}, "测试员")


def fill(engine, unit: Unit, rng: random.Random, year: int) -> list[str]:
    """A random year: nothing, one ledger alone, one record of everything, or a thin mix."""
    svc = RecordService(engine, unit, "测试员")
    shape = rng.choice(("empty", "alone", "one_each", "thin", "mixed"))
    if shape == "empty":
        chosen: list[tuple[Ledger, int]] = []
    elif shape == "alone":
        chosen = [(rng.choice(LEDGERS), rng.randint(1, 3))]
    elif shape == "one_each":
        chosen = [(lg, 1) for lg in LEDGERS]
    elif shape == "thin":
        chosen = [(lg, 1) for lg in rng.sample(LEDGERS, rng.randint(2, 3))]
    else:
        chosen = [(lg, rng.randint(1, 4)) for lg in rng.sample(LEDGERS, rng.randint(3, 10))]
    for ledger, n in chosen:
        add_records(svc, ledger, rng, year if rng.random() < 0.85 else year - 1, n)
    return [f"{shape}:" + ",".join(lg.key for lg, _n in chosen)]
