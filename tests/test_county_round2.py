"""County, round 2 (#36): the county's own setup and roster, 报送情况 by the first receipt, records following their
year, the township's report kept as sent, signed packages, the 汇总表's rates and the 考核汇总 — on SQLite, and on
PostgreSQL at the external level where a test takes ``county_db``."""

from __future__ import annotations

import pytest
from countykit import backdated, township

from fazhi_desktop.exchange.package_read import merge_package
from fazhi_desktop.exchange.package_write import write_package
from fazhi_desktop.services import stats
from fazhi_desktop.services.records import RecordService
from fazhi_desktop.services.units import get_unit
from fazhi_desktop.storage.database import open_database


def _found(db, name, year):
    with db.engine.connect() as conn:
        return stats.compute(conn, get_unit(conn, name), year)["disputes.found"]


def test_a_record_corrected_into_another_year_moves_there_at_the_county(county_db, tmp_path):
    """The issue's case: a dispute of 2023 whose date the township corrects into 2024. The township's next 2023
    package carries it (its history says it left 2023), and the county counts it in 2024, not 2023."""
    import sqlalchemy as sa

    from fazhi_desktop.storage.schema import ledger_table

    town = township(tmp_path, "太白镇", ["东村", "西村"], 3, red=1)
    d = ledger_table("dispute")
    with town.engine.connect() as conn:
        unit = get_unit(conn, "太白镇")
        moved = conn.execute(sa.select(d.c.id).where(d.c.status == "调处中")).scalar()  # not closed yet
    merge_package(county_db.engine, write_package(town.engine, unit, 2023, tmp_path / "a.zip").path, "县法治办")
    assert _found(county_db, "太白镇", 2023) == 3
    RecordService(town.engine, unit, "文书").update("dispute", moved, {"date": "2024-01-05"})
    assert (_found(town, "太白镇", 2023), _found(town, "太白镇", 2024)) == (2, 1)
    second = write_package(town.engine, unit, 2023, tmp_path / "b.zip")
    assert second.counts["dispute"] == 2  # the year's own records; the one that left follows uncounted
    merged = merge_package(county_db.engine, second.path, "县法治办")
    assert merged.updated == 1
    assert (_found(county_db, "太白镇", 2023), _found(county_db, "太白镇", 2024)) == (2, 1)
    town.dispose()


def _package(tmp_path, name, year=2023, disputes=2, made=None):
    """A township's package; ``made``: as if written at that moment (ISO)."""
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    town = township(folder, name, ["东村", "西村"], disputes)
    with town.engine.connect() as conn:
        unit = get_unit(conn, name)
    path = write_package(town.engine, unit, year, tmp_path / f"{name}.zip").path
    if made:
        path = backdated(path, tmp_path / f"{name}-{made[:10]}.zip", made)
    return town, unit, path


def test_a_county_set_up_with_its_roster_judges_each_township_by_its_first_receipt(tmp_path, data_dir):
    """Through the command line: 甲县 with three townships in its own order; one sends on time and later a
    correction (still 按时), one sends late (逾期), one sends nothing (逾期未报送 after the deadline). The county's
    database holds no township of its own, so none is counted that is not one."""
    import datetime as dt

    from clikit import run_cli

    from fazhi_desktop.services import county

    db = tmp_path / "county.sqlite3"
    env = {"FAZHI_DATA_DIR": str(data_dir)}
    made = run_cli("--db", str(db), "county", "setup", "--county", "甲县", "--townships", "西华街道,太白镇，柳树乡",
                   "--deadline", "2024-03-25", env=env)
    assert made.returncode == 0 and "依次为 西华街道（街道）、太白镇（镇）、柳树乡（乡）" in made.stdout, made.stderr
    town, unit, first = _package(tmp_path, "太白镇", made="2024-03-19T10:00:00")
    other, _, late = _package(tmp_path, "柳树乡", made="2024-03-27T10:00:00")
    other.dispose()
    for path, day in ((first, "2024-03-20"), (late, "2024-03-28")):
        done = run_cli("--db", str(db), "package", "import", str(path), "--received", day, env=env)
        assert done.returncode == 0, done.stderr
    RecordService(town.engine, unit, "文书").create("meeting", {"date": "2023-12-01", "kind": "法治建设专题会议",
                                                              "title": "补录的专题会"})
    correction = backdated(write_package(town.engine, unit, 2023, tmp_path / "太白镇更正.zip").path,
                           tmp_path / "太白镇更正-0409.zip", "2024-04-09T10:00:00")
    town.dispose()
    done = run_cli("--db", str(db), "package", "import", str(correction), "--received", "2024-04-10", env=env)
    assert done.returncode == 0, done.stderr

    opened = open_database(db)
    try:
        with opened.engine.connect() as conn:
            before = county.view(conn, 2023, today=dt.date(2024, 3, 25))
            after = county.view(conn, 2023, today=dt.date(2024, 4, 20))
    finally:
        opened.dispose()
    assert before.county == "甲县" and before.units == ["西华街道", "太白镇", "柳树乡"]
    states = {s.unit: s for s in after.submissions}
    assert {s.unit: s.state for s in before.submissions}["西华街道"] == county.NOT_SENT
    assert states["西华街道"].state == county.NOT_SENT_LATE and "未报送（截止3月25日）" in states["西华街道"].late
    assert states["太白镇"].state == county.ON_TIME and states["太白镇"].received_at == dt.datetime(2024, 3, 20)
    assert [c.date() for c in states["太白镇"].corrections] == [dt.date(2024, 4, 10)]
    assert states["柳树乡"].state == county.LATE
    rows = {r[0]: r for r in after.summary}
    assert rows["西华街道"][1:] == [None] * (len(rows["西华街道"]) - 1)  # nothing received: no figure, not even 0
    assert rows["合计"][1] == rows["太白镇"][1] + rows["柳树乡"][1]
    assert county.submission_row(states["太白镇"])[1:4] == ["按时", dt.date(2024, 3, 20), "2024-04-10"]
    # rates from the summed counts, not an average of the townships' rates
    col = after.summary_headers.index("调解成功率（%）")
    opened = open_database(db)
    try:
        with opened.engine.connect() as conn:
            figures = [stats.compute(conn, get_unit(conn, n), 2023) for n in ("太白镇", "柳树乡")]
    finally:
        opened.dispose()
    resolved, handled = (sum(f[k] for f in figures) for k in ("disputes.resolved", "disputes.handled"))
    assert col in after.rate_columns and rows["合计"][col] == pytest.approx(resolved / handled)
    assert rows["西华街道"][col] is None and after.evidence["西华街道"] is None


def test_an_old_county_databases_placeholder_unit_is_no_township_once_the_roster_is_set(county_db, tmp_path):
    from fazhi_desktop.services import county
    from fazhi_desktop.services.units import create_unit

    with county_db.engine.begin() as conn:  # what the township wizard made for a county before #36
        create_unit(conn, {"name": "甲县法治办", "county": "甲县", "addressee": "县委依法治县办",
                           "issuers": ["甲县法治办"], "villages": ["城关"]}, "县法治办")
    town, _unit, path = _package(tmp_path, "太白镇")
    town.dispose()
    merge_package(county_db.engine, path, "县法治办")
    with county_db.engine.connect() as conn:
        assert county.view(conn, 2023).units == ["太白镇", "甲县法治办"]  # before the roster: every unit
    with county_db.engine.begin() as conn:
        county.store_roster(conn, county.Roster("甲县", tuple(county.parse_townships("太白镇,柳树乡"))), "县法治办")
    with county_db.engine.connect() as conn:
        view = county.view(conn, 2023)
    assert view.units == ["太白镇", "柳树乡"] and len(view.summary) == 3


@pytest.mark.parametrize(("text", "says"), [
    ("城关", "看不出「城关」是乡、镇还是街道"), ("太白镇,太白镇", "写了两次"), ("", "请写出本县的乡镇"),
])
def test_a_roster_a_county_cannot_mean_is_refused_by_name(text, says):
    from fazhi_desktop.domain.errors import UserError
    from fazhi_desktop.services import county

    with pytest.raises(UserError, match=says):
        county.parse_townships(text)
    assert county.parse_townships("城关:镇,红星民族乡") == [("城关", "镇"), ("红星民族乡", "民族乡")]


def test_a_receipt_date_outside_the_packages_life_is_refused(county_db, tmp_path):
    import datetime as dt

    from fazhi_desktop.exchange.package_read import PackageError

    town, _unit, path = _package(tmp_path, "太白镇")
    town.dispose()
    with pytest.raises(PackageError, match="收到日期"):
        merge_package(county_db.engine, path, "县法治办", received=dt.date(2020, 1, 1))


def test_the_townships_report_travels_is_kept_and_comes_out_byte_identical(tmp_path, data_dir):
    """The township exports its package with the report; the county imports it and takes the report out again by
    the command line, byte for byte what the township sent — and a backup of the county restores with it."""
    import zipfile

    from clikit import run_cli

    from fazhi_desktop.exchange import package_format as pf

    env = {"FAZHI_DATA_DIR": str(data_dir)}
    town, _unit, _path = _package(tmp_path, "太白镇")
    town_file = town.path
    town.dispose()
    pkg = tmp_path / "太白镇附报告.zip"
    made = run_cli("--db", str(town_file), "package", "export", "--year", "2023", "--out", str(pkg), "--with-report",
                   env=env)
    assert made.returncode == 0 and "附年度报告" in made.stdout, made.stderr
    with zipfile.ZipFile(pkg) as zf:
        sent = zf.read(pf.REPORT_PDF)
        public = zf.read(pf.PUBLIC_PDF) if pf.PUBLIC_PDF in zf.namelist() else None
    county_file = tmp_path / "county.sqlite3"
    assert run_cli("--db", str(county_file), "county", "setup", "--county", "合水县", "--townships", "太白镇",
                   env=env).returncode == 0
    assert run_cli("--db", str(county_file), "package", "import", str(pkg), env=env).returncode == 0
    out = tmp_path / "取出.pdf"
    got = run_cli("--db", str(county_file), "county", "report", "--township", "太白镇", "--year", "2023", "--out",
                  str(out), env=env)
    assert got.returncode == 0 and "原样" in got.stdout, got.stderr
    assert out.read_bytes() == sent
    if public is not None:
        assert run_cli("--db", str(county_file), "county", "report", "--township", "太白镇", "--year", "2023",
                       "--public", "--out", str(tmp_path / "公开.pdf"), env=env).returncode == 0
        assert (tmp_path / "公开.pdf").read_bytes() == public
    none = run_cli("--db", str(county_file), "county", "report", "--township", "太白镇", "--year", "2022", "--out",
                   str(tmp_path / "无.pdf"), env=env)
    assert none.returncode == 1 and "没有随2022年数据包报送" in none.stderr
    # a backup of the county carries the report, and restores
    backup = run_cli("--db", str(county_file), "backup", "--out", str(tmp_path), env=env)
    assert backup.returncode == 0, backup.stderr
    restored = run_cli("--db", str(county_file), "restore", str(next(tmp_path.glob("*备份*.sqlite3"))), env=env)
    assert restored.returncode == 0, restored.stderr
    again = run_cli("--db", str(county_file), "county", "report", "--township", "太白镇", "--year", "2023", "--out",
                    str(tmp_path / "恢复后.pdf"), env=env)
    assert again.returncode == 0 and (tmp_path / "恢复后.pdf").read_bytes() == sent


def test_a_package_whose_report_is_no_pdf_is_refused_with_nothing_written(county_db, tmp_path):
    import hashlib
    import json
    import zipfile

    from countykit import dump

    from fazhi_desktop.exchange import package_format as pf
    from fazhi_desktop.exchange.package_read import PackageError

    town, _unit, path = _package(tmp_path, "太白镇")
    town.dispose()
    fake = b"MZ\x90\x00 a program, not a report"
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(forged, "w") as zout:
        manifest = json.loads(zin.read(pf.MANIFEST))
        manifest["parts"][pf.REPORT_PDF] = {"sha256": hashlib.sha256(fake).hexdigest(), "size": len(fake)}
        manifest.pop("signer")  # unsigned, as an older program wrote it: what is checked below the signature
        for name in zin.namelist():
            if name not in (pf.MANIFEST, pf.SIGNATURE):
                zout.writestr(name, zin.read(name))
        zout.writestr(pf.REPORT_PDF, fake)
        zout.writestr(pf.MANIFEST, json.dumps(manifest))
    before = dump(county_db.engine)
    with pytest.raises(PackageError, match="不是PDF文件"):
        merge_package(county_db.engine, forged, "县法治办")
    assert dump(county_db.engine) == before


def test_the_county_scores_every_township_from_one_sheet_with_totals_and_ranks(tmp_path, data_dir):
    """考核汇总: one 考核细则 (the shipped sample), every township scored by its own figures — the same scores its
    own 考核自评 gives — with the total and the rank; the township that sent nothing is listed unranked."""
    from pathlib import Path

    from clikit import run_cli
    from openpyxl import load_workbook

    from fazhi_desktop.domain.scoring import score
    from fazhi_desktop.exchange.scoring_sheet import read_sheet
    from fazhi_desktop.services import score_figures

    sheet = Path(__file__).resolve().parents[1] / "resources" / "考核细则示例.xlsx"
    env = {"FAZHI_DATA_DIR": str(data_dir)}
    db = tmp_path / "county.sqlite3"
    assert run_cli("--db", str(db), "county", "setup", "--county", "甲县", "--townships", "太白镇,柳树乡,西华街道",
                   env=env).returncode == 0
    expected = {}
    items = read_sheet(sheet).items
    for name, disputes in (("太白镇", 1), ("柳树乡", 4)):
        town, unit, path = _package(tmp_path, name, disputes=disputes)
        with town.engine.connect() as conn:
            figures = score_figures.figures(conn, unit, 2023)
            expected[name] = sum(s.score for s in score(items, figures) if s.score is not None)
        town.dispose()
        assert run_cli("--db", str(db), "package", "import", str(path), env=env).returncode == 0
    out = tmp_path / "县.xlsx"
    made = run_cli("--db", str(db), "county-tables", "--year", "2023", "--out", str(out), "--sheet", str(sheet), env=env)
    assert made.returncode == 0, made.stderr
    ws = load_workbook(out)["考核汇总"]
    header = [c.value for c in ws[3]]
    rows = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]}
    assert header[0] == "乡镇（街道）" and header[-2:] == ["自评合计", "名次"] and len(header) == len(items) + 3
    assert list(rows) == ["太白镇", "柳树乡", "西华街道"]
    for name in ("太白镇", "柳树乡"):
        assert rows[name][-2] == pytest.approx(float(expected[name]))
    ranks = sorted((rows[n][-2], rows[n][-1]) for n in ("太白镇", "柳树乡"))
    assert ranks[1][1] == 1 and ranks[0][1] == (1 if ranks[0][0] == ranks[1][0] else 2)
    assert rows["西华街道"][-2:] == ("未报送", None)


# -- signed packages -------------------------------------------------------------------------------------------------
def _forged(src, dst, *, change=None, key=None, keep_signature=False):
    """A copy of a package with 100 invented 法律明白人 … or any ``change(name, data)``; its checksums recomputed, and
    signed again with ``key`` (another key than the township's), or its old signature kept, or none at all."""
    import hashlib
    import json
    import zipfile

    from fazhi_desktop.exchange import package_format as pf
    from fazhi_desktop.services import signing_key

    with zipfile.ZipFile(src) as zin:
        manifest = json.loads(zin.read(pf.MANIFEST))
        parts = {n: zin.read(n) for n in zin.namelist() if n not in (pf.MANIFEST, pf.SIGNATURE)}
        old_signature = zin.read(pf.SIGNATURE)
    for name in list(parts):
        if change is not None:
            parts[name] = change(name, parts[name])
    manifest["parts"] = {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in parts.items()}
    if key is not None:
        public = signing_key.public_hex(key)
        manifest["signer"] = {"public_key": public, "fingerprint": signing_key.fingerprint(public)}
    elif not keep_signature:
        manifest.pop("signer", None)
    data = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, body in parts.items():
            zout.writestr(name, body)
        zout.writestr(pf.MANIFEST, data)
        if key is not None:
            zout.writestr(pf.SIGNATURE, signing_key.sign(key, data))
        elif keep_signature:
            zout.writestr(pf.SIGNATURE, old_signature)
    return dst


def _more_understanders(name, data):
    import json

    if name != "records/legal_talent.jsonl":
        return data
    lines = [json.dumps({"id": f"00000000-0000-4000-8000-{i:012d}", "meta": {
        "created_at": "2023-06-01T00:00:00", "created_by": "文书", "updated_at": "2023-06-01T00:00:00",
        "updated_by": "文书", "deleted": False, "deleted_at": None, "version": 0},
        "values": {"year": 2023, "name": f"明白人{i}", "gender": "男", "village": "东村", "category": "法律明白人"}},
        ensure_ascii=False) for i in range(100)]
    return data + ("\n".join(lines) + "\n").encode("utf-8")


def test_a_forged_package_re_signed_or_re_checksummed_is_refused_with_nothing_written(county_db, tmp_path):
    """After the township's first package the county knows its key: a package with 100 invented 法律明白人 is refused
    whether it is signed by another key, keeps the township's old signature, or carries none — nothing written."""
    from countykit import dump
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from fazhi_desktop.exchange.package_read import PackageError

    town, unit, first = _package(tmp_path, "太白镇")
    merged = merge_package(county_db.engine, first, "县法治办")
    assert merged.created > 0
    with county_db.engine.connect() as conn:
        from fazhi_desktop.services import county

        assert county.fingerprint_of(conn, get_unit(conn, "太白镇")) == write_package(
            town.engine, unit, 2023, tmp_path / "again.zip").fingerprint
    town.dispose()
    before = dump(county_db.engine)
    cases = {
        "另一把密钥": (dict(key=Ed25519PrivateKey.generate()), "由另一把密钥签名"),
        "旧签名": (dict(keep_signature=True), "签名与内容不符"),
        "无签名": ({}, "没有签名"),
    }
    for label, (how, says) in cases.items():
        forged = _forged(first, tmp_path / f"{label}.zip", change=_more_understanders, **how)
        with pytest.raises(PackageError, match=says):
            merge_package(county_db.engine, forged, "县法治办")
        assert dump(county_db.engine) == before, label


def test_a_rebuilt_township_pc_is_relinked_by_a_manager_with_its_fingerprint(county_db, tmp_path, data_dir):
    """A township that rebuilt its PC with the wizard has a new unit id and a new key: refused, until a 管理员
    gives leave for the fingerprint the township reads out; then its package merges into the same township, the new
    key is pinned, and the history says so. A wrong fingerprint gives no leave."""
    import sqlalchemy as sa

    from fazhi_desktop.exchange.package_read import PackageError
    from fazhi_desktop.services import county, signing_key
    from fazhi_desktop.services.context import Context
    from fazhi_desktop.storage.schema import audit_log, units

    old, _u, first = _package(tmp_path, "太白镇")
    old.dispose()
    merge_package(county_db.engine, first, "县法治办")
    rebuilt_folder = tmp_path / "rebuilt"
    rebuilt_folder.mkdir()
    rebuilt = township(rebuilt_folder, "太白镇", ["东村", "西村"], 1)
    with rebuilt.engine.connect() as conn:
        new_unit = get_unit(conn, "太白镇")
    package = write_package(rebuilt.engine, new_unit, 2023, tmp_path / "rebuilt.zip")
    rebuilt.dispose()
    with pytest.raises(PackageError, match="county relink"):
        merge_package(county_db.engine, package.path, "县法治办")
    ctx = Context(county_db, None, "县法治办")
    county.relink(ctx, "太白镇", "0000-1111-2222-3333")  # not the township's
    with pytest.raises(PackageError, match="单位编号不同"):
        merge_package(county_db.engine, package.path, "县法治办")
    county.relink(ctx, "太白镇", package.fingerprint.lower().replace("-", " "))
    merged = merge_package(county_db.engine, package.path, "县法治办")
    assert merged.created > 0
    with county_db.engine.connect() as conn:
        ids = conn.execute(sa.select(units.c.id).where(units.c.name == "太白镇")).scalars().all()
        assert len(ids) == 1 and ids[0] != new_unit.id  # merged into the township the county knows
        assert signing_key.pinned(conn, ids[0])["fingerprint"] == package.fingerprint
        assert signing_key.relink_leave(conn, "太白镇") is None  # the leave was used once
        changes = conn.execute(sa.select(audit_log.c.changes).where(audit_log.c.ledger == "unit")).scalars().all()
    assert any("准许新的签名密钥" in c for c in changes) and any("数据包签名密钥" in c for c in changes)


def test_the_roster_and_the_first_receipt_on_each_backend(county_db, tmp_path):
    """The same judgement through the services, on SQLite and on a PostgreSQL server, three townships: 未报送 after
    the deadline, a corrected package keeps the township 按时, a late one 逾期, no township counted that is not one."""
    import datetime as dt

    from fazhi_desktop.services import county
    from fazhi_desktop.services.context import Context

    county.setup(Context(county_db, None, "县法治办"), "甲县", "西华街道,太白镇,柳树乡", "03-25")
    town, unit, first = _package(tmp_path, "太白镇", made="2024-03-19T10:00:00")
    merge_package(county_db.engine, first, "县法治办", received=dt.date(2024, 3, 20))
    other, _u, late = _package(tmp_path, "柳树乡", made="2024-03-27T10:00:00")
    other.dispose()
    merge_package(county_db.engine, late, "县法治办", received=dt.date(2024, 3, 28))
    RecordService(town.engine, unit, "文书").create("meeting", {"date": "2023-12-01", "kind": "法治建设专题会议",
                                                              "title": "补录的专题会"})
    correction = backdated(write_package(town.engine, unit, 2023, tmp_path / "更正.zip").path,
                           tmp_path / "更正-0409.zip", "2024-04-09T10:00:00")
    town.dispose()
    merge_package(county_db.engine, correction, "县法治办", received=dt.date(2024, 4, 10))
    with county_db.engine.connect() as conn:
        view = county.view(conn, 2023, today=dt.date(2024, 4, 20))
    states = {s.unit: s.state for s in view.submissions}
    assert view.units == ["西华街道", "太白镇", "柳树乡"]
    assert states == {"西华街道": county.NOT_SENT_LATE, "太白镇": county.ON_TIME, "柳树乡": county.LATE}
    assert [r[0] for r in view.summary] == ["西华街道", "太白镇", "柳树乡", "合计"]


def test_a_township_holds_its_key_from_setup_and_its_receipt_prints_the_fingerprint_the_county_shows(tmp_path,
                                                                                                     data_dir):
    from clikit import run_cli

    from fazhi_desktop.services import signing_key

    env = {"FAZHI_DATA_DIR": str(data_dir)}
    db = tmp_path / "town.sqlite3"
    made = run_cli("--db", str(db), "init", "--unit", "乙镇", "--county", "甲县", "--addressee", "县法治办",
                   "--issuer", "乙镇", "--villages", "东村", env=env)
    assert made.returncode == 0, made.stderr
    opened = open_database(db)
    try:
        with opened.engine.connect() as conn:
            from fazhi_desktop.storage import info

            assert info.get(conn, signing_key.OWN_KEY)  # made at setup, not at the first export
        fp = signing_key.own_fingerprint(opened.engine)
    finally:
        opened.dispose()
    receipt = tmp_path / "报送单.pdf"
    out = run_cli("--db", str(db), "package", "export", "--year", "2023", "--out", str(tmp_path / "p.zip"),
                  "--receipt", str(receipt), env=env)
    assert out.returncode == 0 and f"数据包签名指纹：{fp}" in out.stdout, out.stderr
    # the 报送单 prints it, and it is what the county's 报送情况 shows once the package is in
    import pdfplumber
    from reportkit import pdf_text

    with pdfplumber.open(receipt) as pdf:
        printed = pdf_text(pdf)
    assert "乙镇2023年度法治政府建设数据包报送单" in printed and fp in printed and "p.zip" in printed
    county_db = tmp_path / "county.sqlite3"
    assert run_cli("--db", str(county_db), "county", "setup", "--county", "甲县", "--townships", "乙镇",
                   env=env).returncode == 0
    assert run_cli("--db", str(county_db), "package", "import", str(tmp_path / "p.zip"), env=env).returncode == 0
    from fazhi_desktop.services import county

    opened = open_database(county_db)
    try:
        with opened.engine.connect() as conn:
            shown = county.view(conn, 2023).submissions[0]
    finally:
        opened.dispose()
    assert shown.fingerprint == fp and county.submission_row(shown)[county.SUBMISSION_HEADERS.index("签名指纹")] == fp


def test_on_each_backend_the_report_comes_back_whole_a_damaged_package_goes_alone_and_the_scores_rank(county_db,
                                                                                                      tmp_path):
    """The rest of the issue's checks through the services, on SQLite and on PostgreSQL: the submitted PDF comes back
    byte for byte; a damaged package among good ones is refused alone (the others merged, one summary); the
    考核汇总 ranks every township."""
    from pathlib import Path

    from reportlab.pdfgen.canvas import Canvas

    from fazhi_desktop.exchange.package_read import merge_many
    from fazhi_desktop.exchange.scoring_sheet import read_sheet
    from fazhi_desktop.services import county
    from fazhi_desktop.services.context import Context

    ctx = Context(county_db, None, "县法治办")
    county.setup(ctx, "甲县", "太白镇,柳树乡,西华街道")
    pdf = tmp_path / "report.pdf"
    canvas = Canvas(str(pdf))
    canvas.drawString(100, 700, "the township's own report")
    canvas.save()
    made = []
    for name, disputes in (("太白镇", 1), ("柳树乡", 3)):
        folder = tmp_path / name
        folder.mkdir()
        town = township(folder, name, ["东村", "西村"], disputes)
        with town.engine.connect() as conn:
            made.append(write_package(town.engine, get_unit(conn, name), 2023, tmp_path / f"{name}.zip",
                                      report_pdf=pdf).path)
        town.dispose()
    damaged = tmp_path / "损坏.zip"
    damaged.write_bytes(made[0].read_bytes()[: made[0].stat().st_size // 2])
    batch = merge_many(ctx, [made[0], damaged, made[1]]).value
    assert [m.unit for m in batch.merged] == ["太白镇", "柳树乡"] and len(batch.refused) == 1
    assert "损坏.zip" in batch.refused[0]
    data, _received = county.submitted_report_of(ctx, "柳树乡", 2023)
    assert data == pdf.read_bytes()
    sheet = read_sheet(Path(__file__).resolve().parents[1] / "resources" / "考核细则示例.xlsx")
    with county_db.engine.connect() as conn:
        rows = county.score_all(conn, 2023, sheet)
    assert [r.township for r in rows] == ["太白镇", "柳树乡", "西华街道"]
    assert sorted(r.rank for r in rows if r.rank) in ([1, 2], [1, 1]) and rows[2].rank is None
