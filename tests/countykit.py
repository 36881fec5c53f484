"""Three townships, each on its own PC (database), and their packages: the steps the county tests share on SQLite
and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa

from fazhi_desktop.exchange.apply import run_import
from fazhi_desktop.exchange.package_write import write_package
from fazhi_desktop.exchange.writer import export_workbook
from fazhi_desktop.services.records import RecordService
from fazhi_desktop.services.units import create_unit, get_unit
from fazhi_desktop.storage.database import open_database


def township(folder: Path, name: str, villages: list[str], disputes: int, red: int = 0):
    """``init`` + ``import``: a unit created, then its ledgers imported from a workbook typed elsewhere."""
    scratch = open_database(folder / f"{name}-scratch.sqlite3")
    with scratch.engine.begin() as conn:
        unit = create_unit(conn, {"name": name, "county": "合水县", "addressee": "县法治办",
                                  "issuers": [f"中共{name}委员会"], "villages": villages}, "录入员")
    svc = RecordService(scratch.engine, unit, "录入员")
    svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"})
    svc.create("study", {"date": "2023-04-01", "form": "会前学法", "content": "宪法", "participants": 30})
    for i in range(disputes):
        svc.create("dispute", {"date": dt.date(2023, 5, 1 + i), "source": "排查发现", "village": villages[i % 2],
                               "category": "邻里关系", "parties": f"当事人{i}", "summary": "宅基地边界",
                               "risk": "红" if i < red else "绿", **({"status": "调处中"} if i < red else {
                                   "status": "调解成功", "resolution": "调解协议", "closed_on": dt.date(2023, 6, 1)})})
    svc.create("rectification", {"source": "上级督察", "assigned_on": dt.date(2023, 2, 1), "problem": "台账不全",
                                 "measures": "补齐", "department": "党政办", "deadline": dt.date(2023, 6, 30),
                                 "status": "整改中"})
    book = folder / f"{name}.xlsx"
    export_workbook(scratch.engine, unit, book)
    scratch.dispose()
    db = open_database(folder / f"{name}.sqlite3")
    with db.engine.begin() as conn:
        create_unit(conn, {"name": name, "county": "合水县", "addressee": "县法治办",
                           "issuers": [f"中共{name}委员会"], "villages": villages}, "文书")
    run_import(db.engine, book, actor="文书", unit_name=name)
    return db


def packages(folder: Path, demo_db) -> list[Path]:
    """The demo (肖咀镇) and two imported townships, each exported for 2023 into ``folder/packages``."""
    out = folder / "packages"
    out.mkdir(exist_ok=True)
    made = []
    with demo_db.engine.connect() as conn:
        demo_unit = get_unit(conn)
    made.append(write_package(demo_db.engine, demo_unit, 2023, out / "肖咀镇.zip", findings_open=2).path)
    for name, villages, disputes, red in (("太白镇", ["东村", "西村"], 5, 2), ("蒿咀铺乡", ["南村", "北村"], 3, 0)):
        db = township(folder, name, villages, disputes, red)
        with db.engine.connect() as conn:
            unit = get_unit(conn, name)
        made.append(write_package(db.engine, unit, 2023, out / f"{name}.zip").path)
        db.dispose()
    return made


def dump(engine: sa.Engine) -> str:
    """Every row of every table, in a stable order: "nothing changed" made checkable."""
    from fazhi_desktop.storage.schema import metadata

    out = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = conn.execute(sa.select(table)).mappings().all()
            out[table.name] = sorted(json.dumps(dict(r), default=str, sort_keys=True, ensure_ascii=False) for r in rows)
    return json.dumps(out, ensure_ascii=False)


def backdated(src: Path, dst: Path, when: str) -> Path:
    """A copy of a package as if it had been made at ``when`` (ISO): its creation time and every time in its records
    set to that moment, the parts' checksums recomputed — for the county's dates (a deadline in the past) to be tried
    with packages made today."""
    import hashlib
    import json
    import zipfile

    from fazhi_desktop.exchange import package_format as pf

    def shifted(data: bytes) -> bytes:
        lines = []
        for line in data.decode("utf-8").splitlines():
            item = json.loads(line)
            meta = item.get("meta") or {}
            for key in ("created_at", "updated_at"):
                if key in meta:
                    meta[key] = when
            if meta.get("deleted_at"):
                meta["deleted_at"] = when
            if "added_at" in item:
                item["added_at"] = when
            lines.append(json.dumps(item, ensure_ascii=False))
        return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""

    with zipfile.ZipFile(src) as zin:
        manifest = json.loads(zin.read(pf.MANIFEST))
        parts = {name: zin.read(name) for name in zin.namelist() if name not in (pf.MANIFEST, pf.SIGNATURE)}
    manifest.pop("signer", None)  # a changed manifest cannot keep the township's signature: unsigned, as of old
    for name, data in parts.items():
        if name.endswith(".jsonl"):
            parts[name] = shifted(data)
        elif name == pf.REPORT_TEXT:
            text = json.loads(data)
            text["updated_at"] = when
            parts[name] = json.dumps(text, ensure_ascii=False).encode("utf-8")
    manifest["created_at"] = when
    manifest["parts"] = {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in parts.items()}
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
        zout.writestr(pf.MANIFEST, json.dumps(manifest, ensure_ascii=False))
    return dst
